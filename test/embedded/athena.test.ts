import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import {
  AthenaClient,
  BatchGetQueryExecutionCommand,
  CreateWorkGroupCommand,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  GetQueryRuntimeStatisticsCommand,
  paginateGetQueryResults,
  paginateListQueryExecutions,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
  type QueryExecution,
  type StartQueryExecutionCommandInput,
} from "@aws-sdk/client-athena";
import { CreateCrawlerCommand, CreateDatabaseCommand, CreateTableCommand, GetCrawlerCommand, GlueClient, StartCrawlerCommand } from "@aws-sdk/client-glue";
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAthenaService } from "../../src/embedded/services/athena/index.js";
import { createGlueService } from "../../src/embedded/services/glue/index.js";
import { createS3Service } from "../../src/embedded/services/s3/index.js";
import { putStoredObject } from "../../src/embedded/services/s3/object-store.js";
import { embeddedStack, TEST_CREDENTIALS } from "../helpers/embedded-stack.js";

/**
 * Query executions and their results, through the real AthenaClient against the embedded Athena with its real SQL
 * engine, on the seed lake's raw events (uploaded to the embedded S3 and crawled by the embedded Glue crawler).
 */

const CONCURRENCY = 2;
const RAW = "lake-raw";
const RESULTS = "lake-results";
const OUTPUT = `s3://${RESULTS}/athena/`;
const SEED = join(import.meta.dirname, "..", "..", "data", "raw");

const glueService = createGlueService();
// A short grace on close: the queries stopped by the tests are not waited for long if the engine is slow to let go.
const athenaService = createAthenaService({ concurrency: CONCURRENCY, closeGraceMs: 1000 });
const stack = embeddedStack([glueService, createS3Service(), athenaService]);
const clientOptions = { region: "us-east-1", credentials: TEST_CREDENTIALS, requestHandler: stack.handler };
const athena = new AthenaClient(clientOptions);
const glue = new GlueClient(clientOptions);
const s3 = new S3Client({ ...clientOptions, forcePathStyle: true });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const TERMINAL = new Set(["SUCCEEDED", "FAILED", "CANCELLED"]);

async function execution(id: string): Promise<QueryExecution> {
  return (await athena.send(new GetQueryExecutionCommand({ QueryExecutionId: id }))).QueryExecution!;
}

async function waitFor(id: string, until: (q: QueryExecution) => boolean = (q) => TERMINAL.has(q.Status!.State!)): Promise<QueryExecution> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const q = await execution(id);
    if (until(q)) return q;
    if (Date.now() > deadline) throw new Error(`query ${id} still ${q.Status?.State}`);
    await sleep(20);
  }
}

async function start(sql: string, input: Partial<StartQueryExecutionCommandInput> = {}): Promise<string> {
  const out = await athena.send(new StartQueryExecutionCommand({ QueryString: sql, ResultConfiguration: { OutputLocation: OUTPUT }, ...input }));
  return out.QueryExecutionId!;
}

async function run(sql: string, input: Partial<StartQueryExecutionCommandInput> = {}): Promise<QueryExecution> {
  return waitFor(await start(sql, input));
}

/** Every row GetQueryResults returns (header row included), page by page. */
async function results(id: string, pageSize?: number): Promise<(string | null)[][]> {
  const rows: (string | null)[][] = [];
  for await (const page of paginateGetQueryResults({ client: athena, ...(pageSize ? { pageSize } : {}) }, { QueryExecutionId: id })) {
    for (const row of page.ResultSet?.Rows ?? []) rows.push((row.Data ?? []).map((d) => d.VarCharValue ?? null));
  }
  return rows;
}

async function failure(promise: Promise<unknown>): Promise<{ name: string; message: string; code?: string }> {
  try {
    await promise;
  } catch (err) {
    const e = err as Error & { AthenaErrorCode?: string };
    return { name: e.name, message: e.message, code: e.AthenaErrorCode };
  }
  throw new Error("the call succeeded");
}

