import { readdirSync, rmSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import type { PartitionInput, Table, TableInput } from "@aws-sdk/client-glue";
import { putStoredObject } from "../../s3/object-store.js";
import { ddlDone, requireDatabase, requireTable, targetOf } from "./ddl-common.js";
import { partitionInput, partitionPath } from "./ddl-partitions.js";
import { DDL_OWNER, FORMATS } from "./ddl-tables.js";
import { userError } from "./errors.js";
import { duckTypeOfGlue, glueTypeOfDuck } from "./glue-types.js";
import { listDataFiles, parseS3Location, s3Url, type S3Location } from "./s3-files.js";
import { planOnly, plannedQuery } from "./select.js";
import type { Session } from "./session.js";
import { quoteIdent, quoteString } from "./sql-text.js";
import type { CreateStatement, PropertyValue } from "./statement-create.js";
import type { Statement } from "./statement.js";
import { formatOf, type ColumnDef } from "./table-model.js";
import type { StatementResult } from "./types.js";

/**
 * CREATE TABLE AS SELECT and INSERT INTO: the query's rows are written by DuckDB (COPY) into the engine's scratch
 * folder, then stored as S3 objects under the table's (or partition's) location, and the table and its new
 * partitions are registered in the catalog.
 */

type WriteFormat = "parquet" | "json" | "csv";

interface WriteSpec {
  format: WriteFormat;
  /** DuckDB COPY compression: gzip, snappy, zstd, uncompressed. */
  compression: string;
  delimiter: string;
  columns: ColumnDef[];
  partitionKeys: ColumnDef[];
}

interface WrittenFile {
  path: string;
  values: string[];
}

const OUT_TABLE = "__lw_out";

/** Athena's write_compression names → DuckDB's COPY compression. */
const COMPRESSIONS: Record<string, string> = { GZIP: "gzip", SNAPPY: "snappy", ZSTD: "zstd", NONE: "uncompressed", UNCOMPRESSED: "uncompressed" };

export async function createTableAs(session: Session, sql: string, statement: Extract<CreateStatement, { kind: "createTableAs" }>): Promise<StatementResult> {
  const target = targetOf(session, sql, statement.name);
  requireDatabase(session, sql, target);
  if (session.catalog.getTable(target.database, target.table)) {
    if (statement.ifNotExists) return { ...ddlDone("CREATE_TABLE_AS_SELECT"), statementType: "DML", updateCount: 0 };
    throw userError("ALREADY_EXISTS", `Table '${target.database}.${target.table}' already exists`);
  }
  const props = ctasProperties(statement.properties);
  const location = ctasLocation(session, props.externalLocation, `${target.database}.${target.table}`);
  const query = statement.withData ? await plannedQuery(session, statement.query) : await planOnly(session, statement.query);
  const columns = await materialize(session, query, statement.withData);
  const partitionKeys = props.partitionedBy.map((name) => columns.find((c) => c.name === name) ?? missingPartitionColumn(name));
  const tail = columns.slice(columns.length - partitionKeys.length).map((c) => c.name);
  if (partitionKeys.length > 0 && tail.join(",") !== props.partitionedBy.join(",")) {
    throw userError("HIVE_COLUMN_ORDER_MISMATCH", `Partition keys must be the last columns in the table and in the same order as the table properties: [${props.partitionedBy.join(", ")}]`);
  }
  if (partitionKeys.length === columns.length) throw userError("INVALID_TABLE_PROPERTY", "A table must have at least one column that is not a partition column");
  const spec: WriteSpec = { ...props, columns: columns.slice(0, columns.length - partitionKeys.length), partitionKeys };
  const written = statement.withData ? await writeFiles(session, spec, location, () => undefined) : { rows: 0, partitions: [] };
  session.catalog.putTable(target.database, tableInputOf(target.table, spec, location, props.compressionName));
  const table = session.catalog.getTable(target.database, target.table)!;
  if (written.partitions.length > 0) session.catalog.putPartitions(target.database, target.table, written.partitions.map(([values, at]) => partitionInput(table, values, at)));
  const scanned = statement.withData ? session.scannedBytes : 0;
  return { ...ddlDone("CREATE_TABLE_AS_SELECT", scanned), statementType: "DML", updateCount: written.rows };
}

export async function insertInto(session: Session, sql: string, statement: Extract<Statement, { kind: "insert" }>): Promise<StatementResult> {
  const target = targetOf(session, sql, statement.table);
  const table = requireTable(session, sql, target);
  if (table.TableType === "VIRTUAL_VIEW") throw userError("NOT_SUPPORTED", `Inserting into views is not supported: '${target.database}.${target.table}'`);
  const spec = insertSpec(table);
  const location = parseS3Location(table.StorageDescriptor?.Location);
  if (!location) throw userError("HIVE_METASTORE_ERROR", `Table '${target.database}.${target.table}' has no S3 location`);
  const targets = [...spec.columns, ...spec.partitionKeys];
  const named = statement.columns ?? targets.map((c) => c.name);
  const unknown = named.find((n) => !targets.some((c) => c.name === n));
  if (unknown) throw userError("COLUMN_NOT_FOUND", `Insert column name does not exist in target table: ${unknown}`);
  const query = await plannedQuery(session, statement.query);
  const probe = await session.con.runAndReadAll(`SELECT * FROM (${query}) AS __lw_q LIMIT 0`);
  const width = probe.columnCount;
  if (width !== named.length) throw userError("TYPE_MISMATCH", `Insert query has ${width} columns but the target table has ${named.length}${statement.columns ? " listed" : ""} columns`);
  const sourceNames = probe.columnNames();
  const select = targets
    .map((c) => {
      const at = named.indexOf(c.name);
      const value = at < 0 ? "NULL" : `__lw_q.${quoteIdent(sourceNames[at]!)}`;
      return `CAST(${value} AS ${duckTypeOfGlue(c.type)}) AS ${quoteIdent(c.name)}`;
    })
    .join(", ");
  await session.con.run(`CREATE TEMP TABLE ${OUT_TABLE} AS SELECT ${select} FROM (${query}) AS __lw_q`);
  // New files go into the partition's registered folder when it exists, else a Hive-style folder of the table's.
  const existing = new Map(session.catalog.getPartitions(target.database, target.table).map((p) => [JSON.stringify(p.Values), parseS3Location(p.StorageDescriptor?.Location)]));
  const written = await writeFiles(session, spec, location, (values) => existing.get(JSON.stringify(values)));
  const added = written.partitions.filter(([values]) => !existing.has(JSON.stringify(values)));
  if (added.length > 0) session.catalog.putPartitions(target.database, target.table, added.map(([values, at]): PartitionInput => partitionInput(table, values, at)));
  return { ...ddlDone("INSERT", session.scannedBytes), statementType: "DML", updateCount: written.rows };
}

function missingPartitionColumn(name: string): never {
  throw userError("INVALID_TABLE_PROPERTY", `Partition column '${name}' is not a column of the query`);
}

interface CtasProperties {
  format: WriteFormat;
  compression: string;
  delimiter: string;
  partitionedBy: string[];
  externalLocation?: string;
  /** Compression as Athena names it, for the table's parameters. */
  compressionName: string;
}

function ctasProperties(properties: Record<string, PropertyValue>): CtasProperties {
  const text = (key: string): string | undefined => {
    const value = properties[key];
    if (value === undefined) return undefined;
    if (Array.isArray(value)) throw userError("INVALID_TABLE_PROPERTY", `Table property '${key}' must be a string`);
    return value;
  };
  const known = new Set(["format", "external_location", "partitioned_by", "write_compression", "parquet_compression", "orc_compression", "field_delimiter", "bucketed_by", "bucket_count", "table_type", "is_external"]);
  const unknown = Object.keys(properties).find((k) => !known.has(k));
  if (unknown) throw userError("INVALID_TABLE_PROPERTY", `Catalog 'awsdatacatalog' table property '${unknown}' does not exist`);
  const formatName = (text("format") ?? "PARQUET").toUpperCase();
  const format: WriteFormat | undefined = formatName === "PARQUET" ? "parquet" : formatName === "JSON" ? "json" : formatName === "TEXTFILE" ? "csv" : undefined;
  if (!format) throw userError("NOT_SUPPORTED", `Writing format ${formatName} is not supported by the embedded Athena (PARQUET, JSON, TEXTFILE)`);
  const compressionName = (text("write_compression") ?? text("parquet_compression") ?? "GZIP").toUpperCase();
  const compression = COMPRESSIONS[compressionName];
  if (!compression || (format !== "parquet" && compression === "snappy")) throw userError("INVALID_TABLE_PROPERTY", `Unsupported compression ${compressionName} for format ${formatName}`);
  const partitionedBy = properties.partitioned_by ?? [];
  if (!Array.isArray(partitionedBy)) throw userError("INVALID_TABLE_PROPERTY", "Table property 'partitioned_by' must be an ARRAY of column names");
  return {
    format,
    compression,
    compressionName,
    delimiter: text("field_delimiter") ?? "\u0001",
    partitionedBy: partitionedBy.map((p) => p.toLowerCase()),
    externalLocation: text("external_location"),
  };
}

/** external_location, which must hold no object yet; else `<OutputLocation>tables/<QueryExecutionId>/`. */
function ctasLocation(session: Session, external: string | undefined, tableName: string): S3Location {
  if (external !== undefined) {
    const location = parseS3Location(external);
    if (!location) throw userError("INVALID_TABLE_PROPERTY", `External location must be an S3 URL: ${external}`);
    if (listDataFiles(session.ctx, location).length > 0) {
      throw userError("HIVE_PATH_ALREADY_EXISTS", `Target directory for table '${tableName}' already exists: ${external}. You may need to manually clean the data at location '${external}' before retrying.`);
    }
    return location;
  }
  const output = parseS3Location(session.request.outputLocation);
  if (!output) throw userError("INVALID_TABLE_PROPERTY", "CREATE TABLE AS SELECT needs external_location or a query result location");
  return { bucket: output.bucket, prefix: `${output.prefix}tables/${session.request.queryExecutionId}/` };
}

/** Runs the query into a temporary table (so the rows are read once), with columns of types Glue can hold. */
async function materialize(session: Session, query: string, withData: boolean): Promise<ColumnDef[]> {
  const probe = await session.con.runAndReadAll(`SELECT * FROM (${query}) AS __lw_q LIMIT 0`);
  const names = probe.columnNames().map((n) => n.toLowerCase());
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate !== undefined) throw userError("DUPLICATE_COLUMN_NAME", `Column name '${duplicate}' specified more than once`);
  const empty = names.find((n) => n === "" || n.startsWith("_col"));
  if (empty !== undefined) throw userError("COLUMN_NAME_NOT_SPECIFIED", "Column name not specified: every column of a CTAS query needs a name (use AS)");
  const columns = probe.columnTypes().map((t, i) => ({ name: names[i]!, type: glueTypeOfDuck(t) }));
  const originals = probe.columnNames();
  const select = columns.map((c, i) => `CAST(__lw_q.${quoteIdent(originals[i]!)} AS ${duckTypeOfGlue(c.type)}) AS ${quoteIdent(c.name)}`).join(", ");
  await session.con.run(`CREATE TEMP TABLE ${OUT_TABLE} AS SELECT ${select} FROM (${query}) AS __lw_q ${withData ? "" : "LIMIT 0"}`);
  return columns;
}

