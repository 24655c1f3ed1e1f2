import type { Command } from "commander";
import { configOption, outputOption, targetOptions, type TargetFlags } from "./options.js";

export interface ReconcileFlags extends TargetFlags {
  config: string;
  stateDir?: string;
  dryRun?: boolean;
  wait?: boolean;
  detailedExitcode?: boolean;
  output: "text" | "json";
}

export function registerReconcile(program: Command): void {
  const reconcileCommand = program
    .command("reconcile")
    .description("converge the lake to the configuration: observe, plan, apply (--dry-run: plan only, no write call)")
    .option("--dry-run", "show the plan and change nothing")
    .option("--wait", "wait for the runs started after apply (crawlers with runOn) and print how they ended")
    .option("--detailed-exitcode", "exit 0 when there is nothing to change, 2 when changes were planned or applied, 1 on error");
  const planCommand = program
    .command("plan")
    .description("show what reconcile would change (= reconcile --dry-run)")
    .option("--detailed-exitcode", "exit 0 when there is nothing to change, 2 when there are changes, 1 on error");
  for (const command of [reconcileCommand, planCommand]) {
    command.addOption(configOption()).addOption(outputOption(["text", "json"], "text"));
    for (const option of targetOptions()) command.addOption(option);
  }
  // The engine, drivers and SDK load only when a reconcile runs: `--help` and `validate` stay fast.
  reconcileCommand.action(async (flags: ReconcileFlags) => {
    process.exitCode = await (await import("./reconcile-run.js")).runReconcile(flags);
  });
  planCommand.action(async (flags: ReconcileFlags) => {
    process.exitCode = await (await import("./reconcile-run.js")).runReconcile({ ...flags, dryRun: true });
  });
}

