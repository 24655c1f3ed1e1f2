/* eslint-disable @typescript-eslint/no-explicit-any -- input is schema-validated YAML data */
import { existsSync, readFileSync } from "node:fs";
import { checkSavedQueryName, checkWorkgroupName } from "../names.js";
import { parseSavedQueries } from "../saved-queries.js";
import { parseSize } from "../units.js";
import type { DeletionPolicy, SavedQuery, WorkgroupSpec } from "../types.js";
import type { ResolveContext } from "./context.js";
import { optional } from "./glue.js";

/** Athena refuses a per-query cutoff below 10 MB. */
const MIN_CUTOFF = 10_000_000;

export function resolveWorkgroups(ctx: ResolveContext, raw: any[], deletionPolicy: DeletionPolicy): WorkgroupSpec[] {
  ctx.unique("workgroup", ctx.items(raw, (w, i) => [["workgroups", i, "name"], w.name]));
  return ctx.items(raw, (w, i) => {
    const path = ["workgroups", i];
    ctx.checkName([...path, "name"], checkWorkgroupName(w.name));
    const cutoff = w.bytesScannedCutoff === undefined ? undefined : parseSize(w.bytesScannedCutoff);
    if (cutoff !== undefined && cutoff < MIN_CUTOFF) {
      ctx.report([...path, "bytesScannedCutoff"], { problem: `is ${String(w.bytesScannedCutoff)}`, expected: "expected at least 10MB (Athena's minimum)" });
    }
    if (w.encryption !== "SSE_S3" && w.kmsKey === undefined) {
      ctx.report([...path, "kmsKey"], { problem: "is required but missing", expected: `expected the KMS key that ${w.encryption} encrypts results with` });
    }
    return {
      name: w.name,
      ...(w.description ? { description: w.description } : {}),
      ...optional("results", w.results === undefined ? undefined : ctx.bucketRef([...path, "results"], w.results)),
      ...optional("bytesScannedCutoff", cutoff),
      enforce: w.enforce,
      publishMetrics: w.publishMetrics,
      encryption: w.encryption,
      ...optional("kmsKey", w.kmsKey as string | undefined),
      tags: w.tags,
      deletionPolicy: w.deletionPolicy ?? deletionPolicy,
      adopt: w.adopt,
    };
  });
}

/** Reads every query file; problems inside a file are reported at their line in that file. */
export function resolveSavedQueries(ctx: ResolveContext, raw: any[]): SavedQuery[] {
  const out: SavedQuery[] = [];
  const firstSeen = new Map<string, SavedQuery>();
  ctx.items(raw, (q, i) => {
    const path = ["queries", i];
    const file = ctx.localPath([...path, "file"], q.file, "file");
    const database = ctx.database([...path, "database"], q.database);
    const workgroup = ctx.workgroup([...path, "workgroup"], q.workgroup);
    if (workgroup === undefined) {
      // Athena cannot tag a named query: lakewarden owns saved queries through a workgroup the lake declares.
      ctx.report([...path, "workgroup"], {
        problem: "is required but missing",
        expected: "expected one of the workgroups declared under workgroups (saved queries belong to a workgroup of the lake)",
      });
    }
    if (!existsSync(file)) return;
    const shown = ctx.displayPath(file);
    const { queries, problems } = parseSavedQueries(readFileSync(file, "utf8"));
    const inFile = (line: number, col: number, problem: string, expected: string) =>
      ctx.issues.push({ file: shown, pos: { line, col }, path: [...path, "file"], problem, expected });
    for (const p of problems) inFile(p.line, p.col, p.problem, p.expected);
    if (queries.length === 0 && problems.length === 0) {
      inFile(1, 1, "holds no saved query", "expected blocks that start with -- name: <query_name>");
    }
    for (const parsed of queries) {
      const nameProblem = checkSavedQueryName(parsed.name);
      if (nameProblem) inFile(parsed.line, 1, nameProblem.problem, nameProblem.expected);
      const query: SavedQuery = { ...parsed, database, ...optional("workgroup", workgroup), file };
      const earlier = firstSeen.get(parsed.name);
      if (earlier) {
        inFile(parsed.line, 1, `saved query "${parsed.name}" is declared twice`, `expected each name once (first in ${ctx.displayPath(earlier.file)}:${earlier.line})`);
        continue;
      }
      firstSeen.set(parsed.name, query);
      out.push(query);
    }
  });
  return out;
}
