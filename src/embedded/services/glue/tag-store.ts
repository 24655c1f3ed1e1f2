import type Database from "better-sqlite3";
import { invalidInput, sql } from "./api-common.js";

/**
 * Tags on Glue resources, by ARN: `arn:aws:glue:REGION:ACCOUNT:database/NAME`, `table/DB/NAME`, `crawler/NAME`,
 * `job/NAME`. Create* calls with Tags tag through here too, and deleting a resource drops its tags, as Glue does.
 * Keys are case-sensitive in Glue.
 */

export type GlueResource =
  | { kind: "database"; name: string }
  | { kind: "table"; database: string; name: string }
  | { kind: "crawler"; name: string }
  | { kind: "job"; name: string };

const MAX_TAGS = 50;

export function glueArn(region: string, accountId: string, resource: GlueResource): string {
  const path = resource.kind === "table" ? `table/${resource.database}/${resource.name}` : `${resource.kind}/${resource.name}`;
  return `arn:aws:glue:${region}:${accountId}:${path}`;
}

/** The resource an ARN names in this account and region, or undefined when it names something else. */
export function parseGlueArn(arn: string, region: string, accountId: string): GlueResource | undefined {
  const prefix = `arn:aws:glue:${region}:${accountId}:`;
  if (!arn.startsWith(prefix)) return undefined;
  const [kind, ...rest] = arn.slice(prefix.length).split("/");
  if (kind === "table" && rest.length === 2 && rest[0] && rest[1]) return { kind, database: rest[0], name: rest[1] };
  if ((kind === "database" || kind === "crawler" || kind === "job") && rest.length === 1 && rest[0]) return { kind, name: rest[0] };
  return undefined;
}

/** Whether the tagged resource exists (tagging a missing one is EntityNotFoundException). */
export function resourceExists(db: Database.Database, resource: GlueResource): boolean {
  switch (resource.kind) {
    case "database":
      return !!sql(db, "SELECT 1 FROM glue_databases WHERE name = ?").get(resource.name.toLowerCase());
    case "table":
      return !!sql(db, "SELECT 1 FROM glue_tables WHERE database = ? AND name = ?").get(resource.database.toLowerCase(), resource.name.toLowerCase());
    case "crawler":
      return !!sql(db, "SELECT 1 FROM glue_crawlers WHERE name = ?").get(resource.name);
    case "job":
      return !!sql(db, "SELECT 1 FROM glue_jobs WHERE name = ?").get(resource.name);
  }
}

/** Checks a Tags map as Glue does: keys 1–128 characters, values ≤ 256, no `aws:` keys, at most 50 in all. */
export function checkTags(tags: unknown): Record<string, string> {
  if (tags === undefined || tags === null) return {};
  if (typeof tags !== "object" || Array.isArray(tags)) throw invalidInput("Tags must be a map of strings.");
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(tags as Record<string, unknown>)) {
    if (key.length < 1 || key.length > 128) throw invalidInput(`Tag key must be between 1 and 128 characters: ${key}`);
    if (key.toLowerCase().startsWith("aws:")) throw invalidInput(`Tag keys starting with 'aws:' are reserved: ${key}`);
    if (typeof value !== "string" || value.length > 256) throw invalidInput(`Tag value of ${key} must be a string of at most 256 characters.`);
    out[key] = value;
  }
  return out;
}

export function getTags(db: Database.Database, arn: string): Record<string, string> {
  const rows = sql(db, "SELECT key, value FROM glue_tags WHERE arn = ? ORDER BY key").all(arn) as { key: string; value: string }[];
  return Object.fromEntries(rows.map((r) => [r.key, r.value]));
}

/** Adds or replaces tags (call inside a write transaction). */
export function addTags(db: Database.Database, arn: string, tags: Record<string, string>): void {
  const merged = { ...getTags(db, arn), ...tags };
  if (Object.keys(merged).length > MAX_TAGS) throw invalidInput(`A resource can have at most ${MAX_TAGS} tags.`);
  const put = sql(db, "INSERT INTO glue_tags (arn, key, value) VALUES (?, ?, ?) ON CONFLICT (arn, key) DO UPDATE SET value = excluded.value");
  for (const [key, value] of Object.entries(tags)) put.run(arn, key, value);
}

export function removeTags(db: Database.Database, arn: string, keys: string[]): void {
  const del = sql(db, "DELETE FROM glue_tags WHERE arn = ? AND key = ?");
  for (const key of keys) del.run(arn, key);
}

/** Drops the tags of a deleted resource; `under` also drops those of the tables of a deleted database. */
export function dropTags(db: Database.Database, arn: string, under?: string): void {
  sql(db, "DELETE FROM glue_tags WHERE arn = ?").run(arn);
  if (under !== undefined) sql(db, "DELETE FROM glue_tags WHERE substr(arn, 1, length(?)) = ?").run(under, under);
}
