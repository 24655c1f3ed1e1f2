/**
 * A small SQL tokenizer for Trino query text: enough to rewrite function calls and types without ever touching the
 * inside of string literals, quoted identifiers or comments. Every token keeps its offset in the user's text so an
 * error position in the translated text can be mapped back.
 */

export type TokenKind =
  | "space" // whitespace
  | "comment" // -- … or /* … */
  | "string" // '…' (also X'…', U&'…')
  | "quoted" // "…" or `…` identifier
  | "word" // identifier or keyword
  | "number"
  | "op" // operators and punctuation other than brackets and commas
  | "open" // ( or [
  | "close" // ) or ]
  | "comma"
  | "raw"; // text the translation inserts, emitted as is (never produced by tokenize)

export interface Token {
  kind: TokenKind;
  text: string;
  /** Offset of the token's first character in the original text. */
  start: number;
}

const NUMBER = /(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?/y;

const TWO_CHAR_OPS = new Set(["||", "<=", ">=", "<>", "!=", "->", "=>", "::"]);

/** Text inserted by the translation at `at` (an offset in the user's text, for error positions). */
export function rawToken(text: string, at: number): Token {
  return { kind: "raw", text, start: at };
}

export class SqlSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const push = (kind: TokenKind, end: number) => {
    tokens.push({ kind, text: sql.slice(i, end), start: i });
    i = end;
  };
  while (i < sql.length) {
    const c = sql[i]!;
    const next = sql[i + 1] ?? "";
    if (/\s/.test(c)) {
      let j = i + 1;
      while (j < sql.length && /\s/.test(sql[j]!)) j++;
      push("space", j);
    } else if (c === "-" && next === "-") {
      const nl = sql.indexOf("\n", i);
      push("comment", nl < 0 ? sql.length : nl);
    } else if (c === "/" && next === "*") {
      const close = sql.indexOf("*/", i + 2);
      if (close < 0) throw new SqlSyntaxError("unterminated comment", i);
      push("comment", close + 2);
    } else if (c === "'") {
      push("string", endOfQuoted(sql, i, "'"));
    } else if ((c === "X" || c === "x") && next === "'") {
      push("string", endOfQuoted(sql, i + 1, "'"));
    } else if ((c === "U" || c === "u") && next === "&" && sql[i + 2] === "'") {
      push("string", endOfQuoted(sql, i + 2, "'"));
    } else if (c === '"' || c === "`") {
      push("quoted", endOfQuoted(sql, i, c));
    } else if (/[0-9]/.test(c) || (c === "." && /[0-9]/.test(next))) {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(sql)!;
      push("number", i + m[0].length);
    } else if (/[A-Za-z_\u0080-\uffff]/.test(c)) {
      let j = i + 1;
      while (j < sql.length && /[A-Za-z0-9_@$\u0080-\uffff]/.test(sql[j]!)) j++;
      push("word", j);
    } else if (c === "(" || c === "[") {
      push("open", i + 1);
    } else if (c === ")" || c === "]") {
      push("close", i + 1);
    } else if (c === ",") {
      push("comma", i + 1);
    } else if (TWO_CHAR_OPS.has(c + next)) {
      push("op", i + 2);
    } else {
      push("op", i + 1);
    }
  }
  return tokens;
}

/** The offset just after a quoted token starting at `start` (the quote character is doubled to escape it). */
function endOfQuoted(sql: string, start: number, quote: string): number {
  let j = start + 1;
  for (;;) {
    const close = sql.indexOf(quote, j);
    if (close < 0) throw new SqlSyntaxError(quote === "'" ? "unterminated string literal" : "unterminated quoted identifier", start);
    if (sql[close + 1] === quote) {
      j = close + 2;
      continue;
    }
    return close + 1;
  }
}
