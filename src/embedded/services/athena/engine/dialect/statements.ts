import { rawToken, type Token } from "./tokenizer.js";
import { isGroup, isOp, isParen, isTrivia, isWord, significant, splitCommas, startOf, syntheticGroup, type Group, type Node } from "./tree.js";

/**
 * Statement-level rewrites on the bracket tree, before the expression rewrite: Trino's `_colN` names for unnamed
 * result columns, `VALUES 1, 2`, UNNEST of several arrays or of an array of rows, `FETCH FIRST n ROWS ONLY`.
 */

const CLAUSE_ENDS = new Set(["from", "where", "group", "having", "window", "order", "limit", "offset", "fetch", "union", "intersect", "except"]);
const LITERAL_WORDS = new Set(["null", "true", "false"]);
const NOT_ALIASES = new Set([
  "end", "and", "or", "not", "is", "in", "like", "between", "then", "else", "when", "case", "distinct", "all", "as",
  "year", "month", "day", "hour", "minute", "second", "zone", "asc", "desc", "escape",
]);

export function rewriteStatement(nodes: Node[]): Node[] {
  const out = rewriteNested(stripTrailingSemicolons(nodes));
  nameResultColumns(out);
  return out;
}

function stripTrailingSemicolons(nodes: Node[]): Node[] {
  const out = [...nodes];
  for (;;) {
    const last = out.length - 1;
    if (last < 0) return out;
    const node = out[last]!;
    if (isTrivia(node) || isOp(node, ";")) out.pop();
    else return out;
  }
}

/** Rewrites that apply at every nesting level (subqueries, CTEs). */
function rewriteNested(nodes: Node[]): Node[] {
  let out = nodes.map((n) => (isGroup(n) ? { ...n, children: rewriteNested(n.children) } : n));
  out = rewriteValues(out);
  out = rewriteUnnest(out);
  out = rewriteFetchFirst(out);
  out = rewriteTableSample(out);
  return out;
}

/** Indexes of the significant nodes, to look around a position without whitespace and comments. */
function nextIndex(nodes: Node[], from: number): number {
  let i = from;
  while (i < nodes.length && isTrivia(nodes[i])) i++;
  return i;
}

/** `VALUES 1, 2` (rows without parentheses) → `VALUES (1), (2)`, which DuckDB requires. */
function rewriteValues(nodes: Node[]): Node[] {
  const start = nodes.findIndex((n) => isWord(n, "values"));
  if (start < 0) return nodes;
  let end = start + 1;
  while (end < nodes.length && !isClauseEnd(nodes, end)) end++;
  const rows = splitCommas(nodes.slice(start + 1, end));
  const rebuilt: Node[] = [];
  rows.forEach((row, i) => {
    if (i > 0) rebuilt.push(rawToken(", ", startOf(row[0] ?? nodes[start]!)));
    const sig = significant(row);
    if (sig.length === 1 && isParen(sig[0])) rebuilt.push(...row);
    else if (sig.length > 0) rebuilt.push(syntheticGroup("(", row, ")", startOf(sig[0]!)));
  });
  return [...nodes.slice(0, start + 1), rawToken(" ", startOf(nodes[start]!)), ...rebuilt, ...nodes.slice(end)];
}

/** Functions whose result is a map: `UNNEST(<one of them>) AS t(k, v)` unnests entries, not rows. */
const MAP_PRODUCERS = /^(map|map_agg|map_from_entries|split_to_map|histogram|map_concat|multimap_agg|map_filter)$/i;

/**
 * UNNEST forms DuckDB does not have: several arrays zipped (`UNNEST(a, b) AS t(x, y)`), an array of rows expanded
 * into columns (`UNNEST(rows) AS t(a, b)`), a map (`UNNEST(m) AS t(k, v)`), each optionally WITH ORDINALITY. They
 * become a LATERAL subquery with one column per name.
 */
function rewriteUnnest(nodes: Node[]): Node[] {
  const out: Node[] = [];
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i]!;
    const argsAt = nextIndex(nodes, i + 1);
    const args = nodes[argsAt];
    if (!isWord(node, "unnest") || !isParen(args)) {
      out.push(node);
      continue;
    }
    let k = nextIndex(nodes, argsAt + 1);
    let ordinality = false;
    if (isWord(nodes[k], "with") && isWord(nodes[nextIndex(nodes, k + 1)], "ordinality")) {
      ordinality = true;
      k = nextIndex(nodes, nextIndex(nodes, k + 1) + 1);
    }
    if (isWord(nodes[k], "as")) k = nextIndex(nodes, k + 1);
    const alias = nodes[k];
    const columns = nodes[nextIndex(nodes, k + 1)];
    if (!(alias && !isGroup(alias) && (alias.kind === "word" || alias.kind === "quoted") && isParen(columns))) {
      out.push(node);
      continue;
    }
    const arrays = splitCommas(args.children).filter((a) => significant(a).length > 0);
    const names = splitCommas(columns.children).map((c) => significant(c).map((t) => (isGroup(t) ? "" : t.text)).join(""));
    const valueNames = ordinality ? names.slice(0, -1) : names;
    if (arrays.length === 1 && valueNames.length <= 1) {
      out.push(node);
      continue;
    }
    const at = startOf(node);
    out.push(unnestSubquery(arrays, valueNames, ordinality ? names[names.length - 1]! : undefined, at));
    out.push(rawToken(` AS ${alias.text}(${names.join(", ")})`, at));
    i = nextIndex(nodes, k + 1);
  }
  return out;
}

