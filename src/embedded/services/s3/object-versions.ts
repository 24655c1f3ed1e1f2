import type Database from "better-sqlite3";
import { AwsError } from "../../protocols/types.js";
import { httpDate, RestXmlError } from "../../protocols/rest-xml.js";
import { writeTransaction } from "../../store/db.js";
import { bucketSse, requireBucket, type BucketRow } from "./bucket-rows.js";
import type { ObjectChecksum } from "./checksums.js";
import type { S3Files } from "./files.js";
import { newVersionId } from "./names.js";
import type { ObjectAttributes } from "./object-headers.js";
import { deleteRow, insertRow, latestRow, newestRow, updateRow, versionRow, type ObjectRow } from "./object-rows.js";
import { placeCurrent } from "./placement.js";

/**
 * Writing, deleting and finding object versions with S3's versioning semantics. Every change runs in one IMMEDIATE
 * transaction that also moves the files, so two processes sharing the state directory see whole changes only.
 *   unversioned: one 'null' version, replaced in place.
 *   Enabled:     each write or delete adds a version (or delete marker); the previous current file moves to .versions.
 *   Suspended:   writes and deletes replace the 'null' version and keep the others.
 */

export interface NewObject {
  /** Absolute temp file with the bytes; renamed into place on success. */
  tempPath: string;
  size: number;
  /** Quoted. */
  etag: string;
  attributes: ObjectAttributes;
  checksum?: ObjectChecksum;
  /** Explicit x-amz-server-side-encryption; the bucket's default otherwise. */
  sse?: string;
  partSizes?: number[];
  lastModified: string;
}

interface Store {
  db: Database.Database;
  files: S3Files;
}

/** Makes room for a new current version: the previous one moves to .versions, or goes when it is replaced. */
function retireCurrent(store: Store, bucket: BucketRow, key: string, current: ObjectRow | undefined, newVersionIsNull: boolean): string | undefined {
  const { db, files } = store;
  let staleFile: string | undefined;
  if (newVersionIsNull) {
    // The new 'null' version replaces any older 'null' version, current or not.
    const oldNull = versionRow(db, bucket.name, key, "null");
    if (oldNull && oldNull.seq !== current?.seq) {
      deleteRow(db, oldNull.seq);
      files.remove(oldNull.path);
    }
  }
  if (!current) return undefined;
  if (newVersionIsNull && current.version_id === "null") {
    deleteRow(db, current.seq);
    staleFile = current.path ?? undefined;
  } else if (current.delete_marker) {
    updateRow(db, current.seq, { is_latest: 0 });
  } else {
    const kept = files.versionPath(bucket.name);
    const ino = files.move(current.path!, kept);
    files.remove(current.path); // prunes folders the move left empty
    updateRow(db, current.seq, { is_latest: 0, path: kept, ino });
  }
  return staleFile;
}

export function commitObject(
  store: Store,
  bucketName: string,
  key: string,
  object: NewObject,
  /** Runs in the transaction before the write: preconditions, and other rows that change with it; throws to abort. */
  within?: (current: ObjectRow | undefined, bucket: BucketRow) => void,
): ObjectRow {
  const { db, files } = store;
  return writeTransaction(db, () => {
    const bucket = requireBucket(db, bucketName);
    const current = latestRow(db, bucketName, key);
    within?.(current, bucket);
    const versionId = bucket.versioning === "Enabled" ? newVersionId() : "null";
    const stale = retireCurrent(store, bucket, key, current, versionId === "null");
    const path = placeCurrent(files, bucketName, key, stale);
    const ino = files.install(object.tempPath, path);
    if (stale && stale !== path) files.remove(stale);
    const row: Omit<ObjectRow, "seq"> = {
      bucket: bucketName,
      key,
      version_id: versionId,
      is_latest: 1,
      delete_marker: 0,
      size: object.size,
      etag: object.etag,
      last_modified: object.lastModified,
      content_type: object.attributes.contentType,
      headers: JSON.stringify(object.attributes.headers),
      user_metadata: JSON.stringify(object.attributes.userMetadata),
      checksum_algorithm: object.checksum?.algorithm ?? null,
      checksum_type: object.checksum?.type ?? null,
      checksum_value: object.checksum?.value ?? null,
      storage_class: object.attributes.storageClass,
      sse: object.sse ?? bucketSse(bucket).algorithm,
      part_sizes: object.partSizes ? JSON.stringify(object.partSizes) : null,
      path,
      ino,
    };
    insertRow(db, row);
    return latestRow(db, bucketName, key)!;
  });
}

