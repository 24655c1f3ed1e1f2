import { mkdirSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";

/**
 * The embedded AWS's metadata: one SQLite database in the state directory. WAL mode lets a `local serve` and a
 * `reconcile` share it; writers wait for each other (busy timeout) instead of failing.
 */
export function openStateDb(stateDir: string): Database.Database {
  mkdirSync(stateDir, { recursive: true });
  const db = new Database(join(stateDir, "state.db"), { timeout: 10_000 });
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("foreign_keys = ON");
  return db;
}

/** Runs `fn` in an IMMEDIATE transaction: the write lock is taken up front, so two processes never deadlock. */
export function writeTransaction<T>(db: Database.Database, fn: () => T): T {
  return db.transaction(fn).immediate();
}
