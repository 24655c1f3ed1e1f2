import { randomUUID } from "node:crypto";
import { setImmediate as nextTick } from "node:timers/promises";
import type { LastCrawlInfo } from "@aws-sdk/client-glue";
import type Database from "better-sqlite3";
import { AwsError } from "../../protocols/types.js";
import type { ServiceContext } from "../../service.js";
import { pidAlive, writeTransaction } from "../../store/db.js";
import { getBucket } from "../s3/bucket-rows.js";
import { listStoredObjects } from "../s3/object-store.js";
import { sql, toDate } from "./api-common.js";
import { SqliteCatalog } from "./catalog-store.js";
import { parseCrawlerConfiguration } from "./crawler/config.js";
import { crawl, emptyStats, type CrawlOutcome, type CrawlStats } from "./crawler/crawl.js";
import { decodeNode, encodeNode, type EncodedNode } from "./crawler/sample-codec.js";
import type { FileSample } from "./crawler/sample.js";
import type { TypeNode } from "./crawler/types.js";
import { applyPlan, type DeleteBehavior, type PartitionLookup, type UpdateBehavior } from "./crawler/plan.js";
import type { Catalog } from "./catalog.js";
import { findTable } from "./catalog-rows.js";
import { findPartition, partitionShape } from "./partition-rows.js";
import type { CrawlerDefinition } from "./crawler-shape.js";

/**
 * Crawler runs. StartCrawler records a run (RUNNING) and returns; the crawl runs in the background of this process,
 * yielding to the event loop between files, with a heartbeat in its row every second. It reads, plans, and then
 * writes every catalog change in one transaction at the end (the crawler passes through STOPPING meanwhile, as
 * Glue's does), so a crawl that fails or is stopped writes nothing. StopCrawler asks the crawl to stop at its next
 * safe point (between two files); the run ends CANCELLED. A run whose process died (pid gone, or no heartbeat for
 * 30 s) is marked FAILED ("interrupted") by the next call that looks at that crawler, in whatever process.
 */

export interface CrawlerRow {
  name: string;
  definition: string;
  state: "READY" | "RUNNING" | "STOPPING";
  created: number | null;
  updated: number | null;
  version: number | null;
}

export interface RunRow {
  id: string;
  crawler: string;
  state: "RUNNING" | "STOPPING" | "SUCCEEDED" | "FAILED" | "CANCELLED";
  started: number;
  ended: number | null;
  pid: number | null;
  heartbeat: number | null;
  result: string | null;
  error: string | null;
}

/** What glue_crawler_runs.result holds: the crawl's statistics and log, for the CLI. */
export interface CrawlRunDetail extends CrawlStats {
  messages: string[];
}

const HEARTBEAT_MS = 1000;
const STALE_SECONDS = 30;
const MAX_MESSAGES = 200;

/** Bump when sampling or inference changes what a file's sample says: cached samples of older code are not used. */
const SAMPLE_VERSION = 1;

/**
 * Extra state of the crawler (idempotent): the folders each crawler has read (CRAWL_NEW_FOLDERS_ONLY) and the
 * samples of the files it read (by ETag and size).
 */
export function migrateCrawlers(db: Database.Database): void {
  writeTransaction(db, () =>
    db.exec(`
CREATE TABLE IF NOT EXISTS glue_crawler_folders (
  crawler TEXT NOT NULL,
  folder TEXT NOT NULL,           -- bucket/key-prefix/ of a folder holding data files
  PRIMARY KEY (crawler, folder)
) WITHOUT ROWID;

-- What each file's sample gave, by ETag and size: a crawl reads again only the files that changed.
CREATE TABLE IF NOT EXISTS glue_crawler_samples (
  crawler TEXT NOT NULL,
  bucket TEXT NOT NULL,
  key TEXT NOT NULL,
  etag TEXT NOT NULL,
  size INTEGER NOT NULL,
  version INTEGER NOT NULL,       -- SAMPLE_VERSION of the code that sampled
  schema TEXT,                    -- EncodedNode JSON (files of one layout share it: decoded once)
  sample TEXT NOT NULL,           -- the rest of the EncodedSample, JSON
  PRIMARY KEY (crawler, bucket, key)
) WITHOUT ROWID;
`),
  );
}

