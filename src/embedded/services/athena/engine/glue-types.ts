import { DuckDBTypeId, type DuckDBDecimalType, type DuckDBListType, type DuckDBMapType, type DuckDBStructType, type DuckDBType, type DuckDBArrayType } from "@duckdb/node-api";
import { quoteIdent } from "./sql-text.js";

/**
 * Glue (Hive) column types and DuckDB types, both ways: a table's columns become the `columns={…}` of a reader and
 * the casts of a scan; a CTAS result's DuckDB types become the new table's Glue columns.
 */

export type GlueType =
  | { kind: "primitive"; name: string; precision?: number; scale?: number }
  | { kind: "array"; element: GlueType }
  | { kind: "map"; key: GlueType; value: GlueType }
  | { kind: "struct"; fields: { name: string; type: GlueType }[] };

export class GlueTypeError extends Error {}

/** Parses `struct<a:int,b:array<string>>`, `decimal(10,2)`, `varchar(20)` … (case-insensitive). */
export function parseGlueType(text: string): GlueType {
  const parser = new TypeParser(text);
  const type = parser.type();
  parser.end();
  return type;
}

class TypeParser {
  private i = 0;
  constructor(private readonly text: string) {}

  type(): GlueType {
    const name = this.word().toLowerCase();
    if (name === "array") {
      this.expect("<");
      const element = this.type();
      this.expect(">");
      return { kind: "array", element };
    }
    if (name === "map") {
      this.expect("<");
      const key = this.type();
      this.expect(",");
      const value = this.type();
      this.expect(">");
      return { kind: "map", key, value };
    }
    if (name === "struct") {
      this.expect("<");
      const fields: { name: string; type: GlueType }[] = [];
      if (!this.accept(">")) {
        do {
          const field = this.fieldName();
          this.expect(":");
          fields.push({ name: field, type: this.type() });
        } while (this.accept(","));
        this.expect(">");
      }
      return { kind: "struct", fields };
    }
    if (this.accept("(")) {
      const precision = Number(this.word());
      const scale = this.accept(",") ? Number(this.word()) : undefined;
      this.expect(")");
      return { kind: "primitive", name, precision, scale };
    }
    return { kind: "primitive", name };
  }

  end(): void {
    this.skipBlanks();
    if (this.i < this.text.length) throw new GlueTypeError(`unexpected '${this.text.slice(this.i)}' in type '${this.text}'`);
  }

  private fieldName(): string {
    this.skipBlanks();
    if (this.text[this.i] === "`") {
      const close = this.text.indexOf("`", this.i + 1);
      if (close < 0) throw new GlueTypeError(`unterminated field name in type '${this.text}'`);
      const name = this.text.slice(this.i + 1, close);
      this.i = close + 1;
      return name;
    }
    return this.word();
  }

  private word(): string {
    this.skipBlanks();
    const match = /^[A-Za-z0-9_$]+/.exec(this.text.slice(this.i));
    if (!match) throw new GlueTypeError(`expected a name at position ${this.i + 1} of type '${this.text}'`);
    this.i += match[0].length;
    return match[0];
  }

  private accept(symbol: string): boolean {
    this.skipBlanks();
    if (this.text[this.i] !== symbol) return false;
    this.i++;
    return true;
  }

  private expect(symbol: string): void {
    if (!this.accept(symbol)) throw new GlueTypeError(`expected '${symbol}' at position ${this.i + 1} of type '${this.text}'`);
  }

  private skipBlanks(): void {
    while (this.i < this.text.length && /\s/.test(this.text[this.i]!)) this.i++;
  }
}

const PRIMITIVES: Record<string, string> = {
  string: "VARCHAR",
  varchar: "VARCHAR",
  char: "VARCHAR",
  int: "INTEGER",
  integer: "INTEGER",
  bigint: "BIGINT",
  smallint: "SMALLINT",
  tinyint: "TINYINT",
  double: "DOUBLE",
  float: "FLOAT",
  real: "FLOAT",
  boolean: "BOOLEAN",
  date: "DATE",
  timestamp: "TIMESTAMP",
  binary: "BLOB",
  varbinary: "BLOB",
};