async function objectText(bucket: string, key: string): Promise<string> {
  return (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString();
}

const keyOf = (uri: string) => uri.replace(`s3://${RESULTS}/`, "");

/** A query that only a stop ends: a cross product of 601⁴ rows. */
const ENDLESS = "SELECT count(*) AS n FROM raw a CROSS JOIN raw b CROSS JOIN raw c CROSS JOIN raw d";
const RAW_DB = { QueryExecutionContext: { Database: "ecommerce_raw_db" } };

function seedFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? seedFiles(join(dir, e.name)) : [join(dir, e.name)]));
}

beforeAll(async () => {
  await s3.send(new CreateBucketCommand({ Bucket: RAW }));
  await s3.send(new CreateBucketCommand({ Bucket: RESULTS }));
  for (const file of seedFiles(SEED)) {
    await s3.send(new PutObjectCommand({ Bucket: RAW, Key: `data/raw/${relative(SEED, file)}`, Body: readFileSync(file) }));
  }
  await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: "ecommerce_raw_db" } }));
  await glue.send(new CreateCrawlerCommand({ Name: "raw", Role: "GlueRole", DatabaseName: "ecommerce_raw_db", Targets: { S3Targets: [{ Path: `s3://${RAW}/data/raw/` }] } }));
  await glue.send(new StartCrawlerCommand({ Name: "raw" }));
  const deadline = Date.now() + 60_000;
  for (;;) {
    const crawler = (await glue.send(new GetCrawlerCommand({ Name: "raw" }))).Crawler!;
    if (crawler.State === "READY" && crawler.LastCrawl) {
      expect(crawler.LastCrawl.Status).toBe("SUCCEEDED");
      break;
    }
    if (Date.now() > deadline) throw new Error("the crawl did not finish");
    await sleep(50);
  }
});

afterAll(async () => {
  await athenaService.close?.();
  await glueService.close?.();
  for (const client of [athena, glue, s3]) client.destroy();
  stack.close();
});

