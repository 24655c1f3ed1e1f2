import { AthenaQueryError } from "../types.js";

/** 1-based line and column of an offset, as Trino prints them (`line 1:8`). */
export function lineColumn(sql: string, offset: number): { line: number; column: number } {
  const before = sql.slice(0, Math.max(0, Math.min(offset, sql.length)));
  const lines = before.split("\n");
  return { line: lines.length, column: lines[lines.length - 1]!.length + 1 };
}

export function positionPrefix(sql: string, offset: number): string {
  const { line, column } = lineColumn(sql, offset);
  return `line ${line}:${column}: `;
}

/** AthenaError.ErrorType of an error in the user's statement (ErrorCategory 2). */
export const USER_ERROR_TYPE = 1006;

export function userError(name: string, message: string): AthenaQueryError {
  return new AthenaQueryError(name, `${name}: ${message}`, 2, USER_ERROR_TYPE);
}

/** An Athena error at a place in the user's SQL: `NAME: line L:C: message`. */
export function errorAt(sql: string, offset: number, name: string, message: string): AthenaQueryError {
  return userError(name, `${positionPrefix(sql, offset)}${message}`);
}

/** Thrown by the translation for what it recognises and cannot run on DuckDB; turned into an AthenaQueryError. */
export class TranslationError extends Error {
  constructor(
    readonly errorName: string,
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}
