/**
 * Athena (Trino) SQL on DuckDB: the dialect layer. The executor (../) resolves tables and runs statements; this
 * layer makes a Trino query text run on DuckDB with Trino's semantics, and turns DuckDB's answers (types, values,
 * errors) back into Athena's.
 *
 * How the executor uses it:
 *   await prepareConnection(connection)                 // once per connection: settings + macros
 *   const reader = await connection.runAndReadAll(translateQuery(sql))   // throws AthenaQueryError on what it cannot translate
 *   const { columns, rows } = readRows(reader)          // getRows() values rendered as Athena prints them
 *   on a DuckDB error: throw athenaError(err, sql) ?? err
 */

export { prepareConnection } from "./connection.js";
export { describeColumn, trinoTypeName } from "./column-info.js";
export { athenaError } from "./errors.js";
export { errorAt, userError } from "./positions.js";
export { readRows, renderValue } from "./render.js";
export { hiveTypeToDuckDb, trinoTypeToDuckDb } from "./trino-types.js";
export { translate, type Translation } from "./translate.js";
import { translate } from "./translate.js";

/** Rewrites one Trino query (SELECT / WITH / VALUES, or the SELECT of a CTAS / INSERT) into DuckDB SQL. Table names are left as written. */
export function translateQuery(sql: string): string {
  return translate(sql).sql;
}
