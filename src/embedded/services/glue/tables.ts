import type { Table, TableError } from "@aws-sdk/client-glue";
import type { JsonHandler } from "../../protocols/json.js";
import { writeTransaction } from "../../store/db.js";
import { asList, catalogName, decodeToken, encodeToken, invalidInput, pageSize, sql } from "./api-common.js";
import { deleteTableRows, findTable, insertTable, replaceTable, requireDatabase, requireTable, tableInput, tableShape, type TableRow } from "./catalog-rows.js";
import { SearchTables } from "./search-tables.js";
import { tableVersionHandlers } from "./table-versions.js";

/** Tables: CreateTable, GetTable, GetTables, UpdateTable, DeleteTable, BatchDeleteTable (+ versions, search). */

/** Glue pages GetTables at most 100 tables at a time, whatever MaxResults asks for. */
const GLUE_PAGE = 100;

const CreateTable: JsonHandler = (input, ctx) => {
  const database = catalogName(input.DatabaseName, "DatabaseName");
  const definition = tableInput(input.TableInput);
  writeTransaction(ctx.db, () => insertTable(ctx.db, ctx, database, definition, ctx.now().getTime() / 1000));
  return {};
};

const GetTable: JsonHandler = (input, ctx) => {
  const row = requireTable(ctx.db, catalogName(input.DatabaseName, "DatabaseName"), catalogName(input.Name, "Name"));
  return { Table: tableShape(row, ctx.accountId) };
};

/**
 * Glue's table-name pattern (Hive's): `*` is any run of characters (`.*` works too), `|` separates alternatives,
 * the rest is a regular expression; the whole name must match, ignoring case.
 */
export function tableNamePattern(expression: string): RegExp {
  try {
    return new RegExp(`^(?:${expression.replace(/(?<!\.)\*/g, ".*")})$`, "i");
  } catch {
    throw invalidInput(`Invalid table name expression: ${expression}`);
  }
}

const GetTables: JsonHandler = (input, ctx) => {
  const database = requireDatabase(ctx.db, catalogName(input.DatabaseName, "DatabaseName")).name;
  const max = pageSize(input.MaxResults, GLUE_PAGE);
  const pattern = typeof input.Expression === "string" && input.Expression !== "" ? tableNamePattern(input.Expression) : undefined;
  const after = decodeToken<string>(input.NextToken) ?? "";
  const rows: TableRow[] = [];
  let more = false;
  for (const row of sql(ctx.db, "SELECT * FROM glue_tables WHERE database = ? AND name > ? ORDER BY name").iterate(database, after) as IterableIterator<TableRow>) {
    if (pattern && !pattern.test(row.name)) continue;
    if (rows.length === max) {
      more = true;
      break;
    }
    rows.push(row);
  }
  const attributes = Array.isArray(input.AttributesToGet) ? new Set<string>(input.AttributesToGet as string[]) : undefined;
  const TableList: Table[] = rows.map((row) => {
    const table = tableShape(row, ctx.accountId);
    return attributes ? { Name: table.Name, ...(attributes.has("TABLE_TYPE") ? { TableType: table.TableType } : {}) } : table;
  });
  return { TableList, NextToken: more ? encodeToken(rows[rows.length - 1]!.name) : undefined };
};

/** UpdateTable: the TableInput replaces the definition; the previous one is archived unless SkipArchive. */
const UpdateTable: JsonHandler = (input, ctx) => {
  const database = catalogName(input.DatabaseName, "DatabaseName");
  const definition = tableInput(input.TableInput);
  const expectedVersion = input.VersionId === undefined || input.VersionId === null ? undefined : String(input.VersionId);
  writeTransaction(ctx.db, () => {
    const row = requireTable(ctx.db, database, definition.Name!);
    replaceTable(ctx.db, row, definition, ctx.now().getTime() / 1000, { skipArchive: input.SkipArchive === true, expectedVersion });
  });
  return {};
};

const DeleteTable: JsonHandler = (input, ctx) => {
  const database = catalogName(input.DatabaseName, "DatabaseName");
  const name = catalogName(input.Name, "Name");
  writeTransaction(ctx.db, () => deleteTableRows(ctx.db, ctx, requireTable(ctx.db, database, name)));
  return {};
};

/** BatchDeleteTable: up to 100 names; a missing table is an entry in Errors, not a failure of the call. */
const BatchDeleteTable: JsonHandler = (input, ctx) => {
  const database = catalogName(input.DatabaseName, "DatabaseName");
  const names = asList<string>(input.TablesToDelete, "tablesToDelete", 100).map((n) => catalogName(n, "TablesToDelete"));
  const Errors: TableError[] = [];
  writeTransaction(ctx.db, () => {
    requireDatabase(ctx.db, database);
    for (const name of names) {
      const row = findTable(ctx.db, database, name);
      if (row) deleteTableRows(ctx.db, ctx, row);
      else Errors.push({ TableName: name, ErrorDetail: { ErrorCode: "EntityNotFoundException", ErrorMessage: `Table ${name} not found.` } });
    }
  });
  return { Errors };
};

export const tableHandlers: Record<string, JsonHandler> = {
  CreateTable,
  GetTable,
  GetTables,
  UpdateTable,
  DeleteTable,
  BatchDeleteTable,
  SearchTables,
  ...tableVersionHandlers,
};
