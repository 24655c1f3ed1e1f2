import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { LakeConfig } from "../../src/config/types.js";
import { reconcile } from "../../src/engine/reconcile.js";
import { renderPlanText } from "../../src/engine/render.js";
import type { AttributeChange, Desired, Driver, DriverContext, InventoryEntry, Observation, ResourceRef } from "../../src/engine/types.js";

/**
 * A driver over an in-memory "cloud", to test the engine alone: ordering, failure isolation, concurrency,
 * ownership and deletion rules. (Drivers themselves are tested against the embedded AWS and moto.)
 */
interface Thing {
  value: string;
  owner?: string;
  data?: boolean;
}

class ThingDriver implements Driver<{ value: string }, Thing> {
  readonly kind = "thing";
  readonly cloud = new Map<string, Thing>();
  readonly log: string[] = [];
  failing = new Set<string>();
  running = 0;
  maxRunning = 0;

  constructor(public declared: { key: string; value: string; dependsOn?: string[]; adopt?: boolean; retain?: boolean }[]) {}

  desired(): Desired<{ value: string }>[] {
    return this.declared.map((d) => ({
      kind: this.kind,
      address: `thing.${d.key}`,
      name: d.key,
      spec: { value: d.value },
      dependsOn: (d.dependsOn ?? []).map((k) => `thing.${k}`),
      deletionPolicy: d.retain ? "retain" : "delete",
      adopt: d.adopt ?? false,
    }));
  }

  async observe(refs: readonly ResourceRef[], ctx: DriverContext): Promise<Observation<Thing>[]> {
    return refs.map((r) => {
      const t = this.cloud.get(r.name);
      return t ? { exists: true, owned: t.owner === ctx.lake, ...(t.owner ? { owner: `owned by ${t.owner}` } : {}), state: t } : { exists: false };
    });
  }

  diff(desired: Desired<{ value: string }>, observed: Thing | undefined): AttributeChange[] {
    return observed?.value === desired.spec.value ? [] : [{ path: "value", before: observed?.value, after: desired.spec.value }];
  }

  private async work(name: string, op: string, fn: () => void): Promise<void> {
    this.running++;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    await new Promise((r) => setTimeout(r, 5));
    this.running--;
    this.log.push(`${op} ${name}`);
    if (this.failing.has(name)) throw new Error(`${name} refused`);
    fn();
  }

  create(d: Desired<{ value: string }>, ctx: DriverContext) {
    return this.work(d.name, "create", () => this.cloud.set(d.name, { value: d.spec.value, owner: ctx.lake }));
  }

  update(d: Desired<{ value: string }>, _o: Thing, _c: AttributeChange[], ctx: DriverContext) {
    return this.work(d.name, "update", () => this.cloud.set(d.name, { ...this.cloud.get(d.name)!, value: d.spec.value, owner: ctx.lake }));
  }

  delete(r: ResourceRef & InventoryEntry) {
    return this.work(r.name, "delete", () => this.cloud.delete(r.name));
  }

  deletionBlocked(_r: InventoryEntry, observed: Thing) {
    return observed.data ? "holds data" : undefined;
  }
}

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function setup(concurrency = 8) {
  const stateDir = mkdtempSync(join(tmpdir(), "lakewarden-engine-"));
  dirs.push(stateDir);
  const config = { lake: "shop", apply: { concurrency }, tags: {} } as unknown as LakeConfig;
  return (driver: ThingDriver, dryRun = false) => reconcile(config, [driver as unknown as Driver], { dryRun, target: "test", stateDir });
}

