import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { loadConfig } from "../config/load.js";
import type { LakeConfig } from "../config/types.js";

/** A configuration the daemon can converge to, and the revision it came from. */
export interface LoadedConfig {
  config: LakeConfig;
  /** The commit sha (git), or `sha256:` and the first 12 hex digits of the file's content (a local file). */
  revision: string;
}

/** Where the daemon reads its configuration from, afresh at every cycle. */
export interface ConfigSource {
  /** For logs and /status: `file /lake/lake.config.yaml`, `git https://…#main:lake.config.yaml`. */
  readonly description: string;
  readonly kind: "file" | "git";
  /** Brings the source up to date (a git fetch); true when the revision moved. */
  refresh(): Promise<boolean>;
  /** Reads and validates the configuration at the current revision; throws ConfigError when it is invalid. */
  load(): Promise<LoadedConfig>;
  /** The revision being read (the latest known), even when invalid. */
  currentRevision(): string | undefined;
  /** Makes a file path of an issue readable: relative to the repository for git. */
  displayPath(file: string): string;
  close(): Promise<void>;
}

/** The local file: re-read at every cycle and on SIGHUP. */
export class FileSource implements ConfigSource {
  readonly kind = "file";
  readonly description: string;
  private revision: string | undefined;

  constructor(
    private readonly file: string,
    private readonly stateDir: string,
  ) {
    this.description = `file ${resolve(file)}`;
  }

  async refresh(): Promise<boolean> {
    return false;
  }

  async load(): Promise<LoadedConfig> {
    try {
      this.revision = contentRevision(readFileSync(this.file));
    } catch {
      this.revision = undefined; // loadConfig reports the missing file with its location
    }
    const config = loadConfig(this.file);
    config.local.stateDir = this.stateDir;
    return { config, revision: this.revision ?? "none" };
  }

  currentRevision(): string | undefined {
    return this.revision;
  }

  displayPath(file: string): string {
    return file;
  }

  async close(): Promise<void> {}
}

export function contentRevision(content: Buffer | string): string {
  return `sha256:${createHash("sha256").update(content).digest("hex").slice(0, 12)}`;
}
