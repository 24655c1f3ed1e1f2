import { createDatabase, createExternalTable, createView, dropDatabase, dropTable } from "./ddl-tables.js";
import { addPartitions, dropPartitions, repairTable } from "./ddl-partitions.js";
import { planOnly, runSelect } from "./select.js";
import type { Session } from "./session.js";
import { describe, showColumns, showCreateTable, showDatabases, showPartitions, showTableProperties, showTables } from "./show.js";
import { parseStatement } from "./statement.js";
import { createTableAs, insertInto } from "./write-table.js";
import type { StatementResult } from "./types.js";

/** Runs one statement (without its trailing `;`) on the session's connection. */
export async function executeStatement(session: Session, sql: string): Promise<StatementResult> {
  const statement = parseStatement(sql);
  switch (statement.kind) {
    case "select":
      return runSelect(session, sql);
    case "explain":
      return explain(session, statement.query);
    case "createTable":
      return createExternalTable(session, sql, statement.table);
    case "createTableAs":
      return createTableAs(session, sql, statement);
    case "createView":
      return createView(session, sql, statement);
    case "createDatabase":
      return createDatabase(session, statement);
    case "dropTable":
      return dropTable(session, sql, statement);
    case "dropDatabase":
      return dropDatabase(session, statement);
    case "addPartitions":
      return addPartitions(session, sql, statement);
    case "dropPartitions":
      return dropPartitions(session, sql, statement);
    case "repairTable":
      return repairTable(session, sql, statement.table);
    case "insert":
      return insertInto(session, sql, statement);
    case "showTables":
      return showTables(session, statement);
    case "showDatabases":
      return showDatabases(session, statement.pattern);
    case "showPartitions":
      return showPartitions(session, sql, statement.table);
    case "showColumns":
      return showColumns(session, sql, statement.table);
    case "showCreateTable":
      return showCreateTable(session, sql, statement.table);
    case "showTableProperties":
      return showTableProperties(session, sql, statement.table);
    case "describe":
      return describe(session, sql, statement.table, statement.column);
  }
}

/** EXPLAIN: DuckDB's plan of the planned query, one line a row (Athena shows Trino's plan in one column). */
async function explain(session: Session, query: string): Promise<StatementResult> {
  const sql = await planOnly(session, query);
  const reader = await session.con.runAndReadAll(`EXPLAIN ${sql}`);
  const lines = reader.getRowsJS().flatMap((row) => String(row[1] ?? "").split("\n"));
  return {
    statementType: "DML",
    substatementType: "EXPLAIN",
    columns: [{ name: "Query Plan", type: "varchar", precision: 0, scale: 0, nullable: "UNKNOWN" }],
    rows: lines.map((line) => [line]),
    dataScannedBytes: 0,
  };
}
