import { rewriteSequence } from "./expressions.js";
import { errorAt, TranslationError } from "./positions.js";
import { rewriteStatement } from "./statements.js";
import { SqlSyntaxError } from "./tokenizer.js";
import { parseTree, type Node, type Piece } from "./tree.js";

/**
 * Trino query text → DuckDB query text, by a token-level rewrite (tokenizer → bracket tree → statement and
 * expression rewrites), plus the map from each translated character back to the user's text.
 */

export interface Translation {
  sql: string;
  /** For each piece of the output, where it starts in `sql` and where it came from in the original. */
  map: { outStart: number; srcStart: number; exact: boolean }[];
}

export function translate(original: string): Translation {
  let pieces: Piece[];
  try {
    const tree = parseTree(original);
    refuseBackquotes(tree);
    pieces = rewriteSequence(rewriteStatement(tree));
  } catch (err) {
    if (err instanceof SqlSyntaxError) throw errorAt(original, err.offset, "SYNTAX_ERROR", err.message);
    if (err instanceof TranslationError) throw errorAt(original, err.offset, err.errorName, err.message);
    throw err;
  }
  let sql = "";
  const map: Translation["map"] = [];
  for (const piece of pieces) {
    map.push({ outStart: sql.length, srcStart: piece.at, exact: piece.exact === true });
    sql += piece.text;
  }
  return { sql, map };
}

/** Trino accepts backquotes in DDL only (the executor handles DDL); in a query they are a syntax error. */
function refuseBackquotes(nodes: Node[]): void {
  for (const node of nodes) {
    if (node.kind === "group") refuseBackquotes(node.children);
    else if (node.kind === "quoted" && node.text.startsWith("`")) {
      throw new SqlSyntaxError("backquoted identifiers are not supported; use double quotes to quote identifiers", node.start);
    }
  }
}

/** The offset in the original text of the character at `offset` in the translated text. */
export function originalOffset(translation: Translation, offset: number): number {
  let lo = 0;
  let hi = translation.map.length - 1;
  let found = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (translation.map[mid]!.outStart <= offset) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  const entry = translation.map[found];
  if (!entry) return 0;
  return entry.exact ? entry.srcStart + (offset - entry.outStart) : entry.srcStart;
}
