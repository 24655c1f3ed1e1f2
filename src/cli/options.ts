import { Option } from "commander";
import { DEFAULT_CONFIG_FILE } from "../config/load.js";

/** `-c, --config FILE`, shared by every command that reads the lake configuration. */
export function configOption(): Option {
  return new Option("-c, --config <file>", "lake configuration file")
    .env("LAKEWARDEN_CONFIG")
    .default(DEFAULT_CONFIG_FILE);
}

export function outputOption(choices: string[], fallback: string): Option {
  return new Option("-o, --output <format>", "output format").choices(choices).default(fallback);
}
