import { userError } from "./errors.js";
import { parseCreate, type CreateStatement } from "./statement-create.js";
import { isWord, tokenize } from "./sql-lexer.js";
import { TokenCursor, type QualifiedName } from "./token-cursor.js";

/**
 * The statement kinds the engine runs, told apart by their leading words with a small parser (Athena's DDL is
 * Hive's, with backticks; its DML is Trino's, with double quotes). Queries stay text: DuckDB parses those.
 */

export type { QualifiedName } from "./token-cursor.js";

export type PartitionSpec = [string, string][];

export type Statement =
  | { kind: "select" }
  | { kind: "explain"; query: string }
  | CreateStatement
  | { kind: "dropTable"; name: QualifiedName; ifExists: boolean; view: boolean }
  | { kind: "dropDatabase"; name: string; ifExists: boolean; cascade: boolean }
  | { kind: "addPartitions"; table: QualifiedName; ifNotExists: boolean; partitions: { spec: PartitionSpec; location?: string }[] }
  | { kind: "dropPartitions"; table: QualifiedName; ifExists: boolean; partitions: PartitionSpec[] }
  | { kind: "repairTable"; table: QualifiedName }
  | { kind: "insert"; table: QualifiedName; columns?: string[]; query: string }
  | { kind: "showTables"; database?: string; pattern?: string; views: boolean }
  | { kind: "showDatabases"; pattern?: string }
  | { kind: "showPartitions"; table: QualifiedName }
  | { kind: "showColumns"; table: QualifiedName }
  | { kind: "showCreateTable"; table: QualifiedName; view: boolean }
  | { kind: "showTableProperties"; table: QualifiedName }
  | { kind: "describe"; table: QualifiedName; column?: string };

export function parseStatement(sql: string): Statement {
  const tokens = tokenize(sql);
  const first = tokens[0];
  if (!first) throw userError("SYNTAX_ERROR", "line 1:1: mismatched input '<EOF>'. Expecting: 'ALTER', 'CREATE', 'DESCRIBE', 'DROP', 'EXPLAIN', 'INSERT', 'SELECT', 'SHOW', 'WITH'");
  if (isWord(first, "SELECT", "WITH", "VALUES", "TABLE") || (first.kind === "symbol" && first.value === "(")) return { kind: "select" };
  const cursor = new TokenCursor(tokens, sql);
  if (cursor.acceptWords("EXPLAIN")) {
    cursor.acceptWords("ANALYZE");
    return { kind: "explain", query: cursor.rest() };
  }
  if (cursor.acceptWords("CREATE")) return parseCreate(cursor);
  if (cursor.acceptWords("DROP")) return parseDrop(cursor);
  if (cursor.acceptWords("ALTER", "TABLE")) return parseAlterTable(cursor);
  if (cursor.acceptWords("MSCK", "REPAIR", "TABLE")) {
    const table = cursor.tableName();
    cursor.expectEnd();
    return { kind: "repairTable", table };
  }
  if (cursor.acceptWords("INSERT", "INTO")) return parseInsert(cursor);
  if (cursor.acceptWords("SHOW")) return parseShow(cursor);
  if (cursor.acceptWords("DESCRIBE") || cursor.acceptWords("DESC")) return parseDescribe(cursor);
  throw cursor.syntaxError("'ALTER', 'CREATE', 'DESCRIBE', 'DROP', 'EXPLAIN', 'INSERT', 'MSCK', 'SELECT', 'SHOW', 'VALUES', 'WITH'");
}

function parseDrop(cursor: TokenCursor): Statement {
  if (cursor.acceptWords("DATABASE") || cursor.acceptWords("SCHEMA")) {
    const ifExists = cursor.acceptWords("IF", "EXISTS");
    const database = cursor.identifier();
    const cascade = cursor.acceptWords("CASCADE");
    cursor.acceptWords("RESTRICT");
    cursor.expectEnd();
    return { kind: "dropDatabase", name: database, ifExists, cascade };
  }
  const view = cursor.acceptWords("VIEW");
  if (!view) cursor.expectWords("TABLE");
  const ifExists = cursor.acceptWords("IF", "EXISTS");
  const table = cursor.tableName();
  cursor.acceptWords("PURGE");
  cursor.expectEnd();
  return { kind: "dropTable", name: table, ifExists, view };
}

export function partitionSpec(cursor: TokenCursor): PartitionSpec {
  cursor.expectSymbol("(");
  const spec: PartitionSpec = [];
  do {
    const key = cursor.identifier();
    cursor.expectSymbol("=");
    const token = cursor.peek();
    if (token?.kind === "string" || token?.kind === "number") {
      cursor.next();
      spec.push([key, token.value]);
    } else {
      throw cursor.syntaxError("a partition value");
    }
  } while (cursor.acceptSymbol(","));
  cursor.expectSymbol(")");
  return spec;
}

