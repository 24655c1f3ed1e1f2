import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { basename, extname } from "node:path";
import { BatchGetJobsCommand, CreateJobCommand, DeleteJobCommand, UpdateJobCommand, type GlueClient, type Job, type JobUpdate } from "@aws-sdk/client-glue";
import { HeadObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import type { JobSpec, LakeConfig } from "../config/types.js";
import type { AttributeChange, Desired, Driver, DriverContext, InventoryEntry, Observation, ResourceRef } from "../engine/types.js";
import { Changes, isError, ownership, resourceTags, userTags } from "./common.js";
import { batchGet, roleName, withRolePropagation, type GlueAccount } from "./glue-common.js";

/** A Glue job's definition in one canonical shape, whether from the config or from BatchGetJobs. */
interface JobSettings {
  role: string;
  command: { name: string; scriptLocation: string; pythonVersion: string };
  glueVersion: string;
  workerType: string;
  numberOfWorkers: number;
  timeout: number;
  maxRetries: number;
  maxConcurrentRuns: number;
  description: string;
  arguments: Record<string, string>;
  tags: Record<string, string>;
  /** Whether the script object exists where the definition points. */
  scriptUploaded: boolean;
}

interface JobDesired extends JobSettings {
  /** Local script to upload to command.scriptLocation. */
  scriptFile: string;
}

const BOOKMARK_OPTION: Record<JobSpec["bookmarks"], string> = {
  enable: "job-bookmark-enable",
  disable: "job-bookmark-disable",
  pause: "job-bookmark-pause",
};

/**
 * Glue jobs (glueetl, pythonshell): the definition, and the script uploaded under its content hash, so that a
 * changed script is a new object (a running job keeps reading the old one) and an unchanged one is never rewritten.
 */
export class JobDriver implements Driver<JobDesired, JobSettings> {
  readonly kind = "job";

  constructor(
    private readonly glue: GlueClient,
    private readonly s3: S3Client,
    private readonly account: GlueAccount,
  ) {}

  desired(config: LakeConfig): Desired<JobDesired>[] {
    return config.jobs
      .filter((j) => j.type !== "athena") // athena jobs are SQL run through Athena, not Glue jobs
      .map((j) => {
        const script = readFileSync(j.script!);
        const hash = createHash("sha256").update(script).digest("hex").slice(0, 16);
        const location = j.scriptLocation!;
        const file = basename(j.script!, extname(j.script!));
        const scriptLocation = `s3://${config.buckets[location.bucket]!.name}/${location.prefix}${file}-${hash}${extname(j.script!)}`;
        const role = j.role!.kind === "declared" ? config.roles[j.role!.key]!.name : j.role!.arn;
        const shell = j.type === "pythonshell";
        return {
          kind: this.kind,
          address: `job.${j.name}`,
          name: j.name,
          dependsOn: [`bucket.${location.bucket}`, ...(j.role!.kind === "declared" ? [`role.${j.role!.key}`] : [])],
          deletionPolicy: j.deletionPolicy,
          adopt: j.adopt,
          spec: {
            role,
            command: { name: j.type, scriptLocation, pythonVersion: j.pythonVersion ?? (shell ? "3.9" : "3") },
            glueVersion: shell ? "3.0" : j.glueVersion,
            workerType: shell ? "" : j.workers.type,
            numberOfWorkers: shell ? 0 : j.workers.count,
            timeout: Math.ceil(j.timeout / 60),
            maxRetries: j.maxRetries,
            maxConcurrentRuns: j.maxConcurrentRuns,
            description: j.description ?? "",
            arguments: { ...j.arguments, "--job-bookmark-option": BOOKMARK_OPTION[j.bookmarks] },
            tags: userTags(resourceTags(config, j.tags)),
            scriptUploaded: true,
            scriptFile: j.script!,
          },
        };
      });
  }

  async observe(refs: readonly ResourceRef[], ctx: DriverContext): Promise<Observation<JobSettings>[]> {
    const jobs = await batchGet(refs, ctx, async (JobNames) => (await this.glue.send(new BatchGetJobsCommand({ JobNames }))).Jobs ?? []);
    return Promise.all(
      refs.map(async (ref, i): Promise<Observation<JobSettings>> => {
        const job = jobs[i];
        if (!job) return { exists: false };
        const [tags, scriptUploaded] = await Promise.all([this.account.tags("job", ref.name, ctx), this.scriptExists(job.Command?.ScriptLocation, ctx)]);
        return { exists: true, ...ownership(tags, ctx.lake), state: { ...settingsOf(job, tags), scriptUploaded } };
      }),
    );
  }

  diff(desired: Desired<JobDesired>, observed: JobSettings | undefined): AttributeChange[] {
    const want = desired.spec;
    const changes = new Changes()
      .compare("role", observed?.role, want.role, (a, b) => roleName(a as string) === roleName(b as string))
      .compare("command", observed?.command, want.command)
      .compare("glueVersion", observed?.glueVersion, want.glueVersion)
      .compare("workerType", observed?.workerType, want.workerType)
      .compare("numberOfWorkers", observed?.numberOfWorkers, want.numberOfWorkers)
      .compare("timeout", observed?.timeout, want.timeout)
      .compare("maxRetries", observed?.maxRetries, want.maxRetries)
      .compare("maxConcurrentRuns", observed?.maxConcurrentRuns, want.maxConcurrentRuns)
      .compare("description", observed?.description, want.description)
      .compare("arguments", observed?.arguments, want.arguments)
      .compare("tags", observed?.tags, want.tags).list;
    // The definition may be intact while its script object was deleted: upload it again.
    if (observed && !observed.scriptUploaded) changes.push({ path: "scriptUploaded", before: false, after: true });
    return changes;
  }

  async create(desired: Desired<JobDesired>, ctx: DriverContext): Promise<void> {
    await this.uploadScript(desired, ctx);
    await withRolePropagation(() => ctx.limit(() => this.glue.send(new CreateJobCommand({ Name: desired.name, ...this.definition(desired), Tags: desired.spec.tags })))).catch((err: unknown) => {
      if (!isError(err, "AlreadyExistsException", "IdempotentParameterMismatchException")) throw err; // a retried create
    });
  }

  async update(desired: Desired<JobDesired>, observed: JobSettings, changes: AttributeChange[], ctx: DriverContext): Promise<void> {
    const paths = changes.map((c) => c.path);
    if (paths.includes("command") || paths.includes("scriptUploaded")) await this.uploadScript(desired, ctx);
    if (paths.some((p) => p !== "tags" && p !== "scriptUploaded")) {
      await withRolePropagation(() => ctx.limit(() => this.glue.send(new UpdateJobCommand({ JobName: desired.name, JobUpdate: this.definition(desired) }))));
    }
    if (paths.includes("tags")) await this.account.setTags("job", desired.name, desired.spec.tags, observed.tags, ctx);
  }

  async delete(resource: ResourceRef & InventoryEntry, _observed: JobSettings, ctx: DriverContext): Promise<void> {
    // The script objects stay: they are small, content-addressed, and may be what a past run read.
    await ctx.limit(() => this.glue.send(new DeleteJobCommand({ JobName: resource.name })));
  }

  private definition(desired: Desired<JobDesired>): JobUpdate & { Role: string; Command: NonNullable<JobUpdate["Command"]> } {
    const s = desired.spec;
    const shell = s.command.name === "pythonshell";
    return {
      Role: s.role,
      Command: { Name: s.command.name, ScriptLocation: s.command.scriptLocation, PythonVersion: s.command.pythonVersion },
      GlueVersion: s.glueVersion,
      ...(shell ? { MaxCapacity: 0.0625 } : { WorkerType: s.workerType as "G.1X", NumberOfWorkers: s.numberOfWorkers }),
      Timeout: s.timeout,
      MaxRetries: s.maxRetries,
      ExecutionProperty: { MaxConcurrentRuns: s.maxConcurrentRuns },
      Description: s.description,
      DefaultArguments: s.arguments,
    };
  }

  private async uploadScript(desired: Desired<JobDesired>, ctx: DriverContext): Promise<void> {
    const { bucket, key } = parseS3Uri(desired.spec.command.scriptLocation);
    await ctx
      .limit(() => this.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: readFileSync(desired.spec.scriptFile), ContentType: "text/x-python", IfNoneMatch: "*" })))
      .catch((err: unknown) => {
        // Already there: the key is the content's hash, so it holds these very bytes.
        if (!isError(err, "PreconditionFailed", "ConditionalRequestConflict")) throw err;
      });
  }

  private async scriptExists(uri: string | undefined, ctx: DriverContext): Promise<boolean> {
    if (!uri?.startsWith("s3://")) return false;
    const { bucket, key } = parseS3Uri(uri);
    try {
      await ctx.limit(() => this.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })));
      return true;
    } catch (err) {
      if (isError(err, "NotFound", "NoSuchKey", "NoSuchBucket") || (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return false;
      throw err;
    }
  }
}

function parseS3Uri(uri: string): { bucket: string; key: string } {
  const rest = uri.replace(/^s3:\/\//, "");
  const at = rest.indexOf("/");
  return { bucket: rest.slice(0, at), key: rest.slice(at + 1) };
}

function settingsOf(job: Job, tags: Record<string, string>): Omit<JobSettings, "scriptUploaded"> {
  const shell = job.Command?.Name === "pythonshell";
  return {
    role: job.Role ?? "",
    command: { name: job.Command?.Name ?? "", scriptLocation: job.Command?.ScriptLocation ?? "", pythonVersion: job.Command?.PythonVersion ?? "" },
    glueVersion: job.GlueVersion ?? "",
    workerType: shell ? "" : (job.WorkerType ?? ""),
    numberOfWorkers: shell ? 0 : (job.NumberOfWorkers ?? 0),
    timeout: job.Timeout ?? 2880,
    maxRetries: job.MaxRetries ?? 0,
    maxConcurrentRuns: job.ExecutionProperty?.MaxConcurrentRuns ?? 1,
    description: job.Description ?? "",
    arguments: job.DefaultArguments ?? {},
    tags: userTags(tags),
  };
}
