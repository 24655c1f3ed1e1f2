import type { DuckDBConnection } from "@duckdb/node-api";
import { duckTypeOfGlue } from "./glue-types.js";
import { columnRefsOf, unqualified, type AstNode, type SelectScope, type TableRef } from "./query-ast.js";
import { quoteIdent, quoteString } from "./sql-text.js";
import type { ColumnDef } from "./table-model.js";

/**
 * Partition pruning: the conjuncts of a SELECT's WHERE that name only partition columns of one of the tables it
 * reads are evaluated against that table's partition values, so only the matching partitions' files are read.
 * Anything uncertain (an unqualified name two sources could own, a table on the NULL side of an outer join, a
 * predicate that fails to evaluate) prunes nothing: the query still filters the rows, it only reads more.
 */

export interface SourceColumns {
  partitionKeys: Set<string>;
  /** Every column name of the source (data and partition columns). */
  all: Set<string>;
}

export function pruningConjuncts(scope: SelectScope, columnsOf: (ref: TableRef) => SourceColumns | undefined): Map<TableRef, AstNode[]> {
  const out = new Map<TableRef, AstNode[]>();
  for (const conjunct of scope.conjuncts) {
    const names = columnRefsOf(conjunct);
    if (!names || names.length === 0) continue;
    let target: TableRef | undefined;
    let usable = true;
    for (const parts of names) {
      const owner = ownerOf(parts, scope, columnsOf);
      if (!owner || (target && owner !== target)) {
        usable = false;
        break;
      }
      target = owner;
    }
    if (!usable || !target) continue;
    const list = out.get(target) ?? [];
    list.push(conjunct);
    out.set(target, list);
  }
  return out;
}

/** The source whose partition column a reference names, when that is certain. */
function ownerOf(parts: string[], scope: SelectScope, columnsOf: (ref: TableRef) => SourceColumns | undefined): TableRef | undefined {
  const name = parts[parts.length - 1]!.toLowerCase();
  let candidates: TableRef[];
  if (parts.length === 1) {
    if (scope.opaqueSources) return undefined;
    const owners = scope.sources.filter((s) => columnsOf(s.ref)?.all.has(name) ?? true);
    if (owners.length !== 1) return undefined;
    candidates = owners.map((s) => s.ref);
  } else {
    const qualifier = parts.slice(0, -1).map((p) => p.toLowerCase());
    candidates = scope.sources
      .filter((s) => {
        const label = (s.ref.alias || s.ref.table).toLowerCase();
        if (qualifier.length === 1) return label === qualifier[0];
        return !s.ref.alias && qualifier[qualifier.length - 1] === s.ref.table.toLowerCase() && qualifier[qualifier.length - 2] === s.ref.schema.toLowerCase();
      })
      .map((s) => s.ref);
    if (candidates.length !== 1) return undefined;
  }
  const ref = candidates[0]!;
  const source = scope.sources.find((s) => s.ref === ref)!;
  if (source.nullable || !columnsOf(ref)?.partitionKeys.has(name)) return undefined;
  return ref;
}

/** `SELECT 1 WHERE true`, parsed once: the frame the conjuncts are deparsed in. */
let frame: AstNode | undefined;

/**
 * Indexes of the partitions (rows of values, one string per key) for which every conjunct holds, evaluated by DuckDB
 * over the values cast to the keys' types. Undefined when the predicates cannot be evaluated that way (then nothing
 * is pruned). Two round trips: the conjuncts back to SQL text, then one query over the values inline.
 */
export async function matchingPartitions(con: DuckDBConnection, keys: ColumnDef[], rows: string[][], conjuncts: AstNode[]): Promise<number[] | undefined> {
  if (conjuncts.length === 0) return undefined;
  try {
    frame ??= await parseSelect(con, "SELECT 1 WHERE true");
    if (!frame) return undefined;
    const statement = structuredClone(frame);
    (statement.node as AstNode).where_clause = {
      class: "CONJUNCTION",
      type: "CONJUNCTION_AND",
      alias: "",
      query_location: 0,
      children: conjuncts.map(unqualified),
    };
    const deparsed = await deparse(con, statement);
    const condition = deparsed?.match(/^SELECT 1 WHERE ([\s\S]+)$/)?.[1];
    if (!condition) return undefined;
    const raw = ["__lw_idx", ...keys.map((_k, i) => `v${i}`)].map(quoteIdent).join(", ");
    const values = rows.map((row, index) => `(${[String(index), ...row.map(quoteString)].join(", ")})`).join(", ");
    const typed = keys.map((k, i) => `TRY_CAST(${quoteIdent(`v${i}`)} AS ${duckTypeOfGlue(k.type)}) AS ${quoteIdent(k.name)}`).join(", ");
    const result = await con.runAndReadAll(`SELECT "__lw_idx" FROM (SELECT "__lw_idx", ${typed} FROM (VALUES ${values}) AS "__lw_v"(${raw})) AS "__lw_p" WHERE ${condition}`);
    return result.getRowsJS().map((row) => Number(row[0]));
  } catch {
    return undefined;
  }
}

export type ParsedSelect =
  | { ok: true; statement: AstNode }
  | { ok: false; reason: "parser" | "not a query" | "several statements"; message: string };

/** DuckDB's parse tree of one SELECT (`json_serialize_sql`), or why there is none. */
export async function parseQuery(con: DuckDBConnection, sql: string): Promise<ParsedSelect> {
  const result = await con.runAndReadAll("SELECT json_serialize_sql($1::VARCHAR)", [sql]);
  const parsed = JSON.parse(String(result.getRowsJS()[0]![0])) as { error?: boolean; error_type?: string; error_message?: string; statements?: AstNode[] };
  if (parsed.error) return { ok: false, reason: parsed.error_type === "parser" ? "parser" : "not a query", message: parsed.error_message ?? "" };
  if (parsed.statements?.length !== 1) return { ok: false, reason: "several statements", message: `${parsed.statements?.length ?? 0} statements` };
  return { ok: true, statement: parsed.statements[0]! };
}

async function parseSelect(con: DuckDBConnection, sql: string): Promise<AstNode | undefined> {
  const parsed = await parseQuery(con, sql);
  return parsed.ok ? parsed.statement : undefined;
}

async function deparse(con: DuckDBConnection, statement: AstNode): Promise<string | undefined> {
  // "No location" is uint64's maximum, which a JS number cannot hold: leave those out (DuckDB's default is the same).
  const json = JSON.stringify({ error: false, statements: [statement] }, (key, value: unknown) =>
    key === "query_location" && typeof value === "number" && value > Number.MAX_SAFE_INTEGER ? undefined : value,
  );
  const result = await con.runAndReadAll("SELECT json_deserialize_sql($1::JSON)", [json]);
  const sql = result.getRowsJS()[0]![0];
  return typeof sql === "string" ? sql : undefined;
}
