import type Database from "better-sqlite3";
import { writeTransaction } from "../../store/db.js";

/**
 * Glue's state. Definitions are kept as the JSON of the API's input shapes (DatabaseInput, TableInput,
 * PartitionInput, the Job's fields) with timestamps as epoch seconds, so that what a client wrote is what it reads
 * back; what Glue fills in (CreateTime, VersionId, CatalogId …) is added when a row is shaped for the API.
 * Names are stored lowercased where Glue lowercases them (databases, tables); times are epoch seconds (REAL).
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS glue_databases (
  name TEXT PRIMARY KEY,
  definition TEXT NOT NULL,       -- DatabaseInput JSON
  created REAL NOT NULL
);

CREATE TABLE IF NOT EXISTS glue_tables (
  database TEXT NOT NULL,
  name TEXT NOT NULL,
  definition TEXT NOT NULL,       -- TableInput JSON of the current version
  version INTEGER NOT NULL,       -- current VersionId
  created REAL NOT NULL,
  updated REAL NOT NULL,
  created_by TEXT NOT NULL,
  PRIMARY KEY (database, name)
);

-- Every version of a table, the current one included (GetTableVersions lists them all).
CREATE TABLE IF NOT EXISTS glue_table_versions (
  database TEXT NOT NULL,
  name TEXT NOT NULL,
  version INTEGER NOT NULL,
  definition TEXT NOT NULL,       -- TableInput JSON
  updated REAL NOT NULL,
  PRIMARY KEY (database, name, version)
);

CREATE TABLE IF NOT EXISTS glue_partitions (
  database TEXT NOT NULL,
  table_name TEXT NOT NULL,
  values_key TEXT NOT NULL,       -- JSON array of the partition's Values: the key and the listing order
  definition TEXT NOT NULL,       -- PartitionInput JSON
  created REAL NOT NULL,
  PRIMARY KEY (database, table_name, values_key)
);

CREATE TABLE IF NOT EXISTS glue_crawlers (
  name TEXT PRIMARY KEY,
  definition TEXT NOT NULL /* JSON of the Crawler as the API returns it */,
  state TEXT NOT NULL DEFAULT 'READY',
  created REAL,
  updated REAL,
  version INTEGER
);

CREATE TABLE IF NOT EXISTS glue_crawler_runs (
  id TEXT PRIMARY KEY,
  crawler TEXT NOT NULL,
  state TEXT NOT NULL,
  started REAL NOT NULL,
  ended REAL,
  pid INTEGER,
  heartbeat REAL,
  result TEXT /* JSON */,
  error TEXT
);
CREATE INDEX IF NOT EXISTS glue_crawler_runs_crawler ON glue_crawler_runs (crawler, started);

CREATE TABLE IF NOT EXISTS glue_jobs (
  name TEXT PRIMARY KEY,
  definition TEXT NOT NULL,       -- the Job's fields as Glue returns them, without CreatedOn/LastModifiedOn
  created REAL NOT NULL,
  updated REAL NOT NULL
);

CREATE TABLE IF NOT EXISTS glue_job_runs (
  id TEXT PRIMARY KEY,
  job TEXT NOT NULL,
  state TEXT NOT NULL,
  started REAL NOT NULL,
  completed REAL,
  definition TEXT NOT NULL        -- the JobRun's other fields (Arguments, ErrorMessage, capacity …)
);
CREATE INDEX IF NOT EXISTS glue_job_runs_job ON glue_job_runs (job, started);

CREATE TABLE IF NOT EXISTS glue_tags (
  arn TEXT NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (arn, key)
);
`;

export function migrateGlue(db: Database.Database): void {
  writeTransaction(db, () => db.exec(SCHEMA));
}
