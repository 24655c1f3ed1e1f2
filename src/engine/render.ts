import pc from "picocolors";
import type { ChangeResult } from "./apply.js";
import { summarize } from "./plan.js";
import type { AttributeChange, Plan, PlannedChange, RunReport } from "./types.js";

/** Version of the JSON plan format (`--output json`); bumped on any incompatible change. */
export const PLAN_FORMAT_VERSION = "1";

const HEADLINE: Record<PlannedChange["action"], string> = {
  create: "will be created",
  update: "will be updated in place",
  adopt: "will be adopted and updated in place",
  delete: "will be deleted",
  conflict: "cannot be managed: conflict",
  blocked: "will not be deleted",
  forget: "will no longer be managed",
  noop: "is up to date",
};

const SYMBOL: Record<PlannedChange["action"], string> = {
  create: pc.green("+"),
  update: pc.yellow("~"),
  adopt: pc.yellow("~"),
  delete: pc.red("-"),
  conflict: pc.red("!"),
  blocked: pc.red("!"),
  forget: pc.dim("-"),
  noop: " ",
};

/** The plan as Terraform users read one: a block per change, attribute lines, then the totals. */
export function renderPlanText(plan: Plan): string {
  const lines: string[] = [];
  const shown = plan.changes.filter((c) => c.action !== "noop" && !(c.action === "forget" && c.reason === "no longer exists"));
  if (shown.length === 0 && plan.errors.length === 0) {
    return `${pc.green("No changes.")} The lake matches the configuration.\n`;
  }
  if (shown.length) lines.push("lakewarden will perform the following actions:", "");
  for (const change of shown) {
    lines.push(`  ${pc.bold(`# ${change.address}`)} ${HEADLINE[change.action]}${change.reason ? ` — ${change.reason}` : ""}`);
    lines.push(`  ${SYMBOL[change.action]} ${change.kind} "${change.name}"${change.changes.length ? " {" : ""}`);
    for (const attr of change.changes) lines.push(...renderAttribute(change.action, attr));
    if (change.changes.length) lines.push("    }");
    lines.push("");
  }
  for (const error of plan.errors) lines.push(`  ${pc.red("✗")} ${error.address}: could not be read — ${error.error}`);
  if (plan.errors.length) lines.push("");
  const n = summarize(plan);
  const extra = [n.conflict && `${n.conflict} in conflict`, n.blocked && `${n.blocked} blocked`, n.forget && `${n.forget} to forget`].filter(Boolean);
  lines.push(`${pc.bold("Plan:")} ${n.create} to create, ${n.update} to update, ${n.delete} to delete.${extra.length ? ` (${extra.join(", ")})` : ""}`);
  return `${lines.join("\n")}\n`;
}

function renderAttribute(action: PlannedChange["action"], attr: AttributeChange): string[] {
  if (action === "create" || attr.before === undefined) return [`      ${pc.green("+")} ${attr.path} = ${show(attr.after)}`];
  if (attr.after === undefined) return [`      ${pc.red("-")} ${attr.path} = ${show(attr.before)}`];
  const before = show(attr.before);
  const after = show(attr.after);
  if (before.length + after.length < 100) return [`      ${pc.yellow("~")} ${attr.path} = ${before} → ${after}`];
  return [`      ${pc.yellow("~")} ${attr.path}`, `          ${pc.red("-")} ${before}`, `          ${pc.green("+")} ${after}`];
}

function show(value: unknown): string {
  if (value === undefined) return "(none)";
  return JSON.stringify(value);
}

/** The documented, versioned JSON plan (README: "JSON plan format"). */
export function renderPlanJson(plan: Plan, results?: ChangeResult[], runs?: RunReport[]): string {
  const summary = summarize(plan);
  return `${JSON.stringify(
    {
      format_version: PLAN_FORMAT_VERSION,
      lake: plan.lake,
      target: plan.target,
      summary,
      changes: plan.changes.map((c) => ({
        address: c.address,
        kind: c.kind,
        name: c.name,
        action: c.action,
        ...(c.reason ? { reason: c.reason } : {}),
        attributes: c.changes,
      })),
      errors: plan.errors,
      ...(results ? { results } : {}),
      ...(runs ? { runs } : {}),
    },
    null,
    2,
  )}\n`;
}

/** After apply: one line per failure with why, then the totals. */
export function renderApplySummary(results: ChangeResult[], seconds: number): string {
  const done = (action: string) => results.filter((r) => r.status === "done" && r.action === action).length;
  const failed = results.filter((r) => r.status !== "done");
  const lines = failed.map((r) => `  ${pc.red("✗")} ${r.address} (${r.action}) ${r.status}: ${r.error ?? ""}`);
  const totals = `${done("create")} created, ${done("update") + done("adopt")} updated, ${done("delete")} deleted`;
  const head = failed.length ? pc.red(`Apply finished with ${failed.length} failed:`) : pc.green("Apply complete:");
  lines.push(`${head} ${totals}${failed.length ? `, ${failed.length} failed` : ""} in ${seconds.toFixed(1)}s.`);
  return `${lines.join("\n")}\n`;
}

/** Runs started after apply: `crawl ecommerce_raw_crawler (data): succeeded — 1 tables created …`. */
export function renderRuns(runs: RunReport[]): string {
  const mark = (status: RunReport["status"]) => (status === "failed" ? pc.red("✗") : status === "succeeded" ? pc.green("✓") : "•");
  return `${runs.map((r) => `${mark(r.status)} ${r.run} (${r.reason}): ${r.status}${r.detail ? ` — ${r.detail}` : ""}`).join("\n")}\n`;
}
