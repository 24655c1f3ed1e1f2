/**
 * Interop: the Debian aws CLI v2 against `lakewarden local serve` for Glue — on a state directory where the seed
 * lake was reconciled, so the catalog, the crawler and the data are the seed's.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AwsCli, requireAwsCli, SKIP_AWSCLI } from "../helpers/aws-cli.js";
import { lakewarden } from "../helpers/cli.js";
import { startLocalServe, type LocalServe } from "../helpers/local-serve.js";
import { SeedLake } from "../helpers/seed-lake.js";

let seed: SeedLake;
let serve: LocalServe | undefined;
let work = "";
let cli: AwsCli;

describe.skipIf(SKIP_AWSCLI)("aws CLI v2 against lakewarden local serve: Glue", () => {
  beforeAll(async () => {
    requireAwsCli();
    seed = new SeedLake();
    const reconciled = lakewarden(["reconcile", "-c", seed.file, "--wait"]);
    expect(reconciled.code, reconciled.stdout + reconciled.stderr).toBe(0);
    work = mkdtempSync(join(tmpdir(), "lakewarden-awscli-glue-"));
    mkdirSync(join(work, "home"));
    serve = await startLocalServe({ stateDir: join(seed.dir, ".lakewarden") });
    cli = new AwsCli(serve, work, join(work, "home"));
  });

  afterAll(async () => {
    try {
      if (serve) expect(await serve.stop()).toBe(0);
    } finally {
      seed?.remove();
      if (work) rmSync(work, { recursive: true, force: true });
    }
  });

  it("lists the lake's databases", () => {
    const out = cli.okJson<{ DatabaseList: { Name: string }[] }>(["glue", "get-databases"]);
    expect(out.DatabaseList.map((d) => d.Name).sort()).toEqual(["ecommerce_processed_db", "ecommerce_raw_db"]);
  });

  it("shows the crawled table raw, partitioned by year, month and day, and its partitions", () => {
    const tables = cli.okJson<{ TableList: { Name: string; PartitionKeys: { Name: string; Type: string }[]; StorageDescriptor: { Columns: { Name: string }[] } }[] }>(["glue", "get-tables", "--database-name", "ecommerce_raw_db"]);
    expect(tables.TableList.map((t) => t.Name)).toEqual(["raw"]);
    expect(tables.TableList[0]!.PartitionKeys).toEqual([
      { Name: "year", Type: "string" },
      { Name: "month", Type: "string" },
      { Name: "day", Type: "string" },
    ]);
    expect(tables.TableList[0]!.StorageDescriptor.Columns.map((c) => c.Name)).toContain("event_type");
    const partitions = cli.okJson<{ Partitions: { Values: string[] }[] }>(["glue", "get-partitions", "--database-name", "ecommerce_raw_db", "--table-name", "raw"]);
    expect(partitions.Partitions.map((p) => p.Values.join("/")).sort()).toEqual(["2025/06/23", "2025/06/24"]);
    const filtered = cli.okJson<{ Partitions: { Values: string[] }[] }>(["glue", "get-partitions", "--database-name", "ecommerce_raw_db", "--table-name", "raw", "--expression", "day='24'"]);
    expect(filtered.Partitions.map((p) => p.Values.join("/"))).toEqual(["2025/06/24"]);
  });

  it("starts the crawler, which goes back to READY with a successful last crawl", async () => {
    cli.ok(["glue", "start-crawler", "--name", "ecommerce_raw_crawler"]);
    let crawler: { State: string; LastCrawl?: { Status: string } } | undefined;
    for (let i = 0; i < 600; i++) {
      crawler = cli.okJson<{ Crawler: { State: string; LastCrawl?: { Status: string } } }>(["glue", "get-crawler", "--name", "ecommerce_raw_crawler"]).Crawler;
      if (crawler.State === "READY") break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(crawler?.State).toBe("READY");
    expect(crawler?.LastCrawl?.Status).toBe("SUCCEEDED");
    cli.fails(["glue", "get-table", "--database-name", "ecommerce_raw_db", "--name", "nope"], "EntityNotFoundException");
  });
});
