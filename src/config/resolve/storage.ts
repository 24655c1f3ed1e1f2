/* eslint-disable @typescript-eslint/no-explicit-any -- input is schema-validated YAML data */
import { checkBucketName, checkRoleName } from "../names.js";
import { parseDuration } from "../units.js";
import type { AccessLevel, BucketSpec, DeletionPolicy, RoleSpec, UploadSpec } from "../types.js";
import type { ResolveContext } from "./context.js";

export function resolveBuckets(ctx: ResolveContext, raw: Record<string, any>, deletionPolicy: DeletionPolicy): Record<string, BucketSpec> {
  const out: Record<string, BucketSpec> = {};
  const names: [string[], string][] = [];
  ctx.items(Object.entries(raw), ([key, b]: [string, any]) => {
    const path = ["buckets", key];
    if (ctx.checkName([...path, "name"], checkBucketName(b.name))) names.push([[...path, "name"], b.name]);
    const enc = b.encryption;
    if (enc.algorithm === "AES256" && enc.kmsKeyId !== undefined) {
      ctx.report([...path, "encryption", "kmsKeyId"], { problem: "is set with algorithm AES256", expected: "expected algorithm: aws:kms to use a KMS key" });
    }
    (b.lifecycle as any[]).forEach((rule, i) => {
      if (rule.expireDays === undefined && rule.noncurrentExpireDays === undefined && rule.abortIncompleteUploadDays === undefined && !rule.transitions?.length) {
        ctx.report([...path, "lifecycle", i], {
          problem: "lifecycle rule has no action",
          expected: "expected expireDays, noncurrentExpireDays, abortIncompleteUploadDays or transitions",
        });
      }
    });
    ctx.unique(
      "lifecycle rule id",
      (b.lifecycle as any[]).flatMap((rule, i) => (rule.id ? [[[...path, "lifecycle", i, "id"], rule.id] as [string[], string]] : [])),
    );
    out[key] = {
      key,
      name: b.name,
      publicAccessBlock: b.publicAccessBlock,
      encryption: { algorithm: enc.algorithm, ...(enc.kmsKeyId ? { kmsKeyId: enc.kmsKeyId } : {}), bucketKey: enc.bucketKey },
      versioning: b.versioning,
      lifecycle: b.lifecycle,
      ...(b.policy ? { policy: b.policy } : {}),
      tags: b.tags,
      forceDestroy: b.forceDestroy,
      deletionPolicy: b.deletionPolicy ?? deletionPolicy,
      adopt: b.adopt,
    };
  });
  ctx.unique("bucket name", names);
  return out;
}

export function resolveUploads(ctx: ResolveContext, raw: any[]): UploadSpec[] {
  return ctx.items(raw, (u, i) => ({
    from: ctx.localPath(["uploads", i, "from"], u.from, "folder or file"),
    to: ctx.bucketRef(["uploads", i, "to"], u.to),
    ...(u.include ? { include: u.include } : {}),
    exclude: u.exclude,
    prune: u.prune,
  }));
}

export function resolveRoles(ctx: ResolveContext, raw: Record<string, any>, deletionPolicy: DeletionPolicy): Record<string, RoleSpec> {
  const out: Record<string, RoleSpec> = {};
  const names: [(string | number)[], string][] = [];
  ctx.items(Object.entries(raw), ([key, r]: [string, any]) => {
    const path = ["roles", key];
    if (ctx.checkName([...path, "name"], checkRoleName(r.name))) names.push([[...path, "name"], r.name]);
    const access = Object.entries(r.access as Record<string, AccessLevel>).map(([ref, level]) => ({
      target: ctx.bucketRef([...path, "access", ref], ref, true),
      level,
    }));
    const maxSessionDuration = parseDuration(r.maxSessionDuration);
    if (maxSessionDuration < 3600 || maxSessionDuration > 43200) {
      ctx.report([...path, "maxSessionDuration"], { problem: `is ${r.maxSessionDuration}`, expected: "expected between 1h and 12h (IAM's limits)" });
    }
    out[key] = {
      key,
      name: r.name,
      ...(r.description ? { description: r.description } : {}),
      path: r.path,
      trust: r.trust,
      managedPolicies: r.managedPolicies,
      access,
      maxSessionDuration,
      tags: r.tags,
      deletionPolicy: r.deletionPolicy ?? deletionPolicy,
      adopt: r.adopt,
    };
  });
  ctx.unique("role name", names);
  return out;
}
