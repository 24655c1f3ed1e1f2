import { aggregate, BASIC_STATISTICS, percentileOf, periodOf, statisticValue } from "./aggregate.js";
import type { ServiceContext } from "../../service.js";
import { invalidCombination, invalidNextToken, invalidParameter, invalidValue, missing } from "./errors.js";
import type { CloudWatchHandler } from "./handler.js";
import { list, member, optionalBoolean, optionalInteger, optionalString, requiredString, struct, type Input } from "./input.js";
import { metricOf, unitOf, type MetricId } from "./metric.js";
import { decodeToken, encodeToken } from "./paging.js";
import { findMetricId } from "./store.js";
import { timeRangeOf } from "./time-range.js";

/**
 * GetMetricData for MetricStat queries: each series aggregated per its period, newest first unless ScanBy says
 * otherwise, paged by MaxDatapoints across all the queries. Metric math (Expression) is not supported.
 */

const MAX_QUERIES = 500;
const DEFAULT_MAX_DATAPOINTS = 100_800;
const ID = /^[a-z][a-zA-Z0-9_]*$/;

interface StatQuery {
  id: string;
  label: string;
  metric: MetricId;
  period: number;
  stat: string;
  unit?: string;
  returnData: boolean;
}

interface Series {
  query: StatQuery;
  timestamps: Date[];
  values: number[];
}

/** Where the next page starts: the query (index among those returned) and the datapoint within its series. */
interface Position {
  q: number;
  o: number;
}
const isPosition = (v: unknown): v is Position => {
  const p = v as Position;
  return typeof v === "object" && v !== null && Number.isInteger(p.q) && Number.isInteger(p.o) && p.q >= 0 && p.o >= 0;
};

export const GetMetricData: CloudWatchHandler = (input, ctx) => {
  const items = list(input.MetricDataQueries, "MetricDataQueries");
  if (items.length === 0) throw missing("MetricDataQueries");
  if (items.length > MAX_QUERIES) throw invalidValue(`The collection MetricDataQueries must not have a size greater than ${MAX_QUERIES}.`);
  const queries = items.map((item, i) => queryOf(item, member("MetricDataQueries", i)));
  const ids = new Set<string>();
  for (const [i, q] of queries.entries()) {
    if (ids.has(q.id)) throw invalidValue(`The value ${q.id} for parameter ${member("MetricDataQueries", i)}.Id is not unique.`);
    ids.add(q.id);
  }
  const scanBy = optionalString(input.ScanBy, "ScanBy") ?? "TimestampDescending";
  if (scanBy !== "TimestampDescending" && scanBy !== "TimestampAscending") throw invalidParameter("ScanBy", scanBy);
  const maxDatapoints = optionalInteger(input.MaxDatapoints, "MaxDatapoints") ?? DEFAULT_MAX_DATAPOINTS;
  if (maxDatapoints < 1) throw invalidParameter("MaxDatapoints", input.MaxDatapoints);
  const returned = queries.filter((q) => q.returnData);
  const from = decodeToken(input.NextToken, isPosition) ?? { q: 0, o: 0 };
  if (from.q > returned.length) throw invalidNextToken();

  const series = returned.map((query) => seriesOf(query, input, ctx, scanBy === "TimestampAscending"));
  let budget = maxDatapoints;
  let next: Position | undefined;
  const MetricDataResults = series.map((s, k) => {
    const offset = k === from.q ? from.o : 0;
    const done = k < from.q;
    const take = done || next ? 0 : Math.min(budget, Math.max(s.values.length - offset, 0));
    budget -= take;
    const complete = done || (!next && offset + take >= s.values.length);
    if (!complete && !next) next = { q: k, o: offset + take };
    return {
      Id: s.query.id,
      Label: s.query.label,
      Timestamps: s.timestamps.slice(offset, offset + take),
      Values: s.values.slice(offset, offset + take),
      StatusCode: complete ? "Complete" : "PartialData",
      Messages: [],
    };
  });
  return { MetricDataResults, ...(next ? { NextToken: encodeToken(next) } : {}), Messages: [] };
};

function queryOf(value: unknown, at: string): StatQuery {
  const q = struct(value, at);
  const id = requiredString(q.Id, `${at}.Id`);
  if (id.length > 255 || !ID.test(id)) throw invalidParameter(`${at}.Id`, id);
  const hasExpression = q.Expression !== undefined && q.Expression !== null;
  const hasStat = q.MetricStat !== undefined && q.MetricStat !== null;
  if (hasExpression && hasStat) throw invalidCombination(`The parameters ${at}.MetricStat and ${at}.Expression are mutually exclusive and you have specified both.`);
  if (hasExpression) throw invalidValue(`${at}.Expression: metric math expressions are not supported by the embedded CloudWatch; use MetricStat queries.`);
  if (!hasStat) throw invalidCombination(`At least one of the parameters ${at}.MetricStat or ${at}.Expression must be specified.`);
  const statAt = `${at}.MetricStat`;
  const ms = struct(q.MetricStat, statAt);
  if (ms.Metric === undefined || ms.Metric === null) throw missing(`${statAt}.Metric`);
  const metric = metricOf(ms.Metric, `${statAt}.Metric`);
  const stat = requiredString(ms.Stat, `${statAt}.Stat`);
  if (!BASIC_STATISTICS.has(stat) && percentileOf(stat) === undefined) {
    throw invalidValue(`The value ${stat} for parameter ${statAt}.Stat is invalid: the embedded CloudWatch supports SampleCount, Average, Sum, Minimum, Maximum and pNN.NN.`);
  }
  const unit = unitOf(ms.Unit, `${statAt}.Unit`);
  return {
    id,
    label: optionalString(q.Label, `${at}.Label`) ?? metric.MetricName,
    metric,
    period: periodOf(ms.Period, `${statAt}.Period`),
    stat,
    ...(unit ? { unit } : {}),
    returnData: optionalBoolean(q.ReturnData, `${at}.ReturnData`) ?? true,
  };
}

function seriesOf(query: StatQuery, input: Input, ctx: ServiceContext, ascending: boolean): Series {
  const { start, end } = timeRangeOf(input, query.period, ctx);
  const metricId = findMetricId(ctx.db, query.metric);
  const percentile = percentileOf(query.stat);
  const buckets =
    metricId === undefined
      ? []
      : aggregate(ctx.db, { metricId, start, end, period: query.period, ...(query.unit ? { unit: query.unit } : {}), byUnit: false, percentiles: percentile === undefined ? [] : [percentile] });
  const timestamps: Date[] = [];
  const values: number[] = [];
  for (const bucket of ascending ? buckets : buckets.reverse()) {
    const value = statisticValue(bucket, query.stat);
    if (value === undefined) continue; // a percentile this period's data cannot give
    timestamps.push(new Date(bucket.ts * 1000));
    values.push(value);
  }
  return { query, timestamps, values };
}