function parseAlterTable(cursor: TokenCursor): Statement {
  const table = cursor.tableName();
  if (cursor.acceptWords("ADD")) {
    const ifNotExists = cursor.acceptWords("IF", "NOT", "EXISTS");
    const partitions: { spec: PartitionSpec; location?: string }[] = [];
    while (cursor.acceptWords("PARTITION")) {
      const spec = partitionSpec(cursor);
      const location = cursor.acceptWords("LOCATION") ? cursor.string() : undefined;
      partitions.push({ spec, location });
    }
    if (partitions.length === 0) throw cursor.syntaxError("'PARTITION'");
    cursor.expectEnd();
    return { kind: "addPartitions", table, ifNotExists, partitions };
  }
  if (cursor.acceptWords("DROP")) {
    const ifExists = cursor.acceptWords("IF", "EXISTS");
    const partitions: PartitionSpec[] = [];
    do {
      cursor.expectWords("PARTITION");
      partitions.push(partitionSpec(cursor));
    } while (cursor.acceptSymbol(","));
    cursor.acceptWords("PURGE");
    cursor.expectEnd();
    return { kind: "dropPartitions", table, ifExists, partitions };
  }
  throw cursor.syntaxError("'ADD', 'DROP'");
}

function parseInsert(cursor: TokenCursor): Statement {
  const table = cursor.tableName();
  let columns: string[] | undefined;
  // `(a, b)` is a column list unless it opens the query itself: `INSERT INTO t (SELECT …)`.
  if (cursor.peek()?.value === "(" && !isWord(cursor.peek(1), "SELECT", "WITH", "VALUES")) {
    cursor.expectSymbol("(");
    columns = [];
    do columns.push(cursor.identifier());
    while (cursor.acceptSymbol(","));
    cursor.expectSymbol(")");
  }
  const query = cursor.rest();
  if (query.trim() === "") throw cursor.syntaxError("a query");
  return { kind: "insert", table, columns, query };
}

function parseShow(cursor: TokenCursor): Statement {
  const pattern = (): string | undefined => {
    cursor.acceptWords("LIKE");
    return cursor.peek()?.kind === "string" ? cursor.string() : undefined;
  };
  const inDatabase = (): string | undefined => (cursor.acceptWords("IN") || cursor.acceptWords("FROM") ? cursor.identifier() : undefined);
  let statement: Statement;
  if (cursor.acceptWords("TABLES") || cursor.acceptWords("VIEWS")) {
    const views = isWord(cursor.tokens[cursor.position - 1], "VIEWS");
    const database = inDatabase();
    statement = { kind: "showTables", database, pattern: pattern(), views };
  } else if (cursor.acceptWords("DATABASES") || cursor.acceptWords("SCHEMAS")) {
    statement = { kind: "showDatabases", pattern: pattern() };
  } else if (cursor.acceptWords("PARTITIONS")) {
    statement = { kind: "showPartitions", table: cursor.tableName() };
  } else if (cursor.acceptWords("COLUMNS")) {
    if (!cursor.acceptWords("IN")) cursor.expectWords("FROM");
    const table = cursor.tableName();
    const database = inDatabase();
    statement = { kind: "showColumns", table: database ? { parts: [database, table.parts[table.parts.length - 1]!], offset: table.offset } : table };
  } else if (cursor.acceptWords("CREATE")) {
    const view = cursor.acceptWords("VIEW");
    if (!view) cursor.expectWords("TABLE");
    statement = { kind: "showCreateTable", table: cursor.tableName(), view };
  } else if (cursor.acceptWords("TBLPROPERTIES")) {
    statement = { kind: "showTableProperties", table: cursor.tableName() };
    if (cursor.acceptSymbol("(")) {
      cursor.string();
      cursor.expectSymbol(")");
    }
  } else {
    throw cursor.syntaxError("'COLUMNS', 'CREATE', 'DATABASES', 'PARTITIONS', 'SCHEMAS', 'TABLES', 'TBLPROPERTIES', 'VIEWS'");
  }
  cursor.expectEnd();
  return statement;
}

function parseDescribe(cursor: TokenCursor): Statement {
  if (!cursor.acceptWords("EXTENDED")) cursor.acceptWords("FORMATTED");
  const table = cursor.tableName();
  const column = cursor.atEnd() ? undefined : cursor.identifier();
  cursor.expectEnd();
  return { kind: "describe", table, column };
}
