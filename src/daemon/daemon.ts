import { ConfigError, formatIssue } from "../config/issues.js";
import type { LakeConfig } from "../config/types.js";
import { createDrivers } from "../drivers/index.js";
import { reconcile, type ReconcileResult } from "../engine/reconcile.js";
import type { Target } from "../cli/target.js";
import type { Logger } from "../log.js";
import { cycleFigures, type RunFigure } from "../metrics/figures.js";
import { countPartitions } from "../metrics/partitions.js";
import type { LakeMetrics } from "../metrics/prometheus.js";
import { CloudWatchPublisher } from "./cloudwatch-publisher.js";
import type { ConfigSource, LoadedConfig } from "./config-source.js";
import { CycleRunner } from "./cycle-runner.js";
import { startStatusServer, type StatusServer } from "./http.js";
import { RunTracker, type RunRecord } from "./runs.js";
import { scheduleSet, Schedules } from "./schedules.js";
import { DaemonState, type CycleRecord } from "./status.js";

export interface DaemonSettings {
  /** --mode / LAKEWARDEN_MODE: wins over daemon.mode of the configuration. */
  mode?: "apply" | "observe";
  /** --schedule / LAKEWARDEN_SCHEDULE: wins over schedule.reconcile. */
  schedule?: string;
  /** The /metrics, /healthz, /readyz, /status endpoint; absent with --once. */
  http?: { host: string; port: number };
  /** The embedded AWS served over HTTP (target local); absent when turned off or on AWS. */
  endpoint?: { host: string; port: number };
  /** Seconds between git fetches (source.git.interval). */
  pollSeconds?: number;
  /** --target or --endpoint chose the target (the configuration's `target` does not). */
  targetFromFlags?: boolean;
}

export interface DaemonParts {
  source: ConfigSource;
  target: Target;
  metrics: LakeMetrics;
  log: Logger;
  settings: DaemonSettings;
}

/** The longest a shutdown waits for the step in flight before it lets go (the whole exit stays under 30 s). */
const SHUTDOWN_GRACE_MS = 20_000;

/**
 * The long-running reconciler: reads the configuration afresh at every cycle (file or git), converges the lake
 * (or only plans, in observe mode), runs scheduled crawls and jobs, and reports through metrics, logs and /status.
 */
export class Daemon {
  private readonly state: DaemonState;
  private readonly runner: CycleRunner;
  private readonly schedules: Schedules;
  private readonly runs: RunTracker;
  private readonly cloudwatch: CloudWatchPublisher;
  private current: LoadedConfig | undefined;
  private lastRejection = "";
  private lastFetchError = "";
  private endedRuns: RunFigure[] = [];
  private partitionsDirty = new Set<string>();
  private partitionsBusy: Promise<void> | undefined;
  private partitionsCounted = false;
  /** False with --once: one cycle, no timers. */
  private scheduling = true;
  private servers: StatusServer[] = [];
  private pollTimer: NodeJS.Timeout | undefined;
  private stopping: Promise<void> | undefined;

  constructor(private readonly parts: DaemonParts) {
    const { target, source, log } = parts;
    this.state = new DaemonState(target.id, source.description);
    this.state.mode = parts.settings.mode ?? "apply";
    this.runner = new CycleRunner({
      cycle: (reason) => this.cycle(reason),
      retryPolicy: () => ({ attempts: this.current?.config.daemon.retry.attempts ?? 3, backoffSeconds: this.current?.config.daemon.retry.backoff ?? 10 }),
      onRetryScheduled: (attempt, at) => log.info({ attempt, at: at.toISOString() }, `reconcile failed: retry ${attempt} at ${at.toISOString()}`),
      onError: (err) => log.error({ err }, `reconcile cycle crashed: ${(err as Error).message}`),
    });
    this.schedules = new Schedules({
      reconcile: () => this.runner.request("schedule"),
      crawler: (name) => this.runs.crawl(name, "schedule", true),
      job: (name) => this.startJob(name),
    });
    this.runs = new RunTracker(target.clients, {
      ended: (record, figures) => this.runEnded(record, figures),
      warn: (message, fields) => log.warn(fields ?? {}, message),
    });
    this.cloudwatch = new CloudWatchPublisher(target.clients.cloudwatch, parts.metrics, log);
  }

