import type { ReconcileResult } from "../engine/reconcile.js";
import type { PlannedChange } from "../engine/types.js";

/**
 * What one daemon cycle produced, in bounded dimensions (kinds, statuses, resource names of the config — never
 * object keys, SQL or error text): the input of both the Prometheus registry and the CloudWatch publisher.
 */
export type ResourceStatus = "in_sync" | "drifted" | "missing" | "conflict" | "error";

export interface RunFigure {
  kind: "crawler" | "job" | "query";
  /** Crawler or job name; for queries, the workgroup. */
  name: string;
  /** Terminal or current state as the service reports it, lowercased: succeeded, failed, cancelled, running … */
  status: string;
  durationSeconds?: number;
  scannedBytes?: number;
}

export interface CycleFigures {
  lake: string;
  result: "success" | "failure";
  /** apply converges; observe only plans. */
  mode: "apply" | "observe";
  durationSeconds: number;
  /** Changes applied (apply) or planned (observe), by kind and action. */
  changes: { kind: string; action: string; count: number }[];
  /** Resources found drifted (exist, differ from the config), by kind. */
  drift: { kind: string; count: number }[];
  resources: { kind: string; status: ResourceStatus; count: number }[];
  /** Changes that failed to apply, plus resources that could not be read. */
  failures: number;
  runs: RunFigure[];
  timestamp: Date;
}

/** A declared resource and how the last cycle found (or left) it: /status and the lakewarden_resources gauge. */
export interface ResourceState {
  address: string;
  kind: string;
  name: string;
  status: ResourceStatus;
}

const OBSERVED_STATUS: Partial<Record<PlannedChange["action"], ResourceStatus>> = {
  noop: "in_sync",
  create: "missing",
  update: "drifted",
  adopt: "drifted",
  conflict: "conflict",
};

/**
 * The status of every declared resource after a cycle: as observed on a dry run (observe mode), as left by the
 * apply otherwise (an applied change is in sync, a failed one is an error, a skipped one stays as it was found).
 * Resources that could not be read are errors. Resources that left the configuration are not listed.
 */
export function resourceStates(result: ReconcileResult): ResourceState[] {
  const applied = new Map((result.results ?? []).map((r) => [r.address, r.status]));
  const states = new Map<string, ResourceState>();
  for (const change of result.plan.changes) {
    const observed = OBSERVED_STATUS[change.action];
    if (!observed) continue;
    const outcome = applied.get(change.address);
    const status: ResourceStatus = outcome === "done" ? "in_sync" : outcome === "failed" ? "error" : observed;
    states.set(change.address, { address: change.address, kind: change.kind, name: change.name, status });
  }
  for (const { address } of result.plan.errors) {
    const known = states.get(address);
    states.set(address, { address, kind: known?.kind ?? kindOf(address), name: known?.name ?? address, status: "error" });
  }
  return [...states.values()];
}

/** `bucket.raw` → bucket, `upload["raw:data/raw/"]` → upload. */
function kindOf(address: string): string {
  return /^[a-z_-]+/i.exec(address)?.[0] ?? "unknown";
}

export interface CycleInput {
  lake: string;
  mode: "apply" | "observe";
  /** Absent when the cycle failed before a plan existed (the target could not be reached …). */
  result?: ReconcileResult;
  durationSeconds: number;
  /** Runs that ended since the previous cycle's figures. */
  runs: RunFigure[];
  timestamp: Date;
}

/** Derives a cycle's figures from what reconcile returned (or from its absence when it threw). */
export function cycleFigures(input: CycleInput): CycleFigures {
  const { result } = input;
  const counts = <K extends string>(keys: K[][]): Map<string, { key: K[]; count: number }> => {
    const out = new Map<string, { key: K[]; count: number }>();
    for (const key of keys) {
      const id = key.join("\u0000");
      const entry = out.get(id) ?? { key, count: 0 };
      entry.count++;
      out.set(id, entry);
    }
    return out;
  };
  const changes = result ? madeChanges(result, input.mode) : [];
  const drifted = result ? result.plan.changes.filter((c) => c.action === "update") : [];
  const resources = result ? resourceStates(result) : [];
  return {
    lake: input.lake,
    result: result?.ok ? "success" : "failure",
    mode: input.mode,
    durationSeconds: input.durationSeconds,
    changes: [...counts(changes.map((c) => [c.kind, c.action])).values()].map(({ key, count }) => ({ kind: key[0]!, action: key[1]!, count })),
    drift: [...counts(drifted.map((c) => [c.kind])).values()].map(({ key, count }) => ({ kind: key[0]!, count })),
    resources: [...counts(resources.map((r) => [r.kind, r.status])).values()].map(({ key, count }) => ({ kind: key[0]!, status: key[1] as ResourceStatus, count })),
    failures: result ? (result.results ?? []).filter((r) => r.status === "failed").length + result.plan.errors.length : 1,
    runs: input.runs,
    timestamp: input.timestamp,
  };
}

const CHANGE_ACTIONS = new Set(["create", "update", "adopt", "delete"]);

/** Applied changes (apply mode), or the planned ones (observe mode: nothing is applied). */
function madeChanges(result: ReconcileResult, mode: "apply" | "observe"): { kind: string; action: string }[] {
  const planned = result.plan.changes.filter((c) => CHANGE_ACTIONS.has(c.action));
  if (mode === "observe") return planned;
  const done = new Set((result.results ?? []).filter((r) => r.status === "done").map((r) => r.address));
  return planned.filter((c) => done.has(c.address));
}

/** Figures of runs alone, no reconcile (the daemon's final publish at shutdown sends their run metrics only). */
export function runsOnlyFigures(lake: string, mode: "apply" | "observe", runs: RunFigure[], timestamp: Date): CycleFigures {
  return { lake, result: "success", mode, durationSeconds: 0, changes: [], drift: [], resources: [], failures: 0, runs, timestamp };
}
