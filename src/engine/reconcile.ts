import type { LakeConfig } from "../config/types.js";
import { applyPlan, type ApplyOptions, type ChangeResult } from "./apply.js";
import { Inventory } from "./inventory.js";
import { createLimiter } from "./limiter.js";
import { buildPlan, hasChanges } from "./plan.js";
import type { Observed } from "./plan.js";
import type { ApplyOutcome, Driver, DriverContext, InventoryEntry, Plan, RunReport } from "./types.js";

export const OWNERSHIP_TAG = "lakewarden:lake";

export interface ReconcileOptions {
  dryRun: boolean;
  /** Identifies the target in the inventory: `local`, `aws:us-east-1`, `aws:http://127.0.0.1:5000` … */
  target: string;
  /** Where the inventory is kept. */
  stateDir: string;
  onEvent?: ApplyOptions["onEvent"];
  /** Called with the plan before anything is applied. */
  onPlan?: (plan: Plan) => void;
  /** Wait for the runs started after apply (crawls) and report how they ended. */
  wait?: boolean;
  log?: (message: string) => void;
}

export interface ReconcileResult {
  plan: Plan;
  /** Absent on a dry run. */
  results?: ChangeResult[];
  /** Runs started after apply (crawls …). */
  runs?: RunReport[];
  /** Whether the plan held changes (dry run) or changes were applied. */
  changed: boolean;
  /** Converged: no read or apply failed and no resource is in conflict. */
  ok: boolean;
  seconds: number;
}

/** config → desired → observe → diff → plan → (apply) → inventory. */
export async function reconcile(config: LakeConfig, drivers: Driver[], options: ReconcileOptions): Promise<ReconcileResult> {
  const started = performance.now();
  const inventory = new Inventory(options.stateDir);
  const previous = inventory.load(config.lake, options.target);
  const ctx: DriverContext = {
    lake: config.lake,
    tags: { ...config.tags, [OWNERSHIP_TAG]: config.lake },
    limit: createLimiter(config.apply.concurrency),
    log: options.log ?? (() => {}),
    written: [],
    wait: options.wait ?? false,
  };
  const { plan, observed } = await buildPlan(config, drivers, previous, ctx, options.target);
  const seconds = () => (performance.now() - started) / 1000;
  options.onPlan?.(plan);
  const conflicts = plan.changes.some((c) => c.action === "conflict");
  if (options.dryRun) return { plan, changed: hasChanges(plan), ok: plan.errors.length === 0 && !conflicts, seconds: seconds() };

  const results = await applyPlan(plan, observed, ctx, { concurrency: config.apply.concurrency, onEvent: options.onEvent });
  const status = new Map(results.map((r) => [r.address, r.status]));
  const runs = await startRuns(drivers, observed, plan, status, ctx);

  // The inventory after this run: what is declared and now exists as ours, and what left the config but is
  // still there (blocked, or a delete that failed) so that a later run tries again.
  const next: InventoryEntry[] = [];
  for (const [address, entry] of observed) {
    const change = plan.changes.find((c) => c.address === address);
    if (entry.desired) {
      const d = entry.desired;
      const existsAsOurs = change?.action === "noop" || status.get(address) === "done" || (change?.action === "update" && entry.observation.exists);
      if (existsAsOurs) next.push({ kind: d.kind, address: d.address, name: d.name, deletionPolicy: d.deletionPolicy, ...(d.facts ? { facts: d.facts } : {}) });
    } else if (entry.orphan && (change?.action === "blocked" || (change?.action === "delete" && status.get(address) !== "done"))) {
      next.push(entry.orphan);
    }
  }
  // A resource that could not be read keeps its inventory entry: nothing is learned about it this time.
  for (const error of plan.errors) {
    const kept = previous.find((e) => e.address === error.address);
    if (kept && !next.some((e) => e.address === kept.address)) next.push(kept);
  }
  inventory.save(config.lake, options.target, next);
  const failed = results.some((r) => r.status !== "done");
  const runFailed = runs.some((r) => r.status === "failed");
  return { plan, results, runs, changed: results.some((r) => r.status === "done"), ok: !failed && !runFailed && !conflicts && plan.errors.length === 0, seconds: seconds() };
}

/** After apply: each driver starts what its resources run on (a crawler on create, change or new data). */
async function startRuns(drivers: Driver[], observed: Map<string, Observed>, plan: Plan, status: Map<string, string>, ctx: DriverContext): Promise<RunReport[]> {
  const done = (address: string) => status.get(address) === "done";
  const outcome: ApplyOutcome = {
    created: new Set(plan.changes.filter((c) => c.action === "create" && done(c.address)).map((c) => c.address)),
    updated: new Map(plan.changes.filter((c) => (c.action === "update" || c.action === "adopt") && done(c.address)).map((c) => [c.address, c.changes.map((a) => a.path)])),
  };
  const reports = await Promise.all(
    drivers.map((driver) => {
      if (!driver.afterApply) return [];
      // Only resources that exist now: not one whose create failed, not one in conflict.
      const desired = [...observed.values()]
        .filter((o) => o.driver === driver && o.desired && (done(o.desired.address) || plan.changes.some((c) => c.address === o.desired!.address && c.action === "noop")))
        .map((o) => o.desired!);
      return driver.afterApply(desired, outcome, ctx);
    }),
  );
  return reports.flat();
}
