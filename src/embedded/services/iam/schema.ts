import type Database from "better-sqlite3";

/**
 * IAM state. Names are case-insensitive in IAM (no `MyRole` beside `myrole`), hence NOCASE. Tags are kept as a JSON
 * list on their owner: they are small, ordered, and always read with it. Policy documents are stored as given.
 */
export function migrateIam(db: Database.Database): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS iam_roles (
      name TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,
      role_id TEXT NOT NULL UNIQUE,
      path TEXT NOT NULL,
      arn TEXT NOT NULL UNIQUE,
      assume_role_policy TEXT NOT NULL,
      description TEXT,
      max_session_duration INTEGER NOT NULL,
      tags TEXT NOT NULL DEFAULT '[]',
      created_at TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS iam_role_policies (
      role_name TEXT NOT NULL COLLATE NOCASE,
      policy_name TEXT NOT NULL COLLATE NOCASE,
      document TEXT NOT NULL,
      PRIMARY KEY (role_name, policy_name)
    );
    CREATE TABLE IF NOT EXISTS iam_role_attachments (
      role_name TEXT NOT NULL COLLATE NOCASE,
      policy_arn TEXT NOT NULL,
      attached_at TEXT NOT NULL,
      PRIMARY KEY (role_name, policy_arn)
    );
    CREATE TABLE IF NOT EXISTS iam_policies (
      arn TEXT NOT NULL PRIMARY KEY,
      name TEXT NOT NULL UNIQUE COLLATE NOCASE,
      policy_id TEXT NOT NULL UNIQUE,
      path TEXT NOT NULL,
      description TEXT,
      default_version TEXT NOT NULL,
      next_version INTEGER NOT NULL,
      tags TEXT NOT NULL DEFAULT '[]',
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS iam_policy_versions (
      policy_arn TEXT NOT NULL,
      version_id TEXT NOT NULL,
      document TEXT NOT NULL,
      created_at TEXT NOT NULL,
      PRIMARY KEY (policy_arn, version_id)
    );
  `);
}
