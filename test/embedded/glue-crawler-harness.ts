import {
  CreateCrawlerCommand,
  CreateDatabaseCommand,
  GetCrawlerCommand,
  GetPartitionsCommand,
  GetTablesCommand,
  GlueClient,
  StartCrawlerCommand,
  type Crawler,
  type CreateCrawlerCommandInput,
  type Partition,
  type Table,
} from "@aws-sdk/client-glue";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import type Database from "better-sqlite3";
import { crawlRunDetail, drainCrawls } from "../../src/embedded/services/glue/crawlers.js";
import { embeddedStack, TEST_CREDENTIALS } from "../helpers/embedded-stack.js";
import { createGlueService } from "../../src/embedded/services/glue/index.js";
import { putStoredObject } from "../../src/embedded/services/s3/object-store.js";
import { createS3Service } from "../../src/embedded/services/s3/index.js";

/** An embedded S3 + Glue on a temp state directory, reached by the real S3Client and GlueClient in process. */
export interface GlueLake {
  stateDir: string;
  db: Database.Database;
  s3: S3Client;
  glue: GlueClient;
  ctx: { db: Database.Database; stateDir: string; now: () => Date };
  bucket(name: string): Promise<void>;
  /** Writes objects through the S3 API (`bucket/key` → body). */
  put(bucket: string, files: Record<string, string | Buffer>): Promise<void>;
  database(name: string): Promise<void>;
  createCrawler(input: Partial<CreateCrawlerCommandInput> & { Name: string }): Promise<void>;
  /** Starts a crawl and waits until the crawler is READY again with a new LastCrawl; returns the crawler. */
  crawl(name: string): Promise<Crawler>;
  waitReady(name: string, previousRun?: string): Promise<Crawler>;
  tables(database: string): Promise<Map<string, Table>>;
  partitions(database: string, table: string): Promise<Partition[]>;
  detail(name: string): ReturnType<typeof crawlRunDetail>;
  close(): Promise<void>;
}

export const credentials = TEST_CREDENTIALS;

export function glueLake(): GlueLake {
  const stack = embeddedStack([createGlueService(), createS3Service()]);
  const { stateDir, db, handler: requestHandler } = stack;
  const s3 = new S3Client({ region: "us-east-1", credentials, requestHandler, forcePathStyle: true });
  const glue = new GlueClient({ region: "us-east-1", credentials, requestHandler });
  const ctx = { db, stateDir, now: () => new Date() };

  const lake: GlueLake = {
    stateDir,
    db,
    s3,
    glue,
    ctx,
    async bucket(name) {
      await s3.send(new CreateBucketCommand({ Bucket: name }));
    },
    async put(bucket, files) {
      for (const [key, body] of Object.entries(files)) {
        // Large bodies and empty ones (which the SDK warns about) straight into the object store.
        if (body.length === 0 || (Buffer.isBuffer(body) && body.length > 64 * 1024)) await putStoredObject(ctx, bucket, key, body);
        else await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
      }
    },
    async database(name) {
      await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: name } }));
    },
    async createCrawler(input) {
      await glue.send(new CreateCrawlerCommand({ Role: "AWSGlueServiceRole-lake", Targets: { S3Targets: [] }, ...input }));
    },
    async crawl(name) {
      const before = (await glue.send(new GetCrawlerCommand({ Name: name }))).Crawler?.LastCrawl?.MessagePrefix;
      await glue.send(new StartCrawlerCommand({ Name: name }));
      return lake.waitReady(name, before);
    },
    async waitReady(name, previousRun) {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const crawler = (await glue.send(new GetCrawlerCommand({ Name: name }))).Crawler!;
        if (crawler.State === "READY" && crawler.LastCrawl && crawler.LastCrawl.MessagePrefix !== previousRun) return crawler;
        if (Date.now() > deadline) throw new Error(`crawler ${name} did not finish: ${JSON.stringify(crawler)}`);
        await new Promise((r) => setTimeout(r, 5));
      }
    },
    async tables(database) {
      const out = new Map<string, Table>();
      let NextToken: string | undefined;
      do {
        const page = await glue.send(new GetTablesCommand({ DatabaseName: database, NextToken }));
        for (const t of page.TableList ?? []) out.set(t.Name!, t);
        NextToken = page.NextToken;
      } while (NextToken);
      return out;
    },
    async partitions(database, table) {
      const out: Partition[] = [];
      let NextToken: string | undefined;
      do {
        const page = await glue.send(new GetPartitionsCommand({ DatabaseName: database, TableName: table, NextToken }));
        out.push(...(page.Partitions ?? []));
        NextToken = page.NextToken;
      } while (NextToken);
      return out;
    },
    detail(name) {
      return crawlRunDetail(db, name);
    },
    async close() {
      await drainCrawls();
      s3.destroy();
      glue.destroy();
      stack.close();
    },
  };
  return lake;
}

/** `[name, type]` pairs of a table's columns. */
export function columns(table: Table | Partition | undefined): [string, string][] {
  return (table?.StorageDescriptor?.Columns ?? []).map((c) => [c.Name!, c.Type!]);
}

export function jsonLines(records: unknown[]): string {
  return records.map((r) => JSON.stringify(r)).join("\n") + "\n";
}
