import type { Command } from "commander";
import pc from "picocolors";
import { createDrivers } from "../drivers/index.js";
import { reconcile } from "../engine/reconcile.js";
import { renderApplySummary, renderPlanJson, renderPlanText, renderRuns } from "../engine/render.js";
import { configOption, loadConfigOrReport, outputOption } from "./options.js";
import { openTarget, targetOptions, type TargetFlags } from "./target.js";

interface ReconcileFlags extends TargetFlags {
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
  reconcileCommand.action(async (flags: ReconcileFlags) => {
    process.exitCode = await runReconcile(flags);
  });
  planCommand.action(async (flags: ReconcileFlags) => {
    process.exitCode = await runReconcile({ ...flags, dryRun: true });
  });
}

export async function runReconcile(flags: ReconcileFlags): Promise<number> {
  const config = loadConfigOrReport(flags.config, flags.stateDir);
  if (!config) return 1;
  const target = openTarget(config, flags);
  const text = flags.output === "text";
  try {
    const result = await reconcile(config, createDrivers(target.clients), {
      dryRun: flags.dryRun ?? false,
      wait: flags.wait ?? false,
      target: target.id,
      stateDir: config.local.stateDir,
      onPlan: text ? (plan) => process.stdout.write(renderPlanText(plan)) : undefined,
      onEvent: text ? (event) => process.stdout.write(progressLine(event)) : undefined,
      log: text ? (message) => process.stdout.write(`  ${pc.dim(message)}\n`) : undefined,
    });
    if (!text) process.stdout.write(renderPlanJson(result.plan, result.results, result.runs));
    else {
      if (result.results?.length) process.stdout.write(`\n${renderApplySummary(result.results, result.seconds)}`);
      if (result.runs?.length) process.stdout.write(renderRuns(result.runs));
    }
    if (text) process.stdout.write(pc.dim(`${target.clients.calls.total()} API calls to ${target.id} in ${result.seconds.toFixed(2)}s\n`));
    if (!result.ok) return 1;
    return flags.detailedExitcode && result.changed ? 2 : 0;
  } finally {
    await target.close();
  }
}

const VERB: Record<string, [string, string]> = {
  create: ["Creating...", "Creation complete"],
  update: ["Modifying...", "Modifications complete"],
  adopt: ["Adopting...", "Adoption complete"],
  delete: ["Destroying...", "Destruction complete"],
};

function progressLine(event: Parameters<NonNullable<Parameters<typeof reconcile>[2]["onEvent"]>>[0]): string {
  const [starting, finished] = VERB[event.change.action] ?? ["Working...", "Done"];
  if (event.phase === "start") return `${event.change.address}: ${starting}\n`;
  const r = event.result!;
  if (r.status === "done") return `${event.change.address}: ${finished} after ${r.seconds.toFixed(1)}s\n`;
  return `${pc.red(`${event.change.address}: failed`)} — ${r.error}\n`;
}

