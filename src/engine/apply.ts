import { message, type Observed } from "./plan.js";
import type { DriverContext, Plan, PlannedChange } from "./types.js";

export interface ChangeResult {
  address: string;
  action: PlannedChange["action"];
  status: "done" | "failed" | "skipped";
  error?: string;
  seconds: number;
}

export interface ApplyOptions {
  concurrency: number;
  /** Called as each change starts and ends (progress output). */
  onEvent?: (event: { phase: "start" | "end"; change: PlannedChange; result?: ChangeResult }) => void;
}

const APPLIED = new Set(["create", "update", "adopt"]);

/**
 * Applies a plan: creates and updates in dependency order, then deletes (the reverse order of kinds), at most
 * `concurrency` at once. A failure stops only what depends on it; everything independent still converges.
 */
export async function applyPlan(plan: Plan, observed: Map<string, Observed>, ctx: DriverContext, options: ApplyOptions): Promise<ChangeResult[]> {
  const results = new Map<string, ChangeResult>();
  const forward = plan.changes.filter((c) => APPLIED.has(c.action));
  await runGraph(forward, observed, ctx, options, results);

  // Deletes: kinds in reverse plan order (roles before buckets …), resources of one kind together.
  const deletes = plan.changes.filter((c) => c.action === "delete");
  const kinds = [...new Set(deletes.map((c) => c.kind))].reverse();
  for (const kind of kinds) {
    await runGraph(deletes.filter((c) => c.kind === kind), observed, ctx, options, results);
  }
  return plan.changes.flatMap((c) => results.get(c.address) ?? []);
}

async function runGraph(changes: PlannedChange[], observed: Map<string, Observed>, ctx: DriverContext, options: ApplyOptions, results: Map<string, ChangeResult>): Promise<void> {
  const pending = new Map(changes.map((c) => [c.address, c]));
  const inPlan = new Set(pending.keys());
  const running = new Map<string, Promise<void>>();

  const blockers = (c: PlannedChange) => c.dependsOn.filter((d) => inPlan.has(d) && results.get(d)?.status !== "done");
  const failedDependency = (c: PlannedChange) => c.dependsOn.find((d) => results.has(d) && results.get(d)!.status !== "done");

  while (pending.size > 0 || running.size > 0) {
    for (const [address, change] of pending) {
      if (running.size >= options.concurrency) break;
      const failed = failedDependency(change);
      if (failed) {
        pending.delete(address);
        results.set(address, { address, action: change.action, status: "skipped", error: `skipped: ${failed} did not apply`, seconds: 0 });
        continue;
      }
      if (blockers(change).length > 0) continue;
      pending.delete(address);
      running.set(address, run(change, observed.get(address)!, ctx, options).then((result) => {
        results.set(address, result);
        running.delete(address);
      }));
    }
    if (running.size === 0) {
      // Nothing can start: what remains waits on something outside this batch that did not apply.
      for (const [address, change] of pending) {
        results.set(address, { address, action: change.action, status: "skipped", error: `skipped: waiting on ${blockers(change).join(", ")}`, seconds: 0 });
      }
      return;
    }
    await Promise.race(running.values());
  }
}

async function run(change: PlannedChange, entry: Observed, ctx: DriverContext, options: ApplyOptions): Promise<ChangeResult> {
  options.onEvent?.({ phase: "start", change });
  const started = performance.now();
  let result: ChangeResult;
  try {
    const { driver, desired, orphan, observation } = entry;
    const state = observation.exists ? observation.state : undefined;
    if (change.action === "create") await driver.create(desired!, ctx);
    else if (change.action === "update" || change.action === "adopt") await driver.update(desired!, state, change.changes, ctx, change.action === "adopt");
    else if (change.action === "delete") await driver.delete!(orphan!, state, ctx);
    result = { address: change.address, action: change.action, status: "done", seconds: (performance.now() - started) / 1000 };
  } catch (err) {
    result = { address: change.address, action: change.action, status: "failed", error: message(err), seconds: (performance.now() - started) / 1000 };
  }
  options.onEvent?.({ phase: "end", change, result });
  return result;
}
