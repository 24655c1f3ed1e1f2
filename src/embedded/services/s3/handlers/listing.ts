import { AwsError } from "../../../protocols/types.js";
import { isoTimestamp, parseBool, xmlResponse, type XmlNode } from "../../../protocols/rest-xml.js";
import { requireBucket } from "../bucket-rows.js";
import { scanCurrent, scanVersions } from "../list-scan.js";
import { ownerOf } from "../names.js";
import type { ObjectRow } from "../object-rows.js";
import type { S3Handler, S3Request } from "../request.js";

/** ListObjectsV2, ListObjects (v1) and ListObjectVersions. */

const MAX_KEYS = 1000;

export function maxKeysParam(req: S3Request, name = "max-keys", max = MAX_KEYS): number {
  const text = req.wire.query.get(name);
  if (text === null || text === "") return max;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 2_147_483_647) {
    throw new AwsError("InvalidArgument", `Provided ${name} not an integer or within integer range`, 400, { ArgumentName: name, ArgumentValue: text });
  }
  return Math.min(n, max);
}

/** `encoding-type=url`: names in the answer are URL-encoded (the aws CLI asks for it and decodes). */
export function encoderFor(req: S3Request): { encode: (s: string) => string; encodingType?: string } {
  const type = req.wire.query.get("encoding-type");
  if (type === null) return { encode: (s) => s };
  if (type.toLowerCase() !== "url") throw new AwsError("InvalidArgument", "Invalid Encoding Method specified in Request", 400, { ArgumentName: "encoding-type", ArgumentValue: type });
  return { encode: (s) => encodeURIComponent(s).replace(/%2F/g, "/"), encodingType: "url" };
}

function optionalParam(req: S3Request, name: string): string | undefined {
  const value = req.wire.query.get(name);
  return value === null || value === "" ? undefined : value;
}

function contentsOf(rows: ObjectRow[], encode: (s: string) => string, owner: XmlNode | undefined): XmlNode[] {
  return rows.map((row) => ({
    Key: encode(row.key),
    LastModified: isoTimestamp(row.last_modified),
    ETag: row.etag,
    ChecksumAlgorithm: row.checksum_algorithm ?? undefined,
    ChecksumType: row.checksum_type ?? undefined,
    Size: row.size,
    Owner: owner,
    StorageClass: row.storage_class,
  }));
}

const TOKEN_PREFIX = "lw1.";

function encodeToken(after: string): string {
  return TOKEN_PREFIX + Buffer.from(after, "utf8").toString("base64url");
}

function decodeToken(token: string): string {
  if (!token.startsWith(TOKEN_PREFIX) || !/^[A-Za-z0-9_-]*$/.test(token.slice(TOKEN_PREFIX.length))) {
    throw new AwsError("InvalidArgument", "The continuation token provided is incorrect", 400, { ArgumentName: "continuation-token" });
  }
  return Buffer.from(token.slice(TOKEN_PREFIX.length), "base64url").toString("utf8");
}

const listObjectsV2: S3Handler = (req) => {
  const bucket = requireBucket(req.ctx.db, req.bucket);
  const { encode, encodingType } = encoderFor(req);
  const prefix = req.wire.query.get("prefix") ?? "";
  const delimiter = optionalParam(req, "delimiter");
  const startAfter = optionalParam(req, "start-after");
  const token = req.wire.query.get("continuation-token") ?? undefined;
  const limit = maxKeysParam(req);
  const after = token !== undefined ? decodeToken(token) : startAfter;
  const scan = scanCurrent(req.ctx.db, bucket.name, { prefix, ...(delimiter ? { delimiter } : {}), ...(after !== undefined ? { after } : {}), limit });
  const owner = parseBool(req.wire.query.get("fetch-owner") ?? undefined) ? ownerOf(req.ctx.accountId) : undefined;
  return xmlResponse("ListBucketResult", {
    Name: bucket.name,
    Prefix: encode(prefix),
    Delimiter: delimiter !== undefined ? encode(delimiter) : undefined,
    MaxKeys: limit,
    KeyCount: scan.items.length + scan.prefixes.length,
    IsTruncated: scan.truncated,
    ContinuationToken: token,
    NextContinuationToken: scan.truncated && scan.last ? encodeToken(scan.last.key) : undefined,
    StartAfter: startAfter !== undefined ? encode(startAfter) : undefined,
    EncodingType: encodingType,
    Contents: contentsOf(scan.items, encode, owner),
    CommonPrefixes: scan.prefixes.map((p) => ({ Prefix: encode(p) })),
  });
};

