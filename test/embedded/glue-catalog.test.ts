import {
  BatchCreatePartitionCommand,
  BatchDeletePartitionCommand,
  BatchDeleteTableCommand,
  BatchDeleteTableVersionCommand,
  BatchGetPartitionCommand,
  BatchUpdatePartitionCommand,
  CreateDatabaseCommand,
  CreatePartitionCommand,
  CreateTableCommand,
  DeleteDatabaseCommand,
  DeletePartitionCommand,
  DeleteTableCommand,
  DeleteTableVersionCommand,
  GetDatabaseCommand,
  GetDatabasesCommand,
  GetPartitionCommand,
  GetPartitionsCommand,
  GetTableCommand,
  GetTablesCommand,
  GetTableVersionCommand,
  GetTableVersionsCommand,
  GetTagsCommand,
  GlueClient,
  paginateGetDatabases,
  paginateGetPartitions,
  paginateGetTables,
  paginateGetTableVersions,
  type Partition,
  type PartitionInput,
  SearchTablesCommand,
  TagResourceCommand,
  type TableInput,
  UntagResourceCommand,
  UpdateDatabaseCommand,
  UpdatePartitionCommand,
  UpdateTableCommand,
} from "@aws-sdk/client-glue";
import { afterAll, describe, expect, it } from "vitest";
import { createGlueService } from "../../src/embedded/services/glue/index.js";
import { embeddedStack, TEST_ACCOUNT, TEST_CREDENTIALS } from "../helpers/embedded-stack.js";
import { AwsError } from "../../src/embedded/protocols/types.js";
import { SqliteCatalog } from "../../src/embedded/services/glue/catalog-store.js";
import { compilePartitionExpression } from "../../src/embedded/services/glue/expression.js";

// The embedded Glue service, reached by the real GlueClient in-process.
const ACCOUNT = TEST_ACCOUNT;
const service = createGlueService();
const stack = embeddedStack([service]);
const { db } = stack;
const glue = new GlueClient({ region: "us-east-1", credentials: TEST_CREDENTIALS, requestHandler: stack.handler });

afterAll(() => {
  glue.destroy();
  stack.close();
});

const arn = (resource: string) => `arn:aws:glue:us-east-1:${ACCOUNT}:${resource}`;

const columns = [
  { Name: "event_id", Type: "string" },
  { Name: "price", Type: "double" },
];

function jsonTable(name: string, partitionKeys: { Name: string; Type: string }[] = [], extra: Partial<TableInput> = {}): TableInput {
  return {
    Name: name,
    TableType: "EXTERNAL_TABLE",
    Parameters: { classification: "json" },
    PartitionKeys: partitionKeys,
    StorageDescriptor: {
      Columns: columns,
      Location: `s3://raw/${name}/`,
      InputFormat: "org.apache.hadoop.mapred.TextInputFormat",
      OutputFormat: "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
      SerdeInfo: { SerializationLibrary: "org.openx.data.jsonserde.JsonSerDe" },
    },
    ...extra,
  };
}

async function collect<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(page);
  return out;
}

