import {
  CreateWorkGroupCommand,
  DeleteWorkGroupCommand,
  GetWorkGroupCommand,
  UpdateWorkGroupCommand,
  type AthenaClient,
  type WorkGroupConfiguration,
  type WorkGroupConfigurationUpdates,
} from "@aws-sdk/client-athena";
import type { LakeConfig } from "../config/types.js";
import type { AttributeChange, Desired, Driver, DriverContext, InventoryEntry, Observation, ResourceRef } from "../engine/types.js";
import { isMissingWorkgroup, toTagList, type AthenaTags } from "./athena-common.js";
import { Changes, ownership, resourceTags, userTags } from "./common.js";

/** A workgroup's settings in one canonical shape, whether from the config or from GetWorkGroup. */
export interface WorkgroupSettings {
  description: string;
  /** `s3://bucket/prefix/`, or "" when queries must name their own. */
  outputLocation: string;
  encryption: { option: string; kmsKey?: string } | null;
  enforce: boolean;
  publishMetrics: boolean;
  /** Bytes; null when unlimited. */
  bytesScannedCutoff: number | null;
  tags: Record<string, string>;
}

/** Athena workgroups: their result location, encryption, enforcement, CloudWatch flag and per-query scan cutoff. */
export class WorkgroupDriver implements Driver<WorkgroupSettings, WorkgroupSettings> {
  readonly kind = "workgroup";

  constructor(
    private readonly athena: AthenaClient,
    private readonly tags: AthenaTags,
  ) {}

  desired(config: LakeConfig): Desired<WorkgroupSettings>[] {
    return config.workgroups.map((w) => ({
      kind: this.kind,
      address: `workgroup.${w.name}`,
      name: w.name,
      dependsOn: w.results ? [`bucket.${w.results.bucket}`] : [],
      deletionPolicy: w.deletionPolicy,
      adopt: w.adopt,
      spec: {
        description: w.description ?? "",
        outputLocation: w.results ? `s3://${config.buckets[w.results.bucket]!.name}/${w.results.prefix}` : "",
        encryption: w.results ? { option: w.encryption, ...(w.kmsKey ? { kmsKey: w.kmsKey } : {}) } : null,
        enforce: w.enforce,
        publishMetrics: w.publishMetrics,
        bytesScannedCutoff: w.bytesScannedCutoff ?? null,
        tags: userTags(resourceTags(config, w.tags)),
      },
    }));
  }

  async observe(refs: readonly ResourceRef[], ctx: DriverContext): Promise<Observation<WorkgroupSettings>[]> {
    return Promise.all(
      refs.map(async (ref): Promise<Observation<WorkgroupSettings>> => {
        let group;
        try {
          group = (await ctx.limit(() => this.athena.send(new GetWorkGroupCommand({ WorkGroup: ref.name })))).WorkGroup;
        } catch (err) {
          if (isMissingWorkgroup(err)) return { exists: false };
          throw err;
        }
        if (!group?.Name) return { exists: false };
        const tags = await this.tags.get(ref.name, ctx);
        return { exists: true, ...ownership(tags, ctx.lake), state: settingsOf(group.Description, group.Configuration, tags) };
      }),
    );
  }

  diff(desired: Desired<WorkgroupSettings>, observed: WorkgroupSettings | undefined): AttributeChange[] {
    const want = desired.spec;
    return new Changes()
      .compare("description", observed?.description, want.description)
      .compare("outputLocation", observed?.outputLocation, want.outputLocation)
      .compare("encryption", observed?.encryption, want.encryption)
      .compare("enforce", observed?.enforce, want.enforce)
      .compare("publishMetrics", observed?.publishMetrics, want.publishMetrics)
      .compare("bytesScannedCutoff", observed?.bytesScannedCutoff, want.bytesScannedCutoff)
      .compare("tags", observed?.tags, want.tags).list;
  }

