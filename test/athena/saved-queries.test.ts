import { readFileSync } from "node:fs";
import { join } from "node:path";
import { GetQueryExecutionCommand, GetWorkGroupCommand, paginateGetQueryResults, StartQueryExecutionCommand, type QueryExecution } from "@aws-sdk/client-athena";
import { GetTableCommand } from "@aws-sdk/client-glue";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTarget, type Target } from "../../src/cli/target.js";
import { parseSavedQueries, type ParsedQuery } from "../../src/config/saved-queries.js";
import type { LakeConfig } from "../../src/config/types.js";
import { createDrivers } from "../../src/drivers/index.js";
import { reconcile } from "../../src/engine/reconcile.js";
import { SeedLake } from "../helpers/seed-lake.js";
import { readRawEvents, type RawEvent } from "./expected/events.js";
import { EXPECTED } from "./expected/queries.js";
import { cellMismatch, type ExpectedResult } from "./expected/trino.js";

/**
 * Every saved query of sql/athena_raw_data_queries.sql, run through the real path — the seed lake reconciled and
 * crawled on the embedded AWS, the query started with the Athena SDK in the lake's workgroup and database, its
 * results paged — equals the answer computed from the raw files in plain TypeScript (expected/queries.ts).
 */
const WORKGROUP = "ecomm";
/** Small pages, so that results longer than one page are stitched from several GetQueryResults calls. */
const PAGE_SIZE = 7;

let seed: SeedLake;
let target: Target;
let config: LakeConfig;
let events: RawEvent[];
let queries: ParsedQuery[];

beforeAll(async () => {
  seed = new SeedLake();
  config = seed.config();
  target = openTarget(config, { target: "local" });
  const result = await reconcile(config, createDrivers(target.clients), { dryRun: false, wait: true, target: target.id, stateDir: config.local.stateDir });
  const failed = result.results?.filter((r) => r.status !== "done").map((r) => `${r.address}: ${r.status} ${r.error ?? ""}`) ?? [];
  expect({ ok: result.ok, failed, observeErrors: result.plan.errors }, "the seed lake reconciles").toEqual({ ok: true, failed: [], observeErrors: [] });
  expect(result.runs?.map((r) => `${r.run}: ${r.status}`)).toContain("crawl ecommerce_raw_crawler: succeeded");
  events = readRawEvents(join(seed.dir, "data", "raw"));
  queries = parseSavedQueries(readFileSync(join(seed.dir, "sql", "athena_raw_data_queries.sql"), "utf8")).queries;
}, 120_000);

afterAll(async () => {
  await target?.close();
  seed?.remove();
});

describe("the saved queries on the crawled seed data", () => {
  it("the lake holds what the queries read: the crawled table `raw` and the workgroup ecomm with a result location", async () => {
    const table = (await target.clients.glue.send(new GetTableCommand({ DatabaseName: "ecommerce_raw_db", Name: "raw" }))).Table!;
    expect(table.StorageDescriptor?.Columns?.map((c) => `${c.Name} ${c.Type}`)).toEqual(
      expect.arrayContaining([
        "event_id string",
        "event_type string",
        "timestamp string",
        "user_id string",
        "session_id string",
        "product struct<id:string,name:string,category:string,price:double>",
        "quantity int",
        "order_id string",
        "search_query string",
        "coupon_code string",
      ]),
    );
    expect(table.PartitionKeys?.map((k) => k.Name)).toEqual(["year", "month", "day"]);
    const { WorkGroup } = await target.clients.athena.send(new GetWorkGroupCommand({ WorkGroup: WORKGROUP }));
    expect(WorkGroup?.Configuration?.ResultConfiguration?.OutputLocation).toMatch(/^s3:\/\/.+\/athena\/$/);
    expect(events.length).toBeGreaterThan(0);
  });

  it("the SQL file holds exactly the queries this test computes, each saved for ecommerce_raw_db", () => {
    expect(queries.map((q) => q.name).sort()).toEqual(Object.keys(EXPECTED).sort());
    expect(config.savedQueries.map((q) => [q.name, q.database])).toEqual(queries.map((q) => [q.name, "ecommerce_raw_db"]));
  });

  for (const name of Object.keys(EXPECTED)) {
    it(`${name} equals the result computed from the raw files`, async () => {
      const query = queries.find((q) => q.name === name);
      expect(query, `saved query ${name} in the SQL file`).toBeDefined();
      const database = config.savedQueries.find((q) => q.name === name)!.database;
      const expected = EXPECTED[name]!(events);
      const actual = await runOnAthena(query!.sql, database);
      expect(actual.columns).toEqual(expected.columns);
      expect(mismatches(expected, actual.rows).join("\n")).toBe("");
    });
  }
});

/** StartQueryExecution in the workgroup, GetQueryExecution until it ends, then every page of GetQueryResults. */
async function runOnAthena(sql: string, database: string) {
  const { athena } = target.clients;
  const { QueryExecutionId: id } = await athena.send(
    new StartQueryExecutionCommand({ QueryString: sql, WorkGroup: WORKGROUP, QueryExecutionContext: { Database: database, Catalog: "AwsDataCatalog" } }),
  );
  let execution: QueryExecution | undefined;
  for (;;) {
    execution = (await athena.send(new GetQueryExecutionCommand({ QueryExecutionId: id }))).QueryExecution;
    const state = execution?.Status?.State;
    if (state === "SUCCEEDED") break;
    // A failed query fails the test with Athena's own reason, which names the engine's problem.
    if (state === "FAILED" || state === "CANCELLED") throw new Error(`query ${state}: ${execution?.Status?.StateChangeReason}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  let columns: { name: string; type: string }[] = [];
  const rows: (string | null)[][] = [];
  for await (const page of paginateGetQueryResults({ client: athena, pageSize: PAGE_SIZE }, { QueryExecutionId: id })) {
    if (!columns.length) columns = (page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? []).map((c) => ({ name: c.Name!, type: c.Type! }));
    rows.push(...(page.ResultSet?.Rows ?? []).map((r) => (r.Data ?? []).map((d) => d.VarCharValue ?? null)));
  }
  // A SELECT's first row is the header, as on Athena.
  expect(rows[0]).toEqual(columns.map((c) => c.name));
  return { columns, rows: rows.slice(1) };
}

/** Every cell that differs, as `row N column: why` (and a differing row count), so one failure shows them all. */
function mismatches(expected: ExpectedResult, rows: (string | null)[][]): string[] {
  const out: string[] = [];
  if (rows.length !== expected.rows.length) out.push(`expected ${expected.rows.length} rows, got ${rows.length}: ${JSON.stringify(rows)}`);
  expected.rows.forEach((row, i) => {
    if (rows[i] && rows[i]!.length !== row.length) out.push(`row ${i + 1}: expected ${row.length} values, got ${rows[i]!.length}`);
    row.forEach((cell, j) => {
      const why = cellMismatch(cell, rows[i]?.[j] ?? null);
      if (why) out.push(`row ${i + 1} ${expected.columns[j]!.name}: ${why}`);
    });
  });
  return out;
}
