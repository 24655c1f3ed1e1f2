import { listStoredObjects, type StoredObject } from "../../s3/object-store.js";
import type { EngineContext } from "./types.js";

/** S3 locations of tables and partitions, and the data files under them as a query reads them. */

export interface S3Location {
  bucket: string;
  /** Key prefix, ending in `/` unless empty. */
  prefix: string;
}

/** `s3://bucket/a/b` → { bucket, prefix: "a/b/" }; s3a:// and s3n:// (Hive's spellings) too. Undefined when not an S3 URL. */
export function parseS3Location(url: string | undefined): S3Location | undefined {
  const match = /^s3[an]?:\/\/([^/]+)\/?(.*)$/i.exec(url?.trim() ?? "");
  if (!match) return undefined;
  const path = match[2]!;
  return { bucket: match[1]!, prefix: path === "" || path.endsWith("/") ? path : `${path}/` };
}

export function s3Url(location: S3Location): string {
  return `s3://${location.bucket}/${location.prefix}`;
}

export interface DataFile {
  /** Absolute path of the object's file (read in place). */
  path: string;
  size: number;
  bucket: string;
  key: string;
}

/**
 * The files a table or partition at a location is made of: every object below the prefix (sub-folders included, as
 * Athena reads them), except folder markers and names that Hive treats as hidden (a path segment starting with `_`
 * or `.`, such as `_SUCCESS` or `.crc` files).
 */
export function listDataFiles(ctx: Pick<EngineContext, "db" | "stateDir">, location: S3Location): DataFile[] {
  return listObjects(ctx, location).filter((object) => isDataFile(object, location)).map(dataFile);
}

/**
 * The data files of many locations (a table's partitions), in their order. Locations of one bucket are listed once,
 * under their common prefix, instead of one listing each: planning a query over hundreds of partitions costs one
 * range scan of the object rows.
 */
export function listDataFilesOf(ctx: Pick<EngineContext, "db" | "stateDir">, locations: (S3Location | undefined)[]): DataFile[][] {
  const defined = locations.filter((l): l is S3Location => l !== undefined);
  const bucket = defined[0]?.bucket;
  if (defined.length < 8 || defined.some((l) => l.bucket !== bucket)) return locations.map((l) => (l ? listDataFiles(ctx, l) : []));
  const common = commonFolder(defined.map((l) => l.prefix));
  const byPrefix = new Map<string, number[]>();
  locations.forEach((l, i) => l && byPrefix.set(l.prefix, [...(byPrefix.get(l.prefix) ?? []), i]));
  const out: DataFile[][] = locations.map(() => []);
  for (const object of listObjects(ctx, { bucket: bucket!, prefix: common })) {
    // The object's folders from the deepest up to the common one: the first that is a location owns it.
    for (let end = object.key.lastIndexOf("/") + 1; end >= common.length; end = end >= 2 ? object.key.lastIndexOf("/", end - 2) + 1 : 0) {
      const owners = byPrefix.get(object.key.slice(0, end));
      if (owners) {
        for (const i of owners) if (isDataFile(object, locations[i]!)) out[i]!.push(dataFile(object));
        break;
      }
      if (end === 0) break;
    }
  }
  return out;
}

function listObjects(ctx: Pick<EngineContext, "db" | "stateDir">, location: S3Location): StoredObject[] {
  try {
    return listStoredObjects(ctx, location.bucket, location.prefix);
  } catch {
    return []; // a missing bucket holds no data: Athena reads nothing there either
  }
}

function isDataFile(object: StoredObject, location: S3Location): boolean {
  const rest = object.key.slice(location.prefix.length);
  if (rest === "" || rest.endsWith("/") || rest.endsWith("_$folder$")) return false;
  return !rest.split("/").some((segment) => segment.startsWith("_") || segment.startsWith("."));
}

const dataFile = (object: StoredObject): DataFile => ({ path: object.file, size: object.size, bucket: object.bucket, key: object.key });

/** The longest folder (ending in `/`, or "") that every prefix lies in. */
function commonFolder(prefixes: string[]): string {
  let common = prefixes[0] ?? "";
  for (const p of prefixes) while (!p.startsWith(common)) common = common.slice(0, -1);
  return common.slice(0, common.lastIndexOf("/") + 1);
}
