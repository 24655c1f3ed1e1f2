import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { CreateCrawlerCommand, CreateDatabaseCommand, GetCrawlerCommand, GlueClient, StartCrawlerCommand } from "@aws-sdk/client-glue";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import type Database from "better-sqlite3";
import type { EmbeddedService } from "../../src/embedded/service.js";
import { AthenaQueryError } from "../../src/embedded/services/athena/engine/types.js";
import { SqliteCatalog } from "../../src/embedded/services/glue/catalog-store.js";
import { drainCrawls } from "../../src/embedded/services/glue/crawlers.js";
import { createGlueService } from "../../src/embedded/services/glue/index.js";
import { createS3Service } from "../../src/embedded/services/s3/index.js";
import { putStoredObject } from "../../src/embedded/services/s3/object-store.js";
import { createQueryEngine } from "../../src/embedded/services/athena/engine/index.js";
import type { EngineContext, QueryEngine, StatementRequest, StatementResult } from "../../src/embedded/services/athena/engine/types.js";
import { embeddedStack, TEST_ACCOUNT, TEST_CREDENTIALS, type EmbeddedStack } from "../helpers/embedded-stack.js";

/**
 * A state directory with the embedded S3 and Glue, the seed lake's raw events (data/raw: 601 events, two days)
 * uploaded to the raw bucket and crawled into `ecommerce_raw_db.raw` (partitions year/month/day), a results bucket,
 * and a query engine over it. Shared by the Athena engine's and API's tests.
 */

export const RAW_BUCKET = "seed-ecomm-raw-data-lake";
export const RESULTS_BUCKET = "seed-athena-query-results";
export const RAW_DB = "ecommerce_raw_db";
export const RAW_TABLE = "raw";
export const RESULTS_LOCATION = `s3://${RESULTS_BUCKET}/athena/`;
export const SEED_EVENTS = 601;

const ROOT = join(import.meta.dirname, "..", "..");

/** The repository's data/raw files as `data/raw/<path>` keys. */
export function seedFiles(): Record<string, Buffer> {
  const base = join(ROOT, "data", "raw");
  const out: Record<string, Buffer> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else out[`data/raw/${relative(base, path).split("\\").join("/")}`] = readFileSync(path);
    }
  };
  walk(base);
  return out;
}

export interface SeededLake {
  stack: EmbeddedStack;
  stateDir: string;
  db: Database.Database;
  ctx: EngineContext;
  catalog: SqliteCatalog;
  s3: S3Client;
  glue: GlueClient;
  /** The engine over this state (created on first use, closed by close()). */
  engine: QueryEngine;
  /** Writes an object straight into the object store. */
  put(bucket: string, key: string, body: string | Buffer): Promise<void>;
  /** Runs a statement with the raw database as default and the results bucket as output location. */
  query(sql: string, options?: Partial<Omit<StatementRequest, "sql">>): Promise<StatementResult>;
  /** Runs a crawler over `s3://bucket/prefix` into a database and waits until it is READY again. */
  crawl(name: string, database: string, path: string): Promise<void>;
  close(): Promise<void>;
}

let executions = 0;

export async function seededLake(options: { services?: EmbeddedService[] } = {}): Promise<SeededLake> {
  const stack = embeddedStack([createGlueService(), createS3Service(), ...(options.services ?? [])]);
  const { stateDir, db, handler: requestHandler } = stack;
  const s3 = new S3Client({ region: "us-east-1", credentials: TEST_CREDENTIALS, requestHandler, forcePathStyle: true });
  const glue = new GlueClient({ region: "us-east-1", credentials: TEST_CREDENTIALS, requestHandler });
  const ctx: EngineContext = { db, stateDir, accountId: TEST_ACCOUNT, region: "us-east-1", now: () => new Date() };
  let engine: QueryEngine | undefined;

  const lake: SeededLake = {
    stack,
    stateDir,
    db,
    ctx,
    catalog: new SqliteCatalog(db, TEST_ACCOUNT, "us-east-1"),
    s3,
    glue,
    get engine() {
      engine ??= createQueryEngine(ctx);
      return engine;
    },
    async put(bucket, key, body) {
      await putStoredObject(ctx, bucket, key, body);
    },
    query(sql, overrides = {}) {
      return lake.engine.run({
        sql,
        database: RAW_DB,
        queryExecutionId: `test-${++executions}`,
        outputLocation: RESULTS_LOCATION,
        signal: new AbortController().signal,
        ...overrides,
      });
    },
    async crawl(name, database, path) {
      await glue.send(new CreateCrawlerCommand({ Name: name, Role: "AWSGlueServiceRole-lake", DatabaseName: database, Targets: { S3Targets: [{ Path: path }] } }));
      await glue.send(new StartCrawlerCommand({ Name: name }));
      for (;;) {
        const crawler = (await glue.send(new GetCrawlerCommand({ Name: name }))).Crawler!;
        if (crawler.State === "READY" && crawler.LastCrawl) {
          if (crawler.LastCrawl.Status !== "SUCCEEDED") throw new Error(`crawl ${name} failed: ${crawler.LastCrawl.ErrorMessage}`);
          return;
        }
        await new Promise((r) => setTimeout(r, 5));
      }
    },
    async close() {
      await engine?.close();
      await drainCrawls();
      s3.destroy();
      glue.destroy();
      stack.close();
    },
  };

  await s3.send(new CreateBucketCommand({ Bucket: RAW_BUCKET }));
  await s3.send(new CreateBucketCommand({ Bucket: RESULTS_BUCKET }));
  for (const [key, body] of Object.entries(seedFiles())) await lake.put(RAW_BUCKET, key, body);
  await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: RAW_DB } }));
  await lake.crawl("ecommerce_raw_crawler", RAW_DB, `s3://${RAW_BUCKET}/data/raw/`);
  return lake;
}

/** Sum of the sizes of seed files whose key contains `part` (e.g. `day=23/`). */
export function seedBytes(part = ""): number {
  return Object.entries(seedFiles())
    .filter(([key]) => key.includes(part))
    .reduce((n, [, body]) => n + body.length, 0);
}

/** The AthenaQueryError a statement fails with (the test fails if it succeeds or fails otherwise). */
export async function failure(promise: Promise<unknown>): Promise<AthenaQueryError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof AthenaQueryError) return err;
    throw err;
  }
  throw new Error("expected the statement to fail");
}
