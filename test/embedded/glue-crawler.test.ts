import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { gzipSync } from "node:zlib";
import {
  BatchGetCrawlersCommand,
  DeleteCrawlerCommand,
  GetCrawlerCommand,
  GetCrawlerMetricsCommand,
  ListCrawlersCommand,
  StartCrawlerCommand,
  StopCrawlerCommand,
  UpdateCrawlerCommand,
  type CreateCrawlerCommandInput,
} from "@aws-sdk/client-glue";
import { DeleteObjectCommand } from "@aws-sdk/client-s3";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { globToRegExp, Exclusions } from "../../src/embedded/services/glue/crawler/globs.js";
import { JsonScanner } from "../../src/embedded/services/glue/crawler/json-scan.js";
import { inferCsv } from "../../src/embedded/services/glue/crawler/csv-infer.js";
import { cronProblem } from "../../src/embedded/services/glue/crawler-schedule.js";
import { sampleFile } from "../../src/embedded/services/glue/crawler/sample.js";
import { crawl } from "../../src/embedded/services/glue/crawler/crawl.js";
import { DEFAULT_CONFIG } from "../../src/embedded/services/glue/crawler/config.js";
import { SqliteCatalog } from "../../src/embedded/services/glue/catalog-store.js";
import { listStoredObjects } from "../../src/embedded/services/s3/object-store.js";
import { columnsOf, glueType, parseGlueType } from "../../src/embedded/services/glue/crawler/types.js";
import { failure } from "./s3-harness.js";
import { columns, glueLake, jsonLines, type GlueLake } from "./glue-crawler-harness.js";

const ROOT = join(import.meta.dirname, "..", "..");

/** Files of the repository's data/raw, as `data/raw/<path>` keys. */
function seedFiles(): Record<string, Buffer> {
  const base = join(ROOT, "data", "raw");
  const out: Record<string, Buffer> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else out[`data/raw/${relative(base, path).split("\\").join("/")}`] = readFileSync(path);
    }
  };
  walk(base);
  return out;
}

let parquetDir: string;
let duck: DuckDBInstance;

async function parquet(select: string): Promise<Buffer> {
  const file = join(parquetDir, `${Math.random().toString(36).slice(2)}.parquet`);
  const con = await duck.connect();
  try {
    await con.run(`COPY (${select}) TO '${file}' (FORMAT parquet)`);
  } finally {
    con.closeSync();
  }
  return readFileSync(file);
}

interface ExpectedTable {
  name: string;
  columns: [string, string][];
  partitionKeys?: string[];
  partitions?: string[][];
  classification?: string;
  location?: string;
  parameters?: Record<string, string>;
  serde?: string;
  serdeParameters?: Record<string, string>;
}

interface Case {
  name: string;
  /** Keys relative to the bucket. */
  files: Record<string, string | Buffer> | (() => Record<string, string | Buffer> | Promise<Record<string, string | Buffer>>);
  /** Include path relative to the bucket (default: everything under `data/`). */
  path?: string;
  crawler?: Partial<CreateCrawlerCommandInput>;
  sampleSize?: number;
  exclusions?: string[];
  tables: ExpectedTable[];
  status?: "SUCCEEDED" | "FAILED";
  error?: RegExp;
  detail?: Record<string, unknown>;
}

const SEED_COLUMNS: [string, string][] = [
  ["event_id", "string"],
  ["event_type", "string"],
  ["timestamp", "string"],
  ["user_id", "string"],
  ["session_id", "string"],
  ["page", "struct<url:string,referrer:string>"],
  ["device", "struct<type:string,os:string,browser:string>"],
  ["geo", "struct<country:string,city:string>"],
  ["product", "struct<id:string,name:string,category:string,price:double>"],
  ["quantity", "int"],
  ["order_id", "string"],
  ["search_query", "string"],
  ["coupon_code", "string"],
];

const day = (n: number, extra: Record<string, unknown> = {}) => jsonLines([{ id: n, name: `event ${n}`, ...extra }, { id: n + 100, name: "x", ...extra }]);

