import type { ServiceContext } from "../../../service.js";

/**
 * The contract between the embedded Athena API (executions, results, workgroup limits) and the SQL engine that runs
 * a statement on DuckDB over the embedded Glue catalog and S3 files. The API knows nothing of DuckDB; the engine
 * knows nothing of QueryExecutionIds' lifecycle, result files or paging.
 */

/** What the engine needs from the embedded AWS: the state database (catalog, S3 object rows) and the S3 files. */
export type EngineContext = Pick<ServiceContext, "db" | "stateDir" | "accountId" | "region" | "now">;

export interface StatementRequest {
  /** The SQL as the user sent it (one statement; a trailing `;` is allowed). */
  sql: string;
  /** QueryExecutionContext.Database: the database unqualified table names resolve in (default `default`). */
  database?: string;
  /** QueryExecutionContext.Catalog (only `AwsDataCatalog` exists). */
  catalog?: string;
  queryExecutionId: string;
  /** `s3://bucket/prefix/` of the execution's results: CTAS without external_location writes under `<it>tables/<id>/`. */
  outputLocation?: string;
  /** The workgroup's BytesScannedCutoffPerQuery: the engine refuses to read more (ScanLimitExceededError). */
  bytesScannedCutoff?: number;
  /** Aborted by StopQueryExecution: the engine stops at the next safe point and throws QueryCancelledError. */
  signal: AbortSignal;
}

/** A result column as Athena describes it in ResultSetMetadata.ColumnInfo. */
export interface ResultColumn {
  name: string;
  /** Trino type name: varchar, bigint, integer, double, boolean, date, timestamp, array, row, map, decimal … */
  type: string;
  precision: number;
  scale: number;
  nullable: "NOT_NULL" | "NULLABLE" | "UNKNOWN";
}

export interface StatementResult {
  /** StatementType of the execution. */
  statementType: "DDL" | "DML" | "UTILITY";
  /** The statement's kind as Athena reports it in SubstatementType (SELECT, CREATE_TABLE_AS_SELECT, INSERT, …). */
  substatementType: string;
  columns: ResultColumn[];
  /** Values rendered as Athena renders them in the result CSV and GetQueryResults; null is SQL NULL. */
  rows: (string | null)[][];
  /** Bytes of the data files the statement read (DataScannedInBytes). */
  dataScannedBytes: number;
  /** Rows written by CTAS / INSERT INTO (Athena's UpdateCount / DataManifest figure). */
  updateCount?: number;
}

/** An error as Athena reports it: `<ErrorType name>: line L:C: message` in StateChangeReason and AthenaError. */
export class AthenaQueryError extends Error {
  constructor(
    /** Trino error name: TABLE_NOT_FOUND, COLUMN_NOT_FOUND, SYNTAX_ERROR, HIVE_CURSOR_ERROR, NOT_SUPPORTED … */
    readonly errorName: string,
    message: string,
    /** AthenaError.ErrorCategory: 1 system, 2 user, 3 other. */
    readonly category: 1 | 2 | 3 = 2,
    /** AthenaError.ErrorType (Athena's numeric code, e.g. 1006 for a user error); 0 when unknown. */
    readonly errorType = 0,
  ) {
    super(message);
  }
}

/** The statement would read more than the workgroup's cutoff: Athena cancels it. */
export class ScanLimitExceededError extends Error {
  constructor(
    readonly bytes: number,
    readonly limit: number,
  ) {
    super(`Query cancelled: it would scan ${bytes} bytes, over the workgroup's limit of ${limit} bytes (BytesScannedCutoffPerQuery).`);
  }
}

/** StopQueryExecution reached the statement. */
export class QueryCancelledError extends Error {}

export interface QueryEngine {
  run(request: StatementRequest): Promise<StatementResult>;
  /** Frees DuckDB instances; called when the embedded AWS closes. */
  close(): Promise<void>;
}
