import { isGroup, significant, splitCommas, type Node } from "./tree.js";
import type { Token } from "./tokenizer.js";

/**
 * Trino type names (as written in CAST, TRY_CAST) → DuckDB type text. `array(varchar)` → `VARCHAR[]`,
 * `row(a bigint, b varchar)` → `STRUCT("a" BIGINT, "b" VARCHAR)`, `timestamp(3)` → `TIMESTAMP`.
 */

const SIMPLE: Record<string, string> = {
  boolean: "BOOLEAN",
  tinyint: "TINYINT",
  smallint: "SMALLINT",
  integer: "INTEGER",
  int: "INTEGER",
  bigint: "BIGINT",
  real: "FLOAT",
  float: "FLOAT",
  double: "DOUBLE",
  varchar: "VARCHAR",
  char: "VARCHAR",
  string: "VARCHAR",
  varbinary: "BLOB",
  date: "DATE",
  json: "JSON",
  uuid: "UUID",
  ipaddress: "VARCHAR",
};

export class UnsupportedTypeError extends Error {}

/** DuckDB text for the Trino type written as `nodes` (tokens and groups, trivia allowed). */
export function trinoTypeToDuckDb(nodes: Node[]): string {
  const parts = significant(nodes);
  const head = parts[0];
  if (!head || isGroup(head)) throw new UnsupportedTypeError("missing type name");
  if (head.kind === "quoted") return head.text;
  const name = head.text.toLowerCase();
  const words = parts.filter((p): p is Token => !isGroup(p)).map((p) => p.text.toLowerCase());
  const args = parts.find(isGroup);
  // Hive style `array<string>` / `map<string,int>` / `struct<a:int>` (seen in DDL, also accepted here).
  if (parts.some((p) => !isGroup(p) && p.text === "<")) return hiveTypeToDuckDb(textOf(parts));
  switch (name) {
    case "array":
      return `${trinoTypeToDuckDb(args?.children ?? [])}[]`;
    case "map": {
      const [k, v] = splitCommas(args?.children ?? []);
      return `MAP(${trinoTypeToDuckDb(k ?? [])}, ${trinoTypeToDuckDb(v ?? [])})`;
    }
    case "row":
      return `STRUCT(${splitCommas(args?.children ?? [])
        .map((field, index) => {
          const sig = significant(field);
          const first = sig[0];
          // Anonymous fields (`row(bigint, varchar)`) get Trino's names field0, field1 …
          if (sig.length === 1 || (first && !isGroup(first) && SIMPLE[first.text.toLowerCase()] && sig.length === 2 && isGroup(sig[1]))) {
            return `"field${index}" ${trinoTypeToDuckDb(field)}`;
          }
          const fieldName = first && !isGroup(first) ? first.text.replace(/^"|"$/g, "").toLowerCase() : `field${index}`;
          return `"${fieldName}" ${trinoTypeToDuckDb(sig.slice(1))}`;
        })
        .join(", ")})`;
    case "decimal":
    case "numeric": {
      const [p, s] = splitCommas(args?.children ?? []).map((a) => textOf(a).trim());
      return p ? `DECIMAL(${p}, ${s || "0"})` : "DECIMAL(38, 0)";
    }
    case "timestamp":
    case "time": {
      const zoned = words.includes("with") && words.includes("zone") && !words.includes("without");
      if (name === "time") return zoned ? "TIMETZ" : "TIME";
      return zoned ? "TIMESTAMPTZ" : "TIMESTAMP";
    }
    case "double":
      return "DOUBLE";
    case "interval":
      return "INTERVAL";
    default: {
      const simple = SIMPLE[name];
      if (!simple) throw new UnsupportedTypeError(`Unknown type: ${textOf(parts)}`);
      return simple;
    }
  }
}

function textOf(nodes: Node[]): string {
  return nodes.map((n) => (isGroup(n) ? n.open.text + textOf(n.children) + n.close.text : n.text)).join("");
}

/** Hive DDL type text (`array<struct<a:int,b:string>>`) → DuckDB. */
export function hiveTypeToDuckDb(type: string): string {
  let pos = 0;
  const src = type.replace(/\s+/g, "");
  const parse = (): string => {
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(pos));
    if (!m) throw new UnsupportedTypeError(`Unknown type: ${type}`);
    pos += m[0].length;
    const name = m[0].toLowerCase();
    if (src[pos] === "<") {
      pos++;
      if (name === "array") {
        const inner = parse();
        pos++; // >
        return `${inner}[]`;
      }
      if (name === "map") {
        const k = parse();
        pos++; // ,
        const v = parse();
        pos++;
        return `MAP(${k}, ${v})`;
      }
      if (name === "struct") {
        const fields: string[] = [];
        while (src[pos] !== ">") {
          const f = /^[^:]+/.exec(src.slice(pos))![0];
          pos += f.length + 1;
          fields.push(`"${f.replace(/`/g, "").toLowerCase()}" ${parse()}`);
          if (src[pos] === ",") pos++;
        }
        pos++;
        return `STRUCT(${fields.join(", ")})`;
      }
      throw new UnsupportedTypeError(`Unknown type: ${type}`);
    }
    if (src[pos] === "(") {
      const close = src.indexOf(")", pos);
      const args = src.slice(pos + 1, close);
      pos = close + 1;
      if (name === "decimal") return `DECIMAL(${args})`;
      return SIMPLE[name] ?? name.toUpperCase();
    }
    if (name === "decimal") return "DECIMAL(10, 0)";
    if (name === "timestamp") return "TIMESTAMP";
    const simple = SIMPLE[name];
    if (!simple) throw new UnsupportedTypeError(`Unknown type: ${type}`);
    return simple;
  };
  return parse();
}
