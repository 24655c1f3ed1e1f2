import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listStoredObjects } from "../../src/embedded/services/s3/object-store.js";
import { failure, RAW_BUCKET, RAW_DB, RESULTS_BUCKET, seedBytes, seededLake, SEED_EVENTS, type SeededLake } from "./helpers.js";

/** CREATE TABLE AS SELECT and INSERT INTO: files written as S3 objects, tables and partitions registered. */

let lake: SeededLake;

beforeAll(async () => {
  lake = await seededLake();
});

afterAll(async () => {
  await lake?.close();
});


const SUMMARY = "SELECT day, event_type, count(*) AS n, round(sum(product.price), 2) AS total FROM %s GROUP BY day, event_type ORDER BY day, event_type";

describe("CREATE TABLE AS SELECT", () => {
  it("writes Parquet partitioned by year/month/day, registers table and partitions, and answers as the JSON table does", async () => {
    const result = await lake.query(`CREATE TABLE events_parquet WITH (
        format = 'PARQUET', write_compression = 'SNAPPY',
        external_location = 's3://${RAW_BUCKET}/processed/events/',
        partitioned_by = ARRAY['year', 'month', 'day'])
      AS SELECT event_id, event_type, "timestamp", user_id, product, year, month, day FROM raw`);
    expect(result.statementType).toBe("DML");
    expect(result.substatementType).toBe("CREATE_TABLE_AS_SELECT");
    expect(result.updateCount).toBe(SEED_EVENTS);
    expect(result.dataScannedBytes).toBe(seedBytes());

    const table = lake.catalog.getTable(RAW_DB, "events_parquet")!;
    expect(table.StorageDescriptor?.SerdeInfo?.SerializationLibrary).toBe("org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe");
    expect(table.StorageDescriptor?.Location).toBe(`s3://${RAW_BUCKET}/processed/events/`);
    expect(table.StorageDescriptor?.Columns?.map((c) => [c.Name, c.Type])).toEqual([
      ["event_id", "string"],
      ["event_type", "string"],
      ["timestamp", "string"],
      ["user_id", "string"],
      ["product", "struct<id:string,name:string,category:string,price:double>"],
    ]);
    expect(table.PartitionKeys?.map((k) => [k.Name, k.Type])).toEqual([
      ["year", "string"],
      ["month", "string"],
      ["day", "string"],
    ]);
    const partitions = lake.catalog.getPartitions(RAW_DB, "events_parquet");
    expect(partitions.map((p) => p.StorageDescriptor?.Location).sort()).toEqual([
      `s3://${RAW_BUCKET}/processed/events/year=2025/month=06/day=23/`,
      `s3://${RAW_BUCKET}/processed/events/year=2025/month=06/day=24/`,
    ]);
    expect(listStoredObjects(lake.ctx, RAW_BUCKET, "processed/events/year=2025/month=06/day=23/").length).toBeGreaterThan(0);

    const fromJson = await lake.query(SUMMARY.replace("%s", "raw"));
    const fromParquet = await lake.query(SUMMARY.replace("%s", "events_parquet"));
    expect(fromParquet.rows).toEqual(fromJson.rows);
    // Parquet scans are counted as whole files; one day's partition reads only that day's files.
    const objects = listStoredObjects(lake.ctx, RAW_BUCKET, "processed/events/year=2025/month=06/day=24/");
    const oneDay = await lake.query("SELECT count(*) FROM events_parquet WHERE day = '24'");
    expect(oneDay.dataScannedBytes).toBe(objects.reduce((n, o) => n + o.size, 0));
  });

  it("writes JSON under the result location's tables/<QueryExecutionId>/ when no external_location is given", async () => {
    const result = await lake.query("CREATE TABLE purchases_json WITH (format = 'JSON') AS SELECT event_id, product.price AS price, day FROM raw WHERE event_type = 'purchase'", {
      queryExecutionId: "ctas-json-1",
    });
    const table = lake.catalog.getTable(RAW_DB, "purchases_json")!;
    expect(table.StorageDescriptor?.Location).toBe(`s3://${RESULTS_BUCKET}/athena/tables/ctas-json-1/`);
    expect(listStoredObjects(lake.ctx, RESULTS_BUCKET, "athena/tables/ctas-json-1/").length).toBe(1);
    const back = await lake.query("SELECT count(*), round(sum(price), 2) FROM purchases_json");
    const direct = await lake.query("SELECT count(*), round(sum(product.price), 2) FROM raw WHERE event_type = 'purchase'");
    expect(back.rows).toEqual(direct.rows);
    expect(Number(back.rows[0]![0])).toBe(result.updateCount);
  });

  it("refuses an external_location that already holds data, and partition columns that are not last", async () => {
    const taken = await failure(lake.query(`CREATE TABLE again WITH (external_location = 's3://${RAW_BUCKET}/processed/events/') AS SELECT 1 AS x`));
    expect(taken.errorName).toBe("HIVE_PATH_ALREADY_EXISTS");
    const order = await failure(lake.query("CREATE TABLE misordered WITH (partitioned_by = ARRAY['day']) AS SELECT day, event_id FROM raw"));
    expect(order.errorName).toBe("HIVE_COLUMN_ORDER_MISMATCH");
    expect(lake.catalog.getTable(RAW_DB, "misordered")).toBeUndefined();
  });
});

describe("INSERT INTO", () => {
  it("appends new files, adds the new partition, and keeps the existing ones", async () => {
    const before = listStoredObjects(lake.ctx, RAW_BUCKET, "processed/events/").length;
    const result = await lake.query(
      `INSERT INTO events_parquet SELECT event_id, event_type, "timestamp", user_id, product, year, month, '25' FROM raw WHERE day = '24'`,
    );
    expect(result.substatementType).toBe("INSERT");
    const day24 = Number((await lake.query("SELECT count(*) FROM raw WHERE day = '24'")).rows[0]![0]);
    expect(result.updateCount).toBe(day24);
    expect(result.dataScannedBytes).toBe(seedBytes("day=24/"));
    expect(listStoredObjects(lake.ctx, RAW_BUCKET, "processed/events/").length).toBe(before + 1);
    expect(lake.catalog.getPartitions(RAW_DB, "events_parquet").map((p) => p.Values?.[2]).sort()).toEqual(["23", "24", "25"]);
    expect((await lake.query("SELECT count(*) FROM events_parquet")).rows).toEqual([[String(SEED_EVENTS + day24)]]);

    // Into an existing partition, with a column list: the others are NULL.
    await lake.query("INSERT INTO events_parquet (event_id, year, month, day) VALUES ('extra', '2025', '06', '25')");
    expect(lake.catalog.getPartitions(RAW_DB, "events_parquet")).toHaveLength(3);
    expect((await lake.query("SELECT event_type, day FROM events_parquet WHERE event_id = 'extra'")).rows).toEqual([[null, "25"]]);
  });

  it("refuses a query with the wrong number of columns", async () => {
    const err = await failure(lake.query("INSERT INTO events_parquet SELECT event_id FROM raw"));
    expect(err.message).toContain("columns");
  });
});
