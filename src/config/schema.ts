import { readFileSync } from "node:fs";
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import type { Issue } from "./issues.js";
import { pathKey } from "./interpolate.js";
import type { YamlSource } from "./source.js";
import { didYouMean, suggest } from "./suggest.js";

export const SCHEMA_URL = new URL("../../schemas/lake.schema.json", import.meta.url);

type Schema = Record<string, unknown> & { description?: string; "x-expected"?: string; properties?: Record<string, Schema> };

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (compiled) return compiled;
  const ajv = new Ajv2020({ allErrors: true, verbose: true, useDefaults: true, allowUnionTypes: true, strict: true });
  // Our annotation: the human phrase for what a pattern or shape wants, used in error messages.
  ajv.addKeyword({ keyword: "x-expected", schemaType: "string" });
  compiled = ajv.compile(JSON.parse(readFileSync(SCHEMA_URL, "utf8")) as object);
  return compiled;
}

/**
 * Validates `data` against schemas/lake.schema.json and fills in its defaults (in place). Values that were exactly
 * one `${...}` expression are coerced to the number or boolean the schema wants, since YAML typed them as strings.
 */
export function validateSchema(data: unknown, source: YamlSource, wholeValuePaths: Set<string>): Issue[] {
  const validate = validator();
  for (let round = 0; round < 8; round++) {
    if (validate(data)) return [];
    const errors = validate.errors ?? [];
    if (!coerceInterpolated(data, errors, wholeValuePaths)) return translate(errors, source, data);
  }
  validate(data);
  return translate(validate.errors ?? [], source, data);
}

function coerceInterpolated(data: unknown, errors: ErrorObject[], wholeValuePaths: Set<string>): boolean {
  let changed = false;
  for (const err of errors) {
    if (err.keyword !== "type" || typeof err.data !== "string") continue;
    const path = pointerToPath(err.instancePath, data);
    if (!wholeValuePaths.has(pathKey(path))) continue;
    const wanted = ([] as string[]).concat(err.params.type as string | string[]);
    const value = coerce(err.data, wanted);
    if (value === undefined) continue;
    const parent = path.slice(0, -1).reduce<unknown>((node, seg) => (node as Record<string | number, unknown>)[seg], data);
    (parent as Record<string | number, unknown>)[path[path.length - 1]!] = value;
    changed = true;
  }
  return changed;
}

function coerce(text: string, types: string[]): number | boolean | undefined {
  if (types.includes("integer") && /^-?\d+$/.test(text)) return Number(text);
  if (types.includes("number") && /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(text)) return Number(text);
  if (types.includes("boolean") && (text === "true" || text === "false")) return text === "true";
  return undefined;
}

