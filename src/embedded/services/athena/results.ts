import { readFile } from "node:fs/promises";
import type { Datum, Row } from "@aws-sdk/client-athena";
import type { JsonHandler } from "../../protocols/json.js";
import { getStoredObject } from "../s3/object-store.js";
import { decodeToken, encodeToken } from "../glue/api-common.js";
import { invalidRequest, validationError } from "./api-common.js";
import { outputOf, requireExecution } from "./execution-rows.js";
import { parseMetadata, readResultPage } from "./result-files.js";

/**
 * GetQueryResults, read back from the result files in the output location (result-files.ts): the header row first
 * for a SELECT, as Athena returns it, then the rows; NULL as a Datum without VarCharValue. A NextToken is the byte
 * offset of the next row in the file, so every page costs only what it reads. As on Athena, a full page carries a
 * NextToken even when no row follows (the next page is then empty).
 */

const MAX_PAGE = 1000;
const FRAMEWORK_MAX = 100_000;

const resultsNotFound = () => invalidRequest("Could not find results", "RESULT_NOT_FOUND");

/** The checks Athena's request framework makes before looking at the execution, all reported in one message. */
function checkPaging(maxResults: unknown, nextToken: unknown): void {
  const problems: string[] = [];
  if (nextToken === "") problems.push("Value at 'nextToken' failed to satisfy constraint: Member must have length greater than or equal to 1");
  if (typeof maxResults === "number" && maxResults < 1) problems.push("Value at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1");
  if (typeof maxResults === "number" && maxResults > FRAMEWORK_MAX) problems.push(`Value at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to ${FRAMEWORK_MAX}`);
  if (problems.length === 1) throw invalidRequest(`1 validation error detected: ${problems[0]}`);
  if (problems.length > 1) throw invalidRequest(`${problems.length} validation errors detected: ${problems.join("; ")}`);
  if (maxResults !== undefined && maxResults !== null && (typeof maxResults !== "number" || !Number.isInteger(maxResults))) throw validationError("maxResults", "Member must be an integer");
}

function startOffset(token: unknown): number {
  if (token === undefined || token === null) return 0;
  try {
    const position = decodeToken<{ o: number }>(token);
    if (position && Number.isInteger(position.o) && position.o >= 0) return position.o;
  } catch {
    // reported below
  }
  throw invalidRequest(`Malformed nextPageToken ${String(token)}`);
}

const GetQueryResults: JsonHandler = async (input, ctx) => {
  checkPaging(input.MaxResults, input.NextToken);
  const row = requireExecution(ctx.db, input.QueryExecutionId);
  const max = typeof input.MaxResults === "number" ? input.MaxResults : MAX_PAGE;
  if (max > MAX_PAGE) throw invalidRequest(`MaxResults is more than maximum allowed length ${MAX_PAGE}`);
  if (row.state === "QUEUED" || row.state === "RUNNING") throw invalidRequest(`Query has not yet finished. Current state: ${row.state}`, "INVALID_QUERY_EXECUTION_STATE");
  if (row.state === "FAILED") throw invalidRequest("Query did not finish successfully. Final query state: FAILED", "INVALID_QUERY_EXECUTION_STATE");
  if (row.state === "CANCELLED") throw resultsNotFound();

  const { file } = outputOf(row);
  const data = getStoredObject(ctx, file.bucket, file.key);
  const meta = getStoredObject(ctx, file.bucket, `${file.key}.metadata`);
  if (!data || !meta) throw resultsNotFound();
  const metadata = parseMetadata(await readFile(meta.file, "utf8"));
  if (!metadata) throw resultsNotFound();
  const kind = file.key.endsWith(".csv") ? "csv" : "txt";
  // A result without rows has nothing to page: Athena ignores the token then.
  const empty = data.size === 0;
  const offset = empty ? 0 : startOffset(input.NextToken);
  const page = empty || offset >= data.size ? { rows: [], next: offset, done: true } : await readResultPage(data.file, kind, offset, max);

  const Rows: Row[] = page.rows.map((values) => ({ Data: values.map((v): Datum => (v === null ? {} : { VarCharValue: v })) }));
  const full = page.rows.length === max;
  return {
    ResultSet: { Rows, ResultSetMetadata: { ColumnInfo: metadata.columns } },
    // Athena leaves UpdateCount out for DDL; SELECT and utility statements show 0.
    ...(metadata.statementType === "DDL" && metadata.updateCount === undefined ? {} : { UpdateCount: metadata.updateCount ?? 0 }),
    ...(full ? { NextToken: encodeToken({ o: page.next }) } : {}),
  };
};

export const resultHandlers: Record<string, JsonHandler> = { GetQueryResults };
