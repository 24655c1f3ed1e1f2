import { macro } from "./macros.js";
import { rewriteCast, rewriteExtract } from "./casts.js";
import { rewriteCall } from "./functions.js";
import { isGroup, isOp, isParen, isTrivia, isWord, splitCommas, type Group, type Node, type Piece } from "./tree.js";
import type { Token } from "./tokenizer.js";

/**
 * The expression-level rewrite: walks a node sequence (one bracket level), groups it into operands ("units": a
 * literal, an identifier chain, a call with its FILTER/OVER, a CASE … END, a bracketed group, with subscripts and
 * field accesses) and the tokens between them, rewrites calls and casts, and turns `a / b` and `a % b` into calls
 * that keep Trino's semantics (integer division truncates, division by zero is an error).
 */

/** Words that never start an operand: clause and operator keywords. */
const KEYWORDS = new Set([
  "select", "from", "where", "group", "by", "having", "order", "limit", "offset", "fetch", "union", "intersect",
  "except", "all", "distinct", "as", "on", "using", "join", "inner", "left", "right", "full", "outer", "cross",
  "natural", "and", "or", "not", "is", "in", "like", "ilike", "between", "escape", "when", "then", "else", "end",
  "exists", "with", "recursive", "values", "asc", "desc", "nulls", "first", "last", "over", "partition", "rows",
  "range", "groups", "preceding", "following", "unbounded", "current", "window", "lateral", "ordinality",
  "tablesample", "within", "create", "table", "insert", "into", "set", "only", "next", "ties", "at", "rollup",
  "cube", "grouping", "sets", "similar", "some", "any", "to", "ignore", "respect", "uescape", "some",
]);

/** `2020-01-01 12:00:00[.fff] <zone>` where the zone is a name (UTC, America/New_York) or an offset (+01:00). */
const ZONED_TIMESTAMP = /^(\d{4}-\d\d-\d\d[ T]\d\d:\d\d(?::\d\d(?:\.\d+)?)?)\s*([A-Za-z][\w/+-]*|[+-]\d\d(?::?\d\d)?)$/;

/** Words that start a typed literal when a string follows: `DATE '2024-01-01'`. */
const TYPED_LITERALS = new Set(["date", "time", "timestamp", "decimal", "real", "double", "json", "char", "varchar", "bigint", "integer", "varbinary"]);

export interface Unit {
  pieces: Piece[];
  end: number;
}

interface Segment {
  unit: boolean;
  pieces: Piece[];
  node?: Node;
}

export function tokenPiece(token: Token): Piece {
  return { text: token.kind === "word" ? token.text.toLowerCase() : token.text, at: token.start, exact: token.kind !== "raw" };
}

export function text(value: string, at: number): Piece {
  return { text: value, at };
}

/** Emits nodes as written, only recursing into groups so nested expressions are rewritten too. */
export function rewriteSequence(nodes: Node[], inArray = false): Piece[] {
  const segments: Segment[] = [];
  let i = 0;
  while (i < nodes.length) {
    const node = nodes[i]!;
    if (isTrivia(node)) {
      segments.push({ unit: false, pieces: [tokenPiece(node as Token)], node });
      i++;
      continue;
    }
    const previous = lastSignificant(segments);
    if (isOp(node, "-", "+") && (!previous || !previous.unit)) {
      const operand = parseUnit(nodes, nextSignificant(nodes, i + 1));
      if (operand) {
        segments.push({ unit: true, pieces: [tokenPiece(node as Token), ...between(nodes, i + 1, nextSignificant(nodes, i + 1)), ...operand.pieces] });
        i = operand.end;
        continue;
      }
    }
    const unit = isRowConstructor(nodes, i, inArray) ? rowUnit(nodes[i] as Group, i) : parseUnit(nodes, i);
    if (unit) {
      segments.push({ unit: true, pieces: unit.pieces, node });
      i = unit.end;
    } else {
      segments.push({ unit: false, pieces: [tokenPiece(node as Token)], node });
      i++;
    }
  }
  return foldIntervalArithmetic(foldDivisions(segments)).flatMap((s) => s.pieces);
}