const CASES: Case[] = [
  {
    name: "the seed layout: one table raw, partitioned by year/month/day",
    files: seedFiles,
    path: "data/raw/",
    tables: [
      {
        name: "raw",
        columns: SEED_COLUMNS,
        partitionKeys: ["year", "month", "day"],
        partitions: [
          ["2025", "06", "23"],
          ["2025", "06", "24"],
        ],
        classification: "json",
        location: "data/raw/",
        serde: "org.openx.data.jsonserde.JsonSerDe",
        serdeParameters: {
          paths: "coupon_code,device,event_id,event_type,geo,order_id,page,product,quantity,search_query,session_id,timestamp,user_id",
        },
        parameters: { compressionType: "none", typeOfData: "file", objectCount: "3", recordCount: "601", CrawlerSchemaSerializerVersion: "1.0" },
      },
    ],
    detail: { filesRead: 3, malformedRecords: 0, tablesCreated: 1, partitionsAdded: 2 },
  },
  {
    name: "non-Hive folders become partition_0, partition_1 …",
    files: { "data/logs/2025/06/23/a.json": day(1), "data/logs/2025/06/24/b.json": day(2), "data/logs/2025/07/01/c.json": day(3) },
    path: "data/logs/",
    tables: [
      {
        name: "logs",
        columns: [
          ["id", "int"],
          ["name", "string"],
        ],
        partitionKeys: ["partition_0", "partition_1", "partition_2"],
        partitions: [
          ["2025", "06", "23"],
          ["2025", "06", "24"],
          ["2025", "07", "01"],
        ],
      },
    ],
  },
  {
    name: "dissimilar siblings: one table per folder",
    files: {
      "data/mixed/orders/o1.json": jsonLines([{ order_id: "o1", amount: 10.5, currency: "EUR" }]),
      "data/mixed/orders/o2.json": jsonLines([{ order_id: "o2", amount: 3, currency: "USD" }]),
      "data/mixed/clicks/c1.json": jsonLines([{ url: "/a", ts: "2025-06-23T00:00:00Z", user: "u1" }]),
    },
    path: "data/mixed/",
    tables: [
      {
        name: "clicks",
        columns: [
          ["url", "string"],
          ["ts", "string"],
          ["user", "string"],
        ],
        partitionKeys: [],
        location: "data/mixed/clicks/",
      },
      {
        name: "orders",
        columns: [
          ["order_id", "string"],
          ["amount", "double"],
          ["currency", "string"],
        ],
        partitionKeys: [],
        location: "data/mixed/orders/",
      },
    ],
  },
  {
    name: "Glue's example: dissimilar year folders become tables year_2017 and year_2018",
    files: { "data/table1/year=2017/data1.json": jsonLines([{ A: 1, B: 2 }]), "data/table1/year=2018/data2.json": jsonLines([{ C: 3, D: 4 }]) },
    path: "data/table1/",
    tables: [
      {
        name: "year_2017",
        columns: [
          ["a", "int"],
          ["b", "int"],
        ],
      },
      {
        name: "year_2018",
        columns: [
          ["c", "int"],
          ["d", "int"],
        ],
      },
    ],
  },
  {
    name: "CombineCompatibleSchemas: one table with the union of the columns",
    files: { "data/table1/year=2017/data1.json": jsonLines([{ A: 1, B: 2 }]), "data/table1/year=2018/data2.json": jsonLines([{ C: 3, D: 4 }]) },
    path: "data/table1/",
    crawler: { Configuration: JSON.stringify({ Version: 1.0, Grouping: { TableGroupingPolicy: "CombineCompatibleSchemas" } }) },
    tables: [
      {
        name: "table1",
        columns: [
          ["a", "int"],
          ["b", "int"],
          ["c", "int"],
          ["d", "int"],
        ],
        partitionKeys: ["year"],
        partitions: [["2017"], ["2018"]],
      },
    ],
  },
  {
    name: "TableLevelConfiguration 3: tables at data/events/year=…",
    files: {
      "data/events/year=2024/month=12/e.json": day(1),
      "data/events/year=2025/month=01/e.json": day(2),
      "data/events/year=2025/month=02/e.json": day(3),
    },
    path: "data/events/",
    crawler: { Configuration: JSON.stringify({ Version: 1.0, Grouping: { TableLevelConfiguration: 3 } }) },
    tables: [
      { name: "year_2024", columns: [["id", "int"], ["name", "string"]], partitionKeys: ["month"], partitions: [["12"]], location: "data/events/year=2024/" },
      { name: "year_2025", columns: [["id", "int"], ["name", "string"]], partitionKeys: ["month"], partitions: [["01"], ["02"]] },
    ],
  },
  {
    name: "TableLevelConfiguration 1: a table at the bucket's top-level folder, below a deeper include path",
    files: { "data/events/year=2024/e.json": day(1), "data/events/year=2025/e.json": day(2) },
    path: "data/events/",
    crawler: { Configuration: JSON.stringify({ Version: 1.0, Grouping: { TableLevelConfiguration: 1 } }) },
    tables: [{ name: "events", columns: [["id", "int"], ["name", "string"]], partitionKeys: ["year"], partitions: [["2024"], ["2025"]] }],
  },
  {
    name: "exclusions: globs relative to the include path",
    files: {
      "data/ex/keep/a.json": jsonLines([{ k: 1 }]),
      "data/ex/skip/b.json": jsonLines([{ other: "x" }]),
      "data/ex/keep/c.tmp": "garbage that is not JSON\n",
      "data/ex/keep/sub/d.json": jsonLines([{ deep: true }]),
    },
    path: "data/ex/",
    exclusions: ["skip/**", "**.tmp", "keep/sub"],
    tables: [{ name: "ex", columns: [["k", "int"]], partitionKeys: ["partition_0"], partitions: [["keep"]] }],
    detail: { filesRead: 1 },
  },
  {
    name: "nested structs, arrays of structs, arrays of scalars",
    files: {
      "data/nested/n.json": jsonLines([
        { a: { b: { c: 1 } }, items: [{ sku: "x", qty: 1 }, { sku: "y", qty: 2.5, note: null }], tags: ["a", "b"], empty: [] },
        { a: { b: { c: 2, d: "z" } }, items: [], tags: [], empty: [] },
      ]),
    },
    path: "data/nested/",
    tables: [
      {
        name: "nested",
        columns: [
          ["a", "struct<b:struct<c:int,d:string>>"],
          ["items", "array<struct<sku:string,qty:double,note:string>>"],
          ["tags", "array<string>"],
          ["empty", "array<string>"],
        ],
      },
    ],
  },
  {
    name: "numbers: int, bigint beyond 32 bits, int + double → double, nulls → string, conflicts → string",
    files: {
      "data/num/n.json": jsonLines([
        { small: 1, big: 1, mixed: 1, nul: null, conflict: 1, shape: { x: 1 }, flag: true, ts: "2025-06-23T10:00:00Z", neg: -2147483648 },
        { small: 2147483647, big: 5000000000, mixed: 1.5, nul: null, conflict: "one", shape: "flat", flag: false, ts: "2025-06-23T11:00:00Z", neg: -2147483649 },
        { huge: 123456789012345678901234567890 },
      ]),
    },
    path: "data/num/",
    tables: [
      {
        name: "num",
        columns: [
          ["small", "int"],
          ["big", "bigint"],
          ["mixed", "double"],
          ["nul", "string"],
          ["conflict", "string"],
          ["shape", "string"],
          ["flag", "boolean"],
          ["ts", "string"],
          ["neg", "bigint"],
          ["huge", "double"],
        ],
      },
    ],
  },
  {
    name: "column names lowercased (first spelling kept in paths)",
    files: { "data/case/c.json": jsonLines([{ UserId: "a", Amount: 1 }, { userid: "b", AMOUNT: 2 }]) },
    path: "data/case/",
    tables: [{ name: "case", columns: [["userid", "string"], ["amount", "int"]], serdeParameters: { paths: "Amount,UserId" } }],
  },
  {
    name: "gzip JSON (by magic bytes)",
    files: { "data/gz/day=1/events.json.gz": gzipSync(day(1)), "data/gz/day=2/events.gz": gzipSync(day(2)) },
    path: "data/gz/",
    tables: [
      {
        name: "gz",
        columns: [["id", "int"], ["name", "string"]],
        partitionKeys: ["day"],
        partitions: [["1"], ["2"]],
        parameters: { classification: "json", compressionType: "gzip" },
      },
    ],
  },
  {
    name: "Parquet written by DuckDB: types from the footer",
    files: async () => ({
      "data/pq/dt=2025-01-01/part-0.parquet": await parquet(
        `SELECT 1::INT AS id, 'a' AS name, 1.5::DOUBLE AS price, 2.5::FLOAT AS ratio, 5::BIGINT AS big, 3::TINYINT AS tiny, 4::SMALLINT AS small,
                true AS flag, DATE '2025-01-01' AS d, TIMESTAMP '2025-01-01 10:00:00' AS ts, 12.34::DECIMAL(10,2) AS amount,
                'bin'::BLOB AS raw, [1, 2]::INT[] AS ints, {'a': 1, 'b': 'x'} AS s, MAP {'k': 1} AS m, [{'x': 1}] AS list_of_structs
         FROM range(3)`,
      ),
      "data/pq/dt=2025-01-02/part-0.parquet": await parquet(
        `SELECT 2::INT AS id, 'b' AS name, 2.5::DOUBLE AS price, 2.5::FLOAT AS ratio, 6::BIGINT AS big, 3::TINYINT AS tiny, 4::SMALLINT AS small,
                false AS flag, DATE '2025-01-02' AS d, TIMESTAMP '2025-01-02 10:00:00' AS ts, 1.00::DECIMAL(10,2) AS amount,
                'bin'::BLOB AS raw, [3]::INT[] AS ints, {'a': 2, 'b': 'y'} AS s, MAP {'k': 2} AS m, [{'x': 2}] AS list_of_structs`,
      ),
    }),
    path: "data/pq/",
    tables: [
      {
        name: "pq",
        columns: [
          ["id", "int"],
          ["name", "string"],
          ["price", "double"],
          ["ratio", "float"],
          ["big", "bigint"],
          ["tiny", "tinyint"],
          ["small", "smallint"],
          ["flag", "boolean"],
          ["d", "date"],
          ["ts", "timestamp"],
          ["amount", "decimal(10,2)"],
          ["raw", "binary"],
          ["ints", "array<int>"],
          ["s", "struct<a:int,b:string>"],
          ["m", "map<string,int>"],
          ["list_of_structs", "array<struct<x:int>>"],
        ],
        partitionKeys: ["dt"],
        partitions: [["2025-01-01"], ["2025-01-02"]],
        serde: "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
        parameters: { classification: "parquet", recordCount: "4" },
      },
    ],
  },
  {
    name: "CSV with a header: types from the values, delimiter detected",
    files: {
      "data/csv/a.csv": "id,name,price,active,note\n1,apple,1.5,true,\n2,pear,2,false,ripe\n3,\"fig, dried\",3.25,TRUE,\n",
      "data/semi/b.csv": "id;city\n1;Paris\n2;Lyon\n",
    },
    path: "data/",
    tables: [
      {
        name: "csv",
        columns: [
          ["id", "bigint"],
          ["name", "string"],
          ["price", "double"],
          ["active", "boolean"],
          ["note", "string"],
        ],
        serde: "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe",
        serdeParameters: { "field.delim": "," },
        parameters: { classification: "csv", delimiter: ",", "skip.header.line.count": "1", areColumnsQuoted: "true" },
      },
      { name: "semi", columns: [["id", "bigint"], ["city", "string"]], serdeParameters: { "field.delim": ";" } },
    ],
  },
  {
    name: "CSV without a header (all strings): col0, col1",
    files: { "data/nohead/a.tsv": "alpha\tbeta\ngamma\tdelta\n" },
    path: "data/nohead/",
    tables: [{ name: "nohead", columns: [["col0", "string"], ["col1", "string"]], parameters: { delimiter: "\t" } }],
  },
  {
    name: "empty and malformed files: skipped, counted, reported",
    files: {
      "data/dirty/day=1/empty.json": "",
      "data/dirty/day=1/good.json": '{"a": 1, "b": "x"}\n{"a": 2, "b": \n{"a": 3, "b": "z", "c": true}\nnot json at all\n',
      "data/dirty/day=2/good.json": jsonLines([{ a: 4, b: "y" }]),
      "data/dirty/day=3/garbage.bin": Buffer.from([0, 1, 2, 3, 255, 254, 0, 7]),
    },
    path: "data/dirty/",
    tables: [
      {
        name: "dirty",
        columns: [
          ["a", "int"],
          ["b", "string"],
          ["c", "boolean"],
        ],
        partitionKeys: ["day"],
        partitions: [["1"], ["2"]],
      },
    ],
    error: /2 malformed record\(s\) skipped.*1 file\(s\) could not be read.*no readable file in 1 folder\(s\): s3:\/\/[^ ]+\/data\/dirty\/day=3\//,
    detail: { malformedRecords: 2, skippedEmptyFiles: 1, filesRead: 3 },
  },
  {
    name: "a file beside folders is a table of its own (location: the object)",
    files: { "data/side/readme.json": jsonLines([{ title: "t" }]), "data/side/x/a.json": day(1) },
    path: "data/side/",
    tables: [
      { name: "readme_json", columns: [["title", "string"]], location: "data/side/readme.json" },
      { name: "x", columns: [["id", "int"], ["name", "string"]] },
    ],
  },
  {
    name: "SampleSize: only the first N files of each folder are read",
    files: {
      "data/sample/p=1/a.json": jsonLines([{ a: 1 }]),
      "data/sample/p=1/b.json": jsonLines([{ a: 1, unread: "x" }]),
      "data/sample/p=2/a.json": jsonLines([{ a: 2 }]),
    },
    path: "data/sample/",
    sampleSize: 1,
    tables: [{ name: "sample", columns: [["a", "int"]], partitionKeys: ["p"], partitions: [["1"], ["2"]], parameters: { objectCount: "3" } }],
    detail: { filesRead: 2 },
  },
  {
    name: "TablePrefix, and the bucket root names the table after the bucket",
    files: { "only.json": jsonLines([{ v: 1 }]) },
    path: "",
    crawler: { TablePrefix: "raw_" },
    tables: [{ name: "raw_{bucket}", columns: [["v", "int"]] }],
  },
  {
    name: "a top-level JSON array: one column `array`",
    files: { "data/arr/a.json": JSON.stringify([{ x: 1 }, { x: 2, y: "b" }]) },
    path: "data/arr/",
    tables: [{ name: "arr", columns: [["array", "array<struct<x:int,y:string>>"]] }],
  },
  {
    name: "TableThreshold exceeded: the crawl fails and writes nothing",
    files: {
      "data/many/a/x.json": jsonLines([{ a1: 1, a2: 2 }]),
      "data/many/b/x.json": jsonLines([{ b1: 1, b2: 2 }]),
      "data/many/c/x.json": jsonLines([{ c1: 1, c2: 2 }]),
    },
    path: "data/many/",
    crawler: { Configuration: JSON.stringify({ Version: 1.0, CrawlerOutput: { Tables: { TableThreshold: 2 } } }) },
    tables: [],
    status: "FAILED",
    error: /number of tables detected by the crawler \(3\) is greater than the TableThreshold \(2\)/,
  },
];

