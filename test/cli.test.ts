import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lakewarden } from "./helpers/cli.js";
import { tmpLake } from "./helpers/tmp-lake.js";

const ROOT = join(import.meta.dirname, "..");
const VERSION = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;

describe("lakewarden (the built binary)", () => {
  it("prints its version and help", () => {
    expect(lakewarden(["--version"])).toMatchObject({ code: 0, stdout: `${VERSION}\n` });
    const help = lakewarden(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("validate");
    expect(help.stdout).toContain("gen-data");
    expect(lakewarden(["validate", "--help"]).stdout).toContain("--config <file>");
  });

  it("fails with a usage error on an unknown command", () => {
    const r = lakewarden(["frobnicate"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("unknown command 'frobnicate'");
  });

  it("validates the seed configuration", () => {
    const r = lakewarden(["validate"], { cwd: ROOT });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/lake\.config\.yaml: valid — lake "ecomm" \(target local, us-east-1\): 4 buckets, 1 upload, 1 role, 2 databases, 2 crawlers, 1 job, 1 workgroup, \d+ saved queries/);
  });

  it("rejects a broken configuration with every error, file:line:col first, and exit code 1", () => {
    const dir = tmpLake({ "broken.yaml": "version: 1\nlake: shop\nbuckets:\n  raw:\n    name: Shop\n    versionning: true\n" });
    const r = lakewarden(["validate", "-c", "broken.yaml"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr.split("\n")).toEqual([
      'broken.yaml:5:11: buckets.raw.name: bucket name "Shop" has uppercase letters — expected a bucket name of 3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit',
      'broken.yaml:6:5: buckets.raw.versionning: unknown key — did you mean "versioning"?',
      "✗ broken.yaml: 2 errors; nothing was applied",
      "",
    ]);
  });

  it("reads the configuration path from LAKEWARDEN_CONFIG and reports a missing file", () => {
    const r = lakewarden(["validate"], { cwd: ROOT, env: { LAKEWARDEN_CONFIG: "nope.yaml" } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("nope.yaml:1:1: file not found — expected a lake configuration (create lake.config.yaml or pass -c FILE)");
  });

  it("prints machine-readable results with --output json", () => {
    const dir = tmpLake({ "lake.config.yaml": "version: 1\nlake: shop\nregion: moon-1\n" });
    const r = lakewarden(["validate", "--output", "json"], { cwd: dir });
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { valid: boolean; errors: { path: string[]; pos: { line: number; col: number }; message: string }[] };
    expect(out.valid).toBe(false);
    expect(out.errors).toHaveLength(1);
    expect(out.errors[0]).toMatchObject({ path: ["region"], pos: { line: 3, col: 9 } });
  });
});
