import type { Tag } from "@aws-sdk/client-athena";
import type Database from "better-sqlite3";
import { AwsError } from "../../protocols/types.js";
import { invalidRequest, sql, validationError } from "./api-common.js";

/** Tags of Athena resources (workgroups), by ARN. */

const MAX_TAGS = 50;

/** Tags as the API sends them ([{Key, Value}]), checked against Athena's limits. */
export function checkTags(value: unknown): Tag[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new AwsError("SerializationException", "Tags: a list of tags expected");
  if (value.length > MAX_TAGS) throw validationError("tags", `Member must have length less than or equal to ${MAX_TAGS}`);
  return value.map((tag: Record<string, unknown>) => {
    const key = tag?.Key;
    const val = tag?.Value ?? "";
    if (typeof key !== "string" || key.length < 1 || key.length > 128) throw validationError("tags.member.key", "Member must have length between 1 and 128");
    if (typeof val !== "string" || val.length > 256) throw validationError("tags.member.value", "Member must have length less than or equal to 256");
    return { Key: key, Value: val };
  });
}

export function getTags(db: Database.Database, arn: string): Tag[] {
  return (sql(db, "SELECT key, value FROM athena_tags WHERE arn = ? ORDER BY key").all(arn) as { key: string; value: string }[]).map((r) => ({ Key: r.key, Value: r.value }));
}

export function addTags(db: Database.Database, arn: string, tags: Tag[]): void {
  const put = sql(db, "INSERT INTO athena_tags (arn, key, value) VALUES (?, ?, ?) ON CONFLICT (arn, key) DO UPDATE SET value = excluded.value");
  for (const tag of tags) put.run(arn, tag.Key, tag.Value ?? "");
  const count = (sql(db, "SELECT count(*) AS n FROM athena_tags WHERE arn = ?").get(arn) as { n: number }).n;
  if (count > MAX_TAGS) throw invalidRequest(`A resource can have at most ${MAX_TAGS} tags.`);
}

export function removeTags(db: Database.Database, arn: string, keys: string[]): void {
  const del = sql(db, "DELETE FROM athena_tags WHERE arn = ? AND key = ?");
  for (const key of keys) del.run(arn, key);
}

export function dropTags(db: Database.Database, arn: string): void {
  sql(db, "DELETE FROM athena_tags WHERE arn = ?").run(arn);
}
