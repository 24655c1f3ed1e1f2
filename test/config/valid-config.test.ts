import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, formatIssue } from "../../src/config/issues.js";
import { loadConfig } from "../../src/config/load.js";
import { tmpLake } from "../helpers/tmp-lake.js";

const SEED = join(import.meta.dirname, "..", "..", "lake.config.yaml");

function load(yaml: string, env: NodeJS.ProcessEnv = {}, files: Record<string, string> = {}) {
  const dir = tmpLake({ "lake.config.yaml": yaml, ...files });
  return loadConfig(join(dir, "lake.config.yaml"), { env });
}

function errorsOf(yaml: string, env: NodeJS.ProcessEnv = {}): string[] {
  try {
    load(yaml, env);
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.issues.map((i) => formatIssue(i).replace(/^.*lake\.config\.yaml/, "lake.config.yaml"));
    throw err;
  }
}

describe("the seed lake configuration", () => {
  it("is valid and describes the seed's whole lake", () => {
    const c = loadConfig(SEED, { env: {} });
    expect(c.lake).toBe("ecomm");
    expect(c.target).toBe("local");
    expect(Object.values(c.buckets).map((b) => b.name)).toEqual([
      "yourname-ecomm-raw-data-lake",
      "yourname-ecomm-processed-data-lake",
      "yourname-athena-query-results",
      "yourname-ecomm-glue-scripts",
    ]);
    for (const bucket of Object.values(c.buckets)) {
      expect(bucket.publicAccessBlock).toBe(true);
      expect(bucket.encryption.algorithm).toBe("AES256");
    }
    expect(c.uploads).toEqual([{ from: join(c.dir, "data/raw"), to: { bucket: "raw", prefix: "data/raw/" }, exclude: [], prune: false }]);
    const role = c.roles.glue!;
    expect(role.name).toBe("GlueDataEngineerRole");
    expect(role.trust).toEqual(["glue.amazonaws.com"]);
    expect(role.managedPolicies).toEqual(["arn:aws:iam::aws:policy/service-role/AWSGlueServiceRole"]);
    expect(role.access).toContainEqual({ target: { bucket: "raw", prefix: "data/raw/" }, level: "read" });
    expect(role.access).toContainEqual({ target: { bucket: "processed", prefix: "" }, level: "readwrite" });
    expect(c.databases.map((d) => d.name)).toEqual(["ecommerce_raw_db", "ecommerce_processed_db"]);
    const [raw, processed] = c.crawlers;
    expect(raw).toMatchObject({
      name: "ecommerce_raw_crawler",
      database: "ecommerce_raw_db",
      role: { kind: "declared", key: "glue" },
      targets: [{ path: { bucket: "raw", prefix: "data/raw/" }, exclusions: [] }],
      schemaChange: { update: "UPDATE_IN_DATABASE", delete: "DEPRECATE_IN_DATABASE" },
      runOn: ["create", "change", "data"],
    });
    expect(raw!.schedule).toBeUndefined(); // on demand
    expect(processed).toMatchObject({ recrawl: "CRAWL_NEW_FOLDERS_ONLY", schemaChange: { update: "LOG", delete: "LOG" }, schedule: "cron(30 3 * * ? *)" });
    const job = c.jobs[0]!;
    expect(job).toMatchObject({ name: "etl_raw_to_processed", type: "glueetl", glueVersion: "4.0", workers: { type: "G.1X", count: 2 }, timeout: 3600 });
    expect(job.script).toBe(join(c.dir, "glue_scripts/etl_raw_to_processed.py"));
    expect(job.scriptLocation).toEqual({ bucket: "scripts", prefix: "glue_scripts/" });
    expect(job.arguments["--target_path"]).toBe("s3://yourname-ecomm-processed-data-lake/events/");
    expect(c.workgroups).toMatchObject([{ name: "ecomm", results: { bucket: "results", prefix: "athena/" }, bytesScannedCutoff: 10_000_000_000, enforce: true }]);
    expect(c.savedQueries.length).toBeGreaterThanOrEqual(8);
    expect(c.savedQueries.length).toBeLessThanOrEqual(12);
    for (const q of c.savedQueries) {
      expect(q.name).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(q.description).toBeTruthy();
      expect(q.sql).toContain('"ecommerce_raw_db"."raw"');
      expect(q.workgroup).toBe("ecomm");
    }
    expect(c.schedule).toEqual({ reconcile: "*/5 * * * *", timezone: "UTC" });
    expect(c.metrics.cloudwatch).toEqual({ enabled: true, namespace: "Lakewarden" });
  });

  it("takes the bucket prefix from LAKE_PREFIX", () => {
    const c = loadConfig(SEED, { env: { LAKE_PREFIX: "acme" } });
    expect(c.buckets.raw!.name).toBe("acme-ecomm-raw-data-lake");
    expect(c.jobs[0]!.arguments["--TempDir"]).toBe("s3://acme-ecomm-glue-scripts/temp/");
  });
});