describe("Glue crawler: what Glue would have produced", () => {
  let lake: GlueLake;
  beforeAll(async () => {
    parquetDir = mkdtempSync(join(tmpdir(), "lakewarden-parquet-"));
    duck = await DuckDBInstance.create(":memory:");
    lake = glueLake();
  });
  afterAll(async () => {
    await lake.close();
    duck.closeSync();
    rmSync(parquetDir, { recursive: true, force: true });
  });

  CASES.forEach((c, index) => {
    it(c.name, async () => {
      const bucket = `crawl-case-${index}`;
      const database = `db_${index}`;
      await lake.bucket(bucket);
      await lake.database(database);
      await lake.put(bucket, typeof c.files === "function" ? await c.files() : c.files);
      const name = `crawler-${index}`;
      await lake.createCrawler({
        Name: name,
        DatabaseName: database,
        Targets: { S3Targets: [{ Path: `s3://${bucket}/${c.path ?? "data/"}`, Exclusions: c.exclusions, SampleSize: c.sampleSize }] },
        ...c.crawler,
      });
      const crawler = await lake.crawl(name);
      expect(crawler.LastCrawl?.Status, crawler.LastCrawl?.ErrorMessage).toBe(c.status ?? "SUCCEEDED");
      if (c.error) expect(crawler.LastCrawl?.ErrorMessage).toMatch(c.error);
      else expect(crawler.LastCrawl?.ErrorMessage).toBeUndefined();

      const tables = await lake.tables(database);
      expect([...tables.keys()].sort()).toEqual(c.tables.map((t) => t.name.replace("{bucket}", bucket.replace(/-/g, "_"))).sort());
      for (const want of c.tables) {
        const table = tables.get(want.name.replace("{bucket}", bucket.replace(/-/g, "_")))!;
        expect(columns(table), want.name).toEqual(want.columns);
        expect(table.TableType).toBe("EXTERNAL_TABLE");
        expect(table.Parameters?.UPDATED_BY_CRAWLER).toBe(name);
        expect(table.Parameters?.CRAWL_RUN_ID).toBe(crawler.LastCrawl?.MessagePrefix);
        if (want.partitionKeys) expect((table.PartitionKeys ?? []).map((k) => [k.Name, k.Type])).toEqual(want.partitionKeys.map((k) => [k, "string"]));
        if (want.partitions) {
          const parts = await lake.partitions(database, table.Name!);
          expect(parts.map((p) => p.Values).sort()).toEqual(want.partitions);
          for (const p of parts) {
            expect(p.StorageDescriptor?.Location).toBe(`${table.StorageDescriptor?.Location}${(table.PartitionKeys ?? []).map((k, i) => (k.Name!.startsWith("partition_") ? p.Values![i] : `${k.Name}=${p.Values![i]}`)).join("/")}/`);
            expect(p.StorageDescriptor?.Parameters?.classification).toBe(table.Parameters?.classification);
          }
        }
        if (want.classification) expect(table.Parameters?.classification).toBe(want.classification);
        if (want.location) expect(table.StorageDescriptor?.Location).toBe(`s3://${bucket}/${want.location}`);
        if (want.serde) expect(table.StorageDescriptor?.SerdeInfo?.SerializationLibrary).toBe(want.serde);
        if (want.serdeParameters) expect(table.StorageDescriptor?.SerdeInfo?.Parameters).toMatchObject(want.serdeParameters);
        if (want.parameters) {
          expect(table.Parameters).toMatchObject(want.parameters);
          expect(table.StorageDescriptor?.Parameters).toMatchObject(want.parameters);
        }
      }
      if (c.detail) expect(lake.detail(name)?.detail).toMatchObject(c.detail);
    });
  });
});

