import { userErrorAt } from "./errors.js";
import { isIdentifier, isWord, type Token } from "./sql-lexer.js";
import type { AthenaQueryError } from "./types.js";

export interface QualifiedName {
  /** 1 to 3 parts, lowercased. */
  parts: string[];
  /** Offset of the name in the SQL, for error positions. */
  offset: number;
}

/** Walks the tokens of a statement for the engine's own parsers (statement kind, DDL). */
export class TokenCursor {
  private i = 0;

  constructor(
    readonly tokens: Token[],
    readonly sql: string,
  ) {}

  get position(): number {
    return this.i;
  }

  set position(index: number) {
    this.i = index;
  }

  peek(ahead = 0): Token | undefined {
    return this.tokens[this.i + ahead];
  }

  next(): Token | undefined {
    return this.tokens[this.i++];
  }

  atEnd(): boolean {
    const token = this.peek();
    return token === undefined || (token.kind === "symbol" && token.value === ";" && this.i === this.tokens.length - 1);
  }

  /** Consumes the words when they come next (case-insensitively). */
  acceptWords(...words: string[]): boolean {
    for (let k = 0; k < words.length; k++) if (!isWord(this.peek(k), words[k]!)) return false;
    this.i += words.length;
    return true;
  }

  expectWords(...words: string[]): void {
    if (!this.acceptWords(...words)) throw this.syntaxError(`expecting ${words.join(" ")}`);
  }

  acceptSymbol(symbol: string): boolean {
    const token = this.peek();
    if (token?.kind !== "symbol" || token.value !== symbol) return false;
    this.i++;
    return true;
  }

  expectSymbol(symbol: string): void {
    if (!this.acceptSymbol(symbol)) throw this.syntaxError(`expecting '${symbol}'`);
  }

  /** A name: bare, "quoted" or `backticked`; lowercased unless `keepCase`. */
  identifier(keepCase = false): string {
    const token = this.peek();
    if (!isIdentifier(token)) throw this.syntaxError("expecting an identifier");
    this.i++;
    return keepCase ? token!.value : token!.value.toLowerCase();
  }

  /** `a`, `a.b` or `a.b.c`, each part lowercased; with the offset where the name starts. */
  qualifiedName(): { parts: string[]; offset: number } {
    const offset = this.peek()?.start ?? this.sql.length;
    const parts = [this.identifier()];
    while (this.peek()?.kind === "symbol" && this.peek()!.value === "." && isIdentifier(this.peek(1))) {
      this.i++;
      parts.push(this.identifier());
    }
    return { parts, offset };
  }

  /** A table or view name: `t`, `db.t` or `catalog.db.t`. */
  tableName(): QualifiedName {
    const name = this.qualifiedName();
    if (name.parts.length > 3) throw this.syntaxError("a table name");
    return name;
  }

  string(): string {
    const token = this.peek();
    if (token?.kind !== "string") throw this.syntaxError("expecting a string literal");
    this.i++;
    return token.value;
  }

  /**
   * The statement from the current token to the end (without a trailing `;`), with everything before it blanked
   * (line breaks kept): a position in this text is the same position in the statement, for errors in a CTAS's or a
   * view's query.
   */
  rest(): string {
    const token = this.peek();
    if (!token) return "";
    const last = this.tokens[this.tokens.length - 1]!;
    const end = last.kind === "symbol" && last.value === ";" ? last.start : this.sql.length;
    return this.sql.slice(0, token.start).replace(/[^\n]/g, " ") + this.sql.slice(token.start, end).trimEnd();
  }

  /** Offset in the SQL of the current token (the end when there is none). */
  offset(): number {
    return this.peek()?.start ?? this.sql.length;
  }

  syntaxError(expecting: string): AthenaQueryError {
    const token = this.peek();
    const found = token ? `'${this.sql.slice(token.start, token.end)}'` : "'<EOF>'";
    return userErrorAt("SYNTAX_ERROR", this.sql, token?.start ?? this.sql.length, `mismatched input ${found}. Expecting: ${expecting}`);
  }

  expectEnd(): void {
    this.acceptSymbol(";");
    if (this.peek()) throw this.syntaxError("end of statement");
  }
}
