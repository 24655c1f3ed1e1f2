import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../src/config/load.js";
import type { LakeConfig } from "../../src/config/types.js";

const ROOT = join(import.meta.dirname, "..", "..");

/** A copy of the seed lake (config, data, SQL, Glue scripts) in a temp folder, with its own state directory. */
export class SeedLake {
  readonly dir: string;

  constructor(edit?: (yaml: string) => string) {
    this.dir = mkdtempSync(join(tmpdir(), "lakewarden-lake-"));
    for (const part of ["data", "sql", "glue_scripts"]) cpSync(join(ROOT, part), join(this.dir, part), { recursive: true });
    const yaml = readFileSync(join(ROOT, "lake.config.yaml"), "utf8");
    this.write(edit ? edit(yaml) : yaml);
  }

  get file(): string {
    return join(this.dir, "lake.config.yaml");
  }

  write(yaml: string): void {
    writeFileSync(this.file, yaml);
  }

  edit(change: (yaml: string) => string): void {
    this.write(change(readFileSync(this.file, "utf8")));
  }

  config(env: NodeJS.ProcessEnv = {}): LakeConfig {
    return loadConfig(this.file, { env });
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