function between(nodes: Node[], from: number, to: number): Piece[] {
  return nodes.slice(from, to).map((n) => tokenPiece(n as Token));
}

export function nextSignificant(nodes: Node[], from: number): number {
  let i = from;
  while (i < nodes.length && isTrivia(nodes[i])) i++;
  return i;
}

function lastSignificant(segments: Segment[]): Segment | undefined {
  for (let k = segments.length - 1; k >= 0; k--) {
    const s = segments[k]!;
    if (!(s.node && isTrivia(s.node))) return s;
  }
  return undefined;
}

/** The operand starting at nodes[i], or undefined when nodes[i] cannot start one (a keyword, an operator). */
export function parseUnit(nodes: Node[], i: number): Unit | undefined {
  const node = nodes[i];
  if (!node) return undefined;
  let unit: Unit | undefined;
  if (isGroup(node)) {
    unit = { pieces: groupPieces(node), end: i + 1 };
  } else if (node.kind === "number" || node.kind === "string") {
    unit = { pieces: [tokenPiece(node)], end: i + 1 };
  } else if (node.kind === "quoted") {
    unit = identifierChain(nodes, i);
  } else if (node.kind === "word") {
    unit = wordUnit(nodes, i, node);
  }
  return unit ? postfix(nodes, unit) : undefined;
}

function wordUnit(nodes: Node[], i: number, word: Token): Unit | undefined {
  const lower = word.text.toLowerCase();
  const after = nextSignificant(nodes, i + 1);
  const next = nodes[after];
  if (lower === "case") return caseUnit(nodes, i);
  if (KEYWORDS.has(lower)) return undefined;
  if (lower === "decimal" && next?.kind === "string") return decimalLiteral(next, after);
  const zoned = lower === "timestamp" && next?.kind === "string" ? ZONED_TIMESTAMP.exec(next.text.slice(1, -1)) : null;
  if (zoned && next) {
    // A zone in the literal makes it a timestamp with time zone (DuckDB wants a numeric offset without a space).
    const literal = /^[+-]/.test(zoned[2]!) ? `${zoned[1]}${zoned[2]}` : `${zoned[1]} ${zoned[2]}`;
    return { pieces: [text(`timestamptz '${literal}'`, word.start)], end: after + 1 };
  }
  if (TYPED_LITERALS.has(lower) && next?.kind === "string") {
    return { pieces: [tokenPiece(word), text(" ", word.start), tokenPiece(next)], end: after + 1 };
  }
  if (lower === "interval") return intervalUnit(nodes, i);
  if (lower === "array" && isGroup(next) && next.open.text === "[") {
    return { pieces: [text("[", word.start), ...rewriteSequence(next.children, true), text("]", next.close.start)], end: after + 1 };
  }
  if (isParen(next) && !isTableAlias(nodes, i)) return callUnit(nodes, word, next, after);
  return identifierChain(nodes, i);
}

/** `AS t(a, b)` and `FROM f(…)`: a name before parentheses that is not a scalar call. */
function isTableAlias(nodes: Node[], i: number): boolean {
  for (let k = i - 1; k >= 0; k--) {
    const node = nodes[k]!;
    if (isTrivia(node)) continue;
    return isWord(node, "as");
  }
  return false;
}

/** `DECIMAL '1.50'` is decimal(3,2) in Trino (DuckDB would make it decimal(18,3)). */
function decimalLiteral(literal: Token, index: number): Unit {
  const value = literal.text.slice(1, -1).trim();
  const [whole = "", fraction = ""] = value.replace(/^[+-]/, "").split(".");
  const scale = fraction.length;
  const precision = Math.max(1, whole.replace(/^0+/, "").length + scale);
  return { pieces: [text(`CAST(${literal.text} AS DECIMAL(${Math.min(38, precision)}, ${scale}))`, literal.start)], end: index + 1 };
}

