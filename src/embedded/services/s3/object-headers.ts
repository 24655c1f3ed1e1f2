import { AwsError } from "../../protocols/types.js";
import { httpDate } from "../../protocols/rest-xml.js";
import { storedContentEncoding } from "../../protocols/aws-chunked.js";
import { checksumHeader } from "./checksums.js";
import { rowChecksum, type ObjectRow } from "./object-rows.js";
import type { BucketRow } from "./bucket-rows.js";

/** Object metadata between HTTP headers and stored rows: what a PUT sets and what a GET/HEAD answers. */

/** Headers S3 stores with an object and returns as they were sent. */
const STORED_HEADERS = ["cache-control", "content-disposition", "content-language", "expires", "x-amz-website-redirect-location"];
const STORAGE_CLASSES = ["STANDARD", "REDUCED_REDUNDANCY", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER", "DEEP_ARCHIVE", "OUTPOSTS", "GLACIER_IR", "SNOW", "EXPRESS_ONEZONE"];
const MAX_METADATA_BYTES = 2048;

export interface ObjectAttributes {
  contentType: string;
  headers: Record<string, string>;
  userMetadata: Record<string, string>;
  storageClass: string;
}

/** The metadata a PutObject, CopyObject (REPLACE) or CreateMultipartUpload request sets. */
export function attributesFromRequest(headers: Record<string, string>): ObjectAttributes {
  const stored: Record<string, string> = {};
  for (const name of STORED_HEADERS) if (headers[name] !== undefined) stored[name] = headers[name];
  const encoding = storedContentEncoding(headers);
  if (encoding) stored["content-encoding"] = encoding;
  const userMetadata: Record<string, string> = {};
  let metadataBytes = 0;
  for (const [name, value] of Object.entries(headers)) {
    if (!name.startsWith("x-amz-meta-")) continue;
    const key = name.slice("x-amz-meta-".length);
    userMetadata[key] = value;
    metadataBytes += Buffer.byteLength(key) + Buffer.byteLength(value);
  }
  if (metadataBytes > MAX_METADATA_BYTES) {
    throw new AwsError("MetadataTooLarge", "Your metadata headers exceed the maximum allowed metadata size.", 400, { Size: String(metadataBytes), MaxSizeAllowed: String(MAX_METADATA_BYTES) });
  }
  const storageClass = headers["x-amz-storage-class"] ?? "STANDARD";
  if (!STORAGE_CLASSES.includes(storageClass)) throw new AwsError("InvalidStorageClass", "The storage class you specified is not valid", 400, { StorageClassRequested: storageClass });
  return { contentType: headers["content-type"] || "binary/octet-stream", headers: stored, userMetadata, storageClass };
}

export function attributesOfRow(row: ObjectRow): ObjectAttributes {
  return {
    contentType: row.content_type ?? "binary/octet-stream",
    headers: JSON.parse(row.headers) as Record<string, string>,
    userMetadata: JSON.parse(row.user_metadata) as Record<string, string>,
    storageClass: row.storage_class,
  };
}

/** Whether the bucket ever had versioning turned on (then S3 reports version ids, `null` included). */
export function reportsVersions(bucket: BucketRow): boolean {
  return bucket.versioning !== null;
}

export function sseHeaders(sse: string | null, bucket: BucketRow): Record<string, string> {
  if (!sse) return {};
  const out: Record<string, string> = { "x-amz-server-side-encryption": sse };
  if (sse.startsWith("aws:kms")) {
    const rules = JSON.parse(bucket.encryption) as { ApplyServerSideEncryptionByDefault?: { KMSMasterKeyID?: string }; BucketKeyEnabled?: boolean }[];
    const keyId = rules[0]?.ApplyServerSideEncryptionByDefault?.KMSMasterKeyID;
    if (keyId) out["x-amz-server-side-encryption-aws-kms-key-id"] = keyId;
    if (rules[0]?.BucketKeyEnabled) out["x-amz-server-side-encryption-bucket-key-enabled"] = "true";
  }
  return out;
}

export function checksumHeaders(row: ObjectRow): Record<string, string> {
  const checksum = rowChecksum(row);
  if (!checksum) return {};
  return { [checksumHeader(checksum.algorithm)]: checksum.value, "x-amz-checksum-type": checksum.type };
}

/** Headers of a GetObject/HeadObject answer, before range and overrides. */
export function objectHeaders(row: ObjectRow, bucket: BucketRow, options: { checksums: boolean }): Record<string, string> {
  const attributes = attributesOfRow(row);
  const out: Record<string, string> = {
    "accept-ranges": "bytes",
    "content-type": attributes.contentType,
    "content-length": String(row.size),
    "last-modified": httpDate(row.last_modified),
    etag: row.etag ?? "",
    ...attributes.headers,
    ...sseHeaders(row.sse, bucket),
  };
  for (const [name, value] of Object.entries(attributes.userMetadata)) out[`x-amz-meta-${name}`] = value;
  if (row.storage_class !== "STANDARD") out["x-amz-storage-class"] = row.storage_class;
  if (reportsVersions(bucket)) out["x-amz-version-id"] = row.version_id;
  if (options.checksums) Object.assign(out, checksumHeaders(row));
  return out;
}

/** GetObject's response-content-type … query parameters override the stored headers. */
export function applyResponseOverrides(headers: Record<string, string>, query: URLSearchParams): void {
  for (const name of ["content-type", "content-language", "expires", "cache-control", "content-disposition", "content-encoding"]) {
    const value = query.get(`response-${name}`);
    if (value !== null) headers[name] = value;
  }
}
