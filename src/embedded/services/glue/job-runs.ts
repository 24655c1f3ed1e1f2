import { randomBytes } from "node:crypto";
import type { BatchStopJobRunError, BatchStopJobRunSuccessfulSubmission, JobRun } from "@aws-sdk/client-glue";
import type Database from "better-sqlite3";
import type { JsonHandler } from "../../protocols/json.js";
import { writeTransaction } from "../../store/db.js";
import { asList, decodeToken, encodeToken, notFound, pageSize, requireName, sql, toDate } from "./api-common.js";
import { requireJob, type JobDefinition } from "./job-store.js";

/**
 * Job runs. The embedded Glue cannot run Spark, Python shell, streaming or Ray jobs: a run is recorded and ends
 * FAILED at once with a message that says where the job can run, then retried MaxRetries times as Glue retries a
 * failed run (attempts `<id>_attempt_1` …), each failing the same way.
 */

interface RunRow {
  id: string;
  job: string;
  state: string;
  started: number;
  completed: number | null;
  definition: string;
}

const ENGINES: Record<string, string> = {
  glueetl: "Spark runs on AWS Glue",
  gluestreaming: "Spark Streaming runs on AWS Glue",
  pythonshell: "Python shell jobs run on AWS Glue",
  glueray: "Ray runs on AWS Glue",
};

export function cannotRunMessage(command: string): string {
  const engine = ENGINES[command] ?? `${command} jobs run on AWS Glue`;
  return `lakewarden's embedded AWS cannot run ${command} jobs: ${engine}. Run this job with --target aws, or express it as an athena job.`;
}

function runShape(row: RunRow): JobRun {
  return {
    Id: row.id,
    JobName: row.job,
    ...(JSON.parse(row.definition) as JobRun),
    StartedOn: toDate(row.started),
    LastModifiedOn: toDate(row.completed ?? row.started),
    CompletedOn: row.completed === null ? undefined : toDate(row.completed),
    JobRunState: row.state as JobRun["JobRunState"],
  };
}

function insertRun(db: Database.Database, row: RunRow): void {
  sql(db, "INSERT INTO glue_job_runs (id, job, state, started, completed, definition) VALUES (@id, @job, @state, @started, @completed, @definition)").run(row);
}

const StartJobRun: JsonHandler = (input, ctx) => {
  const name = requireName(input.JobName, "JobName");
  const firstId = `jr_${randomBytes(32).toString("hex")}`;
  writeTransaction(ctx.db, () => {
    const job = JSON.parse(requireJob(ctx.db, name).definition) as JobDefinition;
    const command = job.Command?.Name ?? "glueetl";
    const now = ctx.now().getTime() / 1000;
    const run: JobRun = {
      JobMode: job.JobMode,
      Arguments: (input.Arguments as Record<string, string> | undefined) ?? {},
      ErrorMessage: cannotRunMessage(command),
      PredecessorRuns: [],
      AllocatedCapacity: job.AllocatedCapacity,
      ExecutionTime: 0,
      Timeout: (input.Timeout as number | undefined) ?? job.Timeout,
      MaxCapacity: (input.MaxCapacity as number | undefined) ?? job.MaxCapacity,
      WorkerType: (input.WorkerType as JobRun["WorkerType"]) ?? job.WorkerType,
      NumberOfWorkers: (input.NumberOfWorkers as number | undefined) ?? job.NumberOfWorkers,
      LogGroupName: "/aws-glue/jobs",
      GlueVersion: job.GlueVersion,
      ExecutionClass: job.ExecutionClass,
    };
    let previous: string | undefined;
    for (let attempt = 0; attempt <= (job.MaxRetries ?? 0); attempt++) {
      const id = attempt === 0 ? firstId : `${firstId}_attempt_${attempt}`;
      const definition = JSON.stringify({ ...run, Attempt: attempt, PreviousRunId: previous });
      insertRun(ctx.db, { id, job: name, state: "FAILED", started: now, completed: now, definition });
      previous = id;
    }
  });
  return { JobRunId: firstId };
};

function findRun(db: Database.Database, job: string, id: unknown): RunRow | undefined {
  return sql(db, "SELECT * FROM glue_job_runs WHERE job = ? AND id = ?").get(job, String(id)) as RunRow | undefined;
}

const GetJobRun: JsonHandler = (input, ctx) => {
  const name = requireName(input.JobName, "JobName");
  requireJob(ctx.db, name);
  const row = findRun(ctx.db, name, requireName(input.RunId, "RunId"));
  if (!row) throw notFound(`Job Run Id ${String(input.RunId)} not found.`);
  return { JobRun: runShape(row) };
};

/** GetJobRuns: newest first (then by id), paged by the position of the last run returned. */
const GetJobRuns: JsonHandler = (input, ctx) => {
  const name = requireName(input.JobName, "JobName");
  requireJob(ctx.db, name);
  const max = pageSize(input.MaxResults, 200, 100);
  const after = decodeToken<[number, string]>(input.NextToken);
  const rows = (
    after
      ? sql(ctx.db, "SELECT * FROM glue_job_runs WHERE job = ? AND (started < ? OR (started = ? AND id < ?)) ORDER BY started DESC, id DESC LIMIT ?").all(name, after[0], after[0], after[1], max + 1)
      : sql(ctx.db, "SELECT * FROM glue_job_runs WHERE job = ? ORDER BY started DESC, id DESC LIMIT ?").all(name, max + 1)
  ) as RunRow[];
  const page = rows.slice(0, max);
  const last = page[page.length - 1];
  return { JobRuns: page.map(runShape), NextToken: rows.length > max && last ? encodeToken([last.started, last.id]) : undefined };
};

/** BatchStopJobRun: every embedded run has already ended, so each id is an error entry, as Glue reports them. */
const BatchStopJobRun: JsonHandler = (input, ctx) => {
  const name = requireName(input.JobName, "JobName");
  const ids = asList<string>(input.JobRunIds, "jobRunIds", 25);
  const SuccessfulSubmissions: BatchStopJobRunSuccessfulSubmission[] = [];
  const Errors: BatchStopJobRunError[] = [];
  writeTransaction(ctx.db, () => {
    requireJob(ctx.db, name);
    for (const id of ids) {
      const row = findRun(ctx.db, name, id);
      if (!row) {
        Errors.push({ JobName: name, JobRunId: id, ErrorDetail: { ErrorCode: "EntityNotFoundException", ErrorMessage: `Job Run Id ${id} not found.` } });
      } else if (["STARTING", "RUNNING", "WAITING"].includes(row.state)) {
        sql(ctx.db, "UPDATE glue_job_runs SET state = 'STOPPED', completed = ? WHERE id = ?").run(ctx.now().getTime() / 1000, id);
        SuccessfulSubmissions.push({ JobName: name, JobRunId: id });
      } else {
        Errors.push({ JobName: name, JobRunId: id, ErrorDetail: { ErrorCode: "InvalidInputException", ErrorMessage: `Job Run ${id} cannot be stopped in its current state ${row.state}.` } });
      }
    }
  });
  return { SuccessfulSubmissions, Errors };
};

export const jobRunHandlers: Record<string, JsonHandler> = { StartJobRun, GetJobRun, GetJobRuns, BatchStopJobRun };
