import type { Crawler, CrawlerTargets, S3Target } from "@aws-sdk/client-glue";
import { invalidInput, requireName } from "./api-common.js";
import { ConfigurationError, parseCrawlerConfiguration } from "./crawler/config.js";
import { parseIncludePath } from "./crawler/layout.js";
import { cronProblem } from "./crawler-schedule.js";

/**
 * A crawler's definition: CreateCrawler / UpdateCrawler input checked as Glue checks it, and kept as the fields of
 * the Crawler shape GetCrawler returns (defaults filled in as Glue fills them). State, times, version and the last
 * crawl live beside it (glue_crawlers columns, glue_crawler_runs).
 */

export type CrawlerDefinition = Pick<
  Crawler,
  | "Name"
  | "Role"
  | "Targets"
  | "DatabaseName"
  | "Description"
  | "Classifiers"
  | "RecrawlPolicy"
  | "SchemaChangePolicy"
  | "LineageConfiguration"
  | "TablePrefix"
  | "Schedule"
  | "Configuration"
  | "CrawlerSecurityConfiguration"
  | "LakeFormationConfiguration"
>;

const UPDATE_BEHAVIORS = ["UPDATE_IN_DATABASE", "LOG"];
const DELETE_BEHAVIORS = ["DEPRECATE_IN_DATABASE", "DELETE_FROM_DATABASE", "LOG"];
const RECRAWL_BEHAVIORS = ["CRAWL_EVERYTHING", "CRAWL_NEW_FOLDERS_ONLY", "CRAWL_EVENT_MODE"];
const TARGET_KINDS = ["S3Targets", "JdbcTargets", "MongoDBTargets", "DynamoDBTargets", "CatalogTargets", "DeltaTargets", "IcebergTargets", "HudiTargets"] as const;

type Input = Record<string, unknown>;

/** A full definition from CreateCrawler's input. */
export function createDefinition(input: Input): CrawlerDefinition {
  const name = requireName(input.Name, "Name");
  if (typeof input.Role !== "string" || !input.Role) throw invalidInput("Role is required.");
  if (input.Targets === undefined || input.Targets === null) throw invalidInput("Targets is required.");
  return checkDefinition({
    Name: name,
    Role: input.Role,
    Targets: targets(input.Targets),
    DatabaseName: optionalString(input.DatabaseName, "DatabaseName", 255),
    Description: optionalString(input.Description, "Description", 2048),
    Classifiers: classifiers(input.Classifiers),
    RecrawlPolicy: recrawlPolicy(input.RecrawlPolicy),
    SchemaChangePolicy: schemaChangePolicy(input.SchemaChangePolicy),
    LineageConfiguration: lineage(input.LineageConfiguration),
    TablePrefix: optionalString(input.TablePrefix, "TablePrefix", 128),
    Schedule: schedule(input.Schedule),
    Configuration: configuration(input.Configuration),
    CrawlerSecurityConfiguration: optionalString(input.CrawlerSecurityConfiguration, "CrawlerSecurityConfiguration", 128),
    LakeFormationConfiguration: lakeFormation(input.LakeFormationConfiguration),
  });
}

