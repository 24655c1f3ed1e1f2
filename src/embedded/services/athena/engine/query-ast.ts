/**
 * What the engine reads from DuckDB's parse tree of a query (`json_serialize_sql`): the table references (with the
 * byte offset of each name, to rewrite it), the names CTEs define, and for each SELECT the tables it reads directly
 * with the conjuncts of its WHERE, from which partition predicates are taken.
 */

export type AstNode = Record<string, unknown>;

export interface TableRef {
  node: AstNode;
  catalog: string;
  schema: string;
  table: string;
  alias: string;
  /** Byte offset of the name in the parsed text. */
  location: number;
}

export interface ScopeSource {
  ref: TableRef;
  /** On the NULL-filled side of an outer join: a WHERE predicate does not limit which of its rows exist. */
  nullable: boolean;
}

export interface SelectScope {
  sources: ScopeSource[];
  /** The FROM also reads a subquery, a table function, VALUES …: an unqualified column may come from those. */
  opaqueSources: boolean;
  conjuncts: AstNode[];
}

export interface QueryAnalysis {
  refs: TableRef[];
  /** Names of the table functions the query calls in FROM clauses. */
  tableFunctions: string[];
  cteNames: Set<string>;
  scopes: SelectScope[];
}

const isNode = (value: unknown): value is AstNode => typeof value === "object" && value !== null && !Array.isArray(value);

export function analyzeQuery(statement: AstNode): QueryAnalysis {
  const refs = new Map<AstNode, TableRef>();
  const cteNames = new Set<string>();
  const scopes: SelectScope[] = [];
  const tableFunctions: string[] = [];
  const refOf = (node: AstNode): TableRef => {
    let ref = refs.get(node);
    if (!ref) {
      ref = {
        node,
        catalog: String(node.catalog_name ?? ""),
        schema: String(node.schema_name ?? ""),
        table: String(node.table_name ?? ""),
        alias: String(node.alias ?? ""),
        location: Number(node.query_location),
      };
      refs.set(node, ref);
    }
    return ref;
  };

  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (!isNode(value)) return;
    if (value.type === "BASE_TABLE") refOf(value);
    if (value.type === "TABLE_FUNCTION" && isNode(value.function)) tableFunctions.push(String(value.function.function_name));
    if (value.type === "SELECT_NODE") scopes.push(scopeOf(value, refOf));
    const cteMap = value.cte_map;
    if (isNode(cteMap) && Array.isArray(cteMap.map)) {
      for (const entry of cteMap.map) if (isNode(entry)) cteNames.add(String(entry.key).toLowerCase());
    }
    for (const child of Object.values(value)) if (typeof child === "object") visit(child);
  };
  visit(statement);
  return { refs: [...refs.values()].sort((a, b) => a.location - b.location), tableFunctions, cteNames, scopes };
}

function scopeOf(select: AstNode, refOf: (node: AstNode) => TableRef): SelectScope {
  const sources: ScopeSource[] = [];
  let opaqueSources = false;
  const collect = (from: unknown, nullable: boolean): void => {
    if (!isNode(from)) return;
    if (from.type === "BASE_TABLE") {
      sources.push({ ref: refOf(from), nullable });
    } else if (from.type === "JOIN") {
      const type = String(from.join_type);
      collect(from.left, nullable || type === "RIGHT" || type === "OUTER");
      collect(from.right, nullable || type === "LEFT" || type === "OUTER");
    } else if (from.type !== "EMPTY") {
      opaqueSources = true;
    }
  };
  collect(select.from_table, false);
  return { sources, opaqueSources, conjuncts: conjunctsOf(select.where_clause) };
}

function conjunctsOf(expression: unknown): AstNode[] {
  if (!isNode(expression)) return [];
  if (expression.class === "CONJUNCTION" && expression.type === "CONJUNCTION_AND" && Array.isArray(expression.children)) {
    return expression.children.flatMap(conjunctsOf);
  }
  return [expression];
}

/**
 * The column references of an expression, or undefined when it cannot be evaluated on its own (a subquery, a
 * lambda, a window function, a parameter).
 */
export function columnRefsOf(expression: AstNode): string[][] | undefined {
  const out: string[][] = [];
  let standalone = true;
  const visit = (value: unknown): void => {
    if (!standalone) return;
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (!isNode(value)) return;
    const kind = String(value.class ?? "");
    if (kind === "SUBQUERY" || kind === "LAMBDA" || kind === "WINDOW" || kind === "PARAMETER" || kind === "LAMBDA_REF") {
      standalone = false;
      return;
    }
    if (kind === "COLUMN_REF") {
      out.push((value.column_names as string[]).map(String));
      return;
    }
    for (const child of Object.values(value)) if (typeof child === "object") visit(child);
  };
  visit(expression);
  return standalone ? out : undefined;
}

/** A copy of an expression whose column references keep only their last part (the partition column's name). */
export function unqualified(expression: AstNode): AstNode {
  const copy = structuredClone(expression);
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (!isNode(value)) return;
    if (value.class === "COLUMN_REF") {
      const names = value.column_names as string[];
      value.column_names = [names[names.length - 1]!];
      return;
    }
    for (const child of Object.values(value)) if (typeof child === "object") visit(child);
  };
  visit(copy);
  return copy;
}
