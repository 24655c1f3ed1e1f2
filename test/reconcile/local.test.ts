import { GetJobRunCommand, GetPartitionsCommand, GetTableCommand, StartJobRunCommand, UpdateCrawlerCommand, UpdateJobCommand } from "@aws-sdk/client-glue";
import { GetRoleCommand, UpdateAssumeRolePolicyCommand } from "@aws-sdk/client-iam";
import { CreateBucketCommand, GetObjectCommand, GetPublicAccessBlockCommand, PutObjectCommand, PutPublicAccessBlockCommand, HeadBucketCommand } from "@aws-sdk/client-s3";
import { BatchGetNamedQueryCommand, CreateNamedQueryCommand, GetWorkGroupCommand, ListNamedQueriesCommand, UpdateWorkGroupCommand } from "@aws-sdk/client-athena";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openTarget, type Target } from "../../src/cli/target.js";
import type { LakeConfig } from "../../src/config/types.js";
import { createDrivers } from "../../src/drivers/index.js";
import { reconcile } from "../../src/engine/reconcile.js";
import { renderPlanText } from "../../src/engine/render.js";
import { SeedLake } from "../helpers/seed-lake.js";

/** The seed lake reconciled against the embedded AWS in this process, through the real SDK clients. */
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

function lake(edit?: (yaml: string) => string) {
  const seed = new SeedLake(edit);
  cleanups.push(() => seed.remove());
  let target: Target | undefined;
  const open = async (config: LakeConfig) => {
    await target?.close();
    target = openTarget(config, { target: "local" });
    return target;
  };
  cleanups.push(() => target?.close());
  const run = async (dryRun = false, wait = false) => {
    const config = seed.config();
    const t = await open(config);
    t.embedded!.calls.clear();
    const result = await reconcile(config, createDrivers(t.clients), { dryRun, wait, target: t.id, stateDir: config.local.stateDir });
    return { result, target: t, config };
  };
  return { seed, run };
}

const SAVED_QUERIES = ["events_by_type", "daily_active_users", "session_funnel", "top_products_by_revenue", "conversion_rate_by_device", "session_length_by_device", "average_order_value", "hourly_traffic", "top_search_terms", "coupon_usage", "revenue_by_country", "cart_abandonment_by_category"];

const actions = (r: Awaited<ReturnType<ReturnType<typeof lake>["run"]>>) =>
  Object.fromEntries(r.result.plan.changes.map((c) => [c.address, c.action]));

