import type { EngineVersion, ResultConfiguration, WorkGroup, WorkGroupConfiguration } from "@aws-sdk/client-athena";
import type Database from "better-sqlite3";
import { AwsError } from "../../protocols/types.js";
import { invalidRequest, parseS3Uri, sql, toDate, validationError } from "./api-common.js";

/** Workgroups as rows, their configuration's checks, and the shapes GetWorkGroup and ListWorkGroups return. */

export interface WorkGroupRow {
  name: string;
  state: "ENABLED" | "DISABLED";
  description: string | null;
  configuration: string;
  created: number;
}

export const PRIMARY = "primary";
export const EFFECTIVE_ENGINE_VERSION = "Athena engine version 3";
const ENGINE_VERSIONS = new Set(["AUTO", EFFECTIVE_ENGINE_VERSION]);
/** Athena's floor for the per-query data usage control. */
export const MIN_BYTES_SCANNED_CUTOFF = 10_000_000;
const NAME_PATTERN = /^[a-zA-Z0-9._-]{1,128}$/;
const ENCRYPTION_OPTIONS = new Set(["SSE_S3", "SSE_KMS", "CSE_KMS"]);

/** Members of WorkGroupConfiguration that are kept as given (settings this embedded Athena stores but does not act on). */
const PASS_THROUGH = [
  "AdditionalConfiguration",
  "ExecutionRole",
  "CustomerContentEncryptionConfiguration",
  "IdentityCenterConfiguration",
  "QueryResultsS3AccessGrantsConfiguration",
  "ManagedQueryResultsConfiguration",
  "MonitoringConfiguration",
  "EngineConfiguration",
] as const;

export function workgroupArn(region: string, accountId: string, name: string): string {
  return `arn:aws:athena:${region}:${accountId}:workgroup/${name}`;
}

export function checkWorkGroupName(value: unknown, member = "name"): string {
  if (typeof value !== "string" || !value) throw validationError(member, "Member must not be null");
  if (!NAME_PATTERN.test(value)) throw invalidRequest(`1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9._-]{1,128}`);
  return value;
}

/** The message Athena gives for a workgroup that does not exist (GetWorkGroup, StartQueryExecution …). */
export const workGroupNotFound = () => invalidRequest("WorkGroup is not found.");

export function findWorkGroup(db: Database.Database, name: string): WorkGroupRow | undefined {
  return sql(db, "SELECT * FROM athena_workgroups WHERE name = ?").get(name) as WorkGroupRow | undefined;
}

export function requireWorkGroup(db: Database.Database, name: string): WorkGroupRow {
  const row = findWorkGroup(db, name);
  if (!row) throw workGroupNotFound();
  return row;
}

export const storedConfiguration = (row: WorkGroupRow): WorkGroupConfiguration => JSON.parse(row.configuration) as WorkGroupConfiguration;

// ------------------------------------------------------------------------------------------------ checks

export function checkCutoff(value: unknown, member: string): number {
  if (typeof value !== "number" || !Number.isInteger(value)) throw new AwsError("SerializationException", `${member}: a whole number of bytes expected`);
  if (value < MIN_BYTES_SCANNED_CUTOFF) {
    throw invalidRequest(`1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: Member must have value greater than or equal to ${MIN_BYTES_SCANNED_CUTOFF}`);
  }
  return value;
}

export function checkOutputLocation(value: unknown): string {
  if (typeof value !== "string" || !parseS3Uri(value)) throw invalidRequest("outputLocation is not a valid S3 path.");
  return value;
}

export function checkEncryption(value: unknown): NonNullable<ResultConfiguration["EncryptionConfiguration"]> {
  const enc = (value ?? {}) as Record<string, unknown>;
  if (typeof enc.EncryptionOption !== "string" || !ENCRYPTION_OPTIONS.has(enc.EncryptionOption)) {
    throw invalidRequest(`1 validation error detected: Value '${String(enc.EncryptionOption)}' at 'encryptionConfiguration.encryptionOption' failed to satisfy constraint: Member must satisfy enum value set: [SSE_S3, SSE_KMS, CSE_KMS]`);
  }
  if (enc.EncryptionOption !== "SSE_S3" && (typeof enc.KmsKey !== "string" || !enc.KmsKey)) {
    throw invalidRequest(`KmsKey is required for encryption option ${enc.EncryptionOption}.`);
  }
  return { EncryptionOption: enc.EncryptionOption as "SSE_S3", ...(typeof enc.KmsKey === "string" ? { KmsKey: enc.KmsKey } : {}) };
}

function checkAcl(value: unknown): NonNullable<ResultConfiguration["AclConfiguration"]> {
  const acl = (value ?? {}) as Record<string, unknown>;
  if (acl.S3AclOption !== "BUCKET_OWNER_FULL_CONTROL") {
    throw invalidRequest(`1 validation error detected: Value '${String(acl.S3AclOption)}' at 'aclConfiguration.s3AclOption' failed to satisfy constraint: Member must satisfy enum value set: [BUCKET_OWNER_FULL_CONTROL]`);
  }
  return { S3AclOption: "BUCKET_OWNER_FULL_CONTROL" };
}

export function checkEngineVersion(value: unknown): EngineVersion {
  const selected = (value as EngineVersion | undefined)?.SelectedEngineVersion ?? "AUTO";
  if (!ENGINE_VERSIONS.has(selected)) throw invalidRequest(`Invalid engine version: ${selected}. Valid versions: AUTO, ${EFFECTIVE_ENGINE_VERSION}.`);
  return { SelectedEngineVersion: selected };
}

