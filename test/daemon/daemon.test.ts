import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { CloudWatchClient, ListMetricsCommand } from "@aws-sdk/client-cloudwatch";
import { HeadBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { afterEach, describe, expect, it } from "vitest";
import { LOCAL_CREDENTIALS } from "../../src/embedded/index.js";
import { tmpLake } from "../helpers/tmp-lake.js";
import { isSummary, startDaemon, type DaemonProcess } from "./daemon-process.js";

const lake = (buckets: string[], extra = "") =>
  [
    "version: 1",
    "lake: dtest",
    "buckets:",
    ...buckets.map((b) => `  ${b}: { name: dtest-${b} }`),
    "databases: [{ name: dtest_db }]",
    "daemon: { retry: { attempts: 1, backoff: 1s } }",
    extra,
  ].join("\n");

const started: DaemonProcess[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((d) => d.stop()));
});

async function daemon(dir: string, args: string[] = []): Promise<DaemonProcess> {
  const d = await startDaemon({ cwd: dir, args });
  started.push(d);
  return d;
}

async function bucketExists(endpoint: string, name: string): Promise<boolean> {
  const s3 = new S3Client({ endpoint, region: "us-east-1", credentials: LOCAL_CREDENTIALS, forcePathStyle: true });
  try {
    await s3.send(new HeadBucketCommand({ Bucket: name }));
    return true;
  } catch (err) {
    if ((err as Error).name === "NotFound") return false;
    throw err;
  } finally {
    s3.destroy();
  }
}

