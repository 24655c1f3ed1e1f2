import type { Column } from "@aws-sdk/client-glue";
import { invalidInput } from "./api-common.js";

/**
 * GetPartitions' `Expression`: a SQL WHERE-like predicate over the partition keys (Glue parses it with JSQLParser):
 * `=, <>, !=, <, <=, >, >=`, AND / OR / NOT, parentheses, `[NOT] IN (…)`, `[NOT] BETWEEN a AND b`, `[NOT] LIKE`
 * with % and _, `IS [NOT] NULL`. Partition values are strings; a comparison follows the key's declared type, as
 * Glue does: numerically for int/bigint/long/tinyint/smallint/decimal keys, as dates or timestamps for those types,
 * as strings otherwise (crawlers declare every partition key `string`, so `month = '06'` and `month > '05'` compare
 * text). A key of another type used in the expression, an unknown key, or bad syntax is InvalidInputException.
 */
export type PartitionPredicate = (values: readonly string[]) => boolean;

type Category = "string" | "number" | "date" | "timestamp";
type Operand = { kind: "column"; index: number; category: Category } | { kind: "literal"; text: string; numeric: boolean };
type Node =
  | { type: "and" | "or"; left: Node; right: Node }
  | { type: "not"; node: Node }
  | { type: "cmp"; op: string; left: Operand; right: Operand }
  | { type: "in"; operand: Operand; list: Operand[]; negated: boolean }
  | { type: "between"; operand: Operand; low: Operand; high: Operand; negated: boolean }
  | { type: "like"; operand: Operand; pattern: Operand; negated: boolean }
  | { type: "null"; operand: Operand; negated: boolean };

interface Token {
  kind: "word" | "ident" | "string" | "number" | "op" | "(" | ")" | ",";
  text: string;
  at: number;
}

const KEYWORDS = new Set(["AND", "OR", "NOT", "IN", "BETWEEN", "LIKE", "IS", "NULL", "DATE", "TIMESTAMP"]);
/** Hive's marker for a partition whose value was null. */
const NULL_PARTITION = "__HIVE_DEFAULT_PARTITION__";

export function compilePartitionExpression(expression: string, keys: readonly Column[]): PartitionPredicate {
  if (expression.trim() === "") return () => true;
  const parser = new Parser(expression, tokenize(expression), keys);
  const node = parser.parse();
  return (values) => evaluate(node, values);
}

function fail(expression: string, detail: string): never {
  throw invalidInput(`Invalid partition expression "${expression}": ${detail}.`);
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'") {
      let value = "";
      let j = i + 1;
      for (;;) {
        if (j >= text.length) fail(text, `unterminated string at position ${i + 1}`);
        if (text[j] === "'") {
          if (text[j + 1] === "'") { value += "'"; j += 2; continue; } // '' is a quote inside a string
          break;
        }
        value += text[j++];
      }
      tokens.push({ kind: "string", text: value, at: i });
      i = j + 1;
    } else if (c === '"' || c === "`") {
      const end = text.indexOf(c, i + 1);
      if (end < 0) fail(text, `unterminated identifier at position ${i + 1}`);
      tokens.push({ kind: "ident", text: text.slice(i + 1, end), at: i });
      i = end + 1;
    } else if (/[0-9]/.test(c) || (c === "-" && /[0-9]/.test(text[i + 1] ?? ""))) {
      const m = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i))!;
      tokens.push({ kind: "number", text: m[0], at: i });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i))!;
      const upper = m[0].toUpperCase();
      tokens.push(KEYWORDS.has(upper) ? { kind: "word", text: upper, at: i } : { kind: "ident", text: m[0], at: i });
      i += m[0].length;
    } else if (c === "(" || c === ")" || c === ",") {
      tokens.push({ kind: c, text: c, at: i });
      i++;
    } else {
      const m = /^(<>|!=|<=|>=|=|<|>)/.exec(text.slice(i));
      if (!m) fail(text, `unexpected character '${c}' at position ${i + 1}`);
      tokens.push({ kind: "op", text: m[0], at: i });
      i += m[0].length;
    }
  }
  return tokens;
}

function categoryOf(type: string | undefined, name: string, expression: string): Category {
  const t = (type ?? "string").trim().toLowerCase();
  if (t === "string" || t.startsWith("char") || t.startsWith("varchar")) return "string";
  if (["int", "integer", "bigint", "long", "tinyint", "smallint"].includes(t) || t.startsWith("decimal")) return "number";
  if (t === "date") return "date";
  if (t === "timestamp") return "timestamp";
  return fail(expression, `partition key ${name} has type ${t}, which partition expressions do not support`);
}

class Parser {
  private pos = 0;
  constructor(
    private readonly text: string,
    private readonly tokens: Token[],
    private readonly keys: readonly Column[],
  ) {}

  parse(): Node {
    const node = this.or();
    if (this.pos < this.tokens.length) this.error("unexpected");
    return node;
  }

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private isWord(word: string, offset = 0): boolean {
    const t = this.tokens[this.pos + offset];
    return t?.kind === "word" && t.text === word;
  }

  private expect(kind: Token["kind"], text?: string): Token {
    const t = this.peek();
    if (!t || t.kind !== kind || (text !== undefined && t.text !== text)) this.error(`expected ${text ?? kind}`);
    this.pos++;
    return t;
  }

  private error(what: string): never {
    const t = this.peek();
    return fail(this.text, t ? `${what} '${t.text}' at position ${t.at + 1}` : `${what} at the end`);
  }

  private or(): Node {
    let left = this.and();
    while (this.isWord("OR")) {
      this.pos++;
      left = { type: "or", left, right: this.and() };
    }
    return left;
  }