interface ActiveRun {
  id: string;
  crawler: string;
  stopRequested: boolean;
  done: Promise<void>;
}

/** The crawls running in this process, by run id. */
const active = new Map<string, ActiveRun>();

const nowSeconds = () => Date.now() / 1000;

export function crawlerRow(db: Database.Database, name: string): CrawlerRow | undefined {
  return sql(db, "SELECT * FROM glue_crawlers WHERE name = ?").get(name) as CrawlerRow | undefined;
}

export function requireCrawler(db: Database.Database, name: string): CrawlerRow {
  const row = crawlerRow(db, name);
  if (!row) throw new AwsError("EntityNotFoundException", `Crawler entry with name ${name} does not exist`);
  return row;
}

function currentRun(db: Database.Database, crawler: string): RunRow | undefined {
  return sql(db, "SELECT * FROM glue_crawler_runs WHERE crawler = ? AND state IN ('RUNNING', 'STOPPING') ORDER BY started DESC LIMIT 1").get(crawler) as RunRow | undefined;
}


/**
 * Marks runs of dead processes FAILED and their crawlers READY (in the caller's transaction, or its own).
 * `crawler` limits the check to one crawler.
 */
export function recoverOrphans(db: Database.Database, crawler?: string): void {
  const rows = (
    crawler === undefined
      ? sql(db, "SELECT * FROM glue_crawler_runs WHERE state IN ('RUNNING', 'STOPPING')").all()
      : sql(db, "SELECT * FROM glue_crawler_runs WHERE crawler = ? AND state IN ('RUNNING', 'STOPPING')").all(crawler)
  ) as RunRow[];
  const now = nowSeconds();
  const orphans = rows.filter((r) => {
    if (active.has(r.id)) return false;
    const beat = r.heartbeat ?? r.started;
    return (r.pid !== null && r.pid !== process.pid && !pidAlive(r.pid)) || now - beat > STALE_SECONDS;
  });
  if (!orphans.length) return;
  const mark = () => {
    for (const r of orphans) {
      const message = `The crawl was interrupted: the lakewarden process running it (pid ${r.pid ?? "?"}) stopped before it finished.`;
      sql(db, "UPDATE glue_crawler_runs SET state = 'FAILED', ended = ?, error = ? WHERE id = ? AND state IN ('RUNNING', 'STOPPING')").run(now, message, r.id);
      sql(db, "UPDATE glue_crawlers SET state = 'READY' WHERE name = ?").run(r.crawler);
    }
  };
  if (db.inTransaction) mark();
  else writeTransaction(db, mark);
}

/** Starts a crawl in the background; throws CrawlerRunningException when one is running. */
export function startCrawl(ctx: ServiceContext, name: string): string {
  const id = randomUUID();
  const started = nowSeconds();
  writeTransaction(ctx.db, () => {
    recoverOrphans(ctx.db, name);
    const row = requireCrawler(ctx.db, name);
    if (row.state !== "READY") throw new AwsError("CrawlerRunningException", `Crawler with name ${name} has already started`);
    sql(ctx.db, "INSERT INTO glue_crawler_runs (id, crawler, state, started, pid, heartbeat) VALUES (?, ?, 'RUNNING', ?, ?, ?)").run(id, name, started, process.pid, started);
    sql(ctx.db, "UPDATE glue_crawlers SET state = 'RUNNING' WHERE name = ?").run(name);
  });
  const run: ActiveRun = { id, crawler: name, stopRequested: false, done: Promise.resolve() };
  active.set(id, run);
  run.done = (async () => {
    await nextTick();
    await execute(ctx, run);
  })()
    .catch(() => {
      // execute records its own failures; what escapes it (the state database closed under it) leaves the run
      // RUNNING without a heartbeat, and the next process that looks marks it interrupted.
    })
    .finally(() => active.delete(id));
  return id;
}

