import { duckTypeOfGlue } from "./glue-types.js";
import type { DataFile } from "./s3-files.js";
import { quoteIdent, quoteString, stringList } from "./sql-text.js";
import type { ColumnDef, TableModel } from "./table-model.js";

/**
 * The DuckDB query that reads one table the way Athena's SerDe would: the table's columns and types (never
 * DuckDB's own inference), the partition columns from each partition's Values, and only the files given.
 */

export interface ScanPart {
  /** Partition values, one string per partition key (none for an unpartitioned table). */
  values: string[];
  files: DataFile[];
}

/** Reads the column names of Parquet files (footers only), for columns a file may lack. */
export type ParquetColumns = (files: string[]) => Promise<string[]>;

const FILE_COLUMN = "__lw_file";
const JSON_COLUMN = "__lw_json";
const ENTRIES_COLUMN = "__lw_entries";

export async function scanSql(model: TableModel, parts: ScanPart[], parquetColumns: ParquetColumns): Promise<string> {
  const files = parts.flatMap((p) => p.files.map((f) => f.path));
  if (files.length === 0) return emptyScan(model);
  const partitioned = model.partitionKeys.length > 0;
  // Files in `key=value/` folders that spell their partition's values (what crawlers register): DuckDB fills the
  // partition columns from the paths itself, far cheaper than joining every row to its file's values.
  const hive = partitioned && inHiveFolders(model, parts);
  const options = hive ? `, hive_partitioning=true, hive_types=${structOf(model.partitionKeys.map((k) => ({ name: k.name, type: "VARCHAR" })))}` : "";
  let dataColumns: string[];
  let reader: string;
  switch (model.read.format) {
    case "json":
      ({ dataColumns, reader } = jsonReader(model, files, options));
      break;
    case "parquet":
      ({ dataColumns, reader } = await parquetReader(model, files, parquetColumns, options));
      break;
    case "csv":
    case "opencsv":
      ({ dataColumns, reader } = csvReader(model, files, options));
      break;
  }
  const source = hive ? "d" : "p";
  const partitionColumns = model.partitionKeys.map((k) => `CAST(${source}.${quoteIdent(k.name)} AS ${duckTypeOfGlue(k.type)}) AS ${quoteIdent(k.name)}`);
  const select = `SELECT ${[...dataColumns, ...partitionColumns].join(", ") || "NULL AS _no_columns"} FROM ${reader} AS d`;
  if (!partitioned || hive) return select;
  const rows = parts.flatMap((part) => part.files.map((f) => `(${[f.path, ...part.values].map(quoteString).join(", ")})`));
  const names = [FILE_COLUMN, ...model.partitionKeys.map((k) => k.name)].map(quoteIdent).join(", ");
  return `${select} JOIN (VALUES ${rows.join(", ")}) AS p(${names}) ON d.${quoteIdent(FILE_COLUMN)} = p.${quoteIdent(FILE_COLUMN)}`;
}

/** No file to read: the table's shape with no rows. */
function emptyScan(model: TableModel): string {
  const columns = [...model.columns, ...model.partitionKeys].map((c) => `CAST(NULL AS ${duckTypeOfGlue(c.type)}) AS ${quoteIdent(c.name)}`);
  return `SELECT ${columns.join(", ") || "NULL AS _no_columns"} WHERE false`;
}

const structOf = (columns: { name: string; type: string }[]): string => `{${columns.map((c) => `${quoteString(c.name)}: ${quoteString(c.type)}`).join(", ")}}`;

/**
 * JSON Lines (OpenX SerDe). When every key is known to be lower case already (the SerDe's `paths`), DuckDB maps keys
 * to columns itself; otherwise each row is read as one JSON value and each column takes the first key that matches
 * its name whatever the case, as the SerDe does with `case.insensitive`.
 */
function jsonReader(model: TableModel, files: string[], options: string): { dataColumns: string[]; reader: string } {
  const { read } = model;
  const common = `format='newline_delimited', filename=${quoteString(FILE_COLUMN)}, ignore_errors=${read.ignoreMalformed}${options}`;
  const keysLowerCase = read.paths !== undefined && read.paths.every((p) => p === p.toLowerCase());
  if (!read.caseInsensitive || keysLowerCase || model.columns.length === 0) {
    const columns = model.columns.map((c) => ({ name: c.name, type: duckTypeOfGlue(c.type) }));
    const reader = `read_json(${stringList(files)}, columns=${structOf(columns.length > 0 ? columns : [{ name: "__lw_none", type: "VARCHAR" }])}, ${common})`;
    return { dataColumns: model.columns.map((c) => `d.${quoteIdent(c.name)}`), reader };
  }
  // Each row once as JSON, and its entries with lower-cased keys (computed once per row, searched per column).
  const json = quoteIdent(JSON_COLUMN);
  const entries = quoteIdent(ENTRIES_COLUMN);
  const lowered = `CASE WHEN json_type(${json}) = 'OBJECT' THEN list_transform(map_entries(CAST(${json} AS MAP(VARCHAR, JSON))), e -> {'k': lower(e.key), 'v': e.value}) END`;
  const rows = `read_json(${stringList(files)}, columns=${structOf([{ name: JSON_COLUMN, type: "JSON" }])}, records=false, ${common})`;
  const hiveColumns = options ? model.partitionKeys.map((k) => `, ${quoteIdent(k.name)}`).join("") : "";
  const reader = `(SELECT ${json}, ${lowered} AS ${entries}, ${quoteIdent(FILE_COLUMN)}${hiveColumns} FROM ${rows})`;
  const notObject = read.ignoreMalformed
    ? "NULL"
    : `error(${quoteString("HIVE_CURSOR_ERROR: Row is not a valid JSON Object - JSONException: A JSONObject text must begin with '{' (file ")} || d.${quoteIdent(FILE_COLUMN)} || ')')`;
  const dataColumns = model.columns.map((c, index) => {
    const value = `list_filter(d.${entries}, e -> e.k = ${quoteString(c.name)})[1].v`;
    const typed = jsonValueAs(value, c, index);
    return `CASE WHEN d.${json} IS NULL THEN NULL WHEN d.${entries} IS NULL THEN ${notObject} ELSE ${typed} END AS ${quoteIdent(c.name)}`;
  });
  return { dataColumns, reader };
}