describe("a query's life", () => {
  it("runs SELECT 1 AS x to SUCCEEDED and returns the header row first, then the row", async () => {
    const q = await run("SELECT 1 AS x");
    expect(q.Status?.State).toBe("SUCCEEDED");
    expect(q.StatementType).toBe("DML");
    expect(q.WorkGroup).toBe("primary");
    expect(q.ResultConfiguration?.OutputLocation).toBe(`${OUTPUT}${q.QueryExecutionId}.csv`);
    expect(q.EngineVersion).toEqual({ SelectedEngineVersion: "AUTO", EffectiveEngineVersion: "Athena engine version 3" });
    expect(q.Status?.SubmissionDateTime).toBeInstanceOf(Date);
    expect(q.Status!.CompletionDateTime!.getTime()).toBeGreaterThanOrEqual(q.Status!.SubmissionDateTime!.getTime());
    const s = q.Statistics!;
    for (const figure of [s.TotalExecutionTimeInMillis, s.QueryQueueTimeInMillis, s.EngineExecutionTimeInMillis, s.ServiceProcessingTimeInMillis, s.QueryPlanningTimeInMillis]) {
      expect(Number.isInteger(figure) && figure! >= 0).toBe(true);
    }
    expect(s.DataScannedInBytes).toBe(0);
    expect(s.ResultReuseInformation).toEqual({ ReusedPreviousResult: false });
    const runtime = (await athena.send(new GetQueryRuntimeStatisticsCommand({ QueryExecutionId: q.QueryExecutionId }))).QueryRuntimeStatistics;
    expect(runtime?.Timeline).toMatchObject({ TotalExecutionTimeInMillis: s.TotalExecutionTimeInMillis, EngineExecutionTimeInMillis: s.EngineExecutionTimeInMillis });
    expect(runtime?.Rows).toEqual({ InputBytes: 0 });

    const out = await athena.send(new GetQueryResultsCommand({ QueryExecutionId: q.QueryExecutionId }));
    expect(out.ResultSet?.Rows).toEqual([{ Data: [{ VarCharValue: "x" }] }, { Data: [{ VarCharValue: "1" }] }]);
    expect(out.ResultSet?.ResultSetMetadata?.ColumnInfo).toEqual([
      expect.objectContaining({ CatalogName: "hive", SchemaName: "", TableName: "", Name: "x", Label: "x", Type: "integer", CaseSensitive: false }),
    ]);
    expect(out.UpdateCount).toBe(0);
    expect(out.NextToken).toBeUndefined();
  });

  it("stores the result as Athena's CSV and a JSON .metadata in the results bucket, readable with the S3 client", async () => {
    const q = await run(`SELECT 'a"b' AS quoted, CAST(NULL AS varchar) AS missing, '' AS empty, 2 AS n`);
    const key = keyOf(q.ResultConfiguration!.OutputLocation!);
    expect(await objectText(RESULTS, key)).toBe(`"quoted","missing","empty","n"\n"a""b",,"","2"\n`);
    const metadata = JSON.parse(await objectText(RESULTS, `${key}.metadata`));
    expect(metadata).toMatchObject({ format: "lakewarden-athena-result-metadata", version: 1, statementType: "DML", rowCount: 1 });
    expect(metadata.columns.map((c: { Name: string }) => c.Name)).toEqual(["quoted", "missing", "empty", "n"]);
    // NULL is a Datum without a value; the empty string is a value.
    const out = await athena.send(new GetQueryResultsCommand({ QueryExecutionId: q.QueryExecutionId }));
    expect(out.ResultSet?.Rows?.[1]).toEqual({ Data: [{ VarCharValue: 'a"b' }, {}, { VarCharValue: "" }, { VarCharValue: "2" }] });
  });

  it("queries the crawled seed table and pages its rows with MaxResults and NextToken, the header once, first", async () => {
    const q = await run("SELECT event_id AS event_id, event_type AS event_type FROM raw ORDER BY event_id", RAW_DB);
    expect(q.Status?.State).toBe("SUCCEEDED");
    expect(q.Statistics?.DataScannedInBytes).toBeGreaterThan(0);
    const whole = await results(q.QueryExecutionId!);
    expect(whole[0]).toEqual(["event_id", "event_type"]);
    expect(whole).toHaveLength(602); // 601 events and the header
    const paged = await results(q.QueryExecutionId!, 97);
    expect(paged).toEqual(whole);
    expect(new Set(whole.slice(1).map((r) => r[0])).size).toBe(601);
  });

  it("resolves unqualified tables in QueryExecutionContext.Database and shows the context as Athena does", async () => {
    const q = await run("SELECT count(*) AS n FROM raw", { QueryExecutionContext: { Database: "ecommerce_raw_db", Catalog: "AwsDataCatalog" } });
    expect(q.QueryExecutionContext).toEqual({ Database: "ecommerce_raw_db", Catalog: "awsdatacatalog" });
    expect(await results(q.QueryExecutionId!)).toEqual([["n"], ["601"]]);
  });

  it("fails a query on a table that does not exist with Athena's reason and AthenaError", async () => {
    const q = await run("SELECT * FROM no_such_table", RAW_DB);
    expect(q.Status?.State).toBe("FAILED");
    expect(q.Status?.StateChangeReason).toMatch(/^TABLE_NOT_FOUND: /);
    expect(q.Status?.AthenaError).toMatchObject({ ErrorCategory: 2, Retryable: false, ErrorMessage: q.Status?.StateChangeReason });
    expect(await failure(athena.send(new GetQueryResultsCommand({ QueryExecutionId: q.QueryExecutionId })))).toEqual({
      name: "InvalidRequestException",
      message: "Query did not finish successfully. Final query state: FAILED",
      code: "INVALID_QUERY_EXECUTION_STATE",
    });
  });

  it("writes DDL and utility results to <id>.txt, without a header row", async () => {
    const q = await run("SHOW TABLES IN ecommerce_raw_db");
    expect(q.Status?.State).toBe("SUCCEEDED");
    expect(q.StatementType).not.toBe("DML");
    expect(q.ResultConfiguration?.OutputLocation).toBe(`${OUTPUT}${q.QueryExecutionId}.txt`);
    expect(await results(q.QueryExecutionId!)).toEqual([["raw"]]);
    expect(await objectText(RESULTS, keyOf(q.ResultConfiguration!.OutputLocation!))).toBe("raw\n");
  });
});

