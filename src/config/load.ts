import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { interpolate, pathKey } from "./interpolate.js";
import { ConfigError, type Issue } from "./issues.js";
import { resolveConfig } from "./resolve/index.js";
import { validateSchema } from "./schema.js";
import { YamlSource } from "./source.js";
import type { LakeConfig } from "./types.js";

export const DEFAULT_CONFIG_FILE = "lake.config.yaml";

export interface LoadOptions {
  /** Environment for ${env:...}; process.env by default. */
  env?: NodeJS.ProcessEnv;
}

/**
 * Reads, interpolates, validates and resolves a lake configuration. Throws a ConfigError holding every issue found
 * (each with file, line and column) when anything is wrong: a configuration is used whole or not at all.
 */
export function loadConfig(file: string, options: LoadOptions = {}): LakeConfig {
  if (!existsSync(file)) {
    throw new ConfigError([{ file, pos: { line: 1, col: 1 }, path: [], problem: "file not found", expected: `expected a lake configuration (create ${DEFAULT_CONFIG_FILE} or pass -c FILE)` }]);
  }
  return parseConfig(YamlSource.read(file), resolve(file), options);
}

/** As loadConfig, for a source already in memory (tests, git revisions). `absoluteFile` anchors relative paths. */
export function parseConfig(source: YamlSource, absoluteFile: string, options: LoadOptions = {}): LakeConfig {
  const fail = (issues: Issue[]) => {
    if (issues.length) throw new ConfigError(issues);
  };
  fail(source.syntaxIssues());
  const raw: unknown = source.doc.toJS({ maxAliasCount: 1000 });
  if (raw === null || raw === undefined) {
    fail([{ file: source.file, pos: { line: 1, col: 1 }, path: [], problem: "the file is empty", expected: "expected a mapping with at least version: 1 and lake: <name>" }]);
  }
  const { value, wholeValuePaths, unresolvedPaths, issues: interpolationIssues } = interpolate(raw, source, options.env ?? process.env);
  const schemaIssues = validateSchema(value, source, wholeValuePaths);
  // Semantic checks run even on a document the schema rejected, so that one run reports everything; what they say
  // about a value that already failed (a reference that did not resolve, a key of the wrong type) is not repeated.
  const resolvable = typeof value === "object" && value !== null && !Array.isArray(value);
  const { config, issues: semanticIssues } = resolvable
    ? resolveConfig(value, source, absoluteFile, schemaIssues.length === 0)
    : { config: undefined, issues: [] };
  const failed = [...unresolvedPaths].map((k) => k.split("\u0000"));
  const schemaFailed = schemaIssues.map((i) => i.path.map(String));
  fail([
    ...interpolationIssues,
    ...schemaIssues.filter((i) => !unresolvedPaths.has(pathKey(i.path))),
    ...semanticIssues.filter((i) => ![...failed, ...schemaFailed].some((p) => isPrefix(p, i.path.map(String)))),
  ]);
  return config as LakeConfig; // defined: a document that is not a mapping fails the schema above
}

function isPrefix(prefix: string[], path: string[]): boolean {
  return prefix.length <= path.length && prefix.every((seg, i) => seg === path[i]);
}
