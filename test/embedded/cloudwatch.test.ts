import {
  CloudWatchClient,
  GetMetricDataCommand,
  GetMetricStatisticsCommand,
  ListMetricsCommand,
  type MetricDatum,
  paginateGetMetricData,
  paginateListMetrics,
  PutMetricDataCommand,
} from "@aws-sdk/client-cloudwatch";
import { afterAll, describe, expect, it } from "vitest";
import { createCloudWatchService } from "../../src/embedded/services/cloudwatch/index.js";
import { embeddedStack, TEST_CREDENTIALS } from "../helpers/embedded-stack.js";

// The embedded CloudWatch, reached by the real CloudWatchClient in-process (awsJson 1.0, query-compatible).
const stack = embeddedStack([createCloudWatchService()]);
const cw = new CloudWatchClient({ region: "us-east-1", credentials: TEST_CREDENTIALS, requestHandler: stack.handler });

afterAll(() => {
  cw.destroy();
  stack.close();
});

// An hour boundary two hours ago: every timestamp below is in the past and within the two weeks CloudWatch accepts.
const BASE = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 2 * 3_600_000;
const at = (seconds: number) => new Date(BASE + seconds * 1000);

const put = (Namespace: string, MetricData: MetricDatum[]) => cw.send(new PutMetricDataCommand({ Namespace, MetricData }));

describe("PutMetricData and GetMetricStatistics", () => {
  it("aggregates raw values per period: count, sum, minimum, maximum, average and a percentile", async () => {
    const dims = [{ Name: "Lake", Value: "ecomm" }];
    await put("Test/Stats", [
      // 1..10 in the first minute (10 values, given as Values with Counts 1 and as single Values)
      { MetricName: "Latency", Dimensions: dims, Timestamp: at(5), Values: [1, 2, 3, 4, 5], Counts: [1, 1, 1, 1, 1], Unit: "Seconds" },
      ...[6, 7, 8, 9, 10].map((v): MetricDatum => ({ MetricName: "Latency", Dimensions: dims, Timestamp: at(10 + v), Value: v, Unit: "Seconds" })),
      // 20 in the second minute
      { MetricName: "Latency", Dimensions: dims, Timestamp: at(70), Value: 20, Unit: "Seconds" },
    ]);
    const perMinute = await cw.send(
      new GetMetricStatisticsCommand({
        Namespace: "Test/Stats",
        MetricName: "Latency",
        Dimensions: dims,
        StartTime: at(0),
        EndTime: at(300),
        Period: 60,
        Statistics: ["SampleCount", "Sum", "Minimum", "Maximum", "Average"],
      }),
    );
    expect(perMinute.Label).toBe("Latency");
    const sorted = [...perMinute.Datapoints!].sort((a, b) => a.Timestamp!.getTime() - b.Timestamp!.getTime());
    expect(sorted).toEqual([
      { Timestamp: at(0), SampleCount: 10, Sum: 55, Minimum: 1, Maximum: 10, Average: 5.5, Unit: "Seconds" },
      { Timestamp: at(60), SampleCount: 1, Sum: 20, Minimum: 20, Maximum: 20, Average: 20, Unit: "Seconds" },
    ]);

    const fiveMinutes = await cw.send(
      new GetMetricStatisticsCommand({ Namespace: "Test/Stats", MetricName: "Latency", Dimensions: dims, StartTime: at(0), EndTime: at(300), Period: 300, ExtendedStatistics: ["p90", "p50", "p100"] }),
    );
    // 11 samples: p90 is the 10th smallest (10), p50 the 6th (6), p100 the largest.
    expect(fiveMinutes.Datapoints).toEqual([{ Timestamp: at(0), Unit: "Seconds", ExtendedStatistics: { p90: 10, p50: 6, p100: 20 } }]);
  });

  it("weighs Values by Counts, and takes statistic sets as given (no percentiles from a set of distinct samples)", async () => {
    await put("Test/Sets", [
      { MetricName: "Size", Timestamp: at(0), Values: [100, 200], Counts: [3, 1], Unit: "Bytes" },
      { MetricName: "Size", Timestamp: at(30), StatisticValues: { SampleCount: 4, Sum: 1000, Minimum: 50, Maximum: 500 }, Unit: "Bytes" },
    ]);
    const stats = await cw.send(
      new GetMetricStatisticsCommand({ Namespace: "Test/Sets", MetricName: "Size", StartTime: at(0), EndTime: at(60), Period: 60, Statistics: ["SampleCount", "Sum", "Minimum", "Maximum", "Average"] }),
    );
    expect(stats.Datapoints).toEqual([{ Timestamp: at(0), SampleCount: 8, Sum: 1500, Minimum: 50, Maximum: 500, Average: 187.5, Unit: "Bytes" }]);
    const percentile = await cw.send(new GetMetricStatisticsCommand({ Namespace: "Test/Sets", MetricName: "Size", StartTime: at(0), EndTime: at(60), Period: 60, ExtendedStatistics: ["p50"] }));
    expect(percentile.Datapoints).toEqual([{ Timestamp: at(0), Unit: "Bytes" }]);
  });

  it("keeps units apart unless one is asked for, matches the dimension set exactly, and excludes EndTime", async () => {
    await put("Test/Units", [
      { MetricName: "Work", Dimensions: [{ Name: "A", Value: "1" }, { Name: "B", Value: "2" }], Timestamp: at(0), Value: 4, Unit: "Count" },
      { MetricName: "Work", Dimensions: [{ Name: "B", Value: "2" }, { Name: "A", Value: "1" }], Timestamp: at(1), Value: 3, Unit: "Seconds" },
      { MetricName: "Work", Dimensions: [{ Name: "A", Value: "1" }], Timestamp: at(2), Value: 100, Unit: "Count" },
      { MetricName: "Work", Dimensions: [{ Name: "A", Value: "1" }, { Name: "B", Value: "2" }], Timestamp: at(60), Value: 1000, Unit: "Count" },
    ]);
    const query = { Namespace: "Test/Units", MetricName: "Work", Dimensions: [{ Name: "A", Value: "1" }, { Name: "B", Value: "2" }], StartTime: at(0), EndTime: at(60), Period: 60, Statistics: ["Sum" as const] };
    const all = await cw.send(new GetMetricStatisticsCommand(query));
    expect(all.Datapoints!.map((d) => [d.Unit, d.Sum]).sort()).toEqual([
      ["Count", 4],
      ["Seconds", 3],
    ]);
    const counts = await cw.send(new GetMetricStatisticsCommand({ ...query, Unit: "Count" }));
    expect(counts.Datapoints).toEqual([{ Timestamp: at(0), Sum: 4, Unit: "Count" }]);
    const none = await cw.send(new GetMetricStatisticsCommand({ ...query, Unit: "Percent" }));
    expect(none.Datapoints).toEqual([]);
  });

  it("stores standard-resolution data per minute and high-resolution data per second", async () => {
    await put("Test/Resolution", [
      { MetricName: "Hi", Timestamp: at(1), Value: 1, StorageResolution: 1 },
      { MetricName: "Hi", Timestamp: at(12), Value: 2, StorageResolution: 1 },
      { MetricName: "Lo", Timestamp: at(1), Value: 1 },
      { MetricName: "Lo", Timestamp: at(12), Value: 2 },
    ]);
    const tenSeconds = (MetricName: string) =>
      cw.send(new GetMetricStatisticsCommand({ Namespace: "Test/Resolution", MetricName, StartTime: at(0), EndTime: at(60), Period: 10, Statistics: ["Sum"] }));
    const hi = (await tenSeconds("Hi")).Datapoints!.map((d) => [d.Timestamp!.getTime() - BASE, d.Sum]);
    expect(hi).toEqual([
      [0, 1],
      [10_000, 2],
    ]);
    expect((await tenSeconds("Lo")).Datapoints!.map((d) => [d.Timestamp!.getTime() - BASE, d.Sum])).toEqual([[0, 3]]);
  });

  it("answers an empty list for a metric that never received data", async () => {
    const out = await cw.send(new GetMetricStatisticsCommand({ Namespace: "Test/None", MetricName: "Nothing", StartTime: at(0), EndTime: at(60), Period: 60, Statistics: ["Sum"] }));
    expect(out).toMatchObject({ Label: "Nothing", Datapoints: [] });
  });
});

