import { SqliteCatalog } from "../../glue/catalog-store.js";
import { DuckHost } from "./duck-host.js";
import { toAthenaError, userError } from "./errors.js";
import { executeStatement } from "./execute.js";
import { Session } from "./session.js";
import { withoutTrailingSemicolon } from "./sql-lexer.js";
import { QueryCancelledError, type EngineContext, type QueryEngine, type StatementRequest, type StatementResult } from "./types.js";

export { AthenaQueryError, QueryCancelledError, ScanLimitExceededError } from "./types.js";
export type { EngineContext, QueryEngine, ResultColumn, StatementRequest, StatementResult } from "./types.js";

/**
 * The embedded Athena's SQL engine: runs one statement at a time per call (calls may overlap) on DuckDB over the
 * Glue catalog and the S3 object files of the state directory. The DuckDB instance starts with the first statement.
 */
export function createQueryEngine(ctx: EngineContext): QueryEngine {
  let host: Promise<DuckHost> | undefined;
  const running = new Set<Promise<unknown>>();
  const catalog = new SqliteCatalog(ctx.db, ctx.accountId, ctx.region, () => ctx.now().getTime() / 1000);

  async function run(request: StatementRequest): Promise<StatementResult> {
    if (request.signal.aborted) throw new QueryCancelledError("Query cancelled by user");
    if (request.catalog && request.catalog.toLowerCase() !== "awsdatacatalog") throw userError("CATALOG_NOT_FOUND", `Catalog '${request.catalog}' does not exist`);
    const sql = withoutTrailingSemicolon(request.sql);
    host ??= DuckHost.open().catch((err: unknown) => {
      host = undefined; // a failed start is retried by the next statement
      throw err;
    });
    const duck = await host;
    let session: Session | undefined;
    try {
      return await duck.withConnection(request.signal, async (con) => {
        session = new Session(ctx, catalog, duck, con, request);
        const result = await executeStatement(session, sql);
        if (request.signal.aborted) throw new QueryCancelledError("Query cancelled by user");
        return result;
      });
    } catch (err) {
      throw toAthenaError(err, sql, request.signal, (path) => session?.urlOf(path));
    }
  }

  return {
    run(request) {
      const job = run(request);
      running.add(job);
      void job.catch(() => undefined).finally(() => running.delete(job));
      return job;
    },
    async close() {
      const duck = await host?.catch(() => undefined);
      duck?.interruptAll();
      await Promise.allSettled([...running]);
      duck?.close();
      host = undefined;
    },
  };
}
