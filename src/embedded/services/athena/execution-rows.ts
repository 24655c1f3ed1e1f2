import type { AthenaError, QueryExecution, QueryExecutionStatistics, ResultConfiguration, ResultReuseConfiguration } from "@aws-sdk/client-athena";
import type Database from "better-sqlite3";
import { pidAlive, writeTransaction } from "../../store/db.js";
import { invalidRequest, parseS3Uri, requiredString, sql, toDate } from "./api-common.js";
import { systemError } from "./execution-outcomes.js";
import { EFFECTIVE_ENGINE_VERSION } from "./workgroup-rows.js";

/** Query executions as rows, shaped as GetQueryExecution returns them; recovery of executions whose process died. */

export type ExecutionState = "QUEUED" | "RUNNING" | "SUCCEEDED" | "FAILED" | "CANCELLED";

export interface ExecutionRow {
  id: string;
  workgroup: string;
  query: string;
  parameters: string | null;
  database: string | null;
  catalog: string | null;
  token: string | null;
  request: string;
  result_configuration: string;
  reuse: string | null;
  cutoff: number | null;
  statement_type: string;
  substatement_type: string | null;
  state: ExecutionState;
  reason: string | null;
  error: string | null;
  submitted: number;
  started: number | null;
  completed: number | null;
  engine_ms: number | null;
  service_ms: number | null;
  scanned: number;
  reused_from: string | null;
  pid: number | null;
}

export const UNFINISHED: readonly ExecutionState[] = ["QUEUED", "RUNNING"];

export const executionNotFound = (id: string) => invalidRequest(`QueryExecution ${id} was not found`, "QUERY_EXECUTION_NOT_FOUND");

export function findExecution(db: Database.Database, id: string): ExecutionRow | undefined {
  return sql(db, "SELECT * FROM athena_executions WHERE id = ?").get(id) as ExecutionRow | undefined;
}

export function requireExecution(db: Database.Database, value: unknown): ExecutionRow {
  const id = requiredString(value, "QueryExecutionId", 1, 128);
  recoverOrphans(db);
  const row = findExecution(db, id);
  if (!row) throw executionNotFound(id);
  return row;
}

/**
 * The statement type Athena reports from the statement's first keyword (the engine's own answer replaces it when the
 * statement finishes). It also names the result file: `.csv` for DML, `.txt` for the rest.
 */
export function statementTypeOf(query: string): "DDL" | "DML" | "UTILITY" {
  const head = /^\s*(?:(?:--[^\n]*\n|\/\*[\s\S]*?\*\/)\s*)*\(*\s*([A-Za-z]+)/.exec(query)?.[1]?.toUpperCase() ?? "";
  if (["SELECT", "WITH", "VALUES", "INSERT", "UPDATE", "DELETE", "MERGE", "UNLOAD", "TABLE"].includes(head)) return "DML";
  if (["CREATE", "DROP", "ALTER", "MSCK"].includes(head)) return "DDL";
  return "UTILITY";
}

/** Where an execution's result file is (its ResultConfiguration.OutputLocation) and the output prefix it is in. */
export function outputOf(row: Pick<ExecutionRow, "result_configuration">): { prefix: string; file: { bucket: string; key: string } } {
  const uri = (JSON.parse(row.result_configuration) as ResultConfiguration).OutputLocation!;
  return { prefix: uri.slice(0, uri.lastIndexOf("/") + 1), file: parseS3Uri(uri)! };
}

/** Statistics as GetQueryExecution shows them; the phases not reached yet count 0. */
function statistics(row: ExecutionRow): QueryExecutionStatistics {
  const ms = (seconds: number) => Math.round(seconds * 1000);
  const submitted = ms(row.submitted);
  const started = row.started === null ? undefined : ms(row.started);
  const completed = row.completed === null ? undefined : ms(row.completed);
  const queueEnd = started ?? completed;
  return {
    EngineExecutionTimeInMillis: row.engine_ms ?? 0,
    DataScannedInBytes: row.scanned,
    TotalExecutionTimeInMillis: completed === undefined ? 0 : completed - submitted,
    QueryQueueTimeInMillis: queueEnd === undefined ? 0 : queueEnd - submitted,
    ServicePreProcessingTimeInMillis: 0,
    QueryPlanningTimeInMillis: 0,
    ServiceProcessingTimeInMillis: row.service_ms ?? 0,
    ResultReuseInformation: { ReusedPreviousResult: row.reused_from !== null },
  };
}

export function executionShape(row: ExecutionRow): QueryExecution {
  const context: Record<string, string> = {};
  if (row.database !== null) context.Database = row.database;
  // Athena shows the catalog in lowercase, whatever the request's case.
  if (row.catalog !== null) context.Catalog = row.catalog.toLowerCase();
  const error = row.error === null ? undefined : (JSON.parse(row.error) as AthenaError);
  return {
    QueryExecutionId: row.id,
    Query: row.query,
    StatementType: row.statement_type as QueryExecution["StatementType"],
    ResultConfiguration: JSON.parse(row.result_configuration) as ResultConfiguration,
    ResultReuseConfiguration: row.reuse ? (JSON.parse(row.reuse) as ResultReuseConfiguration) : { ResultReuseByAgeConfiguration: { Enabled: false } },
    QueryExecutionContext: context,
    Status: {
      State: row.state,
      ...(row.reason !== null ? { StateChangeReason: row.reason } : {}),
      SubmissionDateTime: toDate(row.submitted),
      ...(row.completed !== null ? { CompletionDateTime: toDate(row.completed) } : {}),
      ...(error ? { AthenaError: error } : {}),
    },
    Statistics: statistics(row),
    WorkGroup: row.workgroup,
    EngineVersion: { SelectedEngineVersion: "AUTO", EffectiveEngineVersion: EFFECTIVE_ENGINE_VERSION },
    ...(row.parameters ? { ExecutionParameters: JSON.parse(row.parameters) as string[] } : {}),
    ...(row.substatement_type ? { SubstatementType: row.substatement_type } : {}),
  };
}

// ------------------------------------------------------------------------------------------------ orphans

/** Executions queued or running in this process (whatever service instance runs them). */
export const runningHere = new Set<string>();


/**
 * Marks FAILED the executions whose process stopped before they finished: their pid is gone, or it is this
 * process's pid (reused after a restart, as in a container) but this process does not run them.
 */
export function recoverOrphans(db: Database.Database): void {
  const rows = sql(db, "SELECT id, pid FROM athena_executions WHERE state IN ('QUEUED', 'RUNNING')").all() as { id: string; pid: number | null }[];
  const orphans = rows.filter((r) => (r.pid === process.pid ? !runningHere.has(r.id) : r.pid === null || !pidAlive(r.pid)));
  if (!orphans.length) return;
  const mark = () => {
    const now = Date.now() / 1000;
    for (const r of orphans) {
      const message = `The query was interrupted: the lakewarden process running it (pid ${r.pid ?? "?"}) stopped before it finished.`;
      sql(db, "UPDATE athena_executions SET state = 'FAILED', reason = ?, error = ?, completed = ? WHERE id = ? AND state IN ('QUEUED', 'RUNNING')").run(
        message,
        JSON.stringify(systemError(message, true)),
        now,
        r.id,
      );
    }
  };
  if (db.inTransaction) mark();
  else writeTransaction(db, mark);
}