/** A ResultConfiguration (of a workgroup or of a query) as stored: only its known members, checked. */
export function checkResultConfiguration(value: unknown): ResultConfiguration {
  if (value === undefined || value === null) return {};
  const input = value as Record<string, unknown>;
  const out: ResultConfiguration = {};
  if (input.OutputLocation !== undefined && input.OutputLocation !== null) out.OutputLocation = checkOutputLocation(input.OutputLocation);
  if (input.EncryptionConfiguration) out.EncryptionConfiguration = checkEncryption(input.EncryptionConfiguration);
  if (typeof input.ExpectedBucketOwner === "string") out.ExpectedBucketOwner = input.ExpectedBucketOwner;
  if (input.AclConfiguration) out.AclConfiguration = checkAcl(input.AclConfiguration);
  return out;
}

const BOOLEANS = ["EnforceWorkGroupConfiguration", "PublishCloudWatchMetricsEnabled", "RequesterPaysEnabled", "EnableMinimumEncryptionConfiguration"] as const;

/** CreateWorkGroup's Configuration, checked, as stored. */
export function checkConfiguration(value: unknown): WorkGroupConfiguration {
  const input = (value ?? {}) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  if (input.ResultConfiguration) out.ResultConfiguration = checkResultConfiguration(input.ResultConfiguration);
  for (const key of BOOLEANS) if (typeof input[key] === "boolean") out[key] = input[key];
  if (input.BytesScannedCutoffPerQuery !== undefined && input.BytesScannedCutoffPerQuery !== null) {
    out.BytesScannedCutoffPerQuery = checkCutoff(input.BytesScannedCutoffPerQuery, "configuration.bytesScannedCutoffPerQuery");
  }
  if (input.EngineVersion) out.EngineVersion = checkEngineVersion(input.EngineVersion);
  for (const key of PASS_THROUGH) if (input[key] !== undefined && input[key] !== null) out[key] = input[key];
  return out as WorkGroupConfiguration;
}

/** UpdateWorkGroup's ConfigurationUpdates applied to a stored configuration. */
export function applyConfigurationUpdates(current: WorkGroupConfiguration, value: unknown): WorkGroupConfiguration {
  const updates = (value ?? {}) as Record<string, unknown>;
  const next = { ...current } as Record<string, unknown>;
  for (const key of BOOLEANS) if (typeof updates[key] === "boolean") next[key] = updates[key];
  if (updates.RemoveBytesScannedCutoffPerQuery === true) delete next.BytesScannedCutoffPerQuery;
  else if (updates.BytesScannedCutoffPerQuery !== undefined && updates.BytesScannedCutoffPerQuery !== null) {
    next.BytesScannedCutoffPerQuery = checkCutoff(updates.BytesScannedCutoffPerQuery, "configurationUpdates.bytesScannedCutoffPerQuery");
  }
  if (updates.EngineVersion) next.EngineVersion = checkEngineVersion(updates.EngineVersion);
  if (updates.ResultConfigurationUpdates) next.ResultConfiguration = applyResultUpdates((current.ResultConfiguration ?? {}) as ResultConfiguration, updates.ResultConfigurationUpdates);
  for (const key of PASS_THROUGH) if (updates[key] !== undefined && updates[key] !== null) next[key] = updates[key];
  if (updates.RemoveCustomerContentEncryptionConfiguration === true) delete next.CustomerContentEncryptionConfiguration;
  return next as WorkGroupConfiguration;
}

function applyResultUpdates(current: ResultConfiguration, value: unknown): ResultConfiguration {
  const u = value as Record<string, unknown>;
  const next: ResultConfiguration = { ...current };
  if (u.RemoveOutputLocation === true) delete next.OutputLocation;
  else if (u.OutputLocation !== undefined && u.OutputLocation !== null) next.OutputLocation = checkOutputLocation(u.OutputLocation);
  if (u.RemoveEncryptionConfiguration === true) delete next.EncryptionConfiguration;
  else if (u.EncryptionConfiguration) next.EncryptionConfiguration = checkEncryption(u.EncryptionConfiguration);
  if (u.RemoveExpectedBucketOwner === true) delete next.ExpectedBucketOwner;
  else if (typeof u.ExpectedBucketOwner === "string") next.ExpectedBucketOwner = u.ExpectedBucketOwner;
  if (u.RemoveAclConfiguration === true) delete next.AclConfiguration;
  else if (u.AclConfiguration) next.AclConfiguration = checkAcl(u.AclConfiguration);
  return next;
}

// ------------------------------------------------------------------------------------------------ shapes

export function engineVersionShape(configuration: WorkGroupConfiguration): EngineVersion {
  return { SelectedEngineVersion: configuration.EngineVersion?.SelectedEngineVersion ?? "AUTO", EffectiveEngineVersion: EFFECTIVE_ENGINE_VERSION };
}

/** The configuration as GetWorkGroup shows it: what was set, with the defaults Athena fills in. */
export function configurationShape(configuration: WorkGroupConfiguration): WorkGroupConfiguration {
  return {
    ...configuration,
    ResultConfiguration: configuration.ResultConfiguration ?? {},
    EnforceWorkGroupConfiguration: configuration.EnforceWorkGroupConfiguration ?? false,
    PublishCloudWatchMetricsEnabled: configuration.PublishCloudWatchMetricsEnabled ?? false,
    RequesterPaysEnabled: configuration.RequesterPaysEnabled ?? false,
    EngineVersion: engineVersionShape(configuration),
    EnableMinimumEncryptionConfiguration: configuration.EnableMinimumEncryptionConfiguration ?? false,
  };
}

export function workGroupShape(row: WorkGroupRow): WorkGroup {
  return {
    Name: row.name,
    State: row.state,
    Configuration: configurationShape(storedConfiguration(row)),
    // Athena leaves Description out when there is none (ListWorkGroups shows "").
    ...(row.description ? { Description: row.description } : {}),
    CreationTime: toDate(row.created),
  };
}
