import { Option, type Command } from "commander";
import { configOption, targetOptions, type TargetFlags } from "./options.js";

export interface QueryFlags extends TargetFlags {
  config: string;
  stateDir?: string;
  file?: string;
  named?: string;
  database?: string;
  workgroup?: string;
  output?: "table" | "csv" | "json";
}

export function registerQuery(program: Command): void {
  const command = program
    .command("query")
    .argument("[sql]", "the SQL to run (or --file, or --named)")
    .description("run an Athena query on the target (embedded or AWS), wait for it, print the rows and the data scanned")
    .option("-f, --file <file>", "run the SQL in this file")
    .option("-n, --named <name>", "run a saved query of the configuration (a `-- name:` block of its SQL files)")
    .option("-d, --database <name>", "database of unqualified table names (default: the saved query's)")
    .option("-w, --workgroup <name>", "workgroup (default: the saved query's, or the only declared one, else primary)")
    .addOption(new Option("-o, --output <format>", "table, csv or json (default: table on a terminal, csv otherwise)").choices(["table", "csv", "json"]))
    .addOption(configOption());
  for (const option of targetOptions()) command.addOption(option);
  command.action(async (sql: string | undefined, flags: QueryFlags) => {
    process.exitCode = await (await import("./query-run.js")).runQueryCommand(sql, flags);
  });
}
