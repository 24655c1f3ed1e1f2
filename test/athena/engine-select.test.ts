import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AthenaQueryError, QueryCancelledError, ScanLimitExceededError } from "../../src/embedded/services/athena/engine/types.js";
import { RAW_BUCKET, RAW_DB, seedBytes, seededLake, SEED_EVENTS, type SeededLake } from "./helpers.js";

let lake: SeededLake;

beforeAll(async () => {
  lake = await seededLake();
});

afterAll(async () => {
  await lake?.close();
});

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected the statement to fail");
}

describe("SELECT over the crawled seed table", () => {
  it("counts every event of both days and reports the bytes of every file read", async () => {
    const result = await lake.query('SELECT count(*) AS events FROM "ecommerce_raw_db"."raw"');
    expect(result.statementType).toBe("DML");
    expect(result.substatementType).toBe("SELECT");
    expect(result.columns.map((c) => c.name)).toEqual(["events"]);
    expect(result.rows).toEqual([[String(SEED_EVENTS)]]);
    expect(result.dataScannedBytes).toBe(seedBytes());
  });

  it("resolves db.t, awsdatacatalog.db.t and unqualified names in the request's database alike", async () => {
    for (const name of ["ecommerce_raw_db.raw", "awsdatacatalog.ecommerce_raw_db.raw", "raw", '"RAW"', "AwsDataCatalog.Ecommerce_Raw_Db.Raw"]) {
      const result = await lake.query(`SELECT count(*) FROM ${name}`);
      expect(result.rows, name).toEqual([[String(SEED_EVENTS)]]);
    }
  });

  it("fills partition columns from the partitions' values and reads nested columns", async () => {
    const result = await lake.query(
      "SELECT year, month, day, count(*) AS n, count(product.price) AS priced FROM raw GROUP BY year, month, day ORDER BY day",
    );
    expect(result.rows.map((r) => r.slice(0, 3))).toEqual([
      ["2025", "06", "23"],
      ["2025", "06", "24"],
    ]);
    expect(result.rows.reduce((n, r) => n + Number(r[3]), 0)).toBe(SEED_EVENTS);
    expect(Number(result.rows[0]![4])).toBeGreaterThan(0);
  });

  it("reads only the files of the partitions a WHERE on partition columns selects", async () => {
    const oneDay = await lake.query("SELECT count(*) FROM raw WHERE day = '23'");
    expect(oneDay.dataScannedBytes).toBe(seedBytes("day=23/"));
    const other = await lake.query("SELECT count(*) FROM raw r WHERE r.day IN ('24') AND r.event_type IS NOT NULL");
    expect(other.dataScannedBytes).toBe(seedBytes("day=24/"));
    expect(Number(oneDay.rows[0]![0]) + Number(other.rows[0]![0])).toBeLessThanOrEqual(SEED_EVENTS);
    const none = await lake.query("SELECT count(*) FROM raw WHERE year = '1999'");
    expect(none.rows).toEqual([["0"]]);
    expect(none.dataScannedBytes).toBe(0);
    // An OR across a data column cannot prune: every file is read.
    const mixed = await lake.query("SELECT count(*) FROM raw WHERE day = '23' OR event_type = 'purchase'");
    expect(mixed.dataScannedBytes).toBe(seedBytes());
  });

  it("does not see data that no crawler or DDL registered", async () => {
    await lake.put(RAW_BUCKET, "data/raw/year=2025/month=06/day=25/late.json", '{"event_id":"late","event_type":"purchase"}\n');
    const result = await lake.query("SELECT count(*) FROM raw WHERE event_id = 'late'");
    expect(result.rows).toEqual([["0"]]);
  });

  it("reports an unknown table or database with Athena's text and the name's position", async () => {
    const table = await failure(lake.query("SELECT *\nFROM   nope_table"));
    expect(table).toBeInstanceOf(AthenaQueryError);
    expect(table.message).toBe(`TABLE_NOT_FOUND: line 2:8: Table 'awsdatacatalog.${RAW_DB}.nope_table' does not exist`);
    expect((table as AthenaQueryError).errorName).toBe("TABLE_NOT_FOUND");
    expect((table as AthenaQueryError).category).toBe(2);
    const schema = await failure(lake.query('SELECT * FROM "nodb"."raw"'));
    expect(schema.message).toBe("SCHEMA_NOT_FOUND: line 1:15: Schema 'nodb' does not exist");
  });

  it("runs one query over the catalog only: no second statement, no file-reading table function", async () => {
    const two = await failure(lake.query("SELECT 1; SELECT 2"));
    expect((two as AthenaQueryError).errorName).toBe("SYNTAX_ERROR");
    const reader = await failure(lake.query(`SELECT * FROM read_json('${lake.stateDir}/s3/${RAW_BUCKET}/data/raw/year=2025/month=06/day=23/events_1.json')`));
    expect((reader as AthenaQueryError).errorName).toBe("FUNCTION_NOT_FOUND");
    const unnested = await lake.query("SELECT n FROM UNNEST(ARRAY[1, 2, 3]) AS t (n) ORDER BY n");
    expect(unnested.rows).toEqual([["1"], ["2"], ["3"]]);
  });

  it("explains a query without reading it", async () => {
    const result = await lake.query("EXPLAIN SELECT count(*) FROM raw WHERE day = '23'");
    expect(result.columns.map((c) => c.name)).toEqual(["Query Plan"]);
    expect(result.rows.length).toBeGreaterThan(0);
    expect(result.dataScannedBytes).toBe(0);
  });

  it("refuses to read over the scan limit before reading anything", async () => {
    const err = await failure(lake.query("SELECT count(*) FROM raw", { bytesScannedCutoff: seedBytes() - 1 }));
    expect(err).toBeInstanceOf(ScanLimitExceededError);
    expect((err as ScanLimitExceededError).bytes).toBe(seedBytes());
    const under = await lake.query("SELECT count(*) FROM raw WHERE day = '24'", { bytesScannedCutoff: seedBytes() - 1 });
    expect(under.rows[0]![0]).not.toBe("0");
    // Statements that read no rows are not limited.
    await lake.query("EXPLAIN SELECT count(*) FROM raw", { bytesScannedCutoff: 1 });
  });

  it("stops a running statement when its signal aborts", async () => {
    const controller = new AbortController();
    const running = lake.query("SELECT count(*) FROM range(100000000000) a", { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    expect(await failure(running)).toBeInstanceOf(QueryCancelledError);
    const aborted = new AbortController();
    aborted.abort();
    expect(await failure(lake.query("SELECT 1", { signal: aborted.signal }))).toBeInstanceOf(QueryCancelledError);
  });

  it("runs several statements at once", async () => {
    const results = await Promise.all([0, 1, 2, 3].map((i) => lake.query(`SELECT count(*) + ${i} FROM raw`)));
    expect(results.map((r) => r.rows[0]![0])).toEqual([0, 1, 2, 3].map((i) => String(SEED_EVENTS + i)));
  });
});
