import { GetCrawlerCommand, GetJobCommand } from "@aws-sdk/client-glue";
import { GetBucketTaggingCommand, GetObjectCommand } from "@aws-sdk/client-s3";
import { GetRolePolicyCommand } from "@aws-sdk/client-iam";
import { GetNamedQueryCommand, GetWorkGroupCommand, ListNamedQueriesCommand } from "@aws-sdk/client-athena";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTarget } from "../../src/cli/target.js";
import { createDrivers } from "../../src/drivers/index.js";
import { reconcile } from "../../src/engine/reconcile.js";
import { startMoto } from "../helpers/moto.js";
import { SeedLake } from "../helpers/seed-lake.js";

/** The AWS code path (`--target aws --endpoint`) against moto, an AWS emulator lakewarden did not write. */
let moto: Awaited<ReturnType<typeof startMoto>>;
let seed: SeedLake;
const savedEnv = { ...process.env };

beforeAll(async () => {
  moto = await startMoto();
  seed = new SeedLake();
  // The default credential chain, as on AWS; moto accepts any credentials.
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: "testing", AWS_SECRET_ACCESS_KEY: "testing", AWS_SESSION_TOKEN: "", AWS_REGION: "us-east-1" });
  delete process.env.AWS_PROFILE;
});

afterAll(async () => {
  await moto?.stop();
  seed?.remove();
  process.env = savedEnv;
});

async function run(dryRun: boolean) {
  const config = seed.config();
  const target = openTarget(config, { endpoint: moto.endpoint });
  try {
    const result = await reconcile(config, createDrivers(target.clients), { dryRun, target: target.id, stateDir: config.local.stateDir });
    return { result, target, calls: target.clients.calls.total() };
  } finally {
    await target.close();
  }
}

const SAVED_QUERIES = ["events_by_type", "daily_active_users", "session_funnel", "top_products_by_revenue", "conversion_rate_by_device", "session_length_by_device", "average_order_value", "hourly_traffic", "top_search_terms", "coupon_usage", "revenue_by_country", "cart_abandonment_by_category"];

describe("reconcile against moto_server (--target aws --endpoint): buckets, upload, role, Glue, the Athena workgroup and saved queries", () => {
  it("converges the seed lake, then plans zero changes", async () => {
    const first = await run(false);
    const failures = first.result.results?.filter((r) => r.status !== "done");
    expect(failures).toEqual([]);
    expect(first.result.plan.errors).toEqual([]);
    expect(first.result.ok).toBe(true);
    expect(first.result.plan.changes.every((c) => c.action === "create")).toBe(true);
    expect(first.result.plan.changes.map((c) => c.address)).toEqual(["bucket.raw", "bucket.processed", "bucket.results", "bucket.scripts", 'upload["raw:data/raw/"]', "role.glue", "database.ecommerce_raw_db", "database.ecommerce_processed_db", "crawler.ecommerce_raw_crawler", "crawler.ecommerce_processed_crawler", "job.etl_raw_to_processed", "workgroup.ecomm", ...SAVED_QUERIES.map((q) => `query.${q}`)]);

    const second = await run(true);
    const pending = second.result.plan.changes.filter((c) => c.action !== "noop");
    expect(pending).toEqual([]);
    expect(second.result.plan.errors).toEqual([]);
    expect(second.result.ok).toBe(true);
  });

  it("left the ownership tag and the compiled policy where AWS keeps them", async () => {
    const config = seed.config();
    const target = openTarget(config, { endpoint: moto.endpoint });
    try {
      const tags = await target.clients.s3.send(new GetBucketTaggingCommand({ Bucket: "yourname-ecomm-raw-data-lake" }));
      expect(tags.TagSet).toContainEqual({ Key: "lakewarden:lake", Value: "ecomm" });
      const policy = await target.clients.iam.send(new GetRolePolicyCommand({ RoleName: "GlueDataEngineerRole", PolicyName: "lakewarden-s3-access" }));
      expect(decodeURIComponent(policy.PolicyDocument!)).toContain("arn:aws:s3:::yourname-ecomm-raw-data-lake/data/raw/*");
      const { Crawler } = await target.clients.glue.send(new GetCrawlerCommand({ Name: "ecommerce_raw_crawler" }));
      expect(Crawler).toMatchObject({ DatabaseName: "ecommerce_raw_db", Role: "GlueDataEngineerRole", Targets: { S3Targets: [{ Path: "s3://yourname-ecomm-raw-data-lake/data/raw/" }] } });
      const { Job } = await target.clients.glue.send(new GetJobCommand({ JobName: "etl_raw_to_processed" }));
      expect(Job?.Command?.ScriptLocation).toMatch(/^s3:\/\/yourname-ecomm-glue-scripts\/glue_scripts\/etl_raw_to_processed-[0-9a-f]{16}\.py$/);
      expect(Job?.DefaultArguments).toMatchObject({ "--job-bookmark-option": "job-bookmark-enable", "--target_path": "s3://yourname-ecomm-processed-data-lake/events/" });
      const key = Job!.Command!.ScriptLocation!.replace("s3://yourname-ecomm-glue-scripts/", "");
      const script = await target.clients.s3.send(new GetObjectCommand({ Bucket: "yourname-ecomm-glue-scripts", Key: key }));
      expect(await script.Body!.transformToString()).toContain("GlueContext");
    } finally {
      await target.close();
    }
  });

  it("keeps the workgroup's result location and cutoff, and one saved query per name", async () => {
    const config = seed.config();
    const target = openTarget(config, { endpoint: moto.endpoint });
    try {
      const { WorkGroup } = await target.clients.athena.send(new GetWorkGroupCommand({ WorkGroup: "ecomm" }));
      expect(WorkGroup?.Configuration).toMatchObject({
        ResultConfiguration: { OutputLocation: "s3://yourname-athena-query-results/athena/" },
        BytesScannedCutoffPerQuery: 10_000_000_000,
        EnforceWorkGroupConfiguration: true,
      });
      const ids = (await target.clients.athena.send(new ListNamedQueriesCommand({ WorkGroup: "ecomm", MaxResults: 50 }))).NamedQueryIds ?? [];
      expect(ids).toHaveLength(SAVED_QUERIES.length);
      const { NamedQuery } = await target.clients.athena.send(new GetNamedQueryCommand({ NamedQueryId: ids[0]! }));
      expect(NamedQuery).toMatchObject({ WorkGroup: "ecomm", Database: "ecommerce_raw_db" });
    } finally {
      await target.close();
    }
  });

  it("finds its saved queries again after losing its inventory (a crash after create), and creates no duplicate", async () => {
    rmSync(join(seed.config().local.stateDir, "inventory.json"));
    const again = await run(false);
    expect(again.result.ok).toBe(true);
    expect(again.result.plan.changes.filter((c) => c.action !== "noop")).toEqual([]);
    const config = seed.config();
    const target = openTarget(config, { endpoint: moto.endpoint });
    try {
      const ids = (await target.clients.athena.send(new ListNamedQueriesCommand({ WorkGroup: "ecomm", MaxResults: 50 }))).NamedQueryIds ?? [];
      expect(ids).toHaveLength(SAVED_QUERIES.length);
    } finally {
      await target.close();
    }
  });
});
