import { AthenaQueryError } from "../types.js";
import { positionPrefix, userError } from "./positions.js";
import { originalOffset, translate, type Translation } from "./translate.js";

/**
 * DuckDB errors → Athena's (Trino error names and messages, `line L:C:` positions in the user's SQL). DuckDB
 * prints the failing line with a caret under the error; the caret's offset in the translated text is mapped back
 * through the translation's position map.
 */

interface Rule {
  pattern: RegExp;
  name: string;
  /** Message from the match; `token` is the original text at the error position. */
  message: (m: RegExpMatchArray, token: string) => string;
  /** Trino reports analysis errors with a position, runtime errors without. */
  positioned: boolean;
}

const TYPE_NAMES: Record<string, string> = {
  INT8: "TINYINT",
  INT16: "SMALLINT",
  INT32: "INT",
  INT64: "BIGINT",
  INTEGER: "INT",
  DOUBLE: "DOUBLE",
  FLOAT: "REAL",
  BOOLEAN: "BOOLEAN",
  DATE: "DATE",
  TIMESTAMP: "TIMESTAMP",
};

/** DuckDB type names in binder messages → Trino's (`STRING_LITERAL` → varchar, `INTEGER_LITERAL` → integer). */
const trinoTypeName = (duck: string) => {
  const name = duck.toUpperCase().replace(/_LITERAL$/, "");
  const mapped: Record<string, string> = { STRING: "varchar", VARCHAR: "varchar", FLOAT: "real", HUGEINT: "bigint", TIMESTAMP_TZ: "timestamp with time zone" };
  return mapped[name] ?? name.toLowerCase();
};

