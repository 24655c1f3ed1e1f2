/* eslint-disable @typescript-eslint/no-explicit-any -- input is schema-validated YAML data */
import { checkGlueSchedule } from "../cron.js";
import { checkDatabaseName, checkGlueName } from "../names.js";
import { parseDuration } from "../units.js";
import type { BucketRef, CrawlerSpec, DatabaseSpec, DeletionPolicy, JobSpec } from "../types.js";
import type { ResolveContext } from "./context.js";

export function resolveDatabases(ctx: ResolveContext, raw: any[], deletionPolicy: DeletionPolicy): DatabaseSpec[] {
  ctx.unique("database", ctx.items(raw, (d, i) => [["databases", i, "name"], d.name]));
  return ctx.items(raw, (d, i) => {
    ctx.checkName(["databases", i, "name"], checkDatabaseName(d.name));
    return {
      name: d.name,
      ...(d.description ? { description: d.description } : {}),
      ...(d.location ? { location: ctx.bucketRef(["databases", i, "location"], d.location) } : {}),
      parameters: d.parameters,
      deletionPolicy: d.deletionPolicy ?? deletionPolicy,
      adopt: d.adopt,
    };
  });
}

function schedule(ctx: ResolveContext, path: (string | number)[], value: string): string | undefined {
  ctx.checkName(path, checkGlueSchedule(value));
  return value === "on-demand" ? undefined : value.trim();
}

export function resolveCrawlers(ctx: ResolveContext, raw: any[], deletionPolicy: DeletionPolicy): CrawlerSpec[] {
  ctx.unique("crawler", ctx.items(raw, (c, i) => [["crawlers", i, "name"], c.name]));
  return ctx.items(raw, (c, i): CrawlerSpec => {
    const path = ["crawlers", i];
    ctx.checkName([...path, "name"], checkGlueName("crawler", c.name));
    const newFoldersOnly = c.recrawl === "CRAWL_NEW_FOLDERS_ONLY";
    // Glue refuses CRAWL_NEW_FOLDERS_ONLY unless both schema change behaviours are LOG.
    const update = c.schemaChange?.update ?? (newFoldersOnly ? "LOG" : "UPDATE_IN_DATABASE");
    const del = c.schemaChange?.delete ?? (newFoldersOnly ? "LOG" : "DEPRECATE_IN_DATABASE");
    if (newFoldersOnly && (update !== "LOG" || del !== "LOG")) {
      ctx.report([...path, "schemaChange"], {
        problem: `is update ${update}, delete ${del} with recrawl CRAWL_NEW_FOLDERS_ONLY`,
        expected: "expected update: LOG and delete: LOG (Glue's rule for crawling new folders only), or recrawl: CRAWL_EVERYTHING",
      });
    }
    const role = ctx.role([...path, "role"], c.role);
    return {
      name: c.name,
      ...(c.description ? { description: c.description } : {}),
      database: ctx.database([...path, "database"], c.database),
      role: role ?? { kind: "external", arn: "" },
      targets: ctx.items(c.targets, (t, j) => {
        const target = typeof t === "string" ? { path: t } : t;
        const at = typeof t === "string" ? [...path, "targets", j] : [...path, "targets", j, "path"];
        return {
          path: ctx.bucketRef(at, target.path),
          exclusions: [...c.exclusions, ...(target.exclusions ?? [])],
          ...((target.sampleSize ?? c.sampleSize) !== undefined ? { sampleSize: target.sampleSize ?? c.sampleSize } : {}),
        };
      }),
      ...(c.tablePrefix ? { tablePrefix: c.tablePrefix } : {}),
      ...optional("schedule", schedule(ctx, [...path, "schedule"], c.schedule)),
      schemaChange: { update, delete: del },
      recrawl: c.recrawl,
      grouping: c.grouping,
      runOn: c.runOn,
      tags: c.tags,
      deletionPolicy: c.deletionPolicy ?? deletionPolicy,
      adopt: c.adopt,
    };
  });
}

export function resolveJobs(ctx: ResolveContext, raw: any[], deletionPolicy: DeletionPolicy, scriptLocation: BucketRef | undefined): JobSpec[] {
  ctx.unique("job", ctx.items(raw, (j, i) => [["jobs", i, "name"], j.name]));
  return ctx.items(raw, (j, i): JobSpec => {
    const path = ["jobs", i];
    ctx.checkName([...path, "name"], checkGlueName("job", j.name));
    const common = {
      name: j.name,
      ...(j.description ? { description: j.description } : {}),
      type: j.type,
      glueVersion: j.glueVersion,
      ...(j.pythonVersion ? { pythonVersion: j.pythonVersion } : {}),
      workers: j.workers,
      timeout: parseDuration(j.timeout),
      maxRetries: j.maxRetries,
      maxConcurrentRuns: j.maxConcurrentRuns,
      bookmarks: j.bookmarks,
      arguments: j.arguments,
      ...optional("schedule", schedule(ctx, [...path, "schedule"], j.schedule)),
      tags: j.tags,
      deletionPolicy: j.deletionPolicy ?? deletionPolicy,
      adopt: j.adopt,
    };
    if ("--job-bookmark-option" in j.arguments) {
      ctx.report([...path, "arguments", "--job-bookmark-option"], {
        problem: "sets job bookmarks through an argument",
        expected: "expected bookmarks: enable | disable | pause on the job instead",
      }, true);
    }
    if (j.type === "athena") {
      for (const key of ["script", "scriptLocation", "role"]) {
        if (j[key] !== undefined) ctx.report([...path, key], { problem: "does not apply to an athena job", expected: "expected sql, database and workgroup" }, true);
      }
      if (j.sql === undefined) {
        ctx.report([...path, "sql"], { problem: "is required but missing", expected: "expected the SQL file an athena job runs" });
      }
      if (j.database === undefined) {
        ctx.report([...path, "database"], { problem: "is required but missing", expected: "expected the database an athena job runs in" });
      }
      const workgroup = ctx.workgroup([...path, "workgroup"], j.workgroup);
      return {
        ...common,
        ...optional("sql", j.sql === undefined ? undefined : ctx.localPath([...path, "sql"], j.sql, "file")),
        ...optional("database", j.database === undefined ? undefined : ctx.database([...path, "database"], j.database)),
        ...optional("workgroup", workgroup),
      };
    }
    for (const key of ["sql", "database", "workgroup"]) {
      if (j[key] !== undefined) ctx.report([...path, key], { problem: `does not apply to a ${j.type} job`, expected: "expected script, role and workers" }, true);
    }
    if (j.script === undefined) {
      ctx.report([...path, "script"], { problem: "is required but missing", expected: `expected the local script a ${j.type} job runs` });
    }
    const location = j.scriptLocation === undefined ? scriptLocation : ctx.bucketRef([...path, "scriptLocation"], j.scriptLocation);
    if (location === undefined) {
      ctx.report([...path, "scriptLocation"], {
        problem: "is required but missing",
        expected: "expected where the script is uploaded as bucket:prefix, here or in defaults.scriptLocation",
      });
    }
    const role = ctx.role([...path, "role"], j.role);
    return {
      ...common,
      ...optional("script", j.script === undefined ? undefined : ctx.localPath([...path, "script"], j.script, "file")),
      ...optional("scriptLocation", location),
      ...optional("role", role),
    };
  });
}

/** `{ key: value }` when value is defined, `{}` otherwise: keeps optional properties absent rather than undefined. */
export function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
