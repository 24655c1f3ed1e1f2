import type Database from "better-sqlite3";
import { invalidParameter, invalidValue, missing } from "./errors.js";
import { optionalInteger } from "./input.js";
import { sql } from "../../store/db.js";

/** Aggregating stored datapoints into periods at read time: GetMetricStatistics and GetMetricData share this. */

export type BasicStatistic = "SampleCount" | "Average" | "Sum" | "Minimum" | "Maximum";
export const BASIC_STATISTICS = new Set<string>(["SampleCount", "Average", "Sum", "Minimum", "Maximum"]);
const PERCENTILE = /^p(100|\d{1,2}(\.\d{1,2})?)$/;

/** `p90` → 90; undefined for anything that is not a percentile statistic. */
export function percentileOf(stat: string): number | undefined {
  return PERCENTILE.test(stat) ? Number(stat.slice(1)) : undefined;
}

/** Period: 1, 5, 10, 20, 30 (high-resolution data) or a multiple of 60 seconds. */
export function periodOf(value: unknown, parameter: string): number {
  const period = optionalInteger(value, parameter);
  if (period === undefined) throw missing(parameter);
  if (period < 1) throw invalidParameter(parameter, value);
  if (period < 60 ? ![1, 5, 10, 20, 30].includes(period) : period % 60 !== 0) {
    throw invalidValue(`The parameter ${parameter} must be 1, 5, 10, 20, 30, or a multiple of 60.`);
  }
  return period;
}

/**
 * The first period's start, as CloudWatch rounds StartTime: to the period for sub-minute periods, otherwise by the
 * start's age — to the minute within 15 days, to 5 minutes within 63 days, to the hour beyond.
 */
export function alignedStart(start: Date, period: number, now: Date): number {
  const seconds = Math.floor(start.getTime() / 1000);
  if (period < 60) return seconds - (((seconds % period) + period) % period);
  const ageDays = (now.getTime() - start.getTime()) / 86_400_000;
  const step = ageDays < 15 ? 60 : ageDays < 63 ? 300 : 3600;
  return seconds - (((seconds % step) + step) % step);
}

export interface Bucket {
  /** Start of the period, epoch seconds. */
  ts: number;
  /** The unit the data was published with; when the query does not group by unit, the first one seen. */
  unit: string;
  SampleCount: number;
  Sum: number;
  Minimum: number;
  Maximum: number;
  Average: number;
  /** Percentile → value; a percentile CloudWatch cannot compute for this period (statistic sets, negative values) is absent. */
  percentiles: Map<number, number>;
}

export interface AggregateQuery {
  metricId: number;
  start: number;
  /** Exclusive. */
  end: number;
  period: number;
  /** Only data published with this unit. */
  unit?: string;
  /** One bucket per unit and period (GetMetricStatistics without Unit) rather than per period. */
  byUnit: boolean;
  percentiles: number[];
}

interface SumRow {
  bucket: number;
  unit: string;
  n: number;
  s: number;
  lo: number;
  hi: number;
}

/** The periods that hold data, in ascending time. */
export function aggregate(db: Database.Database, q: AggregateQuery): Bucket[] {
  const unitFilter = q.unit === undefined ? "" : "AND unit = @unit";
  const groupBy = q.byUnit ? "bucket, unit" : "bucket";
  const rows = sql(
    db,
    `SELECT CAST((ts - @start) / @period AS INTEGER) AS bucket, MIN(unit) AS unit, SUM(sample_count) AS n, SUM(sum) AS s, MIN(minimum) AS lo, MAX(maximum) AS hi
     FROM cw_datapoints WHERE metric_id = @metric AND ts >= @start AND ts < @end ${unitFilter}
     GROUP BY ${groupBy} ORDER BY bucket, unit`,
  ).all(params(q)) as SumRow[];
  const buckets = rows.map(
    (r): Bucket => ({ ts: q.start + r.bucket * q.period, unit: r.unit, SampleCount: r.n, Sum: r.s, Minimum: r.lo, Maximum: r.hi, Average: r.s / r.n, percentiles: new Map() }),
  );
  if (q.percentiles.length > 0) addPercentiles(db, q, buckets);
  return buckets;
}

const params = (q: AggregateQuery) => ({ metric: q.metricId, start: q.start, end: q.end, period: q.period, ...(q.unit === undefined ? {} : { unit: q.unit }) });

function addPercentiles(db: Database.Database, q: AggregateQuery, buckets: Bucket[]): void {
  const unitFilter = q.unit === undefined ? "" : "AND unit = @unit";
  const rows = sql(
    db,
    `SELECT CAST((ts - @start) / @period AS INTEGER) AS bucket, unit, distribution, minimum FROM cw_datapoints
     WHERE metric_id = @metric AND ts >= @start AND ts < @end ${unitFilter}`,
  ).all(params(q)) as { bucket: number; unit: string; distribution: string | null; minimum: number }[];
  const keyOf = (bucket: number, unit: string) => (q.byUnit ? `${bucket}\u0000${unit}` : String(bucket));
  // Per bucket: the pooled [value, count] pairs, or null once a period holds data percentiles cannot use.
  const pooled = new Map<string, [number, number][] | null>();
  for (const row of rows) {
    const key = keyOf(row.bucket, row.unit);
    const sofar = pooled.get(key);
    if (sofar === null) continue;
    if (row.distribution === null || row.minimum < 0) pooled.set(key, null);
    else if (sofar) sofar.push(...(JSON.parse(row.distribution) as [number, number][]));
    else pooled.set(key, JSON.parse(row.distribution) as [number, number][]);
  }
  for (const bucket of buckets) {
    const values = pooled.get(keyOf((bucket.ts - q.start) / q.period, bucket.unit));
    if (!values) continue;
    values.sort((a, b) => a[0] - b[0]);
    for (const p of q.percentiles) bucket.percentiles.set(p, nearestRank(values, p));
  }
}

/** The smallest value with at least p % of the samples at or below it. */
export function nearestRank(sorted: [number, number][], p: number): number {
  const total = sorted.reduce((sum, [, count]) => sum + count, 0);
  const rank = Math.max(Math.ceil((p / 100) * total), 1);
  let seen = 0;
  for (const [value, count] of sorted) {
    seen += count;
    if (seen >= rank) return value;
  }
  return sorted[sorted.length - 1]![0];
}

export function statisticValue(bucket: Bucket, stat: string): number | undefined {
  if (BASIC_STATISTICS.has(stat)) return bucket[stat as BasicStatistic];
  const p = percentileOf(stat);
  return p === undefined ? undefined : bucket.percentiles.get(p);
}
