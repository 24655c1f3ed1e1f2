import { resolve } from "node:path";
import { Option } from "commander";
import pc from "picocolors";
import { ConfigError, formatIssue } from "../config/issues.js";
import { DEFAULT_CONFIG_FILE, loadConfig } from "../config/load.js";
import type { LakeConfig } from "../config/types.js";

/** `-c, --config FILE`, shared by every command that reads the lake configuration. */
export function configOption(): Option {
  return new Option("-c, --config <file>", "lake configuration file")
    .env("LAKEWARDEN_CONFIG")
    .default(DEFAULT_CONFIG_FILE);
}

export function outputOption(choices: string[], fallback: string): Option {
  return new Option("-o, --output <format>", "output format").choices(choices).default(fallback);
}

/** Loads the configuration for a command; on an invalid one, prints every issue and returns undefined. */
export function loadConfigOrReport(file: string, stateDir?: string): LakeConfig | undefined {
  try {
    const config = loadConfig(file);
    if (stateDir) config.local.stateDir = resolve(stateDir);
    return config;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    for (const issue of err.issues) process.stderr.write(`${formatIssue(issue)}\n`);
    process.stderr.write(`${pc.red("✗")} ${file}: invalid configuration; nothing was done\n`);
    return undefined;
  }
}

export interface TargetFlags {
  target?: "local" | "aws";
  endpoint?: string;
}

export function targetOptions(): Option[] {
  return [
    new Option("--target <target>", "local (embedded AWS) or aws; default: the config's target").choices(["local", "aws"]),
    new Option("--endpoint <url>", "send every AWS call to this endpoint (moto, `lakewarden local serve`, a proxy); implies --target aws"),
    stateDirOption(),
  ];
}

/** `--state-dir` / LAKEWARDEN_STATE_DIR: where the embedded AWS and the inventory live (a volume in a container). */
export function stateDirOption(): Option {
  return new Option("--state-dir <dir>", "state directory (default: the config's local.stateDir)").env("LAKEWARDEN_STATE_DIR");
}