describe("databases", () => {
  it("creates, reads, updates and refuses duplicates, with Glue's names and shapes", async () => {
    await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: "Ecommerce_Raw_DB", Description: "raw" }, Tags: { "lakewarden:lake": "ecomm" } }));
    const { Database } = await glue.send(new GetDatabaseCommand({ Name: "ecommerce_raw_db" }));
    expect(Database).toMatchObject({
      Name: "ecommerce_raw_db",
      Description: "raw",
      CatalogId: ACCOUNT,
      CreateTableDefaultPermissions: [{ Principal: { DataLakePrincipalIdentifier: "IAM_ALLOWED_PRINCIPALS" }, Permissions: ["ALL"] }],
    });
    expect(Database?.CreateTime).toBeInstanceOf(Date);
    // Lookups fold case too.
    expect((await glue.send(new GetDatabaseCommand({ Name: "ECOMMERCE_RAW_DB" }))).Database?.Name).toBe("ecommerce_raw_db");
    expect((await glue.send(new GetTagsCommand({ ResourceArn: arn("database/ecommerce_raw_db") }))).Tags).toEqual({ "lakewarden:lake": "ecomm" });

    await expect(glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: "ecommerce_raw_db" } }))).rejects.toMatchObject({ name: "AlreadyExistsException" });
    await expect(glue.send(new GetDatabaseCommand({ Name: "nope" }))).rejects.toMatchObject({ name: "EntityNotFoundException", message: "Database nope not found." });

    await glue.send(new UpdateDatabaseCommand({ Name: "ecommerce_raw_db", DatabaseInput: { Name: "ecommerce_raw_db", LocationUri: "s3://raw/", Parameters: { a: "b" } } }));
    const updated = (await glue.send(new GetDatabaseCommand({ Name: "ecommerce_raw_db" }))).Database!;
    expect(updated).toMatchObject({ LocationUri: "s3://raw/", Parameters: { a: "b" } });
    expect(updated.Description).toBeUndefined(); // the input replaces the definition
    expect(updated.CreateTime?.getTime()).toBe(Database?.CreateTime?.getTime());
    await expect(glue.send(new UpdateDatabaseCommand({ Name: "nope", DatabaseInput: { Name: "nope" } }))).rejects.toMatchObject({ name: "EntityNotFoundException" });
    await expect(glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: "" } }))).rejects.toMatchObject({ name: "InvalidInputException" });
  });

  it("pages GetDatabases with NextToken, at most 100 a page", async () => {
    for (let i = 0; i < 130; i++) await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: `page_db_${String(i).padStart(3, "0")}` } }));
    const pages = await collect(paginateGetDatabases({ client: glue, pageSize: 40 }, {}));
    const names = pages.flatMap((p) => p.DatabaseList ?? []).map((d) => d.Name!);
    expect(names.filter((n) => n.startsWith("page_db_"))).toHaveLength(130);
    expect([...names].sort()).toEqual(names);
    expect(new Set(names).size).toBe(names.length);
    expect(pages.every((p) => (p.DatabaseList?.length ?? 0) <= 40)).toBe(true);
    const big = await collect(paginateGetDatabases({ client: glue, pageSize: 1000 }, {}));
    expect(big.every((p) => (p.DatabaseList?.length ?? 0) <= 100)).toBe(true);
    expect(big.flatMap((p) => p.DatabaseList ?? [])).toHaveLength(names.length);
    const namesOnly = await glue.send(new GetDatabasesCommand({ AttributesToGet: ["NAME"], MaxResults: 2 }));
    expect(namesOnly.DatabaseList?.[0]).toEqual({ Name: expect.any(String) });
  });

  it("DeleteDatabase deletes its tables, partitions and their tags", async () => {
    await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: "doomed" } }));
    await glue.send(new CreateTableCommand({ DatabaseName: "doomed", TableInput: jsonTable("events", [{ Name: "dt", Type: "string" }]) }));
    await glue.send(new TagResourceCommand({ ResourceArn: arn("table/doomed/events"), TagsToAdd: { k: "v" } }));
    await glue.send(new CreatePartitionCommand({ DatabaseName: "doomed", TableName: "events", PartitionInput: { Values: ["2025-01-01"] } }));
    await glue.send(new DeleteDatabaseCommand({ Name: "doomed" }));
    await expect(glue.send(new GetTableCommand({ DatabaseName: "doomed", Name: "events" }))).rejects.toMatchObject({ message: "Database doomed not found." });
    await expect(glue.send(new DeleteDatabaseCommand({ Name: "doomed" }))).rejects.toMatchObject({ name: "EntityNotFoundException" });
    // Re-created, nothing of the old one is left.
    await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: "doomed" } }));
    await glue.send(new CreateTableCommand({ DatabaseName: "doomed", TableInput: jsonTable("events", [{ Name: "dt", Type: "string" }]) }));
    expect((await glue.send(new GetPartitionsCommand({ DatabaseName: "doomed", TableName: "events" }))).Partitions).toEqual([]);
    expect((await glue.send(new GetTagsCommand({ ResourceArn: arn("table/doomed/events") }))).Tags).toEqual({});
  });
});

