import { AthenaQueryError } from "./engine/types.js";

/**
 * ExecutionParameters: the values (SQL literals as the caller wrote them, e.g. `'2025-06-23'` or `42`) replace the
 * `?` placeholders of the query in order. Placeholders inside string literals, quoted identifiers and comments are
 * text, not placeholders. A count that does not match fails the query as Trino does.
 */
export function bindParameters(sql: string, values: readonly string[]): string {
  const placeholders = findPlaceholders(sql);
  if (placeholders.length !== values.length) {
    throw new AthenaQueryError("INVALID_PARAMETER_USAGE", `line 1:1: Incorrect number of parameters: expected ${placeholders.length} but found ${values.length}`);
  }
  let out = "";
  let last = 0;
  placeholders.forEach((at, n) => {
    out += sql.slice(last, at) + values[n]!;
    last = at + 1;
  });
  return out + sql.slice(last);
}

/** Offsets of the `?` placeholders of a statement. */
export function findPlaceholders(sql: string): number[] {
  const found: number[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === "'" || c === '"' || c === "`") {
      i = skipQuoted(sql, i, c);
    } else if (c === "-" && sql[i + 1] === "-") {
      const end = sql.indexOf("\n", i);
      i = end < 0 ? sql.length : end + 1;
    } else if (c === "/" && sql[i + 1] === "*") {
      const end = sql.indexOf("*/", i + 2);
      i = end < 0 ? sql.length : end + 2;
    } else {
      if (c === "?") found.push(i);
      i++;
    }
  }
  return found;
}

/** The offset after a quoted run that starts at `start`; a doubled quote stands for itself. */
function skipQuoted(sql: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < sql.length) {
    if (sql[i] === quote) {
      if (sql[i + 1] === quote) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i++;
  }
  return sql.length;
}