function insertSpec(table: Table): WriteSpec {
  const sd = table.StorageDescriptor;
  const format = formatOf(sd, table.Parameters ?? {});
  const columns = (sd?.Columns ?? []).map((c) => ({ name: (c.Name ?? "").toLowerCase(), type: c.Type ?? "string" }));
  const partitionKeys = (table.PartitionKeys ?? []).map((c) => ({ name: (c.Name ?? "").toLowerCase(), type: c.Type ?? "string" }));
  const params = table.Parameters ?? {};
  const compressionName = (params["write.compression"] ?? params["parquet.compression"] ?? "GZIP").toUpperCase();
  const compression = COMPRESSIONS[compressionName] ?? "gzip";
  if (format === "parquet") return { format, compression, delimiter: "", columns, partitionKeys };
  if (format === "json") return { format, compression: compression === "snappy" ? "gzip" : compression, delimiter: "", columns, partitionKeys };
  if (format === "csv") {
    const delimiter = sd?.SerdeInfo?.Parameters?.["field.delim"] ?? "\u0001";
    return { format, compression: compression === "snappy" ? "gzip" : compression, delimiter, columns, partitionKeys };
  }
  throw userError("NOT_SUPPORTED", `INSERT INTO a table stored as ${sd?.SerdeInfo?.SerializationLibrary ?? "unknown"} is not supported by the embedded Athena`);
}