function translate(errors: ErrorObject[], source: YamlSource, data: unknown): Issue[] {
  const seen = new Set<string>();
  const issues: Issue[] = [];
  for (const err of errors) {
    const issue = toIssue(err, source, data);
    if (!issue) continue;
    const key = `${pathKey(issue.path)}|${issue.problem}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push(issue);
  }
  return issues;
}

const TYPE_NAMES: Record<string, string> = {
  string: "a string",
  integer: "an integer",
  number: "a number",
  boolean: "true or false",
  array: "a list",
  object: "a mapping",
  null: "empty",
};

function toIssue(err: ErrorObject, source: YamlSource, data: unknown): Issue | undefined {
  const path = pointerToPath(err.instancePath, data);
  const schema = (err.parentSchema ?? {}) as Schema;
  const expectedPhrase = schema["x-expected"];
  const at = (p: (string | number)[], onKey = false) => ({ file: source.file, pos: source.locate(p, onKey), path: p });

  // An error about a key's name (propertyNames) names the key, not the map.
  if (err.propertyName !== undefined) {
    const keyPath = [...path, err.propertyName];
    return { ...at(keyPath, true), problem: `key "${err.propertyName}" is not valid`, expected: `expected ${expectedPhrase ?? "a valid key"}` };
  }

  switch (err.keyword) {
    case "if":
    case "propertyNames":
      return undefined; // the inner error says it better
    case "required": {
      const missing = String(err.params.missingProperty);
      const described = schema.properties?.[missing];
      const what = described?.["x-expected"] ?? firstSentence(described?.description) ?? "a value";
      return { ...at(path), path: [...path, missing], problem: "is required but missing", expected: `expected ${what}` };
    }
    case "additionalProperties": {
      const key = String(err.params.additionalProperty);
      const allowed = Object.keys(schema.properties ?? {});
      const hint = suggest(key, allowed);
      return {
        ...at([...path, key], true),
        problem: "unknown key",
        expected: hint ? `did you mean "${hint}"?` : `expected one of: ${allowed.join(", ")}`,
      };
    }
    case "type": {
      const wanted = ([] as string[]).concat(err.params.type as string | string[]);
      const what = expectedPhrase ?? wanted.map((t) => TYPE_NAMES[t] ?? t).join(" or ");
      if (path.length === 0) return { ...at(path), problem: `the document is ${describe(err.data)}`, expected: "expected a mapping with at least version: 1 and lake: <name>" };
      return { ...at(path), problem: `is ${describe(err.data)}`, expected: `expected ${what}` };
    }
    case "enum": {
      const allowed = (err.params.allowedValues as unknown[]).map(String);
      return {
        ...at(path),
        problem: `${describe(err.data)} is not allowed`,
        expected: `expected one of: ${allowed.join(", ")}${typeof err.data === "string" ? didYouMean(err.data, allowed) : ""}`,
      };
    }
    case "const":
      return { ...at(path), problem: `is ${describe(err.data)}`, expected: `expected ${expectedPhrase ?? JSON.stringify(err.params.allowedValue)}` };
    case "pattern":
      return { ...at(path), problem: `${describe(err.data)} is not valid`, expected: `expected ${expectedPhrase ?? `a value matching ${String(err.params.pattern)}`}` };
    case "minimum":
    case "exclusiveMinimum":
      return { ...at(path), problem: `is ${String(err.data)}, below the minimum`, expected: `expected at least ${String(err.params.limit)}` };
    case "maximum":
    case "exclusiveMaximum":
      return { ...at(path), problem: `is ${String(err.data)}, above the maximum`, expected: `expected at most ${String(err.params.limit)}` };
    case "minLength":
      return { ...at(path), problem: err.data === "" ? "is empty" : "is too short", expected: `expected at least ${String(err.params.limit)} characters` };
    case "maxLength":
      return { ...at(path), problem: `is ${String((err.data as string).length)} characters long`, expected: `expected at most ${String(err.params.limit)}` };
    case "minItems":
      return { ...at(path), problem: `has ${String((err.data as unknown[]).length)} items`, expected: `expected at least ${String(err.params.limit)}` };
    case "maxItems":
      return { ...at(path), problem: `has ${String((err.data as unknown[]).length)} items`, expected: `expected at most ${String(err.params.limit)}` };
    case "uniqueItems":
      return { ...at([...path, Number(err.params.i)]), problem: `repeats ${describe((err.data as unknown[])[Number(err.params.i)])}`, expected: "expected each value once" };
    default:
      return { ...at(path), problem: err.message ?? "is not valid", expected: expectedPhrase ? `expected ${expectedPhrase}` : "see schemas/lake.schema.json" };
  }
}

/** `/crawlers/0/targets` → ["crawlers", 0, "targets"], with numbers only where the document has a list. */
function pointerToPath(pointer: string, root: unknown): (string | number)[] {
  if (pointer === "") return [];
  const path: (string | number)[] = [];
  let node: unknown = root;
  for (const raw of pointer.slice(1).split("/")) {
    const seg = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    const key: string | number = Array.isArray(node) ? Number(seg) : seg;
    path.push(key);
    node = node === null || typeof node !== "object" ? undefined : (node as Record<string | number, unknown>)[key];
  }
  return path;
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return "empty";
  if (typeof value === "string") return `"${value.length > 60 ? `${value.slice(0, 57)}...` : value}"`;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return "a list";
  return "a mapping";
}

function firstSentence(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const sentence = text.split(/(?<=\.)\s/)[0]!.replace(/\.$/, "");
  return sentence.charAt(0).toLowerCase() + sentence.slice(1);
}
