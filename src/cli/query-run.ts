import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import pc from "picocolors";
import type { LakeConfig } from "../config/types.js";
import { didYouMean } from "../config/suggest.js";
import { runQuery, type QueryRequest } from "../runs/queries.js";
import { loadConfigOrReport } from "./options.js";
import type { QueryFlags } from "./query.js";
import { renderCsv, renderJson, renderStatistics, renderTable } from "./query-output.js";
import { openTarget } from "./target.js";

export async function runQueryCommand(sqlArgument: string | undefined, flags: QueryFlags): Promise<number> {
  const config = loadConfigOrReport(flags.config, flags.stateDir);
  if (!config) return 1;
  const request = queryRequest(config, sqlArgument, flags);
  if (typeof request === "string") {
    process.stderr.write(`lakewarden query: ${request}\n`);
    return 1;
  }
  const output = flags.output ?? (process.stdout.isTTY ? "table" : "csv");
  const target = openTarget(config, flags);
  const stop = new AbortController();
  const onInterrupt = () => stop.abort(); // Ctrl-C stops the query on the service, then exits
  process.once("SIGINT", onInterrupt);
  const progress = process.stderr.isTTY
    ? (state: string, seconds: number) => process.stderr.write(`\r${pc.dim(`${state.padEnd(9)} ${seconds.toFixed(1)}s`)}\u001b[K`)
    : undefined;
  try {
    const run = await runQuery(target.clients.athena, request, { signal: stop.signal, ...(progress ? { onProgress: progress } : {}) });
    if (progress) process.stderr.write("\r\u001b[K");
    if (run.state !== "SUCCEEDED") {
      process.stderr.write(`${pc.red(`Query ${run.state === "FAILED" ? "failed" : "was cancelled"}:`)} ${run.reason ?? "(no reason given)"}\n`);
      process.stderr.write(pc.dim(renderStatistics(run)));
      return 1;
    }
    if (output === "json") process.stdout.write(renderJson(run));
    else if (output === "csv") {
      process.stdout.write(renderCsv(run));
      process.stderr.write(pc.dim(renderStatistics(run)));
    } else process.stdout.write(`${renderTable(run)}${renderStatistics(run)}`);
    return 0;
  } finally {
    process.off("SIGINT", onInterrupt);
    await target.close();
  }
}

/** The SQL, database and workgroup to run, from the argument, --file or --named; a message when they are wrong. */
function queryRequest(config: LakeConfig, sqlArgument: string | undefined, flags: QueryFlags): QueryRequest | string {
  const sources = [sqlArgument !== undefined, flags.file !== undefined, flags.named !== undefined].filter(Boolean).length;
  if (sources !== 1) return "give exactly one of: the SQL as an argument, --file FILE, --named NAME";
  const onlyWorkgroup = config.workgroups.length === 1 ? config.workgroups[0]!.name : undefined;
  let sql: string;
  let database = flags.database;
  let workgroup = flags.workgroup;
  if (flags.named !== undefined) {
    const saved = config.savedQueries.find((q) => q.name === flags.named);
    if (!saved) {
      const names = config.savedQueries.map((q) => q.name);
      return `no saved query "${flags.named}" in ${config.file}${didYouMean(flags.named, names)}; saved queries: ${names.join(", ") || "(none)"}`;
    }
    sql = saved.sql;
    database ??= saved.database;
    workgroup ??= saved.workgroup;
  } else if (flags.file !== undefined) {
    try {
      sql = readFileSync(resolve(flags.file), "utf8");
    } catch (err) {
      return `cannot read ${flags.file}: ${(err as Error).message}`;
    }
  } else sql = sqlArgument!;
  if (!sql.trim()) return "the query is empty";
  return { sql, ...(database ? { database } : {}), workgroup: workgroup ?? onlyWorkgroup ?? "primary" };
}