/**
 * Writes the rows of the temporary output table as files and stores them under the location (a partition's own
 * folder when `partitionFolder` knows it). Returns the row count and each written partition with its location.
 */
async function writeFiles(
  session: Session,
  spec: WriteSpec,
  location: S3Location,
  partitionFolder: (values: string[]) => S3Location | undefined,
): Promise<{ rows: number; partitions: [string[], string][] }> {
  const scratch = session.host.scratchFolder(session.request.queryExecutionId.replace(/[^A-Za-z0-9_-]/g, "_") + `_${Date.now()}`);
  try {
    const rows = Number((await session.con.runAndReadAll(`SELECT count(*) FROM ${OUT_TABLE}`)).getRowsJS()[0]![0]);
    if (rows === 0) return { rows: 0, partitions: [] };
    const files = await copyOut(session, spec, scratch);
    const keys = spec.partitionKeys.map((k) => k.name);
    const partitions = new Map<string, [string[], string]>();
    const ext = spec.format === "parquet" ? "" : spec.compression === "gzip" ? ".gz" : spec.compression === "zstd" ? ".zst" : "";
    let n = 0;
    for (const file of files) {
      const folder = keys.length > 0 ? (partitionFolder(file.values) ?? { bucket: location.bucket, prefix: location.prefix + partitionPath(keys, file.values) }) : location;
      const key = `${folder.prefix}${session.request.queryExecutionId}_${n++}${ext}`;
      await putStoredObject(session.ctx, folder.bucket, key, { file: file.path });
      if (keys.length > 0) partitions.set(JSON.stringify(file.values), [file.values, s3Url(folder)]);
    }
    return { rows, partitions: [...partitions.values()] };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function copyOut(session: Session, spec: WriteSpec, scratch: string): Promise<WrittenFile[]> {
  const keys = spec.partitionKeys.map((k) => k.name);
  const dataColumns = spec.columns.map((c) => quoteIdent(c.name)).join(", ");
  const options = (format: WriteFormat) =>
    format === "parquet"
      ? `FORMAT parquet, COMPRESSION ${spec.compression}`
      : format === "json"
        ? `FORMAT json, COMPRESSION ${spec.compression === "uncompressed" ? "none" : spec.compression}`
        : `FORMAT csv, HEADER false, QUOTE '', ESCAPE '', NULLSTR '\\N', DELIMITER ${quoteString(spec.delimiter)}, COMPRESSION ${spec.compression === "uncompressed" ? "none" : spec.compression}`;
  if (keys.length === 0) {
    const file = join(scratch, "part_0");
    await session.con.run(`COPY (SELECT ${dataColumns} FROM ${OUT_TABLE}) TO ${quoteString(file)} (${options(spec.format)})`);
    return [{ path: file, values: [] }];
  }
  if (spec.format !== "json") {
    // DuckDB writes Hive-style folders (values percent-encoded) and leaves the partition columns out of the files.
    await session.con.run(`COPY ${OUT_TABLE} TO ${quoteString(scratch)} (${options(spec.format)}, PARTITION_BY (${keys.map(quoteIdent).join(", ")}))`);
    return filesUnder(scratch).map((path) => ({ path, values: relative(scratch, path).split(sep).slice(0, keys.length).map(folderValue) }));
  }
  // DuckDB's JSON writer has no PARTITION_BY: one COPY per partition.
  const reader = await session.con.runAndReadAll(`SELECT DISTINCT ${keys.map((k) => `CAST(${quoteIdent(k)} AS VARCHAR)`).join(", ")} FROM ${OUT_TABLE}`);
  const out: WrittenFile[] = [];
  for (const [i, tuple] of reader.getRowsJS().entries()) {
    const values = tuple.map((v) => (v === null ? "__HIVE_DEFAULT_PARTITION__" : String(v)));
    const where = keys.map((k, j) => (tuple[j] === null ? `${quoteIdent(k)} IS NULL` : `CAST(${quoteIdent(k)} AS VARCHAR) = ${quoteString(String(tuple[j]))}`)).join(" AND ");
    const file = join(scratch, `part_${i}`);
    await session.con.run(`COPY (SELECT ${dataColumns} FROM ${OUT_TABLE} WHERE ${where}) TO ${quoteString(file)} (${options("json")})`);
    out.push({ path: file, values });
  }
  return out;
}

function folderValue(segment: string): string {
  const value = segment.slice(segment.indexOf("=") + 1);
  const decoded = decodeURIComponent(value);
  return decoded === "NULL" ? "__HIVE_DEFAULT_PARTITION__" : decoded;
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path));
    else out.push(path);
  }
  return out;
}

