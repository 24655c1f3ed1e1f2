import { randomUUID } from "node:crypto";
import type { NamedQuery, UnprocessedNamedQueryId } from "@aws-sdk/client-athena";
import type Database from "better-sqlite3";
import type { JsonHandler } from "../../protocols/json.js";
import { writeTransaction } from "../../store/db.js";
import {
  clientRequestToken,
  idempotentMismatch,
  invalidRequest,
  optionalString,
  pagePosition,
  pageSize,
  pageToken,
  requiredString,
  sql,
  stringList,
} from "./api-common.js";
import { checkWorkGroupName, PRIMARY, requireWorkGroup } from "./workgroup-rows.js";

/**
 * Named (saved) queries: CreateNamedQuery (ClientRequestToken idempotence), GetNamedQuery, BatchGetNamedQuery,
 * ListNamedQueries, UpdateNamedQuery, DeleteNamedQuery. Names may repeat, as on Athena; the id is the identity.
 */

interface NamedQueryRow {
  id: string;
  workgroup: string;
  name: string;
  description: string | null;
  database: string;
  query: string;
  token: string | null;
  created: number;
}

const MAX_QUERY_LENGTH = 262_144;
const LIST_PAGE = 50;
const BATCH = 50;

const notFound = (id: string) => invalidRequest(`NamedQuery ${id} does not exist.`, "NAMED_QUERY_NOT_FOUND");

function findNamedQuery(db: Database.Database, id: string): NamedQueryRow | undefined {
  return sql(db, "SELECT * FROM athena_named_queries WHERE id = ?").get(id) as NamedQueryRow | undefined;
}

function requireNamedQuery(db: Database.Database, value: unknown): NamedQueryRow {
  const id = requiredString(value, "NamedQueryId", 1, 128);
  const row = findNamedQuery(db, id);
  if (!row) throw notFound(id);
  return row;
}

function shape(row: NamedQueryRow): NamedQuery {
  return {
    Name: row.name,
    ...(row.description !== null ? { Description: row.description } : {}),
    Database: row.database,
    QueryString: row.query,
    NamedQueryId: row.id,
    WorkGroup: row.workgroup,
  };
}

const CreateNamedQuery: JsonHandler = (input, ctx) => {
  const name = requiredString(input.Name, "Name", 1, 128);
  const description = optionalString(input.Description, "Description", 0, 1024) ?? null;
  const database = requiredString(input.Database, "Database", 1, 255);
  const query = requiredString(input.QueryString, "QueryString", 1, MAX_QUERY_LENGTH);
  const token = clientRequestToken(input.ClientRequestToken);
  const workgroup = input.WorkGroup === undefined || input.WorkGroup === null ? PRIMARY : checkWorkGroupName(input.WorkGroup, "workGroup");
  return writeTransaction(ctx.db, () => {
    requireWorkGroup(ctx.db, workgroup);
    if (token !== undefined) {
      const earlier = sql(ctx.db, "SELECT * FROM athena_named_queries WHERE token = ?").get(token) as NamedQueryRow | undefined;
      if (earlier) {
        const same = earlier.name === name && earlier.description === description && earlier.database === database && earlier.query === query && earlier.workgroup === workgroup;
        if (!same) throw idempotentMismatch();
        return { NamedQueryId: earlier.id };
      }
    }
    const id = randomUUID();
    sql(ctx.db, "INSERT INTO athena_named_queries (id, workgroup, name, description, database, query, token, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?)").run(
      id,
      workgroup,
      name,
      description,
      database,
      query,
      token ?? null,
      ctx.now().getTime() / 1000,
    );
    return { NamedQueryId: id };
  });
};

const GetNamedQuery: JsonHandler = (input, ctx) => ({ NamedQuery: shape(requireNamedQuery(ctx.db, input.NamedQueryId)) });

const BatchGetNamedQuery: JsonHandler = (input, ctx) => {
  const ids = stringList(input.NamedQueryIds, "NamedQueryIds", 1, BATCH);
  const NamedQueries: NamedQuery[] = [];
  const UnprocessedNamedQueryIds: UnprocessedNamedQueryId[] = [];
  for (const id of ids) {
    const row = findNamedQuery(ctx.db, id);
    if (row) NamedQueries.push(shape(row));
    else UnprocessedNamedQueryIds.push({ NamedQueryId: id, ErrorCode: "NAMED_QUERY_NOT_FOUND", ErrorMessage: `NamedQuery ${id} does not exist.` });
  }
  return { NamedQueries, UnprocessedNamedQueryIds };
};

const ListNamedQueries: JsonHandler = (input, ctx) => {
  const max = pageSize(input.MaxResults, LIST_PAGE, 0) || LIST_PAGE;
  const workgroup = input.WorkGroup === undefined || input.WorkGroup === null ? PRIMARY : checkWorkGroupName(input.WorkGroup, "workGroup");
  requireWorkGroup(ctx.db, workgroup);
  const after = pagePosition<number>(input.NextToken) ?? 0;
  const rows = sql(ctx.db, "SELECT rowid, id FROM athena_named_queries WHERE workgroup = ? AND rowid > ? ORDER BY rowid LIMIT ?").all(workgroup, after, max + 1) as { rowid: number; id: string }[];
  const page = rows.slice(0, max);
  return { NamedQueryIds: page.map((r) => r.id), NextToken: rows.length > max ? pageToken(page[page.length - 1]!.rowid) : undefined };
};

const UpdateNamedQuery: JsonHandler = (input, ctx) => {
  const name = requiredString(input.Name, "Name", 1, 128);
  const description = optionalString(input.Description, "Description", 0, 1024);
  const query = requiredString(input.QueryString, "QueryString", 1, MAX_QUERY_LENGTH);
  writeTransaction(ctx.db, () => {
    const row = requireNamedQuery(ctx.db, input.NamedQueryId);
    sql(ctx.db, "UPDATE athena_named_queries SET name = ?, description = ?, query = ? WHERE id = ?").run(name, description ?? null, query, row.id);
  });
  return {};
};

const DeleteNamedQuery: JsonHandler = (input, ctx) => {
  writeTransaction(ctx.db, () => {
    const row = requireNamedQuery(ctx.db, input.NamedQueryId);
    sql(ctx.db, "DELETE FROM athena_named_queries WHERE id = ?").run(row.id);
  });
  return {};
};

export const namedQueryHandlers: Record<string, JsonHandler> = {
  CreateNamedQuery,
  GetNamedQuery,
  BatchGetNamedQuery,
  ListNamedQueries,
  UpdateNamedQuery,
  DeleteNamedQuery,
};
