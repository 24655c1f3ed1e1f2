import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { CallRecord } from "../aws/instrument.js";
import type { CycleFigures, ResourceStatus, RunFigure } from "./figures.js";

const STATUSES: ResourceStatus[] = ["in_sync", "drifted", "missing", "conflict", "error"];

/**
 * The daemon's Prometheus metrics (prom-client, with the default process metrics). Every label is bounded: kinds,
 * statuses, service operations, and the names of resources the configuration declares — never object keys, SQL or
 * error text.
 */
export class LakeMetrics {
  readonly registry = new Registry();
  private readonly reconciles = this.counter("lakewarden_reconcile_total", "Reconcile cycles, by result.", ["result"]);
  private readonly reconcileSeconds = new Histogram({
    name: "lakewarden_reconcile_duration_seconds",
    help: "Duration of a reconcile cycle (observe, plan, apply).",
    buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600],
    registers: [this.registry],
  });
  private readonly lastSuccess = this.gauge("lakewarden_last_successful_reconcile_timestamp_seconds", "When the last successful reconcile ended (Unix time).", []);
  private readonly resources = this.gauge("lakewarden_resources", "Declared resources by kind and status after the last cycle.", ["kind", "status"]);
  private readonly changes = this.counter("lakewarden_changes_total", "Changes applied, by resource kind and action.", ["kind", "action"]);
  private readonly drift = this.counter("lakewarden_drift_detected_total", "Resources found differing from the configuration, by kind (counted at each cycle that finds them).", ["kind"]);
  private readonly awsRequests = this.counter("lakewarden_aws_requests_total", "AWS API calls, by service, operation and outcome.", ["service", "operation", "outcome"]);
  private readonly awsSeconds = new Histogram({
    name: "lakewarden_aws_request_duration_seconds",
    help: "Duration of AWS API calls, retries included.",
    labelNames: ["service"],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  private readonly crawlerRuns = this.counter("lakewarden_crawler_runs_total", "Crawler runs that ended, by crawler and status.", ["crawler", "status"]);
  private readonly crawlerSeconds = this.gauge("lakewarden_crawler_last_run_duration_seconds", "Duration of the last crawl of each crawler.", ["crawler"]);
  private readonly partitions = this.gauge("lakewarden_table_partitions", "Partitions of each table of the lake's databases.", ["database", "table"]);
  private readonly jobRuns = this.counter("lakewarden_job_runs_total", "Job runs that ended, by job and status.", ["job", "status"]);
  private readonly queryRuns = this.counter("lakewarden_query_runs_total", "Athena queries the daemon ran, by workgroup and final state.", ["workgroup", "state"]);
  private readonly scanned = this.counter("lakewarden_query_scanned_bytes_total", "Bytes scanned by the Athena queries the daemon ran.", ["workgroup"]);
  private readonly reloads = this.counter("lakewarden_config_reloads_total", "Configuration reads, by result (failure: invalid, the last valid one stays in use).", ["result"]);
  private readonly configInfo = this.gauge("lakewarden_config_info", "The revision of the configuration in use (value 1).", ["revision"]);
  private readonly cloudwatchFailures = this.counter("lakewarden_cloudwatch_publish_failures_total", "CloudWatch PutMetricData publishes that failed.", []);
  private readonly kinds = new Set<string>();
  private readonly partitionTables = new Map<string, Set<string>>();

  constructor() {
    // The event-loop lag sampler wakes the process at this period: 1 s keeps an idle daemon idle (the default 10 ms
    // costs about 1 % of a core).
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 1000 });
    // Series that must exist from the start, so that rate() and alerts see them before the first event.
    for (const result of ["success", "failure"]) {
      this.reconciles.inc({ result }, 0);
      this.reloads.inc({ result }, 0);
    }
    this.cloudwatchFailures.inc(0);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  cycle(figures: CycleFigures): void {
    this.reconciles.inc({ result: figures.result });
    this.reconcileSeconds.observe(figures.durationSeconds);
    if (figures.result === "success") this.lastSuccess.set(figures.timestamp.getTime() / 1000);
    if (figures.mode === "apply") for (const c of figures.changes) this.changes.inc({ kind: c.kind, action: c.action }, c.count);
    for (const d of figures.drift) this.drift.inc({ kind: d.kind }, d.count);
    // A cycle that never got a plan leaves the last known resource figures in place.
    if (figures.resources.length === 0 && figures.result === "failure") return;
    for (const r of figures.resources) this.kinds.add(r.kind);
    for (const kind of this.kinds) {
      for (const status of STATUSES) {
        const count = figures.resources.find((r) => r.kind === kind && r.status === status)?.count ?? 0;
        this.resources.set({ kind, status }, count);
      }
    }
  }

  awsCall(call: CallRecord): void {
    this.awsRequests.inc({ service: call.service, operation: call.operation, outcome: call.outcome });
    this.awsSeconds.observe({ service: call.service }, call.seconds);
  }

  run(run: RunFigure): void {
    if (run.kind === "crawler") {
      this.crawlerRuns.inc({ crawler: run.name, status: run.status });
      if (run.durationSeconds !== undefined) this.crawlerSeconds.set({ crawler: run.name }, run.durationSeconds);
    } else if (run.kind === "job") {
      this.jobRuns.inc({ job: run.name, status: run.status });
    } else {
      this.queryRuns.inc({ workgroup: run.name, state: run.status });
      if (run.scannedBytes) this.scanned.inc({ workgroup: run.name }, run.scannedBytes);
    }
  }

  /** Replaces the partition counts of one database's tables (a table that disappeared loses its series). */
  tablePartitions(database: string, tables: { table: string; partitions: number }[]): void {
    const previous = this.partitionTables.get(database) ?? new Set();
    const current = new Set(tables.map((t) => t.table));
    for (const table of previous) if (!current.has(table)) this.partitions.remove({ database, table });
    for (const t of tables) this.partitions.set({ database, table: t.table }, t.partitions);
    this.partitionTables.set(database, current);
  }

  configReload(result: "success" | "failure"): void {
    this.reloads.inc({ result });
  }

  configRevision(revision: string): void {
    this.configInfo.reset();
    this.configInfo.set({ revision }, 1);
  }

  cloudwatchFailure(): void {
    this.cloudwatchFailures.inc();
  }

  private counter<L extends string>(name: string, help: string, labelNames: L[]): Counter<L> {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  private gauge<L extends string>(name: string, help: string, labelNames: L[]): Gauge<L> {
    return new Gauge({ name, help, labelNames, registers: [this.registry] });
  }
}
