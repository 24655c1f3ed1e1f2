import type { AthenaError } from "@aws-sdk/client-athena";
import { AwsError } from "../../protocols/types.js";
import type { ServiceContext } from "../../service.js";
import { putStoredObject } from "../s3/object-store.js";
import { sql } from "./api-common.js";
import { AthenaQueryError, QueryCancelledError, ScanLimitExceededError, type StatementResult } from "./engine/types.js";
import { renderCsv, renderMetadata, renderText } from "./result-files.js";

/** How a run ends: the outcome of the engine and of writing the results, as it is recorded in the execution's row. */

export type Outcome =
  | { state: "SUCCEEDED"; result: StatementResult; engineMs: number; serviceMs: number }
  | { state: "FAILED"; reason: string; error: AthenaError; engineMs: number; scanned?: number }
  | { state: "CANCELLED"; reason?: string; engineMs: number; scanned?: number };

/** Athena's reason when the workgroup's per-query data usage control cancels a query. */
export const SCAN_LIMIT_REASON = "Bytes scanned limit was exceeded";
export const INTERRUPTED = "The query was interrupted: the lakewarden process running it stopped before it finished.";
export const NEVER_RAN = "The query did not run: the lakewarden process that accepted it stopped first.";

/** A system error worth retrying (the process went away, not the query's fault). */
export const systemError = (message: string, retryable: boolean): AthenaError => ({ ErrorCategory: 1, ErrorType: 401, Retryable: retryable, ErrorMessage: message });

/** What the engine's error means for the execution. */
export function engineFailure(err: unknown, engineMs: number): Outcome {
  if (err instanceof ScanLimitExceededError) return { state: "CANCELLED", reason: SCAN_LIMIT_REASON, engineMs, scanned: err.limit };
  if (err instanceof QueryCancelledError) return { state: "CANCELLED", engineMs };
  if (err instanceof AthenaQueryError) {
    // The reason reads `<ERROR_NAME>: <message>`; a message that already names its error keeps its one prefix.
    const reason = err.message.startsWith(`${err.errorName}: `) ? err.message : `${err.errorName}: ${err.message}`;
    return { state: "FAILED", reason, error: { ErrorCategory: err.category, ErrorType: err.errorType, Retryable: false, ErrorMessage: reason }, engineMs };
  }
  const reason = `GENERIC_INTERNAL_ERROR: ${(err as Error)?.message ?? String(err)}`;
  return { state: "FAILED", reason, error: systemError(reason, false), engineMs };
}

/** Writes the result file in the kind fixed at submission (its name is in OutputLocation already) and its .metadata. */
export async function writeResultFiles(ctx: ServiceContext, file: { bucket: string; key: string }, result: StatementResult): Promise<void> {
  const csv = file.key.endsWith(".csv");
  const data = csv ? renderCsv(result.columns, result.rows) : renderText(result.rows);
  await putStoredObject(ctx, file.bucket, file.key, data, csv ? "text/csv" : "text/plain");
  await putStoredObject(ctx, file.bucket, `${file.key}.metadata`, renderMetadata(result), "application/json");
}

/** Why writing the results failed, in Athena's words where Athena has some. */
export function writeFailure(err: unknown, file: { bucket: string; key: string }, result: StatementResult, engineMs: number): Outcome {
  const reason =
    err instanceof AwsError && err.code === "NoSuchBucket"
      ? `Unable to verify/create output bucket ${file.bucket}`
      : `Error writing the query results to s3://${file.bucket}/${file.key}: ${(err as Error).message}`;
  return { state: "FAILED", reason, error: { ErrorCategory: 2, ErrorType: 0, Retryable: false, ErrorMessage: reason }, engineMs, scanned: result.dataScannedBytes };
}

/** Finishes a row that is still RUNNING (a stop that came first keeps its CANCELLED, and gets the engine's time). */
export function record(db: ServiceContext["db"], id: string, outcome: Outcome): void {
  const completed = Date.now() / 1000;
  if (outcome.state === "SUCCEEDED") {
    const r = outcome.result;
    sql(
      db,
      "UPDATE athena_executions SET state = 'SUCCEEDED', completed = ?, engine_ms = ?, service_ms = ?, scanned = ?, statement_type = ?, substatement_type = ? WHERE id = ? AND state = 'RUNNING'",
    ).run(completed, outcome.engineMs, outcome.serviceMs, r.dataScannedBytes, r.statementType, r.substatementType, id);
  } else if (outcome.state === "FAILED") {
    sql(db, "UPDATE athena_executions SET state = 'FAILED', completed = ?, engine_ms = ?, scanned = ?, reason = ?, error = ? WHERE id = ? AND state = 'RUNNING'").run(
      completed,
      outcome.engineMs,
      outcome.scanned ?? 0,
      outcome.reason,
      JSON.stringify(outcome.error),
      id,
    );
  } else {
    sql(db, "UPDATE athena_executions SET state = 'CANCELLED', completed = ?, engine_ms = ?, scanned = ?, reason = coalesce(?, reason) WHERE id = ? AND state = 'RUNNING'").run(
      completed,
      outcome.engineMs,
      outcome.scanned ?? 0,
      outcome.reason ?? null,
      id,
    );
  }
  sql(db, "UPDATE athena_executions SET engine_ms = ? WHERE id = ? AND state = 'CANCELLED' AND engine_ms IS NULL").run(outcome.engineMs, id);
}

/** Fails a row this process will not finish (closing), unless it has ended meanwhile. */
export function abandon(db: ServiceContext["db"], id: string, from: "QUEUED" | "RUNNING"): void {
  const reason = from === "QUEUED" ? NEVER_RAN : INTERRUPTED;
  try {
    sql(db, "UPDATE athena_executions SET state = 'FAILED', completed = ?, reason = ?, error = ? WHERE id = ? AND state = ?").run(
      Date.now() / 1000,
      reason,
      JSON.stringify(systemError(reason, true)),
      id,
      from,
    );
  } catch {
    // The database is gone already: the next process that looks marks the row interrupted.
  }
}
