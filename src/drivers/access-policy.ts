import type { AccessLevel, LakeConfig, RoleSpec } from "../config/types.js";
import type { PolicyDocument } from "./policy.js";

/**
 * Compiles a role's `access` map into a least-privilege S3 policy: only the buckets and prefixes it names, only
 * the actions each level needs — never `s3:*`, never `*` as a resource.
 */
const READ_OBJECT = ["s3:GetObject", "s3:GetObjectVersion"];
const WRITE_OBJECT = ["s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"];
const BUCKET_READ = ["s3:GetBucketLocation", "s3:ListBucket"];
const BUCKET_WRITE = ["s3:ListBucketMultipartUploads"];

export function compileAccessPolicy(role: RoleSpec, config: LakeConfig): PolicyDocument | undefined {
  if (role.access.length === 0) return undefined;
  // Group by bucket so each bucket gets at most one list statement and one statement per level.
  const byBucket = new Map<string, { prefixes: Map<string, Set<AccessLevel>> }>();
  for (const { target, level } of role.access) {
    const entry = byBucket.get(target.bucket) ?? { prefixes: new Map() };
    const levels = entry.prefixes.get(target.prefix) ?? new Set<AccessLevel>();
    levels.add(level);
    entry.prefixes.set(target.prefix, levels);
    byBucket.set(target.bucket, entry);
  }
  const statements: Record<string, unknown>[] = [];
  for (const [key, { prefixes }] of [...byBucket].sort(([a], [b]) => a.localeCompare(b))) {
    const name = config.buckets[key]!.name;
    const bucketArn = `arn:aws:s3:::${name}`;
    const sid = pascal(key);
    const reads = [...prefixes].filter(([, l]) => l.has("read") || l.has("readwrite")).map(([p]) => p).sort();
    const writes = [...prefixes].filter(([, l]) => l.has("write") || l.has("readwrite")).map(([p]) => p).sort();
    const all = [...prefixes.keys()];
    const wholeBucket = all.includes("");
    statements.push({
      Sid: `List${sid}`,
      Effect: "Allow",
      Action: writes.length ? [...BUCKET_READ, ...BUCKET_WRITE] : BUCKET_READ,
      Resource: bucketArn,
      // Listing limited to the granted prefixes, unless the whole bucket is granted.
      ...(wholeBucket ? {} : { Condition: { StringLike: { "s3:prefix": all.sort().flatMap((p) => [p, `${p}*`]) } } }),
    });
    if (reads.length) statements.push({ Sid: `Read${sid}`, Effect: "Allow", Action: READ_OBJECT, Resource: reads.map((p) => `${bucketArn}/${p}*`) });
    if (writes.length) statements.push({ Sid: `Write${sid}`, Effect: "Allow", Action: WRITE_OBJECT, Resource: writes.map((p) => `${bucketArn}/${p}*`) });
  }
  return { Version: "2012-10-17", Statement: statements };
}

/** Trust policy letting the given services assume the role. */
export function trustPolicy(services: string[]): PolicyDocument {
  const sorted = [...services].sort();
  return {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: sorted.length === 1 ? sorted[0] : sorted }, Action: "sts:AssumeRole" }],
  };
}

function pascal(key: string): string {
  return key.split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w[0]!.toUpperCase() + w.slice(1)).join("");
}
