import { type CloudWatchClient, type Dimension, type MetricDatum, PutMetricDataCommand, type StandardUnit } from "@aws-sdk/client-cloudwatch";
import type { CycleFigures, RunFigure } from "./figures.js";

/**
 * Publishes one daemon cycle's figures to CloudWatch with PutMetricData. Every datum carries the dimension
 * `Lake`; the others are bounded (resource kinds, actions, statuses, and the names of crawlers, jobs and workgroups
 * that the configuration declares) — never object keys, SQL or error text.
 *
 * | Metric | Unit | Dimensions (besides Lake) |
 * |---|---|---|
 * | ReconcileSuccess, ReconcileFailure | Count (1 or 0 a cycle) | — |
 * | ReconcileDuration | Seconds | — |
 * | ReconcileFailures | Count | — (changes that failed + resources that could not be read) |
 * | Changes (apply mode) / PlannedChanges (observe mode) | Count | Kind, Action |
 * | Drift | Count | Kind |
 * | Resources | Count | Kind, Status |
 * | CrawlerRuns / JobRuns | Count | Crawler / Job, Status |
 * | CrawlerRunDuration / JobRunDuration | Seconds | Crawler / Job |
 * | QueryRuns | Count | Workgroup, State |
 * | QueryRunDuration | Seconds | Workgroup |
 * | QueryScannedBytes | Bytes | Workgroup |
 */

/** PutMetricData's limits: 1,000 datums and 1 MB a request; this stays below both with room for the envelope. */
export const MAX_DATUMS_PER_REQUEST = 1000;
export const MAX_REQUEST_BYTES = 1_000_000;
/** Values per datum (Values/Counts). */
const MAX_VALUES_PER_DATUM = 150;
/** CloudWatch's dimension values: 1 to 1,024 characters. */
const MAX_DIMENSION_VALUE = 1024;

export interface PublishResult {
  /** Datums accepted by CloudWatch. */
  sent: number;
  /** PutMetricData requests made. */
  requests: number;
}

/** A publish that failed part-way: what had been sent before, and the SDK's error as the cause. */
export class CloudWatchPublishError extends Error {
  constructor(
    message: string,
    readonly sent: number,
    readonly requests: number,
    options: { cause: unknown },
  ) {
    super(message, options);
    this.name = "CloudWatchPublishError";
  }
}

export async function publishCycle(client: CloudWatchClient, namespace: string, figures: CycleFigures): Promise<PublishResult> {
  const data = cycleMetricData(figures);
  let sent = 0;
  let requests = 0;
  for (const batch of batches(data, namespace)) {
    try {
      await client.send(new PutMetricDataCommand({ Namespace: namespace, MetricData: batch }));
    } catch (err) {
      const reason = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      throw new CloudWatchPublishError(`CloudWatch PutMetricData to namespace ${namespace} failed after ${sent} of ${data.length} datums: ${reason}`, sent, requests + 1, { cause: err });
    }
    requests++;
    sent += batch.length;
  }
  return { sent, requests };
}

/** The datums of one cycle, all stamped with the cycle's time. */
export function cycleMetricData(figures: CycleFigures): MetricDatum[] {
  const lake = dimension("Lake", figures.lake);
  const at = figures.timestamp;
  const datum = (MetricName: string, Unit: StandardUnit, value: number, dims: Dimension[] = []): MetricDatum => ({
    MetricName,
    Dimensions: [lake, ...dims],
    Timestamp: at,
    Unit,
    Value: value,
  });
  const success = figures.result === "success";
  const data: MetricDatum[] = [
    datum("ReconcileSuccess", "Count", success ? 1 : 0),
    datum("ReconcileFailure", "Count", success ? 0 : 1),
    datum("ReconcileDuration", "Seconds", figures.durationSeconds),
    datum("ReconcileFailures", "Count", figures.failures),
  ];
  // Observe mode applies nothing: what it found to do is a plan, kept apart from what was applied.
  const changes = figures.mode === "observe" ? "PlannedChanges" : "Changes";
  for (const c of figures.changes) data.push(datum(changes, "Count", c.count, [dimension("Kind", c.kind), dimension("Action", c.action)]));
  for (const d of figures.drift) data.push(datum("Drift", "Count", d.count, [dimension("Kind", d.kind)]));
  for (const r of figures.resources) data.push(datum("Resources", "Count", r.count, [dimension("Kind", r.kind), dimension("Status", r.status)]));
  data.push(...runMetricData(figures.runs, lake, at));
  return data;
}

