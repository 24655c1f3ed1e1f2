import type { Database as GlueDatabase } from "@aws-sdk/client-glue";
import type { JsonHandler } from "../../protocols/json.js";
import { writeTransaction } from "../../store/db.js";
import { catalogName, decodeToken, encodeToken, pageSize, sql } from "./api-common.js";
import { databaseInput, databaseShape, deleteDatabaseRows, insertDatabase, requireDatabase, type DatabaseRow } from "./catalog-rows.js";
import { addTags, checkTags, glueArn } from "./tag-store.js";

/** Databases: CreateDatabase, GetDatabase, GetDatabases, UpdateDatabase, DeleteDatabase. */

const GLUE_PAGE = 100;

const CreateDatabase: JsonHandler = (input, ctx) => {
  const definition = databaseInput(input.DatabaseInput);
  const tags = checkTags(input.Tags);
  writeTransaction(ctx.db, () => {
    insertDatabase(ctx.db, definition, ctx.now().getTime() / 1000);
    addTags(ctx.db, glueArn(ctx.region, ctx.accountId, { kind: "database", name: definition.Name! }), tags);
  });
  return {};
};

const GetDatabase: JsonHandler = (input, ctx) => ({ Database: databaseShape(requireDatabase(ctx.db, catalogName(input.Name, "Name")), ctx.accountId) });

const GetDatabases: JsonHandler = (input, ctx) => {
  const max = pageSize(input.MaxResults, GLUE_PAGE);
  const after = decodeToken<string>(input.NextToken) ?? "";
  const rows = sql(ctx.db, "SELECT * FROM glue_databases WHERE name > ? ORDER BY name LIMIT ?").all(after, max + 1) as DatabaseRow[];
  const page = rows.slice(0, max);
  const namesOnly = Array.isArray(input.AttributesToGet) && input.AttributesToGet.length === 1 && input.AttributesToGet[0] === "NAME";
  const DatabaseList: GlueDatabase[] = page.map((row) => (namesOnly ? { Name: row.name } : databaseShape(row, ctx.accountId)));
  return { DatabaseList, NextToken: rows.length > max ? encodeToken(page[page.length - 1]!.name) : undefined };
};

/** UpdateDatabase replaces the definition (a database cannot be renamed; the Name stays). */
const UpdateDatabase: JsonHandler = (input, ctx) => {
  const name = catalogName(input.Name, "Name");
  const definition = databaseInput(input.DatabaseInput);
  writeTransaction(ctx.db, () => {
    const row = requireDatabase(ctx.db, name);
    sql(ctx.db, "UPDATE glue_databases SET definition = ? WHERE name = ?").run(JSON.stringify({ ...definition, Name: row.name }), row.name);
  });
  return {};
};

const DeleteDatabase: JsonHandler = (input, ctx) => {
  const name = catalogName(input.Name, "Name");
  writeTransaction(ctx.db, () => deleteDatabaseRows(ctx.db, ctx, requireDatabase(ctx.db, name).name));
  return {};
};

export const databaseHandlers: Record<string, JsonHandler> = { CreateDatabase, GetDatabase, GetDatabases, UpdateDatabase, DeleteDatabase };
