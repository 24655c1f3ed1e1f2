import type { DuckDBType } from "@duckdb/node-api";
import type { ResultColumn } from "../types.js";
import { duckTypeText, parseDuckType, type DuckTypeNode } from "./duck-types.js";

/**
 * DuckDB result column type → Athena's ColumnInfo (Trino type name, JDBC-style precision and scale). Athena reports
 * Nullable UNKNOWN for query results.
 */

const SCALARS: Record<string, { type: string; precision: number }> = {
  VARCHAR: { type: "varchar", precision: 2147483647 },
  BIGINT: { type: "bigint", precision: 19 },
  // DuckDB's count/sum produce HUGEINT and unsigned integers where Trino has bigint.
  HUGEINT: { type: "bigint", precision: 19 },
  UBIGINT: { type: "bigint", precision: 19 },
  UINTEGER: { type: "bigint", precision: 19 },
  UHUGEINT: { type: "bigint", precision: 19 },
  INTEGER: { type: "integer", precision: 10 },
  USMALLINT: { type: "integer", precision: 10 },
  SMALLINT: { type: "smallint", precision: 5 },
  UTINYINT: { type: "smallint", precision: 5 },
  TINYINT: { type: "tinyint", precision: 3 },
  DOUBLE: { type: "double", precision: 17 },
  FLOAT: { type: "real", precision: 7 },
  REAL: { type: "real", precision: 7 },
  BOOLEAN: { type: "boolean", precision: 0 },
  DATE: { type: "date", precision: 0 },
  TIMESTAMP: { type: "timestamp", precision: 3 },
  TIMESTAMP_S: { type: "timestamp", precision: 3 },
  TIMESTAMP_MS: { type: "timestamp", precision: 3 },
  TIMESTAMP_NS: { type: "timestamp", precision: 3 },
  "TIMESTAMP WITH TIME ZONE": { type: "timestamp with time zone", precision: 3 },
  TIME: { type: "time", precision: 3 },
  "TIME WITH TIME ZONE": { type: "time with time zone", precision: 3 },
  INTERVAL: { type: "interval day to second", precision: 0 },
  BLOB: { type: "varbinary", precision: 2147483647 },
  JSON: { type: "json", precision: 0 },
  UUID: { type: "uuid", precision: 0 },
  '"NULL"': { type: "unknown", precision: 0 },
  NULL: { type: "unknown", precision: 0 },
};

export function describeColumn(name: string, duckType: string | DuckDBType): ResultColumn {
  const { type, precision, scale } = trinoType(parseDuckType(duckTypeText(duckType)));
  return { name, type, precision, scale, nullable: "UNKNOWN" };
}

function trinoType(node: DuckTypeNode): { type: string; precision: number; scale: number } {
  switch (node.kind) {
    case "list":
      return { type: "array", precision: 0, scale: 0 };
    case "map":
      return { type: "map", precision: 0, scale: 0 };
    case "struct":
      return { type: "row", precision: 0, scale: 0 };
    case "decimal":
      return { type: "decimal", precision: node.precision, scale: node.scale };
    case "scalar": {
      const known = SCALARS[node.name];
      return known ? { type: known.type, precision: known.precision, scale: 0 } : { type: "varchar", precision: 2147483647, scale: 0 };
    }
  }
}

/** The full Trino type text (`array(varchar)`, `row(a bigint, b varchar)`), as DESCRIBE and the .metadata file show it. */
export function trinoTypeName(duckType: string | DuckDBType): string {
  const full = (node: DuckTypeNode): string => {
    switch (node.kind) {
      case "list":
        return `array(${full(node.element)})`;
      case "map":
        return `map(${full(node.key)}, ${full(node.value)})`;
      case "struct":
        return `row(${node.fields.map((f) => `${f.name} ${full(f.type)}`).join(", ")})`;
      case "decimal":
        return `decimal(${node.precision},${node.scale})`;
      case "scalar":
        return node.name === "TIMESTAMP" ? "timestamp(3)" : (SCALARS[node.name]?.type ?? "varchar");
    }
  };
  return full(parseDuckType(duckTypeText(duckType)));
}
