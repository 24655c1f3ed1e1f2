import { randomInt } from "node:crypto";
import type Database from "better-sqlite3";
import { AwsError } from "../../protocols/types.js";
import type { XmlValue } from "../../protocols/query.js";
import type { Tag } from "./validate.js";

/** Reading IAM rows and shaping them as IAM's API returns them. */

export interface RoleRow {
  name: string;
  role_id: string;
  path: string;
  arn: string;
  assume_role_policy: string;
  description: string | null;
  max_session_duration: number;
  tags: string;
  created_at: string;
}

export function findRole(db: Database.Database, name: string): RoleRow | undefined {
  return db.prepare("SELECT * FROM iam_roles WHERE name = ?").get(name) as RoleRow | undefined;
}

export function requireRole(db: Database.Database, name: string): RoleRow {
  const role = findRole(db, name);
  if (!role) throw new AwsError("NoSuchEntity", `The role with name ${name} cannot be found.`, 404);
  return role;
}

/** A role by ARN, as STS and other services name it (`arn:aws:iam::<account>:role/<path/>name`). */
export function findRoleByArn(db: Database.Database, arn: string): RoleRow | undefined {
  return db.prepare("SELECT * FROM iam_roles WHERE arn = ?").get(arn) as RoleRow | undefined;
}

export const tagsOf = (row: { tags: string }): Tag[] => JSON.parse(row.tags) as Tag[];

/**
 * IAM returns policy documents URL-encoded (RFC 3986) in GetRole, ListRoles, GetRolePolicy, GetPolicyVersion; the
 * SDKs do not decode them, so callers `decodeURIComponent` — the embedded IAM must encode the same way.
 */
export function encodeDocument(document: string): string {
  return encodeURIComponent(document).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The Role structure. ListRoles leaves Tags and RoleLastUsed out, as AWS does. */
export function roleOutput(row: RoleRow, detail: boolean): Record<string, XmlValue> {
  const tags = tagsOf(row);
  return {
    Path: row.path,
    RoleName: row.name,
    RoleId: row.role_id,
    Arn: row.arn,
    CreateDate: new Date(row.created_at),
    AssumeRolePolicyDocument: encodeDocument(row.assume_role_policy),
    Description: row.description ?? undefined,
    MaxSessionDuration: row.max_session_duration,
    ...(detail ? { Tags: tags.length ? tags : undefined, RoleLastUsed: {} } : {}),
  };
}

const ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** A unique id with IAM's prefix (AROA role, ANPA policy, ASIA temporary key): 21 characters, base32. */
export function newId(prefix: string, length = 21): string {
  let id = prefix;
  while (id.length < length) id += ID_ALPHABET[randomInt(ID_ALPHABET.length)];
  return id;
}

/**
 * IAM's Marker/MaxItems/IsTruncated paging, in the order of `keyOf`: the marker is the opaque position of the next
 * item (base64 of its key), so a page stays right while items are added or removed before it.
 */
export function page<T>(all: T[], keyOf: (item: T) => string, marker: string | undefined, max: number): { items: T[]; IsTruncated: boolean; Marker?: string } {
  const items = [...all].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
  let start = 0;
  if (marker !== undefined) {
    const key = Buffer.from(marker, "base64url").toString("utf8");
    start = items.findIndex((item) => keyOf(item) >= key);
    if (start < 0) start = items.length;
  }
  const slice = items.slice(start, start + max);
  const next = items[start + max];
  return next === undefined ? { items: slice, IsTruncated: false } : { items: slice, IsTruncated: true, Marker: Buffer.from(keyOf(next), "utf8").toString("base64url") };
}