describe("Glue crawler: schema changes, deletions, incremental crawls", () => {
  let lake: GlueLake;
  let n = 0;
  beforeAll(() => {
    lake = glueLake();
  });
  afterAll(() => lake.close());

  async function setup(files: Record<string, string | Buffer>, crawler: Partial<CreateCrawlerCommandInput> = {}) {
    const i = n++;
    const bucket = `evolve-${i}`;
    const database = `evolve_${i}`;
    const name = `evolve-${i}`;
    await lake.bucket(bucket);
    await lake.database(database);
    await lake.put(bucket, files);
    await lake.createCrawler({ Name: name, DatabaseName: database, Targets: { S3Targets: [{ Path: `s3://${bucket}/events/` }] }, ...crawler });
    return { bucket, database, name };
  }

  it("a new column on a later day, UPDATE_IN_DATABASE: the table gains it, old partitions keep theirs", async () => {
    const { bucket, database, name } = await setup({ "events/day=1/a.json": jsonLines([{ a: 1, b: "x" }]) });
    await lake.crawl(name);
    await lake.put(bucket, { "events/day=2/a.json": jsonLines([{ a: 2, b: "y", c: 1.5 }]) });
    const crawler = await lake.crawl(name);
    expect(crawler.LastCrawl?.Status).toBe("SUCCEEDED");
    const table = (await lake.tables(database)).get("events")!;
    expect(columns(table)).toEqual([["a", "int"], ["b", "string"], ["c", "double"]]);
    const parts = new Map((await lake.partitions(database, "events")).map((p) => [p.Values![0], p]));
    expect(columns(parts.get("1"))).toEqual([["a", "int"], ["b", "string"]]);
    expect(columns(parts.get("2"))).toEqual([["a", "int"], ["b", "string"], ["c", "double"]]);
    expect(lake.detail(name)?.detail).toMatchObject({ tablesUpdated: 1, partitionsAdded: 1, columnsAdded: [{ table: "events", column: "c", type: "double" }] });
    const metrics = (await lake.glue.send(new GetCrawlerMetricsCommand({ CrawlerNameList: [name] }))).CrawlerMetricsList![0]!;
    expect(metrics).toMatchObject({ CrawlerName: name, TablesCreated: 0, TablesUpdated: 1, TablesDeleted: 0, StillEstimating: false, TimeLeftSeconds: 0 });
    expect(metrics.LastRuntimeSeconds).toBeGreaterThan(0);
    expect(metrics.MedianRuntimeSeconds).toBeGreaterThan(0);

    // A crawl that finds nothing new changes nothing.
    await lake.crawl(name);
    expect(lake.detail(name)?.detail).toMatchObject({ tablesCreated: 0, tablesUpdated: 0, partitionsAdded: 0, partitionsUpdated: 0 });
  });

  it("InheritFromTable: every partition takes the table's columns", async () => {
    const { bucket, database, name } = await setup(
      { "events/day=1/a.json": jsonLines([{ a: 1 }]) },
      { Configuration: JSON.stringify({ Version: 1.0, CrawlerOutput: { Partitions: { AddOrUpdateBehavior: "InheritFromTable" } } }) },
    );
    await lake.crawl(name);
    await lake.put(bucket, { "events/day=2/a.json": jsonLines([{ a: 2, extra: "e" }]) });
    await lake.crawl(name);
    for (const p of await lake.partitions(database, "events")) expect(columns(p)).toEqual([["a", "int"], ["extra", "string"]]);
  });

  it("MergeNewColumns: existing columns are kept as they are, new ones appended", async () => {
    const { bucket, database, name } = await setup(
      { "events/day=1/a.json": jsonLines([{ a: 1, b: 2 }]) },
      { Configuration: JSON.stringify({ Version: 1.0, CrawlerOutput: { Tables: { AddOrUpdateBehavior: "MergeNewColumns" } } }) },
    );
    await lake.crawl(name);
    await lake.put(bucket, { "events/day=1/a.json": jsonLines([{ a: 1.5, c: "new" }]) });
    await lake.crawl(name);
    expect(columns((await lake.tables(database)).get("events"))).toEqual([["a", "int"], ["b", "int"], ["c", "string"]]);
  });

  it("a new column on a later day, UpdateBehavior LOG: the table stays, the new partition is added", async () => {
    const { bucket, database, name } = await setup(
      { "events/day=1/a.json": jsonLines([{ a: 1, b: "x" }]) },
      { SchemaChangePolicy: { UpdateBehavior: "LOG", DeleteBehavior: "LOG" } },
    );
    await lake.crawl(name);
    const before = (await lake.tables(database)).get("events")!;
    await lake.put(bucket, { "events/day=2/a.json": jsonLines([{ a: 2, b: "y", c: 1.5 }]) });
    const crawler = await lake.crawl(name);
    expect(crawler.LastCrawl?.Status).toBe("SUCCEEDED");
    const after = (await lake.tables(database)).get("events")!;
    expect(columns(after)).toEqual([["a", "int"], ["b", "string"]]);
    expect(after.VersionId).toBe(before.VersionId);
    expect((await lake.partitions(database, "events")).map((p) => p.Values)).toEqual([["1"], ["2"]]);
    const detail = lake.detail(name)!.detail;
    expect(detail).toMatchObject({ tablesUpdated: 0, partitionsAdded: 1 });
    expect(detail.messages.join("\n")).toMatch(/Table events: new columns c double not applied \(UpdateBehavior LOG\)/);
  });

  it("DeleteBehavior DEPRECATE_IN_DATABASE marks a table whose data is gone; DELETE_FROM_DATABASE deletes tables and partitions", async () => {
    const files = {
      "events/orders/day=1/o.json": jsonLines([{ order_id: "o", amount: 1.5, currency: "EUR" }]),
      "events/orders/day=2/o.json": jsonLines([{ order_id: "p", amount: 2.5, currency: "EUR" }]),
      "events/clicks/c.json": jsonLines([{ url: "/", referrer: "x", ms: 3 }]),
      "events/users/u.json": jsonLines([{ user_id: "u", country: "FR", signup: "2025-01-01" }]),
    };
    const { bucket, database, name } = await setup(files);
    await lake.crawl(name);
    expect([...(await lake.tables(database)).keys()].sort()).toEqual(["clicks", "orders", "users"]);

    await lake.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: "events/clicks/c.json" }));
    await lake.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: "events/orders/day=2/o.json" }));
    await lake.crawl(name);
    let tables = await lake.tables(database);
    expect(tables.get("clicks")?.Parameters?.DEPRECATED_BY_CRAWLER).toMatch(/^\d{13}$/);
    expect(tables.get("orders")?.Parameters?.DEPRECATED_BY_CRAWLER).toBeUndefined();
    expect((await lake.partitions(database, "orders")).map((p) => p.Values)).toEqual([["1"], ["2"]]); // partitions are not deprecated
    expect(lake.detail(name)?.detail).toMatchObject({ tablesDeleted: 1, partitionsDeleted: 0 });

    await lake.glue.send(new UpdateCrawlerCommand({ Name: name, SchemaChangePolicy: { UpdateBehavior: "UPDATE_IN_DATABASE", DeleteBehavior: "DELETE_FROM_DATABASE" } }));
    await lake.crawl(name);
    tables = await lake.tables(database);
    expect([...tables.keys()].sort()).toEqual(["orders", "users"]);
    expect((await lake.partitions(database, "orders")).map((p) => p.Values)).toEqual([["1"]]);
    expect(lake.detail(name)?.detail).toMatchObject({ tablesDeleted: 1, partitionsDeleted: 1 });
  });

  it("a crawl reads again only the files whose ETag or size changed (CRAWL_EVERYTHING)", async () => {
    const { bucket, database, name } = await setup({
      "events/day=1/a.json": jsonLines([{ a: 1 }]),
      "events/day=2/a.json": jsonLines([{ a: 2 }]),
    });
    await lake.crawl(name);
    expect(lake.detail(name)?.detail).toMatchObject({ filesRead: 2, partitionsAdded: 2 });
    await lake.put(bucket, { "events/day=3/a.json": jsonLines([{ a: 3, b: "new" }]), "events/day=1/a.json": jsonLines([{ a: 1.5 }]) });
    await lake.crawl(name);
    expect(lake.detail(name)?.detail).toMatchObject({ filesRead: 2, partitionsAdded: 1, partitionsUpdated: 1, tablesUpdated: 1 });
    expect(columns((await lake.tables(database)).get("events"))).toEqual([["a", "double"], ["b", "string"]]);
    await lake.crawl(name);
    expect(lake.detail(name)?.detail).toMatchObject({ filesRead: 0, tablesUpdated: 0, partitionsUpdated: 0 });
  });

  it("a target in a missing bucket fails the crawl (its tables are not deleted)", async () => {
    const { database, name } = await setup({ "events/day=1/a.json": jsonLines([{ a: 1 }]) });
    await lake.crawl(name);
    await lake.glue.send(new UpdateCrawlerCommand({ Name: name, Targets: { S3Targets: [{ Path: "s3://no-such-bucket-here/events/" }] } }));
    const crawler = await lake.crawl(name);
    expect(crawler.LastCrawl).toMatchObject({ Status: "FAILED", ErrorMessage: "The S3 bucket no-such-bucket-here of target s3://no-such-bucket-here/events/ does not exist." });
    expect((await lake.tables(database)).get("events")?.Parameters?.DEPRECATED_BY_CRAWLER).toBeUndefined();
  });

  it("CRAWL_NEW_FOLDERS_ONLY reads only the new folder and adds it as a partition; the table is left alone", async () => {
    const files: Record<string, string> = {};
    for (let d = 1; d <= 5; d++) files[`events/year=2025/month=06/day=0${d}/e.json`] = day(d);
    const { bucket, database, name } = await setup(files, {
      RecrawlPolicy: { RecrawlBehavior: "CRAWL_NEW_FOLDERS_ONLY" },
      SchemaChangePolicy: { UpdateBehavior: "LOG", DeleteBehavior: "LOG" },
    });
    await lake.crawl(name);
    expect(lake.detail(name)?.detail).toMatchObject({ filesRead: 5, tablesCreated: 1, partitionsAdded: 5 });
    const before = (await lake.tables(database)).get("events")!;

    await lake.put(bucket, {
      "events/year=2025/month=06/day=06/e.json": day(6, { coupon: "NEW" }),
      "events/year=2025/month=06/day=01/late.json": jsonLines([{ id: 9, name: "late", other: 1 }]),
    });
    const crawler = await lake.crawl(name);
    expect(crawler.LastCrawl?.Status).toBe("SUCCEEDED");
    expect(lake.detail(name)?.detail).toMatchObject({ filesRead: 1, tablesCreated: 0, tablesUpdated: 0, partitionsAdded: 1 });
    const after = (await lake.tables(database)).get("events")!;
    expect(columns(after)).toEqual(columns(before));
    expect(after.VersionId).toBe(before.VersionId);
    const parts = await lake.partitions(database, "events");
    expect(parts.map((p) => p.Values![2]).sort()).toEqual(["01", "02", "03", "04", "05", "06"]);
    expect(columns(parts.find((p) => p.Values![2] === "06"))).toEqual([["id", "int"], ["name", "string"], ["coupon", "string"]]);

    // Nothing new: nothing read.
    await lake.crawl(name);
    expect(lake.detail(name)?.detail).toMatchObject({ filesRead: 0, partitionsAdded: 0 });
  });
});