describe("starting queries", () => {
  it("replaces ? placeholders with ExecutionParameters, in order, outside literals", async () => {
    const q = await run("SELECT ? AS a, ? AS b, '?' AS c", { ExecutionParameters: ["1", "'two'"] });
    expect(q.ExecutionParameters).toEqual(["1", "'two'"]);
    expect(q.Query).toBe("SELECT ? AS a, ? AS b, '?' AS c");
    expect(await results(q.QueryExecutionId!)).toEqual([
      ["a", "b", "c"],
      ["1", "two", "?"],
    ]);
    const wrong = await run("SELECT ? AS a", { ExecutionParameters: ["1", "2"] });
    expect(wrong.Status?.State).toBe("FAILED");
    expect(wrong.Status?.StateChangeReason).toMatch(/^INVALID_PARAMETER_USAGE: .*expected 1 but found 2/);
  });

  it("returns the same execution for a repeated ClientRequestToken and refuses it with another query", async () => {
    const token = "athena-test-token-000000000000000000001";
    const first = await start("SELECT 7 AS seven", { ClientRequestToken: token });
    const again = await start("SELECT 7 AS seven", { ClientRequestToken: token });
    expect(again).toBe(first);
    expect(await failure(start("SELECT 8 AS eight", { ClientRequestToken: token }))).toEqual({
      name: "InvalidRequestException",
      message: "Idempotent parameters do not match",
      code: "IDEMPOTENT_PARAMETER_MISMATCH",
    });
    await waitFor(first);
  });

  it("refuses a query without an output location, with Athena's message", async () => {
    const err = await failure(athena.send(new StartQueryExecutionCommand({ QueryString: "SELECT 1" })));
    expect(err).toEqual({
      name: "InvalidRequestException",
      message: "No output location provided. An output location is required either through the Workgroup result configuration setting or as an API input.",
      code: "INVALID_INPUT",
    });
  });

  it("refuses an output bucket that does not exist, a location that is not S3, and an unknown workgroup", async () => {
    expect(await failure(start("SELECT 1", { ResultConfiguration: { OutputLocation: "s3://no-such-bucket/out/" } }))).toMatchObject({
      name: "InvalidRequestException",
      message: "Unable to verify/create output bucket no-such-bucket",
    });
    expect(await failure(start("SELECT 1", { ResultConfiguration: { OutputLocation: "not-a-valid-s3-path" } }))).toMatchObject({
      message: "outputLocation is not a valid S3 path.",
      code: "INVALID_INPUT",
    });
    expect(await failure(start("SELECT 1", { WorkGroup: "nowhere" }))).toMatchObject({ message: "WorkGroup is not found." });
  });

  it("puts results where the workgroup says when it enforces its configuration, else where the query says", async () => {
    await athena.send(
      new CreateWorkGroupCommand({ Name: "enforced", Configuration: { ResultConfiguration: { OutputLocation: `s3://${RESULTS}/enforced/` }, EnforceWorkGroupConfiguration: true } }),
    );
    await athena.send(new CreateWorkGroupCommand({ Name: "loose", Configuration: { ResultConfiguration: { OutputLocation: `s3://${RESULTS}/loose` } } }));
    const mine = { ResultConfiguration: { OutputLocation: `s3://${RESULTS}/mine/` } };
    const enforced = await run("SELECT 1 AS x", { WorkGroup: "enforced", ...mine });
    expect(enforced.ResultConfiguration?.OutputLocation).toBe(`s3://${RESULTS}/enforced/${enforced.QueryExecutionId}.csv`);
    const requested = await run("SELECT 1 AS x", { WorkGroup: "loose", ...mine });
    expect(requested.ResultConfiguration?.OutputLocation).toBe(`s3://${RESULTS}/mine/${requested.QueryExecutionId}.csv`);
    const fallback = await athena.send(new StartQueryExecutionCommand({ QueryString: "SELECT 1 AS x", WorkGroup: "loose" }));
    const q = await waitFor(fallback.QueryExecutionId!);
    expect(q.ResultConfiguration?.OutputLocation).toBe(`s3://${RESULTS}/loose/${q.QueryExecutionId}.csv`);
    expect(await objectText(RESULTS, `loose/${q.QueryExecutionId}.csv`)).toBe(`"x"\n"1"\n`);
  });

  it("reuses a recent result when ResultReuseConfiguration asks for it", async () => {
    const reuse = { ResultReuseConfiguration: { ResultReuseByAgeConfiguration: { Enabled: true, MaxAgeInMinutes: 60 } } };
    const first = await run("SELECT 42 AS answer", reuse);
    const second = await run("SELECT 42 AS answer", reuse);
    expect(second.QueryExecutionId).not.toBe(first.QueryExecutionId);
    expect(second.Status?.State).toBe("SUCCEEDED");
    expect(second.Statistics?.ResultReuseInformation).toEqual({ ReusedPreviousResult: true });
    expect(second.ResultConfiguration?.OutputLocation).toBe(first.ResultConfiguration?.OutputLocation);
    expect(await results(second.QueryExecutionId!)).toEqual([["answer"], ["42"]]);
  });
});

