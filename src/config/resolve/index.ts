/* eslint-disable @typescript-eslint/no-explicit-any -- input is schema-validated YAML data */
import { dirname, resolve } from "node:path";
import { checkDaemonCron, checkTimezone } from "../cron.js";
import type { Issue } from "../issues.js";
import type { YamlSource } from "../source.js";
import type { LakeConfig } from "../types.js";
import { parseDuration } from "../units.js";
import { resolveSavedQueries, resolveWorkgroups } from "./athena.js";
import { ResolveContext } from "./context.js";
import { resolveCrawlers, resolveDatabases, resolveJobs } from "./glue.js";
import { resolveBuckets, resolveRoles, resolveUploads } from "./storage.js";

/**
 * Checks what the schema cannot (references between sections, AWS naming rules, schedules, local paths, saved
 * query files) and builds the typed configuration. The configuration is usable only when no issue is returned.
 */
export function resolveConfig(
  data: any,
  source: YamlSource,
  absoluteFile: string,
  schemaValid: boolean,
): { config: LakeConfig; issues: Issue[] } {
  const dir = dirname(absoluteFile);
  const ctx = new ResolveContext(
    source,
    dir,
    keysOf(data?.buckets),
    keysOf(data?.roles),
    namesOf(data?.databases),
    namesOf(data?.workgroups),
    typeof data?.defaults?.role === "string" ? data.defaults.role : undefined,
    !schemaValid,
  );
  // On a document the schema rejected, a section may not have the shape its resolver expects: such a section is
  // skipped (the schema's errors already describe it) and the other sections are still checked.
  const section = <T>(fallback: T, build: () => T): T => {
    try {
      return build();
    } catch (err) {
      if (!schemaValid) return fallback;
      throw err;
    }
  };
  const policy = data?.defaults?.deletionPolicy ?? "delete";
  const scriptLocation = section(undefined, () =>
    data.defaults.scriptLocation === undefined ? undefined : ctx.bucketRef(["defaults", "scriptLocation"], data.defaults.scriptLocation),
  );
  section(undefined, () => data.defaults.role !== undefined && ctx.role(["defaults", "role"], data.defaults.role));
  section(undefined, () => ctx.checkName(["schedule", "reconcile"], checkDaemonCron(data.schedule.reconcile)));
  section(undefined, () => ctx.checkName(["schedule", "timezone"], checkTimezone(data.schedule.timezone)));

  const config: LakeConfig = {
    file: absoluteFile,
    dir,
    version: 1,
    lake: data.lake,
    region: data.region,
    target: data.target,
    local: { stateDir: resolve(dir, data.local?.stateDir ?? ".lakewarden") },
    vars: data.vars,
    tags: data.tags ?? {},
    defaults: { deletionPolicy: policy, ...(data.defaults.role ? { role: data.defaults.role } : {}), ...(scriptLocation ? { scriptLocation } : {}) },
    buckets: section({}, () => resolveBuckets(ctx, data.buckets, policy)),
    uploads: section([], () => resolveUploads(ctx, data.uploads)),
    roles: section({}, () => resolveRoles(ctx, data.roles, policy)),
    databases: section([], () => resolveDatabases(ctx, data.databases, policy)),
    crawlers: section([], () => resolveCrawlers(ctx, data.crawlers, policy)),
    jobs: section([], () => resolveJobs(ctx, data.jobs, policy, scriptLocation)),
    workgroups: section([], () => resolveWorkgroups(ctx, data.workgroups, policy)),
    savedQueries: section([], () => resolveSavedQueries(ctx, data.queries)),
    schedule: data.schedule,
    daemon: section(data.daemon, () => ({
      mode: data.daemon.mode,
      http: data.daemon.http,
      endpoint: data.daemon.endpoint,
      retry: { attempts: data.daemon.retry.attempts, backoff: parseDuration(data.daemon.retry.backoff) },
    })),
    ...section({}, () => (data.source?.git ? { source: { git: { ...data.source.git, interval: parseDuration(data.source.git.interval) } } } : {})),
    metrics: data.metrics,
    apply: data.apply,
  };
  return { config, issues: ctx.issues };
}

function keysOf(value: unknown): string[] {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? Object.keys(value) : [];
}

function namesOf(value: unknown): string[] {
  return Array.isArray(value) ? [...new Set(value.flatMap((v) => (typeof v?.name === "string" ? [v.name] : [])))] : [];
}
