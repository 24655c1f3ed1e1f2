import type { PropertyPredicate, SortCriterion, Table } from "@aws-sdk/client-glue";
import type { JsonHandler } from "../../protocols/json.js";
import { asList, decodeToken, encodeToken, pageSize, sql } from "./api-common.js";
import { tableShape, type TableRow } from "./catalog-rows.js";

/**
 * SearchTables, approximately: Glue's search index is not documented in detail. SearchText matches (ignoring case)
 * a substring of the table's or database's name, description, column names or parameters, or the exact table name
 * when quoted; Filters compare a table member (DatabaseName, Name/TableName, Description, TableType, Owner) or a
 * table parameter; SortCriteria sorts by one member. Paged by position.
 */

const MEMBER_KEYS: Record<string, (t: Table) => string | undefined> = {
  databasename: (t) => t.DatabaseName,
  name: (t) => t.Name,
  tablename: (t) => t.Name,
  description: (t) => t.Description,
  tabletype: (t) => t.TableType,
  owner: (t) => t.Owner,
  createtime: (t) => t.CreateTime?.toISOString(),
  updatetime: (t) => t.UpdateTime?.toISOString(),
};

function fieldOf(table: Table, key: string): string | undefined {
  const member = MEMBER_KEYS[key.toLowerCase()];
  return member ? member(table) : table.Parameters?.[key];
}

function matchesText(table: Table, text: string): boolean {
  const quoted = /^"(.*)"$/.exec(text);
  if (quoted) return table.Name === quoted[1]!.toLowerCase();
  const needle = text.toLowerCase();
  const haystack = [
    table.Name,
    table.DatabaseName,
    table.Description,
    ...(table.StorageDescriptor?.Columns ?? []).map((c) => c.Name),
    ...(table.PartitionKeys ?? []).map((c) => c.Name),
    ...Object.entries(table.Parameters ?? {}).flat(),
  ];
  return haystack.some((s) => s?.toLowerCase().includes(needle));
}

function matchesFilter(table: Table, filter: PropertyPredicate): boolean {
  const actual = filter.Key ? fieldOf(table, filter.Key) : undefined;
  if (actual === undefined) return false;
  const wanted = filter.Value ?? "";
  switch (filter.Comparator ?? "EQUALS") {
    case "GREATER_THAN":
      return actual > wanted;
    case "LESS_THAN":
      return actual < wanted;
    case "GREATER_THAN_EQUALS":
      return actual >= wanted;
    case "LESS_THAN_EQUALS":
      return actual <= wanted;
    default:
      return actual === wanted;
  }
}

export const SearchTables: JsonHandler = (input, ctx) => {
  const max = pageSize(input.MaxResults, 1000, 100);
  const offset = decodeToken<number>(input.NextToken) ?? 0;
  const filters = asList<PropertyPredicate>(input.Filters, "filters", 100);
  const [sort] = asList<SortCriterion>(input.SortCriteria, "sortCriteria", 1);
  const text = typeof input.SearchText === "string" && input.SearchText !== "" ? input.SearchText : undefined;
  const rows = sql(ctx.db, "SELECT * FROM glue_tables ORDER BY database, name").all() as TableRow[];
  const tables = rows
    .map((row) => tableShape(row, ctx.accountId))
    .filter((t) => (!text || matchesText(t, text)) && filters.every((f) => matchesFilter(t, f)));
  if (sort?.FieldName) {
    const direction = sort.Sort === "DESC" ? -1 : 1;
    const key = sort.FieldName;
    tables.sort((a, b) => {
      const x = fieldOf(a, key) ?? "";
      const y = fieldOf(b, key) ?? "";
      return x < y ? -direction : x > y ? direction : 0;
    });
  }
  const page = tables.slice(offset, offset + max);
  return { TableList: page, NextToken: offset + max < tables.length ? encodeToken(offset + max) : undefined };
};
