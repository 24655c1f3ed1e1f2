import type Database from "better-sqlite3";
import { AwsError } from "../../protocols/types.js";
import { sql } from "./sql.js";

/** The s3_buckets table: one row per bucket with its settings as JSON. */

export interface BucketRow {
  name: string;
  region: string;
  created: string;
  versioning: "Enabled" | "Suspended" | null;
  public_access_block: string | null;
  encryption: string;
  ownership: string | null;
  tagging: string | null;
  lifecycle: string | null;
  policy: string | null;
}

/** Bucket settings stored as columns, each Put/Get/Delete of one configuration. */
export type BucketSetting = "versioning" | "public_access_block" | "encryption" | "ownership" | "tagging" | "lifecycle" | "policy";

export const DEFAULT_ENCRYPTION = JSON.stringify([{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" }, BucketKeyEnabled: false }]);
export const DEFAULT_PUBLIC_ACCESS_BLOCK = JSON.stringify({ BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true });
export const DEFAULT_OWNERSHIP = JSON.stringify([{ ObjectOwnership: "BucketOwnerEnforced" }]);

export function getBucket(db: Database.Database, name: string): BucketRow | undefined {
  return sql(db, "SELECT * FROM s3_buckets WHERE name = ?").get(name) as BucketRow | undefined;
}

export function noSuchBucket(name: string): AwsError {
  return new AwsError("NoSuchBucket", "The specified bucket does not exist", 404, { BucketName: name });
}

export function requireBucket(db: Database.Database, name: string): BucketRow {
  const row = getBucket(db, name);
  if (!row) throw noSuchBucket(name);
  return row;
}

export function insertBucket(db: Database.Database, row: Pick<BucketRow, "name" | "region" | "created" | "ownership">): void {
  sql(db, 
    "INSERT INTO s3_buckets (name, region, created, public_access_block, encryption, ownership) VALUES (@name, @region, @created, @pab, @encryption, @ownership)",
  ).run({ ...row, pab: DEFAULT_PUBLIC_ACCESS_BLOCK, encryption: DEFAULT_ENCRYPTION });
}

export function setBucketSetting(db: Database.Database, name: string, setting: BucketSetting, value: string | null): void {
  // `setting` is one of a fixed set of column names, never user input.
  sql(db, `UPDATE s3_buckets SET ${setting} = ? WHERE name = ?`).run(value, name);
}

export function listBucketRows(db: Database.Database): BucketRow[] {
  return sql(db, "SELECT * FROM s3_buckets ORDER BY name").all() as BucketRow[];
}

export function deleteBucketRow(db: Database.Database, name: string): void {
  sql(db, "DELETE FROM s3_buckets WHERE name = ?").run(name);
}

/** The encryption S3 applies to new objects of a bucket (every bucket encrypts since January 2023). */
export function bucketSse(row: BucketRow): { algorithm: string; kmsKeyId?: string; bucketKey: boolean } {
  const rules = JSON.parse(row.encryption) as { ApplyServerSideEncryptionByDefault?: { SSEAlgorithm?: string; KMSMasterKeyID?: string }; BucketKeyEnabled?: boolean }[];
  const rule = rules[0];
  const algorithm = rule?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm ?? "AES256";
  const kmsKeyId = rule?.ApplyServerSideEncryptionByDefault?.KMSMasterKeyID;
  return { algorithm, ...(kmsKeyId ? { kmsKeyId } : {}), bucketKey: rule?.BucketKeyEnabled === true };
}
