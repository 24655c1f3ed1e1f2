// The embedded Glue crawler on ~1 GB of generated JSON Lines over 365 daily partitions, against a full scan of the
// same files by DuckDB's read_json measured in the same run; then an incremental crawl (CRAWL_NEW_FOLDERS_ONLY)
// after one new day is added, against the full crawl; and the crawl of the seed data.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { CreateCrawlerCommand, CreateDatabaseCommand } from "@aws-sdk/client-glue";
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import { DuckDBInstance } from "@duckdb/node-api";
import { createClients } from "../dist/aws/clients.js";
import { generateData } from "../dist/datagen/generate.js";
import { EmbeddedAws, LOCAL_CREDENTIALS } from "../dist/embedded/index.js";
import { crawl, filesUnder, upload } from "./lib/lake.mjs";

const DAYS = Number(process.env.BENCH_CRAWL_DAYS ?? 365);
const EVENTS_PER_DAY = Number(process.env.BENCH_CRAWL_EVENTS_PER_DAY ?? 7000);
const ROOT = join(import.meta.dirname, "..");

async function duckdbScan(dir) {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  await connection.run("SET autoinstall_known_extensions=false");
  const started = performance.now();
  const glob = join(dir, "**", "*.json").replaceAll("'", "''");
  // Every record parsed, every column materialised: what a crawler that read everything would have to do.
  const result = await connection.runAndReadAll(`SELECT count(*) AS n, sum(length(CAST(COLUMNS(*) AS VARCHAR))) FROM read_json('${glob}', format='newline_delimited', ignore_errors=true, union_by_name=true)`);
  const seconds = (performance.now() - started) / 1000;
  const rows = Number(result.getRows()[0][0]);
  connection.closeSync();
  return { seconds, rows };
}

export default async function bench() {
  const dir = mkdtempSync(join(tmpdir(), "lakewarden-bench-crawl-"));
  const aws = new EmbeddedAws({ stateDir: join(dir, "state") });
  const clients = createClients({ region: "us-east-1", requestHandler: aws.requestHandler(), credentials: LOCAL_CREDENTIALS });
  try {
    const { s3, glue } = clients;
    await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: "bench" } }));
    const role = "arn:aws:iam::000000000000:role/Bench";

    // The seed data.
    await s3.send(new CreateBucketCommand({ Bucket: "seed" }));
    await upload(s3, "seed", join(ROOT, "data", "raw"), "data/raw/");
    await glue.send(new CreateCrawlerCommand({ Name: "seed", Role: role, DatabaseName: "bench", TablePrefix: "seed_", Targets: { S3Targets: [{ Path: "s3://seed/data/raw/" }] } }));
    const seed = await crawl(glue, "seed");
    console.log(`seed data (3 files, 601 events): crawl ${seed.seconds.toFixed(3)} s`);

    // ~1 GB over DAYS daily partitions.
    const gen = join(dir, "gen");
    const generated = await generateData({ out: gen, days: DAYS, eventsPerDay: EVENTS_PER_DAY, seed: 7 });
    await s3.send(new CreateBucketCommand({ Bucket: "big" }));
    const up = await upload(s3, "big", gen, "events/");
    const gb = up.bytes / 1e9;
    await glue.send(
      new CreateCrawlerCommand({
        Name: "big",
        Role: role,
        DatabaseName: "bench",
        Targets: { S3Targets: [{ Path: "s3://big/events/" }] },
        RecrawlPolicy: { RecrawlBehavior: "CRAWL_NEW_FOLDERS_ONLY" },
        SchemaChangePolicy: { UpdateBehavior: "LOG", DeleteBehavior: "LOG" },
      }),
    );
    const full = await crawl(glue, "big");
    const scan = await duckdbScan(gen);
    console.log(`${DAYS} daily partitions, ${up.files} files, ${gb.toFixed(2)} GB, ${generated.events} events:`);
    console.log(`  full crawl ${full.seconds.toFixed(2)} s start to READY, ${full.metrics.LastRuntimeSeconds.toFixed(2)} s run (tables created ${full.metrics.TablesCreated})`);
    console.log(`  DuckDB read_json full scan ${scan.seconds.toFixed(2)} s (${scan.rows} rows)`);
    console.log(`  ratio crawl / scan: ${(full.seconds / scan.seconds).toFixed(3)} (goal ≤ 0.5)`);

    // One more day, then an incremental crawl.
    const nextDay = new Date(Date.UTC(2025, 5, 23) + DAYS * 86_400_000).toISOString().slice(0, 10);
    const more = join(dir, "more");
    await generateData({ out: more, days: 1, eventsPerDay: EVENTS_PER_DAY, seed: 8, startDate: nextDay });
    await upload(s3, "big", more, "events/");
    const incremental = await crawl(glue, "big");
    console.log(`  incremental crawl after one new day (${relative(more, filesUnder(more).map((f) => join(more, f))[0])}): ${incremental.seconds.toFixed(3)} s start to READY, ${incremental.metrics.LastRuntimeSeconds.toFixed(3)} s run`);
    console.log(
      `  ratio incremental / full: ${((incremental.seconds / full.seconds) * 100).toFixed(2)} % start to READY (API polling included), ` +
        `${((incremental.metrics.LastRuntimeSeconds / full.metrics.LastRuntimeSeconds) * 100).toFixed(2)} % by run time (goal ≤ 3 %)`,
    );
  } finally {
    clients.destroy();
    await aws.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
