import { CloudWatchClient, GetMetricStatisticsCommand, type Dimension, ListMetricsCommand, paginateListMetrics } from "@aws-sdk/client-cloudwatch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCloudWatchService } from "../../src/embedded/services/cloudwatch/index.js";
import { batches, CloudWatchPublishError, cycleMetricData, MAX_REQUEST_BYTES, publishCycle } from "../../src/metrics/cloudwatch.js";
import type { CycleFigures } from "../../src/metrics/figures.js";
import { embeddedStack, TEST_CREDENTIALS } from "../helpers/embedded-stack.js";
import { startMoto } from "../helpers/moto.js";

// The CloudWatch publisher, read back through the SDK on the embedded CloudWatch and on moto_server.

const figures = (overrides: Partial<CycleFigures> = {}): CycleFigures => ({
  lake: "ecomm",
  result: "success",
  mode: "apply",
  durationSeconds: 4.5,
  changes: [
    { kind: "bucket", action: "create", count: 2 },
    { kind: "role", action: "update", count: 1 },
  ],
  drift: [{ kind: "role", count: 1 }],
  resources: [
    { kind: "bucket", status: "in_sync", count: 4 },
    { kind: "role", status: "drifted", count: 1 },
  ],
  failures: 0,
  runs: [
    { kind: "crawler", name: "ecommerce_raw_crawler", status: "succeeded", durationSeconds: 30 },
    { kind: "crawler", name: "ecommerce_raw_crawler", status: "succeeded", durationSeconds: 50 },
    { kind: "crawler", name: "ecommerce_raw_crawler", status: "failed", durationSeconds: 10 },
    { kind: "job", name: "etl_raw_to_processed", status: "failed", durationSeconds: 5 },
    { kind: "query", name: "ecomm", status: "succeeded", durationSeconds: 2, scannedBytes: 1000 },
    { kind: "query", name: "ecomm", status: "succeeded", durationSeconds: 3, scannedBytes: 3000 },
  ],
  // A minute ago, on a whole second: inside any window that starts five minutes before now.
  timestamp: new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000),
  ...overrides,
});

const lake = { Name: "Lake", Value: "ecomm" };

/** The one datapoint of a metric around the cycle's time (a 20-minute period holds it whole). */
async function statistics(cw: CloudWatchClient, namespace: string, MetricName: string, dims: Dimension[], at: Date) {
  const out = await cw.send(
    new GetMetricStatisticsCommand({
      Namespace: namespace,
      MetricName,
      Dimensions: [lake, ...dims],
      StartTime: new Date(at.getTime() - 600_000),
      EndTime: new Date(at.getTime() + 600_000),
      Period: 1200,
      Statistics: ["SampleCount", "Sum", "Minimum", "Maximum"],
    }),
  );
  expect(out.Datapoints, `${MetricName} ${JSON.stringify(dims)}`).toHaveLength(1);
  const { SampleCount, Sum, Minimum, Maximum, Unit } = out.Datapoints![0]!;
  return { SampleCount, Sum, Minimum, Maximum, Unit };
}

