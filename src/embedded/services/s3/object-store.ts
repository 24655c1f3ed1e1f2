import type { ServiceContext } from "../../service.js";
import { Digests } from "./checksums.js";
import { copyToTemp } from "./copy-bytes.js";
import { S3Files } from "./files.js";
import { requireSafeKey } from "./names.js";
import { iterateCurrent, latestRow, type ObjectRow } from "./object-rows.js";
import { commitObject } from "./object-versions.js";

/**
 * S3 objects for the other embedded services, without going through HTTP or the SDK: Athena writes query results
 * and CTAS output, the crawler and the query engine read data files in place. Same semantics as PutObject
 * (atomic, versioning, CRC64NVME checksum); errors are S3's AwsErrors (NoSuchBucket, InvalidArgument …).
 */

export interface StoredObject {
  bucket: string;
  key: string;
  size: number;
  /** Quoted, as S3 shows it. */
  etag: string;
  lastModified: string;
  contentType: string;
  /** Absolute path of the current version's file; read it, never write it. */
  file: string;
}

type StoreContext = Pick<ServiceContext, "db" | "stateDir" | "now">;

function toStored(row: ObjectRow, files: S3Files): StoredObject {
  return {
    bucket: row.bucket,
    key: row.key,
    size: row.size,
    etag: row.etag ?? "",
    lastModified: row.last_modified,
    contentType: row.content_type ?? "binary/octet-stream",
    file: files.abs(row.path!),
  };
}

/** The current object at a key, or undefined (missing or deleted). */
export function getStoredObject(ctx: Pick<StoreContext, "db" | "stateDir">, bucket: string, key: string): StoredObject | undefined {
  const row = latestRow(ctx.db, bucket, key);
  return row && !row.delete_marker ? toStored(row, new S3Files(ctx.stateDir)) : undefined;
}

/** Current objects under a prefix, in S3's key order. */
export function listStoredObjects(ctx: Pick<StoreContext, "db" | "stateDir">, bucket: string, prefix = ""): StoredObject[] {
  const files = new S3Files(ctx.stateDir);
  const out: StoredObject[] = [];
  for (const row of iterateCurrent(ctx.db, bucket, { value: prefix, inclusive: true })) {
    if (!row.key.startsWith(prefix)) break;
    out.push(toStored(row, files));
  }
  return out;
}

/** Writes an object from bytes in memory or from a file (copied, the source is left alone). */
export async function putStoredObject(ctx: StoreContext, bucket: string, key: string, data: Buffer | string | { file: string }, contentType = "binary/octet-stream"): Promise<StoredObject> {
  requireSafeKey(key);
  const files = new S3Files(ctx.stateDir);
  const digests = new Digests(["CRC64NVME"]);
  let tempPath: string;
  if (typeof data === "string" || Buffer.isBuffer(data)) {
    const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
    digests.update(bytes);
    tempPath = await files.writeTemp(bytes);
  } else {
    tempPath = await copyToTemp(files, [{ path: data.file }], digests);
  }
  try {
    const { md5, checksums } = digests.finish();
    const now = ctx.now();
    now.setUTCMilliseconds(0);
    const row = commitObject({ db: ctx.db, files }, bucket, key, {
      tempPath,
      size: digests.size,
      etag: `"${md5.toString("hex")}"`,
      attributes: { contentType, headers: {}, userMetadata: {}, storageClass: "STANDARD" },
      checksum: { algorithm: "CRC64NVME", type: "FULL_OBJECT", value: checksums.get("CRC64NVME")! },
      lastModified: now.toISOString(),
    });
    return toStored(row, files);
  } finally {
    files.discardTemp(tempPath);
  }
}