function unnestSubquery(arrays: Node[][], names: string[], ordinalityName: string | undefined, at: number): Group {
  const children: Node[] = [];
  if (arrays.length > 1) {
    // Zipped: unnest() calls in one select list run in lockstep and pad the shorter arrays with NULL, as Trino does.
    arrays.forEach((array, i) => {
      children.push(syntheticGroup(i === 0 ? "unnest(" : ", unnest(", array, `) AS ${names[i] ?? `lw_c${i}__`}`, at));
    });
    if (ordinalityName) {
      children.push(rawToken(`, unnest(generate_series(1, greatest(`, at));
      arrays.forEach((array, i) => children.push(syntheticGroup(i === 0 ? "len(" : ", len(", array, ")", at)));
      children.push(rawToken(`))) AS ${ordinalityName}`, at));
    }
    return syntheticGroup("LATERAL (SELECT ", children, ")", at);
  }
  const array = arrays[0]!;
  const isMap = (() => {
    const first = significant(array)[0];
    return first !== undefined && !isGroup(first) && first.kind === "word" && MAP_PRODUCERS.test(first.text);
  })();
  const fields = names.map((n, i) => `struct_extract_at(lw_u__, ${i + 1}) AS ${n}`).join(", ");
  const source = syntheticGroup(isMap ? "unnest(map_entries(" : "unnest(", array, isMap ? ")) AS lw_u__" : ") AS lw_u__", at);
  if (ordinalityName) {
    children.push(source, rawToken(", ", at), syntheticGroup("unnest(generate_series(1, len(", isMap ? [rawToken("map_keys(", at), ...array, rawToken(")", at)] : array, `))) AS lw_o__`, at));
    return syntheticGroup(`LATERAL (SELECT ${fields}, lw_o__ AS ${ordinalityName} FROM (SELECT `, children, "))", at);
  }
  children.push(source);
  return syntheticGroup(`LATERAL (SELECT ${fields} FROM (SELECT `, children, "))", at);
}

/** `FETCH FIRST|NEXT n ROW|ROWS ONLY` → `LIMIT n`; `OFFSET n ROWS` → `OFFSET n`. */
function rewriteFetchFirst(nodes: Node[]): Node[] {
  const out: Node[] = [];
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i]!;
    if (isWord(node, "fetch")) {
      const first = nextIndex(nodes, i + 1);
      let count = nextIndex(nodes, first + 1);
      let countText = "1";
      if (nodes[count] && !isGroup(nodes[count]) && (nodes[count] as Token).kind === "number") {
        countText = (nodes[count] as Token).text;
        count = nextIndex(nodes, count + 1);
      }
      const only = nextIndex(nodes, count + 1);
      if (isWord(nodes[first], "first", "next") && isWord(nodes[count], "row", "rows") && isWord(nodes[only], "only")) {
        out.push(rawToken(`LIMIT ${countText}`, startOf(node)));
        i = only;
        continue;
      }
    }
    if (isWord(node, "offset")) {
      const count = nextIndex(nodes, i + 1);
      const rows = nextIndex(nodes, count + 1);
      if (isWord(nodes[rows], "row", "rows")) {
        out.push(node, ...nodes.slice(i + 1, count + 1));
        i = rows;
        continue;
      }
    }
    out.push(node);
  }
  return out;
}

/** `TABLESAMPLE BERNOULLI (10)` → `TABLESAMPLE 10% (bernoulli)` (DuckDB reads a bare number as a row count). */
function rewriteTableSample(nodes: Node[]): Node[] {
  const out: Node[] = [];
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i]!;
    const methodAt = nextIndex(nodes, i + 1);
    const percentAt = nextIndex(nodes, methodAt + 1);
    const method = nodes[methodAt];
    const percent = nodes[percentAt];
    if (isWord(node, "tablesample") && isWord(method, "bernoulli", "system") && isParen(percent)) {
      const at = startOf(node);
      out.push(syntheticGroup("TABLESAMPLE ", percent.children, `% (${(method as Token).text.toLowerCase()})`, at));
      i = percentAt;
      continue;
    }
    out.push(node);
  }
  return out;
}

/**
 * Trino names a result column that is neither a column reference nor aliased `_colN` (N its position); DuckDB
 * names it after the expression text. Applies to the outermost query's first SELECT (set operations take their
 * names from it) and to a top-level VALUES.
 */