/** Asks a running crawl to stop. */
export function stopCrawl(ctx: ServiceContext, name: string): void {
  writeTransaction(ctx.db, () => {
    recoverOrphans(ctx.db, name);
    const row = requireCrawler(ctx.db, name);
    if (row.state === "READY") throw new AwsError("CrawlerNotRunningException", `Crawler with name ${name} isn't running`);
    if (row.state === "STOPPING") throw new AwsError("CrawlerStoppingException", `Crawler with name ${name} is stopping`);
    const run = currentRun(ctx.db, name);
    if (run) sql(ctx.db, "UPDATE glue_crawler_runs SET state = 'STOPPING' WHERE id = ?").run(run.id);
    sql(ctx.db, "UPDATE glue_crawlers SET state = 'STOPPING' WHERE name = ?").run(name);
    for (const r of active.values()) if (r.crawler === name) r.stopRequested = true;
  });
}

/** Waits for this process's running crawls (called when the embedded AWS closes). */
export async function drainCrawls(): Promise<void> {
  while (active.size) await Promise.allSettled([...active.values()].map((r) => r.done));
}

/** Whether a crawl of this crawler runs in this process. */
export function crawlRunsHere(name: string): boolean {
  for (const r of active.values()) if (r.crawler === name) return true;
  return false;
}

const STOPPED = new Error("stopped");

async function execute(ctx: ServiceContext, run: ActiveRun): Promise<void> {
  const db = ctx.db;
  const stopInDb = () => (sql(db, "SELECT state FROM glue_crawler_runs WHERE id = ?").get(run.id) as { state: string } | undefined)?.state !== "RUNNING";
  const heartbeat = setInterval(() => {
    try {
      sql(db, "UPDATE glue_crawler_runs SET heartbeat = ? WHERE id = ? AND state IN ('RUNNING', 'STOPPING')").run(nowSeconds(), run.id);
      if (stopInDb()) run.stopRequested = true;
    } catch {
      // The database is busy or closing: the next beat tries again.
    }
  }, HEARTBEAT_MS);
  heartbeat.unref();

  let outcome: CrawlOutcome | undefined;
  let failure: string | undefined;
  let previous = new Set<string>();
  let cancelled = false;
  try {
    const row = requireCrawler(db, run.crawler);
    const def = JSON.parse(row.definition) as CrawlerDefinition;
    const catalog = crawlCatalog(db, ctx.accountId, ctx.region);
    previous = new Set(
      (sql(db, "SELECT folder FROM glue_crawler_folders WHERE crawler = ?").all(run.crawler) as { folder: string }[]).map((r) => r.folder),
    );
    const cached = sql(db, "SELECT etag, size, schema, sample FROM glue_crawler_samples WHERE crawler = ? AND bucket = ? AND key = ? AND version = ?");
    const schemas = new Map<string, TypeNode>();
    const unsupported = Object.entries(def.Targets ?? {}).filter(([kind, list]) => kind !== "S3Targets" && Array.isArray(list) && list.length);
    outcome = await crawl(
      {
        crawlerName: run.crawler,
        runId: run.id,
        database: (def.DatabaseName ?? "default").toLowerCase(),
        targets: (def.Targets?.S3Targets ?? []).map((t) => ({ path: t.Path!, exclusions: t.Exclusions ?? [], sampleSize: t.SampleSize })),
        tablePrefix: def.TablePrefix,
        config: parseCrawlerConfiguration(def.Configuration),
        updateBehavior: (def.SchemaChangePolicy?.UpdateBehavior ?? "UPDATE_IN_DATABASE") as UpdateBehavior,
        deleteBehavior: (def.SchemaChangePolicy?.DeleteBehavior ?? "DEPRECATE_IN_DATABASE") as DeleteBehavior,
        recrawlBehavior: def.RecrawlPolicy?.RecrawlBehavior ?? "CRAWL_EVERYTHING",
        previousFolders: previous,
        now: new Date(),
      },
      {
        list: (bucket, prefix) => listStoredObjects(ctx, bucket, prefix),
        bucketExists: (bucket) => getBucket(db, bucket) !== undefined,
        catalog,
        cachedSample: (file) => {
          if (!file.etag) return undefined;
          const hit = cached.get(run.crawler, file.bucket, file.key, SAMPLE_VERSION) as { etag: string; size: number; schema: string | null; sample: string } | undefined;
          if (!hit || hit.etag !== file.etag || hit.size !== file.size) return undefined;
          const sample = JSON.parse(hit.sample) as FileSample;
          if (hit.schema !== null) {
            // Shared between the files of one layout: samples' schemas are only ever read.
            let schema = schemas.get(hit.schema);
            if (!schema) schemas.set(hit.schema, (schema = decodeNode(JSON.parse(hit.schema) as EncodedNode)));
            sample.schema = schema;
          }
          return sample;
        },
        checkpoint: async () => {
          await nextTick();
          if (run.stopRequested) throw STOPPED;
        },
      },
    );
    if (unsupported.length) {
      outcome.messages.unshift(`lakewarden's embedded crawler reads S3 targets only; ${unsupported.map(([k]) => k).join(", ")} skipped.`);
    }
    failure = outcome.failure;
  } catch (err) {
    if (err === STOPPED) cancelled = true;
    else failure = `Internal error while crawling: ${(err as Error).message}`;
  }

  clearInterval(heartbeat);
  try {
    // Glue's crawler shows STOPPING while it finishes (writes and logs).
    sql(db, "UPDATE glue_crawlers SET state = 'STOPPING' WHERE name = ?").run(run.crawler);
    writeTransaction(db, () => {
      if (!cancelled && (run.stopRequested || stopInDb())) cancelled = true;
      const stats: CrawlStats = outcome?.stats ?? emptyStats();
      let state: RunRow["state"];
      let error: string | null = null;
      if (cancelled) {
        state = "CANCELLED";
        zeroCounts(stats);
      } else if (failure !== undefined) {
        state = "FAILED";
        error = failure;
        zeroCounts(stats);
      } else {
        state = "SUCCEEDED";
        error = outcome!.warning ?? null;
        if (outcome!.plan) applyPlan(crawlCatalog(db, ctx.accountId, ctx.region), outcome!.plan);
        const insert = sql(db, "INSERT OR IGNORE INTO glue_crawler_folders (crawler, folder) VALUES (?, ?)");
        for (const folder of outcome!.folders) if (!previous.has(folder)) insert.run(run.crawler, folder);
        rememberSamples(db, run.crawler, outcome!);
      }
      const detail: CrawlRunDetail = { ...stats, messages: (outcome?.messages ?? []).slice(0, MAX_MESSAGES) };
      sql(db, "UPDATE glue_crawler_runs SET state = ?, ended = ?, result = ?, error = ?, heartbeat = ? WHERE id = ?").run(
        state,
        nowSeconds(),
        JSON.stringify(detail),
        error,
        nowSeconds(),
        run.id,
      );
      sql(db, "UPDATE glue_crawlers SET state = 'READY' WHERE name = ?").run(run.crawler);
    });
  } catch (err) {
    // Applying failed (a catalog check refused a definition, or the database went away): the run fails, the
    // transaction rolled back, nothing was written.
    try {
      writeTransaction(db, () => {
        sql(db, "UPDATE glue_crawler_runs SET state = 'FAILED', ended = ?, error = ? WHERE id = ?").run(nowSeconds(), `Writing to the Data Catalog failed: ${(err as Error).message}`, run.id);
        sql(db, "UPDATE glue_crawlers SET state = 'READY' WHERE name = ?").run(run.crawler);
      });
    } catch {
      // The state database is closed: the next process marks this run interrupted.
    }
  }
}

