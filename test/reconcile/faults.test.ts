import { ListBucketsCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { ListRolesCommand } from "@aws-sdk/client-iam";
import { afterEach, describe, expect, it } from "vitest";
import { openTarget } from "../../src/cli/target.js";
import { createDrivers } from "../../src/drivers/index.js";
import { reconcile, type ReconcileResult } from "../../src/engine/reconcile.js";
import { parseFaultRules } from "../../src/embedded/faults.js";
import { SeedLake } from "../helpers/seed-lake.js";

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

describe("reconcile under injected faults (through the SDK's own retries)", () => {
  it.each([1, 2, 3])("converges within 3 runs with a fifth of the calls throttled or failing (fault pattern %i), and never duplicates or deletes", async (seedNumber) => {
    const seed = new SeedLake();
    cleanups.push(() => seed.remove());
    const config = seed.config();
    const results: ReconcileResult[] = [];
    const deletes: string[] = [];
    for (let run = 0; run < 3; run++) {
      const target = openTarget(config, { target: "local" });
      target.embedded!.faults.set(parseFaultRules("*:*:throttle:0.1,*:*:error500:0.05,*:*:error503:0.05"), seedNumber * 7919 + run);
      try {
        results.push(await reconcile(config, createDrivers(target.clients), { dryRun: false, target: target.id, stateDir: config.local.stateDir }));
        deletes.push(...target.embedded!.calls.all().filter((c) => c.operation.startsWith("Delete") && c.status < 300).map((c) => c.operation));
      } finally {
        await target.close();
      }
      if (results.at(-1)!.ok) break;
    }
    expect(results.at(-1)!.ok).toBe(true);
    expect(deletes).toEqual([]);

    // Without faults: nothing left to do, and exactly what the config declares exists — once.
    const target = openTarget(config, { target: "local" });
    cleanups.push(() => target.close());
    const check = await reconcile(config, createDrivers(target.clients), { dryRun: true, target: target.id, stateDir: config.local.stateDir });
    expect(check.plan.changes.filter((c) => c.action !== "noop")).toEqual([]);
    const buckets = await target.clients.s3.send(new ListBucketsCommand({}));
    expect(buckets.Buckets!.map((b) => b.Name).sort()).toEqual(Object.values(config.buckets).map((b) => b.name).sort());
    const objects = await target.clients.s3.send(new ListObjectsV2Command({ Bucket: config.buckets.raw!.name }));
    expect(objects.KeyCount).toBe(3);
    const roles = await target.clients.iam.send(new ListRolesCommand({}));
    expect(roles.Roles!.map((r) => r.RoleName)).toEqual(["GlueDataEngineerRole"]);
  });
});