describe("lakewarden daemon (a real process)", () => {
  it("converges on its schedule, serves metrics that move, turns ready, applies an edit and keeps the last valid config on a broken one", async () => {
    const dir = tmpLake({ "lake.config.yaml": lake(["a"], 'schedule: { reconcile: "*/2 * * * * *" }') });
    const file = join(dir, "lake.config.yaml");
    const d = await daemon(dir);
    expect(d.aws).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const first = await d.waitFor("the first reconcile", (l) => isSummary(l) && l.reason === "start");
    expect(first).toMatchObject({ result: "success", mode: "apply", changes: 2, failures: 0 });
    const r1 = first.revision as string;
    expect(r1).toMatch(/^sha256:[0-9a-f]{12}$/);
    expect(await bucketExists(d.aws!, "dtest-a")).toBe(true);

    const before = await d.metrics();
    expect(before.value("lakewarden_reconcile_total", { result: "success" })).toBeGreaterThanOrEqual(1);
    expect(before.value("lakewarden_changes_total", { kind: "bucket", action: "create" })).toBe(1);
    expect(before.value("lakewarden_resources", { kind: "bucket", status: "in_sync" })).toBe(1);
    expect(before.value("lakewarden_resources", { kind: "database", status: "in_sync" })).toBe(1);
    expect(before.value("lakewarden_config_info", { revision: r1 })).toBe(1);
    expect(before.value("lakewarden_aws_requests_total", { service: "s3", operation: "CreateBucket", outcome: "success" })).toBe(1);
    expect(before.samples("lakewarden_aws_request_duration_seconds_count").length).toBeGreaterThan(0);
    expect(before.value("process_resident_memory_bytes")).toBeGreaterThan(0);
    expect((await d.get("/healthz")).status).toBe(200);
    expect((await d.get("/readyz")).status).toBe(200);

    // The next scheduled cycle moves the counters (and changes nothing: the lake is converged).
    const count = d.lines().length;
    const tick = await d.waitFor("a scheduled reconcile", (l) => isSummary(l) && l.reason === "schedule", { from: count });
    expect(tick).toMatchObject({ result: "success", changes: 0, revision: r1 });
    const after = await d.metrics();
    expect(after.value("lakewarden_reconcile_total", { result: "success" })).toBeGreaterThan(before.value("lakewarden_reconcile_total", { result: "success" })!);
    expect(after.value("lakewarden_reconcile_duration_seconds_count")).toBeGreaterThan(before.value("lakewarden_reconcile_duration_seconds_count")!);
    expect(after.value("lakewarden_last_successful_reconcile_timestamp_seconds")).toBeGreaterThan(before.value("lakewarden_last_successful_reconcile_timestamp_seconds")!);

    // An edit is applied at the next cycle.
    writeFileSync(file, lake(["a", "b"], 'schedule: { reconcile: "*/2 * * * * *" }'));
    const applied = await d.waitFor("the edit applied", (l) => isSummary(l) && l.revision !== r1, { from: d.lines().length });
    expect(applied).toMatchObject({ result: "success", changes: 1 });
    const r2 = applied.revision as string;
    expect(await bucketExists(d.aws!, "dtest-b")).toBe(true);
    expect((await d.metrics()).value("lakewarden_changes_total", { kind: "bucket", action: "create" })).toBe(2);

    // A broken edit is rejected with its location, counted, and the daemon keeps converging to r2.
    const mark = d.lines().length;
    writeFileSync(file, lake(["a", "b"], 'schedule: { reconcile: "*/2 * * * * *" }').replace("name: dtest-b", "name: dtest-b, versionning: true"));
    const located = await d.waitFor("the error with file:line:col", (l) => /lake\.config\.yaml:\d+:\d+: buckets\.b\.versionning: unknown key/.test(l.msg), { from: mark });
    expect(located.level).toBe(50);
    await d.waitFor("the rejection", (l) => /rejected \(1 error\); still converging to sha256:/.test(l.msg), { from: mark });
    const kept = await d.waitFor("a cycle on the last valid config", (l) => isSummary(l), { from: mark });
    expect(kept).toMatchObject({ result: "success", revision: r2 });
    const metrics = await d.metrics();
    expect(metrics.value("lakewarden_config_reloads_total", { result: "failure" })).toBeGreaterThanOrEqual(1);
    expect(metrics.value("lakewarden_config_info", { revision: r2 })).toBe(1);
    const status = JSON.parse((await d.get("/status")).body);
    expect(status.config.revision).toBe(r2);
    expect(status.config.rejected.issues[0]).toMatch(/lake\.config\.yaml:\d+:\d+: buckets\.b\.versionning/);
    expect(status.resources).toContainEqual({ address: "bucket.b", kind: "bucket", name: "dtest-b", status: "in_sync" });
    expect(status.next.reconcile).toMatch(/^\d{4}-/);

    // Each cycle's figures reached the embedded CloudWatch.
    const cloudwatch = new CloudWatchClient({ endpoint: d.aws!, region: "us-east-1", credentials: LOCAL_CREDENTIALS });
    const listed = await cloudwatch.send(new ListMetricsCommand({ Namespace: "Lakewarden", MetricName: "ReconcileDuration" }));
    cloudwatch.destroy();
    expect(listed.Metrics?.[0]?.Dimensions).toContainEqual({ Name: "Lake", Value: "dtest" });
    expect((await d.metrics()).value("lakewarden_cloudwatch_publish_failures_total")).toBe(0);

    expect(await d.stop()).toBe(0);
  });

  it("observe mode plans and changes nothing; SIGHUP reloads the configuration", async () => {
    const dir = tmpLake({ "lake.config.yaml": lake(["a"], 'schedule: { reconcile: "0 0 1 1 *" }') });
    const d = await daemon(dir, ["--mode", "observe"]);
    const first = await d.waitFor("the first cycle", (l) => isSummary(l) && l.reason === "start");
    expect(first).toMatchObject({ mode: "observe", result: "success", changes: 2 });
    expect(first.msg).toMatch(/would change 2/);
    expect(await bucketExists(d.aws!, "dtest-a")).toBe(false);
    const metrics = await d.metrics();
    expect(metrics.value("lakewarden_resources", { kind: "bucket", status: "missing" })).toBe(1);
    expect(metrics.samples("lakewarden_changes_total")).toEqual([]);
    expect(metrics.value("lakewarden_aws_requests_total", { service: "s3", operation: "CreateBucket", outcome: "success" })).toBeUndefined();
    const status = JSON.parse((await d.get("/status")).body);
    expect(status.mode).toBe("observe");
    expect(status.plan.summary).toMatchObject({ create: 2 });

    writeFileSync(join(dir, "lake.config.yaml"), lake(["a", "b"], 'schedule: { reconcile: "0 0 1 1 *" }'));
    const mark = d.lines().length;
    d.signal("SIGHUP");
    const reloaded = await d.waitFor("the reload", (l) => isSummary(l) && l.reason === "sighup", { from: mark });
    expect(reloaded).toMatchObject({ mode: "observe", changes: 3 });
    expect(reloaded.revision).not.toBe(first.revision);
    expect(await bucketExists(d.aws!, "dtest-a")).toBe(false);
    expect(await bucketExists(d.aws!, "dtest-b")).toBe(false);
    expect(await d.stop()).toBe(0);
  });
});
