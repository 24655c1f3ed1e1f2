import type Database from "better-sqlite3";
import type { ChecksumAlgorithm, ObjectChecksum } from "./checksums.js";
import { sql } from "./sql.js";

/** The s3_objects table: one row per version (or delete marker) of a key. */

export interface ObjectRow {
  seq: number;
  bucket: string;
  key: string;
  version_id: string;
  is_latest: number;
  delete_marker: number;
  size: number;
  etag: string | null;
  last_modified: string;
  content_type: string | null;
  headers: string;
  user_metadata: string;
  checksum_algorithm: string | null;
  checksum_type: string | null;
  checksum_value: string | null;
  storage_class: string;
  sse: string | null;
  part_sizes: string | null;
  path: string | null;
  ino: string | null;
}

export type NewObjectRow = Omit<ObjectRow, "seq">;

export function latestRow(db: Database.Database, bucket: string, key: string): ObjectRow | undefined {
  return sql(db, "SELECT * FROM s3_objects WHERE bucket = ? AND key = ? AND is_latest = 1").get(bucket, key) as ObjectRow | undefined;
}

export function versionRow(db: Database.Database, bucket: string, key: string, versionId: string): ObjectRow | undefined {
  return sql(db, "SELECT * FROM s3_objects WHERE bucket = ? AND key = ? AND version_id = ?").get(bucket, key, versionId) as ObjectRow | undefined;
}

/** The newest version of a key, after the latest one was deleted. */
export function newestRow(db: Database.Database, bucket: string, key: string): ObjectRow | undefined {
  return sql(db, "SELECT * FROM s3_objects WHERE bucket = ? AND key = ? ORDER BY seq DESC LIMIT 1").get(bucket, key) as ObjectRow | undefined;
}

export function insertRow(db: Database.Database, row: NewObjectRow): void {
  sql(db, 
    `INSERT INTO s3_objects (bucket, key, version_id, is_latest, delete_marker, size, etag, last_modified, content_type, headers, user_metadata,
       checksum_algorithm, checksum_type, checksum_value, storage_class, sse, part_sizes, path, ino)
     VALUES (@bucket, @key, @version_id, @is_latest, @delete_marker, @size, @etag, @last_modified, @content_type, @headers, @user_metadata,
       @checksum_algorithm, @checksum_type, @checksum_value, @storage_class, @sse, @part_sizes, @path, @ino)`,
  ).run(row);
}

export function deleteRow(db: Database.Database, seq: number): void {
  sql(db, "DELETE FROM s3_objects WHERE seq = ?").run(seq);
}

export function updateRow(db: Database.Database, seq: number, fields: Partial<Pick<ObjectRow, "is_latest" | "path" | "ino">>): void {
  const names = Object.keys(fields);
  if (!names.length) return;
  sql(db, `UPDATE s3_objects SET ${names.map((n) => `${n} = @${n}`).join(", ")} WHERE seq = @seq`).run({ ...fields, seq });
}

export function countBucketRows(db: Database.Database, bucket: string): number {
  return (sql(db, "SELECT count(*) AS n FROM s3_objects WHERE bucket = ?").get(bucket) as { n: number }).n;
}

export function rowChecksum(row: Pick<ObjectRow, "checksum_algorithm" | "checksum_type" | "checksum_value">): ObjectChecksum | undefined {
  if (!row.checksum_algorithm || !row.checksum_value) return undefined;
  return { algorithm: row.checksum_algorithm as ChecksumAlgorithm, type: (row.checksum_type ?? "FULL_OBJECT") as ObjectChecksum["type"], value: row.checksum_value };
}

/** A lower bound on keys: `key >= value` or `key > value`. */
export interface KeyBound {
  value: string;
  inclusive: boolean;
}

/** S3's key order, UTF-8 binary, as SQLite compares TEXT (JavaScript's `<` compares UTF-16 and can disagree). */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

/** The tighter of two lower bounds. */
export function tighterBound(a: KeyBound, b: KeyBound): KeyBound {
  const order = compareKeys(a.value, b.value);
  if (order !== 0) return order > 0 ? a : b;
  return a.inclusive ? b : a;
}

/** Current objects of a bucket from a bound on, in key order. */
export function iterateCurrent(db: Database.Database, bucket: string, bound: KeyBound): IterableIterator<ObjectRow> {
  const op = bound.inclusive ? ">=" : ">";
  return sql(db, `SELECT * FROM s3_objects WHERE bucket = ? AND is_latest = 1 AND delete_marker = 0 AND key ${op} ? ORDER BY key`).iterate(bucket, bound.value) as IterableIterator<ObjectRow>;
}

/** All versions and delete markers from a bound on, newest first within a key. */
export function iterateVersions(db: Database.Database, bucket: string, bound: KeyBound): IterableIterator<ObjectRow> {
  const op = bound.inclusive ? ">=" : ">";
  return sql(db, `SELECT * FROM s3_objects WHERE bucket = ? AND key ${op} ? ORDER BY key, seq DESC`).iterate(bucket, bound.value) as IterableIterator<ObjectRow>;
}
