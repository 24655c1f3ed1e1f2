import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REFERENCE_END, REFERENCE_START, renderReference } from "../src/config/reference.js";

const README = readFileSync(join(import.meta.dirname, "..", "README.md"), "utf8");

describe("README.md", () => {
  it("holds the configuration reference generated from the schema (run `npm run docs` after changing the schema)", () => {
    const start = README.indexOf(REFERENCE_START);
    const end = README.indexOf(REFERENCE_END) + REFERENCE_END.length;
    expect(README.slice(start, end)).toBe(renderReference());
  });

  it("shows the two set-up commands", () => {
    expect(README).toContain("npm ci && npm start");
    expect(README).toContain("npm test");
  });
});
