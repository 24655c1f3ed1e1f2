import { open } from "node:fs/promises";
import type { ColumnInfo } from "@aws-sdk/client-athena";
import type { ResultColumn, StatementResult } from "./engine/types.js";

/**
 * The files a finished query leaves in its output location, as Athena writes them, and their reading back:
 *
 * - `<id>.csv` (DML): a header row of the column names, then one line per row; every value double-quoted (`"` doubled
 *   inside), SQL NULL as an empty unquoted field, lines ending in `\n`.
 * - `<id>.txt` (DDL and utility statements: SHOW, DESCRIBE, CREATE …): one line per row, values separated by a tab.
 * - `<file>.metadata`: Athena writes a binary (protobuf) file here; this embedded Athena writes documented JSON
 *   instead, a `ResultMetadata` (below): `{"format": "lakewarden-athena-result-metadata", "version": 1,
 *   "statementType", "substatementType", "columns": [ColumnInfo as GetQueryResults returns it], "rowCount",
 *   "updateCount"?, "dataScannedInBytes"}`. GetQueryResults reads the columns from it, so results are read back
 *   from the stored objects alone (they survive restarts, as on Athena).
 */

export const METADATA_FORMAT = "lakewarden-athena-result-metadata";

export interface ResultMetadata {
  format: typeof METADATA_FORMAT;
  version: 1;
  statementType: StatementResult["statementType"];
  substatementType: string;
  columns: ColumnInfo[];
  /** Data rows (the CSV header not counted). */
  rowCount: number;
  updateCount?: number;
  dataScannedInBytes: number;
}

export type ResultKind = "csv" | "txt";

/** Athena writes DML results as CSV and everything else (DDL, SHOW, DESCRIBE …) as text. */
export const resultKind = (statementType: string): ResultKind => (statementType === "DML" ? "csv" : "txt");

const STRING_TYPES = /^(varchar|char|string|json)/;

/** A result column as ResultSetMetadata.ColumnInfo describes it. */
export function columnInfo(column: ResultColumn): ColumnInfo {
  return {
    CatalogName: "hive",
    SchemaName: "",
    TableName: "",
    Name: column.name,
    Label: column.name,
    Type: column.type,
    Precision: column.precision,
    Scale: column.scale,
    Nullable: column.nullable,
    CaseSensitive: STRING_TYPES.test(column.type),
  };
}

const quote = (value: string) => `"${value.replace(/"/g, '""')}"`;

export function renderCsv(columns: readonly ResultColumn[], rows: readonly (string | null)[][]): Buffer {
  const lines = [columns.map((c) => quote(c.name)).join(",")];
  for (const row of rows) lines.push(row.map((v) => (v === null ? "" : quote(v))).join(","));
  return Buffer.from(lines.join("\n") + "\n", "utf8");
}

export function renderText(rows: readonly (string | null)[][]): Buffer {
  if (!rows.length) return Buffer.alloc(0);
  return Buffer.from(rows.map((row) => row.map((v) => v ?? "").join("\t")).join("\n") + "\n", "utf8");
}

export function renderMetadata(result: StatementResult): Buffer {
  const metadata: ResultMetadata = {
    format: METADATA_FORMAT,
    version: 1,
    statementType: result.statementType,
    substatementType: result.substatementType,
    columns: result.columns.map(columnInfo),
    rowCount: result.rows.length,
    ...(result.updateCount !== undefined ? { updateCount: result.updateCount } : {}),
    dataScannedInBytes: result.dataScannedBytes,
  };
  return Buffer.from(JSON.stringify(metadata), "utf8");
}

export function parseMetadata(text: string): ResultMetadata | undefined {
  try {
    const value = JSON.parse(text) as ResultMetadata;
    return value.format === METADATA_FORMAT && Array.isArray(value.columns) ? value : undefined;
  } catch {
    return undefined;
  }
}

// ------------------------------------------------------------------------------------------------ reading back

export interface ResultPage {
  rows: (string | null)[][];
  /** Byte offset just after the last row returned. */
  next: number;
  /** Whether the file has no row after them. */
  done: boolean;
}