/** The catalog a crawl reads and writes, with single-partition lookups (see PartitionLookup). */
function crawlCatalog(db: Database.Database, accountId: string, region: string): Catalog & PartitionLookup {
  const catalog = new SqliteCatalog(db, accountId, region) as SqliteCatalog & PartitionLookup;
  catalog.getPartition = (database, table, values) => {
    const row = findTable(db, database, table);
    const partition = row && findPartition(db, row, values);
    return partition ? partitionShape(partition, accountId) : undefined;
  };
  return catalog;
}

/** Caches the samples this crawl read, and forgets those of files that are gone. */
function rememberSamples(db: Database.Database, crawler: string, outcome: CrawlOutcome): void {
  const put = sql(
    db,
    "INSERT INTO glue_crawler_samples (crawler, bucket, key, etag, size, version, schema, sample) VALUES (?, ?, ?, ?, ?, ?, ?, ?) " +
      "ON CONFLICT (crawler, bucket, key) DO UPDATE SET etag = excluded.etag, size = excluded.size, version = excluded.version, " +
      "schema = excluded.schema, sample = excluded.sample",
  );
  for (const f of outcome.sampled) {
    if (!f.sample || !f.etag) continue;
    const { schema, ...rest } = f.sample;
    put.run(crawler, f.bucket, f.key, f.etag, f.size, SAMPLE_VERSION, schema ? JSON.stringify(encodeNode(schema)) : null, JSON.stringify(rest));
  }
  const listed = new Set(outcome.listed.map((f) => `${f.bucket}/${f.key}`));
  const gone = (sql(db, "SELECT bucket, key FROM glue_crawler_samples WHERE crawler = ?").all(crawler) as { bucket: string; key: string }[]).filter(
    (r) => !listed.has(`${r.bucket}/${r.key}`),
  );
  const del = sql(db, "DELETE FROM glue_crawler_samples WHERE crawler = ? AND bucket = ? AND key = ?");
  for (const r of gone) del.run(crawler, r.bucket, r.key);
}

