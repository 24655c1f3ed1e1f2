import type { Column, Partition, PartitionInput } from "@aws-sdk/client-glue";
import type Database from "better-sqlite3";
import { alreadyExists, asObject, catalogName, invalidInput, notFound, pick, readJson, sql, storeJson, toDate } from "./api-common.js";
import { requireTable, type TableRow } from "./catalog-rows.js";

/** Partitions as rows (keyed by their Values) and shaped as Glue's API returns them. */

export interface PartitionRow {
  database: string;
  table_name: string;
  values_key: string;
  definition: string;
  created: number;
}

const PARTITION_MEMBERS = ["Values", "LastAccessTime", "StorageDescriptor", "Parameters", "LastAnalyzedTime"];
const PARTITION_TIMES = ["LastAccessTime", "LastAnalyzedTime"];

export const valuesKey = (values: readonly string[]): string => JSON.stringify(values);

/** The table a partition call names (DatabaseName, TableName), or EntityNotFoundException. */
export function tableFor(input: Record<string, unknown>, db: Database.Database): TableRow {
  return requireTable(db, catalogName(input.DatabaseName, "DatabaseName"), catalogName(input.TableName, "TableName"));
}

export const partitionKeys = (table: TableRow): Column[] => (JSON.parse(table.definition) as { PartitionKeys?: Column[] }).PartitionKeys ?? [];

export const partitionKeyCount = (table: TableRow): number => partitionKeys(table).length;

/** Checks Values against the table's partition keys: one string per key, as Glue requires. */
export function checkValues(values: unknown, keyCount: number): string[] {
  if (!Array.isArray(values) || values.some((v) => typeof v !== "string")) throw invalidInput("Partition Values must be a list of strings.");
  if (values.length !== keyCount) throw invalidInput("The number of partition keys do not match the number of partition values");
  return values as string[];
}

export function partitionInput(value: unknown, keyCount: number, member = "PartitionInput"): PartitionInput {
  const input = pick<PartitionInput>(asObject(value, member), PARTITION_MEMBERS);
  return { ...input, Values: checkValues(input.Values, keyCount) };
}

export function partitionShape(row: PartitionRow, accountId: string, excludeColumns = false): Partition {
  const input = readJson<PartitionInput>(row.definition, PARTITION_TIMES);
  const created = toDate(row.created);
  let storage = input.StorageDescriptor;
  if (excludeColumns && storage) {
    const { Columns: _columns, ...rest } = storage;
    storage = rest;
  }
  return {
    ...input,
    StorageDescriptor: storage,
    DatabaseName: row.database,
    TableName: row.table_name,
    CreationTime: created,
    LastAccessTime: input.LastAccessTime ?? created,
    CatalogId: accountId,
  };
}

export function findPartition(db: Database.Database, table: TableRow, values: readonly string[]): PartitionRow | undefined {
  return sql(db, "SELECT * FROM glue_partitions WHERE database = ? AND table_name = ? AND values_key = ?").get(table.database, table.name, valuesKey(values)) as
    | PartitionRow
    | undefined;
}

export function requirePartition(db: Database.Database, table: TableRow, values: readonly string[]): PartitionRow {
  const row = findPartition(db, table, values);
  if (!row) throw notFound("Cannot find partition.");
  return row;
}

export function insertPartition(db: Database.Database, table: TableRow, input: PartitionInput, now: number): void {
  if (findPartition(db, table, input.Values!)) throw alreadyExists("Partition already exists.");
  sql(db, "INSERT INTO glue_partitions (database, table_name, values_key, definition, created) VALUES (?, ?, ?, ?, ?)").run(
    table.database, table.name, valuesKey(input.Values!), storeJson(input), now,
  );
}

/** Replaces a partition's definition, possibly moving it to new Values; its CreationTime stays. */
export function replacePartition(db: Database.Database, table: TableRow, current: PartitionRow, input: PartitionInput): void {
  const key = valuesKey(input.Values!);
  if (key !== current.values_key && findPartition(db, table, input.Values!)) throw alreadyExists("Partition already exists.");
  sql(db, "UPDATE glue_partitions SET values_key = ?, definition = ? WHERE database = ? AND table_name = ? AND values_key = ?").run(
    key, storeJson(input), table.database, table.name, current.values_key,
  );
}

export function deletePartitionRow(db: Database.Database, table: TableRow, values: readonly string[]): boolean {
  return sql(db, "DELETE FROM glue_partitions WHERE database = ? AND table_name = ? AND values_key = ?").run(table.database, table.name, valuesKey(values)).changes > 0;
}

/** The table's partitions in key order, after `afterKey` when given; read lazily so a page stops early. */
/** Values and location of every partition of a table; SQLite reads the location out of the stored JSON. */
export function partitionLocations(db: Database.Database, table: TableRow): { values_key: string; location: string | null }[] {
  return sql(
    db,
    "SELECT values_key, json_extract(definition, '$.StorageDescriptor.Location') AS location FROM glue_partitions WHERE database = ? AND table_name = ? ORDER BY values_key",
  ).all(table.database, table.name) as { values_key: string; location: string | null }[];
}

export function scanPartitions(db: Database.Database, table: TableRow, afterKey?: string): IterableIterator<PartitionRow> {
  return sql(db, "SELECT * FROM glue_partitions WHERE database = ? AND table_name = ? AND values_key > ? ORDER BY values_key").iterate(
    table.database, table.name, afterKey ?? "",
  ) as IterableIterator<PartitionRow>;
}
