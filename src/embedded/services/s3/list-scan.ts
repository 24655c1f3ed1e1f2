import type Database from "better-sqlite3";
import { iterateCurrent, iterateVersions, tighterBound, type KeyBound, type ObjectRow } from "./object-rows.js";

/**
 * The walk behind ListObjects(V2) and ListObjectVersions: keys under a prefix in S3's order, rolled up into common
 * prefixes at a delimiter, at most `limit` entries (objects and prefixes together), resumable after the last one.
 */

export interface ScanOptions {
  prefix: string;
  delimiter?: string;
  /** Resume after this key or common prefix (continuation token, marker, start-after). */
  after?: string;
  limit: number;
}

export interface ScanResult<T> {
  items: T[];
  prefixes: string[];
  truncated: boolean;
  /** The last entry returned: where the next page starts. */
  last?: { key: string; isPrefix: boolean; versionId?: string };
}

/** The smallest string above every string that starts with `prefix` (UTF-8 order follows code points). */
function upperBound(prefix: string): string | undefined {
  const chars = [...prefix];
  const last = chars.pop()?.codePointAt(0);
  if (last === undefined || last >= 0x10ffff || last === 0xd7ff) return undefined;
  return chars.join("") + String.fromCodePoint(last + 1);
}

function commonPrefixOf(key: string, prefix: string, delimiter: string | undefined): string | undefined {
  if (!delimiter) return undefined;
  const at = key.indexOf(delimiter, prefix.length);
  return at < 0 ? undefined : key.slice(0, at + delimiter.length);
}

/** When resuming after a common prefix, the keys below it were already rolled up and must be skipped. */
function resumedPrefix(options: ScanOptions): string | undefined {
  const { after, prefix, delimiter } = options;
  if (!after || !delimiter || after.length <= prefix.length || !after.startsWith(prefix) || !after.endsWith(delimiter)) return undefined;
  return after;
}

function startBound(options: ScanOptions, skip: string | undefined, afterInclusive = false): KeyBound {
  let bound = tighterBound({ value: options.prefix, inclusive: true }, { value: options.after ?? "", inclusive: afterInclusive && options.after !== undefined });
  const above = skip === undefined ? undefined : upperBound(skip);
  if (above !== undefined) bound = tighterBound(bound, { value: above, inclusive: true });
  return bound;
}

export function scanCurrent(db: Database.Database, bucket: string, options: ScanOptions): ScanResult<ObjectRow> {
  const result: ScanResult<ObjectRow> = { items: [], prefixes: [], truncated: false };
  if (options.limit <= 0) return result;
  let skip = resumedPrefix(options);
  let bound = startBound(options, skip);
  for (;;) {
    let restartAt: KeyBound | undefined;
    for (const row of iterateCurrent(db, bucket, bound)) {
      if (!row.key.startsWith(options.prefix)) break;
      if (skip !== undefined && row.key.startsWith(skip)) continue;
      if (result.items.length + result.prefixes.length >= options.limit) {
        result.truncated = true;
        break;
      }
      const common = commonPrefixOf(row.key, options.prefix, options.delimiter);
      if (common === undefined) {
        result.items.push(row);
        result.last = { key: row.key, isPrefix: false };
        continue;
      }
      result.prefixes.push(common);
      result.last = { key: common, isPrefix: true };
      skip = common;
      // Seek past everything under the new common prefix instead of reading it.
      const above = upperBound(common);
      if (above !== undefined) {
        restartAt = { value: above, inclusive: true };
        break;
      }
    }
    if (!restartAt) return result;
    bound = restartAt;
  }
}

export interface VersionScanOptions extends ScanOptions {
  /** With `after` (the key marker): resume after this version of that key. */
  afterVersionId?: string;
}

export function scanVersions(db: Database.Database, bucket: string, options: VersionScanOptions): ScanResult<ObjectRow> {
  const result: ScanResult<ObjectRow> = { items: [], prefixes: [], truncated: false };
  if (options.limit <= 0) return result;
  let skip = resumedPrefix(options);
  // Versions of the key marker newer than (and including) the version marker were on earlier pages.
  let passingMarker = options.afterVersionId !== undefined && options.after !== undefined;
  const bound = startBound(options, skip, passingMarker);
  for (const row of iterateVersions(db, bucket, bound)) {
    if (!row.key.startsWith(options.prefix)) break;
    if (passingMarker) {
      if (row.key === options.after) {
        if (row.version_id === options.afterVersionId) passingMarker = false;
        continue;
      }
      passingMarker = false;
    }
    if (skip !== undefined && row.key.startsWith(skip)) continue;
    if (result.items.length + result.prefixes.length >= options.limit) {
      result.truncated = true;
      break;
    }
    const common = commonPrefixOf(row.key, options.prefix, options.delimiter);
    if (common === undefined) {
      result.items.push(row);
      result.last = { key: row.key, isPrefix: false, versionId: row.version_id };
    } else {
      result.prefixes.push(common);
      result.last = { key: common, isPrefix: true };
      skip = common;
    }
  }
  return result;
}
