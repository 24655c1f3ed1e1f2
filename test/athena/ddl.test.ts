import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listStoredObjects } from "../../src/embedded/services/s3/object-store.js";
import { failure, RAW_BUCKET, RAW_DB, seedBytes, seededLake, seedFiles, SEED_EVENTS, type SeededLake } from "./helpers.js";

let lake: SeededLake;

const DAY23 = "data/raw/year=2025/month=06/day=23/events_1.json";

beforeAll(async () => {
  lake = await seededLake();
});

afterAll(async () => {
  await lake?.close();
});


const count = async (sql: string) => Number((await lake.query(sql)).rows[0]![0]);

/** A JSON events table over a prefix, partitioned like the seed data. */
const eventsTable = (name: string, prefix: string, extra = "") => `CREATE EXTERNAL TABLE IF NOT EXISTS \`${name}\` (
    \`event_id\` string, \`event_type\` string, \`timestamp\` string, product struct<id:string,price:double>)
  PARTITIONED BY (\`year\` string, \`month\` string, \`day\` string)
  ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'
  LOCATION 's3://${RAW_BUCKET}/${prefix}'${extra}`;

describe("databases and tables", () => {
  it("creates and lists databases", async () => {
    const created = await lake.query("CREATE DATABASE IF NOT EXISTS scratch_db COMMENT 'tmp'");
    expect(created.statementType).toBe("DDL");
    await lake.query("CREATE SCHEMA IF NOT EXISTS scratch_db");
    expect((await failure(lake.query("CREATE DATABASE scratch_db"))).message).toContain("already exists");
    const shown = await lake.query("SHOW DATABASES");
    expect(shown.columns.map((c) => c.name)).toEqual(["database_name"]);
    expect(shown.rows).toEqual([[RAW_DB], ["scratch_db"]]);
    expect((await lake.query("SHOW SCHEMAS LIKE 'scr*'")).rows).toEqual([["scratch_db"]]);
  });

  it("creates an external table from Hive DDL with backticks, and refuses a second one of that name", async () => {
    await lake.query(eventsTable("events_copy", "data/raw/"));
    const table = lake.catalog.getTable(RAW_DB, "events_copy")!;
    expect(table.TableType).toBe("EXTERNAL_TABLE");
    expect(table.StorageDescriptor?.SerdeInfo?.SerializationLibrary).toBe("org.openx.data.jsonserde.JsonSerDe");
    expect(table.StorageDescriptor?.Columns?.map((c) => [c.Name, c.Type])).toEqual([
      ["event_id", "string"],
      ["event_type", "string"],
      ["timestamp", "string"],
      ["product", "struct<id:string,price:double>"],
    ]);
    expect(table.PartitionKeys?.map((k) => k.Name)).toEqual(["year", "month", "day"]);
    await lake.query(eventsTable("events_copy", "elsewhere/"));
    const err = await failure(lake.query(eventsTable("events_copy", "data/raw/").replace(" IF NOT EXISTS", "")));
    expect(err.message).toContain("already exists");
    // No partition registered yet: nothing to read.
    expect(await count("SELECT count(*) FROM events_copy")).toBe(0);
  });

  it("lists tables with SHOW TABLES and a pattern", async () => {
    const all = await lake.query(`SHOW TABLES IN ${RAW_DB}`);
    expect(all.columns.map((c) => c.name)).toEqual(["tab_name"]);
    expect(all.rows.map((r) => r[0])).toContain("raw");
    expect((await lake.query("SHOW TABLES 'events*'")).rows).toEqual([["events_copy"]]);
    expect((await lake.query("SHOW TABLES LIKE 'r*|nothing'")).rows).toEqual([["raw"]]);
  });

  it("describes a table: columns, then the partition columns again under a partition section", async () => {
    const result = await lake.query("DESCRIBE events_copy");
    expect(result.statementType).toBe("UTILITY");
    expect(result.columns.map((c) => c.name)).toEqual(["col_name", "data_type", "comment"]);
    expect(result.rows.slice(0, 7)).toEqual([
      ["event_id", "string", ""],
      ["event_type", "string", ""],
      ["timestamp", "string", ""],
      ["product", "struct<id:string,price:double>", ""],
      ["year", "string", ""],
      ["month", "string", ""],
      ["day", "string", ""],
    ]);
    expect(result.rows.slice(7).map((r) => r[0])).toEqual(["", "# Partition Information", "# col_name", "", "year", "month", "day"]);
    const columns = await lake.query("SHOW COLUMNS IN events_copy");
    expect(columns.columns.map((c) => c.name)).toEqual(["field"]);
    expect(columns.rows.map((r) => r[0])).toEqual(["event_id", "event_type", "timestamp", "product", "year", "month", "day"]);
    const ddl = (await lake.query("SHOW CREATE TABLE events_copy")).rows.map((r) => r[0]).join("\n");
    expect(ddl).toContain("CREATE EXTERNAL TABLE `ecommerce_raw_db`.`events_copy`(");
    expect(ddl).toContain("PARTITIONED BY");
    expect(ddl).toContain(`'s3://${RAW_BUCKET}/data/raw/'`);
  });

  it("shows the crawled table's partitions Hive-style", async () => {
    const result = await lake.query("SHOW PARTITIONS raw");
    expect(result.columns.map((c) => c.name)).toEqual(["partition"]);
    expect(result.rows).toEqual([["year=2025/month=06/day=23"], ["year=2025/month=06/day=24"]]);
  });

  it("reports DDL on a missing table or database with Athena's names", async () => {
    expect((await failure(lake.query("DESCRIBE nope"))).message).toBe(`TABLE_NOT_FOUND: line 1:10: Table 'awsdatacatalog.${RAW_DB}.nope' does not exist`);
    expect((await failure(lake.query("SHOW TABLES IN nodb"))).errorName).toBe("SCHEMA_NOT_FOUND");
    expect((await failure(lake.query("CREATE EXTERNAL TABLE nodb.t (a int) LOCATION 's3://x/y/'"))).errorName).toBe("SCHEMA_NOT_FOUND");
    expect((await failure(lake.query("CREATE EXTERNAL TABLE bad (a notatype) LOCATION 's3://x/y/'"))).errorName).toBe("SYNTAX_ERROR");
    // Positions in a statement's query are positions in the statement.
    expect((await failure(lake.query("CREATE VIEW v AS\nSELECT * FROM   nope"))).message).toBe(
      `TABLE_NOT_FOUND: line 2:17: Table 'awsdatacatalog.${RAW_DB}.nope' does not exist`,
    );
  });
});