function caseUnit(nodes: Node[], i: number): Unit {
  let depth = 0;
  for (let k = i; k < nodes.length; k++) {
    const node = nodes[k]!;
    if (isWord(node, "case")) depth++;
    else if (isWord(node, "end") && --depth === 0) {
      const inner = rewriteSequence(nodes.slice(i + 1, k));
      return { pieces: [tokenPiece(nodes[i] as Token), ...inner, tokenPiece(node as Token)], end: k + 1 };
    }
  }
  // An unterminated CASE: leave it to DuckDB's parser to report.
  return { pieces: [tokenPiece(nodes[i] as Token), ...rewriteSequence(nodes.slice(i + 1))], end: nodes.length };
}

const INTERVAL_FIELDS = new Set(["year", "month", "day", "hour", "minute", "second", "week", "quarter", "millisecond"]);

/** `INTERVAL '1' DAY`, `INTERVAL -'1' DAY`, `INTERVAL '1 02:03:04' DAY TO SECOND`, `INTERVAL '1-2' YEAR TO MONTH`. */
function intervalUnit(nodes: Node[], i: number): Unit | undefined {
  const word = nodes[i] as Token;
  let k = nextSignificant(nodes, i + 1);
  let negative = false;
  if (isOp(nodes[k], "-", "+")) {
    negative = (nodes[k] as Token).text === "-";
    k = nextSignificant(nodes, k + 1);
  }
  const value = nodes[k];
  if (value?.kind !== "string") return undefined;
  let inner = value.text.slice(1, -1).replace(/''/g, "'").trim();
  let end = k + 1;
  const fieldAt = nextSignificant(nodes, end);
  const field = nodes[fieldAt] as Token | undefined;
  let unit = "";
  if (field && isWord(field) && INTERVAL_FIELDS.has(field.text.toLowerCase())) {
    unit = field.text.toLowerCase();
    end = fieldAt + 1;
    const toAt = nextSignificant(nodes, end);
    if (isWord(nodes[toAt], "to")) {
      // DuckDB has no `DAY TO SECOND` qualifiers: the text says every unit instead ('1 day 02:03:04').
      end = nextSignificant(nodes, toAt + 1) + 1;
      const dayTime = /^(-?)(\d+)\s+(.*)$/.exec(inner);
      const yearMonth = /^(-?)(\d+)-(\d+)$/.exec(inner);
      if (unit === "day" && dayTime) inner = `${dayTime[1]}${dayTime[2]} day ${dayTime[1]}${dayTime[3]}`;
      else if (unit === "year" && yearMonth) inner = `${yearMonth[1]}${yearMonth[2]} year ${yearMonth[1]}${yearMonth[3]} month`;
      unit = "";
    }
  }
  const literal = `'${negative ? "-" : ""}${inner.replace(/'/g, "''")}'`;
  return { pieces: [tokenPiece(word), text(` ${literal}${unit ? ` ${unit}` : ""}`, value.start)], end };
}

function identifierChain(nodes: Node[], i: number): Unit {
  const pieces: Piece[] = [tokenPiece(nodes[i] as Token)];
  let end = i + 1;
  while (isOp(nodes[end], ".") && (nodes[end + 1]?.kind === "word" || nodes[end + 1]?.kind === "quoted" || isOp(nodes[end + 1], "*"))) {
    pieces.push(tokenPiece(nodes[end] as Token), tokenPiece(nodes[end + 1] as Token));
    end += 2;
  }
  return { pieces, end };
}

