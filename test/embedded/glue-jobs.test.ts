import {
  BatchGetJobsCommand,
  BatchStopJobRunCommand,
  CreateJobCommand,
  type CreateJobCommandInput,
  DeleteJobCommand,
  GetJobCommand,
  GetJobRunCommand,
  GetJobRunsCommand,
  GetTagsCommand,
  GlueClient,
  ListJobsCommand,
  paginateGetJobRuns,
  paginateGetJobs,
  paginateListJobs,
  StartJobRunCommand,
  TagResourceCommand,
  UpdateJobCommand,
} from "@aws-sdk/client-glue";
import { afterAll, describe, expect, it } from "vitest";
import { createGlueService } from "../../src/embedded/services/glue/index.js";
import { embeddedStack, TEST_ACCOUNT, TEST_CREDENTIALS } from "../helpers/embedded-stack.js";

// The embedded Glue service, reached by the real GlueClient in-process.
const ACCOUNT = TEST_ACCOUNT;
const service = createGlueService();
const stack = embeddedStack([service]);
const { db } = stack;
service.migrate(db); // migrations are idempotent
const glue = new GlueClient({ region: "us-east-1", credentials: TEST_CREDENTIALS, requestHandler: stack.handler });

afterAll(() => {
  glue.destroy();
  stack.close();
});

const ROLE = `arn:aws:iam::${ACCOUNT}:role/GlueDataEngineerRole`;

const etl = (name: string, extra: Partial<CreateJobCommandInput> = {}): CreateJobCommandInput => ({
  Name: name,
  Role: ROLE,
  Command: { Name: "glueetl", ScriptLocation: "s3://scripts/glue_scripts/etl_raw_to_processed.py", PythonVersion: "3" },
  DefaultArguments: { "--job-language": "python", "--TempDir": "s3://scripts/tmp/" },
  GlueVersion: "4.0",
  WorkerType: "G.1X",
  NumberOfWorkers: 2,
  Description: "raw to processed",
  ...extra,
});