const CHUNK = 256 * 1024;
const QUOTE = 0x22;
const COMMA = 0x2c;
const NEWLINE = 0x0a;
const TAB = 0x09;

/**
 * Up to `max` rows of a result file from byte `offset` (a row boundary): pages cost what they read, however deep
 * into a large result they start.
 */
export async function readResultPage(file: string, kind: ResultKind, offset: number, max: number): Promise<ResultPage> {
  const handle = await open(file, "r");
  try {
    const rows: (string | null)[][] = [];
    let buffer = Buffer.alloc(0);
    let base = offset; // file position of buffer[0]
    let eof = false;
    for (;;) {
      const parsed = kind === "csv" ? parseCsv(buffer, max - rows.length, eof) : parseText(buffer, max - rows.length, eof);
      rows.push(...parsed.rows);
      buffer = buffer.subarray(parsed.consumed);
      base += parsed.consumed;
      if (rows.length === max || eof) {
        const done = eof ? buffer.length === 0 : (await handle.read(Buffer.alloc(1), 0, 1, base)).bytesRead === 0;
        return { rows, next: base, done };
      }
      const chunk = Buffer.alloc(CHUNK);
      const { bytesRead } = await handle.read(chunk, 0, CHUNK, base + buffer.length);
      if (bytesRead === 0) eof = true;
      buffer = Buffer.concat([buffer, chunk.subarray(0, bytesRead)]);
    }
  } finally {
    await handle.close();
  }
}

interface Parsed {
  rows: (string | null)[][];
  consumed: number;
}

/** Complete CSV records of `buf` (the last one may lack its `\n` only at the end of the file). */
function parseCsv(buf: Buffer, max: number, eof: boolean): Parsed {
  const rows: (string | null)[][] = [];
  let consumed = 0;
  let i = 0;
  while (rows.length < max && i < buf.length) {
    const row: (string | null)[] = [];
    let complete = false;
    for (;;) {
      if (i < buf.length && buf[i] === QUOTE) {
        // A quoted field: up to the closing quote, `""` standing for one quote.
        let j = i + 1;
        const parts: Buffer[] = [];
        let start = j;
        let closed = false;
        while (j < buf.length) {
          if (buf[j] === QUOTE) {
            if (buf[j + 1] === QUOTE) {
              parts.push(buf.subarray(start, j + 1));
              j += 2;
              start = j;
              continue;
            }
            if (j + 1 >= buf.length && !eof) break; // cannot yet tell `"` from `""`
            parts.push(buf.subarray(start, j));
            closed = true;
            j++;
            break;
          }
          j++;
        }
        if (!closed) return { rows, consumed };
        row.push(Buffer.concat(parts).toString("utf8"));
        i = j;
      } else {
        let j = i;
        while (j < buf.length && buf[j] !== COMMA && buf[j] !== NEWLINE) j++;
        if (j >= buf.length && !eof) return { rows, consumed };
        row.push(j === i ? null : buf.subarray(i, j).toString("utf8"));
        i = j;
      }
      if (i < buf.length && buf[i] === COMMA) {
        i++;
        continue;
      }
      if (i < buf.length && buf[i] === NEWLINE) {
        i++;
        complete = true;
      } else if (i >= buf.length && eof) complete = true;
      break;
    }
    if (!complete) return { rows, consumed };
    rows.push(row);
    consumed = i;
  }
  return { rows, consumed };
}

function parseText(buf: Buffer, max: number, eof: boolean): Parsed {
  const rows: (string | null)[][] = [];
  let consumed = 0;
  while (rows.length < max && consumed < buf.length) {
    let end = buf.indexOf(NEWLINE, consumed);
    if (end < 0) {
      if (!eof) break;
      end = buf.length;
    }
    const line = buf.subarray(consumed, end);
    const fields: string[] = [];
    let start = 0;
    for (let k = 0; k <= line.length; k++) {
      if (k === line.length || line[k] === TAB) {
        fields.push(line.subarray(start, k).toString("utf8"));
        start = k + 1;
      }
    }
    rows.push(fields);
    consumed = Math.min(end + 1, buf.length);
  }
  return { rows, consumed };
}
