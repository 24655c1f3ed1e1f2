import pc from "picocolors";
import { createDrivers } from "../drivers/index.js";
import { reconcile } from "../engine/reconcile.js";
import { renderApplySummary, renderPlanJson, renderPlanText, renderRuns } from "../engine/render.js";
import { loadConfigOrReport } from "./options.js";
import type { ReconcileFlags } from "./reconcile.js";
import { openTarget } from "./target.js";

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