describe("job definitions", () => {
  it("creates a job and reads it back with Glue's defaults filled in", async () => {
    expect(await glue.send(new CreateJobCommand(etl("etl_raw_to_processed", { Tags: { "lakewarden:lake": "ecomm" } })))).toMatchObject({ Name: "etl_raw_to_processed" });
    const { Job } = await glue.send(new GetJobCommand({ JobName: "etl_raw_to_processed" }));
    expect(Job).toMatchObject({
      Name: "etl_raw_to_processed",
      Role: ROLE,
      Command: { Name: "glueetl", ScriptLocation: "s3://scripts/glue_scripts/etl_raw_to_processed.py", PythonVersion: "3" },
      DefaultArguments: { "--job-language": "python", "--TempDir": "s3://scripts/tmp/" },
      GlueVersion: "4.0",
      WorkerType: "G.1X",
      NumberOfWorkers: 2,
      MaxCapacity: 2,
      AllocatedCapacity: 2,
      MaxRetries: 0,
      Timeout: 2880,
      ExecutionProperty: { MaxConcurrentRuns: 1 },
      JobMode: "SCRIPT",
      Description: "raw to processed",
    });
    expect(Job?.CreatedOn).toBeInstanceOf(Date);
    expect(Job?.LastModifiedOn).toBeInstanceOf(Date);
    expect((await glue.send(new GetTagsCommand({ ResourceArn: `arn:aws:glue:us-east-1:${ACCOUNT}:job/etl_raw_to_processed` }))).Tags).toEqual({ "lakewarden:lake": "ecomm" });
  });

  it("treats a repeated CreateJob as idempotent, and refuses a different definition under the same name", async () => {
    expect((await glue.send(new CreateJobCommand(etl("etl_raw_to_processed")))).Name).toBe("etl_raw_to_processed");
    await expect(glue.send(new CreateJobCommand(etl("etl_raw_to_processed", { NumberOfWorkers: 10 })))).rejects.toMatchObject({
      name: "IdempotentParameterMismatchException",
    });
  });

  it("fills the defaults of Python shell jobs", async () => {
    await glue.send(new CreateJobCommand({ Name: "shell", Role: ROLE, Command: { Name: "pythonshell", ScriptLocation: "s3://scripts/x.py", PythonVersion: "3.9" } }));
    const { Job } = await glue.send(new GetJobCommand({ JobName: "shell" }));
    expect(Job).toMatchObject({ MaxCapacity: 0.0625, AllocatedCapacity: 0, Timeout: 2880, MaxRetries: 0 });
    expect(Job?.WorkerType).toBeUndefined();
  });

  it.each<[string, Partial<CreateJobCommandInput>]>([
    ["a missing role", { Role: undefined }],
    ["a missing command", { Command: undefined }],
    ["an unknown command", { Command: { Name: "spark", ScriptLocation: "s3://x" } }],
    ["a worker type without a number of workers", { NumberOfWorkers: undefined }],
    ["max capacity beside workers", { MaxCapacity: 10 }],
    ["an unknown worker type", { WorkerType: "G.3X" as never }],
    ["workers on a Python shell job", { Command: { Name: "pythonshell", ScriptLocation: "s3://x" } }],
    ["an empty name", { Name: "" }],
  ])("refuses %s with InvalidInputException", async (_what, change) => {
    await expect(glue.send(new CreateJobCommand({ ...etl("invalid_job"), ...change }))).rejects.toMatchObject({ name: "InvalidInputException" });
  });

  it("pages GetJobs and ListJobs, filters ListJobs by tags, and batch-gets with JobsNotFound", async () => {
    for (let i = 0; i < 25; i++) {
      await glue.send(new CreateJobCommand(etl(`paged_${String(i).padStart(2, "0")}`, i % 5 === 0 ? { Tags: { team: "growth" } } : {})));
    }
    const jobs = (await collect(paginateGetJobs({ client: glue, pageSize: 7 }, {}))).flatMap((p) => p.Jobs ?? []);
    const names = jobs.map((j) => j.Name!);
    expect(names.filter((n) => n.startsWith("paged_"))).toHaveLength(25);
    expect([...names].sort()).toEqual(names);
    const listed = (await collect(paginateListJobs({ client: glue, pageSize: 4 }, {}))).flatMap((p) => p.JobNames ?? []);
    expect(listed).toEqual(names);
    expect((await glue.send(new ListJobsCommand({ Tags: { team: "growth" } }))).JobNames).toEqual(["paged_00", "paged_05", "paged_10", "paged_15", "paged_20"]);

    const batch = await glue.send(new BatchGetJobsCommand({ JobNames: ["paged_01", "missing_job", "shell"] }));
    expect(batch.Jobs?.map((j) => j.Name)).toEqual(["paged_01", "shell"]);
    expect(batch.JobsNotFound).toEqual(["missing_job"]);
  });

  it("UpdateJob replaces the definition; what the update leaves out returns to the default", async () => {
    const before = (await glue.send(new GetJobCommand({ JobName: "etl_raw_to_processed" }))).Job!;
    const { JobName } = await glue.send(
      new UpdateJobCommand({
        JobName: "etl_raw_to_processed",
        JobUpdate: {
          Role: ROLE,
          Command: { Name: "glueetl", ScriptLocation: "s3://scripts/v2.py", PythonVersion: "3" },
          DefaultArguments: { "--enable-metrics": "true" },
          GlueVersion: "4.0",
          WorkerType: "G.2X",
          NumberOfWorkers: 3,
          MaxRetries: 1,
        },
      }),
    );
    expect(JobName).toBe("etl_raw_to_processed");
    const after = (await glue.send(new GetJobCommand({ JobName: "etl_raw_to_processed" }))).Job!;
    expect(after).toMatchObject({ DefaultArguments: { "--enable-metrics": "true" }, WorkerType: "G.2X", NumberOfWorkers: 3, MaxCapacity: 6, MaxRetries: 1, Timeout: 2880 });
    expect(after.Description).toBeUndefined();
    expect(after.CreatedOn?.getTime()).toBe(before.CreatedOn?.getTime());
    expect(after.LastModifiedOn!.getTime()).toBeGreaterThanOrEqual(before.LastModifiedOn!.getTime());
    await expect(glue.send(new UpdateJobCommand({ JobName: "nope", JobUpdate: { Role: ROLE, Command: { Name: "glueetl", ScriptLocation: "s3://x" } } }))).rejects.toMatchObject({
      name: "EntityNotFoundException",
    });
    await expect(glue.send(new UpdateJobCommand({ JobName: "etl_raw_to_processed", JobUpdate: { Role: ROLE } }))).rejects.toMatchObject({ name: "InvalidInputException" });
  });

  it("DeleteJob answers with the name even when the job is missing, and takes runs and tags with it", async () => {
    await glue.send(new CreateJobCommand(etl("short_lived", { Tags: { a: "b" } })));
    const { JobRunId } = await glue.send(new StartJobRunCommand({ JobName: "short_lived" }));
    expect((await glue.send(new DeleteJobCommand({ JobName: "short_lived" }))).JobName).toBe("short_lived");
    expect((await glue.send(new DeleteJobCommand({ JobName: "short_lived" }))).JobName).toBe("short_lived");
    await expect(glue.send(new GetJobCommand({ JobName: "short_lived" }))).rejects.toMatchObject({ name: "EntityNotFoundException", message: "Job short_lived not found." });
    await expect(glue.send(new GetTagsCommand({ ResourceArn: `arn:aws:glue:us-east-1:${ACCOUNT}:job/short_lived` }))).rejects.toMatchObject({ name: "EntityNotFoundException" });
    await glue.send(new CreateJobCommand(etl("short_lived")));
    expect((await glue.send(new GetTagsCommand({ ResourceArn: `arn:aws:glue:us-east-1:${ACCOUNT}:job/short_lived` }))).Tags).toEqual({});
    await expect(glue.send(new GetJobRunCommand({ JobName: "short_lived", RunId: JobRunId }))).rejects.toMatchObject({ name: "EntityNotFoundException" });
  });

  it("tags jobs through TagResource", async () => {
    const jobArn = `arn:aws:glue:us-east-1:${ACCOUNT}:job/shell`;
    await glue.send(new TagResourceCommand({ ResourceArn: jobArn, TagsToAdd: { env: "dev" } }));
    expect((await glue.send(new GetTagsCommand({ ResourceArn: jobArn }))).Tags).toEqual({ env: "dev" });
  });
});

