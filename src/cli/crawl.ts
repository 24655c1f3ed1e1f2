import type { Command } from "commander";
import { configOption, targetOptions, type TargetFlags } from "./options.js";

export interface CrawlFlags extends TargetFlags {
  config: string;
  stateDir?: string;
  wait?: boolean;
}

export function registerCrawl(program: Command): void {
  const command = program
    .command("crawl")
    .argument("<name>", "crawler name")
    .description("start a crawler; with --wait, show its progress and what it changed in the catalog (tables, columns, partitions)")
    .option("--wait", "wait for the crawl to end")
    .addOption(configOption());
  for (const option of targetOptions()) command.addOption(option);
  command.action(async (name: string, flags: CrawlFlags) => {
    process.exitCode = await (await import("./crawl-run.js")).crawl(name, flags);
  });
}