  /** Serves HTTP (and the embedded AWS), starts the git poll and the first cycle; schedules follow its config. */
  async start(): Promise<void> {
    const { settings, target, log } = this.parts;
    if (settings.endpoint && target.embedded) {
      const served = await target.embedded.serve(settings.endpoint.host, settings.endpoint.port);
      this.servers.push(served);
      this.state.endpoints.aws = served.url;
      log.info({ endpoint: served.url }, `embedded AWS listening on ${served.url}: export AWS_ENDPOINT_URL=${served.url}`);
    }
    if (settings.http) {
      const served = await startStatusServer(settings.http.host, settings.http.port, {
        metrics: async () => (this.current?.config.metrics.prometheus.enabled === false ? undefined : { contentType: this.parts.metrics.contentType, body: await this.parts.metrics.text() }),
        ready: () => this.state.ready(this.schedules.reconcileIntervalSeconds()),
        status: () => this.statusJson(),
      });
      this.servers.push(served);
      this.state.endpoints.http = served.url;
      log.info({ http: served.url }, `serving /metrics, /healthz, /readyz, /status on ${served.url}`);
    }
    this.state.phase = "idle";
    this.runner.request("start");
    if (this.parts.source.kind === "git" && settings.pollSeconds) this.pollGit(settings.pollSeconds);
  }

  /** SIGHUP: read the configuration again now and converge to it. */
  reload(): void {
    this.parts.log.info("SIGHUP: reloading the configuration");
    this.runner.request("sighup");
  }

  /** One cycle, then the runs it started; true when it succeeded. */
  async once(): Promise<boolean> {
    this.scheduling = false;
    this.state.phase = "idle";
    await this.cycle("once");
    await this.runs.settled();
    await this.cloudwatch.settled();
    return this.state.lastCycle?.result === "success";
  }

  /**
   * Stops scheduling, lets the cycle in flight finish (or lets go of it after a grace period: every write is
   * idempotent and the inventory is replaced atomically, so the next start converges), stops watching runs,
   * publishes what was not yet published, and closes the servers and the target.
   */
  stop(): Promise<void> {
    return (this.stopping ??= (async () => {
      const { log } = this.parts;
      this.state.phase = "stopping";
      this.schedules.stop();
      if (this.pollTimer) clearTimeout(this.pollTimer);
      this.runs.stop();
      const inFlight = this.runner.running;
      if (inFlight) log.info("stopping: letting the reconcile in flight finish");
      const finished = await within(this.runner.stop(), SHUTDOWN_GRACE_MS);
      if (!finished) log.warn(`stopping: the reconcile in flight did not finish within ${SHUTDOWN_GRACE_MS / 1000}s; the next start converges what it left`);
      await within(this.runs.settled(), 2_000);
      await within(this.partitionsBusy ?? Promise.resolve(), 2_000);
      await within(this.flushRuns(), 4_000);
      await Promise.all(this.servers.map((s) => s.close()));
      await within(this.parts.target.close(), 3_000);
      await this.parts.source.close();
    })());
  }

