import { userError } from "./errors.js";
import { isWord } from "./sql-lexer.js";
import type { QualifiedName, TokenCursor } from "./token-cursor.js";

/** CREATE statements: EXTERNAL TABLE (Hive DDL), TABLE AS SELECT (Trino, WITH properties), VIEW, DATABASE. */

export interface ColumnSpec {
  name: string;
  type: string;
  comment?: string;
}

export interface ExternalTableSpec {
  name: QualifiedName;
  ifNotExists: boolean;
  columns: ColumnSpec[];
  partitionKeys: ColumnSpec[];
  comment?: string;
  serde?: string;
  serdeProperties: Record<string, string>;
  inputFormat?: string;
  outputFormat?: string;
  /** STORED AS <name> (PARQUET, TEXTFILE …), uppercased. */
  storedAs?: string;
  location?: string;
  tableProperties: Record<string, string>;
}

export type PropertyValue = string | string[];

export type CreateStatement =
  | { kind: "createTable"; table: ExternalTableSpec }
  | { kind: "createTableAs"; name: QualifiedName; ifNotExists: boolean; properties: Record<string, PropertyValue>; query: string; withData: boolean }
  | { kind: "createView"; name: QualifiedName; orReplace: boolean; query: string }
  | { kind: "createDatabase"; name: string; ifNotExists: boolean; comment?: string; location?: string; properties: Record<string, string> };

export function parseCreate(cursor: TokenCursor): CreateStatement {
  const orReplace = cursor.acceptWords("OR", "REPLACE");
  if (cursor.acceptWords("VIEW")) return parseView(cursor, orReplace);
  if (orReplace) throw cursor.syntaxError("'VIEW'");
  if (cursor.acceptWords("DATABASE") || cursor.acceptWords("SCHEMA")) return parseDatabase(cursor);
  const external = cursor.acceptWords("EXTERNAL");
  cursor.expectWords("TABLE");
  const ifNotExists = cursor.acceptWords("IF", "NOT", "EXISTS");
  const table = cursor.tableName();
  if (!external && (isWord(cursor.peek(), "WITH", "AS"))) return parseTableAs(cursor, table, ifNotExists);
  if (!external) throw userError("NOT_SUPPORTED", "Only external table creation is supported (CREATE EXTERNAL TABLE), or CREATE TABLE AS SELECT.");
  return { kind: "createTable", table: parseExternalTable(cursor, table, ifNotExists) };
}

function parseView(cursor: TokenCursor, orReplace: boolean): CreateStatement {
  const view = cursor.tableName();
  if (cursor.acceptWords("COMMENT")) cursor.string();
  if (cursor.acceptWords("SECURITY")) {
    if (!cursor.acceptWords("DEFINER")) cursor.expectWords("INVOKER");
  }
  cursor.expectWords("AS");
  return { kind: "createView", name: view, orReplace, query: cursor.rest() };
}

function parseDatabase(cursor: TokenCursor): CreateStatement {
  const ifNotExists = cursor.acceptWords("IF", "NOT", "EXISTS");
  const database = cursor.identifier();
  let comment: string | undefined;
  let location: string | undefined;
  let properties: Record<string, string> = {};
  for (;;) {
    if (cursor.acceptWords("COMMENT")) comment = cursor.string();
    else if (cursor.acceptWords("LOCATION")) location = cursor.string();
    else if (cursor.acceptWords("WITH", "DBPROPERTIES")) properties = keyValues(cursor);
    else break;
  }
  cursor.expectEnd();
  return { kind: "createDatabase", name: database, ifNotExists, comment, location, properties };
}

/** `('k'='v', …)` */
function keyValues(cursor: TokenCursor): Record<string, string> {
  const out: Record<string, string> = {};
  cursor.expectSymbol("(");
  if (cursor.acceptSymbol(")")) return out;
  do {
    const key = cursor.string();
    cursor.expectSymbol("=");
    out[key] = cursor.string();
  } while (cursor.acceptSymbol(","));
  cursor.expectSymbol(")");
  return out;
}

/** `(name type [COMMENT '…'], …)`; the type is kept as written, lowercased and without blanks. */
function columnList(cursor: TokenCursor): ColumnSpec[] {
  const columns: ColumnSpec[] = [];
  cursor.expectSymbol("(");
  do {
    const column = cursor.identifier();
    const type = typeText(cursor);
    const comment = cursor.acceptWords("COMMENT") ? cursor.string() : undefined;
    columns.push({ name: column, type, comment });
  } while (cursor.acceptSymbol(","));
  cursor.expectSymbol(")");
  return columns;
}

function typeText(cursor: TokenCursor): string {
  let depth = 0;
  let text = "";
  for (;;) {
    const token = cursor.peek();
    if (!token) throw cursor.syntaxError("')'");
    if (depth === 0 && token.kind === "symbol" && (token.value === "," || token.value === ")")) break;
    if (depth === 0 && isWord(token, "COMMENT") && text !== "") break;
    if (token.kind === "symbol" && (token.value === "<" || token.value === "(")) depth++;
    if (token.kind === "symbol" && (token.value === ">" || token.value === ")")) depth--;
    text += token.kind === "quoted" ? `\`${token.value}\`` : token.kind === "word" ? token.value.toLowerCase() : token.value;
    cursor.next();
  }
  if (text === "") throw cursor.syntaxError("a column type");
  return text;
}

