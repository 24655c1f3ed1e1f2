import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTarget, type Target } from "../../src/cli/target.js";
import { loadConfig } from "../../src/config/load.js";
import type { LakeConfig } from "../../src/config/types.js";
import { RunTracker, type RunRecord } from "../../src/daemon/runs.js";
import { createDrivers } from "../../src/drivers/index.js";
import { reconcile } from "../../src/engine/reconcile.js";
import type { RunFigure } from "../../src/metrics/figures.js";
import { countPartitions } from "../../src/metrics/partitions.js";
import { LakeMetrics } from "../../src/metrics/prometheus.js";
import { tmpLake } from "../helpers/tmp-lake.js";
import { parseMetrics } from "./daemon-process.js";

const CONFIG = `
version: 1
lake: runs
buckets:
  raw: { name: runs-raw }
  results: { name: runs-results }
  scripts: { name: runs-scripts }
uploads: [{ from: data, to: raw:events/ }]
roles:
  glue: { name: RunsGlueRole, access: { raw: read, scripts: read } }
databases: [{ name: runs_db }]
crawlers:
  - { name: runs_crawler, database: runs_db, targets: [raw:events/], schedule: "cron(0 2 * * ? *)" }
jobs:
  - { name: count_events, type: athena, sql: sql/count.sql, database: runs_db, schedule: "cron(0 3 * * ? *)" }
  - { name: spark_job, type: glueetl, script: etl.py, scriptLocation: scripts:jobs/ }
workgroups: [{ name: wg, results: results:athena/ }]
`;

describe("the daemon's runs (crawls, Glue and Athena jobs) on the embedded target", () => {
  let config: LakeConfig;
  let target: Target;
  const ended: { record: RunRecord; figures: RunFigure[] }[] = [];
  const warnings: string[] = [];
  let tracker: RunTracker;

  beforeAll(async () => {
    const dir = tmpLake({
      "lake.config.yaml": CONFIG,
      "data/dt=2024-01-01/part-0.json": '{"user":"a","n":1}\n{"user":"b","n":2}\n',
      "data/dt=2024-01-02/part-0.json": '{"user":"c","n":3}\n',
      "sql/count.sql": "SELECT count(*) AS events FROM events;\n",
      "etl.py": "print('spark')\n",
    });
    config = loadConfig(`${dir}/lake.config.yaml`);
    target = openTarget(config, {});
    const result = await reconcile(config, createDrivers(target.clients), { dryRun: false, target: target.id, stateDir: config.local.stateDir });
    expect(result.ok).toBe(true);
    tracker = new RunTracker(target.clients, { ended: (record, figures) => ended.push({ record, figures }), warn: (m) => warnings.push(m) });
  });
  afterAll(async () => {
    tracker.stop();
    await target.close();
  });

  const until = async (predicate: () => boolean) => {
    while (!predicate()) await new Promise((resolve) => setTimeout(resolve, 50));
  };

  it("starts a crawl, watches it to the end, and the catalog's partitions are counted", async () => {
    tracker.crawl("runs_crawler", "schedule", true);
    tracker.crawl("runs_crawler", "schedule", true); // one run per crawler at a time
    await tracker.settled();
    expect(warnings).toEqual(["crawler runs_crawler is still running: this start is skipped"]);
    const crawl = ended.find((e) => e.record.kind === "crawler")!;
    expect(crawl.record).toMatchObject({ name: "runs_crawler", status: "succeeded", reason: "schedule" });
    expect(crawl.figures).toEqual([{ kind: "crawler", name: "runs_crawler", status: "succeeded", durationSeconds: expect.any(Number) }]);
    expect(tracker.last.crawlers.get("runs_crawler")?.status).toBe("succeeded");
    expect(await countPartitions(target.clients.glue, "runs_db")).toEqual([{ table: "events", partitions: 2 }]);
    expect(await countPartitions(target.clients.glue, "no_such_db")).toEqual([]);
  });

  it("runs an athena job through Athena and reports the job and the query", async () => {
    tracker.job(config.jobs.find((j) => j.name === "count_events")!, "schedule");
    await until(() => ended.some((e) => e.record.name === "count_events"));
    const run = ended.find((e) => e.record.name === "count_events")!;
    expect(run.record).toMatchObject({ kind: "job", status: "succeeded", workgroup: "wg" });
    expect(run.figures[0]).toMatchObject({ kind: "job", name: "count_events", status: "succeeded" });
    expect(run.figures[1]).toMatchObject({ kind: "query", name: "wg", status: "succeeded" });
    expect(run.figures[1]!.scannedBytes).toBeGreaterThan(0);
    expect(tracker.last.queries.get("count_events")).toMatchObject({ kind: "query", status: "succeeded" });

    const metrics = new LakeMetrics();
    for (const figure of run.figures) metrics.run(figure);
    const parsed = parseMetrics(await metrics.text());
    expect(parsed.value("lakewarden_job_runs_total", { job: "count_events", status: "succeeded" })).toBe(1);
    expect(parsed.value("lakewarden_query_runs_total", { workgroup: "wg", state: "succeeded" })).toBe(1);
    expect(parsed.value("lakewarden_query_scanned_bytes_total", { workgroup: "wg" })).toBe(run.figures[1]!.scannedBytes);
  });

  it("reports a Glue job run that fails (glueetl needs AWS Glue) as failed, with Glue's message", async () => {
    tracker.job(config.jobs.find((j) => j.name === "spark_job")!, "schedule");
    await until(() => ended.some((e) => e.record.name === "spark_job"));
    const run = ended.find((e) => e.record.name === "spark_job")!;
    expect(run.record.status).toBe("failed");
    expect(run.record.error).toMatch(/AWS Glue/);
    expect(run.figures).toEqual([{ kind: "job", name: "spark_job", status: "failed", durationSeconds: expect.any(Number) }]);
  });
});
