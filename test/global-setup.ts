import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";

/** CLI tests run the built binary: build once (incremental, fast when nothing changed) so `npx vitest` works alone. */
export default function setup(): void {
  if (process.env.LAKEWARDEN_SKIP_BUILD === "1") return; // tests that do not run the binary, while iterating
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  execFileSync(process.execPath, [tsc, "-p", "tsconfig.json"], { stdio: "inherit" });
}