describe("tables", () => {
  it("creates and reads a table as Glue shapes it", async () => {
    await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: "tables_db" } }));
    await glue.send(new CreateTableCommand({ DatabaseName: "Tables_DB", TableInput: jsonTable("Clickstream_Events") }));
    const { Table } = await glue.send(new GetTableCommand({ DatabaseName: "tables_db", Name: "CLICKSTREAM_events" }));
    expect(Table).toMatchObject({
      Name: "clickstream_events",
      DatabaseName: "tables_db",
      TableType: "EXTERNAL_TABLE",
      Parameters: { classification: "json" },
      PartitionKeys: [],
      Retention: 0,
      StorageDescriptor: { Columns: columns, Location: "s3://raw/Clickstream_Events/" },
      CreatedBy: `arn:aws:iam::${ACCOUNT}:root`,
      IsRegisteredWithLakeFormation: false,
      CatalogId: ACCOUNT,
      VersionId: "0",
    });
    expect(Table?.CreateTime).toBeInstanceOf(Date);
    expect(Table?.UpdateTime?.getTime()).toBe(Table?.CreateTime?.getTime());
    await expect(glue.send(new CreateTableCommand({ DatabaseName: "tables_db", TableInput: jsonTable("clickstream_events") }))).rejects.toMatchObject({
      name: "AlreadyExistsException",
      message: "Table already exists.",
    });
    await expect(glue.send(new CreateTableCommand({ DatabaseName: "nodb", TableInput: jsonTable("t") }))).rejects.toMatchObject({
      name: "EntityNotFoundException",
      message: "Database nodb not found.",
    });
    await expect(glue.send(new GetTableCommand({ DatabaseName: "tables_db", Name: "missing" }))).rejects.toMatchObject({
      name: "EntityNotFoundException",
      message: "Table missing not found.",
    });
    await expect(glue.send(new CreateTableCommand({ DatabaseName: "tables_db", TableInput: { Name: "" } }))).rejects.toMatchObject({ name: "InvalidInputException" });
  });

  it("pages GetTables over 250 tables, at most 100 a page, and filters names by Expression", async () => {
    await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: "many" } }));
    for (let i = 0; i < 250; i++) await glue.send(new CreateTableCommand({ DatabaseName: "many", TableInput: jsonTable(`t_${String(i).padStart(3, "0")}`) }));
    const pages = await collect(paginateGetTables({ client: glue, pageSize: 1000 }, { DatabaseName: "many" }));
    expect(pages.map((p) => p.TableList?.length)).toEqual([100, 100, 50]);
    const names = pages.flatMap((p) => p.TableList ?? []).map((t) => t.Name!);
    expect(names).toEqual(Array.from({ length: 250 }, (_, i) => `t_${String(i).padStart(3, "0")}`));

    const cases: [string, (n: number) => boolean][] = [
      ["t_00*", (n) => n < 10],
      ["*9", (n) => n % 10 === 9],
      ["t_1.*", (n) => n >= 100 && n < 200],
      ["t_001|t_002", (n) => n === 1 || n === 2],
      ["T_24[0-4]", (n) => n >= 240 && n <= 244],
      ["t_0", () => false], // the whole name must match
      ["*", () => true],
    ];
    for (const [expression, expected] of cases) {
      const found = (await collect(paginateGetTables({ client: glue, pageSize: 30 }, { DatabaseName: "many", Expression: expression })))
        .flatMap((p) => p.TableList ?? [])
        .map((t) => t.Name);
      const want = Array.from({ length: 250 }, (_, i) => i).filter(expected).map((i) => `t_${String(i).padStart(3, "0")}`);
      expect(found, expression).toEqual(want);
    }
    const typeOnly = await glue.send(new GetTablesCommand({ DatabaseName: "many", MaxResults: 1, AttributesToGet: ["NAME", "TABLE_TYPE"] }));
    expect(typeOnly.TableList).toEqual([{ Name: "t_000", TableType: "EXTERNAL_TABLE" }]);
    await expect(glue.send(new GetTablesCommand({ DatabaseName: "nodb" }))).rejects.toMatchObject({ name: "EntityNotFoundException" });
    await expect(glue.send(new GetTablesCommand({ DatabaseName: "many", Expression: "t_(" }))).rejects.toMatchObject({ name: "InvalidInputException" });
  });

  it("keeps versions through UpdateTable, and guards them", async () => {
    await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: "versions_db" } }));
    await glue.send(new CreateTableCommand({ DatabaseName: "versions_db", TableInput: jsonTable("v", [], { Description: "v0" }) }));
    await glue.send(new UpdateTableCommand({ DatabaseName: "versions_db", TableInput: jsonTable("v", [], { Description: "v1" }) }));
    await glue.send(new UpdateTableCommand({ DatabaseName: "versions_db", TableInput: jsonTable("v", [], { Description: "v2" }), VersionId: "1" }));
    const current = (await glue.send(new GetTableCommand({ DatabaseName: "versions_db", Name: "v" }))).Table!;
    expect(current).toMatchObject({ Description: "v2", VersionId: "2" });
    expect(current.UpdateTime!.getTime()).toBeGreaterThanOrEqual(current.CreateTime!.getTime());

    const versions = (await collect(paginateGetTableVersions({ client: glue, pageSize: 2 }, { DatabaseName: "versions_db", TableName: "v" }))).flatMap((p) => p.TableVersions ?? []);
    expect(versions.map((v) => [v.VersionId, v.Table?.Description, v.Table?.VersionId])).toEqual([
      ["2", "v2", "2"],
      ["1", "v1", "1"],
      ["0", "v0", "0"],
    ]);
    expect((await glue.send(new GetTableVersionCommand({ DatabaseName: "versions_db", TableName: "v", VersionId: "0" }))).TableVersion?.Table?.Description).toBe("v0");
    expect((await glue.send(new GetTableVersionCommand({ DatabaseName: "versions_db", TableName: "v" }))).TableVersion?.VersionId).toBe("2");
    await expect(glue.send(new GetTableVersionCommand({ DatabaseName: "versions_db", TableName: "v", VersionId: "9" }))).rejects.toMatchObject({ name: "EntityNotFoundException" });

    // A stale VersionId: someone else updated the table since.
    await expect(
      glue.send(new UpdateTableCommand({ DatabaseName: "versions_db", TableInput: jsonTable("v", [], { Description: "late" }), VersionId: "1" })),
    ).rejects.toMatchObject({ name: "ConcurrentModificationException" });
    // SkipArchive: the previous definition is not kept.
    await glue.send(new UpdateTableCommand({ DatabaseName: "versions_db", TableInput: jsonTable("v", [], { Description: "v3" }), SkipArchive: true }));
    const afterSkip = (await glue.send(new GetTableVersionsCommand({ DatabaseName: "versions_db", TableName: "v" }))).TableVersions!.map((v) => v.VersionId);
    expect(afterSkip).toEqual(["3", "1", "0"]);

    await expect(glue.send(new DeleteTableVersionCommand({ DatabaseName: "versions_db", TableName: "v", VersionId: "3" }))).rejects.toMatchObject({ name: "InvalidInputException" });
    await glue.send(new DeleteTableVersionCommand({ DatabaseName: "versions_db", TableName: "v", VersionId: "1" }));
    const batch = await glue.send(new BatchDeleteTableVersionCommand({ DatabaseName: "versions_db", TableName: "v", VersionIds: ["0", "1", "3"] }));
    expect(batch.Errors?.map((e) => [e.VersionId, e.ErrorDetail?.ErrorCode])).toEqual([
      ["1", "EntityNotFoundException"],
      ["3", "InvalidInputException"],
    ]);
    expect((await glue.send(new GetTableVersionsCommand({ DatabaseName: "versions_db", TableName: "v" }))).TableVersions!.map((v) => v.VersionId)).toEqual(["3"]);
    await expect(glue.send(new UpdateTableCommand({ DatabaseName: "versions_db", TableInput: jsonTable("nope") }))).rejects.toMatchObject({ name: "EntityNotFoundException" });
  });

  it("deletes tables one by one and in batches", async () => {
    await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: "delete_db" } }));
    for (const name of ["a", "b", "c"]) await glue.send(new CreateTableCommand({ DatabaseName: "delete_db", TableInput: jsonTable(name) }));
    await glue.send(new DeleteTableCommand({ DatabaseName: "delete_db", Name: "A" }));
    await expect(glue.send(new DeleteTableCommand({ DatabaseName: "delete_db", Name: "a" }))).rejects.toMatchObject({ name: "EntityNotFoundException" });
    const { Errors } = await glue.send(new BatchDeleteTableCommand({ DatabaseName: "delete_db", TablesToDelete: ["b", "zz", "c"] }));
    expect(Errors).toEqual([{ TableName: "zz", ErrorDetail: { ErrorCode: "EntityNotFoundException", ErrorMessage: "Table zz not found." } }]);
    expect((await glue.send(new GetTablesCommand({ DatabaseName: "delete_db" }))).TableList).toEqual([]);
    await expect(glue.send(new BatchDeleteTableCommand({ DatabaseName: "nodb", TablesToDelete: ["x"] }))).rejects.toMatchObject({ name: "EntityNotFoundException" });
  });

  it("searches tables by text and filters", async () => {
    await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: "search_db" } }));
    await glue.send(new CreateTableCommand({ DatabaseName: "search_db", TableInput: jsonTable("orders", [], { Description: "customer orders" }) }));
    await glue.send(new CreateTableCommand({ DatabaseName: "search_db", TableInput: jsonTable("sessions", [], { Parameters: { classification: "parquet" } }) }));
    const byText = await glue.send(new SearchTablesCommand({ SearchText: "customer", Filters: [{ Key: "DatabaseName", Value: "search_db" }] }));
    expect(byText.TableList?.map((t) => t.Name)).toEqual(["orders"]);
    const byParameter = await glue.send(new SearchTablesCommand({ Filters: [{ Key: "classification", Value: "parquet" }] }));
    expect(byParameter.TableList?.map((t) => t.Name)).toEqual(["sessions"]);
    const sorted = await glue.send(
      new SearchTablesCommand({ Filters: [{ Key: "DatabaseName", Value: "search_db" }], SortCriteria: [{ FieldName: "Name", Sort: "DESC" }], MaxResults: 1 }),
    );
    expect(sorted.TableList?.map((t) => t.Name)).toEqual(["sessions"]);
    const next = await glue.send(
      new SearchTablesCommand({ Filters: [{ Key: "DatabaseName", Value: "search_db" }], SortCriteria: [{ FieldName: "Name", Sort: "DESC" }], NextToken: sorted.NextToken }),
    );
    expect(next.TableList?.map((t) => t.Name)).toEqual(["orders"]);
  });
});