export interface DeleteResult {
  versionId?: string;
  deleteMarker: boolean;
}

/** DeleteObject: without a version id it removes (unversioned) or hides (versioned) the key; with one, that version. */
export function deleteObject(store: Store, bucketName: string, key: string, versionId: string | undefined, lastModified: string): DeleteResult {
  const { db, files } = store;
  return writeTransaction(db, () => {
    const bucket = requireBucket(db, bucketName);
    if (versionId !== undefined) return deleteVersion(store, bucketName, key, versionId);
    const current = latestRow(db, bucketName, key);
    if (bucket.versioning === null) {
      if (current) {
        deleteRow(db, current.seq);
        files.remove(current.path);
      }
      return { deleteMarker: false };
    }
    const markerId = bucket.versioning === "Enabled" ? newVersionId() : "null";
    const stale = retireCurrent(store, bucket, key, current, markerId === "null");
    files.remove(stale);
    insertRow(db, {
      bucket: bucketName,
      key,
      version_id: markerId,
      is_latest: 1,
      delete_marker: 1,
      size: 0,
      etag: null,
      last_modified: lastModified,
      content_type: null,
      headers: "{}",
      user_metadata: "{}",
      checksum_algorithm: null,
      checksum_type: null,
      checksum_value: null,
      storage_class: "STANDARD",
      sse: null,
      part_sizes: null,
      path: null,
      ino: null,
    });
    return { versionId: markerId, deleteMarker: true };
  });
}

function deleteVersion(store: Store, bucketName: string, key: string, versionId: string): DeleteResult {
  const { db, files } = store;
  const row = versionRow(db, bucketName, key, versionId);
  if (!row) return { versionId, deleteMarker: false };
  deleteRow(db, row.seq);
  files.remove(row.path);
  if (row.is_latest) {
    // The newest remaining version becomes current and its file returns to the key's path.
    const next = newestRow(db, bucketName, key);
    if (next) {
      if (next.delete_marker) updateRow(db, next.seq, { is_latest: 1 });
      else {
        const path = placeCurrent(files, bucketName, key, undefined);
        const ino = files.move(next.path!, path);
        updateRow(db, next.seq, { is_latest: 1, path, ino });
      }
    }
  }
  return { versionId, deleteMarker: row.delete_marker === 1 };
}

/** The version a GET/HEAD/copy addresses; S3's errors for a missing key, version or a delete marker. */
export function resolveObject(db: Database.Database, bucket: BucketRow, key: string, versionId: string | undefined): ObjectRow {
  if (versionId !== undefined) {
    const row = versionRow(db, bucket.name, key, versionId);
    if (!row) {
      if (!/^[A-Za-z0-9._\-+/=]{1,1024}$/.test(versionId)) throw new AwsError("InvalidArgument", "Invalid version id specified", 400, { ArgumentName: "versionId", ArgumentValue: versionId });
      throw new AwsError("NoSuchVersion", "The specified version does not exist.", 404, { Key: key, VersionId: versionId });
    }
    if (row.delete_marker) {
      throw new RestXmlError("MethodNotAllowed", "The specified method is not allowed against this resource.", 405, { Method: "GET", ResourceType: "DeleteMarker" }, {
        "x-amz-delete-marker": "true",
        "x-amz-version-id": row.version_id,
        "last-modified": httpDate(row.last_modified),
        allow: "DELETE",
      });
    }
    return row;
  }
  const row = latestRow(db, bucket.name, key);
  if (!row || row.delete_marker) {
    const headers: Record<string, string> = row ? { "x-amz-delete-marker": "true", "x-amz-version-id": row.version_id } : {};
    throw new RestXmlError("NoSuchKey", "The specified key does not exist.", 404, { Key: key }, headers);
  }
  return row;
}

/**
 * Resolves a version and opens its file. A writer in another process may replace the file between the metadata read
 * and the open; the inode check catches that and the lookup is repeated, so bytes and metadata always agree.
 */
export function openObject(store: Store, bucketName: string, key: string, versionId: string | undefined): { bucket: BucketRow; row: ObjectRow; fd: number } {
  for (let attempt = 0; attempt < 20; attempt++) {
    const bucket = requireBucket(store.db, bucketName);
    const row = resolveObject(store.db, bucket, key, versionId);
    const fd = store.files.openIfSame(row.path!, row.ino);
    if (fd !== undefined) return { bucket, row, fd };
  }
  throw new AwsError("InternalError", `lakewarden embedded S3: the file of ${bucketName}/${key} kept changing while being opened`, 500);
}
