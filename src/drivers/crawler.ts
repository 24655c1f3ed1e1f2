import {
  BatchGetCrawlersCommand,
  CreateCrawlerCommand,
  DeleteCrawlerCommand,
  UpdateCrawlerCommand,
  type Crawler,
  type GlueClient,
} from "@aws-sdk/client-glue";
import type { CrawlerSpec, LakeConfig } from "../config/types.js";
import type { ApplyOutcome, AttributeChange, Desired, Driver, DriverContext, InventoryEntry, Observation, ResourceRef, RunReport } from "../engine/types.js";
import { startCrawler, waitForCrawler } from "../runs/crawls.js";
import { canonicalJson, Changes, ownership, resourceTags, userTags } from "./common.js";
import { batchGet, roleName, withRolePropagation, type GlueAccount } from "./glue-common.js";

/** A crawler's definition in one canonical shape, whether from the config or from GetCrawler. */
export interface CrawlerSettings {
  role: string;
  database: string;
  description: string;
  targets: { path: string; exclusions: string[]; sampleSize?: number }[];
  schedule: string;
  tablePrefix: string;
  schemaChange: { update: string; delete: string };
  recrawl: string;
  /** The Configuration JSON, canonical (keys sorted), or "" when none. */
  configuration: string;
  tags: Record<string, string>;
}

export interface CrawlerDesired extends CrawlerSettings {
  runOn: CrawlerSpec["runOn"];
  /** `s3://bucket/prefix` of each target, to match objects this run uploaded. */
  targetUris: string[];
}

/** Glue crawlers. One BatchGetCrawlers per 100 crawlers, then tags per existing crawler. */
export class CrawlerDriver implements Driver<CrawlerDesired, CrawlerSettings> {
  readonly kind = "crawler";

  constructor(
    private readonly glue: GlueClient,
    private readonly account: GlueAccount,
  ) {}

  desired(config: LakeConfig): Desired<CrawlerDesired>[] {
    return config.crawlers.map((c) => {
      const role = c.role.kind === "declared" ? config.roles[c.role.key]!.name : c.role.arn;
      const targets = c.targets.map((t) => ({
        path: `s3://${config.buckets[t.path.bucket]!.name}/${t.path.prefix}`,
        exclusions: t.exclusions,
        ...(t.sampleSize !== undefined ? { sampleSize: t.sampleSize } : {}),
      }));
      return {
        kind: this.kind,
        address: `crawler.${c.name}`,
        name: c.name,
        dependsOn: [`database.${c.database}`, ...(c.role.kind === "declared" ? [`role.${c.role.key}`] : []), ...new Set(c.targets.map((t) => `bucket.${t.path.bucket}`))],
        deletionPolicy: c.deletionPolicy,
        adopt: c.adopt,
        spec: {
          role,
          database: c.database,
          description: c.description ?? "",
          targets,
          schedule: c.schedule ?? "",
          tablePrefix: c.tablePrefix ?? "",
          schemaChange: c.schemaChange,
          recrawl: c.recrawl,
          configuration: configurationJson(c),
          tags: userTags(resourceTags(config, c.tags)),
          runOn: c.runOn,
          targetUris: targets.map((t) => t.path),
        },
      };
    });
  }

  async observe(refs: readonly ResourceRef[], ctx: DriverContext): Promise<Observation<CrawlerSettings>[]> {
    const crawlers = await batchGet(refs, ctx, async (CrawlerNames) => (await this.glue.send(new BatchGetCrawlersCommand({ CrawlerNames }))).Crawlers ?? []);
    return Promise.all(
      refs.map(async (ref, i): Promise<Observation<CrawlerSettings>> => {
        const c = crawlers[i];
        if (!c) return { exists: false };
        const tags = await this.account.tags("crawler", ref.name, ctx);
        return { exists: true, ...ownership(tags, ctx.lake), state: settingsOf(c, tags) };
      }),
    );
  }

  diff(desired: Desired<CrawlerDesired>, observed: CrawlerSettings | undefined): AttributeChange[] {
    const want = desired.spec;
    return new Changes()
      .compare("role", observed?.role, want.role, (a, b) => roleName(a as string) === roleName(b as string))
      .compare("database", observed?.database, want.database)
      .compare("description", observed?.description, want.description)
      .compare("targets", observed?.targets, want.targets)
      .compare("schedule", observed?.schedule, want.schedule)
      .compare("tablePrefix", observed?.tablePrefix, want.tablePrefix)
      .compare("schemaChange", observed?.schemaChange, want.schemaChange)
      .compare("recrawl", observed?.recrawl, want.recrawl)
      .compare("configuration", observed?.configuration, want.configuration)
      .compare("tags", observed?.tags, want.tags).list;
  }

  async create(desired: Desired<CrawlerDesired>, ctx: DriverContext): Promise<void> {
    await withRolePropagation(() => ctx.limit(() => this.glue.send(new CreateCrawlerCommand({ ...this.input(desired), Tags: desired.spec.tags })))).catch((err: unknown) => {
      if ((err as Error).name !== "AlreadyExistsException") throw err; // a retried create
    });
  }

  async update(desired: Desired<CrawlerDesired>, observed: CrawlerSettings, changes: AttributeChange[], ctx: DriverContext): Promise<void> {
    const paths = changes.map((c) => c.path);
    if (paths.some((p) => p !== "tags")) {
      const input = this.input(desired);
      await withRolePropagation(() =>
        ctx.limit(() =>
          this.glue.send(
            new UpdateCrawlerCommand({
              ...input,
              // UpdateCrawler keeps what is not sent: clear explicitly what the config no longer sets.
              Description: desired.spec.description,
              TablePrefix: desired.spec.tablePrefix,
              Schedule: desired.spec.schedule,
              Configuration: desired.spec.configuration || "{}",
            }),
          ),
        ),
      );
    }
    if (paths.includes("tags")) await this.account.setTags("crawler", desired.name, desired.spec.tags, observed.tags, ctx);
  }

