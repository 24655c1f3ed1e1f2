import { readFile } from "node:fs/promises";
import { GetCrawlerCommand, GetCrawlerMetricsCommand } from "@aws-sdk/client-glue";
import type { AwsClients } from "../aws/clients.js";
import type { JobSpec } from "../config/types.js";
import type { RunFigure } from "../metrics/figures.js";
import { startCrawler } from "../runs/crawls.js";
import { runQuery } from "../runs/queries.js";
import { runGlueJob, sleep } from "./job-runs.js";

/** One run as /status shows it. Error text stays here and in logs, never in metric labels. */
export interface RunRecord {
  kind: "crawler" | "job" | "query";
  /** Crawler or job name; for a query, the job that ran it. */
  name: string;
  runId?: string;
  /** Lowercased: running, succeeded, failed, cancelled, stopped, timeout … */
  status: string;
  /** Why it ran: schedule, or the reconcile trigger (create, change, data). */
  reason: string;
  startedAt: string;
  endedAt?: string;
  seconds?: number;
  error?: string;
  workgroup?: string;
  scannedBytes?: number;
}

export interface RunHooks {
  /** A run ended: its figures (metrics, CloudWatch) and what it was. */
  ended(record: RunRecord, figures: RunFigure[]): void;
  warn(message: string, fields?: Record<string, unknown>): void;
}

/**
 * Starts and watches the runs of the daemon: scheduled crawls (embedded target) and job runs, and the crawls a
 * reconcile started (runOn). One run per crawler or job at a time. On shutdown, watching stops at once: Glue and
 * Athena runs go on in the service (a query the daemon started is stopped).
 */
export class RunTracker {
  readonly last = { crawlers: new Map<string, RunRecord>(), jobs: new Map<string, RunRecord>(), queries: new Map<string, RunRecord>() };
  private readonly abort = new AbortController();
  private readonly active = new Map<string, Promise<void>>();

  constructor(
    private readonly clients: AwsClients,
    private readonly hooks: RunHooks,
  ) {}

  /** Starts a crawl (`start`), or watches one a reconcile started, until it ends. */
  crawl(name: string, reason: string, start: boolean): void {
    this.track(`crawler:${name}`, async () => {
      const record: RunRecord = { kind: "crawler", name, status: "running", reason, startedAt: new Date().toISOString() };
      if (start && (await startCrawler(this.clients.glue, name)) === "already running") record.reason = `${reason} (joined a crawl already running)`;
      this.last.crawlers.set(name, record);
      const outcome = await this.waitForCrawl(name);
      if (!outcome) return;
      this.end(record, outcome.status, outcome.seconds, outcome.error);
      this.hooks.ended(record, [{ kind: "crawler", name, status: record.status, ...(outcome.seconds !== undefined ? { durationSeconds: outcome.seconds } : {}) }]);
    });
  }

  job(job: JobSpec, reason: string): void {
    this.track(`job:${job.name}`, async () => {
      const record: RunRecord = { kind: "job", name: job.name, status: "running", reason, startedAt: new Date().toISOString() };
      this.last.jobs.set(job.name, record);
      if (job.type === "athena") return this.athenaJob(job, record);
      const outcome = await runGlueJob(this.clients.glue, job.name, { signal: this.abort.signal });
      if (outcome.runId) record.runId = outcome.runId;
      if (this.abort.signal.aborted && !outcome.error && outcome.state === "RUNNING") return;
      this.end(record, outcome.state, outcome.seconds, outcome.error);
      this.hooks.ended(record, [{ kind: "job", name: job.name, status: record.status, durationSeconds: outcome.seconds }]);
    });
  }

  /** A crawl a reconcile could not start: reported like a crawl that failed. */
  crawlNotStarted(name: string, reason: string, error: string): void {
    const now = new Date().toISOString();
    const record: RunRecord = { kind: "crawler", name, status: "failed", reason, startedAt: now, endedAt: now, error };
    this.last.crawlers.set(name, record);
    this.hooks.ended(record, [{ kind: "crawler", name, status: "failed" }]);
  }

  /** Stops watching (and stops the queries this daemon started). */
  stop(): void {
    this.abort.abort();
  }

  /** Resolves when every run being watched has ended or been let go. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.active.values()]);
  }

  private async athenaJob(job: JobSpec, record: RunRecord): Promise<void> {
    const sql = (await readFile(job.sql!, "utf8")).trim().replace(/;\s*$/, "");
    const query = await runQuery(
      this.clients.athena,
      { sql, ...(job.database ? { database: job.database } : {}), ...(job.workgroup ? { workgroup: job.workgroup } : {}) },
      { signal: this.abort.signal, results: false },
    );
    record.runId = query.id;
    record.workgroup = query.workgroup;
    record.scannedBytes = query.scannedBytes;
    this.end(record, query.state, query.totalMillis / 1000, query.reason);
    this.last.queries.set(job.name, { ...record, kind: "query" });
    this.hooks.ended(record, [
      { kind: "job", name: job.name, status: record.status, durationSeconds: query.totalMillis / 1000 },
      { kind: "query", name: query.workgroup, status: record.status, durationSeconds: query.totalMillis / 1000, scannedBytes: query.scannedBytes },
    ]);
  }

  private track(key: string, work: () => Promise<void>): void {
    if (this.abort.signal.aborted) return;
    if (this.active.has(key)) {
      this.hooks.warn(`${key.replace(":", " ")} is still running: this start is skipped`);
      return;
    }
    const run = work()
      .catch((err: unknown) => this.hooks.warn(`${key.replace(":", " ")} could not run: ${(err as Error).message}`, { run: key }))
      .finally(() => this.active.delete(key));
    this.active.set(key, run);
  }

  private end(record: RunRecord, state: string, seconds: number | undefined, error: string | undefined): void {
    record.status = state.toLowerCase();
    record.endedAt = new Date().toISOString();
    if (seconds !== undefined) record.seconds = seconds;
    if (error) record.error = error;
  }

  /** Polls the crawler until it is READY again; undefined when the daemon stops first. */
  private async waitForCrawl(name: string): Promise<{ status: string; seconds?: number; error?: string } | undefined> {
    let delay = 250;
    for (;;) {
      const crawler = (await this.clients.glue.send(new GetCrawlerCommand({ Name: name }))).Crawler;
      if ((crawler?.State ?? "READY") === "READY") {
        const metrics = (await this.clients.glue.send(new GetCrawlerMetricsCommand({ CrawlerNameList: [name] }))).CrawlerMetricsList?.[0];
        return {
          status: crawler?.LastCrawl?.Status ?? "SUCCEEDED",
          ...(metrics?.LastRuntimeSeconds !== undefined ? { seconds: metrics.LastRuntimeSeconds } : {}),
          ...(crawler?.LastCrawl?.ErrorMessage ? { error: crawler.LastCrawl.ErrorMessage } : {}),
        };
      }
      if (this.abort.signal.aborted) return undefined;
      await sleep(delay, this.abort.signal);
      delay = Math.min(delay * 2, 5_000);
    }
  }
}
