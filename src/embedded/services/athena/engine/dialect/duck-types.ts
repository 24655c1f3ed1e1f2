import type { DuckDBType } from "@duckdb/node-api";

/**
 * DuckDB result types, parsed from their text (`DuckDBType.toString()`: `STRUCT("a" INTEGER, "b" VARCHAR[])`,
 * `MAP(VARCHAR, BIGINT)`, `DECIMAL(10,2)`) into a tree that rendering and ColumnInfo walk. Parsed once per text.
 */

export type DuckTypeNode =
  | { kind: "scalar"; name: string }
  | { kind: "decimal"; precision: number; scale: number }
  | { kind: "list"; element: DuckTypeNode }
  | { kind: "struct"; fields: { name: string; type: DuckTypeNode }[] }
  | { kind: "map"; key: DuckTypeNode; value: DuckTypeNode };

const cache = new Map<string, DuckTypeNode>();

/** The text of a DuckDB type with aliases kept (`JSON` prints as VARCHAR through toString()). */
export function duckTypeText(type: DuckDBType | string): string {
  if (typeof type === "string") return type;
  if (type.alias) return type.alias.toUpperCase();
  const t = type as DuckDBType & { valueType?: DuckDBType; keyType?: DuckDBType; entryNames?: string[]; entryTypes?: DuckDBType[] };
  switch (type.typeId) {
    case 24: // LIST
      return `${duckTypeText(t.valueType!)}[]`;
    case 33: // ARRAY (fixed size): a Trino array too
      return `${duckTypeText(t.valueType!)}[]`;
    case 25: // STRUCT
      return `STRUCT(${t.entryNames!.map((n, i) => `"${n.replace(/"/g, '""')}" ${duckTypeText(t.entryTypes![i]!)}`).join(", ")})`;
    case 26: // MAP
      return `MAP(${duckTypeText(t.keyType!)}, ${duckTypeText(t.valueType!)})`;
    default:
      return type.toString();
  }
}

export function parseDuckType(text: string): DuckTypeNode {
  let parsed = cache.get(text);
  if (!parsed) {
    const parser = new TypeParser(text);
    parsed = parser.parse();
    if (cache.size > 10_000) cache.clear();
    cache.set(text, parsed);
  }
  return parsed;
}

class TypeParser {
  private pos = 0;
  constructor(private readonly text: string) {}

  parse(): DuckTypeNode {
    let type = this.base();
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] !== "[") return type;
      const close = this.text.indexOf("]", this.pos);
      this.pos = close < 0 ? this.text.length : close + 1;
      type = { kind: "list", element: type };
    }
  }

  private skipSpace(): void {
    while (this.text[this.pos] === " ") this.pos++;
  }

  private base(): DuckTypeNode {
    this.skipSpace();
    const m = /^[A-Za-z_][A-Za-z0-9_]*(?: WITH TIME ZONE)?/.exec(this.text.slice(this.pos));
    const name = m ? m[0].toUpperCase() : "";
    this.pos += m ? m[0].length : 1;
    this.skipSpace();
    if (this.text[this.pos] !== "(") return { kind: "scalar", name };
    this.pos++;
    if (name === "DECIMAL" || name === "NUMERIC") {
      const close = this.text.indexOf(")", this.pos);
      const [p, s] = this.text.slice(this.pos, close).split(",").map((x) => Number(x.trim()));
      this.pos = close + 1;
      return { kind: "decimal", precision: p ?? 18, scale: s ?? 0 };
    }
    if (name === "MAP") {
      const key = this.parse();
      this.expect(",");
      const value = this.parse();
      this.expect(")");
      return { kind: "map", key, value };
    }
    if (name === "STRUCT" || name === "UNION") {
      const fields: { name: string; type: DuckTypeNode }[] = [];
      for (;;) {
        this.skipSpace();
        if (this.text[this.pos] === ")") {
          this.pos++;
          break;
        }
        const fieldName = this.fieldName();
        const type = this.parse();
        fields.push({ name: fieldName, type });
        this.skipSpace();
        if (this.text[this.pos] === ",") this.pos++;
      }
      return { kind: "struct", fields };
    }
    // VARCHAR(10), ENUM('a', …), TIMESTAMP(3) …: the arguments do not matter here.
    let depth = 1;
    while (this.pos < this.text.length && depth > 0) {
      const c = this.text[this.pos++];
      if (c === "(") depth++;
      else if (c === ")") depth--;
      else if (c === "'") this.pos = this.text.indexOf("'", this.pos) + 1;
    }
    return { kind: "scalar", name };
  }

  private fieldName(): string {
    if (this.text[this.pos] === '"') {
      let out = "";
      this.pos++;
      for (;;) {
        const c = this.text[this.pos++];
        if (c === undefined) return out;
        if (c === '"') {
          if (this.text[this.pos] === '"') {
            out += '"';
            this.pos++;
            continue;
          }
          return out;
        }
        out += c;
      }
    }
    const m = /^[^\s]+/.exec(this.text.slice(this.pos))!;
    this.pos += m[0].length;
    return m[0];
  }

  private expect(c: string): void {
    this.skipSpace();
    if (this.text[this.pos] === c) this.pos++;
  }
}
