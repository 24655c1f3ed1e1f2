import type { Column, Table } from "@aws-sdk/client-glue";
import { requireDatabase, requireTable, targetOf, utilityRows } from "./ddl-common.js";
import { partitionPath } from "./ddl-partitions.js";
import { userError } from "./errors.js";
import type { Session } from "./session.js";
import type { Statement } from "./statement.js";
import type { QualifiedName } from "./token-cursor.js";
import type { StatementResult } from "./types.js";
import { decodeView } from "./views.js";

/** SHOW … and DESCRIBE, shaped as Athena returns them (Hive's column names, one row per item). */

/**
 * Athena's name filter: a regular expression matched against the whole name, case-insensitively, where `*` stands
 * for any characters and `|` separates alternatives (`%` is taken as `*` too).
 */
export function namePattern(pattern: string | undefined): (name: string) => boolean {
  if (pattern === undefined) return () => true;
  const source = pattern
    .split("|")
    .map((part) => part.trim().replace(/%/g, "*").replace(/(^|[^.])\*/g, "$1.*"))
    .join("|");
  let regex: RegExp;
  try {
    regex = new RegExp(`^(?:${source})$`, "i");
  } catch {
    return (name) => name.toLowerCase() === pattern.toLowerCase();
  }
  return (name) => regex.test(name);
}

export function showTables(session: Session, statement: Extract<Statement, { kind: "showTables" }>): StatementResult {
  const database = statement.database ?? session.database;
  if (!session.catalog.databaseExists(database)) throw userError("SCHEMA_NOT_FOUND", `Schema '${database}' does not exist`);
  const matches = namePattern(statement.pattern);
  const tables = session.catalog
    .listTables(database)
    .filter((t) => !statement.views || t.TableType === "VIRTUAL_VIEW")
    .map((t) => t.Name!)
    .filter(matches)
    .sort();
  return utilityRows(statement.views ? "SHOW_VIEWS" : "SHOW_TABLES", [statement.views ? "views" : "tab_name"], tables.map((t) => [t]));
}

export function showDatabases(session: Session, pattern: string | undefined): StatementResult {
  const rows = session.ctx.db.prepare("SELECT name FROM glue_databases ORDER BY name").all() as { name: string }[];
  const matches = namePattern(pattern);
  return utilityRows("SHOW_DATABASES", ["database_name"], rows.map((r) => r.name).filter(matches).map((name) => [name]));
}

export function showPartitions(session: Session, sql: string, name: QualifiedName): StatementResult {
  const target = targetOf(session, sql, name);
  const table = requireTable(session, sql, target);
  const keys = (table.PartitionKeys ?? []).map((k) => (k.Name ?? "").toLowerCase());
  if (keys.length === 0) throw userError("NOT_SUPPORTED", `Table '${target.database}.${target.table}' is not partitioned`);
  const partitions = session.catalog.getPartitions(target.database, target.table).map((p) => partitionPath(keys, p.Values ?? []).slice(0, -1));
  return utilityRows("SHOW_PARTITIONS", ["partition"], partitions.sort().map((p) => [p]));
}

function allColumns(table: Table): Column[] {
  return [...(table.StorageDescriptor?.Columns ?? []), ...(table.PartitionKeys ?? [])];
}

export function showColumns(session: Session, sql: string, name: QualifiedName): StatementResult {
  const table = requireTable(session, sql, targetOf(session, sql, name));
  return utilityRows("SHOW_COLUMNS", ["field"], allColumns(table).map((c) => [c.Name ?? ""]));
}

export function describe(session: Session, sql: string, name: QualifiedName, column: string | undefined): StatementResult {
  const table = requireTable(session, sql, targetOf(session, sql, name));
  const row = (c: Column): string[] => [c.Name ?? "", c.Type ?? "", c.Comment ?? ""];
  if (column !== undefined) {
    const found = allColumns(table).find((c) => c.Name?.toLowerCase() === column);
    if (!found) throw userError("COLUMN_NOT_FOUND", `Column '${column}' does not exist in table '${table.DatabaseName}.${table.Name}'`);
    return utilityRows("DESCRIBE_TABLE", ["col_name", "data_type", "comment"], [row(found)]);
  }
  const rows = allColumns(table).map(row);
  const keys = table.PartitionKeys ?? [];
  if (keys.length > 0) rows.push(["", "", ""], ["# Partition Information", "", ""], ["# col_name", "data_type", "comment"], ["", "", ""], ...keys.map(row));
  return utilityRows("DESCRIBE_TABLE", ["col_name", "data_type", "comment"], rows);
}

export function showTableProperties(session: Session, sql: string, name: QualifiedName): StatementResult {
  const table = requireTable(session, sql, targetOf(session, sql, name));
  const rows = Object.entries(table.Parameters ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return utilityRows("SHOW_TBLPROPERTIES", ["prpt_name", "prpt_value"], rows);
}

const quoteDdl = (value: string) => `'${value.replaceAll("'", "\\'")}'`;

/** SHOW CREATE TABLE: the table's Hive DDL, one line a row; for a view, its CREATE VIEW. */
export function showCreateTable(session: Session, sql: string, name: QualifiedName): StatementResult {
  const target = targetOf(session, sql, name);
  requireDatabase(session, sql, target);
  const table = requireTable(session, sql, target);
  if (table.TableType === "VIRTUAL_VIEW") {
    const view = decodeView(table);
    const text = `CREATE VIEW "awsdatacatalog"."${target.database}"."${target.table}" AS\n${view.sql}`;
    return utilityRows("SHOW_CREATE_VIEW", ["Create View"], text.split("\n").map((line) => [line]));
  }
  const sd = table.StorageDescriptor ?? {};
  const columnLines = (columns: Column[]) => columns.map((c, i) => `  \`${c.Name}\` ${c.Type}${c.Comment ? ` COMMENT ${quoteDdl(c.Comment)}` : ""}${i < columns.length - 1 ? ", " : ")"}`);
  const lines = [`CREATE EXTERNAL TABLE \`${target.database}\`.\`${target.table}\`(`, ...columnLines(sd.Columns ?? [])];
  if (table.Description) lines.push(`COMMENT ${quoteDdl(table.Description)}`);
  if ((table.PartitionKeys ?? []).length > 0) lines.push("PARTITIONED BY ( ", ...columnLines(table.PartitionKeys!));
  lines.push("ROW FORMAT SERDE ", `  ${quoteDdl(sd.SerdeInfo?.SerializationLibrary ?? "")} `);
  const serdeParams = Object.entries(sd.SerdeInfo?.Parameters ?? {});
  if (serdeParams.length > 0) lines.push("WITH SERDEPROPERTIES ( ", ...serdeParams.map(([k, v], i) => `  ${quoteDdl(k)}=${quoteDdl(v)}${i < serdeParams.length - 1 ? ", " : ") "}`));
  lines.push("STORED AS INPUTFORMAT ", `  ${quoteDdl(sd.InputFormat ?? "")} `, "OUTPUTFORMAT ", `  ${quoteDdl(sd.OutputFormat ?? "")}`);
  if (sd.Location) lines.push("LOCATION", `  ${quoteDdl(sd.Location)}`);
  const params = Object.entries(table.Parameters ?? {}).filter(([k]) => k !== "EXTERNAL");
  if (params.length > 0) lines.push("TBLPROPERTIES (", ...params.map(([k, v], i) => `  ${quoteDdl(k)}=${quoteDdl(v)}${i < params.length - 1 ? ", " : ")"}`));
  return utilityRows("SHOW_CREATE_TABLE", ["createtab_stmt"], lines.map((line) => [line]));
}