function callUnit(nodes: Node[], name: Token, args: Group, argsIndex: number): Unit {
  const lower = name.text.toLowerCase();
  let end = argsIndex + 1;
  let pieces: Piece[];
  if (lower === "cast" || lower === "try_cast") pieces = rewriteCast(name, args);
  else if (lower === "extract") pieces = rewriteExtract(name, args);
  else pieces = rewriteCall(name, args);
  // Aggregate and window suffixes belong to the call: FILTER (WHERE …), WITHIN GROUP (…), IGNORE NULLS, OVER (…).
  for (;;) {
    const k = nextSignificant(nodes, end);
    const word = nodes[k] as Token;
    if (isWord(word, "filter") && isParen(nodes[nextSignificant(nodes, k + 1)])) {
      const group = nodes[nextSignificant(nodes, k + 1)] as Group;
      pieces.push(...between(nodes, end, k), tokenPiece(word), text(" ", word.start), ...groupPieces(group));
      end = nextSignificant(nodes, k + 1) + 1;
    } else if (isWord(word, "over")) {
      const target = nextSignificant(nodes, k + 1);
      const spec = nodes[target];
      pieces.push(...between(nodes, end, k), tokenPiece(word), text(" ", word.start));
      pieces.push(...(isGroup(spec) ? groupPieces(spec) : spec ? [tokenPiece(spec as Token)] : []));
      end = target + 1;
    } else if (lower === "listagg" && isWord(word, "within") && isParen(nodes[nextSignificant(nodes, nextSignificant(nodes, k + 1) + 1)])) {
      // listagg(x, sep) WITHIN GROUP (ORDER BY y) → string_agg(x, sep ORDER BY y)
      const order = nodes[nextSignificant(nodes, nextSignificant(nodes, k + 1) + 1)] as Group;
      const close = pieces.pop()!;
      pieces.push(text(" ", word.start), ...rewriteSequence(order.children), close);
      end = nextSignificant(nodes, nextSignificant(nodes, k + 1) + 1) + 1;
    } else if (isWord(word, "ignore", "respect") && isWord(nodes[nextSignificant(nodes, k + 1)], "nulls")) {
      pieces.push(...between(nodes, end, k), tokenPiece(word), text(" nulls", word.start));
      end = nextSignificant(nodes, k + 1) + 1;
    } else {
      break;
    }
  }
  return { pieces, end };
}

/** Subscripts `[i]`, field access `.f`, and `AT TIME ZONE z` bind tighter than any binary operator. */
function postfix(nodes: Node[], unit: Unit): Unit {
  let { pieces, end } = unit;
  for (;;) {
    const node = nodes[end];
    if (isGroup(node) && node.open.text === "[") {
      pieces.push(...groupPieces(node));
      end += 1;
    } else if (isOp(node, ".") && (nodes[end + 1]?.kind === "word" || nodes[end + 1]?.kind === "quoted")) {
      pieces.push(tokenPiece(node as Token), tokenPiece(nodes[end + 1] as Token));
      end += 2;
    } else {
      const at = nextSignificant(nodes, end);
      if (isWord(nodes[at], "at") && isWord(nodes[nextSignificant(nodes, at + 1)], "time")) {
        const zoneWord = nextSignificant(nodes, nextSignificant(nodes, at + 1) + 1);
        const zone = parseUnit(nodes, nextSignificant(nodes, zoneWord + 1));
        if (isWord(nodes[zoneWord], "zone") && zone) {
          const start = pieces[0]?.at ?? 0;
          pieces = [text(macro("trino_at_timezone") + "(", start), ...pieces, text(", ", start), ...zone.pieces, text(")", start)];
          end = zone.end;
          continue;
        }
      }
      return { pieces, end };
    }
  }
}

/**
 * `(a, b)` is a row in Trino where a value is expected: a lambda body, an ARRAY[…] element. (Elsewhere, as in
 * `IN (1, 2)` or VALUES, a parenthesised list stays a list.) DuckDB's `(a, b)` would be a struct with empty names.
 */
function isRowConstructor(nodes: Node[], i: number, inArray: boolean): boolean {
  const node = nodes[i];
  if (!isParen(node) || !node.children.some((c) => c.kind === "comma")) return false;
  let k = i - 1;
  while (k >= 0 && isTrivia(nodes[k])) k--;
  const previous = nodes[k];
  return isOp(previous, "->") || (inArray && (previous === undefined || previous.kind === "comma"));
}

function rowUnit(group: Group, i: number): Unit {
  const at = group.open.start;
  const fields = splitCommas(group.children).flatMap((field, n) => [text(`${n ? ", " : ""}"field${n}" := `, at), ...rewriteSequence(field)]);
  return { pieces: [text("struct_pack(", at), ...fields, text(")", at)], end: i + 1 };
}

