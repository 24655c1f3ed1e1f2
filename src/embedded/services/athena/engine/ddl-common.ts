import type { Table } from "@aws-sdk/client-glue";
import { userErrorAt } from "./errors.js";
import type { Session } from "./session.js";
import type { QualifiedName } from "./token-cursor.js";
import type { ResultColumn, StatementResult } from "./types.js";

/** What DDL and utility statements share: naming tables, finding them, and Athena's result shapes. */

export interface TableTarget {
  database: string;
  table: string;
  /** Where the name starts in the SQL. */
  offset: number;
}

/** `t` (in the request's database), `db.t` or `awsdatacatalog.db.t`. */
export function targetOf(session: Session, sql: string, name: QualifiedName): TableTarget {
  const parts = [...name.parts];
  if (parts.length === 3) {
    const catalog = parts.shift()!;
    if (catalog !== "awsdatacatalog") throw userErrorAt("CATALOG_NOT_FOUND", sql, name.offset, `Catalog '${catalog}' does not exist`);
  }
  const table = parts.pop()!;
  return { database: parts.pop() ?? session.database, table, offset: name.offset };
}

export function requireDatabase(session: Session, sql: string, target: { database: string; offset: number }): void {
  if (!session.catalog.databaseExists(target.database)) throw userErrorAt("SCHEMA_NOT_FOUND", sql, target.offset, `Schema '${target.database}' does not exist`);
}

/** The table, or Athena's TABLE_NOT_FOUND / SCHEMA_NOT_FOUND at the name's position. */
export function requireTable(session: Session, sql: string, target: TableTarget): Table {
  requireDatabase(session, sql, target);
  const table = session.catalog.getTable(target.database, target.table);
  if (!table) throw userErrorAt("TABLE_NOT_FOUND", sql, target.offset, `Table 'awsdatacatalog.${target.database}.${target.table}' does not exist`);
  return table;
}

export function stringColumn(name: string): ResultColumn {
  return { name, type: "string", precision: 0, scale: 0, nullable: "UNKNOWN" };
}

/** A DDL statement's result: no rows (Athena writes an empty result). */
export function ddlDone(substatementType: string, dataScannedBytes = 0): StatementResult {
  return { statementType: "DDL", substatementType, columns: [], rows: [], dataScannedBytes };
}

/** A SHOW / DESCRIBE result: string columns. */
export function utilityRows(substatementType: string, columns: string[], rows: (string | null)[][]): StatementResult {
  return { statementType: "UTILITY", substatementType, columns: columns.map(stringColumn), rows, dataScannedBytes: 0 };
}
