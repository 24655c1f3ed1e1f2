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

/** Prepared statements, compiled once per database handle: preparing costs more than running most queries. */
const prepared = new WeakMap<Database.Database, Map<string, Database.Statement>>();

export function sql(db: Database.Database, text: string): Database.Statement {
  let statements = prepared.get(db);
  if (!statements) prepared.set(db, (statements = new Map()));
  let statement = statements.get(text);
  if (!statement) statements.set(text, (statement = db.prepare(text)));
  return statement;
}

/** Whether a process (the one running a crawl or a query) is still alive. */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