describe("Glue crawler API", () => {
  let lake: GlueLake;
  beforeAll(async () => {
    lake = glueLake();
    await lake.bucket("api-bucket");
    await lake.database("api_db");
    const files: Record<string, Buffer> = {};
    const line = Buffer.from(JSON.stringify({ id: 1, text: "x".repeat(200) }) + "\n");
    for (let i = 0; i < 60; i++) files[`big/day=${i}/part.json`] = Buffer.concat(Array(400).fill(line));
    await lake.put("api-bucket", files);
  });
  afterAll(() => lake.close());

  it("CreateCrawler, GetCrawler: the Crawler shape as Glue returns it", async () => {
    await lake.createCrawler({
      Name: "shape",
      Role: "arn:aws:iam::000000000000:role/service-role/AWSGlueServiceRole-lake",
      DatabaseName: "api_db",
      Description: "d",
      Targets: { S3Targets: [{ Path: "s3://api-bucket/big/", Exclusions: ["**.tmp"] }] },
      Schedule: "cron(15 12 * * ? *)",
      TablePrefix: "p_",
      Configuration: '{"Version":1.0,"Grouping":{"TableLevelConfiguration":2}}',
      Tags: { team: "data" },
    });
    const c = (await lake.glue.send(new GetCrawlerCommand({ Name: "shape" }))).Crawler!;
    expect(c).toMatchObject({
      Name: "shape",
      Role: "arn:aws:iam::000000000000:role/service-role/AWSGlueServiceRole-lake",
      DatabaseName: "api_db",
      Description: "d",
      Targets: { S3Targets: [{ Path: "s3://api-bucket/big/", Exclusions: ["**.tmp"] }], JdbcTargets: [], DynamoDBTargets: [], CatalogTargets: [] },
      Schedule: { ScheduleExpression: "cron(15 12 * * ? *)", State: "SCHEDULED" },
      TablePrefix: "p_",
      State: "READY",
      Version: 1,
      CrawlElapsedTime: 0,
      SchemaChangePolicy: { UpdateBehavior: "UPDATE_IN_DATABASE", DeleteBehavior: "DEPRECATE_IN_DATABASE" },
      RecrawlPolicy: { RecrawlBehavior: "CRAWL_EVERYTHING" },
      LineageConfiguration: { CrawlerLineageSettings: "DISABLE" },
      Configuration: '{"Version":1.0,"Grouping":{"TableLevelConfiguration":2}}',
    });
    expect(c.CreationTime).toBeInstanceOf(Date);
    expect(c.LastCrawl).toBeUndefined();
    await lake.glue.send(new UpdateCrawlerCommand({ Name: "shape", Description: "", Schedule: "" }));
    const updated = (await lake.glue.send(new GetCrawlerCommand({ Name: "shape" }))).Crawler!;
    expect(updated.Version).toBe(2);
    expect(updated.Schedule).toBeUndefined();
    expect(updated.Description).toBeUndefined();
    expect(updated.TablePrefix).toBe("p_");
  });

  it("input errors: AlreadyExists, bad cron, CRAWL_NEW_FOLDERS_ONLY with a non-LOG policy, bad Configuration, not found", async () => {
    const base = { Name: "errs", DatabaseName: "api_db", Targets: { S3Targets: [{ Path: "s3://api-bucket/big/" }] } };
    await lake.createCrawler(base);
    expect((await failure(lake.createCrawler(base))).name).toBe("AlreadyExistsException");
    expect((await failure(lake.createCrawler({ ...base, Name: "cron", Schedule: "cron(0 12 * * * *)" }))).name).toBe("InvalidInputException");
    expect((await failure(lake.createCrawler({ ...base, Name: "cron", Schedule: "rate(1 day)" }))).name).toBe("InvalidInputException");
    const newFolders = await failure(lake.createCrawler({ ...base, Name: "nf", RecrawlPolicy: { RecrawlBehavior: "CRAWL_NEW_FOLDERS_ONLY" } }));
    expect(newFolders.name).toBe("InvalidInputException");
    expect(String(newFolders.error.message)).toMatch(/only LOG DeleteBehavior value and LOG UpdateBehavior value/);
    expect((await failure(lake.createCrawler({ ...base, Name: "conf", Configuration: '{"Grouping":{"TableGroupingPolicy":"Nope"}}' }))).name).toBe("InvalidInputException");
    expect((await failure(lake.createCrawler({ ...base, Name: "ss", Targets: { S3Targets: [{ Path: "s3://api-bucket/", SampleSize: 250 }] } }))).name).toBe("InvalidInputException");
    expect((await failure(lake.glue.send(new GetCrawlerCommand({ Name: "nope" })))).name).toBe("EntityNotFoundException");
    expect((await failure(lake.glue.send(new DeleteCrawlerCommand({ Name: "nope" })))).name).toBe("EntityNotFoundException");
    expect((await failure(lake.glue.send(new StopCrawlerCommand({ Name: "errs" })))).name).toBe("CrawlerNotRunningException");
    const batch = await lake.glue.send(new BatchGetCrawlersCommand({ CrawlerNames: ["errs", "nope"] }));
    expect(batch.Crawlers?.map((c) => c.Name)).toEqual(["errs"]);
    expect(batch.CrawlersNotFound).toEqual(["nope"]);
  });

  it("a missing database: the crawler is created, its crawl fails", async () => {
    await lake.createCrawler({ Name: "nodb", DatabaseName: "nope", Targets: { S3Targets: [{ Path: "s3://api-bucket/big/" }] } });
    const crawler = await lake.crawl("nodb");
    expect(crawler.LastCrawl).toMatchObject({ Status: "FAILED", ErrorMessage: "Database nope not found." });
  });

  it("ListCrawlers with a tag filter, and paging", async () => {
    await lake.createCrawler({ Name: "tagged", DatabaseName: "api_db", Tags: { team: "data" } });
    expect((await lake.glue.send(new ListCrawlersCommand({ Tags: { team: "data" } }))).CrawlerNames).toEqual(["shape", "tagged"]);
    const first = await lake.glue.send(new ListCrawlersCommand({ MaxResults: 2 }));
    expect(first.CrawlerNames).toHaveLength(2);
    const second = await lake.glue.send(new ListCrawlersCommand({ MaxResults: 100, NextToken: first.NextToken }));
    expect([...first.CrawlerNames!, ...second.CrawlerNames!]).toEqual(["errs", "nodb", "shape", "tagged"]);
  });

  it("StartCrawler returns at once; CrawlerRunningException while it runs; StopCrawler cancels: nothing written", async () => {
    await lake.createCrawler({ Name: "stoppable", DatabaseName: "api_db", Targets: { S3Targets: [{ Path: "s3://api-bucket/big/" }] } });
    await lake.glue.send(new StartCrawlerCommand({ Name: "stoppable" }));
    const running = (await lake.glue.send(new GetCrawlerCommand({ Name: "stoppable" }))).Crawler!;
    expect(running.State).toBe("RUNNING");
    expect((await failure(lake.glue.send(new StartCrawlerCommand({ Name: "stoppable" })))).name).toBe("CrawlerRunningException");
    expect((await failure(lake.glue.send(new UpdateCrawlerCommand({ Name: "stoppable", Description: "x" })))).name).toBe("CrawlerRunningException");
    expect((await failure(lake.glue.send(new DeleteCrawlerCommand({ Name: "stoppable" })))).name).toBe("CrawlerRunningException");
    const metrics = (await lake.glue.send(new GetCrawlerMetricsCommand({ CrawlerNameList: ["stoppable"] }))).CrawlerMetricsList![0]!;
    expect(metrics.StillEstimating).toBe(true);
    await lake.glue.send(new StopCrawlerCommand({ Name: "stoppable" }));
    expect((await lake.glue.send(new GetCrawlerCommand({ Name: "stoppable" }))).Crawler!.State).toBe("STOPPING");
    expect((await failure(lake.glue.send(new StopCrawlerCommand({ Name: "stoppable" })))).name).toBe("CrawlerStoppingException");
    const done = await lake.waitReady("stoppable");
    expect(done.LastCrawl?.Status).toBe("CANCELLED");
    expect((await lake.tables("api_db")).size).toBe(0);

    // The same crawler, run to the end.
    const finished = await lake.crawl("stoppable");
    expect(finished.LastCrawl?.Status).toBe("SUCCEEDED");
    expect((await lake.partitions("api_db", "big")).length).toBe(60);
  });

  it("a run orphaned by a dead process is marked FAILED (interrupted) by the next look", async () => {
    await lake.createCrawler({ Name: "orphan", DatabaseName: "api_db" });
    const now = Date.now() / 1000;
    lake.db.prepare("INSERT INTO glue_crawler_runs (id, crawler, state, started, pid, heartbeat) VALUES ('dead-run', 'orphan', 'RUNNING', ?, 2147483646, ?)").run(now - 5, now - 5);
    lake.db.prepare("UPDATE glue_crawlers SET state = 'RUNNING' WHERE name = 'orphan'").run();
    const c = (await lake.glue.send(new GetCrawlerCommand({ Name: "orphan" }))).Crawler!;
    expect(c.State).toBe("READY");
    expect(c.LastCrawl).toMatchObject({ Status: "FAILED", MessagePrefix: "dead-run" });
    expect(c.LastCrawl?.ErrorMessage).toMatch(/interrupted/);
  });
});