  private async cycle(reason: string): Promise<{ retry: boolean }> {
    const { log, metrics, target } = this.parts;
    const startedAt = new Date();
    this.state.phase = "reconciling";
    const loaded = await this.readConfig(reason !== "git"); // a new revision was fetched just before
    if (!loaded) {
      this.state.phase = "idle";
      return { retry: false }; // nothing valid to converge to: the next tick or a new revision reads again
    }
    const { config, revision } = loaded;
    const mode = this.parts.settings.mode ?? config.daemon.mode;
    this.state.mode = mode;
    this.state.lake = config.lake;
    this.applySchedules(config, mode);

    // The embedded AWS logs every call it answers (for tests and benchmarks); a daemon has no use for the log.
    target.embedded?.calls.clear();
    let result: ReconcileResult | undefined;
    let error: string | undefined;
    try {
      result = await reconcile(config, createDrivers(target.clients), {
        dryRun: mode === "observe",
        wait: false,
        target: target.id,
        stateDir: config.local.stateDir,
        onEvent: (event) => {
          if (event.phase !== "end" || !event.result) return;
          const r = event.result;
          const fields = { address: r.address, action: r.action, status: r.status, seconds: Number(r.seconds.toFixed(3)) };
          if (r.status === "done") log.info(fields, `${r.action} ${r.address}: done`);
          else log.warn({ ...fields, error: r.error }, `${r.action} ${r.address}: ${r.status} — ${r.error ?? ""}`);
        },
        log: (message) => log.debug(message),
      });
    } catch (err) {
      error = (err as Error).message;
    }
    const crashed = result === undefined;
    const endedAt = new Date();
    const seconds = (endedAt.getTime() - startedAt.getTime()) / 1000;
    const figures = cycleFigures({ lake: config.lake, mode, ...(result ? { result } : {}), durationSeconds: seconds, runs: this.takeEndedRuns(), timestamp: endedAt });
    if (!error && result && !result.ok) error = firstProblem(result);
    const record: CycleRecord = {
      reason,
      mode,
      revision,
      startedAt: startedAt.toISOString(),
      endedAt: endedAt.toISOString(),
      seconds,
      result: figures.result,
      changes: sum(figures.changes),
      drift: sum(figures.drift),
      failures: figures.failures,
      ...(error ? { error } : {}),
    };
    metrics.cycle(figures);
    this.state.cycleEnded(record, result);
    this.summary(record, result);

    for (const run of result?.runs ?? []) {
      const crawler = /^crawler\.(.+)$/.exec(run.address)?.[1];
      if (!crawler) continue;
      if (run.status === "started" || run.status === "running") this.runs.crawl(crawler, run.reason, false);
      else if (run.status === "failed") this.runs.crawlNotStarted(crawler, run.reason, run.detail ?? "could not be started");
    }
    if (record.result === "success" && !this.partitionsCounted) {
      this.partitionsCounted = true;
      for (const db of config.databases) this.partitionsDirty.add(db.name);
    }
    this.refreshPartitions();
    if (config.metrics.cloudwatch.enabled) await this.cloudwatch.publish(config.metrics.cloudwatch.namespace, figures);
    this.state.phase = "idle";
    // Conflicts wait for a person; a cycle that crashed, or reads, writes or runs that failed, may pass: retry.
    const transient = crashed || figures.failures > 0 || (result?.runs ?? []).some((r) => r.status === "failed");
    return { retry: record.result === "failure" && transient };
  }

  /** The configuration to converge to: the source's current one if valid, else the last valid one. */
  private async readConfig(fetch: boolean): Promise<LoadedConfig | undefined> {
    const { source, log, metrics } = this.parts;
    if (fetch) await this.fetchSource();
    this.state.latestRevision = source.currentRevision();
    try {
      const loaded = await source.load();
      metrics.configReload("success");
      if (loaded.revision !== this.current?.revision) {
        log.info({ revision: loaded.revision, source: source.description }, `configuration ${loaded.revision} loaded from ${source.description}`);
        metrics.configRevision(loaded.revision);
        this.warnOnRestartOnly(loaded.config);
      }
      this.current = loaded;
      this.state.revision = loaded.revision;
      this.state.configRejected = undefined;
      this.lastRejection = "";
      return loaded;
    } catch (err) {
      metrics.configReload("failure");
      const revision = source.currentRevision();
      const issues = err instanceof ConfigError ? err.issues.map((i) => formatIssue({ ...i, file: source.displayPath(i.file) })) : [(err as Error).message];
      const keeping = this.current ? `still converging to ${this.current.revision}` : "nothing to converge to yet";
      this.state.configRejected = { at: new Date().toISOString(), ...(revision ? { revision } : {}), issues };
      const key = `${revision}\u0000${issues.join("\n")}`;
      if (key !== this.lastRejection) {
        for (const issue of issues) log.error({ revision }, issue);
        log.error({ revision, errors: issues.length }, `configuration ${revision ?? ""} rejected (${issues.length} ${issues.length === 1 ? "error" : "errors"}); ${keeping}`);
      } else {
        log.warn({ revision }, `configuration ${revision ?? ""} is still invalid; ${keeping}`);
      }
      this.lastRejection = key;
      return this.current;
    }
  }