/**
 * A JSON value as a column of the table's type: strings unquoted, objects and arrays as their JSON text; a value
 * that does not convert fails the query with the SerDe's HIVE_BAD_DATA.
 */
function jsonValueAs(value: string, column: ColumnDef, index: number): string {
  const duckType = duckTypeOfGlue(column.type);
  const text = `(${value} ->> '$')`;
  if (duckType === "VARCHAR") return text;
  const message = [
    quoteString("HIVE_BAD_DATA: Error parsing field value '"),
    text,
    quoteString(`' for field ${index}: For input string: "`),
    text,
    quoteString('" (file '),
    `d.${quoteIdent(FILE_COLUMN)}`,
    quoteString(")"),
  ].join(" || ");
  // Scalars from their text (so "5" reads as 5, as the SerDe does); nested types from the JSON value.
  const nested = /^(STRUCT|MAP)\(|\[\]$/.test(duckType);
  const converted = `TRY_CAST(${nested ? value : text} AS ${duckType})`;
  return `CASE WHEN ${value} IS NULL OR json_type(${value}) = 'NULL' THEN NULL WHEN ${converted} IS NULL THEN error(${message}) ELSE ${converted} END`;
}

/** Parquet: columns by name (case-insensitively); a column no file has reads as NULL. */
async function parquetReader(model: TableModel, files: string[], parquetColumns: ParquetColumns, options: string): Promise<{ dataColumns: string[]; reader: string }> {
  const present = new Map((await parquetColumns(files)).map((name) => [name.toLowerCase(), name]));
  const dataColumns = model.columns.map((c) => {
    const actual = present.get(c.name);
    const type = duckTypeOfGlue(c.type);
    return actual === undefined ? `CAST(NULL AS ${type}) AS ${quoteIdent(c.name)}` : `CAST(d.${quoteIdent(actual)} AS ${type}) AS ${quoteIdent(c.name)}`;
  });
  return { dataColumns, reader: parquetFunction(files, options) };
}

export function parquetFunction(files: string[], options = ""): string {
  return `read_parquet(${stringList(files)}, filename=${quoteString(FILE_COLUMN)}, union_by_name=true${options})`;
}

/**
 * Delimited text (LazySimpleSerDe; OpenCSVSerde with quotes): fields by position, missing ones NULL, values that do
 * not parse as the column's type NULL (as Hive reads them), the null format as NULL.
 */
function csvReader(model: TableModel, files: string[], hiveOptions: string): { dataColumns: string[]; reader: string } {
  const { read } = model;
  const names = model.columns.length > 0 ? model.columns.map((c) => c.name) : ["__lw_none"];
  const options = [
    `columns=${structOf(names.map((name) => ({ name, type: "VARCHAR" })))}`,
    `delim=${quoteString(read.delimiter)}`,
    `quote=${quoteString(read.quote ?? "")}`,
    `escape=${quoteString(read.escape ?? "")}`,
    `header=false`,
    `skip=${read.skipHeaderLines}`,
    `auto_detect=false`,
    `null_padding=true`,
    `strict_mode=false`,
    `filename=${quoteString(FILE_COLUMN)}`,
  ];
  const dataColumns = model.columns.map((c) => {
    const raw = read.format === "csv" ? `NULLIF(d.${quoteIdent(c.name)}, ${quoteString(read.nullFormat)})` : `d.${quoteIdent(c.name)}`;
    const type = duckTypeOfGlue(c.type);
    return type === "VARCHAR" ? `${raw} AS ${quoteIdent(c.name)}` : `TRY_CAST(${raw} AS ${type}) AS ${quoteIdent(c.name)}`;
  });
  return { dataColumns, reader: `read_csv(${stringList(files)}, ${options.join(", ")}${hiveOptions})` };
}

/** Plain characters only: DuckDB reads folder values as written, where Hive escapes others (`%3A`). */
const PLAIN_VALUE = /^[A-Za-z0-9_.-]+$/;

/** Whether every file lies under `key=value/` folders, in key order, that spell its partition's values. */
function inHiveFolders(model: TableModel, parts: ScanPart[]): boolean {
  const keys = model.partitionKeys.map((k) => k.name);
  return parts.every(
    (part) =>
      part.values.every((v) => PLAIN_VALUE.test(v)) &&
      part.files.every((file) => {
        const folders = file.path.split("/").slice(0, -1);
        const found = folders.filter((f) => keys.some((k) => f.startsWith(`${k}=`)));
        return found.length === keys.length && found.every((f, i) => f === `${keys[i]}=${part.values[i]}`);
      }),
  );
}
