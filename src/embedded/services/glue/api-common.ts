import type Database from "better-sqlite3";
import { toJson } from "../../protocols/json.js";
import { AwsError } from "../../protocols/types.js";

/** What every Glue handler shares: errors with Glue's names, input checks, paging tokens, time conversion. */

export const invalidInput = (message: string) => new AwsError("InvalidInputException", message);
export const notFound = (message: string) => new AwsError("EntityNotFoundException", message);
export const alreadyExists = (message: string) => new AwsError("AlreadyExistsException", message);
export const concurrentModification = (message: string) => new AwsError("ConcurrentModificationException", message);
export const limitExceeded = (message: string) => new AwsError("ResourceNumberLimitExceededException", message);

export { sql } from "../../store/db.js";

// Glue's NameString: 1–255 characters of the single-line pattern (no control characters but tab).
// eslint-disable-next-line no-control-regex
const SINGLE_LINE = /^[^\u0000-\u0008\u000a-\u001f]*$/u;

/** A required name member; the SDK does not check required members, so Glue (and this) does. */
export function requireName(value: unknown, member: string): string {
  if (typeof value !== "string" || value.length === 0) throw invalidInput(`${member} is required and must not be empty.`);
  if (value.length > 255 || !SINGLE_LINE.test(value)) {
    throw invalidInput(`1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: Member must satisfy regular expression pattern and have length less than or equal to 255`);
  }
  return value;
}

/** Database and table names: Glue folds them to lowercase for Hive compatibility, on write and on lookup. */
export const catalogName = (value: unknown, member: string): string => requireName(value, member).toLowerCase();

/** MaxResults: at least 1; more than Glue's page size gives a page of Glue's size (follow NextToken). */
export function pageSize(value: unknown, cap: number, fallback = cap): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw invalidInput(`1 validation error detected: Value '${String(value)}' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1`);
  }
  return Math.min(value, cap);
}

/** NextToken: the opaque position after the last item returned (keyset paging: stable while items change). */
export function encodeToken(position: unknown): string {
  return Buffer.from(JSON.stringify(position), "utf8").toString("base64url");
}

export function decodeToken<T>(token: unknown): T | undefined {
  if (token === undefined || token === null || token === "") return undefined;
  try {
    return JSON.parse(Buffer.from(String(token), "base64url").toString("utf8")) as T;
  } catch {
    throw invalidInput("Invalid NextToken.");
  }
}

/** Seconds since the epoch, as rows keep times; inputs carry Dates (Catalog callers) or numbers (the wire). */
export function epochSeconds(value: Date | number | string | undefined | null): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (value instanceof Date) return value.getTime() / 1000;
  if (typeof value === "number") return value;
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? undefined : parsed / 1000;
}

export const toDate = (seconds: number): Date => new Date(Math.round(seconds * 1000));

/** A definition as stored: JSON with Dates as epoch seconds (the shape the wire carries them in). */
export const storeJson = (value: unknown): string => toJson(value);

/** Reads a stored definition back, turning the named epoch-seconds members into Dates. */
export function readJson<T>(text: string, times: readonly string[] = []): T {
  const value = JSON.parse(text) as Record<string, unknown>;
  for (const key of times) if (typeof value[key] === "number") value[key] = toDate(value[key]);
  return value as T;
}

/** Keeps only the listed members of an input (what Glue stores), dropping undefined ones. */
export function pick<T extends object>(input: Record<string, unknown>, members: readonly string[]): T {
  const out: Record<string, unknown> = {};
  for (const m of members) if (input[m] !== undefined && input[m] !== null) out[m] = input[m];
  return out as T;
}

export function asObject(value: unknown, member: string): Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw invalidInput(`${member} is required.`);
  return value as Record<string, unknown>;
}

export function asList<T = unknown>(value: unknown, member: string, max: number): T[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalidInput(`${member} must be a list.`);
  if (value.length > max) {
    throw invalidInput(`1 validation error detected: Value at '${member}' failed to satisfy constraint: Member must have length less than or equal to ${max}`);
  }
  return value as T[];
}

/** Who created a catalog entry: the embedded account has one principal, its root. */
export const creatorArn = (accountId: string) => `arn:aws:iam::${accountId}:root`;
