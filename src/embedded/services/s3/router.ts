import type { WireRequest } from "../../protocols/types.js";
import type { Address } from "./addressing.js";

/** S3's operation from method, addressing and query markers (`?versioning`, `?uploads`, `list-type=2` …). */

// Bucket sub-resources with Put/Get/Delete operations, in the order they are checked.
const BUCKET_SUBRESOURCES: [marker: string, put: string, get: string, del: string | undefined][] = [
  ["publicAccessBlock", "PutPublicAccessBlock", "GetPublicAccessBlock", "DeletePublicAccessBlock"],
  ["encryption", "PutBucketEncryption", "GetBucketEncryption", "DeleteBucketEncryption"],
  ["versioning", "PutBucketVersioning", "GetBucketVersioning", undefined],
  ["tagging", "PutBucketTagging", "GetBucketTagging", "DeleteBucketTagging"],
  ["lifecycle", "PutBucketLifecycleConfiguration", "GetBucketLifecycleConfiguration", "DeleteBucketLifecycle"],
  ["policy", "PutBucketPolicy", "GetBucketPolicy", "DeleteBucketPolicy"],
  ["ownershipControls", "PutBucketOwnershipControls", "GetBucketOwnershipControls", "DeleteBucketOwnershipControls"],
  ["acl", "PutBucketAcl", "GetBucketAcl", undefined],
  ["cors", "PutBucketCors", "GetBucketCors", "DeleteBucketCors"],
  ["website", "PutBucketWebsite", "GetBucketWebsite", "DeleteBucketWebsite"],
  ["notification", "PutBucketNotificationConfiguration", "GetBucketNotificationConfiguration", undefined],
  ["logging", "PutBucketLogging", "GetBucketLogging", undefined],
  ["replication", "PutBucketReplication", "GetBucketReplication", "DeleteBucketReplication"],
  ["object-lock", "PutObjectLockConfiguration", "GetObjectLockConfiguration", undefined],
  ["policyStatus", "PutBucketPolicyStatus", "GetBucketPolicyStatus", undefined],
  ["accelerate", "PutBucketAccelerateConfiguration", "GetBucketAccelerateConfiguration", undefined],
  ["requestPayment", "PutBucketRequestPayment", "GetBucketRequestPayment", undefined],
];

const OBJECT_SUBRESOURCES: [marker: string, put: string, get: string, del: string | undefined][] = [
  ["tagging", "PutObjectTagging", "GetObjectTagging", "DeleteObjectTagging"],
  ["acl", "PutObjectAcl", "GetObjectAcl", undefined],
  ["retention", "PutObjectRetention", "GetObjectRetention", undefined],
  ["legal-hold", "PutObjectLegalHold", "GetObjectLegalHold", undefined],
  ["attributes", "GetObjectAttributes", "GetObjectAttributes", undefined],
];

function subresource(table: typeof BUCKET_SUBRESOURCES, req: WireRequest): string | undefined {
  for (const [marker, put, get, del] of table) {
    if (!req.query.has(marker)) continue;
    if (req.method === "PUT") return put;
    if (req.method === "GET") return get;
    if (req.method === "DELETE") return del;
  }
  return undefined;
}

export function operationOf(req: WireRequest, address: Address): string | undefined {
  const { method, query } = req;
  if (!address.bucket) return method === "GET" ? "ListBuckets" : undefined;
  if (address.key === undefined) {
    const sub = subresource(BUCKET_SUBRESOURCES, req);
    if (sub) return sub;
    switch (method) {
      case "PUT":
        return "CreateBucket";
      case "HEAD":
        return "HeadBucket";
      case "DELETE":
        return "DeleteBucket";
      case "POST":
        return query.has("delete") ? "DeleteObjects" : undefined;
      case "GET":
        if (query.has("location")) return "GetBucketLocation";
        if (query.has("uploads")) return "ListMultipartUploads";
        if (query.has("versions")) return "ListObjectVersions";
        return query.get("list-type") === "2" ? "ListObjectsV2" : "ListObjects";
    }
    return undefined;
  }
  const sub = subresource(OBJECT_SUBRESOURCES, req);
  if (sub) return sub;
  const copy = req.headers["x-amz-copy-source"] !== undefined;
  switch (method) {
    case "PUT":
      if (query.has("uploadId") && query.has("partNumber")) return copy ? "UploadPartCopy" : "UploadPart";
      return copy ? "CopyObject" : "PutObject";
    case "GET":
      return query.has("uploadId") ? "ListParts" : "GetObject";
    case "HEAD":
      return "HeadObject";
    case "DELETE":
      return query.has("uploadId") ? "AbortMultipartUpload" : "DeleteObject";
    case "POST":
      if (query.has("uploads")) return "CreateMultipartUpload";
      if (query.has("uploadId")) return "CompleteMultipartUpload";
      return undefined;
  }
  return undefined;
}