/** The DuckDB type a Glue type is read as. */
export function duckTypeOf(type: GlueType): string {
  switch (type.kind) {
    case "array":
      return `${duckTypeOf(type.element)}[]`;
    case "map":
      return `MAP(${duckTypeOf(type.key)}, ${duckTypeOf(type.value)})`;
    case "struct":
      return `STRUCT(${type.fields.map((f) => `${quoteIdent(f.name)} ${duckTypeOf(f.type)}`).join(", ")})`;
    case "primitive": {
      if (type.name === "decimal" || type.name === "numeric") return `DECIMAL(${Math.min(type.precision ?? 10, 38)}, ${type.scale ?? 0})`;
      const duck = PRIMITIVES[type.name];
      if (!duck) throw new GlueTypeError(`Unknown type '${type.name}'`);
      return duck;
    }
  }
}

export function duckTypeOfGlue(text: string): string {
  return duckTypeOf(parseGlueType(text));
}

/** The Glue type a DuckDB result column is stored as (CTAS, views). Types Hive lacks widen to one it has. */
export function glueTypeOfDuck(type: DuckDBType): string {
  switch (type.typeId) {
    case DuckDBTypeId.BOOLEAN:
      return "boolean";
    case DuckDBTypeId.TINYINT:
      return "tinyint";
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.UTINYINT:
      return "smallint";
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.USMALLINT:
      return "int";
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UINTEGER:
      return "bigint";
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
    case DuckDBTypeId.BIGNUM:
      return "decimal(38,0)";
    case DuckDBTypeId.FLOAT:
      return "float";
    case DuckDBTypeId.DOUBLE:
      return "double";
    case DuckDBTypeId.DECIMAL: {
      const d = type as DuckDBDecimalType;
      return `decimal(${d.width},${d.scale})`;
    }
    case DuckDBTypeId.DATE:
      return "date";
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_NS:
    case DuckDBTypeId.TIMESTAMP_TZ:
      return "timestamp";
    case DuckDBTypeId.BLOB:
      return "binary";
    case DuckDBTypeId.LIST:
      return `array<${glueTypeOfDuck((type as DuckDBListType).valueType)}>`;
    case DuckDBTypeId.ARRAY:
      return `array<${glueTypeOfDuck((type as DuckDBArrayType).valueType)}>`;
    case DuckDBTypeId.MAP: {
      const m = type as DuckDBMapType;
      return `map<${glueTypeOfDuck(m.keyType)},${glueTypeOfDuck(m.valueType)}>`;
    }
    case DuckDBTypeId.STRUCT: {
      const s = type as DuckDBStructType;
      return `struct<${s.entryNames.map((n, i) => `${n}:${glueTypeOfDuck(s.entryTypes[i]!)}`).join(",")}>`;
    }
    default:
      // VARCHAR, UUID, JSON, TIME, INTERVAL, ENUM, NULL …: Hive has string for all of them.
      return "string";
  }
}

/** A Glue type in Trino's spelling, as DESCRIBE and view definitions show it (`varchar`, `integer`, `row(…)`). */
export function trinoTypeOfGlue(text: string): string {
  const spell = (type: GlueType): string => {
    switch (type.kind) {
      case "array":
        return `array(${spell(type.element)})`;
      case "map":
        return `map(${spell(type.key)}, ${spell(type.value)})`;
      case "struct":
        return `row(${type.fields.map((f) => `${f.name} ${spell(f.type)}`).join(", ")})`;
      case "primitive": {
        const names: Record<string, string> = { string: "varchar", int: "integer", float: "real", binary: "varbinary" };
        if (type.name === "decimal") return `decimal(${type.precision ?? 10},${type.scale ?? 0})`;
        if ((type.name === "varchar" || type.name === "char") && type.precision !== undefined) return `${type.name}(${type.precision})`;
        return names[type.name] ?? type.name;
      }
    }
  };
  return spell(parseGlueType(text));
}
