import { CloudWatchClient, GetMetricStatisticsCommand, ListMetricsCommand } from "@aws-sdk/client-cloudwatch";
import { HeadBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMoto } from "../helpers/moto.js";
import { tmpLake } from "../helpers/tmp-lake.js";
import { isSummary, startDaemon } from "./daemon-process.js";

const CREDENTIALS = { accessKeyId: "testing", secretAccessKey: "testing" };

describe("lakewarden daemon against moto_server (the AWS path)", () => {
  let moto: Awaited<ReturnType<typeof startMoto>>;
  beforeAll(async () => {
    moto = await startMoto();
  });
  afterAll(async () => {
    await moto?.stop();
  });

  it("converges with --once and publishes the cycle's figures to CloudWatch", async () => {
    const dir = tmpLake({ "lake.config.yaml": "version: 1\nlake: mtest\nbuckets:\n  a: { name: mtest-bucket }\nmetrics: { cloudwatch: { namespace: LakewardenTest } }\n" });
    const d = await startDaemon({
      cwd: dir,
      args: ["--once", "--endpoint", moto.endpoint],
      env: { AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey, AWS_REGION: "us-east-1" },
      http: false,
    });
    expect(await d.exited()).toBe(0);
    expect(d.lines().find(isSummary)).toMatchObject({ result: "success", changes: 1 });
    expect(d.lines().some((l) => /CloudWatch publish failed/.test(l.msg))).toBe(false);

    const client = { endpoint: moto.endpoint, region: "us-east-1", credentials: CREDENTIALS };
    const s3 = new S3Client({ ...client, forcePathStyle: true });
    await s3.send(new HeadBucketCommand({ Bucket: "mtest-bucket" }));
    s3.destroy();
    const cloudwatch = new CloudWatchClient(client);
    const listed = await cloudwatch.send(new ListMetricsCommand({ Namespace: "LakewardenTest" }));
    expect(listed.Metrics?.map((m) => m.MetricName)).toEqual(expect.arrayContaining(["ReconcileSuccess", "ReconcileDuration", "Changes", "Resources"]));
    const now = Date.now();
    const stats = await cloudwatch.send(
      new GetMetricStatisticsCommand({
        Namespace: "LakewardenTest",
        MetricName: "ReconcileSuccess",
        Dimensions: [{ Name: "Lake", Value: "mtest" }],
        StartTime: new Date(now - 3_600_000),
        EndTime: new Date(now + 60_000),
        Period: 60,
        Statistics: ["Sum"],
      }),
    );
    cloudwatch.destroy();
    expect(stats.Datapoints?.reduce((sum, p) => sum + (p.Sum ?? 0), 0)).toBe(1);
  });
});