  /** The target is opened once, at start: a configuration that asks for another one is reported. */
  private warnOnRestartOnly(config: LakeConfig): void {
    const { target, settings, log } = this.parts;
    const differs: string[] = [];
    if (config.region !== target.clients.region) differs.push(`region ${config.region} (in use: ${target.clients.region})`);
    if (!settings.targetFromFlags && config.target !== (target.embedded ? "local" : "aws")) differs.push(`target ${config.target} (in use: ${target.id})`);
    if (differs.length) log.warn({ differs }, `the configuration asks for ${differs.join(" and ")}: the target is opened at start; restart the daemon to switch`);
  }

  private applySchedules(config: LakeConfig, mode: "apply" | "observe"): void {
    const set = scheduleSet(config, { ...(this.parts.settings.schedule ? { reconcile: this.parts.settings.schedule } : {}), crawlers: this.parts.target.embedded !== undefined, runs: mode === "apply" });
    if (!this.scheduling || this.stopping) return;
    if (this.schedules.apply(set)) {
      const next = this.schedules.next();
      this.parts.log.info({ schedule: set.reconcile, timezone: set.timezone, crawlers: Object.keys(set.crawlers), jobs: Object.keys(set.jobs), next }, `reconcile scheduled "${set.reconcile}" (${set.timezone}); next ${next.reconcile ?? "never"}`);
    }
  }

  private startJob(name: string): void {
    const job = this.current?.config.jobs.find((j) => j.name === name);
    if (job) this.runs.job(job, "schedule");
  }

  private runEnded(record: RunRecord, figures: RunFigure[]): void {
    const { log, metrics } = this.parts;
    for (const figure of figures) metrics.run(figure);
    this.endedRuns.push(...figures);
    const fields = { run: record.kind, name: record.name, status: record.status, reason: record.reason, ...(record.seconds !== undefined ? { seconds: record.seconds } : {}) };
    const line = `${record.kind} ${record.name} ${record.status}${record.seconds !== undefined ? ` after ${record.seconds.toFixed(1)}s` : ""}${record.error ? ` — ${record.error}` : ""}`;
    if (record.status === "succeeded") log.info(fields, line);
    else log.warn({ ...fields, error: record.error }, line);
    const config = this.current?.config;
    const database = record.kind === "crawler" ? config?.crawlers.find((c) => c.name === record.name)?.database : config?.jobs.find((j) => j.name === record.name)?.database;
    if (database) {
      this.partitionsDirty.add(database);
      this.refreshPartitions();
    }
  }

  private takeEndedRuns(): RunFigure[] {
    const runs = this.endedRuns;
    this.endedRuns = [];
    return runs;
  }

  /** Counts partitions of the databases whose tables may have changed, one refresh at a time, off the cycle. */
  private refreshPartitions(): void {
    if (this.partitionsBusy || this.partitionsDirty.size === 0 || this.stopping) return;
    const databases = [...this.partitionsDirty];
    this.partitionsDirty.clear();
    this.partitionsBusy = (async () => {
      for (const database of databases) {
        try {
          this.parts.metrics.tablePartitions(database, await countPartitions(this.parts.target.clients.glue, database));
        } catch (err) {
          this.parts.log.warn({ database }, `could not count the partitions of ${database}: ${(err as Error).message}`);
        }
      }
    })().finally(() => {
      this.partitionsBusy = undefined;
      this.refreshPartitions();
    });
  }

