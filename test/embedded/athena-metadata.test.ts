import {
  AthenaClient,
  GetDatabaseCommand,
  GetDataCatalogCommand,
  GetTableMetadataCommand,
  ListDatabasesCommand,
  ListDataCatalogsCommand,
  ListTableMetadataCommand,
  paginateListDatabases,
  paginateListTableMetadata,
} from "@aws-sdk/client-athena";
import { CreateDatabaseCommand, CreateTableCommand, GlueClient } from "@aws-sdk/client-glue";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAthenaService } from "../../src/embedded/services/athena/index.js";
import { createGlueService } from "../../src/embedded/services/glue/index.js";
import { createS3Service } from "../../src/embedded/services/s3/index.js";
import { embeddedStack, TEST_ACCOUNT, TEST_CREDENTIALS } from "../helpers/embedded-stack.js";

// The Glue Data Catalog as the embedded Athena shows it, written through the real GlueClient, read through AthenaClient.
const athenaService = createAthenaService();
const stack = embeddedStack([createGlueService(), createS3Service(), athenaService]);
const athena = new AthenaClient({ region: "us-east-1", credentials: TEST_CREDENTIALS, requestHandler: stack.handler });
const glue = new GlueClient({ region: "us-east-1", credentials: TEST_CREDENTIALS, requestHandler: stack.handler });

async function failure(promise: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await promise;
  } catch (err) {
    return { name: (err as Error).name, message: (err as Error).message };
  }
  throw new Error("the call succeeded");
}

const jsonTable = (name: string) => ({
  Name: name,
  TableType: "EXTERNAL_TABLE",
  Parameters: { classification: "json" },
  PartitionKeys: [
    { Name: "year", Type: "string" },
    { Name: "month", Type: "string" },
  ],
  StorageDescriptor: {
    Columns: [
      { Name: "event_id", Type: "string", Comment: "unique" },
      { Name: "product", Type: "struct<id:string,price:double>" },
    ],
    Location: `s3://raw/data/${name}/`,
    InputFormat: "org.apache.hadoop.mapred.TextInputFormat",
    OutputFormat: "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
    SerdeInfo: { SerializationLibrary: "org.openx.data.jsonserde.JsonSerDe", Parameters: { paths: "event_id,product" } },
  },
});

beforeAll(async () => {
  await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: "ecommerce_raw_db", Description: "raw events", Parameters: { owner: "lake" } } }));
  await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: "ecommerce_processed_db" } }));
  for (const name of ["raw", "raw_archive", "sessions"]) await glue.send(new CreateTableCommand({ DatabaseName: "ecommerce_raw_db", TableInput: jsonTable(name) }));
});

afterAll(async () => {
  athena.destroy();
  glue.destroy();
  await athenaService.close?.();
  stack.close();
});

describe("data catalogs", () => {
  it("has one, AwsDataCatalog, of type GLUE", async () => {
    expect((await athena.send(new ListDataCatalogsCommand({}))).DataCatalogsSummary).toEqual([{ CatalogName: "AwsDataCatalog", Type: "GLUE" }]);
    expect((await athena.send(new GetDataCatalogCommand({ Name: "AwsDataCatalog" }))).DataCatalog).toMatchObject({
      Name: "AwsDataCatalog",
      Type: "GLUE",
      Parameters: { "catalog-id": TEST_ACCOUNT },
    });
    expect(await failure(athena.send(new GetDataCatalogCommand({ Name: "hive_elsewhere" })))).toMatchObject({ name: "InvalidRequestException" });
    expect(await failure(athena.send(new ListDatabasesCommand({ CatalogName: "hive_elsewhere" })))).toMatchObject({ name: "InvalidRequestException" });
  });
});

describe("databases", () => {
  it("lists the Glue databases in pages and reads one", async () => {
    const names: string[] = [];
    for await (const page of paginateListDatabases({ client: athena, pageSize: 1 }, { CatalogName: "AwsDataCatalog" })) {
      names.push(...(page.DatabaseList ?? []).map((d) => d.Name!));
    }
    expect(names).toEqual(["ecommerce_processed_db", "ecommerce_raw_db"]);
    expect((await athena.send(new GetDatabaseCommand({ CatalogName: "AwsDataCatalog", DatabaseName: "ecommerce_raw_db" }))).Database).toEqual({
      Name: "ecommerce_raw_db",
      Description: "raw events",
      Parameters: { owner: "lake" },
    });
  });

  it("answers MetadataException with Glue's words for a database that does not exist", async () => {
    const err = await failure(athena.send(new GetDatabaseCommand({ CatalogName: "AwsDataCatalog", DatabaseName: "nope" })));
    expect(err.name).toBe("MetadataException");
    expect(err.message).toContain("Database nope not found.");
    expect(err.message).toContain("EntityNotFoundException");
  });
});

describe("tables", () => {
  it("shows a table's columns, partition keys, type and storage parameters", async () => {
    const { TableMetadata } = await athena.send(new GetTableMetadataCommand({ CatalogName: "AwsDataCatalog", DatabaseName: "ecommerce_raw_db", TableName: "raw" }));
    expect(TableMetadata).toMatchObject({
      Name: "raw",
      TableType: "EXTERNAL_TABLE",
      Columns: [
        { Name: "event_id", Type: "string", Comment: "unique" },
        { Name: "product", Type: "struct<id:string,price:double>" },
      ],
      PartitionKeys: [
        { Name: "year", Type: "string" },
        { Name: "month", Type: "string" },
      ],
      Parameters: {
        classification: "json",
        EXTERNAL: "TRUE",
        location: "s3://raw/data/raw/",
        inputformat: "org.apache.hadoop.mapred.TextInputFormat",
        outputformat: "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
        "serde.serialization.lib": "org.openx.data.jsonserde.JsonSerDe",
        "serde.param.paths": "event_id,product",
      },
    });
    expect(TableMetadata?.CreateTime).toBeInstanceOf(Date);
  });

  it("lists tables in pages, filtered by an expression", async () => {
    const all: string[] = [];
    for await (const page of paginateListTableMetadata({ client: athena, pageSize: 2 }, { CatalogName: "AwsDataCatalog", DatabaseName: "ecommerce_raw_db" })) {
      all.push(...(page.TableMetadataList ?? []).map((t) => t.Name!));
    }
    expect(all).toEqual(["raw", "raw_archive", "sessions"]);
    const filtered = await athena.send(new ListTableMetadataCommand({ CatalogName: "AwsDataCatalog", DatabaseName: "ecommerce_raw_db", Expression: "raw*" }));
    expect(filtered.TableMetadataList?.map((t) => t.Name)).toEqual(["raw", "raw_archive"]);
    expect(filtered.NextToken).toBeUndefined();
  });

  it("answers MetadataException for a table or database that does not exist", async () => {
    const table = await failure(athena.send(new GetTableMetadataCommand({ CatalogName: "AwsDataCatalog", DatabaseName: "ecommerce_raw_db", TableName: "nope" })));
    expect(table.name).toBe("MetadataException");
    expect(table.message).toContain("Table nope not found.");
    expect((await failure(athena.send(new ListTableMetadataCommand({ CatalogName: "AwsDataCatalog", DatabaseName: "nope" })))).name).toBe("MetadataException");
  });
});
