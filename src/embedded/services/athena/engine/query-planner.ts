import type { Table } from "@aws-sdk/client-glue";
import { translateQuery } from "./dialect/index.js";
import { userError, userErrorAt } from "./errors.js";
import { candidatePartitions, filesOf, filesOfPartitions } from "./partition-source.js";
import { matchingPartitions, parseQuery, pruningConjuncts, type SourceColumns } from "./partition-pruning.js";
import { analyzeQuery, type AstNode, type TableRef } from "./query-ast.js";
import type { Session } from "./session.js";
import { isIdentifier, tokenize, type Token } from "./sql-lexer.js";
import { quoteIdent } from "./sql-text.js";
import { parseS3Location } from "./s3-files.js";
import { parquetFunction, scanSql, type ScanPart } from "./table-scan.js";
import { isView, tableModel, type TableModel } from "./table-model.js";
import { decodeView } from "./views.js";

/**
 * Makes a translated query runnable: every table it names is resolved in the Glue catalog and replaced by a
 * subquery over exactly the files the query reads (the partitions its WHERE selects), views expand to their
 * own planned queries, and the bytes to scan are counted before anything is read.
 */

const MAX_VIEW_DEPTH = 10;
const CATALOG = "awsdatacatalog";

interface Resolved {
  ref: TableRef;
  table: Table;
  model?: TableModel;
}

/**
 * Plans `duckSql` (the dialect's translation of `userSql`, in which errors are positioned) with `database` for
 * unqualified names. Returns the query to run.
 */
export async function planQuery(session: Session, duckSql: string, userSql: string, database: string, depth = 0): Promise<string> {
  const parsed = await parseQuery(session.con, duckSql);
  if (!parsed.ok) {
    // Nothing but one query runs: DuckDB's own parser error (with its position) when it has one.
    if (parsed.reason === "parser") await session.con.prepare(duckSql);
    if (parsed.reason === "several statements") throw userError("SYNTAX_ERROR", `Only one sql statement is allowed. Got: ${userSql.trim()}`);
    throw userError("NOT_SUPPORTED", `Only SELECT queries are supported here: ${parsed.message}`);
  }
  const analysis = analyzeQuery(parsed.statement);
  checkTableFunctions(analysis.tableFunctions, userSql);
  const refs = analysis.refs.filter((r) => r.schema !== "" || r.catalog !== "" || !analysis.cteNames.has(r.table.toLowerCase()));
  const userTokens = tokenize(userSql);
  const resolved = refs.map((ref, i) => resolve(session, ref, database, userSql, userTokens, occurrence(refs, i)));

  const byRef = new Map(resolved.map((r) => [r.ref, r]));
  const columnsOf = (ref: TableRef): SourceColumns | undefined => {
    const r = byRef.get(ref);
    if (!r) return undefined;
    const columns = (r.table.StorageDescriptor?.Columns ?? []).map((c) => (c.Name ?? "").toLowerCase());
    const keys = (r.table.PartitionKeys ?? []).map((c) => (c.Name ?? "").toLowerCase());
    return { partitionKeys: new Set(isView(r.table) ? [] : keys), all: new Set([...columns, ...keys]) };
  };
  const predicates = new Map<TableRef, AstNode[]>();
  for (const scope of analysis.scopes) for (const [ref, conjuncts] of pruningConjuncts(scope, columnsOf)) predicates.set(ref, conjuncts);

  // Each table becomes a subquery in place, not a temporary view: DuckDB binds a view when it is created and again
  // in the query, and binding a scan of many files is a large part of a short query.
  const replacements: { ref: TableRef; text: string }[] = [];
  for (const r of resolved) {
    const body = isView(r.table)
      ? await viewSql(session, r.table, depth)
      : await tableSql(session, r.model!, predicates.get(r.ref) ?? []);
    replacements.push({ ref: r.ref, text: r.ref.alias ? `(${body})` : `(${body}) AS ${quoteIdent(r.ref.table)}` });
  }
  return rewrite(duckSql, replacements);
}

/** Table functions that only compute: anything else (read_json, glob …) would read files past the catalog. */
const ALLOWED_TABLE_FUNCTIONS = new Set(["unnest", "generate_series", "range"]);

function checkTableFunctions(names: string[], userSql: string): void {
  const refused = names.find((n) => !ALLOWED_TABLE_FUNCTIONS.has(n.toLowerCase()));
  if (refused === undefined) return;
  const at = positionOf(tokenize(userSql), [refused], 0);
  throw userErrorAt("FUNCTION_NOT_FOUND", userSql, at, `Table function '${refused.toLowerCase()}' not registered`);
}

