import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { lakewarden } from "../helpers/cli.js";
import { SeedLake } from "../helpers/seed-lake.js";

const seed = new SeedLake();
afterAll(() => seed.remove());
const run = (...args: string[]) => lakewarden([...args, "-c", seed.file], { env: { NO_COLOR: "1" } });

describe("lakewarden plan / reconcile (the built binary, embedded AWS)", () => {
  it("plans the seed lake like Terraform, with exit code 2 for pending changes under --detailed-exitcode", () => {
    const r = run("plan", "--detailed-exitcode");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(2);
    expect(r.stdout).toContain("# bucket.raw will be created");
    expect(r.stdout).toContain('+ bucket "yourname-ecomm-raw-data-lake" {');
    expect(r.stdout).toContain("+ data/raw/year=2025/month=06/day=23/events_1.json");
    expect(r.stdout).toContain("Plan: 24 to create, 0 to update, 0 to delete.");
    expect(run("reconcile", "--dry-run").code).toBe(0);
  });

  it("emits the documented JSON plan", () => {
    const r = run("plan", "--output", "json");
    const plan = JSON.parse(r.stdout) as { format_version: string; summary: Record<string, number>; changes: { address: string; action: string; attributes: unknown[] }[] };
    expect(plan.format_version).toBe("1");
    expect(plan.summary).toMatchObject({ create: 24, update: 0, delete: 0 });
    expect(plan.changes.map((c) => c.address)).toContain("role.glue");
  });

  it("applies, then has nothing left to do", () => {
    const applied = run("reconcile", "--detailed-exitcode", "--wait");
    expect(applied.code).toBe(2);
    expect(applied.stdout).toContain("bucket.raw: Creation complete");
    expect(applied.stdout).toContain("Apply complete: 24 created, 0 updated, 0 deleted");
    expect(applied.stdout).toContain("✓ crawl ecommerce_raw_crawler (create): succeeded — 1 tables created, 0 updated, 0 deleted");
    const again = run("reconcile", "--detailed-exitcode");
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("No changes. The lake matches the configuration.");
  });

  it("crawls on demand and tells what the crawl changed in the catalog", () => {
    const r = run("crawl", "ecommerce_raw_crawler", "--wait");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("✓ crawl succeeded");
    expect(r.stdout).toContain("the catalog did not change");
    const missing = run("crawl", "no_such_crawler");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('crawler "no_such_crawler" does not exist');
  });

  it("runs a saved query on the crawled data and prints its rows and the data scanned", () => {
    const csv = run("query", "--named", "events_by_type", "--output", "csv");
    expect(csv.code).toBe(0);
    const lines = csv.stdout.trim().split("\n");
    expect(lines[0]).toBe('"event_type","events","approx_users","approx_sessions","pct_of_events"');
    const total = lines.slice(1).reduce((sum, line) => sum + Number(JSON.parse(`[${line}]`)[1]), 0);
    expect(total).toBe(601);
    expect(csv.stderr).toMatch(/\d+ rows · Run time: [\d.]+ sec · Data scanned: [\d.]+ KB · [0-9a-f-]{36}/);

    const json = JSON.parse(run("query", "SELECT count(*) AS n FROM raw WHERE day = '23'", "--database", "ecommerce_raw_db", "-o", "json").stdout) as {
      state: string;
      rows: { n: string }[];
      statistics: { dataScannedInBytes: number };
    };
    expect(json.state).toBe("SUCCEEDED");
    expect(Number(json.rows[0]!.n)).toBeGreaterThan(0);
    expect(json.statistics.dataScannedInBytes).toBeGreaterThan(0);
  });

  it("prints Athena's error and exits 1 when a query fails, and suggests a saved query's name", () => {
    const failed = run("query", "SELECT * FROM no_such_table", "--database", "ecommerce_raw_db");
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain("Query failed: TABLE_NOT_FOUND: line 1:15: Table 'awsdatacatalog.ecommerce_raw_db.no_such_table' does not exist");
    const typo = run("query", "--named", "events_by_tpye");
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain('no saved query "events_by_tpye"');
    expect(typo.stderr).toContain('(did you mean "events_by_type"?)');
  });

  it("refuses an invalid configuration before touching anything", () => {
    const broken = new SeedLake((y) => y.replace("lake: ecomm", "lake: Ecomm"));
    try {
      const r = lakewarden(["reconcile", "-c", broken.file]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/lake\.config\.yaml:\d+:\d+: lake: "Ecomm" is not valid/);
      expect(existsSync(join(broken.dir, ".lakewarden"))).toBe(false);
    } finally {
      broken.remove();
    }
  });
});