describe("ListMetrics", () => {
  it("filters by namespace, name and dimensions (a metric may have more dimensions than the filter)", async () => {
    await put("Test/List", [
      { MetricName: "Runs", Dimensions: [{ Name: "Lake", Value: "ecomm" }, { Name: "Crawler", Value: "raw" }], Value: 1 },
      { MetricName: "Runs", Dimensions: [{ Name: "Lake", Value: "ecomm" }, { Name: "Crawler", Value: "processed" }], Value: 1 },
      { MetricName: "Runs", Dimensions: [{ Name: "Lake", Value: "other" }], Value: 1 },
      { MetricName: "Fails", Dimensions: [{ Name: "Lake", Value: "ecomm" }], Value: 0 },
    ]);
    const names = (metrics: { MetricName?: string; Dimensions?: { Name?: string; Value?: string }[] }[] | undefined) =>
      (metrics ?? []).map((m) => `${m.MetricName} ${(m.Dimensions ?? []).map((d) => `${d.Name}=${d.Value}`).join(",")}`).sort();

    expect(names((await cw.send(new ListMetricsCommand({ Namespace: "Test/List" }))).Metrics)).toEqual([
      "Fails Lake=ecomm",
      "Runs Crawler=processed,Lake=ecomm",
      "Runs Crawler=raw,Lake=ecomm",
      "Runs Lake=other",
    ]);
    expect(names((await cw.send(new ListMetricsCommand({ Namespace: "Test/List", MetricName: "Runs", Dimensions: [{ Name: "Lake", Value: "ecomm" }] }))).Metrics)).toEqual([
      "Runs Crawler=processed,Lake=ecomm",
      "Runs Crawler=raw,Lake=ecomm",
    ]);
    expect(names((await cw.send(new ListMetricsCommand({ Namespace: "Test/List", Dimensions: [{ Name: "Crawler" }] }))).Metrics)).toEqual([
      "Runs Crawler=processed,Lake=ecomm",
      "Runs Crawler=raw,Lake=ecomm",
    ]);
    expect(names((await cw.send(new ListMetricsCommand({ Namespace: "Test/List", RecentlyActive: "PT3H" }))).Metrics)).toHaveLength(4);
    const linked = await cw.send(new ListMetricsCommand({ Namespace: "Test/List", MetricName: "Fails", IncludeLinkedAccounts: true }));
    expect(linked.OwningAccounts).toEqual(["000000000000"]);
  });

  it("pages 500 metrics at a time; 1,000 datums in one request are accepted", async () => {
    const data = Array.from({ length: 1000 }, (_, i): MetricDatum => ({ MetricName: "Many", Dimensions: [{ Name: "N", Value: String(i) }], Value: i }));
    await put("Test/Paging", data);
    const pages: number[] = [];
    const seen = new Set<string>();
    for await (const page of paginateListMetrics({ client: cw }, { Namespace: "Test/Paging" })) {
      pages.push(page.Metrics!.length);
      for (const m of page.Metrics!) seen.add(m.Dimensions![0]!.Value!);
    }
    expect(pages).toEqual([500, 500]);
    expect(seen.size).toBe(1000);
  });
});