function nameResultColumns(nodes: Node[]): void {
  let i = nextIndex(nodes, 0);
  if (isWord(nodes[i], "with")) {
    // Skip `WITH [RECURSIVE] name [(cols)] AS (query) [, …]`.
    i = nextIndex(nodes, i + 1);
    if (isWord(nodes[i], "recursive")) i = nextIndex(nodes, i + 1);
    for (;;) {
      while (i < nodes.length && !isParen(nodes[i]) ) i++;
      // The column list group comes before AS; the query group after it.
      const afterGroup = nextIndex(nodes, i + 1);
      if (isWord(nodes[afterGroup], "as")) {
        i = nextIndex(nodes, afterGroup + 1);
      }
      i = nextIndex(nodes, i + 1);
      if (nodes[i]?.kind === "comma") {
        i = nextIndex(nodes, i + 1);
        continue;
      }
      break;
    }
  }
  while (isParen(nodes[i])) {
    const inner = (nodes[i] as Group).children;
    nameResultColumns(inner);
    return;
  }
  if (isWord(nodes[i], "values")) {
    nameValuesColumns(nodes, i);
    return;
  }
  if (!isWord(nodes[i], "select")) return;
  let k = nextIndex(nodes, i + 1);
  if (isWord(nodes[k], "distinct", "all")) k = nextIndex(nodes, k + 1);
  let end = k;
  while (end < nodes.length && !(isClauseEnd(nodes, end))) end++;
  // Walk the items backwards so that insertions do not move the items still to visit.
  const items: { start: number; end: number }[] = [];
  let itemStart = k;
  for (let j = k; j <= end; j++) {
    if (j === end || nodes[j]!.kind === "comma") {
      items.push({ start: itemStart, end: j });
      itemStart = j + 1;
    }
  }
  for (let index = items.length - 1; index >= 0; index--) {
    const item = items[index]!;
    const itemNodes = nodes.slice(item.start, item.end);
    if (needsName(itemNodes)) {
      let insertAt = item.end;
      while (insertAt > item.start && isTrivia(nodes[insertAt - 1])) insertAt--;
      nodes.splice(insertAt, 0, rawToken(` AS "_col${index}"`, startOf(significant(itemNodes)[0]!)));
    }
  }
}

/** A clause keyword at nodes[i]; the FROM of `IS [NOT] DISTINCT FROM` is not one. */
function isClauseEnd(nodes: Node[], i: number): boolean {
  const node = nodes[i];
  if (!isWord(node) || !CLAUSE_ENDS.has((node as Token).text.toLowerCase())) return false;
  if (isWord(node, "group", "order")) return isWord(nodes[nextIndex(nodes, i + 1)], "by");
  if (!isWord(node, "from")) return true;
  for (let k = i - 1; k >= 0; k--) {
    if (isTrivia(nodes[k])) continue;
    return !isWord(nodes[k], "distinct");
  }
  return true;
}

function needsName(item: Node[]): boolean {
  const sig = significant(item);
  if (sig.length === 0) return false;
  const last = sig[sig.length - 1]!;
  const beforeLast = sig[sig.length - 2];
  if (isOp(last, "*")) return false;
  // A column reference: name, "name", t.name, t."name".
  if (sig.every((n, i) => (i % 2 === 0 ? !isGroup(n) && (n.kind === "word" || n.kind === "quoted") : isOp(n, ".")))) {
    return sig.length === 1 && isWord(sig[0]) && LITERAL_WORDS.has((sig[0] as Token).text.toLowerCase());
  }
  // Aliased: `expr AS name` or `expr name`.
  if (!isGroup(last) && (last.kind === "word" || last.kind === "quoted")) {
    if (isWord(beforeLast, "as")) return false;
    const lastWord = last.text.toLowerCase();
    const implicitAlias =
      beforeLast !== undefined &&
      !isOp(beforeLast, ".") &&
      (isGroup(beforeLast) || beforeLast.kind === "string" || beforeLast.kind === "number" || beforeLast.kind === "quoted" || beforeLast.kind === "word") &&
      !(isWord(beforeLast) && NOT_ALIASES.has((beforeLast as Token).text.toLowerCase())) &&
      !(last.kind === "word" && (NOT_ALIASES.has(lastWord) || LITERAL_WORDS.has(lastWord)));
    if (implicitAlias) return false;
  }
  return true;
}

function nameValuesColumns(nodes: Node[], valuesAt: number): void {
  const firstRow = nodes.slice(valuesAt + 1).find((n) => isGroup(n));
  if (!firstRow) return;
  const count = splitCommas(firstRow.children).length;
  const names = Array.from({ length: count }, (_v, i) => `"_col${i}"`).join(", ");
  const at = startOf(nodes[valuesAt]!);
  const rest = nodes.splice(valuesAt);
  nodes.push(rawToken("SELECT * FROM ", at), syntheticGroup("(", rest, `) AS lw_values__(${names})`, at));
}