const RULES: Rule[] = [
  {
    pattern: /^Parser Error: syntax error at end of input/,
    name: "SYNTAX_ERROR",
    message: () => "mismatched input '<EOF>'",
    positioned: true,
  },
  {
    pattern: /^Parser Error: syntax error at or near "(.*)"/,
    name: "SYNTAX_ERROR",
    message: (m) => `mismatched input '${m[1]}'`,
    positioned: true,
  },
  { pattern: /^Parser Error: (.*)/, name: "SYNTAX_ERROR", message: (m) => m[1]!, positioned: true },
  {
    pattern: /^Binder Error: Referenced column "(.*?)" not found/,
    name: "COLUMN_NOT_FOUND",
    message: (m, token) => `Column '${token || m[1]}' cannot be resolved`,
    positioned: true,
  },
  {
    pattern: /^Binder Error: Referenced table "(.*?)" not found/,
    name: "COLUMN_NOT_FOUND",
    message: (m, token) => `Column '${token || m[1]}' cannot be resolved`,
    positioned: true,
  },
  {
    pattern: /^Binder Error: (?:Table|Values list) "(.*?)" does not have a column named "(.*?)"/,
    name: "COLUMN_NOT_FOUND",
    message: (m, token) => `Column '${token || m[2]}' cannot be resolved`,
    positioned: true,
  },
  {
    pattern: /^Binder Error: Ambiguous reference to column name "(.*?)"/,
    name: "AMBIGUOUS_NAME",
    message: (m) => `Column '${m[1]}' is ambiguous`,
    positioned: true,
  },
  {
    pattern: /^Catalog Error: (?:Scalar|Aggregate|Table|Pragma) Function with name "?(.*?)"? does not exist/,
    name: "FUNCTION_NOT_FOUND",
    message: (m) => `Function '${m[1]}' not registered`,
    positioned: true,
  },
  {
    pattern: /^Catalog Error: Table with name "?(.*?)"? does not exist/,
    name: "TABLE_NOT_FOUND",
    message: (m) => `Table '${m[1]}' does not exist`,
    positioned: true,
  },
  {
    pattern: /^Catalog Error: Schema with name "?(.*?)"? does not exist/,
    name: "SCHEMA_NOT_FOUND",
    message: (m) => `Schema '${m[1]}' does not exist`,
    positioned: true,
  },
  {
    pattern: /^Catalog Error: Type with name "?(.*?)"? does not exist/,
    name: "TYPE_NOT_FOUND",
    message: (m) => `Unknown type: ${m[1]}`,
    positioned: true,
  },
  {
    pattern: /^Binder Error: No function matches the given name and argument types '([^(]+)\((.*)\)'/,
    name: "FUNCTION_NOT_FOUND",
    message: (m, token) => {
      const fn = token || m[1]!;
      const args = m[2]!.split(/,\s*(?![^()]*\))/).filter(Boolean).map(trinoTypeName).join(", ");
      return /^[^A-Za-z]+$/.test(m[1]!) ? `Cannot apply operator: ${args.replace(", ", ` ${m[1]} `)}` : `Unexpected parameters (${args}) for function ${fn}`;
    },
    positioned: true,
  },
  {
    pattern: /^Binder Error: Could not choose a best candidate function for the function call "([^(]+)\((.*?)\)"/,
    name: "TYPE_MISMATCH",
    message: (m) => {
      const args = m[2]!.split(/,\s*/).map(trinoTypeName);
      return /^[^A-Za-z]+$/.test(m[1]!) ? `Cannot apply operator: ${args.join(` ${m[1]} `)}` : `Unexpected parameters (${args.join(", ")}) for function ${m[1]}`;
    },
    positioned: true,
  },
  {
    pattern: /^Binder Error: Cannot compare values of type (\S+) and type (\S+)/,
    name: "TYPE_MISMATCH",
    message: (m) => `Cannot apply operator: ${trinoTypeName(m[1]!)} = ${trinoTypeName(m[2]!)}`,
    positioned: true,
  },
  {
    pattern: /^Binder Error: column "(.*?)" must appear in the GROUP BY clause/,
    name: "EXPRESSION_NOT_AGGREGATE",
    message: (m, token) => `'${token || m[1]}' must be an aggregate expression or appear in GROUP BY clause`,
    positioned: true,
  },
  {
    pattern: /^Binder Error: aggregate function calls cannot be nested/,
    name: "NESTED_AGGREGATION",
    message: () => "Cannot nest aggregations inside aggregation",
    positioned: true,
  },
  {
    pattern: /^Binder Error: WHERE clause cannot contain aggregates/,
    name: "EXPRESSION_NOT_SCALAR",
    message: () => "WHERE clause cannot contain aggregations, window functions or grouping operations",
    positioned: true,
  },
  {
    pattern: /^Binder Error: (ORDER|GROUP) term out of range - should be between 1 and \d+/,
    name: "INVALID_COLUMN_REFERENCE",
    message: (m, token) => `${m[1]} BY position ${token} is not in select list`,
    positioned: true,
  },
  {
    pattern: /^Binder Error: Set operations can only apply to expressions with the same number of result columns/,
    name: "TYPE_MISMATCH",
    message: () => "Set operation has different number of fields",
    positioned: true,
  },
  // Errors the macros raise on purpose (see macros.ts).
  { pattern: /^Conversion Error: Could not convert string 'Division by zero'/, name: "DIVISION_BY_ZERO", message: () => "Division by zero", positioned: false },
  {
    pattern: /^Conversion Error: Could not convert string '('.*?' is not a valid Timestamp field)'/,
    name: "INVALID_FUNCTION_ARGUMENT",
    message: (m) => m[1]!,
    positioned: false,
  },
  {
    pattern: /^Conversion Error: Unimplemented type for cast \((.*?) -> (.*?)\)/,
    name: "TYPE_MISMATCH",
    message: (m) => `Cannot cast ${trinoTypeName(m[1]!)} to ${trinoTypeName(m[2]!)}`,
    positioned: true,
  },
  {
    pattern: /^Conversion Error: Could not convert string '(.*?)' to (INT8|INT16|INT32|INT64|INT128|UINT\d+|DOUBLE|FLOAT|DECIMAL.*?|BOOL(?:EAN)?)\b/,
    name: "INVALID_CAST_ARGUMENT",
    message: (m) => `Cannot cast '${m[1]}' to ${(TYPE_NAMES[m[2]!] ?? m[2]!).replace(/^BOOL$/, "BOOLEAN")}`,
    positioned: false,
  },
  {
    pattern: /^Conversion Error: (?:invalid|Could not convert string) .*?(?:date|timestamp).*?"?'?([^"']*)'?"?/i,
    name: "INVALID_CAST_ARGUMENT",
    message: (m, token) => `Value cannot be cast to ${/timestamp/i.test(m[0]) ? "timestamp" : "date"}: ${extractQuoted(m[0]) ?? token}`,
    positioned: false,
  },
  { pattern: /^Conversion Error: (.*)/, name: "INVALID_CAST_ARGUMENT", message: (m) => m[1]!.split("\n")[0]!, positioned: false },
  { pattern: /^Invalid Input Error: Division by zero/, name: "DIVISION_BY_ZERO", message: () => "Division by zero", positioned: false },
  {
    pattern: /^Invalid Input Error: Could not parse string "(.*?)" according to format specifier "(.*?)"/,
    name: "INVALID_FUNCTION_ARGUMENT",
    message: (m) => `Invalid format: "${m[1]}"`,
    positioned: false,
  },
  {
    pattern: /^Invalid Input Error: Map keys must be unique/,
    name: "INVALID_FUNCTION_ARGUMENT",
    message: () => "Duplicate map keys are not allowed",
    positioned: false,
  },
  {
    pattern: /^Invalid Input Error: '(.*?)' is not a valid Timestamp field/,
    name: "INVALID_FUNCTION_ARGUMENT",
    message: (m) => `'${m[1]}' is not a valid Timestamp field`,
    positioned: false,
  },
  { pattern: /^Out of Range Error: (.*)/, name: "NUMERIC_VALUE_OUT_OF_RANGE", message: (m) => m[1]!.split("\n")[0]!, positioned: false },
  { pattern: /^Invalid Input Error: (.*)/, name: "INVALID_FUNCTION_ARGUMENT", message: (m) => m[1]!.split("\n")[0]!, positioned: false },
  { pattern: /^Binder Error: (.*)/, name: "SYNTAX_ERROR", message: (m) => m[1]!.split("\n")[0]!, positioned: true },
  { pattern: /^Not implemented Error: (.*)/, name: "NOT_SUPPORTED", message: (m) => m[1]!.split("\n")[0]!, positioned: true },
];