/** What every target must show for figures(): the published cycle, read back through the SDK. */
async function expectCycleVisible(cw: CloudWatchClient, namespace: string, at: Date) {
  expect(await statistics(cw, namespace, "ReconcileSuccess", [], at)).toMatchObject({ Sum: 1, Unit: "Count" });
  expect(await statistics(cw, namespace, "ReconcileFailure", [], at)).toMatchObject({ Sum: 0, Unit: "Count" });
  expect(await statistics(cw, namespace, "ReconcileDuration", [], at)).toMatchObject({ Sum: 4.5, Unit: "Seconds" });
  expect(await statistics(cw, namespace, "Changes", [{ Name: "Kind", Value: "bucket" }, { Name: "Action", Value: "create" }], at)).toMatchObject({ Sum: 2 });
  expect(await statistics(cw, namespace, "Drift", [{ Name: "Kind", Value: "role" }], at)).toMatchObject({ Sum: 1 });
  expect(await statistics(cw, namespace, "Resources", [{ Name: "Kind", Value: "bucket" }, { Name: "Status", Value: "in_sync" }], at)).toMatchObject({ Sum: 4 });
  expect(await statistics(cw, namespace, "CrawlerRuns", [{ Name: "Crawler", Value: "ecommerce_raw_crawler" }, { Name: "Status", Value: "succeeded" }], at)).toMatchObject({ Sum: 2 });
  expect(await statistics(cw, namespace, "CrawlerRunDuration", [{ Name: "Crawler", Value: "ecommerce_raw_crawler" }], at)).toEqual({ SampleCount: 3, Sum: 90, Minimum: 10, Maximum: 50, Unit: "Seconds" });
  expect(await statistics(cw, namespace, "JobRuns", [{ Name: "Job", Value: "etl_raw_to_processed" }, { Name: "Status", Value: "failed" }], at)).toMatchObject({ Sum: 1 });
  expect(await statistics(cw, namespace, "QueryRuns", [{ Name: "Workgroup", Value: "ecomm" }, { Name: "State", Value: "succeeded" }], at)).toMatchObject({ Sum: 2 });
  expect(await statistics(cw, namespace, "QueryScannedBytes", [{ Name: "Workgroup", Value: "ecomm" }], at)).toMatchObject({ Sum: 4000, Unit: "Bytes" });

  // Every metric carries the Lake dimension. (moto lists a metric once per value of a Values datum: count distinct ones.)
  const metrics = [];
  for await (const page of paginateListMetrics({ client: cw }, { Namespace: namespace })) metrics.push(...(page.Metrics ?? []));
  const distinct = new Set(metrics.map((m) => JSON.stringify([m.MetricName, [...(m.Dimensions ?? [])].sort((a, b) => a.Name!.localeCompare(b.Name!))])));
  expect(distinct.size).toBe(cycleMetricData(figures()).length);
  for (const m of metrics) expect(m.Dimensions, m.MetricName).toContainEqual(lake);
  expect(new Set(metrics.map((m) => m.MetricName))).toEqual(
    new Set(["ReconcileSuccess", "ReconcileFailure", "ReconcileDuration", "ReconcileFailures", "Changes", "Drift", "Resources", "CrawlerRuns", "CrawlerRunDuration", "JobRuns", "JobRunDuration", "QueryRuns", "QueryRunDuration", "QueryScannedBytes"]),
  );
}

describe("the datums of a cycle", () => {
  it("uses only bounded dimensions, names planned changes apart in observe mode, and gives units", () => {
    const data = cycleMetricData(figures());
    const dimensionNames = new Set(data.flatMap((d) => d.Dimensions!.map((x) => x.Name)));
    expect(dimensionNames).toEqual(new Set(["Lake", "Kind", "Action", "Status", "Crawler", "Job", "Workgroup", "State"]));
    for (const d of data) expect(d.Unit, d.MetricName).toBeDefined();
    const observed = cycleMetricData(figures({ mode: "observe" }));
    expect(observed.filter((d) => d.MetricName === "Changes")).toEqual([]);
    expect(observed.filter((d) => d.MetricName === "PlannedChanges")).toHaveLength(2);
  });

  it("splits into requests of at most 1,000 datums and under 1 MB", () => {
    const many = cycleMetricData(figures({ resources: Array.from({ length: 2500 }, (_, i) => ({ kind: `kind${i}`, status: "in_sync" as const, count: i })) }));
    const counts = batches(many, "Lakewarden").map((b) => b.length);
    expect(counts.every((n) => n <= 1000)).toBe(true);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(many.length);
    expect(counts).toHaveLength(3);

    const wide = cycleMetricData(figures({ resources: Array.from({ length: 900 }, (_, i) => ({ kind: `${i}-${"k".repeat(1000)}`, status: "in_sync" as const, count: 1 })) }));
    const wideBatches = batches(wide, "Lakewarden");
    expect(wideBatches.length).toBeGreaterThan(1);
    // Measured as the SDK sends it: awsJson, timestamps as epoch seconds.
    const wire = (value: unknown) => JSON.stringify(value, function (this: Record<string, unknown>, key: string, v: unknown) {
      return this[key] instanceof Date ? (this[key] as Date).getTime() / 1000 : v;
    });
    for (const b of wideBatches) expect(Buffer.byteLength(wire({ Namespace: "Lakewarden", MetricData: b }))).toBeLessThanOrEqual(MAX_REQUEST_BYTES);
  });
});