function tableInputOf(name: string, spec: WriteSpec, location: S3Location, compression: string): TableInput {
  const format = spec.format === "parquet" ? FORMATS.parquet : spec.format === "json" ? { ...FORMATS.json, serde: "org.apache.hive.hcatalog.data.JsonSerDe" } : FORMATS.text;
  const serdeParameters: Record<string, string> =
    spec.format === "parquet" ? { "serialization.format": "1" } : spec.format === "json" ? { paths: spec.columns.map((c) => c.name).join(",") } : { "field.delim": spec.delimiter, "serialization.format": spec.delimiter };
  return {
    Name: name,
    Owner: DDL_OWNER,
    TableType: "EXTERNAL_TABLE",
    Parameters: { EXTERNAL: "TRUE", has_encrypted_data: "false", [spec.format === "parquet" ? "parquet.compression" : "write.compression"]: compression },
    PartitionKeys: spec.partitionKeys.map((k) => ({ Name: k.name, Type: k.type })),
    StorageDescriptor: {
      Columns: spec.columns.map((c) => ({ Name: c.name, Type: c.type })),
      Location: s3Url(location),
      InputFormat: format.input,
      OutputFormat: format.output,
      Compressed: false,
      NumberOfBuckets: -1,
      SerdeInfo: { SerializationLibrary: format.serde, Parameters: serdeParameters },
      BucketColumns: [],
      SortColumns: [],
      Parameters: {},
      StoredAsSubDirectories: false,
    },
  };
}
