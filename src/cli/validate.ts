import type { Command } from "commander";
import pc from "picocolors";
import { ConfigError, formatIssue } from "../config/issues.js";
import { loadConfig } from "../config/load.js";
import type { LakeConfig } from "../config/types.js";
import { configOption, outputOption } from "./options.js";

export function registerValidate(program: Command): void {
  program
    .command("validate")
    .description("check the lake configuration: schema, references, AWS naming rules, schedules, paths; report every error with its file:line:col")
    .addOption(configOption())
    .addOption(outputOption(["text", "json"], "text"))
    .action((opts: { config: string; output: "text" | "json" }) => {
      process.exitCode = validate(opts.config, opts.output);
    });
}

export function validate(file: string, output: "text" | "json"): number {
  try {
    const config = loadConfig(file);
    if (output === "json") process.stdout.write(`${JSON.stringify({ valid: true, file, summary: summarize(config) }, null, 2)}\n`);
    else process.stdout.write(`${pc.green("✓")} ${file}: valid — ${describe(config)}\n`);
    return 0;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    if (output === "json") {
      process.stdout.write(`${JSON.stringify({ valid: false, file, errors: err.issues.map((i) => ({ ...i, message: formatIssue(i) })) }, null, 2)}\n`);
    } else {
      for (const issue of err.issues) process.stderr.write(`${formatIssue(issue)}\n`);
      const n = err.issues.length;
      process.stderr.write(`${pc.red("✗")} ${file}: ${n} ${n === 1 ? "error" : "errors"}; nothing was applied\n`);
    }
    return 1;
  }
}

function summarize(c: LakeConfig): Record<string, number | string> {
  return {
    lake: c.lake,
    target: c.target,
    region: c.region,
    buckets: Object.keys(c.buckets).length,
    uploads: c.uploads.length,
    roles: Object.keys(c.roles).length,
    databases: c.databases.length,
    crawlers: c.crawlers.length,
    jobs: c.jobs.length,
    workgroups: c.workgroups.length,
    savedQueries: c.savedQueries.length,
  };
}

function describe(c: LakeConfig): string {
  const s = summarize(c);
  const count = (n: number | string, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
  return (
    `lake "${c.lake}" (target ${c.target}, ${c.region}): ` +
    [
      count(s.buckets!, "bucket"),
      count(s.uploads!, "upload"),
      count(s.roles!, "role"),
      count(s.databases!, "database"),
      count(s.crawlers!, "crawler"),
      count(s.jobs!, "job"),
      count(s.workgroups!, "workgroup"),
      count(s.savedQueries!, "saved query", "saved queries"),
    ].join(", ")
  );
}
