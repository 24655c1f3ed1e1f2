import type { DuckDBResultReader, DuckDBType } from "@duckdb/node-api";
import type { ResultColumn } from "../types.js";
import { describeColumn } from "./column-info.js";
import { duckTypeText, parseDuckType, type DuckTypeNode } from "./duck-types.js";
import { javaDoubleToString, javaFloatToString } from "./java-numbers.js";

/**
 * DuckDB values (as `DuckDBResultReader.getRows()` returns them: DuckDBValue objects that keep exact bigints,
 * decimals and microsecond timestamps) → the text Athena prints in the result CSV and GetQueryResults.
 */

export function renderValue(value: unknown, duckType: string | DuckDBType): string | null {
  if (value === null || value === undefined) return null;
  return render(value, parseDuckType(duckTypeText(duckType)));
}

/** Reads every row of a result as Athena renders it, with its ColumnInfo. */
export function readRows(reader: DuckDBResultReader): { columns: ResultColumn[]; rows: (string | null)[][] } {
  const types = reader.columnTypes().map((t) => duckTypeText(t));
  const columns = reader.columnNames().map((name, i) => describeColumn(name, types[i]!));
  const parsed = types.map((t) => parseDuckType(t));
  const rows = reader.getRows().map((row) => row.map((v, i) => (v === null || v === undefined ? null : render(v, parsed[i]!))));
  return { columns, rows };
}

function render(value: unknown, type: DuckTypeNode): string {
  if (value === null || value === undefined) return "null";
  switch (type.kind) {
    case "list": {
      const items = (value as { items: readonly unknown[] }).items;
      return `[${items.map((v) => render(v, type.element)).join(", ")}]`;
    }
    case "map": {
      const entries = (value as { entries: { key: unknown; value: unknown }[] }).entries;
      return `{${entries.map((e) => `${render(e.key, type.key)}=${render(e.value, type.value)}`).join(", ")}}`;
    }
    case "struct": {
      const entries = (value as { entries: Record<string, unknown> }).entries;
      return `{${type.fields.map((f) => `${f.name}=${render(entries[f.name], f.type)}`).join(", ")}}`;
    }
    case "decimal":
      return String(value);
    case "scalar":
      return renderScalar(value, type.name);
  }
}

function renderScalar(value: unknown, name: string): string {
  switch (name) {
    case "DOUBLE":
      return javaDoubleToString(Number(value));
    case "FLOAT":
    case "REAL":
      return javaFloatToString(Number(value));
    case "BOOLEAN":
      return value ? "true" : "false";
    case "TIMESTAMP":
    case "TIMESTAMP_S":
    case "TIMESTAMP_MS":
    case "TIMESTAMP_NS":
      return timestampText(value, name);
    case "TIMESTAMP WITH TIME ZONE":
      return `${timestampText(value, "TIMESTAMP")} UTC`;
    case "TIME":
      return timeText(BigInt((value as { micros: bigint }).micros));
    case "INTERVAL":
      return intervalText(value as { months: number; days: number; micros: bigint });
    case "BLOB":
      return Array.from((value as { bytes: Uint8Array }).bytes, (b) => b.toString(16).padStart(2, "0")).join(" ");
    default:
      return String(value);
  }
}

/** Athena's timestamps are timestamp(3): `2025-06-23 10:00:00.000`. */
function timestampText(value: unknown, name: string): string {
  const v = value as { micros?: bigint; millis?: bigint; seconds?: bigint; nanos?: bigint };
  let micros: bigint;
  if (name === "TIMESTAMP_S" && v.seconds !== undefined) micros = v.seconds * 1_000_000n;
  else if (name === "TIMESTAMP_MS" && v.millis !== undefined) micros = v.millis * 1000n;
  else if (name === "TIMESTAMP_NS" && v.nanos !== undefined) micros = v.nanos / 1000n;
  else micros = v.micros ?? 0n;
  let millis = micros / 1000n;
  if (micros < 0n && micros % 1000n !== 0n) millis -= 1n; // floor, not truncation
  const date = new Date(Number(millis));
  if (Number.isNaN(date.getTime())) return String(value);
  const iso = date.toISOString(); // 2025-06-23T10:00:00.000Z, or ±YYYYYY-… outside 0000–9999
  return iso.replace("T", " ").replace(/Z$/, "");
}

function timeText(micros: bigint): string {
  const ms = Number(micros / 1000n);
  const pad = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${pad(Math.floor(ms / 3_600_000))}:${pad(Math.floor(ms / 60_000) % 60)}:${pad(Math.floor(ms / 1000) % 60)}.${pad(ms % 1000, 3)}`;
}

/** Trino prints `interval day to second` as `1 02:03:04.000`, `interval year to month` as `1-2`. */
function intervalText(value: { months: number; days: number; micros: bigint }): string {
  if (value.months !== 0 && value.days === 0 && value.micros === 0n) {
    const sign = value.months < 0 ? "-" : "";
    const m = Math.abs(value.months);
    return `${sign}${Math.floor(m / 12)}-${m % 12}`;
  }
  const total = BigInt(value.days) * 86_400_000_000n + BigInt(value.micros);
  const sign = total < 0n ? "-" : "";
  const abs = total < 0n ? -total : total;
  const days = abs / 86_400_000_000n;
  return `${sign}${days} ${timeText(abs % 86_400_000_000n)}`;
}