describe("partitions", () => {
  it("ALTER TABLE ADD PARTITION makes a folder's data visible; DROP PARTITION hides it again", async () => {
    await lake.query(`ALTER TABLE events_copy ADD
      PARTITION (year='2025', month='06', day='23') LOCATION 's3://${RAW_BUCKET}/data/raw/year=2025/month=06/day=23/'
      PARTITION (year='2025', month='06', day='24')`);
    const added = await lake.query("SELECT count(*) FROM events_copy");
    expect(added.rows).toEqual([[String(SEED_EVENTS)]]);
    expect(added.dataScannedBytes).toBe(seedBytes());
    const partition = lake.catalog.getPartitions(RAW_DB, "events_copy").find((p) => p.Values?.[2] === "24")!;
    expect(partition.StorageDescriptor?.Location).toBe(`s3://${RAW_BUCKET}/data/raw/year=2025/month=06/day=24/`);

    await lake.query("ALTER TABLE events_copy ADD IF NOT EXISTS PARTITION (year='2025', month='06', day='24')");
    expect((await failure(lake.query("ALTER TABLE events_copy ADD PARTITION (year='2025', month='06', day='24')"))).message).toContain("already exists");
    expect((await failure(lake.query("ALTER TABLE events_copy ADD PARTITION (year='2025')"))).message).toContain("does not match the partition keys");

    const dropped = await lake.query("ALTER TABLE events_copy DROP PARTITION (year='2025', month='06', day='23')");
    expect(dropped.substatementType).toBe("ALTER_TABLE_DROP_PARTITION");
    const left = await lake.query("SELECT count(*) FROM events_copy");
    expect(left.dataScannedBytes).toBe(seedBytes("day=24/"));
    await lake.query("ALTER TABLE events_copy DROP IF EXISTS PARTITION (year='2025', month='06', day='23')");
    expect((await failure(lake.query("ALTER TABLE events_copy DROP PARTITION (year='2025', month='06', day='23')"))).message).toContain("not found");
  });

  it("MSCK REPAIR TABLE registers Hive-style folders that are not partitions yet", async () => {
    for (const [key, body] of Object.entries(seedFiles())) await lake.put(RAW_BUCKET, key.replace("data/raw/", "msck/"), body);
    await lake.query(eventsTable("events_msck", "msck/"));
    expect(await count("SELECT count(*) FROM events_msck")).toBe(0);
    const repaired = await lake.query("MSCK REPAIR TABLE events_msck");
    expect(repaired.statementType).toBe("DDL");
    expect(repaired.rows.map((r) => r[0])).toContain("Repair: Added partition to metastore events_msck:year=2025/month=06/day=23");
    expect(await count("SELECT count(*) FROM events_msck")).toBe(SEED_EVENTS);

    await lake.put(RAW_BUCKET, "msck/year=2025/month=06/day=25/late.json", '{"event_id":"late","event_type":"purchase"}\n');
    await lake.put(RAW_BUCKET, "msck/not-a-partition/stray.json", '{"event_id":"stray"}\n');
    const again = await lake.query("MSCK REPAIR TABLE events_msck");
    expect(again.rows.filter((r) => r[0]!.startsWith("Repair:"))).toEqual([["Repair: Added partition to metastore events_msck:year=2025/month=06/day=25"]]);
    expect((await lake.query("SELECT event_type FROM events_msck WHERE day = '25'")).rows).toEqual([["purchase"]]);
    expect(lake.catalog.getPartitions(RAW_DB, "events_msck")).toHaveLength(3);
  });
});