  async create(desired: Desired<WorkgroupSettings>, ctx: DriverContext): Promise<void> {
    const spec = desired.spec;
    const Configuration: WorkGroupConfiguration = {
      ...(spec.outputLocation
        ? { ResultConfiguration: { OutputLocation: spec.outputLocation, ...(spec.encryption ? { EncryptionConfiguration: encryptionOf(spec.encryption) } : {}) } }
        : {}),
      EnforceWorkGroupConfiguration: spec.enforce,
      PublishCloudWatchMetricsEnabled: spec.publishMetrics,
      ...(spec.bytesScannedCutoff !== null ? { BytesScannedCutoffPerQuery: spec.bytesScannedCutoff } : {}),
    };
    await ctx
      .limit(() =>
        this.athena.send(
          new CreateWorkGroupCommand({
            Name: desired.name,
            Configuration,
            ...(spec.description ? { Description: spec.description } : {}),
            Tags: toTagList(spec.tags),
          }),
        ),
      )
      .catch((err: unknown) => {
        if (!/already (exists|created)/i.test((err as Error).message ?? "")) throw err; // a retried create
      });
  }

  async update(desired: Desired<WorkgroupSettings>, observed: WorkgroupSettings, changes: AttributeChange[], ctx: DriverContext): Promise<void> {
    const paths = new Set(changes.map((c) => c.path));
    const want = desired.spec;
    const updates: WorkGroupConfigurationUpdates = {};
    if (paths.has("outputLocation") || paths.has("encryption")) {
      updates.ResultConfigurationUpdates = want.outputLocation
        ? { OutputLocation: want.outputLocation, ...(want.encryption ? { EncryptionConfiguration: encryptionOf(want.encryption) } : { RemoveEncryptionConfiguration: true }) }
        : { RemoveOutputLocation: true, RemoveEncryptionConfiguration: true };
    }
    if (paths.has("enforce")) updates.EnforceWorkGroupConfiguration = want.enforce;
    if (paths.has("publishMetrics")) updates.PublishCloudWatchMetricsEnabled = want.publishMetrics;
    if (paths.has("bytesScannedCutoff")) {
      if (want.bytesScannedCutoff === null) updates.RemoveBytesScannedCutoffPerQuery = true;
      else updates.BytesScannedCutoffPerQuery = want.bytesScannedCutoff;
    }
    if (Object.keys(updates).length || paths.has("description")) {
      await ctx.limit(() =>
        this.athena.send(
          new UpdateWorkGroupCommand({
            WorkGroup: desired.name,
            ...(paths.has("description") ? { Description: want.description } : {}),
            ...(Object.keys(updates).length ? { ConfigurationUpdates: updates } : {}),
          }),
        ),
      );
    }
    if (paths.has("tags")) await this.tags.set(desired.name, want.tags, observed.tags, ctx);
  }

  async delete(resource: ResourceRef & InventoryEntry, _observed: WorkgroupSettings, ctx: DriverContext): Promise<void> {
    // Recursive: Athena refuses to delete a workgroup that holds named queries or query history otherwise. The
    // saved queries lakewarden manages in it are deleted before it (reverse order); results in S3 stay.
    await ctx.limit(() => this.athena.send(new DeleteWorkGroupCommand({ WorkGroup: resource.name, RecursiveDeleteOption: true })));
  }
}

function encryptionOf(encryption: NonNullable<WorkgroupSettings["encryption"]>) {
  return { EncryptionOption: encryption.option as "SSE_S3", ...(encryption.kmsKey ? { KmsKey: encryption.kmsKey } : {}) };
}

function settingsOf(description: string | undefined, config: WorkGroupConfiguration | undefined, tags: Record<string, string>): WorkgroupSettings {
  const result = config?.ResultConfiguration;
  const encryption = result?.EncryptionConfiguration;
  return {
    description: description ?? "",
    outputLocation: result?.OutputLocation ?? "",
    encryption: encryption?.EncryptionOption ? { option: encryption.EncryptionOption, ...(encryption.KmsKey ? { kmsKey: encryption.KmsKey } : {}) } : null,
    // AWS's defaults when a workgroup was created without them.
    enforce: config?.EnforceWorkGroupConfiguration ?? true,
    publishMetrics: config?.PublishCloudWatchMetricsEnabled ?? false,
    bytesScannedCutoff: config?.BytesScannedCutoffPerQuery ?? null,
    tags: userTags(tags),
  };
}
