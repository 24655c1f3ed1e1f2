import type { Database as GlueDatabase, DatabaseInput, PrincipalPermissions, Table, TableInput } from "@aws-sdk/client-glue";
import type Database from "better-sqlite3";
import {
  alreadyExists,
  asObject,
  catalogName,
  concurrentModification,
  creatorArn,
  invalidInput,
  limitExceeded,
  notFound,
  pick,
  readJson,
  sql,
  storeJson,
  toDate,
} from "./api-common.js";
import { dropTags, glueArn } from "./tag-store.js";

/** Databases and tables as rows, and shaped as Glue's API returns them. */

export interface Account {
  accountId: string;
  region: string;
}

export interface DatabaseRow {
  name: string;
  definition: string;
  created: number;
}

export interface TableRow {
  database: string;
  name: string;
  definition: string;
  version: number;
  created: number;
  updated: number;
  created_by: string;
}

// Glue's quotas (per account, per database): beyond them Create* fails with ResourceNumberLimitExceededException.
const MAX_DATABASES = 10_000;
const MAX_TABLES_PER_DATABASE = 200_000;

const DATABASE_MEMBERS = ["Name", "Description", "LocationUri", "Parameters", "CreateTableDefaultPermissions", "TargetDatabase", "FederatedDatabase"];
const TABLE_MEMBERS = [
  "Name", "Description", "Owner", "LastAccessTime", "LastAnalyzedTime", "Retention", "StorageDescriptor", "PartitionKeys",
  "ViewOriginalText", "ViewExpandedText", "TableType", "Parameters", "TargetTable", "FederatedTable",
];
const TABLE_TIMES = ["LastAccessTime", "LastAnalyzedTime"];

/** What Glue grants by default on new tables while Lake Formation is not in charge (the default account setting). */
const DEFAULT_TABLE_PERMISSIONS: PrincipalPermissions[] = [{ Principal: { DataLakePrincipalIdentifier: "IAM_ALLOWED_PRINCIPALS" }, Permissions: ["ALL"] }];

export function databaseInput(value: unknown): DatabaseInput {
  const input = pick<DatabaseInput>(asObject(value, "DatabaseInput"), DATABASE_MEMBERS);
  return { ...input, Name: catalogName(input.Name, "DatabaseInput.Name") };
}

export function databaseShape(row: DatabaseRow, accountId: string): GlueDatabase {
  const input = JSON.parse(row.definition) as DatabaseInput;
  return {
    ...input,
    Name: row.name,
    CreateTime: toDate(row.created),
    CreateTableDefaultPermissions: input.CreateTableDefaultPermissions ?? DEFAULT_TABLE_PERMISSIONS,
    CatalogId: accountId,
  };
}

export function findDatabase(db: Database.Database, name: string): DatabaseRow | undefined {
  return sql(db, "SELECT * FROM glue_databases WHERE name = ?").get(name.toLowerCase()) as DatabaseRow | undefined;
}

export function requireDatabase(db: Database.Database, name: string): DatabaseRow {
  const row = findDatabase(db, name);
  if (!row) throw notFound(`Database ${name.toLowerCase()} not found.`);
  return row;
}

export function insertDatabase(db: Database.Database, input: DatabaseInput, now: number): void {
  if (findDatabase(db, input.Name!)) throw alreadyExists("Database already exists.");
  const count = (sql(db, "SELECT count(*) AS n FROM glue_databases").get() as { n: number }).n;
  if (count >= MAX_DATABASES) throw limitExceeded(`Number of databases exceeds the limit of ${MAX_DATABASES}.`);
  sql(db, "INSERT INTO glue_databases (name, definition, created) VALUES (?, ?, ?)").run(input.Name, storeJson(input), now);
}

/** Deletes a database with its tables, their versions, partitions and tags, as Glue's DeleteDatabase does. */
export function deleteDatabaseRows(db: Database.Database, account: Account, name: string): void {
  sql(db, "DELETE FROM glue_partitions WHERE database = ?").run(name);
  sql(db, "DELETE FROM glue_table_versions WHERE database = ?").run(name);
  sql(db, "DELETE FROM glue_tables WHERE database = ?").run(name);
  sql(db, "DELETE FROM glue_databases WHERE name = ?").run(name);
  const { region, accountId } = account;
  dropTags(db, glueArn(region, accountId, { kind: "database", name }), glueArn(region, accountId, { kind: "table", database: name, name: "" }));
}

