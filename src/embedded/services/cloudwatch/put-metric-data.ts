import { writeTransaction } from "../../store/db.js";
import { invalidCombination, invalidParameter, invalidValue, missing } from "./errors.js";
import { list, member, optionalInteger, optionalStruct, optionalTime, requiredNumber, struct, type Input } from "./input.js";
import { dimensionsOf, metricNameOf, namespaceOf, unitOf, type MetricId } from "./metric.js";
import { insertDatapoint, touchMetric, type DatapointRow } from "./store.js";
import type { CloudWatchHandler } from "./handler.js";

/** PutMetricData: validates every datum as CloudWatch does, then stores them all or none. */

export const MAX_DATUMS = 1000;
const MAX_VALUES = 150;
const TWO_WEEKS = 14 * 24 * 3600;
const TWO_HOURS = 2 * 3600;
// CloudWatch accepts magnitudes from 2^-360 to 2^360 (and zero).
const LARGEST = 2 ** 360;
const SMALLEST = 2 ** -360;

export const PutMetricData: CloudWatchHandler = (input, ctx) => {
  const namespace = namespaceOf(input.Namespace, "Namespace", true);
  const datums = [
    ...list(input.MetricData, "MetricData").map((d, i) => ({ datum: d, at: member("MetricData", i) })),
    // Entity data (newer SDKs) carries metric data the same way; the entity itself is not kept.
    ...list(input.EntityMetricData, "EntityMetricData").flatMap((e, i) => {
      const at = member("EntityMetricData", i);
      return list(struct(e, at).MetricData, `${at}.MetricData`).map((d, j) => ({ datum: d, at: member(`${at}.MetricData`, j) }));
    }),
  ];
  if (datums.length === 0) throw missing("MetricData");
  if (datums.length > MAX_DATUMS) throw invalidValue(`The collection MetricData must not have a size greater than ${MAX_DATUMS}.`);
  const now = ctx.now().getTime() / 1000;
  const parsed = datums.map(({ datum, at }) => parseDatum(datum, at, namespace, now));
  writeTransaction(ctx.db, () => {
    for (const { metric, row } of parsed) insertDatapoint(ctx.db, touchMetric(ctx.db, metric, now), row);
  });
  return undefined;
};

function parseDatum(value: unknown, at: string, namespace: string, now: number): { metric: MetricId; row: DatapointRow } {
  const d = struct(value, at);
  const metric: MetricId = {
    Namespace: namespace,
    MetricName: metricNameOf(d.MetricName, `${at}.MetricName`),
    Dimensions: dimensionsOf(d.Dimensions, `${at}.Dimensions`),
  };
  const timestamp = optionalTime(d.Timestamp, `${at}.Timestamp`)?.getTime();
  const ts = timestamp === undefined ? now : timestamp / 1000;
  if (now - ts > TWO_WEEKS) throw invalidValue(`The parameter ${at}.Timestamp must specify a time within the past two weeks.`);
  if (ts - now > TWO_HOURS) throw invalidValue(`The parameter ${at}.Timestamp must specify a time no more than two hours in the future.`);
  const resolution = optionalInteger(d.StorageResolution, `${at}.StorageResolution`) ?? 60;
  if (resolution !== 1 && resolution !== 60) throw invalidParameter(`${at}.StorageResolution`, resolution);
  const unit = unitOf(d.Unit, `${at}.Unit`) ?? "None";
  const statistics = statisticsOf(d, at);
  // Standard-resolution data is kept per minute, high-resolution data per second, as CloudWatch stores them.
  return { metric, row: { ...statistics, ts: Math.floor(ts / resolution) * resolution, unit, storageResolution: resolution } };
}

type Statistics = Pick<DatapointRow, "sampleCount" | "sum" | "minimum" | "maximum" | "distribution">;

/** Exactly one of Value, Values (+ Counts) and StatisticValues. */
function statisticsOf(d: Input, at: string): Statistics {
  const given = (["Value", "Values", "StatisticValues"] as const).filter((k) => (k === "Values" ? list(d.Values, `${at}.Values`).length > 0 : d[k] !== undefined && d[k] !== null));
  if (given.length > 1) {
    throw invalidCombination(`The parameters ${at}.${given[0]} and ${at}.${given[1]} are mutually exclusive and you have specified both.`);
  }
  if (given.length === 0) {
    throw invalidCombination(`At least one of the parameters ${at}.Value, ${at}.StatisticValues or ${at}.Values must be specified.`);
  }
  if (given[0] === "Value") {
    const v = checkedValue(d.Value, `${at}.Value`);
    return { sampleCount: 1, sum: v, minimum: v, maximum: v, distribution: [[v, 1]] };
  }
  if (given[0] === "Values") return fromValues(d, at);
  return fromStatisticSet(d.StatisticValues, `${at}.StatisticValues`);
}

function checkedValue(value: unknown, parameter: string): number {
  const v = requiredNumber(value, parameter);
  const magnitude = Math.abs(v);
  if (magnitude > LARGEST || (magnitude !== 0 && magnitude < SMALLEST)) throw invalidParameter(parameter, value);
  return v;
}

function fromValues(d: Input, at: string): Statistics {
  const values = list(d.Values, `${at}.Values`);
  if (values.length > MAX_VALUES) throw invalidValue(`The collection ${at}.Values must not have a size greater than ${MAX_VALUES}.`);
  const counts = list(d.Counts, `${at}.Counts`);
  if (counts.length > 0 && counts.length !== values.length) {
    throw invalidValue(`The parameters ${at}.Values and ${at}.Counts must be of the same size.`);
  }
  const distribution: [number, number][] = [];
  for (const [i, raw] of values.entries()) {
    const v = checkedValue(raw, member(`${at}.Values`, i));
    const count = counts.length ? requiredNumber(counts[i], member(`${at}.Counts`, i)) : 1;
    if (count < 0) throw invalidParameter(member(`${at}.Counts`, i), counts[i]);
    if (count > 0) distribution.push([v, count]);
  }
  if (distribution.length === 0) throw invalidValue(`The parameter ${at}.Counts must count at least one value.`);
  let sampleCount = 0;
  let sum = 0;
  let minimum = Infinity;
  let maximum = -Infinity;
  for (const [v, count] of distribution) {
    sampleCount += count;
    sum += v * count;
    minimum = Math.min(minimum, v);
    maximum = Math.max(maximum, v);
  }
  return { sampleCount, sum, minimum, maximum, distribution };
}

function fromStatisticSet(value: unknown, at: string): Statistics {
  const s = optionalStruct(value, at) ?? {};
  const sampleCount = requiredNumber(s.SampleCount, `${at}.SampleCount`);
  const sum = checkedValue(s.Sum, `${at}.Sum`);
  const minimum = checkedValue(s.Minimum, `${at}.Minimum`);
  const maximum = checkedValue(s.Maximum, `${at}.Maximum`);
  if (!(sampleCount > 0)) throw invalidParameter(`${at}.SampleCount`, s.SampleCount);
  if (minimum > maximum) throw invalidValue(`The parameter ${at}.Minimum must be less than or equal to the parameter ${at}.Maximum.`);
  // A set of one sample, or of equal samples, still tells every value: percentiles remain available (as on CloudWatch).
  const distribution: [number, number][] | undefined = sampleCount === 1 || minimum === maximum ? [[minimum, sampleCount]] : undefined;
  return { sampleCount, sum, minimum, maximum, ...(distribution ? { distribution } : {}) };
}