function resolve(session: Session, ref: TableRef, database: string, userSql: string, userTokens: Token[], nth: number): Resolved {
  const parts = [ref.catalog, ref.schema, ref.table].filter((p) => p !== "");
  const at = () => positionOf(userTokens, parts, nth);
  const catalog = ref.catalog.toLowerCase();
  if (catalog !== "" && catalog !== CATALOG) throw userErrorAt("CATALOG_NOT_FOUND", userSql, at(), `Catalog '${catalog}' does not exist`);
  const schema = (ref.schema || database).toLowerCase();
  const name = ref.table.toLowerCase();
  if (!session.catalog.databaseExists(schema)) throw userErrorAt("SCHEMA_NOT_FOUND", userSql, at(), `Schema '${schema}' does not exist`);
  const table = session.catalog.getTable(schema, name);
  if (!table) throw userErrorAt("TABLE_NOT_FOUND", userSql, at(), `Table '${CATALOG}.${schema}.${name}' does not exist`);
  return { ref, table, model: isView(table) ? undefined : tableModel(table) };
}

async function tableSql(session: Session, model: TableModel, conjuncts: AstNode[]): Promise<string> {
  let parts: ScanPart[];
  if (model.partitionKeys.length === 0) {
    parts = [{ values: [], files: filesOf(session, parseS3Location(model.location)) }];
  } else {
    let candidates = candidatePartitions(session, model, conjuncts);
    const keep = await matchingPartitions(session.con, model.partitionKeys, candidates.map((c) => c.values), conjuncts);
    if (keep) candidates = keep.map((i) => candidates[i]!);
    const files = filesOfPartitions(session, candidates);
    parts = candidates.map((c, i) => ({ values: c.values, files: files[i]! }));
  }
  session.addScanned(parts.flatMap((p) => p.files));
  return scanSql(model, parts, (files) => parquetColumns(session, files));
}

async function parquetColumns(session: Session, files: string[]): Promise<string[]> {
  const result = await session.con.runAndReadAll(`DESCRIBE SELECT * FROM ${parquetFunction(files)}`);
  return result.getRowsJS().map((row) => String(row[0]));
}

async function viewSql(session: Session, table: Table, depth: number): Promise<string> {
  if (depth >= MAX_VIEW_DEPTH) throw userError("VIEW_IS_RECURSIVE", `View '${CATALOG}.${table.DatabaseName}.${table.Name}' is recursive`);
  const view = decodeView(table);
  return planQuery(session, translateQuery(view.sql), view.sql, view.schema, depth + 1);
}

/** Which occurrence of the same name a reference is, among references in text order. */
function occurrence(refs: TableRef[], index: number): number {
  const key = (r: TableRef) => [r.catalog, r.schema, r.table].join(".").toLowerCase();
  return refs.slice(0, index).filter((r) => key(r) === key(refs[index]!)).length;
}

/** Offset in the user's SQL of the nth occurrence of a qualified name (parts compared case-insensitively). */
function positionOf(tokens: Token[], parts: string[], nth: number): number {
  const want = parts.map((p) => p.toLowerCase());
  let seen = 0;
  for (let i = 0; i < tokens.length; i++) {
    let k = 0;
    let j = i;
    while (k < want.length && isIdentifier(tokens[j]) && tokens[j]!.value.toLowerCase() === want[k]) {
      k++;
      j++;
      if (k < want.length) {
        if (tokens[j]?.kind !== "symbol" || tokens[j]!.value !== ".") break;
        j++;
      }
    }
    const previous = tokens[i - 1];
    const partOfLonger = previous?.kind === "symbol" && previous.value === ".";
    if (k === want.length && !partOfLonger) {
      if (seen === nth) return tokens[i]!.start;
      seen++;
    }
  }
  return 0;
}

/** Replaces each reference's name (found at its byte offset in `sql`) by the text given. */
function rewrite(sql: string, replacements: { ref: TableRef; text: string }[]): string {
  const bytes = Buffer.from(sql, "utf8");
  const tokens = tokenize(sql);
  const edits = replacements.map(({ ref, text }) => {
    const start = bytes.subarray(0, ref.location).toString("utf8").length;
    let index = tokens.findIndex((t) => t.start === start);
    if (index < 0) throw new Error(`table reference not found at offset ${start} of the translated query`);
    let end = tokens[index]!.end;
    while (tokens[index + 1]?.kind === "symbol" && tokens[index + 1]!.value === "." && isIdentifier(tokens[index + 2])) {
      index += 2;
      end = tokens[index]!.end;
    }
    return { start, end, text };
  });
  let out = sql;
  for (const e of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}
