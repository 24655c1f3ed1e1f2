import { createJsonService } from "../../protocols/json.js";
import type { EmbeddedService } from "../../service.js";
import { ExecutionRunner, type RunnerOptions } from "./execution-runs.js";
import { executionHandlers } from "./executions.js";
import { metadataHandlers } from "./metadata.js";
import { namedQueryHandlers } from "./named-queries.js";
import { resultHandlers } from "./results.js";
import { migrateAthena } from "./schema.js";
import { tagHandlers } from "./tags.js";
import { workgroupHandlers } from "./workgroups.js";

export type AthenaServiceOptions = RunnerOptions;

/**
 * The embedded Athena (awsJson1_1, `X-Amz-Target: AmazonAthena.<Operation>`): workgroups, named queries, query
 * executions run by the SQL engine (engine/, DuckDB over the embedded Glue catalog and S3 files) with their results
 * in the results bucket, and the catalog as Athena shows it. It reads the Glue and S3 services' tables: it runs
 * beside them.
 */
export function createAthenaService(options: AthenaServiceOptions = {}): EmbeddedService {
  const runner = new ExecutionRunner(options);
  const service = createJsonService({
    name: "athena",
    signingName: "athena",
    targetPrefix: "AmazonAthena",
    version: "1.1",
    migrate: migrateAthena,
    handlers: { ...workgroupHandlers, ...tagHandlers, ...namedQueryHandlers, ...executionHandlers(runner), ...resultHandlers, ...metadataHandlers },
  });
  // Queries run in the background of this process: they finish, and the engine closes, before the state database does.
  return { ...service, close: () => runner.close() };
}
