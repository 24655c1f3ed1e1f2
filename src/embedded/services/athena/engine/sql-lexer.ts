/**
 * A small SQL tokenizer for what the engine must read itself: the statement's kind, DDL (Hive syntax with
 * backticks), and table names at positions DuckDB's parser reports. Comments are skipped; offsets are UTF-16
 * indexes into the text.
 */

export type TokenKind = "word" | "quoted" | "string" | "number" | "symbol";

export interface Token {
  kind: TokenKind;
  /** Identifiers unquoted (not lowercased), strings unescaped, symbols as written. */
  value: string;
  start: number;
  end: number;
}

export class SqlLexError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const WORD_START = /[A-Za-z_\u0080-\uffff]/;
const WORD_PART = /[A-Za-z0-9_$\u0080-\uffff]/;
const TWO_CHAR_SYMBOLS = new Set(["<=", ">=", "<>", "!=", "||", "::", "->", "=>"]);

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "-" && text[i + 1] === "-") {
      while (i < text.length && text[i] !== "\n") i++;
    } else if (c === "/" && text[i + 1] === "*") {
      const close = text.indexOf("*/", i + 2);
      i = close < 0 ? text.length : close + 2;
    } else if (c === "'" || c === '"' || c === "`") {
      const { value, end } = readQuoted(text, i, c);
      tokens.push({ kind: c === "'" ? "string" : "quoted", value, start: i, end });
      i = end;
    } else if (WORD_START.test(c)) {
      let j = i + 1;
      while (j < text.length && WORD_PART.test(text[j]!)) j++;
      tokens.push({ kind: "word", value: text.slice(i, j), start: i, end: j });
      i = j;
    } else if (/[0-9]/.test(c) || (c === "." && /[0-9]/.test(text[i + 1] ?? ""))) {
      let j = i + 1;
      while (j < text.length && /[0-9.eE]/.test(text[j]!)) j++;
      tokens.push({ kind: "number", value: text.slice(i, j), start: i, end: j });
      i = j;
    } else {
      const two = text.slice(i, i + 2);
      const symbol = TWO_CHAR_SYMBOLS.has(two) ? two : c;
      tokens.push({ kind: "symbol", value: symbol, start: i, end: i + symbol.length });
      i += symbol.length;
    }
  }
  return tokens;
}

function readQuoted(text: string, start: number, quote: string): { value: string; end: number } {
  let value = "";
  let i = start + 1;
  for (;;) {
    if (i >= text.length) throw new SqlLexError(quote === "'" ? "unterminated string literal" : "unterminated quoted identifier", start);
    const c = text[i]!;
    if (c === quote) {
      if (text[i + 1] === quote) {
        value += quote;
        i += 2;
        continue;
      }
      return { value, end: i + 1 };
    }
    value += c;
    i++;
  }
}

/** 1-based line and column of an offset, as Trino reports positions (`line 1:15`). */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === "\n") {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** A case-insensitive keyword test on a bare word. */
export function isWord(token: Token | undefined, ...words: string[]): boolean {
  return token?.kind === "word" && words.some((w) => w.toUpperCase() === token.value.toUpperCase());
}

/** Whether the token names something: a bare word or a quoted identifier. */
export function isIdentifier(token: Token | undefined): boolean {
  return token?.kind === "word" || token?.kind === "quoted";
}

/** Text without a trailing `;` (and the blanks and comments around it). */
export function withoutTrailingSemicolon(text: string): string {
  const tokens = tokenize(text);
  const last = tokens[tokens.length - 1];
  if (last?.kind === "symbol" && last.value === ";") return text.slice(0, last.start).trimEnd();
  return text.trimEnd();
}
