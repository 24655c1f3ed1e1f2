/**
 * Interop: the Debian aws CLI v2 (which sends CloudWatch as awsQuery) against `lakewarden local serve`, and the SDK
 * (awsJson 1.0, gzip bodies, SigV4 over HTTP) against the same server: both see the same metrics.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CloudWatchClient, GetMetricStatisticsCommand, type MetricDatum, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AwsCli, requireAwsCli, SKIP_AWSCLI } from "../helpers/aws-cli.js";
import { startLocalServe, type LocalServe } from "../helpers/local-serve.js";

let serve: LocalServe | undefined;
let work = "";
let cli: AwsCli;

// A minute boundary an hour ago: the CLI's timestamps are in the past and well within two weeks.
const BASE = Math.floor(Date.now() / 60_000) * 60_000 - 3_600_000;
const iso = (seconds: number) => new Date(BASE + seconds * 1000).toISOString();

interface Statistics {
  Label: string;
  Datapoints: { Timestamp: string; SampleCount?: number; Sum?: number; Maximum?: number; Unit: string; ExtendedStatistics?: Record<string, number> }[];
}

describe.skipIf(SKIP_AWSCLI)("aws CLI v2 against lakewarden local serve: CloudWatch", () => {
  beforeAll(async () => {
    requireAwsCli();
    work = mkdtempSync(join(tmpdir(), "lakewarden-awscli-cloudwatch-"));
    mkdirSync(join(work, "home"));
    serve = await startLocalServe();
    cli = new AwsCli(serve, work, join(work, "home"));
  });

  afterAll(async () => {
    try {
      if (serve) expect(await serve.stop()).toBe(0);
    } finally {
      if (work) rmSync(work, { recursive: true, force: true });
    }
  });

  it("put-metric-data with shorthand options and with a --metric-data file, then list-metrics", () => {
    cli.ok(["cloudwatch", "put-metric-data", "--namespace", "Lakewarden/Cli", "--metric-name", "Changes", "--dimensions", "Lake=ecomm,Kind=bucket", "--value", "2", "--unit", "Count", "--timestamp", iso(10)]);
    writeFileSync(
      join(work, "data.json"),
      JSON.stringify([
        { MetricName: "Changes", Dimensions: [{ Name: "Lake", Value: "ecomm" }, { Name: "Kind", Value: "bucket" }], Timestamp: iso(20), Values: [1, 3], Counts: [2, 1], Unit: "Count" },
        { MetricName: "Duration", Dimensions: [{ Name: "Lake", Value: "ecomm" }], Timestamp: iso(30), StatisticValues: { SampleCount: 2, Sum: 9, Minimum: 4, Maximum: 5 }, Unit: "Seconds" },
      ]),
    );
    cli.ok(["cloudwatch", "put-metric-data", "--namespace", "Lakewarden/Cli", "--metric-data", "file://data.json"]);

    const listed = cli.okJson<{ Metrics: { Namespace: string; MetricName: string; Dimensions: { Name: string; Value: string }[] }[] }>(["cloudwatch", "list-metrics", "--namespace", "Lakewarden/Cli"]);
    expect(listed.Metrics.map((m) => `${m.MetricName} ${m.Dimensions.map((d) => `${d.Name}=${d.Value}`).join(",")}`).sort()).toEqual(["Changes Kind=bucket,Lake=ecomm", "Duration Lake=ecomm"]);
    const filtered = cli.okJson<{ Metrics: { MetricName: string }[] }>(["cloudwatch", "list-metrics", "--namespace", "Lakewarden/Cli", "--dimensions", "Name=Kind,Value=bucket"]);
    expect(filtered.Metrics.map((m) => m.MetricName)).toEqual(["Changes"]);
  });

  it("get-metric-statistics: statistics and a percentile of what was put", () => {
    const common = ["cloudwatch", "get-metric-statistics", "--namespace", "Lakewarden/Cli", "--metric-name", "Changes", "--dimensions", "Name=Lake,Value=ecomm", "Name=Kind,Value=bucket", "--start-time", iso(0), "--end-time", iso(60), "--period", "60"];
    const stats = cli.okJson<Statistics>([...common, "--statistics", "Sum", "SampleCount", "Maximum"]);
    // 2 ×1, 1 ×2 and 3 ×1: four samples summing to 7.
    expect(stats).toEqual({ Label: "Changes", Datapoints: [{ Timestamp: expect.stringMatching(new RegExp(`^${iso(0).slice(0, 16)}`)), Sum: 7, SampleCount: 4, Maximum: 3, Unit: "Count" }] });
    const p = cli.okJson<Statistics>([...common, "--extended-statistics", "p50", "p100"]);
    expect(p.Datapoints.map((d) => d.ExtendedStatistics)).toEqual([{ p50: 1, p100: 3 }]);
    const duration = cli.okJson<Statistics>(["cloudwatch", "get-metric-statistics", "--namespace", "Lakewarden/Cli", "--metric-name", "Duration", "--dimensions", "Name=Lake,Value=ecomm", "--start-time", iso(0), "--end-time", iso(60), "--period", "60", "--statistics", "Average", "Maximum"]);
    expect(duration.Datapoints).toEqual([expect.objectContaining({ Average: 4.5, Maximum: 5, Unit: "Seconds" })]);
  });

  it("fails as CloudWatch does: reserved namespace, bad period", () => {
    cli.fails(["cloudwatch", "put-metric-data", "--namespace", "AWS/EC2", "--metric-name", "X", "--value", "1"], "InvalidParameterValue");
    cli.fails(["cloudwatch", "get-metric-statistics", "--namespace", "Lakewarden/Cli", "--metric-name", "Changes", "--start-time", iso(0), "--end-time", iso(60), "--period", "7", "--statistics", "Sum"], "InvalidParameterValue");
  });

  it("the SDK over HTTP (signed, gzip body) and the CLI read the same metrics", async () => {
    const cw = new CloudWatchClient({ region: serve!.region, endpoint: serve!.endpoint, credentials: serve!.credentials });
    try {
      const data = Array.from({ length: 200 }, (_, i): MetricDatum => ({ MetricName: "FromSdk", Dimensions: [{ Name: "Lake", Value: "ecomm" }, { Name: "N", Value: String(i % 50) }], Timestamp: new Date(BASE + 5000), Value: i }));
      await cw.send(new PutMetricDataCommand({ Namespace: "Lakewarden/Sdk", MetricData: data })); // > 10 KiB: gzip
      const viaSdk = await cw.send(
        new GetMetricStatisticsCommand({ Namespace: "Lakewarden/Sdk", MetricName: "FromSdk", Dimensions: [{ Name: "Lake", Value: "ecomm" }, { Name: "N", Value: "0" }], StartTime: new Date(BASE), EndTime: new Date(BASE + 60_000), Period: 60, Statistics: ["Sum"] }),
      );
      expect(viaSdk.Datapoints?.map((d) => d.Sum)).toEqual([0 + 50 + 100 + 150]);
    } finally {
      cw.destroy();
    }
    const listed = cli.okJson<{ Metrics: unknown[] }>(["cloudwatch", "list-metrics", "--namespace", "Lakewarden/Sdk", "--metric-name", "FromSdk"]);
    expect(listed.Metrics).toHaveLength(50);
  });
});
