import { createHash } from "node:crypto";

/** A table name from a folder or file name, as Glue makes it: lowercased, characters other than [a-z0-9_] → `_`. */
export function tableNameOf(segment: string): string {
  return segment.toLowerCase().replace(/[^a-z0-9_]/g, "_");
}

/** The suffix Glue appends when a name is taken: a hash of the table's location. */
export function collisionSuffix(location: string): string {
  return createHash("md5").update(location).digest("hex").slice(0, 8);
}

/** `key=value` folder names (Hive-style partitions). */
export function hivePair(segment: string): { key: string; value: string } | undefined {
  const eq = segment.indexOf("=");
  if (eq <= 0) return undefined;
  return { key: segment.slice(0, eq), value: segment.slice(eq + 1) };
}

/** `s3://bucket/prefix` of a location made of a bucket and a key prefix. */
export function s3Url(bucket: string, key: string): string {
  return `s3://${bucket}/${key}`;
}
