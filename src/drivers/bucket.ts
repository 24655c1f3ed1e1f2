import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteBucketLifecycleCommand,
  DeleteBucketPolicyCommand,
  DeleteObjectsCommand,
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  ListObjectVersionsCommand,
  PutBucketEncryptionCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  PutPublicAccessBlockCommand,
  type BucketLocationConstraint,
  type LifecycleRule as AwsLifecycleRule,
  type S3Client,
} from "@aws-sdk/client-s3";
import type { BucketSpec, LakeConfig, LifecycleRule } from "../config/types.js";
import type { Desired, Driver, DriverContext, InventoryEntry, Observation, ResourceRef } from "../engine/types.js";
import { Changes, httpStatus, isError, ownership, resourceTags, started, userTags } from "./common.js";
import { parsePolicy, samePolicy, type PolicyDocument } from "./policy.js";

/** A bucket's settings in one canonical shape, whether read from the config or from S3. */
interface BucketSettings {
  tags: Record<string, string>;
  publicAccessBlock: boolean | Record<string, boolean>;
  encryption: { algorithm: string; kmsKeyId?: string; bucketKey?: boolean };
  versioning: boolean;
  lifecycle: CanonicalRule[];
  policy?: PolicyDocument;
}

interface BucketState extends BucketSettings {
  /** Only read for buckets that left the config: whether any object or version remains. */
  empty?: boolean;
}

interface BucketDesiredSpec extends BucketSettings {
  region: string;
  forceDestroy: boolean;
}

interface CanonicalRule {
  id: string;
  prefix: string;
  expireDays?: number;
  noncurrentExpireDays?: number;
  abortIncompleteUploadDays?: number;
  transitions?: { days: number; storageClass: string }[];
}

export class BucketDriver implements Driver<BucketDesiredSpec, BucketState> {
  readonly kind = "bucket";

  constructor(private readonly s3: S3Client) {}

  desired(config: LakeConfig): Desired<BucketDesiredSpec>[] {
    return Object.values(config.buckets).map((b: BucketSpec) => ({
      kind: this.kind,
      address: `bucket.${b.key}`,
      name: b.name,
      dependsOn: [],
      deletionPolicy: b.deletionPolicy,
      adopt: b.adopt,
      facts: { forceDestroy: b.forceDestroy },
      spec: {
        region: config.region,
        forceDestroy: b.forceDestroy,
        tags: userTags(resourceTags(config, b.tags)),
        publicAccessBlock: b.publicAccessBlock,
        encryption: b.encryption.algorithm === "AES256" ? { algorithm: "AES256" } : { algorithm: b.encryption.algorithm, ...(b.encryption.kmsKeyId ? { kmsKeyId: b.encryption.kmsKeyId } : {}), bucketKey: b.encryption.bucketKey },
        versioning: b.versioning,
        lifecycle: b.lifecycle.map(canonicalRule),
        ...(b.policy ? { policy: b.policy as PolicyDocument } : {}),
      },
    }));
  }

  async observe(refs: readonly ResourceRef[], ctx: DriverContext): Promise<Observation<BucketState>[]> {
    return Promise.all(refs.map((ref) => this.observeOne(ref, ctx)));
  }