function extractQuoted(text: string): string | undefined {
  return /["']([^"']*)["']/.exec(text)?.[1];
}

export function athenaError(err: unknown, original: string): AthenaQueryError | undefined {
  if (err instanceof AthenaQueryError) return err;
  const message = err instanceof Error ? err.message : typeof err === "string" ? err : undefined;
  if (!message) return undefined;
  const rule = RULES.find((r) => r.pattern.test(message));
  if (!rule) return undefined;
  const match = message.match(rule.pattern)!;
  let translation: Translation | undefined;
  try {
    translation = translate(original);
  } catch {
    translation = undefined;
  }
  let offset = translation ? errorOffset(message, translation) : undefined;
  // DuckDB gives no caret when the text ends too early; Trino points just past the last token.
  if (offset === undefined && /syntax error at end of input/.test(message)) offset = original.replace(/[\s;]+$/, "").length;
  const token = offset !== undefined ? tokenAt(original, offset) : "";
  const text = rule.message(match, token);
  const prefix = rule.positioned && offset !== undefined ? positionPrefix(original, offset) : "";
  return userError(rule.name, `${prefix}${text}`);
}

/** The caret DuckDB prints (`LINE 2: select x …` then `^` under the culprit), as an offset in the original text. */
function errorOffset(message: string, translation: Translation): number | undefined {
  const lines = message.split("\n");
  const lineIndex = lines.findIndex((l) => /^LINE \d+: /.test(l));
  if (lineIndex < 0) return undefined;
  const header = /^LINE (\d+): /.exec(lines[lineIndex]!)!;
  const caretLine = lines[lineIndex + 1];
  if (!caretLine) return undefined;
  const caret = caretLine.indexOf("^");
  if (caret < 0) return undefined;
  const lineNumber = Number(header[1]);
  let snippet = lines[lineIndex]!.slice(header[0].length);
  let column = caret - header[0].length;
  if (snippet.startsWith("...")) {
    snippet = snippet.slice(3);
    column -= 3;
  }
  if (snippet.endsWith("...")) snippet = snippet.slice(0, -3);
  const sqlLines = translation.sql.split("\n");
  const sqlLine = sqlLines[lineNumber - 1];
  if (sqlLine === undefined) return undefined;
  const lineStart = sqlLines.slice(0, lineNumber - 1).reduce((n, l) => n + l.length + 1, 0);
  const found = sqlLine.indexOf(snippet);
  const inLine = (found >= 0 ? found : 0) + Math.max(0, column);
  return originalOffset(translation, lineStart + inLine);
}

/** The identifier chain or literal at an offset of the user's SQL (`t.x`, `foo`, `3`), for messages. */
function tokenAt(sql: string, offset: number): string {
  const m = /^(?:"[^"]*"|[A-Za-z_][A-Za-z0-9_]*)(?:\.(?:"[^"]*"|[A-Za-z_][A-Za-z0-9_]*))*|^[0-9]+/.exec(sql.slice(offset));
  return m ? m[0].replace(/"/g, "").toLowerCase() : "";
}