describe("defaults", () => {
  it("make a two-line config a complete one", () => {
    const c = load("version: 1\nlake: shop\n");
    expect(c).toMatchObject({
      region: "us-east-1",
      target: "local",
      buckets: {},
      uploads: [],
      defaults: { deletionPolicy: "delete" },
      schedule: { reconcile: "*/5 * * * *", timezone: "UTC" },
      daemon: { mode: "apply", http: { host: "127.0.0.1", port: 9464 }, retry: { attempts: 3, backoff: 10 } },
      metrics: { prometheus: { enabled: true }, cloudwatch: { enabled: true, namespace: "Lakewarden" } },
      apply: { concurrency: 8 },
    });
    expect(c.local.stateDir).toBe(join(c.dir, ".lakewarden"));
  });

  it("give a bucket public access blocked, SSE-S3, no versioning, no force destroy", () => {
    const c = load("version: 1\nlake: shop\nbuckets: { raw: { name: shop-raw } }\n");
    expect(c.buckets.raw).toEqual({
      key: "raw",
      name: "shop-raw",
      publicAccessBlock: true,
      encryption: { algorithm: "AES256", bucketKey: false },
      versioning: false,
      lifecycle: [],
      tags: {},
      forceDestroy: false,
      deletionPolicy: "delete",
      adopt: false,
    });
  });

  it("use the only declared role and workgroup, and a per-resource deletion policy over the default", () => {
    const c = load(
      "version: 1\nlake: shop\ndefaults: { deletionPolicy: retain }\nbuckets: { raw: { name: shop-raw, deletionPolicy: delete } }\n" +
        "roles: { glue: { name: GlueRole } }\ndatabases: [{ name: shop_raw }]\nworkgroups: [{ name: wg }]\n" +
        "crawlers: [{ name: c, database: shop_raw, targets: [raw:x/] }]\nqueries: [{ file: q.sql, database: shop_raw }]\n",
      {},
      { "q.sql": "-- name: one\nSELECT 1;\n" },
    );
    expect(c.crawlers[0]!.role).toEqual({ kind: "declared", key: "glue" });
    expect(c.crawlers[0]!.deletionPolicy).toBe("retain");
    expect(c.buckets.raw!.deletionPolicy).toBe("delete");
    expect(c.savedQueries[0]).toMatchObject({ name: "one", sql: "SELECT 1", workgroup: "wg", database: "shop_raw" });
  });

  it("accept an IAM role ARN for a role outside the lake", () => {
    const c = load("version: 1\nlake: shop\nbuckets: { raw: { name: shop-raw } }\ndatabases: [{ name: d }]\ncrawlers: [{ name: c, database: d, targets: [raw:x/], role: 'arn:aws:iam::123456789012:role/Ext' }]\n");
    expect(c.crawlers[0]!.role).toEqual({ kind: "external", arn: "arn:aws:iam::123456789012:role/Ext" });
  });
});

describe("interpolation", () => {
  it("reads environment variables, with defaults, and variables built from them", () => {
    const yaml = "version: 1\nlake: shop\nvars:\n  env: ${env:STAGE:-dev}\n  prefix: acme-${vars.env}\nbuckets: { raw: { name: '${vars.prefix}-raw' } }\n";
    expect(load(yaml).buckets.raw!.name).toBe("acme-dev-raw");
    expect(load(yaml, { STAGE: "prod" }).buckets.raw!.name).toBe("acme-prod-raw");
  });

  it("treats an empty environment variable as unset, so its default applies", () => {
    expect(load("version: 1\nlake: shop\nregion: ${env:REGION:-eu-west-1}\n", { REGION: "" }).region).toBe("eu-west-1");
  });

  it("types a value that is a single reference as the schema expects it", () => {
    const yaml = "version: 1\nlake: shop\napply: { concurrency: '${env:CONCURRENCY}' }\nmetrics: { prometheus: { enabled: '${env:PROM:-false}' } }\n";
    const c = load(yaml, { CONCURRENCY: "16" });
    expect(c.apply.concurrency).toBe(16);
    expect(c.metrics.prometheus.enabled).toBe(false);
    expect(errorsOf(yaml, { CONCURRENCY: "many" })).toEqual([
      'lake.config.yaml:3:23: apply.concurrency: is "many" — expected an integer',
    ]);
  });

  it("keeps $${ as a literal ${", () => {
    const c = load("version: 1\nlake: shop\nbuckets: { s: { name: shop-s } }\nroles: { r: { name: R } }\njobs: [{ name: j, script: j.py, scriptLocation: 's:x/', arguments: { --template: 'a-$${b}' } }]\n", {}, { "j.py": "" });
    expect(c.jobs[0]!.arguments["--template"]).toBe("a-${b}");
  });

  it("resolves YAML anchors and merge keys", () => {
    const c = load("version: 1\nlake: shop\nbuckets:\n  raw: &bucket { name: shop-raw, versioning: true }\n  copy: { <<: *bucket, name: shop-copy }\n");
    expect(c.buckets.copy).toMatchObject({ name: "shop-copy", versioning: true });
  });
});
