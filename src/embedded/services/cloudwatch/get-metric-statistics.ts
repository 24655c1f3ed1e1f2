import { aggregate, BASIC_STATISTICS, percentileOf, periodOf, type BasicStatistic } from "./aggregate.js";
import { invalidCombination, invalidParameter, invalidValue } from "./errors.js";
import type { CloudWatchHandler } from "./handler.js";
import { list, member, optionalString } from "./input.js";
import { dimensionsOf, metricNameOf, namespaceOf, unitOf } from "./metric.js";
import { findMetricId } from "./store.js";
import { timeRangeOf } from "./time-range.js";

/** GetMetricStatistics: one metric (exact dimension set), aggregated per period; at most 1,440 periods. */

const MAX_DATAPOINTS = 1440;

export const GetMetricStatistics: CloudWatchHandler = (input, ctx) => {
  const metric = {
    Namespace: namespaceOf(input.Namespace, "Namespace", false),
    MetricName: metricNameOf(input.MetricName, "MetricName"),
    Dimensions: dimensionsOf(input.Dimensions, "Dimensions"),
  };
  const period = periodOf(input.Period, "Period");
  const { start, end } = timeRangeOf(input, period, ctx);
  const statistics = statisticsOf(input.Statistics);
  const extended = extendedStatisticsOf(input.ExtendedStatistics);
  if ((statistics.length === 0) === (extended.length === 0)) throw invalidCombination("Must specify either Statistics or ExtendedStatistics, but not both.");
  const unit = unitOf(input.Unit, "Unit");
  const requested = Math.ceil((end - start) / period);
  if (requested > MAX_DATAPOINTS) {
    throw invalidCombination(
      `You have requested up to ${requested.toLocaleString("en-US")} datapoints, which exceeds the limit of 1,440. You may reduce the datapoints requested by increasing Period, or decreasing the time range.`,
    );
  }

  const metricId = findMetricId(ctx.db, metric);
  const buckets =
    metricId === undefined
      ? []
      : aggregate(ctx.db, { metricId, start, end, period, ...(unit ? { unit } : {}), byUnit: true, percentiles: extended.map((e) => e.p) });
  const Datapoints = buckets.map((b) => {
    const datapoint: Record<string, unknown> = { Timestamp: new Date(b.ts * 1000) };
    for (const s of statistics) datapoint[s] = b[s];
    datapoint.Unit = b.unit;
    const values = Object.fromEntries(extended.filter((e) => b.percentiles.has(e.p)).map((e) => [e.name, b.percentiles.get(e.p)!]));
    if (Object.keys(values).length > 0) datapoint.ExtendedStatistics = values;
    return datapoint;
  });
  return { Label: metric.MetricName, Datapoints };
};

function statisticsOf(value: unknown): BasicStatistic[] {
  const items = list(value, "Statistics");
  if (items.length > 5) throw invalidValue("The collection Statistics must not have a size greater than 5.");
  return items.map((item, i) => {
    const name = optionalString(item, member("Statistics", i));
    if (name === undefined || !BASIC_STATISTICS.has(name)) throw invalidParameter(member("Statistics", i), item);
    return name as BasicStatistic;
  });
}

function extendedStatisticsOf(value: unknown): { name: string; p: number }[] {
  const items = list(value, "ExtendedStatistics");
  if (items.length > 10) throw invalidValue("The collection ExtendedStatistics must not have a size greater than 10.");
  return items.map((item, i) => {
    const name = optionalString(item, member("ExtendedStatistics", i));
    const p = name === undefined ? undefined : percentileOf(name);
    if (name === undefined || p === undefined) throw invalidParameter(member("ExtendedStatistics", i), item);
    return { name, p };
  });
}