describe("crawler type inference (JSON)", () => {
  const infer = (text: string, complete = true) => {
    const scanner = new JsonScanner().scan(Buffer.from(text), Buffer.byteLength(text), complete);
    return { columns: columnsOf(scanner.schema()).map((c) => `${c.Name} ${c.Type}`), records: scanner.records, malformed: scanner.malformed, truncated: scanner.truncated };
  };

  it("types and widening", () => {
    expect(infer('{"a":1}\n{"a":2147483648}').columns).toEqual(["a bigint"]);
    expect(infer('{"a":-2147483648}').columns).toEqual(["a int"]);
    expect(infer('{"a":9223372036854775807}').columns).toEqual(["a bigint"]);
    expect(infer('{"a":9223372036854775808}').columns).toEqual(["a double"]);
    expect(infer('{"a":1}\n{"a":1e3}').columns).toEqual(["a double"]);
    expect(infer('{"a":1.0}').columns).toEqual(["a double"]);
    expect(infer('{"a":true}\n{"a":1}').columns).toEqual(["a string"]);
    expect(infer('{"a":null}').columns).toEqual(["a string"]);
    expect(infer('{"a":{}}').columns).toEqual(["a string"]);
    expect(infer('{"a":[]}').columns).toEqual(["a array<string>"]);
    expect(infer('{"a":[1,2.5]}').columns).toEqual(["a array<double>"]);
    expect(infer('{"a":[1]}\n{"a":"x"}').columns).toEqual(["a string"]);
    expect(infer('{"a":{"x":1}}\n{"a":{"y":"s","x":null}}').columns).toEqual(["a struct<x:int,y:string>"]);
    expect(infer('{"a":"2025-06-23T10:00:00Z"}').columns).toEqual(["a string"]);
    expect(infer('{"A":1,"b":{"C":2}}').columns).toEqual(["a int", "b struct<c:int>"]);
    expect(infer('{"a\\u0062":1}').columns).toEqual(["ab int"]);
  });

  it("malformed records are skipped and rolled back; a record cut by the sample's end is not malformed", () => {
    const r = infer('{"a":1}\n{"a":"x","zzz":\n{"a":2}\n[1,2]\n{"a":3} trailing\n{"b":01}\n', true);
    expect(r).toMatchObject({ columns: ["a int"], records: 2, malformed: 4 });
    expect(infer('{"a":1}\n{"a":2,"b":tr', false)).toMatchObject({ columns: ["a int"], records: 1, malformed: 0, truncated: true });
    expect(infer('{"a":1}\n{"a":2,"b":tr', true)).toMatchObject({ records: 1, malformed: 1 });
    expect(infer('{"a":"bad \u0001 control"}', true).malformed).toBe(1);
  });

  it("pretty-printed and concatenated objects", () => {
    expect(infer('{\n  "a": 1,\n  "b": [\n    {"c": true}\n  ]\n}\n{"a": 2}{"a": 3}').columns).toEqual(["a int", "b array<struct<c:boolean>>"]);
  });

  it("Glue type strings round-trip", () => {
    for (const t of ["int", "struct<a:int,b:array<struct<c:string>>>", "map<string,decimal(10,2)>", "array<bigint>"]) expect(glueType(parseGlueType(t))).toBe(t);
  });
});

