// Runs every bench/*.bench.mjs (or those named on the command line) in turn; each prints its own figures.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

// The SDK versions are pinned for Node 20 on purpose (see src/cli/bin.ts).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const dir = import.meta.dirname;
const wanted = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".bench.mjs"))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.includes(w)))
  .sort();
for (const file of files) {
  console.log(`\n## ${file}`);
  const mod = await import(pathToFileURL(join(dir, file)).href);
  await mod.default();
}