  private async observeOne(ref: ResourceRef, ctx: DriverContext): Promise<Observation<BucketState>> {
    const Bucket = ref.name;
    const read = <T>(call: () => Promise<T>, ...missing: string[]) =>
      started(
        ctx.limit(call).catch((err: unknown) => {
          if (missing.some((m) => isError(err, m))) return undefined;
          throw err;
        }),
      );
    const isOrphan = !("spec" in ref);
    // All six reads start at once: a converged bucket is read in one round trip of latency, not two. The tags
    // answer whether the bucket exists at all; the other reads are dropped when it does not.
    const tagging = read(() => this.s3.send(new GetBucketTaggingCommand({ Bucket })), "NoSuchTagSet");
    const reads = [
      read(() => this.s3.send(new GetPublicAccessBlockCommand({ Bucket })), "NoSuchPublicAccessBlockConfiguration"),
      read(() => this.s3.send(new GetBucketEncryptionCommand({ Bucket })), "ServerSideEncryptionConfigurationNotFoundError"),
      read(() => this.s3.send(new GetBucketVersioningCommand({ Bucket }))),
      read(() => this.s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket })), "NoSuchLifecycleConfiguration"),
      read(() => this.s3.send(new GetBucketPolicyCommand({ Bucket })), "NoSuchBucketPolicy"),
      isOrphan ? read(() => this.s3.send(new ListObjectVersionsCommand({ Bucket, MaxKeys: 1 }))) : async () => undefined,
    ] as const;
    let tags: Record<string, string>;
    try {
      const out = await tagging();
      tags = Object.fromEntries((out?.TagSet ?? []).map((t) => [t.Key ?? "", t.Value ?? ""]));
    } catch (err) {
      if (isError(err, "NoSuchBucket")) return { exists: false };
      if (isError(err, "AccessDenied") || httpStatus(err) === 403) {
        // The name is taken by a bucket this account cannot read: another account's (names are global).
        return { exists: true, owned: false, owner: "a bucket of another AWS account", state: emptyState() };
      }
      throw err;
    }
    const [pab, encryption, versioning, lifecycle, policy, versions] = await Promise.all([reads[0](), reads[1](), reads[2](), reads[3](), reads[4](), reads[5]()]);
    const flags = pab?.PublicAccessBlockConfiguration ?? {};
    const four = {
      blockPublicAcls: flags.BlockPublicAcls ?? false,
      ignorePublicAcls: flags.IgnorePublicAcls ?? false,
      blockPublicPolicy: flags.BlockPublicPolicy ?? false,
      restrictPublicBuckets: flags.RestrictPublicBuckets ?? false,
    };
    const allSame = new Set(Object.values(four)).size === 1;
    const rule = encryption?.ServerSideEncryptionConfiguration?.Rules?.[0];
    const sse = rule?.ApplyServerSideEncryptionByDefault;
    const state: BucketState = {
      tags: userTags(tags),
      publicAccessBlock: allSame ? four.blockPublicAcls : four,
      encryption: !sse?.SSEAlgorithm
        ? { algorithm: "none" }
        : sse.SSEAlgorithm === "AES256"
          ? { algorithm: "AES256" }
          : { algorithm: sse.SSEAlgorithm, ...(sse.KMSMasterKeyID ? { kmsKeyId: sse.KMSMasterKeyID } : {}), bucketKey: rule?.BucketKeyEnabled ?? false },
      versioning: versioning?.Status === "Enabled",
      lifecycle: (lifecycle?.Rules ?? []).map(canonicalAwsRule).sort((a, b) => a.id.localeCompare(b.id)),
      ...(policy?.Policy ? { policy: parsePolicy(policy.Policy) } : {}),
      ...(isOrphan ? { empty: (versions?.Versions?.length ?? 0) + (versions?.DeleteMarkers?.length ?? 0) === 0 } : {}),
    };
    return { exists: true, ...ownership(tags, ctx.lake), state };
  }

  diff(desired: Desired<BucketDesiredSpec>, observed: BucketState | undefined) {
    const want = desired.spec;
    const have = observed;
    const changes = new Changes()
      .compare("tags", have?.tags, want.tags)
      .compare("publicAccessBlock", have?.publicAccessBlock, want.publicAccessBlock)
      .compare("encryption", have?.encryption, want.encryption, (a, b) => sameEncryption(a as BucketSettings["encryption"], b as BucketSettings["encryption"]))
      .compare("versioning", have ? have.versioning : undefined, want.versioning, (a, b) => a === b)
      .compare("lifecycle", have ? have.lifecycle : undefined, sortRules(want.lifecycle))
      .compare("policy", have?.policy, want.policy, (a, b) => samePolicy(a as PolicyDocument, b as PolicyDocument));
    // On create, settings equal to what S3 gives a new bucket anyway are still listed: the plan shows the whole bucket.
    return changes.list;
  }

  async create(desired: Desired<BucketDesiredSpec>, ctx: DriverContext): Promise<void> {
    const { region } = desired.spec;
    try {
      await ctx.limit(() =>
        this.s3.send(
          new CreateBucketCommand({
            Bucket: desired.name,
            ...(region === "us-east-1" ? {} : { CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint } }),
          }),
        ),
      );
    } catch (err) {
      // A retry after a lost response finds the bucket already ours: that is success, not a conflict.
      if (!isError(err, "BucketAlreadyOwnedByYou")) throw err;
    }
    // Tags first: from here on the bucket is recognisably this lake's, even if a later call fails.
    await this.apply(desired, ["tags", "publicAccessBlock", "encryption", "versioning", "lifecycle", "policy"], ctx, true);
  }

  async update(desired: Desired<BucketDesiredSpec>, _observed: BucketState, changes: { path: string }[], ctx: DriverContext): Promise<void> {
    await this.apply(desired, changes.map((c) => c.path), ctx, false);
  }

  private async apply(desired: Desired<BucketDesiredSpec>, paths: string[], ctx: DriverContext, creating: boolean): Promise<void> {
    const Bucket = desired.name;
    const want = desired.spec;
    // One helper for the many Put*/Delete* commands; their output is not used.
    const send = (command: object): Promise<unknown> => ctx.limit(() => this.s3.send(command as never));
    if (paths.includes("tags")) {
      await send(new PutBucketTaggingCommand({ Bucket, Tagging: { TagSet: Object.entries(want.tags).map(([Key, Value]) => ({ Key, Value })) } }));
    }
    const rest: Promise<unknown>[] = [];
    if (paths.includes("publicAccessBlock")) {
      const f = typeof want.publicAccessBlock === "boolean" ? Object.fromEntries(["blockPublicAcls", "ignorePublicAcls", "blockPublicPolicy", "restrictPublicBuckets"].map((k) => [k, want.publicAccessBlock as boolean])) : want.publicAccessBlock;
      rest.push(send(new PutPublicAccessBlockCommand({ Bucket, PublicAccessBlockConfiguration: { BlockPublicAcls: f.blockPublicAcls, IgnorePublicAcls: f.ignorePublicAcls, BlockPublicPolicy: f.blockPublicPolicy, RestrictPublicBuckets: f.restrictPublicBuckets } })));
    }
    if (paths.includes("encryption")) {
      const e = want.encryption;
      rest.push(
        send(
          new PutBucketEncryptionCommand({
            Bucket,
            ServerSideEncryptionConfiguration: {
              Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: e.algorithm as "AES256", ...(e.kmsKeyId ? { KMSMasterKeyID: e.kmsKeyId } : {}) }, ...(e.algorithm === "AES256" ? {} : { BucketKeyEnabled: e.bucketKey ?? false }) }],
            },
          }),
        ),
      );
    }
    // A new bucket is unversioned already; "Suspended" is only needed to turn versioning off.
    if (paths.includes("versioning") && !(creating && !want.versioning)) {
      rest.push(send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: want.versioning ? "Enabled" : "Suspended" } })));
    }
    if (paths.includes("lifecycle") && !(creating && want.lifecycle.length === 0)) {
      rest.push(
        want.lifecycle.length
          ? send(new PutBucketLifecycleConfigurationCommand({ Bucket, LifecycleConfiguration: { Rules: want.lifecycle.map(awsRule) } }))
          : send(new DeleteBucketLifecycleCommand({ Bucket })),
      );
    }
    if (paths.includes("policy") && !(creating && !want.policy)) {
      rest.push(want.policy ? send(new PutBucketPolicyCommand({ Bucket, Policy: JSON.stringify(want.policy) })) : send(new DeleteBucketPolicyCommand({ Bucket })));
    }
    await settleAll(rest);
  }

  deletionBlocked(resource: InventoryEntry, observed: BucketState): string | undefined {
    if (observed.empty === false && resource.facts?.forceDestroy !== true) {
      return "the bucket still holds objects; lakewarden deletes a bucket with data only when it was declared with forceDestroy: true";
    }
    return undefined;
  }

  async delete(resource: ResourceRef & InventoryEntry, _observed: BucketState, ctx: DriverContext): Promise<void> {
    const Bucket = resource.name;
    if (resource.facts?.forceDestroy === true) await this.emptyBucket(Bucket, ctx);
    await ctx.limit(() => this.s3.send(new DeleteBucketCommand({ Bucket })));
  }

  private async emptyBucket(Bucket: string, ctx: DriverContext): Promise<void> {
    for (;;) {
      const page = await ctx.limit(() => this.s3.send(new ListObjectVersionsCommand({ Bucket, MaxKeys: 1000 })));
      const objects = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].map((v) => ({ Key: v.Key!, VersionId: v.VersionId }));
      if (objects.length === 0) return;
      await ctx.limit(() => this.s3.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: objects, Quiet: true } })));
    }
  }
}

