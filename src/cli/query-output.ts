import Table from "cli-table3";
import type { QueryRun } from "../runs/queries.js";
import { formatBytes } from "../config/units.js";

/** How `lakewarden query` prints a finished query: a table, CSV as Athena writes it, or JSON. */

export function renderTable(run: QueryRun): string {
  if (!run.columns.length) return "";
  const table = new Table({ head: run.columns.map((c) => c.name), style: { head: [], border: [], compact: true } });
  for (const row of run.rows) table.push(row.map((v) => (v === null ? "NULL" : v)));
  return `${table.toString()}\n`;
}

/** Athena's result CSV: every value quoted, NULL as an empty field. */
export function renderCsv(run: QueryRun): string {
  const quote = (v: string) => `"${v.replace(/"/g, '""')}"`;
  const lines = [run.columns.map((c) => quote(c.name)).join(",")];
  for (const row of run.rows) lines.push(row.map((v) => (v === null ? "" : quote(v))).join(","));
  return `${lines.join("\n")}\n`;
}

export function renderJson(run: QueryRun): string {
  const rows = run.rows.map((row) => Object.fromEntries(run.columns.map((c, i) => [c.name, row[i] ?? null])));
  const { id, state, reason, workgroup, scannedBytes, engineMillis, totalMillis, outputLocation, columns } = run;
  return `${JSON.stringify({ queryExecutionId: id, state, ...(reason ? { reason } : {}), workgroup, columns, rows, statistics: { dataScannedInBytes: scannedBytes, engineExecutionTimeInMillis: engineMillis, totalExecutionTimeInMillis: totalMillis }, outputLocation }, null, 2)}\n`;
}

/** The line under the rows, as the Athena console shows it: run time and data scanned. */
export function renderStatistics(run: QueryRun): string {
  const rows = run.columns.length ? `${run.rows.length} row${run.rows.length === 1 ? "" : "s"} · ` : "";
  return `${rows}Run time: ${(run.totalMillis / 1000).toFixed(3)} sec · Data scanned: ${formatBytes(run.scannedBytes)} · ${run.id}\n`;
}