  /** Starts the crawlers whose `runOn` triggers fired in this run: created, changed, or new data under a target. */
  async afterApply(desired: Desired<CrawlerDesired>[], outcome: ApplyOutcome, ctx: DriverContext): Promise<RunReport[]> {
    const reports = desired.flatMap((d) => {
      const reason = triggerOf(d, outcome, ctx);
      return reason ? [{ d, reason }] : [];
    });
    return Promise.all(
      reports.map(async ({ d, reason }): Promise<RunReport> => {
        const base = { address: d.address, run: `crawl ${d.name}`, reason };
        try {
          const started = await ctx.limit(() => startCrawler(this.glue, d.name));
          if (!ctx.wait) return { ...base, status: "started", detail: started };
          const outcome = await waitForCrawler(this.glue, d.name);
          const status = outcome.status === "SUCCEEDED" ? "succeeded" : outcome.status === "CANCELLED" ? "cancelled" : "failed";
          const counts = `${outcome.tablesCreated} tables created, ${outcome.tablesUpdated} updated, ${outcome.tablesDeleted} deleted`;
          return { ...base, status, detail: outcome.error ? `${counts}; ${outcome.error}` : counts };
        } catch (err) {
          return { ...base, status: "failed", detail: (err as Error).message };
        }
      }),
    );
  }

  async delete(resource: ResourceRef & InventoryEntry, _observed: CrawlerSettings, ctx: DriverContext): Promise<void> {
    await ctx.limit(() => this.glue.send(new DeleteCrawlerCommand({ Name: resource.name })));
  }

  private input(desired: Desired<CrawlerDesired>) {
    const s = desired.spec;
    return {
      Name: desired.name,
      Role: s.role,
      DatabaseName: s.database,
      ...(s.description ? { Description: s.description } : {}),
      Targets: { S3Targets: s.targets.map((t) => ({ Path: t.path, Exclusions: t.exclusions, ...(t.sampleSize !== undefined ? { SampleSize: t.sampleSize } : {}) })) },
      ...(s.schedule ? { Schedule: s.schedule } : {}),
      ...(s.tablePrefix ? { TablePrefix: s.tablePrefix } : {}),
      SchemaChangePolicy: { UpdateBehavior: s.schemaChange.update as "LOG", DeleteBehavior: s.schemaChange.delete as "LOG" },
      RecrawlPolicy: { RecrawlBehavior: s.recrawl as "CRAWL_EVERYTHING" },
      ...(s.configuration ? { Configuration: s.configuration } : {}),
    };
  }
}

/** Why a crawler runs after this apply, or undefined when it does not. */
function triggerOf(d: Desired<CrawlerDesired>, outcome: ApplyOutcome, ctx: DriverContext): string | undefined {
  const on = new Set(d.spec.runOn);
  if (on.has("create") && outcome.created.has(d.address)) return "create";
  const changed = outcome.updated.get(d.address)?.filter((p) => p !== "tags");
  if (on.has("change") && changed?.length) return "change";
  if (on.has("data") && ctx.written.some((w) => d.spec.targetUris.some((uri) => `s3://${w.bucket}/${w.key}`.startsWith(uri)))) return "data";
  return undefined;
}

/** The crawler Configuration JSON Glue documents, from the config's `grouping`; "" when nothing is set. */
function configurationJson(c: CrawlerSpec): string {
  const grouping: Record<string, unknown> = {};
  if (c.grouping.combineCompatibleSchemas) grouping.TableGroupingPolicy = "CombineCompatibleSchemas";
  if (c.grouping.tableLevel !== undefined) grouping.TableLevelConfiguration = c.grouping.tableLevel;
  const config: Record<string, unknown> = {};
  if (Object.keys(grouping).length) config.Grouping = grouping;
  if (c.grouping.tableThreshold !== undefined) config.CrawlerOutput = { Tables: { TableThreshold: c.grouping.tableThreshold } };
  return Object.keys(config).length ? canonicalJson({ Version: 1.0, ...config }) : "";
}

function settingsOf(c: Crawler, tags: Record<string, string>): CrawlerSettings {
  const configuration = c.Configuration ? canonicalJson(JSON.parse(c.Configuration)) : "";
  return {
    role: c.Role ?? "",
    database: c.DatabaseName ?? "",
    description: c.Description ?? "",
    targets: (c.Targets?.S3Targets ?? []).map((t) => ({
      path: t.Path ?? "",
      exclusions: t.Exclusions ?? [],
      ...(t.SampleSize !== undefined && t.SampleSize !== null ? { sampleSize: t.SampleSize } : {}),
    })),
    schedule: c.Schedule?.ScheduleExpression ?? "",
    tablePrefix: c.TablePrefix ?? "",
    schemaChange: { update: c.SchemaChangePolicy?.UpdateBehavior ?? "UPDATE_IN_DATABASE", delete: c.SchemaChangePolicy?.DeleteBehavior ?? "DEPRECATE_IN_DATABASE" },
    recrawl: c.RecrawlPolicy?.RecrawlBehavior ?? "CRAWL_EVERYTHING",
    // An empty Configuration ("{}") is no configuration.
    configuration: configuration === "{}" ? "" : configuration,
    tags: userTags(tags),
  };
}
