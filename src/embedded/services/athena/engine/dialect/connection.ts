import type { DuckDBConnection } from "@duckdb/node-api";
import { macro, MACRO_CATALOG, MACRO_SQL } from "./macros.js";

/**
 * Per-connection settings for Trino semantics, and the Trino macros once per DuckDB instance. Integer division is
 * not a setting here: `a / b` is translated to trino_divide (DuckDB's `integer_division` would also turn
 * `1.0E0 / 0` into NULL instead of Infinity).
 */
const SETTINGS = `
SET TimeZone = 'UTC';
SET default_null_order = 'nulls_last';
SET autoinstall_known_extensions = false;
`;

export async function prepareConnection(connection: DuckDBConnection): Promise<void> {
  await connection.run(SETTINGS);
  if (await macrosInstalled(connection)) return;
  try {
    await connection.run(`ATTACH IF NOT EXISTS ':memory:' AS ${MACRO_CATALOG}; ${MACRO_SQL}`);
  } catch (err) {
    // Another connection of the same instance installed them at the same moment (a write-write conflict).
    if (!(await macrosInstalled(connection))) throw err;
  }
}

/** The script's last macro exists once the whole script ran (calling it is far cheaper than listing functions). */
async function macrosInstalled(connection: DuckDBConnection): Promise<boolean> {
  try {
    await connection.run(`SELECT ${macro("trino_macros_ready")}()`);
    return true;
  } catch {
    return false;
  }
}