describe("partitions", () => {
  const keys = [
    { Name: "year", Type: "string" },
    { Name: "month", Type: "string" },
    { Name: "day", Type: "int" },
  ];
  // 2 years × 12 months × 21 days = 504 partitions; days without a leading zero, so numeric and text order differ.
  const all: string[][] = [];
  for (const year of ["2024", "2025"]) for (let m = 1; m <= 12; m++) for (let d = 1; d <= 21; d++) all.push([year, String(m).padStart(2, "0"), String(d)]);
  const input = (values: string[]): PartitionInput => ({
    Values: values,
    StorageDescriptor: { Columns: columns, Location: `s3://raw/events/year=${values[0]}/month=${values[1]}/day=${values[2]}/` },
    Parameters: { classification: "json" },
  });
  const key = (p: Partition) => p.Values!.join("/");

  it("creates 500+ partitions in batches and pages them all", async () => {
    await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: "lake" } }));
    await glue.send(new CreateTableCommand({ DatabaseName: "lake", TableInput: jsonTable("events", keys) }));
    for (let i = 0; i < all.length; i += 100) {
      const { Errors } = await glue.send(new BatchCreatePartitionCommand({ DatabaseName: "lake", TableName: "events", PartitionInputList: all.slice(i, i + 100).map(input) }));
      expect(Errors).toEqual([]);
    }
    const pages = await collect(paginateGetPartitions({ client: glue, pageSize: 100 }, { DatabaseName: "lake", TableName: "events" }));
    expect(pages).toHaveLength(6);
    const found = pages.flatMap((p) => p.Partitions ?? []);
    expect(found.map(key).sort()).toEqual(all.map((v) => v.join("/")).sort());
    expect(found[0]).toMatchObject({ DatabaseName: "lake", TableName: "events", CatalogId: ACCOUNT, Parameters: { classification: "json" } });
    expect(found[0]?.CreationTime).toBeInstanceOf(Date);
    expect(found[0]?.LastAccessTime).toBeInstanceOf(Date);
  });

  it("reports per-entry errors from BatchCreatePartition", async () => {
    const { Errors } = await glue.send(
      new BatchCreatePartitionCommand({ DatabaseName: "lake", TableName: "events", PartitionInputList: [input(["2024", "01", "1"]), { Values: ["2030"] }, input(["2030", "01", "1"])] }),
    );
    expect(Errors?.map((e) => [e.PartitionValues, e.ErrorDetail?.ErrorCode])).toEqual([
      [["2024", "01", "1"], "AlreadyExistsException"],
      [["2030"], "InvalidInputException"],
    ]);
    await glue.send(new DeletePartitionCommand({ DatabaseName: "lake", TableName: "events", PartitionValues: ["2030", "01", "1"] }));
    await expect(
      glue.send(new BatchCreatePartitionCommand({ DatabaseName: "lake", TableName: "nope", PartitionInputList: [input(["2024", "01", "1"])] })),
    ).rejects.toMatchObject({ name: "EntityNotFoundException", message: "Table nope not found." });
  });

  const cases: [string, (v: string[]) => boolean][] = [
    ["year = '2025' AND month = '06'", ([y, m]) => y === "2025" && m === "06"],
    ["year='2024' and month in ('01','02')", ([y, m]) => y === "2024" && (m === "01" || m === "02")],
    ["day > 9 AND year = '2025' AND month = '01'", ([y, m, d]) => y === "2025" && m === "01" && Number(d) > 9],
    ["day BETWEEN 5 AND 7 AND month = '03' AND year = '2024'", ([y, m, d]) => y === "2024" && m === "03" && Number(d) >= 5 && Number(d) <= 7],
    ["month LIKE '1_' AND day = 1", ([, m, d]) => m!.startsWith("1") && d === "1"],
    ["month NOT LIKE '0%' AND day = 1 AND year = '2024'", ([y, m, d]) => y === "2024" && !m!.startsWith("0") && d === "1"],
    ["NOT (year = '2024') AND month = '12' AND day <= 2", ([y, m, d]) => y !== "2024" && m === "12" && Number(d) <= 2],
    ["year <> '2024' AND month = '12' AND day < 3", ([y, m, d]) => y !== "2024" && m === "12" && Number(d) < 3],
    ["year != '2024' AND month = '12' AND day < 3", ([y, m, d]) => y !== "2024" && m === "12" && Number(d) < 3],
    ["(month = '01' OR month = '02') AND day = 21 AND year = '2025'", ([y, m, d]) => y === "2025" && (m === "01" || m === "02") && d === "21"],
    ["month NOT IN ('01','02','03','04','05','06','07','08','09','10','11') AND day = 5", ([, m, d]) => m === "12" && d === "5"],
    ["month >= '11' AND day = 1", ([, m, d]) => m! >= "11" && d === "1"],
    ["year = 2025 AND month = '05' AND day = '3'", ([y, m, d]) => y === "2025" && m === "05" && d === "3"],
    ["day = 3.0 AND month = '07'", ([, m, d]) => d === "3" && m === "07"],
    ["day NOT BETWEEN 2 AND 21", ([, , d]) => d === "1"],
    ["`month` = '02' AND \"day\" = 2 OR year = '2024' AND month = '04' AND day = 20", ([y, m, d]) => (m === "02" && d === "2") || (y === "2024" && m === "04" && d === "20")],
    ["day IS NOT NULL AND day = 1 AND year = '2024' AND month = '01'", ([y, m, d]) => y === "2024" && m === "01" && d === "1"],
    ["day IS NULL", () => false],
    ["YEAR = '2024' AND Month = '09' AND day >= 20", ([y, m, d]) => y === "2024" && m === "09" && Number(d) >= 20],
    ["month > '9'", () => false],
  ];

  it.each(cases)("filters GetPartitions by %s", async (expression, expected) => {
    const pages = await collect(paginateGetPartitions({ client: glue, pageSize: 50 }, { DatabaseName: "lake", TableName: "events", Expression: expression }));
    const found = pages.flatMap((p) => p.Partitions ?? []).map(key).sort();
    expect(found).toEqual(all.filter(expected).map((v) => v.join("/")).sort());
  });

  it.each(["year = ", "foo = '1'", "year == '1'", "(year = '1'", "year = 'abc", "year IN ()", "day BETWEEN 1", "year NOT = '1'", "year = '1' AND", "@"])(
    "refuses the invalid expression %s",
    async (expression) => {
      await expect(glue.send(new GetPartitionsCommand({ DatabaseName: "lake", TableName: "events", Expression: expression }))).rejects.toMatchObject({
        name: "InvalidInputException",
      });
    },
  );

  it("refuses a key type that partition expressions do not support, and compares dates as dates", () => {
    expect(() => compilePartitionExpression("flag = 'true'", [{ Name: "flag", Type: "boolean" }])).toThrow(AwsError);
    const byDate = compilePartitionExpression("dt >= DATE '2024-02-01' AND dt < '2024-03-01'", [{ Name: "dt", Type: "date" }]);
    expect(["2024-01-31", "2024-02-01", "2024-02-29", "2024-03-01"].filter((d) => byDate([d]))).toEqual(["2024-02-01", "2024-02-29"]);
    const keyNamedDate = compilePartitionExpression("date = DATE '2024-02-01' OR date > '2024-12-31'", [{ Name: "date", Type: "string" }]);
    expect(["2024-02-01", "2024-02-02", "2025-01-01"].filter((d) => keyNamedDate([d]))).toEqual(["2024-02-01", "2025-01-01"]);
    const byNumber = compilePartitionExpression("n > 9", [{ Name: "n", Type: "bigint" }]);
    expect(["1", "10", "9", "x"].filter((n) => byNumber([n]))).toEqual(["10"]);
  });

  it("splits GetPartitions into Segments and leaves columns out on request", async () => {
    const segments = await Promise.all(
      [0, 1, 2].map(async (n) =>
        (await collect(paginateGetPartitions({ client: glue, pageSize: 1000 }, { DatabaseName: "lake", TableName: "events", Segment: { SegmentNumber: n, TotalSegments: 3 } })))
          .flatMap((p) => p.Partitions ?? [])
          .map(key),
      ),
    );
    expect(segments.every((s) => s.length > 0)).toBe(true);
    expect(segments.flat().sort()).toEqual(all.map((v) => v.join("/")).sort());
    const lean = await glue.send(new GetPartitionsCommand({ DatabaseName: "lake", TableName: "events", MaxResults: 1, ExcludeColumnSchema: true }));
    expect(lean.Partitions?.[0]?.StorageDescriptor?.Columns).toBeUndefined();
    expect(lean.Partitions?.[0]?.StorageDescriptor?.Location).toMatch(/^s3:\/\/raw\/events\//);
    await expect(
      glue.send(new GetPartitionsCommand({ DatabaseName: "lake", TableName: "events", Segment: { SegmentNumber: 3, TotalSegments: 3 } })),
    ).rejects.toMatchObject({ name: "InvalidInputException" });
  });

  it("gets, updates and deletes single partitions", async () => {
    const { Partition } = await glue.send(new GetPartitionCommand({ DatabaseName: "lake", TableName: "events", PartitionValues: ["2024", "01", "1"] }));
    expect(Partition?.Values).toEqual(["2024", "01", "1"]);
    await expect(glue.send(new GetPartitionCommand({ DatabaseName: "lake", TableName: "events", PartitionValues: ["1999", "01", "1"] }))).rejects.toMatchObject({
      name: "EntityNotFoundException",
    });
    await expect(glue.send(new GetPartitionCommand({ DatabaseName: "lake", TableName: "events", PartitionValues: ["2024"] }))).rejects.toMatchObject({
      name: "InvalidInputException",
    });
    await expect(glue.send(new CreatePartitionCommand({ DatabaseName: "lake", TableName: "events", PartitionInput: input(["2024", "01", "1"]) }))).rejects.toMatchObject({
      name: "AlreadyExistsException",
    });

    await glue.send(
      new UpdatePartitionCommand({
        DatabaseName: "lake",
        TableName: "events",
        PartitionValueList: ["2024", "01", "1"],
        PartitionInput: { ...input(["2024", "01", "1"]), Parameters: { classification: "json", recordCount: "7" } },
      }),
    );
    const updated = (await glue.send(new GetPartitionCommand({ DatabaseName: "lake", TableName: "events", PartitionValues: ["2024", "01", "1"] }))).Partition!;
    expect(updated.Parameters).toEqual({ classification: "json", recordCount: "7" });
    expect(updated.CreationTime?.getTime()).toBe(Partition?.CreationTime?.getTime());

    // Moving a partition to new values.
    await glue.send(new CreatePartitionCommand({ DatabaseName: "lake", TableName: "events", PartitionInput: input(["2026", "01", "1"]) }));
    await glue.send(new UpdatePartitionCommand({ DatabaseName: "lake", TableName: "events", PartitionValueList: ["2026", "01", "1"], PartitionInput: input(["2026", "01", "2"]) }));
    await glue.send(new GetPartitionCommand({ DatabaseName: "lake", TableName: "events", PartitionValues: ["2026", "01", "2"] }));
    await expect(
      glue.send(new UpdatePartitionCommand({ DatabaseName: "lake", TableName: "events", PartitionValueList: ["2026", "01", "2"], PartitionInput: input(["2024", "01", "1"]) })),
    ).rejects.toMatchObject({ name: "AlreadyExistsException" });
    await glue.send(new DeletePartitionCommand({ DatabaseName: "lake", TableName: "events", PartitionValues: ["2026", "01", "2"] }));
    await expect(glue.send(new DeletePartitionCommand({ DatabaseName: "lake", TableName: "events", PartitionValues: ["2026", "01", "2"] }))).rejects.toMatchObject({
      name: "EntityNotFoundException",
    });
  });

  it("batch-gets, batch-updates and batch-deletes partitions", async () => {
    const got = await glue.send(
      new BatchGetPartitionCommand({ DatabaseName: "lake", TableName: "events", PartitionsToGet: [{ Values: ["2024", "02", "3"] }, { Values: ["1999", "01", "1"] }] }),
    );
    expect(got.Partitions?.map(key)).toEqual(["2024/02/3"]);
    expect(got.UnprocessedKeys).toEqual([]);

    const updated = await glue.send(
      new BatchUpdatePartitionCommand({
        DatabaseName: "lake",
        TableName: "events",
        Entries: [
          { PartitionValueList: ["2024", "02", "3"], PartitionInput: { ...input(["2024", "02", "3"]), Parameters: { batch: "yes" } } },
          { PartitionValueList: ["1999", "01", "1"], PartitionInput: input(["1999", "01", "1"]) },
        ],
      }),
    );
    expect(updated.Errors?.map((e) => [e.PartitionValueList, e.ErrorDetail?.ErrorCode])).toEqual([[["1999", "01", "1"], "EntityNotFoundException"]]);
    expect((await glue.send(new GetPartitionCommand({ DatabaseName: "lake", TableName: "events", PartitionValues: ["2024", "02", "3"] }))).Partition?.Parameters).toEqual({ batch: "yes" });

    const deleted = await glue.send(
      new BatchDeletePartitionCommand({ DatabaseName: "lake", TableName: "events", PartitionsToDelete: [{ Values: ["2024", "02", "3"] }, { Values: ["1999", "01", "1"] }] }),
    );
    expect(deleted.Errors).toEqual([{ PartitionValues: ["1999", "01", "1"], ErrorDetail: { ErrorCode: "EntityNotFoundException", ErrorMessage: "Cannot find partition." } }]);
    await expect(glue.send(new GetPartitionCommand({ DatabaseName: "lake", TableName: "events", PartitionValues: ["2024", "02", "3"] }))).rejects.toMatchObject({
      name: "EntityNotFoundException",
    });
    await glue.send(new CreatePartitionCommand({ DatabaseName: "lake", TableName: "events", PartitionInput: input(["2024", "02", "3"]) }));
  });

  it("returns UnprocessedKeys when a BatchGetPartition response would be too large", async () => {
    await glue.send(new CreateTableCommand({ DatabaseName: "lake", TableInput: jsonTable("wide", [{ Name: "k", Type: "string" }]) }));
    const big = "x".repeat(100_000);
    const values = Array.from({ length: 60 }, (_, i) => [String(i).padStart(2, "0")]);
    await glue.send(new BatchCreatePartitionCommand({ DatabaseName: "lake", TableName: "wide", PartitionInputList: values.map((v) => ({ Values: v, Parameters: { big } })) }));
    const first = await glue.send(new BatchGetPartitionCommand({ DatabaseName: "lake", TableName: "wide", PartitionsToGet: values.map((v) => ({ Values: v })) }));
    expect(first.UnprocessedKeys?.length).toBeGreaterThan(0);
    const second = await glue.send(new BatchGetPartitionCommand({ DatabaseName: "lake", TableName: "wide", PartitionsToGet: first.UnprocessedKeys }));
    expect(second.UnprocessedKeys).toEqual([]);
    expect([...first.Partitions!, ...second.Partitions!].map(key).sort()).toEqual(values.map((v) => v[0]));
  });
});