  private and(): Node {
    let left = this.not();
    while (this.isWord("AND")) {
      this.pos++;
      left = { type: "and", left, right: this.not() };
    }
    return left;
  }

  private not(): Node {
    if (this.isWord("NOT")) {
      this.pos++;
      return { type: "not", node: this.not() };
    }
    return this.predicate();
  }

  private predicate(): Node {
    if (this.peek()?.kind === "(") {
      this.pos++;
      const inner = this.or();
      this.expect(")");
      return inner;
    }
    const operand = this.operand();
    if (this.isWord("IS")) {
      this.pos++;
      const negated = this.isWord("NOT") ? (this.pos++, true) : false;
      this.expect("word", "NULL");
      return { type: "null", operand, negated };
    }
    const negated = this.isWord("NOT") ? (this.pos++, true) : false;
    if (this.isWord("IN")) {
      this.pos++;
      this.expect("(");
      const list = [this.operand()];
      while (this.peek()?.kind === ",") {
        this.pos++;
        list.push(this.operand());
      }
      this.expect(")");
      return { type: "in", operand, list, negated };
    }
    if (this.isWord("BETWEEN")) {
      this.pos++;
      const low = this.operand();
      this.expect("word", "AND");
      return { type: "between", operand, low, high: this.operand(), negated };
    }
    if (this.isWord("LIKE")) {
      this.pos++;
      return { type: "like", operand, pattern: this.operand(), negated };
    }
    if (negated) this.error("expected IN, BETWEEN or LIKE after NOT, found");
    const op = this.peek();
    if (op?.kind !== "op") this.error("expected a comparison operator, found");
    this.pos++;
    return { type: "cmp", op: op.text === "!=" ? "<>" : op.text, left: operand, right: this.operand() };
  }

  private operand(): Operand {
    const t = this.peek();
    if (!t) this.error("expected a value");
    if ((t.kind === "word" && (t.text === "DATE" || t.text === "TIMESTAMP")) && this.tokens[this.pos + 1]?.kind === "string") {
      this.pos += 2; // DATE '2024-01-01': a typed literal, compared by the key's type like any other
      return { kind: "literal", text: this.tokens[this.pos - 1]!.text, numeric: false };
    }
    this.pos++;
    if (t.kind === "string") return { kind: "literal", text: t.text, numeric: false };
    if (t.kind === "number") return { kind: "literal", text: t.text, numeric: true };
    // A key may be called `date` or `timestamp`: without a string after it, the word is the key's name.
    if (t.kind === "ident" || (t.kind === "word" && (t.text === "DATE" || t.text === "TIMESTAMP"))) {
      const index = this.keys.findIndex((k) => k.Name?.toLowerCase() === t.text.toLowerCase());
      if (index < 0) fail(this.text, `${t.text} is not a partition key of the table`);
      return { kind: "column", index, category: categoryOf(this.keys[index]!.Type, t.text, this.text) };
    }
    this.pos--;
    return this.error("expected a value, found");
  }
}

function evaluate(node: Node, values: readonly string[]): boolean {
  switch (node.type) {
    case "and":
      return evaluate(node.left, values) && evaluate(node.right, values);
    case "or":
      return evaluate(node.left, values) || evaluate(node.right, values);
    case "not":
      return !evaluate(node.node, values);
    case "cmp":
      return compare(node.left, node.right, values, node.op);
    case "in":
      return node.list.some((item) => compare(node.operand, item, values, "=")) !== node.negated;
    case "between":
      return (compare(node.operand, node.low, values, ">=") && compare(node.operand, node.high, values, "<=")) !== node.negated;
    case "like":
      return likePattern(textOf(node.pattern, values)).test(textOf(node.operand, values)) !== node.negated;
    case "null":
      return (textOf(node.operand, values) === NULL_PARTITION) !== node.negated;
  }
}

const textOf = (operand: Operand, values: readonly string[]): string => (operand.kind === "column" ? (values[operand.index] ?? "") : operand.text);

/** The category both sides are compared in: a key's own type wins; two literals compare as numbers if both are. */
function categoryFor(left: Operand, right: Operand): Category {
  if (left.kind === "column") return left.category;
  if (right.kind === "column") return right.category;
  return left.numeric && right.numeric ? "number" : "string";
}

function comparable(text: string, category: Category): number | string | undefined {
  if (category === "string") return text;
  if (category === "number") {
    const n = text.trim() === "" ? NaN : Number(text);
    return Number.isNaN(n) ? undefined : n;
  }
  // Dates and timestamps without a zone are read as UTC: only their order matters.
  const iso = text.trim().replace(" ", "T");
  const ms = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(iso) || category === "date" ? iso : `${iso}Z`);
  return Number.isNaN(ms) ? undefined : ms;
}

/** A value that does not read as the key's type (`abc` for an int key) matches no comparison, as in SQL. */
function compare(left: Operand, right: Operand, values: readonly string[], op: string): boolean {
  const category = categoryFor(left, right);
  const a = comparable(textOf(left, values), category);
  const b = comparable(textOf(right, values), category);
  if (a === undefined || b === undefined) return false;
  switch (op) {
    case "=":
      return a === b;
    case "<>":
      return a !== b;
    case "<":
      return a < b;
    case "<=":
      return a <= b;
    case ">":
      return a > b;
    default:
      return a >= b;
  }
}

const likeCache = new Map<string, RegExp>();
function likePattern(pattern: string): RegExp {
  let re = likeCache.get(pattern);
  if (!re) {
    const source = [...pattern].map((c) => (c === "%" ? ".*" : c === "_" ? "." : c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))).join("");
    re = new RegExp(`^${source}$`, "s");
    if (likeCache.size > 1000) likeCache.clear();
    likeCache.set(pattern, re);
  }
  return re;
}