describe("GetMetricData", () => {
  const dims = [{ Name: "Lake", Value: "ecomm" }];
  const metric = { Namespace: "Test/Data", MetricName: "Changes", Dimensions: dims };

  it("returns each MetricStat series, newest first by default, oldest first with ScanBy=TimestampAscending", async () => {
    // Minute m holds the values m and m + 10.
    await put(
      "Test/Data",
      [0, 1, 2, 3].flatMap((m): MetricDatum[] => [
        { MetricName: "Changes", Dimensions: dims, Timestamp: at(m * 60), Value: m, Unit: "Count" },
        { MetricName: "Changes", Dimensions: dims, Timestamp: at(m * 60 + 30), Value: m + 10, Unit: "Count" },
      ]),
    );
    const queries = [
      { Id: "sum", MetricStat: { Metric: metric, Period: 60, Stat: "Sum" } },
      { Id: "high", Label: "p100 per two minutes", MetricStat: { Metric: metric, Period: 120, Stat: "p100", Unit: "Count" as const } },
      { Id: "hidden", MetricStat: { Metric: metric, Period: 60, Stat: "Maximum" }, ReturnData: false },
    ];
    const out = await cw.send(new GetMetricDataCommand({ MetricDataQueries: queries, StartTime: at(0), EndTime: at(240) }));
    expect(out.NextToken).toBeUndefined();
    expect(out.MetricDataResults).toEqual([
      { Id: "sum", Label: "Changes", Timestamps: [at(180), at(120), at(60), at(0)], Values: [16, 14, 12, 10], StatusCode: "Complete", Messages: [] },
      { Id: "high", Label: "p100 per two minutes", Timestamps: [at(120), at(0)], Values: [13, 11], StatusCode: "Complete", Messages: [] },
    ]);
    const ascending = await cw.send(new GetMetricDataCommand({ MetricDataQueries: queries.slice(0, 1), StartTime: at(0), EndTime: at(240), ScanBy: "TimestampAscending" }));
    expect(ascending.MetricDataResults![0]!.Values).toEqual([10, 12, 14, 16]);
  });

  it("pages by MaxDatapoints across the queries, marking cut series PartialData", async () => {
    const queries = [
      { Id: "a", MetricStat: { Metric: metric, Period: 60, Stat: "Sum" } },
      { Id: "b", MetricStat: { Metric: metric, Period: 60, Stat: "SampleCount" } },
    ];
    const first = await cw.send(new GetMetricDataCommand({ MetricDataQueries: queries, StartTime: at(0), EndTime: at(240), MaxDatapoints: 3 }));
    expect(first.MetricDataResults!.map((r) => [r.Id, r.Values, r.StatusCode])).toEqual([
      ["a", [16, 14, 12], "PartialData"],
      ["b", [], "PartialData"],
    ]);
    expect(first.NextToken).toBeTruthy();

    const values: Record<string, number[]> = { a: [], b: [] };
    let pages = 0;
    for await (const page of paginateGetMetricData({ client: cw, pageSize: 3 }, { MetricDataQueries: queries, StartTime: at(0), EndTime: at(240) })) {
      pages++;
      for (const r of page.MetricDataResults!) values[r.Id!]!.push(...r.Values!);
    }
    expect(pages).toBe(3);
    expect(values).toEqual({ a: [16, 14, 12, 10], b: [2, 2, 2, 2] });
  });
});
