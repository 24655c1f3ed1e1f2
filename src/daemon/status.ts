import type { ReconcileResult } from "../engine/reconcile.js";
import { renderPlanJson } from "../engine/render.js";
import { resourceStates, type ResourceState } from "../metrics/figures.js";
import type { RunRecord } from "./runs.js";

export interface CycleRecord {
  reason: string;
  mode: "apply" | "observe";
  revision?: string;
  startedAt: string;
  endedAt: string;
  seconds: number;
  result: "success" | "failure";
  changes: number;
  drift: number;
  failures: number;
  error?: string;
}

export interface ConfigRejection {
  at: string;
  revision?: string;
  /** `FILE:LINE:COL: path: problem — expected`, as `lakewarden validate` prints them. */
  issues: string[];
}

/** What the daemon knows of itself: the body of /status and the answer of /readyz. */
export class DaemonState {
  readonly startedAt = new Date();
  phase: "starting" | "idle" | "reconciling" | "stopping" = "starting";
  mode: "apply" | "observe" = "apply";
  lake?: string;
  revision?: string;
  latestRevision?: string;
  lastCycle?: CycleRecord;
  lastSuccessAt?: Date;
  lastError?: { at: string; message: string };
  configRejected?: ConfigRejection;
  endpoints: Record<string, string> = {};
  private resources: ResourceState[] = [];
  private plan: unknown;

  constructor(
    readonly target: string,
    readonly source: string,
  ) {}

  cycleEnded(record: CycleRecord, result: ReconcileResult | undefined): void {
    this.lastCycle = record;
    if (record.result === "success") this.lastSuccessAt = new Date(record.endedAt);
    if (record.error) this.lastError = { at: record.endedAt, message: record.error };
    if (result) {
      this.resources = resourceStates(result);
      this.plan = JSON.parse(renderPlanJson(result.plan, result.results, result.runs));
    }
  }

  /** Ready: the last reconcile succeeded within two schedule intervals (plus the time the last one took). */
  ready(intervalSeconds: number | undefined, now = new Date()): { ready: boolean; reason: string } {
    if (this.phase === "stopping") return { ready: false, reason: "stopping" };
    if (!this.lastSuccessAt) return { ready: false, reason: this.lastCycle ? `no successful reconcile yet (last: ${this.lastCycle.result})` : "no reconcile yet" };
    const age = (now.getTime() - this.lastSuccessAt.getTime()) / 1000;
    const allowed = 2 * (intervalSeconds ?? 300) + (this.lastCycle?.seconds ?? 0);
    if (age > allowed) return { ready: false, reason: `last successful reconcile ${age.toFixed(0)}s ago (more than two intervals)` };
    return { ready: true, reason: `ok: last successful reconcile ${age.toFixed(0)}s ago` };
  }

  json(extra: { next: Record<string, string>; runs: { crawlers: Map<string, RunRecord>; jobs: Map<string, RunRecord>; queries: Map<string, RunRecord> } }): unknown {
    return {
      lake: this.lake,
      mode: this.mode,
      target: this.target,
      source: this.source,
      phase: this.phase,
      startedAt: this.startedAt.toISOString(),
      config: {
        revision: this.revision ?? null,
        latestRevision: this.latestRevision ?? null,
        ...(this.configRejected ? { rejected: this.configRejected } : {}),
      },
      endpoints: this.endpoints,
      lastReconcile: this.lastCycle ?? null,
      lastSuccessfulReconcile: this.lastSuccessAt?.toISOString() ?? null,
      lastError: this.lastError ?? null,
      resources: this.resources,
      plan: this.plan ?? null,
      runs: {
        crawlers: Object.fromEntries(extra.runs.crawlers),
        jobs: Object.fromEntries(extra.runs.jobs),
        queries: Object.fromEntries(extra.runs.queries),
      },
      next: extra.next,
    };
  }
}
