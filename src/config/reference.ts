import { readFileSync } from "node:fs";
import { SCHEMA_URL } from "./schema.js";

/**
 * Renders the configuration reference (README.md) from schemas/lake.schema.json, so that the documentation cannot
 * drift from what validation accepts: a test compares the README's copy with this output.
 */
type Schema = {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  description?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
  required?: string[];
  else?: Schema;
  "x-expected"?: string;
};

const NAMED_TYPES: Record<string, string> = {
  bucketRef: "bucket:prefix",
  duration: "duration",
  size: "size",
  glueSchedule: "schedule",
  tags: "map of string",
  deletionPolicy: "`delete` \\| `retain`",
  key: "key",
};

export const REFERENCE_START = "<!-- config-reference:start (generated from schemas/lake.schema.json by `npm run docs`) -->";
export const REFERENCE_END = "<!-- config-reference:end -->";

export function renderReference(): string {
  const root = JSON.parse(readFileSync(SCHEMA_URL, "utf8")) as Schema & { $defs: Record<string, Schema> };
  const defs = root.$defs;
  const deref = (s: Schema): [Schema, string | undefined] => {
    if (!s.$ref) return [s, undefined];
    const name = s.$ref.replace("#/$defs/", "");
    const target = defs[name]!;
    return [{ ...target, ...s, description: s.description ?? target.description, default: s.default ?? target.default }, name];
  };

  const typeOf = (s: Schema, refName: string | undefined): string => {
    if (refName && NAMED_TYPES[refName]) return NAMED_TYPES[refName]!;
    if (s.enum) return s.enum.map((v) => `\`${String(v)}\``).join(" \\| ");
    if (s.const !== undefined) return `\`${String(s.const)}\``;
    const types = ([] as string[]).concat(s.type ?? []);
    if (types.includes("array")) return s.items ? `list of ${typeOf(...deref(s.items)).replace(/^list of /, "")}` : "list";
    if (types.includes("object") && s.additionalProperties && typeof s.additionalProperties === "object" && !s.properties) {
      return `map of ${typeOf(...deref(s.additionalProperties))}`;
    }
    if (types.length === 2 && types.includes("string") && types.includes("object")) return "bucket:prefix or mapping";
    return types.map((t) => (t === "object" ? "mapping" : t)).join(" or ") || "any";
  };

  const rows: string[] = [];
  const walk = (schema: Schema, path: string, required: boolean) => {
    const [s, refName] = deref(schema);
    const shown = s.default === undefined ? (required ? "**required**" : "") : `\`${JSON.stringify(s.default)}\``;
    const description = (s.description ?? "").replace(/\|/g, "\\|").replace(/\n/g, " ");
    rows.push(`| \`${path}\` | ${typeOf(s, refName)} | ${shown} | ${description} |`);
    const objectSchema = s.properties ? s : s.else?.properties ? s.else : undefined;
    if (objectSchema?.properties) {
      for (const [key, child] of Object.entries(objectSchema.properties)) walk(child, `${path}.${key}`, objectSchema.required?.includes(key) ?? false);
      return;
    }
    const items = s.items ? deref(s.items)[0] : undefined;
    const itemObject = items?.properties ? items : items?.else?.properties ? items.else : undefined;
    if (itemObject?.properties) {
      for (const [key, child] of Object.entries(itemObject.properties)) walk(child, `${path}[].${key}`, itemObject.required?.includes(key) ?? false);
      return;
    }
    const values = typeof s.additionalProperties === "object" ? deref(s.additionalProperties)[0] : undefined;
    if (values?.properties) {
      for (const [key, child] of Object.entries(values.properties)) walk(child, `${path}.<key>.${key}`, values.required?.includes(key) ?? false);
    }
  };

  for (const [key, child] of Object.entries(root.properties ?? {})) walk(child, key, root.required?.includes(key) ?? false);
  return [
    REFERENCE_START,
    "",
    "| key | type | default | description |",
    "|---|---|---|---|",
    ...rows,
    "",
    REFERENCE_END,
  ].join("\n");
}