const listObjects: S3Handler = (req) => {
  const bucket = requireBucket(req.ctx.db, req.bucket);
  const { encode, encodingType } = encoderFor(req);
  const prefix = req.wire.query.get("prefix") ?? "";
  const delimiter = optionalParam(req, "delimiter");
  const marker = optionalParam(req, "marker");
  const limit = maxKeysParam(req);
  const scan = scanCurrent(req.ctx.db, bucket.name, { prefix, ...(delimiter ? { delimiter } : {}), ...(marker !== undefined ? { after: marker } : {}), limit });
  return xmlResponse("ListBucketResult", {
    Name: bucket.name,
    Prefix: encode(prefix),
    Marker: encode(marker ?? ""),
    // v1 names the next marker only with a delimiter; without one, clients continue from the last key.
    NextMarker: scan.truncated && delimiter && scan.last ? encode(scan.last.key) : undefined,
    MaxKeys: limit,
    Delimiter: delimiter !== undefined ? encode(delimiter) : undefined,
    IsTruncated: scan.truncated,
    EncodingType: encodingType,
    Contents: contentsOf(scan.items, encode, ownerOf(req.ctx.accountId)),
    CommonPrefixes: scan.prefixes.map((p) => ({ Prefix: encode(p) })),
  });
};

const listObjectVersions: S3Handler = (req) => {
  const bucket = requireBucket(req.ctx.db, req.bucket);
  const { encode, encodingType } = encoderFor(req);
  const prefix = req.wire.query.get("prefix") ?? "";
  const delimiter = optionalParam(req, "delimiter");
  const keyMarker = optionalParam(req, "key-marker");
  const versionIdMarker = optionalParam(req, "version-id-marker");
  if (versionIdMarker !== undefined && keyMarker === undefined) {
    throw new AwsError("InvalidArgument", "A version-id marker cannot be specified without a key marker.", 400, { ArgumentName: "version-id-marker", ArgumentValue: versionIdMarker });
  }
  const limit = maxKeysParam(req);
  const scan = scanVersions(req.ctx.db, bucket.name, {
    prefix,
    ...(delimiter ? { delimiter } : {}),
    ...(keyMarker !== undefined ? { after: keyMarker } : {}),
    ...(versionIdMarker !== undefined ? { afterVersionId: versionIdMarker } : {}),
    limit,
  });
  const owner = ownerOf(req.ctx.accountId);
  const common = (row: ObjectRow) => ({ Key: encode(row.key), VersionId: row.version_id, IsLatest: row.is_latest === 1, LastModified: isoTimestamp(row.last_modified) });
  return xmlResponse("ListVersionsResult", {
    Name: bucket.name,
    Prefix: encode(prefix),
    KeyMarker: encode(keyMarker ?? ""),
    VersionIdMarker: versionIdMarker ?? "",
    NextKeyMarker: scan.truncated && scan.last ? encode(scan.last.key) : undefined,
    NextVersionIdMarker: scan.truncated && scan.last?.versionId !== undefined ? scan.last.versionId : undefined,
    MaxKeys: limit,
    Delimiter: delimiter !== undefined ? encode(delimiter) : undefined,
    IsTruncated: scan.truncated,
    EncodingType: encodingType,
    Version: scan.items
      .filter((row) => !row.delete_marker)
      .map((row) => ({
        ...common(row),
        ETag: row.etag,
        ChecksumAlgorithm: row.checksum_algorithm ?? undefined,
        ChecksumType: row.checksum_type ?? undefined,
        Size: row.size,
        StorageClass: row.storage_class,
        Owner: owner,
      })),
    DeleteMarker: scan.items.filter((row) => row.delete_marker).map((row) => ({ ...common(row), Owner: owner })),
    CommonPrefixes: scan.prefixes.map((p) => ({ Prefix: encode(p) })),
  });
};

export const listingHandlers: Record<string, S3Handler> = {
  ListObjectsV2: listObjectsV2,
  ListObjects: listObjects,
  ListObjectVersions: listObjectVersions,
};