describe("the workgroup's scan cutoff", () => {
  it("cancels a query that would scan more than BytesScannedCutoffPerQuery, as Athena does", async () => {
    // A table of 12 MB of JSON lines, over the smallest cutoff Athena allows (10,000,000 bytes).
    const line = (n: number) => JSON.stringify({ n, pad: "x".repeat(100) });
    const body = Array.from({ length: 110_000 }, (_, n) => line(n)).join("\n") + "\n";
    await putStoredObject({ db: stack.db, stateDir: stack.stateDir, now: () => new Date() }, RAW, "big/part-0.json", body);
    await glue.send(
      new CreateTableCommand({
        DatabaseName: "ecommerce_raw_db",
        TableInput: {
          Name: "big",
          TableType: "EXTERNAL_TABLE",
          Parameters: { classification: "json" },
          StorageDescriptor: {
            Columns: [
              { Name: "n", Type: "int" },
              { Name: "pad", Type: "string" },
            ],
            Location: `s3://${RAW}/big/`,
            InputFormat: "org.apache.hadoop.mapred.TextInputFormat",
            OutputFormat: "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
            SerdeInfo: { SerializationLibrary: "org.openx.data.jsonserde.JsonSerDe" },
          },
        },
      }),
    );
    await athena.send(
      new CreateWorkGroupCommand({ Name: "capped", Configuration: { ResultConfiguration: { OutputLocation: `s3://${RESULTS}/capped/` }, BytesScannedCutoffPerQuery: 10_000_000 } }),
    );
    const q = await waitFor((await athena.send(new StartQueryExecutionCommand({ QueryString: "SELECT count(*) FROM big", WorkGroup: "capped", ...RAW_DB }))).QueryExecutionId!);
    expect(q.Status?.State).toBe("CANCELLED");
    expect(q.Status?.StateChangeReason).toBe("Bytes scanned limit was exceeded");
    expect(q.Statistics?.DataScannedInBytes).toBe(10_000_000);
    // Under the cutoff, the same workgroup runs queries.
    const small = await waitFor((await athena.send(new StartQueryExecutionCommand({ QueryString: "SELECT count(*) AS n FROM raw", WorkGroup: "capped", ...RAW_DB }))).QueryExecutionId!);
    expect(small.Status?.State).toBe("SUCCEEDED");
  });
});