describe("job runs", () => {
  it("records a run that fails at once: the embedded AWS cannot run Spark", async () => {
    await glue.send(new CreateJobCommand(etl("spark_job")));
    const { JobRunId } = await glue.send(new StartJobRunCommand({ JobName: "spark_job", Arguments: { "--day": "2025-06-01" } }));
    expect(JobRunId).toMatch(/^jr_[0-9a-f]{64}$/);
    const { JobRun } = await glue.send(new GetJobRunCommand({ JobName: "spark_job", RunId: JobRunId }));
    expect(JobRun).toMatchObject({
      Id: JobRunId,
      Attempt: 0,
      JobName: "spark_job",
      JobRunState: "FAILED",
      Arguments: { "--day": "2025-06-01" },
      ErrorMessage:
        "lakewarden's embedded AWS cannot run glueetl jobs: Spark runs on AWS Glue. Run this job with --target aws, or express it as an athena job.",
      WorkerType: "G.1X",
      NumberOfWorkers: 2,
      MaxCapacity: 2,
      Timeout: 2880,
      GlueVersion: "4.0",
      ExecutionTime: 0,
    });
    expect(JobRun?.StartedOn).toBeInstanceOf(Date);
    expect(JobRun?.CompletedOn).toBeInstanceOf(Date);
    expect(JobRun?.LastModifiedOn).toBeInstanceOf(Date);
  });

  it("adapts the message to the job's command", async () => {
    const { JobRunId } = await glue.send(new StartJobRunCommand({ JobName: "shell" }));
    const { JobRun } = await glue.send(new GetJobRunCommand({ JobName: "shell", RunId: JobRunId }));
    expect(JobRun?.ErrorMessage).toBe(
      "lakewarden's embedded AWS cannot run pythonshell jobs: Python shell jobs run on AWS Glue. Run this job with --target aws, or express it as an athena job.",
    );
  });

  it("retries a failed run MaxRetries times, as Glue does", async () => {
    await glue.send(new CreateJobCommand(etl("retrying", { MaxRetries: 2 })));
    const { JobRunId } = await glue.send(new StartJobRunCommand({ JobName: "retrying" }));
    const runs = (await glue.send(new GetJobRunsCommand({ JobName: "retrying" }))).JobRuns!;
    expect(runs.map((r) => [r.Id, r.Attempt, r.PreviousRunId, r.JobRunState])).toEqual([
      [`${JobRunId}_attempt_2`, 2, `${JobRunId}_attempt_1`, "FAILED"],
      [`${JobRunId}_attempt_1`, 1, JobRunId, "FAILED"],
      [JobRunId, 0, undefined, "FAILED"],
    ]);
  });

  it("pages GetJobRuns newest first", async () => {
    await glue.send(new CreateJobCommand(etl("many_runs")));
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push((await glue.send(new StartJobRunCommand({ JobName: "many_runs" }))).JobRunId!);
    const pages = await collect(paginateGetJobRuns({ client: glue, pageSize: 5 }, { JobName: "many_runs" }));
    expect(pages.map((p) => p.JobRuns?.length)).toEqual([5, 5, 2]);
    const runs = pages.flatMap((p) => p.JobRuns ?? []);
    expect(new Set(runs.map((r) => r.Id))).toEqual(new Set(ids));
    const started = runs.map((r) => r.StartedOn!.getTime());
    expect([...started].sort((a, b) => b - a)).toEqual(started);
  });

  it("BatchStopJobRun reports runs that already ended and runs that do not exist", async () => {
    const { JobRunId } = await glue.send(new StartJobRunCommand({ JobName: "spark_job" }));
    const { SuccessfulSubmissions, Errors } = await glue.send(new BatchStopJobRunCommand({ JobName: "spark_job", JobRunIds: [JobRunId!, "jr_missing"] }));
    expect(SuccessfulSubmissions).toEqual([]);
    expect(Errors?.map((e) => [e.JobRunId, e.ErrorDetail?.ErrorCode])).toEqual([
      [JobRunId, "InvalidInputException"],
      ["jr_missing", "EntityNotFoundException"],
    ]);
  });

  it("answers EntityNotFoundException for unknown jobs and runs", async () => {
    await expect(glue.send(new StartJobRunCommand({ JobName: "no_such_job" }))).rejects.toMatchObject({ name: "EntityNotFoundException" });
    await expect(glue.send(new GetJobRunCommand({ JobName: "spark_job", RunId: "jr_missing" }))).rejects.toMatchObject({ name: "EntityNotFoundException" });
    await expect(glue.send(new GetJobRunsCommand({ JobName: "no_such_job" }))).rejects.toMatchObject({ name: "EntityNotFoundException" });
    await expect(glue.send(new BatchStopJobRunCommand({ JobName: "no_such_job", JobRunIds: ["jr_x"] }))).rejects.toMatchObject({ name: "EntityNotFoundException" });
  });
});

async function collect<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(page);
  return out;
}
