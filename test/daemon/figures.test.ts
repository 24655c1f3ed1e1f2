import { describe, expect, it } from "vitest";
import type { ReconcileResult } from "../../src/engine/reconcile.js";
import type { PlannedChange } from "../../src/engine/types.js";
import { cycleFigures, resourceStates } from "../../src/metrics/figures.js";
import { LakeMetrics } from "../../src/metrics/prometheus.js";
import { parseMetrics } from "./daemon-process.js";

const change = (action: PlannedChange["action"], kind: string, name: string): PlannedChange => ({ action, kind, address: `${kind}.${name}`, name, changes: [], dependsOn: [] });

const result: ReconcileResult = {
  plan: {
    lake: "shop",
    target: "local",
    changes: [
      change("noop", "bucket", "raw"),
      change("create", "bucket", "new"),
      change("create", "bucket", "broken"),
      change("update", "role", "glue"),
      change("update", "crawler", "c1"),
      change("conflict", "database", "taken"),
      change("delete", "job", "gone"),
      change("create", "crawler", "after_broken"),
    ],
    errors: [{ address: "workgroup.wg", error: "AccessDenied: not allowed to read it" }],
  },
  results: [
    { address: "bucket.new", action: "create", status: "done", seconds: 0.1 },
    { address: "bucket.broken", action: "create", status: "failed", error: "InvalidBucketName", seconds: 0.1 },
    { address: "role.glue", action: "update", status: "done", seconds: 0.1 },
    { address: "crawler.c1", action: "update", status: "done", seconds: 0.1 },
    { address: "job.gone", action: "delete", status: "done", seconds: 0.1 },
    { address: "crawler.after_broken", action: "create", status: "skipped", error: "skipped: bucket.broken did not apply", seconds: 0 },
  ],
  runs: [],
  changed: true,
  ok: false,
  seconds: 1.5,
};

describe("a cycle's figures", () => {
  it("give each declared resource the status the cycle left it in", () => {
    expect(resourceStates(result).map((r) => [r.address, r.status])).toEqual([
      ["bucket.raw", "in_sync"],
      ["bucket.new", "in_sync"],
      ["bucket.broken", "error"],
      ["role.glue", "in_sync"],
      ["crawler.c1", "in_sync"],
      ["database.taken", "conflict"],
      ["crawler.after_broken", "missing"],
      ["workgroup.wg", "error"],
    ]);
    const observed = { ...result, results: undefined };
    expect(resourceStates(observed).find((r) => r.address === "role.glue")?.status).toBe("drifted");
  });

  it("count applied changes (apply) or planned ones (observe), drift and failures, in bounded dimensions", () => {
    const at = new Date("2026-01-01T00:00:00Z");
    const applied = cycleFigures({ lake: "shop", mode: "apply", result, durationSeconds: 1.5, runs: [], timestamp: at });
    expect(applied.result).toBe("failure");
    expect(applied.changes).toEqual([
      { kind: "bucket", action: "create", count: 1 },
      { kind: "role", action: "update", count: 1 },
      { kind: "crawler", action: "update", count: 1 },
      { kind: "job", action: "delete", count: 1 },
    ]);
    expect(applied.drift).toEqual([
      { kind: "role", count: 1 },
      { kind: "crawler", count: 1 },
    ]);
    expect(applied.failures).toBe(2); // one failed change, one unreadable resource
    expect(applied.resources).toContainEqual({ kind: "bucket", status: "in_sync", count: 2 });
    const observed = cycleFigures({ lake: "shop", mode: "observe", result: { ...result, results: undefined, ok: true }, durationSeconds: 1, runs: [], timestamp: at });
    expect(observed.result).toBe("success");
    expect(observed.changes).toContainEqual({ kind: "bucket", action: "create", count: 2 });
    const crashed = cycleFigures({ lake: "shop", mode: "apply", durationSeconds: 0.2, runs: [], timestamp: at });
    expect(crashed).toMatchObject({ result: "failure", failures: 1, resources: [], changes: [] });
  });

  it("feed the Prometheus registry, with zeros for statuses no resource has, and without error text", async () => {
    const metrics = new LakeMetrics();
    const at = new Date("2026-01-01T00:00:00Z");
    metrics.cycle(cycleFigures({ lake: "shop", mode: "apply", result: { ...result, ok: true }, durationSeconds: 1.5, runs: [], timestamp: at }));
    metrics.awsCall({ service: "s3", operation: "CreateBucket", outcome: "error", seconds: 0.02 });
    metrics.tablePartitions("db", [{ table: "a", partitions: 3 }, { table: "b", partitions: 1 }]);
    metrics.tablePartitions("db", [{ table: "a", partitions: 4 }]);
    metrics.configRevision("r1");
    metrics.configRevision("r2");
    const text = await metrics.text();
    const m = parseMetrics(text);
    expect(m.value("lakewarden_reconcile_total", { result: "success" })).toBe(1);
    expect(m.value("lakewarden_reconcile_total", { result: "failure" })).toBe(0);
    expect(m.value("lakewarden_last_successful_reconcile_timestamp_seconds")).toBe(at.getTime() / 1000);
    expect(m.value("lakewarden_resources", { kind: "bucket", status: "in_sync" })).toBe(2);
    expect(m.value("lakewarden_resources", { kind: "bucket", status: "drifted" })).toBe(0);
    expect(m.value("lakewarden_resources", { kind: "workgroup", status: "error" })).toBe(1);
    expect(m.value("lakewarden_changes_total", { kind: "job", action: "delete" })).toBe(1);
    expect(m.value("lakewarden_drift_detected_total", { kind: "role" })).toBe(1);
    expect(m.value("lakewarden_aws_requests_total", { service: "s3", operation: "CreateBucket", outcome: "error" })).toBe(1);
    expect(m.value("lakewarden_aws_request_duration_seconds_count", { service: "s3" })).toBe(1);
    expect(m.samples("lakewarden_table_partitions")).toEqual([{ labels: { database: "db", table: "a" }, value: 4 }]);
    expect(m.samples("lakewarden_config_info")).toEqual([{ labels: { revision: "r2" }, value: 1 }]);
    expect(text).not.toMatch(/AccessDenied|InvalidBucketName/);
  });
});