describe("running several queries, stopping them", () => {
  it("runs at most the concurrency at once and queues the rest; a stop ends running and queued queries", async () => {
    const running = [await start(ENDLESS, RAW_DB), await start(ENDLESS, RAW_DB)];
    for (const id of running) await waitFor(id, (q) => q.Status?.State === "RUNNING");
    const queued = await start("SELECT 1 AS x");
    // Both slots are taken by queries that do not end: the third waits.
    expect((await execution(queued)).Status?.State).toBe("QUEUED");
    expect(await failure(athena.send(new GetQueryResultsCommand({ QueryExecutionId: running[0] })))).toEqual({
      name: "InvalidRequestException",
      message: "Query has not yet finished. Current state: RUNNING",
      code: "INVALID_QUERY_EXECUTION_STATE",
    });

    await athena.send(new StopQueryExecutionCommand({ QueryExecutionId: queued }));
    const stoppedQueued = await execution(queued);
    expect(stoppedQueued.Status?.State).toBe("CANCELLED");
    expect(stoppedQueued.Statistics?.EngineExecutionTimeInMillis).toBe(0);
    for (const id of running) await athena.send(new StopQueryExecutionCommand({ QueryExecutionId: id }));
    for (const id of running) {
      const q = await waitFor(id);
      expect(q.Status?.State).toBe("CANCELLED");
      expect(await failure(athena.send(new GetQueryResultsCommand({ QueryExecutionId: id })))).toMatchObject({ message: "Could not find results", code: "RESULT_NOT_FOUND" });
      expect(await failure(s3.send(new HeadObjectCommand({ Bucket: RESULTS, Key: `athena/${id}.csv` })))).toMatchObject({ name: "NotFound" });
    }
    // Stopping a finished query changes nothing.
    await athena.send(new StopQueryExecutionCommand({ QueryExecutionId: running[0] }));
    expect((await execution(running[0]!)).Status?.State).toBe("CANCELLED");
  });

  it("finishes many queries started at once, each with its own result, never more than the concurrency running", async () => {
    const ids = await Promise.all(Array.from({ length: 6 }, (_, i) => start(`SELECT ${i} AS n`)));
    for (const [i, id] of ids.entries()) {
      expect((await waitFor(id)).Status?.State).toBe("SUCCEEDED");
      expect(await results(id)).toEqual([["n"], [String(i)]]);
    }
    // What ran when, as the runs recorded it: no instant had more than CONCURRENCY of them between start and end.
    const rows = stack.db.prepare(`SELECT started, completed FROM athena_executions WHERE id IN (${ids.map(() => "?").join(",")})`).all(...ids) as { started: number; completed: number }[];
    const events = rows.flatMap((r) => [
      { at: r.started, delta: 1 },
      { at: r.completed, delta: -1 },
    ]);
    events.sort((a, b) => a.at - b.at || a.delta - b.delta);
    let now = 0;
    let most = 0;
    for (const e of events) most = Math.max(most, (now += e.delta));
    expect(most).toBeLessThanOrEqual(CONCURRENCY);
  });
});