describe("views", () => {
  it("stores CREATE VIEW as an Athena (Presto) view and uses it in later queries", async () => {
    const created = await lake.query("CREATE VIEW purchases AS SELECT event_id, day, product.price AS price FROM raw WHERE event_type = 'purchase'");
    expect(created.substatementType).toBe("CREATE_VIEW");
    const table = lake.catalog.getTable(RAW_DB, "purchases")!;
    expect(table.TableType).toBe("VIRTUAL_VIEW");
    expect(table.Parameters?.presto_view).toBe("true");
    const encoded = /^\/\* Presto View: (.+) \*\/$/.exec(table.ViewOriginalText ?? "")![1]!;
    const json = JSON.parse(Buffer.from(encoded, "base64").toString("utf8"));
    expect(json).toMatchObject({ catalog: "awsdatacatalog", schema: RAW_DB, columns: [{ name: "event_id", type: "varchar" }, { name: "day", type: "varchar" }, { name: "price", type: "double" }] });
    expect(json.originalSql).toContain("FROM raw");
    expect(table.StorageDescriptor?.Columns?.map((c) => c.Type)).toEqual(["string", "string", "double"]);

    const direct = await count("SELECT count(*) FROM raw WHERE event_type = 'purchase'");
    expect(direct).toBeGreaterThan(0);
    const viaView = await lake.query(`SELECT count(*) FROM "${RAW_DB}"."purchases" p WHERE p.price > 0`);
    expect(Number(viaView.rows[0]![0])).toBe(direct);
    expect(viaView.dataScannedBytes).toBe(seedBytes());

    expect((await failure(lake.query("CREATE VIEW purchases AS SELECT 1 AS x"))).message).toContain("already exists");
    expect((await lake.query("SHOW VIEWS")).rows).toEqual([["purchases"]]);
    expect((await lake.query("SHOW CREATE VIEW purchases")).rows.map((r) => r[0]).join("\n")).toContain("FROM raw WHERE event_type = 'purchase'");
    await lake.query("CREATE OR REPLACE VIEW purchases AS SELECT 1 AS x");
    expect((await lake.query("SELECT x FROM purchases")).rows).toEqual([["1"]]);
    await lake.query("DROP VIEW purchases");
    expect(lake.catalog.getTable(RAW_DB, "purchases")).toBeUndefined();
  });
});

