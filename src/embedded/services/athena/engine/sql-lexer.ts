import { tokenize as scan, type Token as RawToken } from "./dialect/tokenizer.js";

/**
 * Tokens for what the engine must read itself: the statement's kind, DDL (Hive syntax with backticks), and table
 * names at positions DuckDB's parser reports. Offsets are UTF-16 indexes into the text.
 */

export type TokenKind = "word" | "quoted" | "string" | "number" | "symbol";

export interface Token {
  kind: TokenKind;
  /** Identifiers unquoted (not lowercased), strings unescaped, symbols as written. */
  value: string;
  start: number;
  end: number;
}

const SYMBOL_KINDS = new Set<RawToken["kind"]>(["op", "open", "close", "comma"]);

/**
 * The dialect layer's tokens (one lexer of Trino SQL for the whole engine), without blanks and comments, with
 * identifiers unquoted and strings unescaped. Unterminated strings, identifiers and comments throw its
 * SqlSyntaxError.
 */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const raw of scan(text)) {
    if (raw.kind === "space" || raw.kind === "comment") continue;
    const end = raw.start + raw.text.length;
    if (raw.kind === "string" || raw.kind === "quoted") {
      const body = raw.text.slice(raw.text.search(/['"`]/));
      const quote = body[0]!;
      tokens.push({ kind: raw.kind, value: body.slice(1, -1).split(quote + quote).join(quote), start: raw.start, end });
    } else {
      tokens.push({ kind: SYMBOL_KINDS.has(raw.kind) ? "symbol" : (raw.kind as TokenKind), value: raw.text, start: raw.start, end });
    }
  }
  return tokens;
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