/** A TableInput as Glue keeps it: known members only, the name lowercased, partition keys well formed. */
export function tableInput(value: unknown): TableInput {
  const input = pick<TableInput>(asObject(value, "TableInput"), TABLE_MEMBERS);
  const keys = input.PartitionKeys ?? [];
  if (!Array.isArray(keys) || keys.some((k) => !k || typeof k.Name !== "string" || k.Name === "")) {
    throw invalidInput("TableInput.PartitionKeys must be a list of columns with a Name.");
  }
  return { ...input, Name: catalogName(input.Name, "TableInput.Name") };
}

export function tableShape(row: TableRow, accountId: string, version?: { version: number; definition: string; updated: number }): Table {
  const input = readJson<TableInput>(version?.definition ?? row.definition, TABLE_TIMES);
  return {
    ...input,
    Name: row.name,
    DatabaseName: row.database,
    CreateTime: toDate(row.created),
    UpdateTime: toDate(version?.updated ?? row.updated),
    Retention: input.Retention ?? 0,
    PartitionKeys: input.PartitionKeys ?? [],
    CreatedBy: row.created_by,
    IsRegisteredWithLakeFormation: false,
    CatalogId: accountId,
    VersionId: String(version?.version ?? row.version),
  };
}

export function findTable(db: Database.Database, database: string, name: string): TableRow | undefined {
  return sql(db, "SELECT * FROM glue_tables WHERE database = ? AND name = ?").get(database.toLowerCase(), name.toLowerCase()) as TableRow | undefined;
}

/** The table, or Glue's EntityNotFoundException naming the database or the table that is missing. */
export function requireTable(db: Database.Database, database: string, name: string): TableRow {
  requireDatabase(db, database);
  const row = findTable(db, database, name);
  if (!row) throw notFound(`Table ${name.toLowerCase()} not found.`);
  return row;
}

export function listTableRows(db: Database.Database, database: string): TableRow[] {
  return sql(db, "SELECT * FROM glue_tables WHERE database = ? ORDER BY name").all(database.toLowerCase()) as TableRow[];
}

export function insertTable(db: Database.Database, account: Account, database: string, input: TableInput, now: number): void {
  const dbName = requireDatabase(db, database).name;
  if (findTable(db, dbName, input.Name!)) throw alreadyExists("Table already exists.");
  const count = (sql(db, "SELECT count(*) AS n FROM glue_tables WHERE database = ?").get(dbName) as { n: number }).n;
  if (count >= MAX_TABLES_PER_DATABASE) throw limitExceeded(`Number of tables in database ${dbName} exceeds the limit of ${MAX_TABLES_PER_DATABASE}.`);
  const definition = storeJson(input);
  sql(db, "INSERT INTO glue_tables (database, name, definition, version, created, updated, created_by) VALUES (?, ?, ?, 0, ?, ?, ?)").run(
    dbName, input.Name, definition, now, now, creatorArn(account.accountId),
  );
  sql(db, "INSERT INTO glue_table_versions (database, name, version, definition, updated) VALUES (?, ?, 0, ?, ?)").run(dbName, input.Name, definition, now);
}

/**
 * UpdateTable: the new definition becomes the next version; the previous one stays as an archived version unless
 * `skipArchive`. `expectedVersion` (UpdateTable's VersionId) guards against a concurrent update.
 */
export function replaceTable(db: Database.Database, row: TableRow, input: TableInput, now: number, options: { skipArchive?: boolean; expectedVersion?: string } = {}): number {
  if (options.expectedVersion !== undefined && options.expectedVersion !== String(row.version)) {
    throw concurrentModification(`Table ${row.name} was updated by another request: its current version is ${row.version}.`);
  }
  const version = row.version + 1;
  const definition = storeJson({ ...input, Name: row.name });
  sql(db, "UPDATE glue_tables SET definition = ?, version = ?, updated = ? WHERE database = ? AND name = ?").run(definition, version, now, row.database, row.name);
  if (options.skipArchive) sql(db, "DELETE FROM glue_table_versions WHERE database = ? AND name = ? AND version = ?").run(row.database, row.name, row.version);
  sql(db, "INSERT INTO glue_table_versions (database, name, version, definition, updated) VALUES (?, ?, ?, ?, ?)").run(row.database, row.name, version, definition, now);
  return version;
}

/** Deletes a table with its versions, partitions and tags. */
export function deleteTableRows(db: Database.Database, account: Account, row: TableRow): void {
  sql(db, "DELETE FROM glue_partitions WHERE database = ? AND table_name = ?").run(row.database, row.name);
  sql(db, "DELETE FROM glue_table_versions WHERE database = ? AND name = ?").run(row.database, row.name);
  sql(db, "DELETE FROM glue_tables WHERE database = ? AND name = ?").run(row.database, row.name);
  dropTags(db, glueArn(account.region, account.accountId, { kind: "table", database: row.database, name: row.name }));
}