describe("crawler sampling on worker threads", () => {
  // Workers need the compiled build (global setup builds it unless LAKEWARDEN_SKIP_BUILD=1).
  const distPool = join(ROOT, "dist", "embedded", "services", "glue", "crawler", "sample-pool.js");
  it.skipIf(!existsSync(distPool))("the pool's samples are the in-thread samples", async () => {
    const { SamplePool } = (await import(distPool)) as typeof import("../../src/embedded/services/glue/crawler/sample-pool.js");
    const dir = mkdtempSync(join(tmpdir(), "lakewarden-pool-"));
    try {
      const files = {
        "a.json": jsonLines([{ a: 1, s: { x: [1.5] } }, { a: 5000000000, n: null }]),
        "b.json.gz": gzipSync(jsonLines([{ b: true }])),
        "c.csv": "k,v\n1,x\n2,y\n",
        "d.bin": Buffer.from([0, 1, 2, 3]),
      };
      for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, name), body);
      const pool = SamplePool.create({ workers: 2 })!;
      expect(pool.size).toBe(2);
      try {
        for (const name of Object.keys(files)) {
          const path = join(dir, name);
          const size = statSync(path).size;
          const inPool = await pool.sample(path, name, size);
          const here = sampleFile(path, name, size);
          expect({ ...inPool, schema: inPool.schema && columnsOf(inPool.schema) }).toEqual({ ...here, schema: here.schema && columnsOf(here.schema) });
        }
      } finally {
        await pool.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("a crawl sampling on worker threads", () => {
  const distPool = join(ROOT, "dist", "embedded", "services", "glue", "crawler", "sample-pool.js");
  let lake: GlueLake;
  beforeAll(() => {
    lake = glueLake();
  });
  afterAll(() => lake.close());

  it.skipIf(!existsSync(distPool))("gives the tables an in-thread crawl gives", async () => {
    const { SamplePool } = (await import(distPool)) as typeof import("../../src/embedded/services/glue/crawler/sample-pool.js");
    await lake.bucket("pooled");
    await lake.database("pooled");
    const files: Record<string, string> = {};
    for (let d = 1; d <= 12; d++) files[`t/day=${String(d).padStart(2, "0")}/e.json`] = jsonLines([{ id: d, v: d % 2 ? 1 : 2.5, s: { k: "x" } }, { id: d, extra: d === 12 ? "new" : null }]);
    files["t/day=13/bad.json"] = "{broken\n";
    await lake.put("pooled", files);
    const catalog = new SqliteCatalog(lake.db, "000000000000", "us-east-1");
    const run = async (samplePool?: () => ReturnType<typeof SamplePool.create>) => {
      let created = 0;
      const outcome = await crawl(
        {
          crawlerName: "direct",
          runId: "run",
          database: "pooled",
          targets: [{ path: "s3://pooled/t/" }],
          config: DEFAULT_CONFIG,
          updateBehavior: "UPDATE_IN_DATABASE",
          deleteBehavior: "DEPRECATE_IN_DATABASE",
          recrawlBehavior: "CRAWL_EVERYTHING",
          previousFolders: new Set(),
          now: new Date(0),
        },
        {
          list: (bucket, prefix) => listStoredObjects(lake.ctx, bucket, prefix),
          catalog,
          checkpoint: async () => {},
          samplePool: samplePool && (() => (created++, samplePool())),
          poolThreshold: { files: 1, bytes: 0 },
        },
      );
      return { outcome, created };
    };
    const pooled = await run(() => SamplePool.create({ workers: 2 }));
    const here = await run(() => undefined);
    expect(pooled.created).toBe(1);
    expect(pooled.outcome.plan).toEqual(here.outcome.plan);
    expect(pooled.outcome.stats).toEqual(here.outcome.stats);
    expect(columns(pooled.outcome.plan.createTables[0] as never)).toEqual([["id", "int"], ["v", "double"], ["s", "struct<k:string>"], ["extra", "string"]]);
  });
});

describe("crawler CSV inference", () => {
  it("header, delimiter and types", () => {
    const csv = inferCsv("a|b|c\n1|x|2.5\n2|y|\n", true)!;
    expect(csv).toMatchObject({ delimiter: "|", header: true, records: 2 });
    expect(columnsOf(csv.schema).map((c) => `${c.Name} ${c.Type}`)).toEqual(["a bigint", "b string", "c double"]);
    expect(inferCsv("just one column\nno delimiter\n", true)).toBeUndefined();
  });
});

describe("crawler exclusion globs", () => {
  it("Glue's meaning of *, ** and the rest", () => {
    const m = (glob: string, path: string) => globToRegExp(glob).test(path);
    expect(m("*.csv", "a.csv")).toBe(true);
    expect(m("*.csv", "x/a.csv")).toBe(false);
    expect(m("**.csv", "x/y/a.csv")).toBe(true);
    expect(m("myfolder/*", "myfolder/a")).toBe(true);
    expect(m("myfolder/*", "myfolder/a/b")).toBe(false);
    expect(m("myfolder/**", "myfolder/a/b")).toBe(true);
    expect(m("myfolder**", "myfolder")).toBe(true);
    expect(m("*.{csv,avro}", "a.avro")).toBe(true);
    expect(m("foo.?", "foo.x")).toBe(true);
    expect(m("[!a]*.json", "b.json")).toBe(true);
    expect(m("[!a]*.json", "a.json")).toBe(false);
    expect(m("2015/0[2-9]/**", "2015/03/x.json")).toBe(true);
    const ex = new Exclusions(["year=2025/month=06", "**/_tmp/**"]);
    expect(ex.excludes("year=2025/month=06/day=01/a.json")).toBe(true);
    expect(ex.excludes("year=2025/month=07/day=01/a.json")).toBe(false);
    expect(ex.excludes("x/_tmp/y/a.json")).toBe(true);
  });
});

describe("crawler schedules", () => {
  it("cron expressions as Glue reads them", () => {
    for (const ok of ["cron(15 12 * * ? *)", "cron(0 8 1 * ? *)", "cron(0/15 * ? * MON-FRI *)", "cron(0 0 L * ? 2025-2030)", "cron(0 10 ? * 6#3 *)", "cron(0 0 ? JAN,FEB SUN *)"]) {
      expect(cronProblem(ok), ok).toBeUndefined();
    }
    for (const bad of ["cron(0 12 * * * *)", "cron(0 12 * *)", "cron(60 12 * * ? *)", "cron(0 12 ? * ? *)", "rate(1 day)", "0 12 * * ? *"]) {
      expect(cronProblem(bad), bad).toBeDefined();
    }
  });
});