describe("finding executions and results", () => {
  it("lists a workgroup's executions newest first, in pages, and batch-gets them", async () => {
    await athena.send(new CreateWorkGroupCommand({ Name: "history", Configuration: { ResultConfiguration: { OutputLocation: `s3://${RESULTS}/history/` } } }));
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await athena.send(new StartQueryExecutionCommand({ QueryString: `SELECT ${i}`, WorkGroup: "history" }))).QueryExecutionId!);
    for (const id of ids) await waitFor(id);
    const listed: string[] = [];
    for await (const page of paginateListQueryExecutions({ client: athena, pageSize: 2 }, { WorkGroup: "history" })) listed.push(...(page.QueryExecutionIds ?? []));
    expect(listed).toEqual([...ids].reverse());
    const missing = "00000000-0000-4000-8000-000000000001";
    const batch = await athena.send(new BatchGetQueryExecutionCommand({ QueryExecutionIds: [ids[0]!, missing] }));
    expect(batch.QueryExecutions?.map((q) => q.QueryExecutionId)).toEqual([ids[0]]);
    expect(batch.UnprocessedQueryExecutionIds).toEqual([{ QueryExecutionId: missing, ErrorCode: "QUERY_EXECUTION_NOT_FOUND", ErrorMessage: `QueryExecution ${missing} was not found` }]);
  });

  it("answers Athena's errors for unknown ids and bad paging", async () => {
    const missing = "00000000-0000-4000-8000-000000000002";
    for (const call of [
      athena.send(new GetQueryExecutionCommand({ QueryExecutionId: missing })),
      athena.send(new GetQueryResultsCommand({ QueryExecutionId: missing })),
      athena.send(new StopQueryExecutionCommand({ QueryExecutionId: missing })),
    ]) {
      expect(await failure(call)).toEqual({ name: "InvalidRequestException", message: `QueryExecution ${missing} was not found`, code: "QUERY_EXECUTION_NOT_FOUND" });
    }
    const q = await run("SELECT 1 AS x");
    expect((await failure(athena.send(new GetQueryResultsCommand({ QueryExecutionId: q.QueryExecutionId, MaxResults: 1001 })))).message).toBe(
      "MaxResults is more than maximum allowed length 1000",
    );
    expect((await failure(athena.send(new GetQueryResultsCommand({ QueryExecutionId: q.QueryExecutionId, NextToken: "abc" })))).message).toBe("Malformed nextPageToken abc");
    // A full page carries a token even when nothing follows; the next page is empty.
    const first = await athena.send(new GetQueryResultsCommand({ QueryExecutionId: q.QueryExecutionId, MaxResults: 2 }));
    expect(first.ResultSet?.Rows).toHaveLength(2);
    const next = await athena.send(new GetQueryResultsCommand({ QueryExecutionId: q.QueryExecutionId, MaxResults: 2, NextToken: first.NextToken }));
    expect(next.ResultSet?.Rows).toEqual([]);
    expect(next.NextToken).toBeUndefined();
  });

  it("reads results back after a restart: another process on the same state directory", async () => {
    const q = await run("SELECT 'kept' AS word");
    const again = embeddedStack([createGlueService(), createS3Service(), createAthenaService()], stack.stateDir);
    const other = new AthenaClient({ ...clientOptions, requestHandler: again.handler });
    try {
      const out = await other.send(new GetQueryResultsCommand({ QueryExecutionId: q.QueryExecutionId }));
      expect(out.ResultSet?.Rows?.map((r) => r.Data?.map((d) => d.VarCharValue))).toEqual([["word"], ["kept"]]);
    } finally {
      other.destroy();
      again.close();
    }
  });

  it("marks FAILED an execution whose process died before it finished", async () => {
    const dead = spawnSync(process.execPath, ["-e", ""]).pid;
    const id = "11111111-2222-4333-8444-555555555555";
    stack.db
      .prepare(
        "INSERT INTO athena_executions (id, workgroup, query, request, result_configuration, statement_type, state, submitted, started, pid) VALUES (?, 'primary', 'SELECT 1', '{}', ?, 'DML', 'RUNNING', ?, ?, ?)",
      )
      .run(id, JSON.stringify({ OutputLocation: `${OUTPUT}${id}.csv` }), Date.now() / 1000 - 5, Date.now() / 1000 - 4, dead);
    const q = await execution(id);
    expect(q.Status?.State).toBe("FAILED");
    expect(q.Status?.StateChangeReason).toContain(`process running it (pid ${dead}) stopped before it finished`);
    expect(q.Status?.AthenaError).toMatchObject({ ErrorCategory: 1, Retryable: true });
  });
});