describe("publishing to the embedded CloudWatch", () => {
  const stack = embeddedStack([createCloudWatchService()]);
  const cw = new CloudWatchClient({ region: "us-east-1", credentials: TEST_CREDENTIALS, requestHandler: stack.handler, maxAttempts: 1 });
  afterAll(() => {
    cw.destroy();
    stack.close();
  });

  it("makes every figure of the cycle visible through the SDK", async () => {
    const cycle = figures();
    const result = await publishCycle(cw, "Lakewarden", cycle);
    expect(result).toEqual({ sent: cycleMetricData(cycle).length, requests: 1 });
    await expectCycleVisible(cw, "Lakewarden", cycle.timestamp);
  });

  it("stays within PutMetricData's limits when a cycle has thousands of datums, or wide ones", async () => {
    stack.calls.clear();
    const many = figures({ resources: Array.from({ length: 2500 }, (_, i) => ({ kind: `kind${i}`, status: "in_sync" as const, count: 1 })) });
    expect(await publishCycle(cw, "Lakewarden/Many", many)).toEqual({ sent: cycleMetricData(many).length, requests: 3 });
    const wide = figures({ resources: Array.from({ length: 900 }, (_, i) => ({ kind: `${i}-${"k".repeat(1000)}`, status: "in_sync" as const, count: 1 })) });
    const result = await publishCycle(cw, "Lakewarden/Wide", wide);
    expect(result.requests).toBeGreaterThan(1);
    expect(stack.calls.all().filter((c) => c.operation === "PutMetricData").map((c) => c.status)).toEqual(Array(3 + result.requests).fill(200));
    const listed = await cw.send(new ListMetricsCommand({ Namespace: "Lakewarden/Wide", MetricName: "Resources" }));
    expect(listed.Metrics).toHaveLength(500); // the first page of 900
  });

  it("throws CloudWatch's error to the caller, with what was sent before", async () => {
    const err = await publishCycle(cw, "AWS/Lakewarden", figures()).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(CloudWatchPublishError);
    const failure = err as CloudWatchPublishError;
    expect(failure).toMatchObject({ sent: 0, requests: 1 });
    expect((failure.cause as Error).name).toBe("InvalidParameterValueException");
    expect(failure.message).toMatch(/AWS\/Lakewarden.*InvalidParameterValueException/);
  });
});

describe("publishing to moto_server", () => {
  let moto: Awaited<ReturnType<typeof startMoto>>;
  let cw: CloudWatchClient;
  beforeAll(async () => {
    moto = await startMoto();
    cw = new CloudWatchClient({ region: "us-east-1", endpoint: moto.endpoint, credentials: { accessKeyId: "testing", secretAccessKey: "testing" } });
  });
  afterAll(async () => {
    cw?.destroy();
    await moto?.stop();
  });

  it("makes every figure of the cycle visible through the SDK", async () => {
    const cycle = figures();
    expect(await publishCycle(cw, "Lakewarden", cycle)).toEqual({ sent: cycleMetricData(cycle).length, requests: 1 });
    await expectCycleVisible(cw, "Lakewarden", cycle.timestamp);
  });
});