export function groupPieces(group: Group): Piece[] {
  return [tokenPiece(group.open), ...rewriteSequence(group.children), tokenPiece(group.close)];
}

/**
 * Binary operators folded into calls, in one pass: the output so far is a stack, the left operand is popped off
 * its top (running back over operators that bind at least as tightly, all left-associative), the right operand is
 * the next unit. `a * b / c` is `(a * b) / c`.
 */
function foldBinary(
  segments: Segment[],
  matches: (op: Segment, right: Segment) => boolean,
  chain: string[],
  build: (left: Piece[], op: Segment, right: Segment) => Piece[] | undefined,
): Segment[] {
  const out: Segment[] = [];
  for (let k = 0; k < segments.length; k++) {
    const op = segments[k]!;
    const right = op.unit ? undefined : nextUnitIndex(segments, k + 1);
    let left = previousUnitIndex(out, out.length - 1);
    if (right === undefined || left === undefined || !matches(op, segments[right]!)) {
      out.push(op);
      continue;
    }
    for (;;) {
      const before = previousSignificantIndex(out, left - 1);
      if (before === undefined || out[before]!.unit || !isOp(out[before]!.node, ...chain)) break;
      const unit = previousUnitIndex(out, before - 1);
      if (unit === undefined) break;
      left = unit;
    }
    const leftPieces = out.slice(left).flatMap((s) => s.pieces);
    const pieces = build(leftPieces, op, segments[right]!);
    if (!pieces) {
      out.push(op);
      continue;
    }
    out.length = left;
    out.push({ unit: true, pieces });
    k = right;
  }
  return out;
}

/** `a / b` and `a % b` → trino_divide / trino_modulo (integer division truncates; division by zero is an error). */
function foldDivisions(segments: Segment[]): Segment[] {
  return foldBinary(
    segments,
    (op) => isOp(op.node, "/", "%"),
    ["*", "/", "%"],
    (left, op, right) => {
      const at = (op.node as Token).start;
      const name = macro((op.node as Token).text === "/" ? "trino_divide" : "trino_modulo");
      return [text(`${name}(`, at), ...left, text(", ", at), ...right.pieces, text(")", at)];
    },
  );
}

const isInterval = (s: Segment | undefined) => s?.unit === true && s.pieces[0]?.text.toLowerCase() === "interval";

/**
 * `date ± interval` is a date in Trino and a timestamp in DuckDB: the sum is cast back to the type of the
 * non-interval operand (`x + INTERVAL '1' MONTH` → cast_to_type(x + INTERVAL '1' MONTH, x)).
 */
function foldIntervalArithmetic(segments: Segment[]): Segment[] {
  return foldBinary(
    segments,
    (op, right) => isOp(op.node, "+", "-") && isInterval(right),
    ["+", "-", "*", "||"],
    (left, op, right) => {
      if (left[0]?.text.toLowerCase() === "interval") return undefined; // interval ± interval stays an interval
      const at = (op.node as Token).start;
      const sum = [...left, ...op.pieces, text(" ", at), ...right.pieces];
      return [text("cast_to_type(", at), ...sum, text(", ", at), ...left, text(")", at)];
    },
  );
}

function previousSignificantIndex(segments: Segment[], from: number): number | undefined {
  for (let k = from; k >= 0; k--) if (!(segments[k]!.node && isTrivia(segments[k]!.node))) return k;
  return undefined;
}

function previousUnitIndex(segments: Segment[], from: number): number | undefined {
  const k = previousSignificantIndex(segments, from);
  return k !== undefined && segments[k]!.unit ? k : undefined;
}

function nextUnitIndex(segments: Segment[], from: number): number | undefined {
  for (let k = from; k < segments.length; k++) {
    const s = segments[k]!;
    if (s.node && isTrivia(s.node)) continue;
    return s.unit ? k : undefined;
  }
  return undefined;
}