/** UpdateCrawler: what is sent replaces, what is not sent is kept; empty strings clear. */
export function updateDefinition(current: CrawlerDefinition, input: Input): CrawlerDefinition {
  const next: CrawlerDefinition = { ...current };
  if (input.Role !== undefined && input.Role !== null) {
    if (typeof input.Role !== "string" || !input.Role) throw invalidInput("Role must not be empty.");
    next.Role = input.Role;
  }
  if (input.Targets !== undefined && input.Targets !== null) next.Targets = targets(input.Targets);
  if (input.DatabaseName !== undefined && input.DatabaseName !== null) next.DatabaseName = optionalString(input.DatabaseName, "DatabaseName", 255);
  if (input.Description !== undefined && input.Description !== null) next.Description = optionalString(input.Description, "Description", 2048);
  if (input.Classifiers !== undefined && input.Classifiers !== null) next.Classifiers = classifiers(input.Classifiers);
  if (input.RecrawlPolicy !== undefined && input.RecrawlPolicy !== null) next.RecrawlPolicy = recrawlPolicy(input.RecrawlPolicy);
  if (input.SchemaChangePolicy !== undefined && input.SchemaChangePolicy !== null) next.SchemaChangePolicy = schemaChangePolicy(input.SchemaChangePolicy);
  if (input.LineageConfiguration !== undefined && input.LineageConfiguration !== null) next.LineageConfiguration = lineage(input.LineageConfiguration);
  if (input.TablePrefix !== undefined && input.TablePrefix !== null) next.TablePrefix = optionalString(input.TablePrefix, "TablePrefix", 128);
  if (input.Schedule !== undefined && input.Schedule !== null) {
    const s = schedule(input.Schedule);
    // A new expression keeps the schedule's state; a first one is SCHEDULED.
    next.Schedule = s && current.Schedule ? { ...s, State: current.Schedule.State } : s;
  }
  if (input.Configuration !== undefined && input.Configuration !== null) next.Configuration = configuration(input.Configuration);
  if (input.CrawlerSecurityConfiguration !== undefined && input.CrawlerSecurityConfiguration !== null) {
    next.CrawlerSecurityConfiguration = optionalString(input.CrawlerSecurityConfiguration, "CrawlerSecurityConfiguration", 128);
  }
  if (input.LakeFormationConfiguration !== undefined && input.LakeFormationConfiguration !== null) next.LakeFormationConfiguration = lakeFormation(input.LakeFormationConfiguration);
  for (const k of Object.keys(next) as (keyof CrawlerDefinition)[]) if (next[k] === undefined) delete next[k];
  return checkDefinition(next);
}

/** Checks across fields. */
function checkDefinition(def: CrawlerDefinition): CrawlerDefinition {
  if (def.RecrawlPolicy?.RecrawlBehavior === "CRAWL_NEW_FOLDERS_ONLY") {
    if (def.SchemaChangePolicy?.UpdateBehavior !== "LOG" || def.SchemaChangePolicy?.DeleteBehavior !== "LOG") {
      throw invalidInput(
        'The SchemaChangePolicy for "Crawl new folders only" Amazon S3 target can have only LOG DeleteBehavior value and LOG UpdateBehavior value.',
      );
    }
  }
  if (def.RecrawlPolicy?.RecrawlBehavior === "CRAWL_EVENT_MODE" && !(def.Targets?.S3Targets ?? []).some((t) => t.EventQueueArn)) {
    throw invalidInput("CRAWL_EVENT_MODE needs an S3 target with an EventQueueArn.");
  }
  for (const k of Object.keys(def) as (keyof CrawlerDefinition)[]) if (def[k] === undefined) delete def[k];
  return def;
}

function optionalString(value: unknown, member: string, max: number): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw invalidInput(`${member} must be a string.`);
  if (value.length > max) throw invalidInput(`1 validation error detected: Value at '${member}' failed to satisfy constraint: Member must have length less than or equal to ${max}`);
  return value === "" ? undefined : value;
}

function targets(value: unknown): CrawlerTargets {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw invalidInput("Targets must be an object.");
  const raw = value as Record<string, unknown>;
  const out: CrawlerTargets = {};
  for (const kind of TARGET_KINDS) {
    const list = raw[kind];
    if (list !== undefined && list !== null && !Array.isArray(list)) throw invalidInput(`Targets.${kind} must be a list.`);
    (out as Record<string, unknown>)[kind] = kind === "S3Targets" ? ((list as unknown[] | undefined) ?? []).map(s3Target) : ((list as unknown[] | undefined) ?? []);
  }
  return out;
}