  /** At shutdown: the runs that ended after the last cycle's publish go out in a final one. */
  private async flushRuns(): Promise<void> {
    const config = this.current?.config;
    const runs = this.takeEndedRuns();
    if (config?.metrics.cloudwatch.enabled && runs.length > 0) {
      await this.cloudwatch.publishRuns(config.metrics.cloudwatch.namespace, config.lake, this.state.mode, runs);
    }
    await this.cloudwatch.settled();
  }

  /** Fetches the source; a failure is logged (once per distinct message) and the current checkout stays in use. */
  private async fetchSource(): Promise<boolean> {
    const { source, log } = this.parts;
    try {
      const moved = await source.refresh();
      this.lastFetchError = "";
      return moved;
    } catch (err) {
      const message = (err as Error).message;
      if (message !== this.lastFetchError) log.warn({ source: source.description }, `could not fetch the configuration: ${message}`);
      this.lastFetchError = message;
      this.state.lastError = { at: new Date().toISOString(), message };
      return false;
    }
  }

  /** Fetches every `seconds` (from one fetch's start to the next: a commit is seen within one interval). */
  private pollGit(seconds: number): void {
    const poll = async () => {
      if (this.stopping) return;
      const started = Date.now();
      if (await this.fetchSource()) {
        this.parts.log.info({ revision: this.parts.source.currentRevision() }, `new revision ${this.parts.source.currentRevision()} fetched`);
        this.runner.request("git");
      }
      if (!this.stopping) this.pollTimer = setTimeout(() => void poll(), Math.max(0, seconds * 1000 - (Date.now() - started)));
    };
    this.pollTimer = setTimeout(() => void poll(), seconds * 1000);
  }

  private summary(record: CycleRecord, result: ReconcileResult | undefined): void {
    const conflicts = result?.plan.changes.filter((c) => c.action === "conflict").length ?? 0;
    const verb = record.mode === "observe" ? "would change" : "changed";
    const text =
      `reconcile ${record.result === "success" ? "succeeded" : "failed"} (${record.mode}): ${verb} ${record.changes}, ${record.drift} drifted, ${record.failures} failed` +
      `${conflicts ? `, ${conflicts} in conflict` : ""} in ${record.seconds.toFixed(2)}s; revision ${record.revision}` +
      (record.error ? ` — ${record.error}` : "");
    const fields = {
      event: "reconcile",
      result: record.result,
      mode: record.mode,
      reason: record.reason,
      revision: record.revision,
      changes: record.changes,
      drift: record.drift,
      failures: record.failures,
      conflicts,
      seconds: Number(record.seconds.toFixed(3)),
    };
    if (record.result === "success") this.parts.log.info(fields, text);
    else this.parts.log.warn({ ...fields, error: record.error }, text);
  }

  private statusJson(): unknown {
    const next = this.schedules.next();
    if (this.runner.nextRetry) next.retry = this.runner.nextRetry.toISOString();
    return this.state.json({ next, runs: this.runs.last });
  }
}

function sum(items: { count: number }[]): number {
  return items.reduce((total, i) => total + i.count, 0);
}

/** The first reason a cycle did not converge, for the summary line and /status. */
function firstProblem(result: ReconcileResult): string {
  const failed = result.results?.find((r) => r.status === "failed");
  if (failed) return `${failed.address}: ${failed.error ?? "failed"}`;
  const unread = result.plan.errors[0];
  if (unread) return `${unread.address}: ${unread.error}`;
  const conflict = result.plan.changes.find((c) => c.action === "conflict");
  if (conflict) return `${conflict.address}: conflict${conflict.reason ? ` — ${conflict.reason}` : ""}`;
  const run = result.runs?.find((r) => r.status === "failed");
  if (run) return `${run.run}: ${run.detail ?? "failed"}`;
  return "did not converge";
}

/** Waits for `work` at most `ms`; true when it finished in time. */
async function within(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  const done = work.then(
    () => true,
    () => true,
  );
  const finished = await Promise.race([done, timeout]);
  clearTimeout(timer);
  return finished;
}
