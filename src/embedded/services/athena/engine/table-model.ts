import type { Column, StorageDescriptor, Table } from "@aws-sdk/client-glue";
import { AthenaQueryError } from "./types.js";

/** What a Glue table says about reading it: format, SerDe settings, columns, partition keys, location. */

export type DataFormat = "json" | "parquet" | "csv" | "opencsv";

export interface ColumnDef {
  name: string;
  /** Glue type text, e.g. `struct<a:int>`. */
  type: string;
}

export interface ReadSettings {
  format: DataFormat;
  /** JSON: keys match columns whatever their case (OpenX `case.insensitive`, default true). */
  caseInsensitive: boolean;
  /** JSON: a malformed row reads as NULLs instead of failing the query (OpenX `ignore.malformed.json`). */
  ignoreMalformed: boolean;
  /** JSON: the original keys (SerDe `paths`), when known. */
  paths: string[] | undefined;
  /** CSV: the field delimiter (`field.delim` / `separatorChar`). */
  delimiter: string;
  /** CSV: OpenCSVSerde's quote and escape characters. */
  quote: string | undefined;
  escape: string | undefined;
  /** CSV: header lines to skip in each file (`skip.header.line.count`). */
  skipHeaderLines: number;
  /** CSV: the text that reads as NULL (`serialization.null.format`, LazySimpleSerDe default `\N`). */
  nullFormat: string;
}

export interface TableModel {
  database: string;
  name: string;
  columns: ColumnDef[];
  partitionKeys: ColumnDef[];
  location: string | undefined;
  read: ReadSettings;
  parameters: Record<string, string>;
}

const lower = (value: string | undefined): string => (value ?? "").toLowerCase();

export function formatOf(sd: StorageDescriptor | undefined, parameters: Record<string, string>): DataFormat | undefined {
  const serde = lower(sd?.SerdeInfo?.SerializationLibrary);
  const input = lower(sd?.InputFormat);
  if (serde.includes("jsonserde")) return "json";
  if (serde.includes("parquet") || input.includes("parquet")) return "parquet";
  if (serde.includes("opencsvserde")) return "opencsv";
  if (serde.includes("lazysimpleserde")) return "csv";
  const classification = lower(parameters.classification);
  if (classification === "json") return "json";
  if (classification === "parquet") return "parquet";
  if (classification === "csv") return "csv";
  return undefined;
}

function columnsOf(columns: Column[] | undefined): ColumnDef[] {
  return (columns ?? []).map((c) => ({ name: (c.Name ?? "").toLowerCase(), type: c.Type ?? "string" }));
}

/** Control characters are written in DDL as octal escapes (`\001`) or as the character itself. */
function delimiterOf(text: string | undefined): string {
  if (text === undefined || text === "") return "\u0001";
  if (/^\\[0-7]{1,3}$/.test(text)) return String.fromCharCode(parseInt(text.slice(1), 8));
  if (text === "\\t") return "\t";
  return text[0]!;
}

export function tableModel(table: Table): TableModel {
  const sd = table.StorageDescriptor;
  const parameters = { ...(table.Parameters ?? {}) };
  const format = formatOf(sd, parameters);
  const name = `${table.DatabaseName}.${table.Name}`;
  if (!format) {
    throw new AthenaQueryError("HIVE_UNSUPPORTED_FORMAT", `HIVE_UNSUPPORTED_FORMAT: Unable to create input format for table '${name}' (SerDe ${sd?.SerdeInfo?.SerializationLibrary ?? "none"})`, 2);
  }
  const serde = sd?.SerdeInfo?.Parameters ?? {};
  const isTrue = (value: string | undefined, fallback: boolean) => (value === undefined ? fallback : value.trim().toLowerCase() === "true");
  const skip = Number(parameters["skip.header.line.count"] ?? serde["skip.header.line.count"] ?? "0");
  return {
    database: table.DatabaseName ?? "",
    name: table.Name ?? "",
    columns: columnsOf(sd?.Columns),
    partitionKeys: columnsOf(table.PartitionKeys),
    location: sd?.Location,
    parameters,
    read: {
      format,
      caseInsensitive: isTrue(serde["case.insensitive"], true),
      ignoreMalformed: isTrue(serde["ignore.malformed.json"], false),
      paths: serde.paths ? serde.paths.split(",").map((p) => p.trim()).filter((p) => p !== "") : undefined,
      delimiter: format === "opencsv" ? delimiterOf(serde.separatorChar ?? ",") : delimiterOf(serde["field.delim"] ?? serde["serialization.format"]),
      quote: format === "opencsv" ? (serde.quoteChar ?? '"') : undefined,
      escape: format === "opencsv" ? (serde.escapeChar ?? "\\") : undefined,
      skipHeaderLines: Number.isFinite(skip) && skip > 0 ? Math.floor(skip) : 0,
      nullFormat: serde["serialization.null.format"] ?? "\\N",
    },
  };
}

export function isView(table: Table): boolean {
  return table.TableType === "VIRTUAL_VIEW";
}