describe("tags", () => {
  it("tags, lists and untags databases and tables; unknown resources are EntityNotFoundException", async () => {
    await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: "tagged" } }));
    await glue.send(new CreateTableCommand({ DatabaseName: "tagged", TableInput: jsonTable("t") }));
    await glue.send(new TagResourceCommand({ ResourceArn: arn("table/tagged/t"), TagsToAdd: { a: "1", b: "2" } }));
    await glue.send(new TagResourceCommand({ ResourceArn: arn("table/tagged/t"), TagsToAdd: { b: "3" } }));
    expect((await glue.send(new GetTagsCommand({ ResourceArn: arn("table/tagged/t") }))).Tags).toEqual({ a: "1", b: "3" });
    await glue.send(new UntagResourceCommand({ ResourceArn: arn("table/tagged/t"), TagsToRemove: ["a", "zz"] }));
    expect((await glue.send(new GetTagsCommand({ ResourceArn: arn("table/tagged/t") }))).Tags).toEqual({ b: "3" });
    await glue.send(new TagResourceCommand({ ResourceArn: arn("database/tagged"), TagsToAdd: { owner: "data" } }));
    expect((await glue.send(new GetTagsCommand({ ResourceArn: arn("database/tagged") }))).Tags).toEqual({ owner: "data" });

    for (const missing of [arn("table/tagged/nope"), arn("database/nope"), arn("crawler/nope"), arn("job/nope"), "arn:aws:glue:eu-west-1:000000000000:database/tagged"]) {
      await expect(glue.send(new GetTagsCommand({ ResourceArn: missing }))).rejects.toMatchObject({ name: "EntityNotFoundException" });
    }
    await expect(glue.send(new TagResourceCommand({ ResourceArn: arn("database/tagged"), TagsToAdd: { "aws:x": "1" } }))).rejects.toMatchObject({ name: "InvalidInputException" });
    const tooMany = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, "v"]));
    await expect(glue.send(new TagResourceCommand({ ResourceArn: arn("database/tagged"), TagsToAdd: tooMany }))).rejects.toMatchObject({ name: "InvalidInputException" });
  });
});

