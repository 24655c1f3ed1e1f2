import type Database from "better-sqlite3";

/** Prepared statements, compiled once per database handle: preparing costs more than running most S3 queries. */
const cache = new WeakMap<Database.Database, Map<string, Database.Statement>>();

export function sql(db: Database.Database, text: string): Database.Statement {
  let statements = cache.get(db);
  if (!statements) cache.set(db, (statements = new Map()));
  let statement = statements.get(text);
  if (!statement) statements.set(text, (statement = db.prepare(text)));
  return statement;
}