describe("the reconcile engine", () => {
  it("creates what is missing, then plans nothing", async () => {
    const run = setup();
    const driver = new ThingDriver([{ key: "a", value: "1" }, { key: "b", value: "2" }]);
    const first = await run(driver);
    expect(first.plan.changes.map((c) => [c.address, c.action])).toEqual([["thing.a", "create"], ["thing.b", "create"]]);
    expect(first.ok).toBe(true);
    const second = await run(driver, true);
    expect(second.plan.changes.every((c) => c.action === "noop")).toBe(true);
    expect(second.changed).toBe(false);
    expect(renderPlanText(second.plan)).toContain("No changes.");
  });

  it("changes nothing on a dry run", async () => {
    const run = setup();
    const driver = new ThingDriver([{ key: "a", value: "1" }]);
    const result = await run(driver, true);
    expect(result.plan.changes[0]!.action).toBe("create");
    expect(driver.cloud.size).toBe(0);
    expect(driver.log).toEqual([]);
  });

  it("repairs drift with an attribute-level update", async () => {
    const run = setup();
    const driver = new ThingDriver([{ key: "a", value: "1" }]);
    await run(driver);
    driver.cloud.get("a")!.value = "tampered";
    const plan = await run(driver, true);
    expect(plan.plan.changes[0]).toMatchObject({ action: "update", changes: [{ path: "value", before: "tampered", after: "1" }] });
    expect(renderPlanText(plan.plan)).toMatch(/~ value = "tampered" → "1"/);
    await run(driver);
    expect(driver.cloud.get("a")!.value).toBe("1");
  });

  it("reports a resource of the same name that it does not own as a conflict, and adopts it only when asked", async () => {
    const run = setup();
    const driver = new ThingDriver([{ key: "a", value: "1" }]);
    driver.cloud.set("a", { value: "theirs" });
    const result = await run(driver);
    expect(result.plan.changes[0]).toMatchObject({ action: "conflict" });
    expect(driver.cloud.get("a")).toEqual({ value: "theirs" });
    driver.declared[0]!.adopt = true;
    const adopted = await run(driver);
    expect(adopted.plan.changes[0]!.action).toBe("adopt");
    expect(driver.cloud.get("a")).toEqual({ value: "1", owner: "shop" });
  });

  it("applies in dependency order, and a failure skips only what depends on it", async () => {
    const run = setup();
    const driver = new ThingDriver([
      { key: "child", value: "1", dependsOn: ["parent"] },
      { key: "parent", value: "1" },
      { key: "broken", value: "1" },
      { key: "needs-broken", value: "1", dependsOn: ["broken"] },
      { key: "independent", value: "1" },
    ]);
    driver.failing.add("broken");
    const result = await run(driver);
    expect(result.ok).toBe(false);
    expect(driver.log.indexOf("create parent")).toBeLessThan(driver.log.indexOf("create child"));
    const status = Object.fromEntries(result.results!.map((r) => [r.address, r.status]));
    expect(status).toEqual({ "thing.child": "done", "thing.parent": "done", "thing.broken": "failed", "thing.needs-broken": "skipped", "thing.independent": "done" });
    expect(driver.log).not.toContain("create needs-broken");
  });

  it("runs at most `concurrency` changes at once", async () => {
    const run = setup(3);
    const driver = new ThingDriver(Array.from({ length: 20 }, (_, i) => ({ key: `t${i}`, value: "1" })));
    await run(driver);
    expect(driver.maxRunning).toBeLessThanOrEqual(3);
    expect(driver.cloud.size).toBe(20);
  });

  it("deletes what left the configuration only when it owns it, keeps what holds data, forgets what it retains", async () => {
    const run = setup();
    const driver = new ThingDriver([
      { key: "gone", value: "1" },
      { key: "full", value: "1" },
      { key: "kept", value: "1", retain: true },
      { key: "stays", value: "1" },
    ]);
    await run(driver);
    driver.cloud.get("full")!.data = true;
    driver.declared = [{ key: "stays", value: "1" }];
    const plan = await run(driver, true);
    expect(Object.fromEntries(plan.plan.changes.map((c) => [c.address, c.action]))).toEqual({
      "thing.stays": "noop",
      "thing.gone": "delete",
      "thing.full": "blocked",
      "thing.kept": "forget",
    });
    await run(driver);
    expect([...driver.cloud.keys()].sort()).toEqual(["full", "kept", "stays"]);
    // Still blocked next time; the retained one is no longer managed at all.
    const again = await run(driver, true);
    expect(Object.fromEntries(again.plan.changes.map((c) => [c.address, c.action]))).toEqual({ "thing.stays": "noop", "thing.full": "blocked" });
  });

  it("never deletes a resource another lake took over", async () => {
    const run = setup();
    const driver = new ThingDriver([{ key: "a", value: "1" }]);
    await run(driver);
    driver.cloud.get("a")!.owner = "other";
    driver.declared = [];
    const result = await run(driver);
    expect(result.plan.changes[0]).toMatchObject({ action: "forget" });
    expect(driver.cloud.has("a")).toBe(true);
  });
});
