import { readRows, translateQuery } from "./dialect/index.js";
import { planQuery } from "./query-planner.js";
import type { Session } from "./session.js";
import { ScanLimitExceededError, type StatementResult } from "./types.js";

/** SELECT / WITH / VALUES: plan over the catalog, check the scan limit, run, and render as Athena does. */
export async function runSelect(session: Session, userSql: string): Promise<StatementResult> {
  const sql = await plannedQuery(session, userSql);
  const reader = await session.con.runAndReadAll(sql);
  return { statementType: "DML", substatementType: "SELECT", ...readRows(reader), dataScannedBytes: session.scannedBytes };
}

/** The runnable DuckDB query for a user's query, after the scan limit check (nothing has been read yet). */
export async function plannedQuery(session: Session, userSql: string): Promise<string> {
  const sql = await planOnly(session, userSql);
  checkScanLimit(session);
  return sql;
}

/** The runnable query, for a statement that will not read its rows (EXPLAIN, CREATE VIEW, CTAS WITH NO DATA). */
export function planOnly(session: Session, userSql: string): Promise<string> {
  return planQuery(session, translateQuery(userSql), userSql, session.database);
}

export function checkScanLimit(session: Session): void {
  const limit = session.request.bytesScannedCutoff;
  if (limit !== undefined && limit > 0 && session.scannedBytes > limit) throw new ScanLimitExceededError(session.scannedBytes, limit);
}
