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
    expect(r.stdout).toContain("Plan: 11 to create, 0 to update, 0 to delete.");
    expect(run("reconcile", "--dry-run").code).toBe(0);
  });

  it("emits the documented JSON plan", () => {
    const r = run("plan", "--output", "json");
    const plan = JSON.parse(r.stdout) as { format_version: string; summary: Record<string, number>; changes: { address: string; action: string; attributes: unknown[] }[] };
    expect(plan.format_version).toBe("1");
    expect(plan.summary).toMatchObject({ create: 11, update: 0, delete: 0 });
    expect(plan.changes.map((c) => c.address)).toContain("role.glue");
  });

  it("applies, then has nothing left to do", () => {
    const applied = run("reconcile", "--detailed-exitcode", "--wait");
    expect(applied.code).toBe(2);
    expect(applied.stdout).toContain("bucket.raw: Creation complete");
    expect(applied.stdout).toContain("Apply complete: 11 created, 0 updated, 0 deleted");
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