function emptyState(): BucketState {
  return { tags: {}, publicAccessBlock: false, encryption: { algorithm: "none" }, versioning: false, lifecycle: [] };
}

function sameEncryption(a: BucketSettings["encryption"], b: BucketSettings["encryption"]): boolean {
  if (a.algorithm !== b.algorithm) return false;
  if (a.algorithm === "AES256") return true;
  // A key given by alias or id comes back from S3 as an ARN: compare only when the config names one.
  const keyMatches = b.kmsKeyId === undefined || a.kmsKeyId === b.kmsKeyId || (a.kmsKeyId ?? "").endsWith(b.kmsKeyId.replace(/^alias\//, ""));
  return keyMatches && (a.bucketKey ?? false) === (b.bucketKey ?? false);
}

function ruleId(rule: LifecycleRule, index: number): string {
  if (rule.id) return rule.id;
  return rule.prefix ? `prefix-${rule.prefix.replace(/[^A-Za-z0-9._-]/g, "-")}` : `rule-${index + 1}`;
}

function canonicalRule(rule: LifecycleRule, index: number): CanonicalRule {
  return {
    id: ruleId(rule, index),
    prefix: rule.prefix,
    ...(rule.expireDays !== undefined ? { expireDays: rule.expireDays } : {}),
    ...(rule.noncurrentExpireDays !== undefined ? { noncurrentExpireDays: rule.noncurrentExpireDays } : {}),
    ...(rule.abortIncompleteUploadDays !== undefined ? { abortIncompleteUploadDays: rule.abortIncompleteUploadDays } : {}),
    ...(rule.transitions?.length ? { transitions: [...rule.transitions].sort((a, b) => a.days - b.days) } : {}),
  };
}

function sortRules(rules: CanonicalRule[]): CanonicalRule[] {
  return [...rules].sort((a, b) => a.id.localeCompare(b.id));
}

function canonicalAwsRule(rule: AwsLifecycleRule): CanonicalRule {
  return {
    id: rule.ID ?? "",
    prefix: rule.Filter?.Prefix ?? rule.Prefix ?? rule.Filter?.And?.Prefix ?? "",
    ...(rule.Expiration?.Days !== undefined ? { expireDays: rule.Expiration.Days } : {}),
    ...(rule.NoncurrentVersionExpiration?.NoncurrentDays !== undefined ? { noncurrentExpireDays: rule.NoncurrentVersionExpiration.NoncurrentDays } : {}),
    ...(rule.AbortIncompleteMultipartUpload?.DaysAfterInitiation !== undefined ? { abortIncompleteUploadDays: rule.AbortIncompleteMultipartUpload.DaysAfterInitiation } : {}),
    ...(rule.Transitions?.length ? { transitions: rule.Transitions.map((t) => ({ days: t.Days ?? 0, storageClass: String(t.StorageClass) })).sort((a, b) => a.days - b.days) } : {}),
  };
}

function awsRule(rule: CanonicalRule): AwsLifecycleRule {
  return {
    ID: rule.id,
    Status: "Enabled",
    Filter: { Prefix: rule.prefix },
    ...(rule.expireDays !== undefined ? { Expiration: { Days: rule.expireDays } } : {}),
    ...(rule.noncurrentExpireDays !== undefined ? { NoncurrentVersionExpiration: { NoncurrentDays: rule.noncurrentExpireDays } } : {}),
    ...(rule.abortIncompleteUploadDays !== undefined ? { AbortIncompleteMultipartUpload: { DaysAfterInitiation: rule.abortIncompleteUploadDays } } : {}),
    ...(rule.transitions ? { Transitions: rule.transitions.map((t) => ({ Days: t.days, StorageClass: t.storageClass as "GLACIER" })) } : {}),
  };
}

/** Waits for every call, then fails with the first error: independent settings are all attempted. */
async function settleAll(calls: Promise<unknown>[]): Promise<void> {
  const results = await Promise.allSettled(calls);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) throw failed.reason;
}
