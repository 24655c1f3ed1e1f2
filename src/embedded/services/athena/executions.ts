import { randomUUID } from "node:crypto";
import type { QueryExecution, ResultConfiguration, UnprocessedQueryExecutionId } from "@aws-sdk/client-athena";
import type { JsonHandler } from "../../protocols/json.js";
import type { ServiceContext } from "../../service.js";
import { writeTransaction } from "../../store/db.js";
import { getBucket } from "../s3/bucket-rows.js";
import { getStoredObject } from "../s3/object-store.js";
import {
  clientRequestToken,
  idempotentMismatch,
  invalidRequest,
  optionalString,
  pagePosition,
  pageSize,
  pageToken,
  parseS3Uri,
  requiredString,
  sql,
  stringList,
  tooManyRequests,
  validationError,
} from "./api-common.js";
import type { ExecutionRunner } from "./execution-runs.js";
import { executionShape, findExecution, outputOf, recoverOrphans, requireExecution, statementTypeOf, type ExecutionRow } from "./execution-rows.js";
import { resultKind } from "./result-files.js";
import { checkResultConfiguration, checkWorkGroupName, PRIMARY, requireWorkGroup, storedConfiguration } from "./workgroup-rows.js";

/**
 * Query executions: StartQueryExecution (asynchronous: QUEUED → RUNNING → SUCCEEDED | FAILED | CANCELLED, see
 * execution-runs.ts), GetQueryExecution, BatchGetQueryExecution, ListQueryExecutions (newest first),
 * StopQueryExecution, GetQueryRuntimeStatistics.
 */

const MAX_QUERY_LENGTH = 262_144;
const LIST_PAGE = 50;
const BATCH = 50;
const DEFAULT_REUSE_MINUTES = 60;
const MAX_REUSE_MINUTES = 10_080;

export const NO_OUTPUT_LOCATION =
  "No output location provided. An output location is required either through the Workgroup result configuration setting or as an API input.";

/** The members a repeated ClientRequestToken must match (Athena ignores WorkGroup and ExecutionParameters there). */
interface IdempotentRequest {
  QueryString: string;
  Database: string | null;
  Catalog: string | null;
  OutputLocation: string | null;
}

function parameterList(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  const values = stringList(value, "ExecutionParameters", 1, 10_000);
  for (const v of values) if (v.length < 1 || v.length > 1024) throw validationError("executionParameters.member", "Member must have length between 1 and 1024");
  return values;
}

/** Where results go: the workgroup's settings when it enforces them, else the request's over the workgroup's. */
function effectiveResultConfiguration(workgroup: ResultConfiguration | undefined, enforce: boolean, request: ResultConfiguration): ResultConfiguration {
  return enforce ? { ...(workgroup ?? {}) } : { ...(workgroup ?? {}), ...request };
}

function reuseMinutes(value: unknown): number | undefined {
  const byAge = (value as { ResultReuseByAgeConfiguration?: { Enabled?: boolean; MaxAgeInMinutes?: number } } | undefined)?.ResultReuseByAgeConfiguration;
  if (!byAge?.Enabled) return undefined;
  const minutes = byAge.MaxAgeInMinutes ?? DEFAULT_REUSE_MINUTES;
  if (!Number.isInteger(minutes) || minutes < 0 || minutes > MAX_REUSE_MINUTES) {
    throw validationError("resultReuseConfiguration.resultReuseByAgeConfiguration.maxAgeInMinutes", `Member must have value less than or equal to ${MAX_REUSE_MINUTES}`);
  }
  return minutes;
}

/** The newest successful execution of the same statement whose result file is still there, within the age limit. */
function reusable(ctx: ServiceContext, minutes: number, query: string, parameters: string | null, database: string | null, catalog: string | null): ExecutionRow | undefined {
  const since = ctx.now().getTime() / 1000 - minutes * 60;
  const rows = sql(
    ctx.db,
    "SELECT * FROM athena_executions WHERE state = 'SUCCEEDED' AND query = ? AND parameters IS ? AND database IS ? AND catalog IS ? AND completed >= ? AND statement_type = 'DML' ORDER BY rowid DESC LIMIT 5",
  ).all(query, parameters, database, catalog, since) as ExecutionRow[];
  return rows.find((row) => {
    const file = outputOf(row).file;
    return getStoredObject(ctx, file.bucket, file.key) !== undefined;
  });
}

