import type { LakeConfig } from "../config/types.js";
import type { Desired, Driver, DriverContext, InventoryEntry, Observation, Plan, PlannedChange, ResourceRef } from "./types.js";

/** A resource as the plan found it: what is declared (if anything) and what exists. */
export interface Observed {
  driver: Driver;
  desired?: Desired;
  orphan?: InventoryEntry;
  observation: Observation;
}

export interface PlanResult {
  plan: Plan;
  observed: Map<string, Observed>;
}

/**
 * Observes every declared resource and every resource the inventory says this lake applied before, then decides
 * per resource: create, update, adopt, conflict, noop — or, for what left the config: delete, blocked, forget.
 * Reads only.
 */
export async function buildPlan(config: LakeConfig, drivers: Driver[], inventory: InventoryEntry[], ctx: DriverContext, target: string): Promise<PlanResult> {
  const observed = new Map<string, Observed>();
  const errors: Plan["errors"] = [];
  const changes: PlannedChange[] = [];

  await Promise.all(
    drivers.map(async (driver) => {
      const desired = driver.desired(config);
      const declaredNames = new Set(desired.map((d) => d.name));
      const orphans = inventory.filter((e) => e.kind === driver.kind && !declaredNames.has(e.name));
      const refs: ResourceRef[] = [...desired, ...orphans];
      let observations: Observation[];
      try {
        observations = await driver.observe(refs, ctx);
      } catch (err) {
        for (const ref of refs) errors.push({ address: ref.address, error: message(err) });
        return;
      }
      desired.forEach((d, i) => observed.set(d.address, { driver, desired: d, observation: observations[i]! }));
      orphans.forEach((o, i) => observed.set(o.address, { driver, orphan: o, observation: observations[desired.length + i]! }));
    }),
  );

  // Plan in driver order, then declaration order: the order a reader expects and apply follows.
  for (const driver of drivers) {
    for (const [address, entry] of observed) {
      if (entry.driver !== driver) continue;
      const change = entry.desired ? planDeclared(entry.desired, entry.observation, driver, config.lake) : planOrphan(entry.orphan!, entry.observation, driver, config.lake);
      if (change) changes.push({ ...change, address });
    }
  }
  return { plan: { lake: config.lake, target, changes, errors }, observed };
}

function planDeclared(desired: Desired, observation: Observation, driver: Driver, lake: string): PlannedChange {
  const base = { kind: desired.kind, address: desired.address, name: desired.name, dependsOn: desired.dependsOn };
  if (!observation.exists) return { ...base, action: "create", changes: driver.diff(desired, undefined) };
  if (!observation.owned && !desired.adopt) {
    const owner = observation.owner ? ` (${observation.owner})` : "";
    return { ...base, action: "conflict", changes: [], reason: `exists and is not owned by lake "${lake}"${owner}; set adopt: true to take it over, or choose another name` };
  }
  const changes = driver.diff(desired, observation.state);
  if (!observation.owned) return { ...base, action: "adopt", changes };
  return { ...base, action: changes.length ? "update" : "noop", changes };
}

function planOrphan(orphan: InventoryEntry, observation: Observation, driver: Driver, lake: string): PlannedChange | undefined {
  const base = { kind: orphan.kind, address: orphan.address, name: orphan.name, dependsOn: [], changes: [] };
  if (!observation.exists) return { ...base, action: "forget", reason: "no longer exists" };
  if (!observation.owned) return { ...base, action: "forget", reason: `no longer owned by lake "${lake}"; left in place` };
  if (orphan.deletionPolicy === "retain") return { ...base, action: "forget", reason: "deletionPolicy: retain; left in place" };
  if (!driver.delete) return { ...base, action: "forget", reason: "left in place: lakewarden never deletes this kind" };
  const blocked = driver.deletionBlocked?.(orphan, observation.state);
  if (blocked) return { ...base, action: "blocked", reason: blocked };
  return { ...base, action: "delete" };
}

export function message(err: unknown): string {
  if (err instanceof Error) {
    const name = err.name && err.name !== "Error" ? `${err.name}: ` : "";
    return `${name}${err.message}`;
  }
  return String(err);
}

/** Counts for the summary line. */
export function summarize(plan: Plan): Record<"create" | "update" | "delete" | "conflict" | "blocked" | "forget" | "noop", number> {
  const count = { create: 0, update: 0, delete: 0, conflict: 0, blocked: 0, forget: 0, noop: 0 };
  for (const c of plan.changes) {
    if (c.action === "adopt") count.update++;
    else count[c.action]++;
  }
  return count;
}

/** Whether applying the plan would change anything. */
export function hasChanges(plan: Plan): boolean {
  return plan.changes.some((c) => c.action === "create" || c.action === "update" || c.action === "adopt" || c.action === "delete");
}
