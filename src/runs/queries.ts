import {
  GetQueryExecutionCommand,
  paginateGetQueryResults,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
  type AthenaClient,
  type QueryExecution,
} from "@aws-sdk/client-athena";

/** Running one Athena query through the API of a target (embedded or AWS): start, poll, read the results. */

export interface QueryRequest {
  sql: string;
  database?: string;
  /** Default: Athena's `primary`. */
  workgroup?: string;
  /** `s3://…/`, for workgroups without a result location of their own. */
  outputLocation?: string;
}

export type QueryState = "QUEUED" | "RUNNING" | "SUCCEEDED" | "FAILED" | "CANCELLED";

export interface QueryRun {
  id: string;
  state: "SUCCEEDED" | "FAILED" | "CANCELLED";
  /** Athena's StateChangeReason: the error of a failed query, why a query was cancelled. */
  reason?: string;
  workgroup: string;
  scannedBytes: number;
  engineMillis: number;
  totalMillis: number;
  /** Where Athena wrote the result file. */
  outputLocation?: string;
  statementType?: string;
  columns: { name: string; type: string }[];
  /** Rows without the header row Athena returns first for a SELECT. */
  rows: (string | null)[][];
}

export interface QueryRunOptions {
  /** Stops the query (StopQueryExecution) and returns it CANCELLED. */
  signal?: AbortSignal;
  /** Called on each poll with the current state and the seconds since the start. */
  onProgress?: (state: QueryState, seconds: number, scannedBytes: number) => void;
  /** Read the result rows (default true). */
  results?: boolean;
  pollMs?: number;
}

export async function startQuery(athena: AthenaClient, request: QueryRequest): Promise<string> {
  const out = await athena.send(
    new StartQueryExecutionCommand({
      QueryString: request.sql,
      WorkGroup: request.workgroup ?? "primary",
      ...(request.database ? { QueryExecutionContext: { Database: request.database, Catalog: "AwsDataCatalog" } } : {}),
      ...(request.outputLocation ? { ResultConfiguration: { OutputLocation: request.outputLocation } } : {}),
    }),
  );
  return out.QueryExecutionId!;
}

const TERMINAL = new Set(["SUCCEEDED", "FAILED", "CANCELLED"]);

/** Polls until the query ends; backs off from 25 ms to `pollMs` (1 s) so that short queries return fast. */
export async function waitForQuery(athena: AthenaClient, id: string, options: QueryRunOptions = {}): Promise<QueryExecution> {
  const started = Date.now();
  let delay = 25;
  let stopSent = false;
  for (;;) {
    if (options.signal?.aborted && !stopSent) {
      stopSent = true;
      await athena.send(new StopQueryExecutionCommand({ QueryExecutionId: id }));
    }
    const { QueryExecution: execution } = await athena.send(new GetQueryExecutionCommand({ QueryExecutionId: id }));
    const state = (execution?.Status?.State ?? "QUEUED") as QueryState;
    options.onProgress?.(state, (Date.now() - started) / 1000, execution?.Statistics?.DataScannedInBytes ?? 0);
    if (TERMINAL.has(state)) return execution!;
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, options.pollMs ?? 1000);
  }
}

/** The columns and rows of a finished query; the header row Athena puts first for a SELECT is dropped. */
export async function readResults(athena: AthenaClient, id: string, statementType?: string): Promise<Pick<QueryRun, "columns" | "rows">> {
  let columns: QueryRun["columns"] = [];
  const rows: QueryRun["rows"] = [];
  let first = true;
  for await (const page of paginateGetQueryResults({ client: athena, pageSize: 1000 }, { QueryExecutionId: id })) {
    if (first) columns = (page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? []).map((c) => ({ name: c.Name ?? c.Label ?? "", type: c.Type ?? "varchar" }));
    const pageRows = (page.ResultSet?.Rows ?? []).map((r) => (r.Data ?? []).map((d) => d.VarCharValue ?? null));
    if (first && statementType === "DML" && pageRows.length && isHeader(pageRows[0]!, columns)) pageRows.shift();
    first = false;
    rows.push(...pageRows);
  }
  return { columns, rows };
}

function isHeader(row: (string | null)[], columns: QueryRun["columns"]): boolean {
  return row.length === columns.length && row.every((v, i) => v === columns[i]!.name);
}

/** Starts a query, waits for it, and reads its results when it succeeded. */
export async function runQuery(athena: AthenaClient, request: QueryRequest, options: QueryRunOptions = {}): Promise<QueryRun> {
  const id = await startQuery(athena, request);
  const execution = await waitForQuery(athena, id, options);
  const state = execution.Status!.State as QueryRun["state"];
  const stats = execution.Statistics ?? {};
  const run: QueryRun = {
    id,
    state,
    ...(execution.Status?.StateChangeReason ? { reason: execution.Status.StateChangeReason } : {}),
    workgroup: execution.WorkGroup ?? request.workgroup ?? "primary",
    scannedBytes: stats.DataScannedInBytes ?? 0,
    engineMillis: stats.EngineExecutionTimeInMillis ?? 0,
    totalMillis: stats.TotalExecutionTimeInMillis ?? 0,
    ...(execution.ResultConfiguration?.OutputLocation ? { outputLocation: execution.ResultConfiguration.OutputLocation } : {}),
    ...(execution.StatementType ? { statementType: execution.StatementType } : {}),
    columns: [],
    rows: [],
  };
  if (state === "SUCCEEDED" && options.results !== false) Object.assign(run, await readResults(athena, id, execution.StatementType));
  return run;
}