function zeroCounts(stats: CrawlStats): void {
  stats.tablesCreated = stats.tablesUpdated = stats.tablesDeleted = 0;
  stats.partitionsAdded = stats.partitionsUpdated = stats.partitionsDeleted = 0;
  stats.columnsAdded = [];
}

// ---------------------------------------------------------------- what GetCrawler and GetCrawlerMetrics show

export function lastFinishedRun(db: Database.Database, crawler: string): RunRow | undefined {
  return sql(db, "SELECT * FROM glue_crawler_runs WHERE crawler = ? AND state IN ('SUCCEEDED', 'FAILED', 'CANCELLED') ORDER BY started DESC LIMIT 1").get(crawler) as
    | RunRow
    | undefined;
}

export function lastCrawlInfo(run: RunRow): LastCrawlInfo {
  return {
    Status: run.state as LastCrawlInfo["Status"],
    ...(run.error ? { ErrorMessage: run.error } : {}),
    LogGroup: "/aws-glue/crawlers",
    LogStream: run.crawler,
    MessagePrefix: run.id,
    StartTime: toDate(run.started),
  };
}

/** Milliseconds since the running crawl started (0 when none runs). */
export function elapsedMillis(db: Database.Database, crawler: string): number {
  const run = currentRun(db, crawler);
  return run ? Math.max(0, Math.round((nowSeconds() - run.started) * 1000)) : 0;
}

export function crawlerMetrics(db: Database.Database, crawler: string) {
  const finished = sql(db, "SELECT started, ended, result, state FROM glue_crawler_runs WHERE crawler = ? AND state = 'SUCCEEDED' AND ended IS NOT NULL ORDER BY started").all(crawler) as Pick<
    RunRow,
    "started" | "ended" | "result" | "state"
  >[];
  const durations = finished.map((r) => r.ended! - r.started).sort((a, b) => a - b);
  const median = durations.length
    ? durations.length % 2
      ? durations[(durations.length - 1) / 2]!
      : (durations[durations.length / 2 - 1]! + durations[durations.length / 2]!) / 2
    : 0;
  const last = lastFinishedRun(db, crawler);
  const detail = last?.result ? (JSON.parse(last.result) as Partial<CrawlRunDetail>) : {};
  const running = currentRun(db, crawler);
  const elapsed = running ? nowSeconds() - running.started : 0;
  return {
    CrawlerName: crawler,
    TimeLeftSeconds: running ? Math.max(0, median - elapsed) : 0,
    StillEstimating: running !== undefined && durations.length === 0,
    LastRuntimeSeconds: last?.ended ? last.ended - last.started : 0,
    MedianRuntimeSeconds: median,
    TablesCreated: detail.tablesCreated ?? 0,
    TablesUpdated: detail.tablesUpdated ?? 0,
    TablesDeleted: detail.tablesDeleted ?? 0,
  };
}

/** The detail of a crawler's last finished run (lakewarden's extension: what the CLI shows after a crawl). */
export function crawlRunDetail(db: Database.Database, crawler: string): { run: RunRow; detail: CrawlRunDetail } | undefined {
  const run = lastFinishedRun(db, crawler);
  if (!run) return undefined;
  return { run, detail: { ...emptyStats(), messages: [], ...(run.result ? (JSON.parse(run.result) as Partial<CrawlRunDetail>) : {}) } };
}
