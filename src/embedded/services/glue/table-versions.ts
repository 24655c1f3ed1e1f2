import type { TableVersion, TableVersionError } from "@aws-sdk/client-glue";
import type Database from "better-sqlite3";
import type { JsonHandler } from "../../protocols/json.js";
import { writeTransaction } from "../../store/db.js";
import { asList, catalogName, decodeToken, encodeToken, invalidInput, notFound, pageSize, sql } from "./api-common.js";
import { requireTable, tableShape, type TableRow } from "./catalog-rows.js";

/**
 * Table versions: every UpdateTable keeps the previous definition as a version ("0", "1" …); all of them, the
 * current one included, are listed newest first. The current version cannot be deleted.
 */

interface VersionRow {
  version: number;
  definition: string;
  updated: number;
}

const GLUE_PAGE = 100;

function tableOf(input: Record<string, unknown>, db: Database.Database): TableRow {
  return requireTable(db, catalogName(input.DatabaseName, "DatabaseName"), catalogName(input.TableName, "TableName"));
}

function versionNumber(value: unknown): number {
  const text = String(value ?? "");
  if (!/^\d+$/.test(text)) throw invalidInput(`Invalid VersionId: ${text}`);
  return Number(text);
}

const shape = (table: TableRow, row: VersionRow, accountId: string): TableVersion => ({
  Table: tableShape(table, accountId, row),
  VersionId: String(row.version),
});

const GetTableVersions: JsonHandler = (input, ctx) => {
  const table = tableOf(input, ctx.db);
  const max = pageSize(input.MaxResults, GLUE_PAGE);
  const before = decodeToken<number>(input.NextToken) ?? Number.MAX_SAFE_INTEGER;
  const rows = sql(ctx.db, "SELECT version, definition, updated FROM glue_table_versions WHERE database = ? AND name = ? AND version < ? ORDER BY version DESC LIMIT ?").all(
    table.database, table.name, before, max + 1,
  ) as VersionRow[];
  const page = rows.slice(0, max);
  return {
    TableVersions: page.map((row) => shape(table, row, ctx.accountId)),
    NextToken: rows.length > max ? encodeToken(page[page.length - 1]!.version) : undefined,
  };
};

/** GetTableVersion: the given version, or the current one when VersionId is left out. */
const GetTableVersion: JsonHandler = (input, ctx) => {
  const table = tableOf(input, ctx.db);
  const version = input.VersionId === undefined || input.VersionId === null ? table.version : versionNumber(input.VersionId);
  const row = sql(ctx.db, "SELECT version, definition, updated FROM glue_table_versions WHERE database = ? AND name = ? AND version = ?").get(
    table.database, table.name, version,
  ) as VersionRow | undefined;
  if (!row) throw notFound("Version not found.");
  return { TableVersion: shape(table, row, ctx.accountId) };
};

/** Deletes one version; returns the error Glue reports for it, if any. */
function deleteVersion(db: Database.Database, table: TableRow, versionId: unknown): { code: string; message: string } | undefined {
  const version = versionNumber(versionId);
  if (version === table.version) return { code: "InvalidInputException", message: "Cannot delete the current version of the table." };
  const changes = sql(db, "DELETE FROM glue_table_versions WHERE database = ? AND name = ? AND version = ?").run(table.database, table.name, version).changes;
  return changes ? undefined : { code: "EntityNotFoundException", message: "Version not found." };
}

const DeleteTableVersion: JsonHandler = (input, ctx) => {
  writeTransaction(ctx.db, () => {
    const error = deleteVersion(ctx.db, tableOf(input, ctx.db), input.VersionId);
    if (error) throw error.code === "EntityNotFoundException" ? notFound(error.message) : invalidInput(error.message);
  });
  return {};
};

/** BatchDeleteTableVersion: up to 100 versions; each one that cannot be deleted is an entry in Errors. */
const BatchDeleteTableVersion: JsonHandler = (input, ctx) => {
  const ids = asList<string>(input.VersionIds, "versionIds", 100);
  const Errors: TableVersionError[] = [];
  writeTransaction(ctx.db, () => {
    const table = tableOf(input, ctx.db);
    for (const id of ids) {
      const error = deleteVersion(ctx.db, table, id);
      if (error) Errors.push({ TableName: table.name, VersionId: String(id), ErrorDetail: { ErrorCode: error.code, ErrorMessage: error.message } });
    }
  });
  return { Errors };
};

export const tableVersionHandlers: Record<string, JsonHandler> = { GetTableVersions, GetTableVersion, DeleteTableVersion, BatchDeleteTableVersion };
