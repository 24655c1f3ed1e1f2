import type { Column as GlueColumn, Table } from "@aws-sdk/client-glue";
import type { Column, DataCatalog, TableMetadata } from "@aws-sdk/client-athena";
import type { JsonHandler } from "../../protocols/json.js";
import { AwsError } from "../../protocols/types.js";
import type { ServiceContext } from "../../service.js";
import { SqliteCatalog } from "../glue/catalog-store.js";
import { findDatabase, type DatabaseRow } from "../glue/catalog-rows.js";
import { tableNamePattern } from "../glue/tables.js";
import { invalidRequest, metadataError, pagePosition, pageSize, pageToken, requiredString, sql } from "./api-common.js";

/**
 * The catalog as Athena shows it: ListDataCatalogs / GetDataCatalog (the one catalog, AwsDataCatalog, of type GLUE),
 * ListDatabases / GetDatabase, ListTableMetadata / GetTableMetadata — read from the embedded Glue Data Catalog.
 * What the catalog lacks is Athena's MetadataException, carrying Glue's words, as on Athena.
 */

export const AWS_DATA_CATALOG = "AwsDataCatalog";
const LIST_PAGE = 50;

function dataCatalog(ctx: ServiceContext): DataCatalog {
  return { Name: AWS_DATA_CATALOG, Description: "AWS Glue Data Catalog", Type: "GLUE", Parameters: { "catalog-id": ctx.accountId } };
}

/** The catalog a request names: only AwsDataCatalog exists (Athena matches its name in any case). */
function requireCatalog(value: unknown): void {
  const name = requiredString(value, "CatalogName", 1, 256);
  if (name.toLowerCase() !== AWS_DATA_CATALOG.toLowerCase()) throw invalidRequest(`Catalog ${name} does not exist.`);
}

const glueNotFound = (ctx: ServiceContext, what: string) =>
  metadataError(`${what} not found. (Service: AWSGlue; Status Code: 400; Error Code: EntityNotFoundException; Request ID: ${ctx.requestId}; Proxy: null)`);

function requireDatabase(ctx: ServiceContext, value: unknown): DatabaseRow {
  const name = requiredString(value, "DatabaseName", 1, 128);
  const row = findDatabase(ctx.db, name);
  if (!row) throw glueNotFound(ctx, `Database ${name.toLowerCase()}`);
  return row;
}

function databaseShape(row: DatabaseRow) {
  const definition = JSON.parse(row.definition) as { Description?: string; Parameters?: Record<string, string> };
  return { Name: row.name, ...(definition.Description ? { Description: definition.Description } : {}), Parameters: definition.Parameters ?? {} };
}

const columnShape = (c: GlueColumn): Column => ({ Name: c.Name, Type: c.Type, ...(c.Comment ? { Comment: c.Comment } : {}) });

/**
 * A Glue table as Athena's TableMetadata: its parameters, plus the storage Athena reads (location, input and output
 * formats, SerDe library and parameters) as Athena lists them.
 */
function tableMetadata(table: Table): TableMetadata {
  const sd = table.StorageDescriptor ?? {};
  const parameters: Record<string, string> = { ...(table.Parameters ?? {}) };
  if (table.TableType === "EXTERNAL_TABLE") parameters.EXTERNAL ??= "TRUE";
  if (sd.Location) parameters.location = sd.Location;
  if (sd.InputFormat) parameters.inputformat = sd.InputFormat;
  if (sd.OutputFormat) parameters.outputformat = sd.OutputFormat;
  if (sd.SerdeInfo?.SerializationLibrary) parameters["serde.serialization.lib"] = sd.SerdeInfo.SerializationLibrary;
  for (const [k, v] of Object.entries(sd.SerdeInfo?.Parameters ?? {})) parameters[`serde.param.${k}`] = v;
  return {
    Name: table.Name,
    ...(table.CreateTime ? { CreateTime: table.CreateTime } : {}),
    ...(table.LastAccessTime ? { LastAccessTime: table.LastAccessTime } : {}),
    TableType: table.TableType ?? "EXTERNAL_TABLE",
    Columns: (sd.Columns ?? []).map(columnShape),
    PartitionKeys: (table.PartitionKeys ?? []).map(columnShape),
    Parameters: parameters,
  };
}

const catalogOf = (ctx: ServiceContext) => new SqliteCatalog(ctx.db, ctx.accountId, ctx.region);

/** Athena's table-name filter is Glue's (Hive's `*` and `|`); its errors become Athena's. */
function namePattern(expression: unknown): RegExp | undefined {
  if (typeof expression !== "string" || expression === "") return undefined;
  try {
    return tableNamePattern(expression);
  } catch (err) {
    throw invalidRequest(err instanceof AwsError ? err.message : `Invalid expression: ${expression}`);
  }
}

const ListDataCatalogs: JsonHandler = (input, ctx) => {
  pageSize(input.MaxResults, LIST_PAGE, 2);
  pagePosition<string>(input.NextToken);
  const catalog = dataCatalog(ctx);
  return { DataCatalogsSummary: [{ CatalogName: catalog.Name, Type: catalog.Type }] };
};

const GetDataCatalog: JsonHandler = (input, ctx) => {
  const name = requiredString(input.Name, "Name", 1, 256);
  if (name.toLowerCase() !== AWS_DATA_CATALOG.toLowerCase()) throw invalidRequest(`Catalog ${name} does not exist.`);
  return { DataCatalog: dataCatalog(ctx) };
};

const ListDatabases: JsonHandler = (input, ctx) => {
  requireCatalog(input.CatalogName);
  const max = pageSize(input.MaxResults, LIST_PAGE);
  const after = pagePosition<string>(input.NextToken) ?? "";
  const rows = sql(ctx.db, "SELECT * FROM glue_databases WHERE name > ? ORDER BY name LIMIT ?").all(after, max + 1) as DatabaseRow[];
  const page = rows.slice(0, max);
  return { DatabaseList: page.map(databaseShape), NextToken: rows.length > max ? pageToken(page[page.length - 1]!.name) : undefined };
};

const GetDatabase: JsonHandler = (input, ctx) => {
  requireCatalog(input.CatalogName);
  return { Database: databaseShape(requireDatabase(ctx, input.DatabaseName)) };
};

const ListTableMetadata: JsonHandler = (input, ctx) => {
  requireCatalog(input.CatalogName);
  const database = requireDatabase(ctx, input.DatabaseName).name;
  const max = pageSize(input.MaxResults, LIST_PAGE);
  const pattern = namePattern(input.Expression);
  const after = pagePosition<string>(input.NextToken) ?? "";
  const tables = catalogOf(ctx)
    .listTables(database)
    .filter((t) => t.Name! > after && (!pattern || pattern.test(t.Name!)));
  const page = tables.slice(0, max);
  return { TableMetadataList: page.map(tableMetadata), NextToken: tables.length > max ? pageToken(page[page.length - 1]!.Name) : undefined };
};

const GetTableMetadata: JsonHandler = (input, ctx) => {
  requireCatalog(input.CatalogName);
  const database = requireDatabase(ctx, input.DatabaseName).name;
  const name = requiredString(input.TableName, "TableName", 1, 128);
  const table = catalogOf(ctx).getTable(database, name);
  if (!table) throw glueNotFound(ctx, `Table ${name.toLowerCase()}`);
  return { TableMetadata: tableMetadata(table) };
};

export const metadataHandlers: Record<string, JsonHandler> = { ListDataCatalogs, GetDataCatalog, ListDatabases, GetDatabase, ListTableMetadata, GetTableMetadata };
