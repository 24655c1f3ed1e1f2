import type { Issue } from "./issues.js";
import type { ConfigPath, YamlSource } from "./source.js";
import { didYouMean } from "./suggest.js";

/**
 * `${env:NAME}`, `${env:NAME:-default}`, `${vars.NAME}` and `${bucket:KEY}` in string values; `$${` is a literal `${`.
 * Bucket references resolve last, to the bucket's final name, so that job arguments and policies can name buckets
 * whose names are themselves built from variables.
 */
const EXPRESSION = /\$\$\{|\$\{([^}]*)\}|\$\{/g;
const FORMS = "${env:NAME}, ${env:NAME:-default}, ${vars.NAME} or ${bucket:KEY}";

type Resolved =
  | { value: string }
  | { error: Omit<Issue, "file" | "pos" | "path">; needle: string }
  /** Depends on something already reported (a variable that failed): leave it, say nothing more. */
  | { unresolved: true }
  | undefined;
type Resolver = (expr: string) => Resolved;

export interface InterpolationResult {
  value: unknown;
  /** Paths (joined with \u0000) of values that were exactly one expression: their type may be coerced later. */
  wholeValuePaths: Set<string>;
  /** Paths of values still holding an expression that failed: later checks must not complain about them again. */
  unresolvedPaths: Set<string>;
  issues: Issue[];
}

export function pathKey(path: ConfigPath): string {
  return path.join("\u0000");
}

export function interpolate(root: unknown, source: YamlSource, env: NodeJS.ProcessEnv): InterpolationResult {
  const issues: Issue[] = [];
  const wholeValuePaths = new Set<string>();
  const unresolvedPaths = new Set<string>();
  const report = (path: ConfigPath, needle: string, error: Omit<Issue, "file" | "pos" | "path"> | undefined) => {
    unresolvedPaths.add(pathKey(path));
    if (error) issues.push({ file: source.file, pos: source.locateWithin(path, needle), path, ...error });
  };

  const rawVars = isRecord(root) && isRecord(root.vars) ? root.vars : {};
  const vars = resolveVars(rawVars, env, report);

  const envAndVars: Resolver = (expr) => {
    if (expr.startsWith("env:")) return resolveEnv(expr, env);
    if (expr.startsWith("vars.")) {
      const name = expr.slice(5);
      return name in rawVars && !(name in vars) ? { unresolved: true } : resolveVar(name, vars);
    }
    if (expr.startsWith("bucket:")) return undefined; // second pass
    return unknownForm(expr);
  };

  const walk = (value: unknown, path: (string | number)[], resolver: Resolver): unknown => {
    if (typeof value === "string") {
      const out = expand(value, resolver, (needle, error) => report(path, needle, error));
      if (out !== value && /^\$\{[^}]*\}$/.test(value)) wholeValuePaths.add(pathKey(path));
      return out;
    }
    if (Array.isArray(value)) return value.map((v, i) => walk(v, [...path, i], resolver));
    if (isRecord(value)) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = path.length === 0 && k === "vars" ? vars : walk(v, [...path, k], resolver);
      return out;
    }
    return value;
  };

  let value = walk(root, [], envAndVars);

  // Second pass: ${bucket:KEY} → the bucket's name, now that names are final.
  const buckets = isRecord(value) && isRecord(value.buckets) ? value.buckets : {};
  const names = new Map<string, string>();
  for (const [key, spec] of Object.entries(buckets)) {
    if (isRecord(spec) && typeof spec.name === "string" && !spec.name.includes("${")) names.set(key, spec.name);
  }
  const bucketNames: Resolver = (expr) => {
    if (!expr.startsWith("bucket:")) return { value: `\${${expr}}` }; // already reported in the first pass
    const key = expr.slice(7);
    const name = names.get(key);
    if (name !== undefined) return { value: name };
    const known = Object.keys(buckets);
    return {
      needle: `\${${expr}}`,
      error: {
        problem: key in buckets ? `bucket "${key}" has no usable name to refer to` : `bucket "${key}" is not declared`,
        expected: known.length ? `expected a key of buckets: ${known.join(", ")}${didYouMean(key, known)}` : "declare it under buckets",
      },
    };
  };
  const needsSecondPass = (v: unknown): boolean =>
    typeof v === "string" ? v.includes("${bucket:") : Array.isArray(v) ? v.some(needsSecondPass) : isRecord(v) && Object.values(v).some(needsSecondPass);
  if (needsSecondPass(value)) value = walk(value, [], bucketNames);

  return { value, wholeValuePaths, unresolvedPaths, issues };
}