export function executionHandlers(runner: ExecutionRunner): Record<string, JsonHandler> {
  const StartQueryExecution: JsonHandler = (input, ctx) => {
    const query = requiredString(input.QueryString, "QueryString", 1, MAX_QUERY_LENGTH);
    const token = clientRequestToken(input.ClientRequestToken);
    const requested = checkResultConfiguration(input.ResultConfiguration);
    const workgroupName = input.WorkGroup === undefined || input.WorkGroup === null ? PRIMARY : checkWorkGroupName(input.WorkGroup, "workGroup");
    const context = (input.QueryExecutionContext ?? {}) as Record<string, unknown>;
    const database = optionalString(context.Database, "Database", 1, 255) ?? null;
    const catalog = optionalString(context.Catalog, "Catalog", 1, 256) ?? null;
    const parameters = parameterList(input.ExecutionParameters);
    const parametersJson = parameters ? JSON.stringify(parameters) : null;
    const minutes = reuseMinutes(input.ResultReuseConfiguration);
    const idempotent: IdempotentRequest = { QueryString: query, Database: database, Catalog: catalog, OutputLocation: requested.OutputLocation ?? null };

    const started = writeTransaction(ctx.db, () => {
      if (token !== undefined) {
        const earlier = sql(ctx.db, "SELECT id, request FROM athena_executions WHERE token = ?").get(token) as { id: string; request: string } | undefined;
        if (earlier) {
          if (earlier.request !== JSON.stringify(idempotent)) throw idempotentMismatch();
          return { id: earlier.id, queued: false };
        }
      }
      const workgroup = requireWorkGroup(ctx.db, workgroupName);
      if (workgroup.state === "DISABLED") throw invalidRequest(`WorkGroup ${workgroupName} is disabled.`);
      const configuration = storedConfiguration(workgroup);
      const effective = effectiveResultConfiguration(configuration.ResultConfiguration, configuration.EnforceWorkGroupConfiguration === true, requested);
      if (!effective.OutputLocation) throw invalidRequest(NO_OUTPUT_LOCATION);
      const location = parseS3Uri(effective.OutputLocation)!;
      if (!getBucket(ctx.db, location.bucket)) throw invalidRequest(`Unable to verify/create output bucket ${location.bucket}`);
      if (!runner.hasRoom()) throw tooManyRequests("Too many queries are queued or running: retry later.");

      const id = randomUUID();
      const now = ctx.now().getTime() / 1000;
      const previous = minutes === undefined ? undefined : reusable(ctx, minutes, query, parametersJson, database, catalog);
      const statementType = previous?.statement_type ?? statementTypeOf(query);
      const prefix = effective.OutputLocation.endsWith("/") ? effective.OutputLocation : `${effective.OutputLocation}/`;
      const resultConfiguration: ResultConfiguration = {
        ...effective,
        OutputLocation: previous ? (JSON.parse(previous.result_configuration) as ResultConfiguration).OutputLocation : `${prefix}${id}.${resultKind(statementType)}`,
      };
      sql(
        ctx.db,
        `INSERT INTO athena_executions (id, workgroup, query, parameters, database, catalog, token, request, result_configuration, reuse, cutoff,
           statement_type, substatement_type, state, submitted, started, completed, engine_ms, service_ms, scanned, reused_from, pid)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)`,
      ).run(
        id,
        workgroupName,
        query,
        parametersJson,
        database,
        catalog,
        token ?? null,
        JSON.stringify(idempotent),
        JSON.stringify(resultConfiguration),
        input.ResultReuseConfiguration ? JSON.stringify(input.ResultReuseConfiguration) : null,
        configuration.BytesScannedCutoffPerQuery ?? null,
        statementType,
        previous?.substatement_type ?? null,
        previous ? "SUCCEEDED" : "QUEUED",
        now,
        previous ? now : null,
        previous ? now : null,
        previous ? 0 : null,
        previous ? 0 : null,
        previous?.id ?? null,
        process.pid,
      );
      return { id, queued: previous === undefined };
    });
    if (started.queued) runner.submit(ctx, started.id);
    return { QueryExecutionId: started.id };
  };

  const GetQueryExecution: JsonHandler = (input, ctx) => ({ QueryExecution: executionShape(requireExecution(ctx.db, input.QueryExecutionId)) });

  const BatchGetQueryExecution: JsonHandler = (input, ctx) => {
    const ids = stringList(input.QueryExecutionIds, "QueryExecutionIds", 1, BATCH);
    recoverOrphans(ctx.db);
    const QueryExecutions: QueryExecution[] = [];
    const UnprocessedQueryExecutionIds: UnprocessedQueryExecutionId[] = [];
    for (const id of ids) {
      const row = findExecution(ctx.db, id);
      if (row) QueryExecutions.push(executionShape(row));
      else UnprocessedQueryExecutionIds.push({ QueryExecutionId: id, ErrorCode: "QUERY_EXECUTION_NOT_FOUND", ErrorMessage: `QueryExecution ${id} was not found` });
    }
    return { QueryExecutions, UnprocessedQueryExecutionIds };
  };

  const ListQueryExecutions: JsonHandler = (input, ctx) => {
    const max = pageSize(input.MaxResults, LIST_PAGE, 0) || LIST_PAGE;
    const workgroup = input.WorkGroup === undefined || input.WorkGroup === null ? PRIMARY : checkWorkGroupName(input.WorkGroup, "workGroup");
    requireWorkGroup(ctx.db, workgroup);
    const before = pagePosition<number>(input.NextToken) ?? Number.MAX_SAFE_INTEGER;
    const rows = sql(ctx.db, "SELECT rowid, id FROM athena_executions WHERE workgroup = ? AND rowid < ? ORDER BY rowid DESC LIMIT ?").all(workgroup, before, max + 1) as {
      rowid: number;
      id: string;
    }[];
    const page = rows.slice(0, max);
    return { QueryExecutionIds: page.map((r) => r.id), NextToken: rows.length > max ? pageToken(page[page.length - 1]!.rowid) : undefined };
  };

  const StopQueryExecution: JsonHandler = (input, ctx) => {
    const row = requireExecution(ctx.db, input.QueryExecutionId);
    // Stopping a finished query is accepted and changes nothing, as on Athena.
    const stopped = sql(ctx.db, "UPDATE athena_executions SET state = 'CANCELLED', completed = ? WHERE id = ? AND state IN ('QUEUED', 'RUNNING')").run(ctx.now().getTime() / 1000, row.id);
    if (stopped.changes > 0) runner.stop(row.id);
    return {};
  };

  const GetQueryRuntimeStatistics: JsonHandler = (input, ctx) => {
    const statistics = executionShape(requireExecution(ctx.db, input.QueryExecutionId)).Statistics!;
    return {
      QueryRuntimeStatistics: {
        Timeline: {
          QueryQueueTimeInMillis: statistics.QueryQueueTimeInMillis,
          ServicePreProcessingTimeInMillis: statistics.ServicePreProcessingTimeInMillis,
          QueryPlanningTimeInMillis: statistics.QueryPlanningTimeInMillis,
          EngineExecutionTimeInMillis: statistics.EngineExecutionTimeInMillis,
          ServiceProcessingTimeInMillis: statistics.ServiceProcessingTimeInMillis,
          TotalExecutionTimeInMillis: statistics.TotalExecutionTimeInMillis,
        },
        Rows: { InputBytes: statistics.DataScannedInBytes },
      },
    };
  };

  return { StartQueryExecution, GetQueryExecution, BatchGetQueryExecution, ListQueryExecutions, StopQueryExecution, GetQueryRuntimeStatistics };
}