function parseExternalTable(cursor: TokenCursor, table: QualifiedName, ifNotExists: boolean): ExternalTableSpec {
  const spec: ExternalTableSpec = { name: table, ifNotExists, columns: [], partitionKeys: [], serdeProperties: {}, tableProperties: {} };
  if (cursor.peek()?.kind === "symbol" && cursor.peek()!.value === "(") spec.columns = columnList(cursor);
  for (;;) {
    if (cursor.acceptWords("COMMENT")) spec.comment = cursor.string();
    else if (cursor.acceptWords("PARTITIONED", "BY")) spec.partitionKeys = columnList(cursor);
    else if (cursor.acceptWords("CLUSTERED", "BY")) skipBucketing(cursor);
    else if (cursor.acceptWords("ROW", "FORMAT")) rowFormat(cursor, spec);
    else if (cursor.acceptWords("WITH", "SERDEPROPERTIES")) Object.assign(spec.serdeProperties, keyValues(cursor));
    else if (cursor.acceptWords("STORED", "AS")) {
      if (cursor.acceptWords("INPUTFORMAT")) {
        spec.inputFormat = cursor.string();
        cursor.expectWords("OUTPUTFORMAT");
        spec.outputFormat = cursor.string();
      } else {
        spec.storedAs = cursor.identifier().toUpperCase();
      }
    } else if (cursor.acceptWords("LOCATION")) spec.location = cursor.string();
    else if (cursor.acceptWords("TBLPROPERTIES")) Object.assign(spec.tableProperties, keyValues(cursor));
    else break;
  }
  cursor.expectEnd();
  return spec;
}

function skipBucketing(cursor: TokenCursor): void {
  let depth = 0;
  while (cursor.peek() && !(depth === 0 && isWord(cursor.peek(), "BUCKETS"))) {
    const token = cursor.next()!;
    if (token.value === "(") depth++;
    if (token.value === ")") depth--;
  }
  cursor.expectWords("BUCKETS");
}

const DELIMITER_PROPERTIES: [string[], string[]][] = [
  [["FIELDS", "TERMINATED", "BY"], ["field.delim", "serialization.format"]],
  [["COLLECTION", "ITEMS", "TERMINATED", "BY"], ["collection.delim"]],
  [["MAP", "KEYS", "TERMINATED", "BY"], ["mapkey.delim"]],
  [["LINES", "TERMINATED", "BY"], ["line.delim"]],
  [["ESCAPED", "BY"], ["escape.delim"]],
  [["NULL", "DEFINED", "AS"], ["serialization.null.format"]],
];

function rowFormat(cursor: TokenCursor, spec: ExternalTableSpec): void {
  if (cursor.acceptWords("SERDE")) {
    spec.serde = cursor.string();
    if (cursor.acceptWords("WITH", "SERDEPROPERTIES")) Object.assign(spec.serdeProperties, keyValues(cursor));
    return;
  }
  cursor.expectWords("DELIMITED");
  spec.serde = "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe";
  for (let matched = true; matched; ) {
    matched = false;
    for (const [words, keys] of DELIMITER_PROPERTIES) {
      if (cursor.acceptWords(...words)) {
        const value = cursor.string();
        for (const key of keys) spec.serdeProperties[key] = value;
        matched = true;
      }
    }
  }
}

function parseTableAs(cursor: TokenCursor, table: QualifiedName, ifNotExists: boolean): CreateStatement {
  const properties: Record<string, PropertyValue> = {};
  if (cursor.acceptWords("WITH")) {
    cursor.expectSymbol("(");
    do {
      const key = cursor.identifier();
      cursor.expectSymbol("=");
      properties[key] = propertyValue(cursor);
    } while (cursor.acceptSymbol(","));
    cursor.expectSymbol(")");
  }
  cursor.expectWords("AS");
  let query = cursor.rest();
  let withData = true;
  const tail = /\s+WITH\s+(NO\s+)?DATA\s*$/i.exec(query);
  if (tail) {
    withData = !tail[1];
    query = query.slice(0, tail.index);
  }
  const trimmed = query.trim();
  if (trimmed.startsWith("(") && trimmed.endsWith(")")) {
    const open = query.indexOf("(");
    query = `${query.slice(0, open)} ${query.slice(open + 1, query.lastIndexOf(")"))}`;
  }
  return { kind: "createTableAs", name: table, ifNotExists, properties, query, withData };
}

function propertyValue(cursor: TokenCursor): PropertyValue {
  const token = cursor.peek();
  if (isWord(token, "ARRAY")) {
    cursor.next();
    cursor.expectSymbol("[");
    const values: string[] = [];
    if (!cursor.acceptSymbol("]")) {
      do values.push(cursor.string());
      while (cursor.acceptSymbol(","));
      cursor.expectSymbol("]");
    }
    return values;
  }
  if (token?.kind === "string" || token?.kind === "number" || isWord(token, "TRUE", "FALSE")) {
    cursor.next();
    return token!.value;
  }
  throw cursor.syntaxError("a property value");
}