describe("SqliteCatalog", () => {
  const catalog = new SqliteCatalog(db, ACCOUNT, "us-east-1");

  it("writes tables and partitions that read back through the API exactly", async () => {
    expect(catalog.databaseExists("Lake")).toBe(true);
    expect(catalog.databaseExists("missing")).toBe(false);
    await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: "crawled" } }));

    const table = jsonTable("Page_Views", [{ Name: "dt", Type: "string" }], { LastAccessTime: new Date("2025-01-02T03:04:05Z"), Parameters: { classification: "json", UPDATED_BY_CRAWLER: "c" } });
    expect(catalog.putTable("crawled", table)).toEqual({ created: true });
    const direct = catalog.getTable("crawled", "page_views")!;
    expect(direct).toMatchObject({ Name: "page_views", DatabaseName: "crawled", VersionId: "0", CatalogId: ACCOUNT });
    expect(direct.CreateTime).toBeInstanceOf(Date);
    expect(direct.LastAccessTime).toEqual(new Date("2025-01-02T03:04:05Z"));
    const viaApi = (await glue.send(new GetTableCommand({ DatabaseName: "crawled", Name: "page_views" }))).Table;
    expect(viaApi).toEqual(direct);

    expect(catalog.putTable("crawled", { ...table, Description: "second" })).toEqual({ created: false });
    expect(catalog.getTable("crawled", "page_views")).toMatchObject({ Description: "second", VersionId: "1" });
    expect(catalog.putTable("crawled", { ...table, Description: "third" }, { skipArchive: true })).toEqual({ created: false });
    const versions = (await glue.send(new GetTableVersionsCommand({ DatabaseName: "crawled", TableName: "page_views" }))).TableVersions!;
    expect(versions.map((v) => v.VersionId)).toEqual(["2", "0"]);
    expect(catalog.listTables("crawled").map((t) => t.Name)).toEqual(["page_views"]);
    expect(catalog.getTable("crawled", "nope")).toBeUndefined();
    expect(() => catalog.putTable("nodb", table)).toThrow(expect.objectContaining({ code: "EntityNotFoundException" }));

    const parts = ["2025-01-01", "2025-01-02"].map((dt) => ({ Values: [dt], StorageDescriptor: { Location: `s3://raw/page_views/dt=${dt}/` } }));
    expect(catalog.putPartitions("crawled", "page_views", parts)).toEqual({ created: 2, updated: 0 });
    expect(catalog.putPartitions("crawled", "page_views", [{ ...parts[0]!, Parameters: { recordCount: "3" } }, { Values: ["2025-01-03"] }])).toEqual({ created: 1, updated: 1 });
    const stored = catalog.getPartitions("crawled", "page_views");
    expect(stored.map((p) => p.Values?.[0])).toEqual(["2025-01-01", "2025-01-02", "2025-01-03"]);
    expect(stored[0]).toMatchObject({ Parameters: { recordCount: "3" }, TableName: "page_views", DatabaseName: "crawled" });
    const apiParts = (await glue.send(new GetPartitionsCommand({ DatabaseName: "crawled", TableName: "page_views" }))).Partitions;
    expect(apiParts).toEqual(stored);
    expect(() => catalog.putPartitions("crawled", "page_views", [{ Values: ["a", "b"] }])).toThrow(expect.objectContaining({ code: "InvalidInputException" }));

    expect(catalog.deletePartitions("crawled", "page_views", [["2025-01-01"], ["1999-01-01"]])).toBe(1);
    expect(catalog.getPartitions("crawled", "page_views")).toHaveLength(2);
    expect(catalog.deleteTable("crawled", "page_views")).toBe(true);
    expect(catalog.deleteTable("crawled", "page_views")).toBe(false);
    expect(catalog.listTables("crawled")).toEqual([]);
    await expect(glue.send(new GetPartitionsCommand({ DatabaseName: "crawled", TableName: "page_views" }))).rejects.toMatchObject({ name: "EntityNotFoundException" });
  });

  it("joins the caller's transaction: a failure rolls the catalog writes back", () => {
    catalog.putTable("crawled", jsonTable("tx", [{ Name: "dt", Type: "string" }]));
    expect(() =>
      db.transaction(() => {
        catalog.putPartitions("crawled", "tx", [{ Values: ["2025-01-01"] }]);
        catalog.putTable("crawled", jsonTable("tx2"));
        throw new Error("crawl failed");
      }).immediate(),
    ).toThrow("crawl failed");
    expect(catalog.getPartitions("crawled", "tx")).toEqual([]);
    expect(catalog.getTable("crawled", "tx2")).toBeUndefined();
  });
});
