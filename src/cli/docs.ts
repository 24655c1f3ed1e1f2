import { readFileSync, writeFileSync } from "node:fs";
import { REFERENCE_END, REFERENCE_START, renderReference } from "../config/reference.js";

/** `npm run docs`: rewrites the configuration reference inside README.md from the schema. */
export function updateReadmeReference(readmePath: string): boolean {
  const readme = readFileSync(readmePath, "utf8");
  const start = readme.indexOf(REFERENCE_START);
  const end = readme.indexOf(REFERENCE_END);
  if (start < 0 || end < 0) throw new Error(`${readmePath} has no configuration reference markers`);
  const next = readme.slice(0, start) + renderReference() + readme.slice(end + REFERENCE_END.length);
  if (next === readme) return false;
  writeFileSync(readmePath, next);
  return true;
}

if (process.argv[1]?.endsWith("docs.js")) {
  const changed = updateReadmeReference(process.argv[2] ?? "README.md");
  process.stdout.write(changed ? "README.md: configuration reference updated\n" : "README.md: configuration reference already up to date\n");
}
