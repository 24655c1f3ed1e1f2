import type { JsonHandler } from "../../protocols/json.js";
import { AwsError } from "../../protocols/types.js";
import { writeTransaction } from "../../store/db.js";
import { asList, decodeToken, encodeToken, limitExceeded, pageSize, requireName, sql } from "./api-common.js";
import { jobRunHandlers } from "./job-runs.js";
import { canonical, findJob, jobDefinition, jobShape, requireJob, type JobRow } from "./job-store.js";
import { addTags, checkTags, dropTags, getTags, glueArn } from "./tag-store.js";

/** Jobs: CreateJob, GetJob, GetJobs, ListJobs, BatchGetJobs, UpdateJob, DeleteJob (+ runs, job-runs.ts). */

/** Glue's default quota of jobs per account. */
const MAX_JOBS = 2000;
const GLUE_PAGE = 1000;

/**
 * CreateJob: the Name is the idempotency key. Creating a job again with the same definition succeeds (a retried
 * call after a lost response creates nothing twice); with a different definition it is refused.
 */
const CreateJob: JsonHandler = (input, ctx) => {
  const name = requireName(input.Name, "Name");
  const definition = jobDefinition(input, "CreateJobRequest");
  const tags = checkTags(input.Tags);
  const now = ctx.now().getTime() / 1000;
  writeTransaction(ctx.db, () => {
    const existing = findJob(ctx.db, name);
    if (existing) {
      if (canonical(JSON.parse(existing.definition)) === canonical(definition)) return;
      throw new AwsError("IdempotentParameterMismatchException", `Job ${name} already exists with a different definition; use UpdateJob to change it.`);
    }
    const count = (sql(ctx.db, "SELECT count(*) AS n FROM glue_jobs").get() as { n: number }).n;
    if (count >= MAX_JOBS) throw limitExceeded(`Number of jobs exceeds the limit of ${MAX_JOBS}.`);
    sql(ctx.db, "INSERT INTO glue_jobs (name, definition, created, updated) VALUES (?, ?, ?, ?)").run(name, JSON.stringify(definition), now, now);
    addTags(ctx.db, glueArn(ctx.region, ctx.accountId, { kind: "job", name }), tags);
  });
  return { Name: name };
};

const GetJob: JsonHandler = (input, ctx) => ({ Job: jobShape(requireJob(ctx.db, requireName(input.JobName, "JobName"))) });

function jobPage(ctx: Parameters<JsonHandler>[1], input: Record<string, unknown>, keep: (row: JobRow) => boolean = () => true) {
  const max = pageSize(input.MaxResults, GLUE_PAGE, 100);
  const rows: JobRow[] = [];
  let more = false;
  for (const row of sql(ctx.db, "SELECT * FROM glue_jobs WHERE name > ? ORDER BY name").iterate(decodeToken<string>(input.NextToken) ?? "") as IterableIterator<JobRow>) {
    if (!keep(row)) continue;
    if (rows.length === max) {
      more = true;
      break;
    }
    rows.push(row);
  }
  return { rows, NextToken: more ? encodeToken(rows[rows.length - 1]!.name) : undefined };
}

const GetJobs: JsonHandler = (input, ctx) => {
  const { rows, NextToken } = jobPage(ctx, input);
  return { Jobs: rows.map(jobShape), NextToken };
};

/** ListJobs: names only; with Tags, only the jobs that carry all of them. */
const ListJobs: JsonHandler = (input, ctx) => {
  const wanted = Object.entries(checkTags(input.Tags));
  const { rows, NextToken } = jobPage(ctx, input, (row) => {
    if (!wanted.length) return true;
    const tags = getTags(ctx.db, glueArn(ctx.region, ctx.accountId, { kind: "job", name: row.name }));
    return wanted.every(([k, v]) => tags[k] === v);
  });
  return { JobNames: rows.map((r) => r.name), NextToken };
};

const BatchGetJobs: JsonHandler = (input, ctx) => {
  const names = asList<string>(input.JobNames, "jobNames", 1000);
  const rows = names.map((name) => ({ name, row: typeof name === "string" ? findJob(ctx.db, name) : undefined }));
  return {
    Jobs: rows.filter((r) => r.row).map((r) => jobShape(r.row!)),
    JobsNotFound: rows.filter((r) => !r.row).map((r) => r.name),
  };
};

/** UpdateJob: the JobUpdate replaces the definition; what it leaves out returns to Glue's default. */
const UpdateJob: JsonHandler = (input, ctx) => {
  const name = requireName(input.JobName, "JobName");
  const definition = jobDefinition(input.JobUpdate, "JobUpdate");
  writeTransaction(ctx.db, () => {
    requireJob(ctx.db, name);
    sql(ctx.db, "UPDATE glue_jobs SET definition = ?, updated = ? WHERE name = ?").run(JSON.stringify(definition), ctx.now().getTime() / 1000, name);
  });
  return { JobName: name };
};

/** DeleteJob: answers with the name even when there was no such job, as Glue does; the job's runs go too. */
const DeleteJob: JsonHandler = (input, ctx) => {
  const name = requireName(input.JobName, "JobName");
  writeTransaction(ctx.db, () => {
    sql(ctx.db, "DELETE FROM glue_job_runs WHERE job = ?").run(name);
    sql(ctx.db, "DELETE FROM glue_jobs WHERE name = ?").run(name);
    dropTags(ctx.db, glueArn(ctx.region, ctx.accountId, { kind: "job", name }));
  });
  return { JobName: name };
};

export const jobHandlers: Record<string, JsonHandler> = { CreateJob, GetJob, GetJobs, ListJobs, BatchGetJobs, UpdateJob, DeleteJob, ...jobRunHandlers };