const RUN_METRICS = {
  crawler: { runs: "CrawlerRuns", duration: "CrawlerRunDuration", name: "Crawler", status: "Status" },
  job: { runs: "JobRuns", duration: "JobRunDuration", name: "Job", status: "Status" },
  query: { runs: "QueryRuns", duration: "QueryRunDuration", name: "Workgroup", status: "State" },
} as const;

/** Runs counted per name and status; durations and scanned bytes as value distributions per name. */
function runMetricData(runs: RunFigure[], lake: Dimension, at: Date): MetricDatum[] {
  const counts = new Map<string, { run: RunFigure; count: number }>();
  const durations = new Map<string, { run: RunFigure; values: number[] }>();
  const scanned = new Map<string, number[]>();
  for (const run of runs) {
    const countKey = JSON.stringify([run.kind, run.name, run.status]);
    const counted = counts.get(countKey) ?? { run, count: 0 };
    counted.count++;
    counts.set(countKey, counted);
    const nameKey = JSON.stringify([run.kind, run.name]);
    if (run.durationSeconds !== undefined && Number.isFinite(run.durationSeconds)) {
      const entry = durations.get(nameKey) ?? { run, values: [] };
      entry.values.push(run.durationSeconds);
      durations.set(nameKey, entry);
    }
    if (run.kind === "query" && run.scannedBytes !== undefined && Number.isFinite(run.scannedBytes)) {
      scanned.set(run.name, [...(scanned.get(run.name) ?? []), run.scannedBytes]);
    }
  }
  const data: MetricDatum[] = [];
  for (const { run, count } of counts.values()) {
    const m = RUN_METRICS[run.kind];
    data.push({ MetricName: m.runs, Dimensions: [lake, dimension(m.name, run.name), dimension(m.status, run.status)], Timestamp: at, Unit: "Count", Value: count });
  }
  for (const { run, values } of durations.values()) {
    const m = RUN_METRICS[run.kind];
    data.push(...distribution(m.duration, "Seconds", [lake, dimension(m.name, run.name)], at, values));
  }
  for (const [workgroup, values] of scanned) {
    data.push(...distribution("QueryScannedBytes", "Bytes", [lake, dimension("Workgroup", workgroup)], at, values));
  }
  return data;
}

/** Values as Values/Counts datums (percentiles stay available), at most 150 distinct values a datum. */
function distribution(MetricName: string, Unit: StandardUnit, Dimensions: Dimension[], Timestamp: Date, values: number[]): MetricDatum[] {
  const counted = new Map<number, number>();
  for (const v of values) counted.set(v, (counted.get(v) ?? 0) + 1);
  const pairs = [...counted];
  const data: MetricDatum[] = [];
  for (let i = 0; i < pairs.length; i += MAX_VALUES_PER_DATUM) {
    const chunk = pairs.slice(i, i + MAX_VALUES_PER_DATUM);
    data.push({ MetricName, Dimensions, Timestamp, Unit, Values: chunk.map(([v]) => v), Counts: chunk.map(([, c]) => c) });
  }
  return data;
}

/** A dimension with a value CloudWatch accepts (1–1,024 characters). */
function dimension(Name: string, value: string): Dimension {
  const Value = value === "" ? "none" : value.length > MAX_DIMENSION_VALUE ? value.slice(0, MAX_DIMENSION_VALUE) : value;
  return { Name, Value };
}

/**
 * Splits datums into PutMetricData requests of at most 1,000 datums and under 1 MB, measured as the JSON the SDK
 * sends (uncompressed: the limit must hold whether or not the body is gzipped).
 */
export function batches(data: MetricDatum[], namespace: string): MetricDatum[][] {
  const envelope = JSON.stringify({ Namespace: namespace, MetricData: [] }).length;
  const out: MetricDatum[][] = [];
  let current: MetricDatum[] = [];
  let bytes = envelope;
  for (const datum of data) {
    const size = jsonSize(datum) + 1; // the comma
    if (current.length > 0 && (current.length >= MAX_DATUMS_PER_REQUEST || bytes + size > MAX_REQUEST_BYTES)) {
      out.push(current);
      current = [];
      bytes = envelope;
    }
    current.push(datum);
    bytes += size;
  }
  if (current.length > 0) out.push(current);
  return out;
}

/** Bytes of a datum as JSON on the wire (timestamps as epoch seconds, as awsJson sends them). */
function jsonSize(datum: MetricDatum): number {
  const text = JSON.stringify(datum, function (this: Record<string, unknown>, key: string, v: unknown) {
    const raw = this[key];
    return raw instanceof Date ? raw.getTime() / 1000 : v;
  });
  return Buffer.byteLength(text, "utf8");
}
