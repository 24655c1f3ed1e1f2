import type { Job } from "@aws-sdk/client-glue";
import type Database from "better-sqlite3";
import { asObject, invalidInput, notFound, pick, sql, toDate } from "./api-common.js";

/** Job definitions: checked and completed with the defaults Glue fills in, stored as the Job's fields. */

export interface JobRow {
  name: string;
  definition: string;
  created: number;
  updated: number;
}

export type JobDefinition = Omit<Job, "Name" | "CreatedOn" | "LastModifiedOn">;

const JOB_MEMBERS = [
  "JobMode", "JobRunQueuingEnabled", "Description", "LogUri", "Role", "ExecutionProperty", "Command", "DefaultArguments",
  "NonOverridableArguments", "Connections", "MaxRetries", "AllocatedCapacity", "Timeout", "MaxCapacity", "SecurityConfiguration",
  "NotificationProperty", "GlueVersion", "NumberOfWorkers", "WorkerType", "CodeGenConfigurationNodes", "ExecutionClass",
  "SourceControlDetails", "MaintenanceWindow",
];

export const COMMANDS = ["glueetl", "pythonshell", "gluestreaming", "glueray"];

/** DPUs per worker, by worker type (MaxCapacity = workers × DPUs, as GetJob reports it). */
const WORKER_DPUS: Record<string, number> = {
  Standard: 1, "G.025X": 0.25, "G.1X": 1, "G.2X": 2, "G.4X": 4, "G.8X": 8, "G.12X": 12, "G.16X": 16,
  "R.1X": 1, "R.2X": 2, "R.4X": 4, "R.8X": 8, "Z.2X": 2,
};

/** Glue's default job timeout for batch jobs, in minutes (48 hours); streaming jobs have none. */
const DEFAULT_TIMEOUT = 2880;

/**
 * A CreateJob input or a JobUpdate as the definition Glue keeps: what was given plus Glue's defaults. A JobUpdate
 * replaces the whole definition, so what it leaves out returns to the default, as on Glue.
 */
export function jobDefinition(value: unknown, member: string): JobDefinition {
  const input = pick<JobDefinition>(asObject(value, member), JOB_MEMBERS);
  if (typeof input.Role !== "string" || input.Role === "") throw invalidInput("Role should not be null or empty.");
  const command = { ...asObject(input.Command, "Command") } as NonNullable<Job["Command"]>;
  command.Name ??= "glueetl";
  if (!COMMANDS.includes(command.Name)) throw invalidInput(`Invalid Command.Name ${command.Name}: expected one of ${COMMANDS.join(", ")}.`);
  const workers = input.WorkerType !== undefined || input.NumberOfWorkers !== undefined;
  if (workers) {
    if (input.WorkerType === undefined || input.NumberOfWorkers === undefined) throw invalidInput("Please set both Worker Type and Number of Workers.");
    if (command.Name === "pythonshell") throw invalidInput("Worker Type is not supported for Job Command pythonshell.");
    if (!(input.WorkerType in WORKER_DPUS)) throw invalidInput(`Invalid WorkerType ${input.WorkerType}.`);
    if (!Number.isInteger(input.NumberOfWorkers) || input.NumberOfWorkers < 1) throw invalidInput("NumberOfWorkers must be a positive integer.");
    if (input.MaxCapacity !== undefined) throw invalidInput("Please do not set Max Capacity if using Worker Type and Number of Workers.");
  }
  const capacity = workers
    ? input.NumberOfWorkers! * WORKER_DPUS[input.WorkerType!]!
    : (input.MaxCapacity ?? input.AllocatedCapacity ?? (command.Name === "pythonshell" ? 0.0625 : 10));
  if (command.Name === "pythonshell" && capacity !== 0.0625 && capacity !== 1) throw invalidInput("Python shell jobs take a MaxCapacity of 0.0625 or 1.");
  return {
    JobMode: "SCRIPT",
    ...input,
    Command: command,
    ExecutionProperty: { MaxConcurrentRuns: 1, ...input.ExecutionProperty },
    MaxRetries: input.MaxRetries ?? 0,
    Timeout: input.Timeout ?? (command.Name === "gluestreaming" ? undefined : DEFAULT_TIMEOUT),
    MaxCapacity: capacity,
    AllocatedCapacity: command.Name === "pythonshell" ? 0 : Math.floor(capacity),
  };
}

/** JSON with sorted keys: two definitions are the same job when their canonical forms are equal. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

export function jobShape(row: JobRow): Job {
  return { Name: row.name, ...(JSON.parse(row.definition) as JobDefinition), CreatedOn: toDate(row.created), LastModifiedOn: toDate(row.updated) };
}

export function findJob(db: Database.Database, name: string): JobRow | undefined {
  return sql(db, "SELECT * FROM glue_jobs WHERE name = ?").get(name) as JobRow | undefined;
}

export function requireJob(db: Database.Database, name: string): JobRow {
  const row = findJob(db, name);
  if (!row) throw notFound(`Job ${name} not found.`);
  return row;
}