function s3Target(value: unknown): S3Target {
  if (typeof value !== "object" || value === null) throw invalidInput("An S3 target must be an object.");
  const t = value as Record<string, unknown>;
  if (typeof t.Path !== "string" || !parseIncludePath(t.Path)) throw invalidInput(`S3 target path must be an S3 URL (s3://bucket/prefix), got ${JSON.stringify(t.Path)}.`);
  const exclusions = t.Exclusions ?? [];
  if (!Array.isArray(exclusions) || exclusions.some((e) => typeof e !== "string")) throw invalidInput("S3 target Exclusions must be a list of strings.");
  const target: S3Target = { Path: t.Path, Exclusions: exclusions as string[] };
  if (t.SampleSize !== undefined && t.SampleSize !== null) {
    if (typeof t.SampleSize !== "number" || !Number.isInteger(t.SampleSize) || t.SampleSize < 1 || t.SampleSize > 249) {
      throw invalidInput(`SampleSize must be an integer between 1 and 249, got ${JSON.stringify(t.SampleSize)}.`);
    }
    target.SampleSize = t.SampleSize;
  }
  if (typeof t.ConnectionName === "string") target.ConnectionName = t.ConnectionName;
  if (typeof t.EventQueueArn === "string") target.EventQueueArn = t.EventQueueArn;
  if (typeof t.DlqEventQueueArn === "string") target.DlqEventQueueArn = t.DlqEventQueueArn;
  return target;
}

function classifiers(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((c) => typeof c !== "string")) throw invalidInput("Classifiers must be a list of names.");
  return value as string[];
}

function enumValue(value: unknown, allowed: string[], member: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string" || !allowed.includes(value)) {
    throw invalidInput(`1 validation error detected: Value '${String(value)}' at '${member}' failed to satisfy constraint: Member must satisfy enum value set: [${allowed.join(", ")}]`);
  }
  return value;
}

function recrawlPolicy(value: unknown): NonNullable<Crawler["RecrawlPolicy"]> {
  const raw = (value ?? {}) as Record<string, unknown>;
  return { RecrawlBehavior: (enumValue(raw.RecrawlBehavior, RECRAWL_BEHAVIORS, "recrawlPolicy.recrawlBehavior") ?? "CRAWL_EVERYTHING") as "CRAWL_EVERYTHING" };
}

function schemaChangePolicy(value: unknown): NonNullable<Crawler["SchemaChangePolicy"]> {
  const raw = (value ?? {}) as Record<string, unknown>;
  return {
    UpdateBehavior: (enumValue(raw.UpdateBehavior, UPDATE_BEHAVIORS, "schemaChangePolicy.updateBehavior") ?? "UPDATE_IN_DATABASE") as "LOG",
    DeleteBehavior: (enumValue(raw.DeleteBehavior, DELETE_BEHAVIORS, "schemaChangePolicy.deleteBehavior") ?? "DEPRECATE_IN_DATABASE") as "LOG",
  };
}

function lineage(value: unknown): NonNullable<Crawler["LineageConfiguration"]> {
  const raw = (value ?? {}) as Record<string, unknown>;
  return { CrawlerLineageSettings: (enumValue(raw.CrawlerLineageSettings, ["ENABLE", "DISABLE"], "lineageConfiguration.crawlerLineageSettings") ?? "DISABLE") as "DISABLE" };
}

function lakeFormation(value: unknown): NonNullable<Crawler["LakeFormationConfiguration"]> {
  const raw = (value ?? {}) as Record<string, unknown>;
  return { UseLakeFormationCredentials: raw.UseLakeFormationCredentials === true, AccountId: typeof raw.AccountId === "string" ? raw.AccountId : "" };
}

function schedule(value: unknown): Crawler["Schedule"] | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value !== "string") throw invalidInput("Schedule must be a cron expression string.");
  const problem = cronProblem(value);
  if (problem) throw invalidInput(`Invalid schedule expression: ${value} (${problem}).`);
  return { ScheduleExpression: value, State: "SCHEDULED" };
}

function configuration(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw invalidInput("Configuration must be a JSON string.");
  try {
    parseCrawlerConfiguration(value);
  } catch (err) {
    if (err instanceof ConfigurationError) throw invalidInput(err.message);
    throw err;
  }
  return value === "" ? undefined : value;
}

/** Defaults Glue shows on every crawler. */
export function withDefaults(def: CrawlerDefinition): CrawlerDefinition {
  return {
    Classifiers: [],
    SchemaChangePolicy: { UpdateBehavior: "UPDATE_IN_DATABASE", DeleteBehavior: "DEPRECATE_IN_DATABASE" },
    RecrawlPolicy: { RecrawlBehavior: "CRAWL_EVERYTHING" },
    LineageConfiguration: { CrawlerLineageSettings: "DISABLE" },
    LakeFormationConfiguration: { UseLakeFormationCredentials: false, AccountId: "" },
    ...def,
  };
}