function resolveVars(
  raw: Record<string, unknown>,
  env: NodeJS.ProcessEnv,
  report: (path: ConfigPath, needle: string, error: Omit<Issue, "file" | "pos" | "path"> | undefined) => void,
): Record<string, string | number | boolean> {
  const done = new Map<string, string | number | boolean>();
  const visiting: string[] = [];
  const failed = new Set<string>();

  const resolveOne = (name: string): string | number | boolean | undefined => {
    if (done.has(name)) return done.get(name);
    if (failed.has(name)) return undefined;
    const rawValue = raw[name];
    if (typeof rawValue !== "string") {
      if (typeof rawValue === "number" || typeof rawValue === "boolean") done.set(name, rawValue);
      return done.get(name); // other types are reported by the schema
    }
    visiting.push(name);
    const resolver: Resolver = (expr) => {
      if (expr.startsWith("env:")) return resolveEnv(expr, env);
      if (expr.startsWith("bucket:")) return { error: { problem: "a variable cannot refer to a bucket", expected: "expected ${env:…} or ${vars.…} in vars" }, needle: `\${${expr}}` };
      if (!expr.startsWith("vars.")) return unknownForm(expr);
      const ref = expr.slice(5);
      if (visiting.includes(ref)) {
        const cycle = [...visiting.slice(visiting.indexOf(ref)), ref].join(" → ");
        return { error: { problem: `variables refer to each other in a cycle: ${cycle}`, expected: "expected each variable to resolve without coming back to itself" }, needle: `\${${expr}}` };
      }
      if (!(ref in raw)) return resolveVar(ref, {});
      const v = resolveOne(ref);
      return v === undefined ? { unresolved: true } : { value: String(v) };
    };
    let ok = true;
    const value = expand(rawValue, resolver, (needle, error) => {
      ok = false;
      report(["vars", name], needle, error);
    });
    visiting.pop();
    if (ok) done.set(name, value);
    else failed.add(name);
    return ok ? value : undefined;
  };

  for (const name of Object.keys(raw)) resolveOne(name);
  return Object.fromEntries(done);
}

function resolveEnv(expr: string, env: NodeJS.ProcessEnv): Resolved {
  const m = /^env:([A-Za-z_][A-Za-z0-9_]*)(?::-([\s\S]*))?$/.exec(expr);
  if (!m) {
    return { needle: `\${${expr}}`, error: { problem: `malformed environment reference \${${expr}}`, expected: "expected ${env:NAME} or ${env:NAME:-default}" } };
  }
  const [, name, fallback] = m as unknown as [string, string, string | undefined];
  const value = env[name];
  if (value !== undefined && value !== "") return { value };
  if (fallback !== undefined) return { value: fallback };
  return {
    needle: `\${${expr}}`,
    error: { problem: `environment variable ${name} is not set`, expected: `set ${name}, or give a default: \${env:${name}:-value}` },
  };
}

function resolveVar(name: string, vars: Record<string, string | number | boolean>): Resolved {
  if (name in vars) return { value: String(vars[name]) };
  const known = Object.keys(vars);
  return {
    needle: `\${vars.${name}}`,
    error: {
      problem: `variable "${name}" is not defined`,
      expected: known.length ? `expected one of vars: ${known.join(", ")}${didYouMean(name, known)}` : `define it under vars`,
    },
  };
}

function unknownForm(expr: string): Resolved {
  return { needle: `\${${expr}}`, error: { problem: `unknown reference \${${expr}}`, expected: `expected ${FORMS}` } };
}

/** Replaces every expression in `text`; reports each one that cannot be resolved and leaves it in place. */
function expand(text: string, resolver: Resolver, onError: (needle: string, error: Omit<Issue, "file" | "pos" | "path"> | undefined) => void): string {
  if (!text.includes("${")) return text;
  return text.replace(EXPRESSION, (match, expr: string | undefined) => {
    if (match === "$${") return "${";
    if (expr === undefined) {
      onError("${", { problem: "unterminated ${", expected: `expected ${FORMS}, closed with }` });
      return match;
    }
    const resolved = resolver(expr.trim());
    if (resolved === undefined) return match;
    if ("unresolved" in resolved) {
      onError(match, undefined);
      return match;
    }
    if ("error" in resolved) {
      onError(resolved.needle, resolved.error);
      return match;
    }
    return resolved.value;
  });
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