describe("DROP TABLE", () => {
  it("removes the table from the catalog and leaves its data", async () => {
    await lake.query("DROP TABLE events_msck");
    expect(lake.catalog.getTable(RAW_DB, "events_msck")).toBeUndefined();
    expect(listStoredObjects(lake.ctx, RAW_BUCKET, "msck/").length).toBeGreaterThan(0);
    expect((await failure(lake.query("SELECT * FROM events_msck"))).errorName).toBe("TABLE_NOT_FOUND");
    await lake.query("DROP TABLE IF EXISTS events_msck");
    expect((await failure(lake.query("DROP TABLE events_msck"))).errorName).toBe("TABLE_NOT_FOUND");
    expect(listStoredObjects(lake.ctx, RAW_BUCKET, DAY23)).toHaveLength(1);
  });

  it("drops a database only when it is empty, unless CASCADE", async () => {
    await lake.query("CREATE EXTERNAL TABLE scratch_db.t (a int) LOCATION 's3://nowhere/t/'");
    expect((await failure(lake.query("DROP DATABASE scratch_db"))).message).toContain("is not empty");
    await lake.query("DROP DATABASE scratch_db CASCADE");
    expect(lake.catalog.databaseExists("scratch_db")).toBe(false);
    await lake.query("DROP DATABASE IF EXISTS scratch_db");
  });
});

describe("partition projection", () => {
  beforeAll(async () => {
    for (const region of ["eu", "us"]) {
      for (const day of ["2025/06/23", "2025/06/24"]) {
        await lake.put(RAW_BUCKET, `projected/${region}/${day}/data.json`, `{"id":"${region}-${day}"}\n`);
      }
    }
    await lake.query(`CREATE EXTERNAL TABLE projected (id string)
      PARTITIONED BY (region string, dt string)
      ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'
      LOCATION 's3://${RAW_BUCKET}/projected/'
      TBLPROPERTIES (
        'projection.enabled'='true',
        'projection.region.type'='enum', 'projection.region.values'='eu,us,ap',
        'projection.dt.type'='date', 'projection.dt.range'='2025/06/20,2025/06/24', 'projection.dt.format'='yyyy/MM/dd',
        'storage.location.template'='s3://${RAW_BUCKET}/projected/\${region}/\${dt}/')`);
  });

  it("reads the partitions the projection computes, not the catalog's", async () => {
    const all = await lake.query("SELECT region, dt, id FROM projected ORDER BY id");
    expect(all.rows).toEqual([
      ["eu", "2025/06/23", "eu-2025/06/23"],
      ["eu", "2025/06/24", "eu-2025/06/24"],
      ["us", "2025/06/23", "us-2025/06/23"],
      ["us", "2025/06/24", "us-2025/06/24"],
    ]);
    expect(lake.catalog.getPartitions(RAW_DB, "projected")).toHaveLength(0);
  });

  it("prunes projected partitions with the WHERE clause, and values out of range give no rows", async () => {
    const one = await lake.query("SELECT id FROM projected WHERE region = 'us' AND dt = '2025/06/24'");
    expect(one.rows).toEqual([["us-2025/06/24"]]);
    expect(one.dataScannedBytes).toBe(Buffer.byteLength('{"id":"us-2025/06/24"}\n'));
    const outside = await lake.query("SELECT count(*) FROM projected WHERE dt = '2025/07/01'");
    expect(outside.rows).toEqual([["0"]]);
    expect(outside.dataScannedBytes).toBe(0);
  });
});