describe("reconciling the seed lake on the embedded AWS", () => {
  it("creates the buckets, uploads the data, the role, databases, crawlers and job, crawls, then plans zero changes", async () => {
    const { run } = lake();
    const first = await run(false, true);
    expect(first.result.ok).toBe(true);
    expect(actions(first)).toEqual({
      "bucket.raw": "create",
      "bucket.processed": "create",
      "bucket.results": "create",
      "bucket.scripts": "create",
      'upload["raw:data/raw/"]': "create",
      "role.glue": "create",
      "database.ecommerce_raw_db": "create",
      "database.ecommerce_processed_db": "create",
      "crawler.ecommerce_raw_crawler": "create",
      "crawler.ecommerce_processed_crawler": "create",
      "job.etl_raw_to_processed": "create",
      "workgroup.ecomm": "create",
      ...Object.fromEntries(SAVED_QUERIES.map((q) => [`query.${q}`, "create"])),
    });
    // runOn: [create, change, data] — the raw crawler ran; the processed one (scheduled) did not.
    expect(first.result.runs).toEqual([{ address: "crawler.ecommerce_raw_crawler", run: "crawl ecommerce_raw_crawler", reason: "create", status: "succeeded", detail: "1 tables created, 0 updated, 0 deleted" }]);
    const table = (await first.target.clients.glue.send(new GetTableCommand({ DatabaseName: "ecommerce_raw_db", Name: "raw" }))).Table!;
    expect(table.PartitionKeys?.map((k) => `${k.Name} ${k.Type}`)).toEqual(["year string", "month string", "day string"]);
    const partitions = await first.target.clients.glue.send(new GetPartitionsCommand({ DatabaseName: "ecommerce_raw_db", TableName: "raw" }));
    expect(partitions.Partitions?.map((p) => p.Values?.join("/")).sort()).toEqual(["2025/06/23", "2025/06/24"]);
    const { s3 } = first.target.clients;
    const object = await s3.send(new GetObjectCommand({ Bucket: "yourname-ecomm-raw-data-lake", Key: "data/raw/year=2025/month=06/day=23/events_1.json" }));
    expect((await object.Body!.transformToString()).split("\n")[0]).toContain('"event_id"');

    const second = await run(true);
    expect(second.result.changed).toBe(false);
    expect(Object.values(actions(second)).every((a) => a === "noop")).toBe(true);
    expect(renderPlanText(second.result.plan)).toContain("No changes.");
    // A dry run reads and never writes.
    expect(second.target.embedded!.calls.writes()).toEqual([]);
    const third = await run();
    expect(third.result.changed).toBe(false);
    expect(third.target.embedded!.calls.writes()).toEqual([]);
  });

  it("compiles a least-privilege inline policy: only the declared buckets and prefixes, never s3:* or *", async () => {
    const { run } = lake();
    await run();
    const { result } = await run(true);
    expect(result.plan.changes.find((c) => c.address === "role.glue")!.action).toBe("noop");
    const create = (await lake().run(true)).result.plan.changes.find((c) => c.address === "role.glue")!;
    const policy = create.changes.find((c) => c.path === "accessPolicy")!.after as { Statement: { Action: string[]; Resource: string | string[] }[] };
    const actionsUsed = policy.Statement.flatMap((s) => s.Action);
    const resources = policy.Statement.flatMap((s) => ([] as string[]).concat(s.Resource));
    expect(actionsUsed).not.toContain("s3:*");
    expect(resources).not.toContain("*");
    expect(resources).toContain("arn:aws:s3:::yourname-ecomm-raw-data-lake/data/raw/*");
    expect(resources.every((r) => /^arn:aws:s3:::yourname-(ecomm-raw-data-lake|ecomm-processed-data-lake|ecomm-glue-scripts)(\/|$)/.test(r))).toBe(true);
  });

  it("repairs drift in a bucket setting and in the trust policy, and says what it repaired", async () => {
    const { run } = lake();
    const { target } = await run();
    await target.clients.s3.send(new PutPublicAccessBlockCommand({ Bucket: "yourname-ecomm-processed-data-lake", PublicAccessBlockConfiguration: { BlockPublicAcls: false, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: false } }));
    await target.clients.iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: "GlueDataEngineerRole", PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }] }) }));
    const plan = await run(true);
    expect(actions(plan)).toMatchObject({ "bucket.processed": "update", "role.glue": "update" });
    const text = renderPlanText(plan.result.plan);
    expect(text).toContain("publicAccessBlock = false → true");
    expect(text).toContain("trustPolicy");
    const fixed = await run();
    expect(fixed.result.ok).toBe(true);
    const pab = await fixed.target.clients.s3.send(new GetPublicAccessBlockCommand({ Bucket: "yourname-ecomm-processed-data-lake" }));
    expect(pab.PublicAccessBlockConfiguration?.BlockPublicAcls).toBe(true);
    const role = await fixed.target.clients.iam.send(new GetRoleCommand({ RoleName: "GlueDataEngineerRole" }));
    expect(decodeURIComponent(role.Role!.AssumeRolePolicyDocument!)).toContain("glue.amazonaws.com");
    expect(Object.values(actions(await run(true))).every((a) => a === "noop")).toBe(true);
  });

  it("repairs drift in a crawler and a job, and a glueetl job run fails with a clear message on the embedded target", async () => {
    const { run } = lake();
    const { target } = await run();
    const { glue } = target.clients;
    await glue.send(new UpdateCrawlerCommand({ Name: "ecommerce_processed_crawler", Schedule: "cron(0 5 * * ? *)", TablePrefix: "tmp_" }));
    await glue.send(new UpdateJobCommand({ JobName: "etl_raw_to_processed", JobUpdate: { Role: "GlueDataEngineerRole", Command: { Name: "glueetl", ScriptLocation: "s3://elsewhere/x.py" }, NumberOfWorkers: 10, WorkerType: "G.2X" } }));
    const plan = await run(true);
    const crawler = plan.result.plan.changes.find((c) => c.address === "crawler.ecommerce_processed_crawler")!;
    expect(crawler.action).toBe("update");
    expect(crawler.changes.map((c) => c.path).sort()).toEqual(["schedule", "tablePrefix"]);
    const job = plan.result.plan.changes.find((c) => c.address === "job.etl_raw_to_processed")!;
    expect(job.changes.map((c) => c.path)).toEqual(expect.arrayContaining(["command", "workerType", "numberOfWorkers"]));
    const fixed = await run();
    expect(fixed.result.ok).toBe(true);
    const { JobRunId } = await fixed.target.clients.glue.send(new StartJobRunCommand({ JobName: "etl_raw_to_processed" }));
    const { JobRun } = await fixed.target.clients.glue.send(new GetJobRunCommand({ JobName: "etl_raw_to_processed", RunId: JobRunId }));
    expect(JobRun?.JobRunState).toBe("FAILED");
    expect(JobRun?.ErrorMessage).toMatch(/cannot run glueetl jobs.*AWS Glue/);
    expect(Object.values(actions(await run(true))).every((a) => a === "noop")).toBe(true);
  });

  it("converges saved queries: edits in place, removes duplicates and deleted blocks, repairs the workgroup", async () => {
    const { seed, run } = lake();
    await run();
    const sqlFile = join(seed.dir, "sql", "athena_raw_data_queries.sql");
    const named = async (t: Target) => {
      const ids = (await t.clients.athena.send(new ListNamedQueriesCommand({ WorkGroup: "ecomm", MaxResults: 50 }))).NamedQueryIds ?? [];
      return (await t.clients.athena.send(new BatchGetNamedQueryCommand({ NamedQueryIds: ids }))).NamedQueries ?? [];
    };

    // A duplicate made by hand, a changed query, a removed one, and a drifted cutoff.
    const converged = await run(true);
    const before = await named(converged.target);
    const funnelId = before.find((q) => q.Name === "session_funnel")!.NamedQueryId;
    await converged.target.clients.athena.send(new CreateNamedQueryCommand({ Name: "events_by_type", WorkGroup: "ecomm", Database: "ecommerce_raw_db", QueryString: "SELECT 1" }));
    await converged.target.clients.athena.send(new UpdateWorkGroupCommand({ WorkGroup: "ecomm", ConfigurationUpdates: { RemoveBytesScannedCutoffPerQuery: true } }));
    const text = readFileSync(sqlFile, "utf8");
    const edited = text
      .replace("ORDER BY events DESC, event_type ASC;", "ORDER BY events DESC, event_type ASC\nLIMIT 100;")
      .replace(/-- name: coupon_usage[\s\S]*?(?=-- name: revenue_by_country)/, "");
    expect(edited).not.toBe(text);
    writeFileSync(sqlFile, edited.replace("-- name: session_funnel\n-- description: ", "-- name: session_funnel\n-- description: (edited) "));

    const plan = await run(true);
    expect(actions(plan)).toMatchObject({ "query.events_by_type": "update", "query.session_funnel": "update", "query.coupon_usage": "delete", "workgroup.ecomm": "update" });
    const changes = Object.fromEntries(plan.result.plan.changes.map((c) => [c.address, c.changes.map((a) => a.path)]));
    expect(changes["query.events_by_type"]).toEqual(["sql", "duplicates"]);
    expect(changes["query.session_funnel"]).toEqual(["description"]);
    expect(changes["workgroup.ecomm"]).toEqual(["bytesScannedCutoff"]);

    const applied = await run();
    expect(applied.result.ok).toBe(true);
    const after = await named(applied.target);
    expect(after.map((q) => q.Name).sort()).toEqual(SAVED_QUERIES.filter((q) => q !== "coupon_usage").sort());
    expect(after.find((q) => q.Name === "events_by_type")!.QueryString).toContain("LIMIT 100");
    expect(after.find((q) => q.Name === "session_funnel")!.NamedQueryId).toBe(funnelId); // updated in place
    const { WorkGroup } = await applied.target.clients.athena.send(new GetWorkGroupCommand({ WorkGroup: "ecomm" }));
    expect(WorkGroup?.Configuration?.BytesScannedCutoffPerQuery).toBe(10_000_000_000);
    expect(Object.values(actions(await run(true))).every((a) => a === "noop")).toBe(true);
  });

  it("never deletes a bucket that still holds data when it leaves the configuration", async () => {
    const { seed, run } = lake();
    await run();
    seed.edit((y) => y.replace(/^  raw:\n    name: .*\n    versioning: true.*\n/m, "").replace(/^uploads:\n  - from: data\/raw\n    to: raw:data\/raw\/\n/m, "uploads: []\n").replace(/raw:data\/raw\/: read\n\s*/, "").replace("targets: [raw:data/raw/]", "targets: [processed:raw/]"));
    const plan = await run(true);
    expect(plan.result.plan.changes.find((c) => c.address === "bucket.raw")).toMatchObject({ action: "blocked" });
    const applied = await run();
    await applied.target.clients.s3.send(new HeadBucketCommand({ Bucket: "yourname-ecomm-raw-data-lake" }));
    const object = await applied.target.clients.s3.send(new GetObjectCommand({ Bucket: "yourname-ecomm-raw-data-lake", Key: "data/raw/year=2025/month=06/day=24/events_today.json" }));
    expect(object.ContentLength).toBeGreaterThan(0);
  });

  it("deletes an empty bucket it owns once it leaves the configuration", async () => {
    const { seed, run } = lake();
    await run();
    seed.edit((y) => y.replace(/^  processed:\n    name: .*\n/m, "").replace(/processed: readwrite\n\s*/, "").replace(/ +- name: ecommerce_processed_crawler[\s\S]*?recrawl: CRAWL_NEW_FOLDERS_ONLY\n/, "").replace(/s3:\/\/\$\{bucket:processed\}/g, "s3://elsewhere"));
    const plan = await run(true);
    expect(plan.result.plan.changes.find((c) => c.address === "bucket.processed")).toMatchObject({ action: "delete" });
    await run();
    await expect(plan.target.clients.s3.send(new HeadBucketCommand({ Bucket: "yourname-ecomm-processed-data-lake" }))).rejects.toThrow();
  });

  it("reports a bucket of the same name that it does not own as a conflict and leaves it alone", async () => {
    const { run } = lake();
    const { target } = await run(true);
    await target.clients.s3.send(new CreateBucketCommand({ Bucket: "yourname-ecomm-scripts-unrelated" }));
    await target.clients.s3.send(new CreateBucketCommand({ Bucket: "yourname-ecomm-glue-scripts" }));
    await target.clients.s3.send(new PutObjectCommand({ Bucket: "yourname-ecomm-glue-scripts", Key: "theirs.txt", Body: "theirs" }));
    const result = await run();
    expect(actions(result)["bucket.scripts"]).toBe("conflict");
    expect(result.result.plan.changes.find((c) => c.address === "bucket.scripts")!.reason).toMatch(/not owned by lake "ecomm"/);
    expect(result.result.ok).toBe(false); // not converged: the user must rename or adopt
    expect(actions(result)["bucket.raw"]).toBe("create"); // everything else still converges
    const still = await result.target.clients.s3.send(new GetObjectCommand({ Bucket: "yourname-ecomm-glue-scripts", Key: "theirs.txt" }));
    expect(await still.Body!.transformToString()).toBe("theirs");
  });
});
