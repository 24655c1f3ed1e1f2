import type Database from "better-sqlite3";
import { writeTransaction } from "../../store/db.js";

/**
 * Athena's state: workgroups (with `primary`, which always exists), their tags, named queries and query executions.
 * Definitions are the API's JSON shapes; times are epoch seconds (REAL). Query results are not here: they are
 * objects in the results bucket (`<OutputLocation><id>.csv` and its `.metadata`), read back by GetQueryResults.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS athena_workgroups (
  name TEXT PRIMARY KEY,
  state TEXT NOT NULL DEFAULT 'ENABLED',
  description TEXT,
  configuration TEXT NOT NULL,    -- WorkGroupConfiguration JSON as the client set it
  created REAL NOT NULL
);

CREATE TABLE IF NOT EXISTS athena_tags (
  arn TEXT NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (arn, key)
);

CREATE TABLE IF NOT EXISTS athena_named_queries (
  id TEXT PRIMARY KEY,
  workgroup TEXT NOT NULL,
  name TEXT NOT NULL,             -- names may repeat, as on Athena
  description TEXT,
  database TEXT NOT NULL,
  query TEXT NOT NULL,
  token TEXT UNIQUE,              -- ClientRequestToken of the CreateNamedQuery that made it
  created REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS athena_named_queries_workgroup ON athena_named_queries (workgroup);

-- One row per StartQueryExecution; rowid orders them (ListQueryExecutions: newest first).
CREATE TABLE IF NOT EXISTS athena_executions (
  id TEXT PRIMARY KEY,
  workgroup TEXT NOT NULL,
  query TEXT NOT NULL,
  parameters TEXT,                -- ExecutionParameters JSON
  database TEXT,
  catalog TEXT,
  token TEXT,                     -- ClientRequestToken
  request TEXT NOT NULL,          -- JSON of the members a repeated token must match
  result_configuration TEXT NOT NULL, -- effective ResultConfiguration JSON, OutputLocation = the result file
  reuse TEXT,                     -- ResultReuseConfiguration JSON
  cutoff INTEGER,                 -- the workgroup's BytesScannedCutoffPerQuery at submission
  statement_type TEXT NOT NULL,
  substatement_type TEXT,
  state TEXT NOT NULL,            -- QUEUED RUNNING SUCCEEDED FAILED CANCELLED
  reason TEXT,                    -- StateChangeReason
  error TEXT,                     -- AthenaError JSON
  submitted REAL NOT NULL,
  started REAL,
  completed REAL,
  engine_ms INTEGER,
  service_ms INTEGER,
  scanned INTEGER NOT NULL DEFAULT 0,
  reused_from TEXT,               -- the execution whose result this one reused
  pid INTEGER                     -- process that runs it (orphan recovery)
);
CREATE INDEX IF NOT EXISTS athena_executions_workgroup ON athena_executions (workgroup);
CREATE UNIQUE INDEX IF NOT EXISTS athena_executions_token ON athena_executions (token) WHERE token IS NOT NULL;
CREATE INDEX IF NOT EXISTS athena_executions_unfinished ON athena_executions (state) WHERE state IN ('QUEUED', 'RUNNING');
`;

export function migrateAthena(db: Database.Database): void {
  writeTransaction(db, () => {
    db.exec(SCHEMA);
    // Athena's default workgroup exists in every account and cannot be deleted.
    db.prepare("INSERT OR IGNORE INTO athena_workgroups (name, state, configuration, created) VALUES ('primary', 'ENABLED', '{}', ?)").run(Date.now() / 1000);
  });
}
