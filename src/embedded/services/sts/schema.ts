import type Database from "better-sqlite3";
import { migrateIam } from "../iam/schema.js";

/** Temporary credentials handed out by AssumeRole, so that GetCallerIdentity can say who is calling. */
export function migrateSts(db: Database.Database): void {
  // AssumeRole reads IAM's roles: make sure they exist even when STS is set up alone (idempotent).
  migrateIam(db);
  db.exec(`
    CREATE TABLE IF NOT EXISTS sts_sessions (
      access_key_id TEXT NOT NULL PRIMARY KEY,
      secret_access_key TEXT NOT NULL,
      session_token TEXT NOT NULL,
      role_arn TEXT NOT NULL,
      assumed_role_id TEXT NOT NULL,
      assumed_role_arn TEXT NOT NULL,
      expires_at TEXT NOT NULL
    );
  `);
}
