import type { LakeConfig } from "../config/types.js";
import { applyPlan, type ApplyOptions, type ChangeResult } from "./apply.js";
import { Inventory } from "./inventory.js";
import { createLimiter } from "./limiter.js";
import { buildPlan, hasChanges } from "./plan.js";
import type { Driver, DriverContext, InventoryEntry, Plan } from "./types.js";

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
  log?: (message: string) => void;
}

export interface ReconcileResult {
  plan: Plan;
  /** Absent on a dry run. */
  results?: ChangeResult[];
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
  };
  const { plan, observed } = await buildPlan(config, drivers, previous, ctx, options.target);
  const seconds = () => (performance.now() - started) / 1000;
  options.onPlan?.(plan);
  const conflicts = plan.changes.some((c) => c.action === "conflict");
  if (options.dryRun) return { plan, changed: hasChanges(plan), ok: plan.errors.length === 0 && !conflicts, seconds: seconds() };

  const results = await applyPlan(plan, observed, ctx, { concurrency: config.apply.concurrency, onEvent: options.onEvent });
  const status = new Map(results.map((r) => [r.address, r.status]));

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
  return { plan, results, changed: results.some((r) => r.status === "done"), ok: !failed && !conflicts && plan.errors.length === 0, seconds: seconds() };
}
