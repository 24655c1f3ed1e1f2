import { AwsError } from "../../protocols/types.js";
import { httpDate, parseHttpDate, RestXmlError } from "../../protocols/rest-xml.js";
import type { ObjectRow } from "./object-rows.js";

/** Conditional requests as S3 evaluates them (RFC 7232 with S3's precedence rules). */

function etagMatches(header: string, etag: string | null): boolean {
  const bare = (etag ?? "").replace(/^"|"$/g, "");
  return header.split(",").some((candidate) => {
    const c = candidate.trim().replace(/^W\//, "").replace(/^"|"$/g, "");
    return c === "*" || c === bare;
  });
}

function preconditionFailed(condition: string): AwsError {
  return new AwsError("PreconditionFailed", "At least one of the pre-conditions you specified did not hold", 412, { Condition: condition });
}

const modifiedAfter = (row: ObjectRow, date: Date) => new Date(row.last_modified).getTime() > date.getTime();

/** GetObject/HeadObject: 412 for If-Match/If-Unmodified-Since, 304 for If-None-Match/If-Modified-Since. */
export function checkReadConditions(headers: Record<string, string>, row: ObjectRow): void {
  const ifMatch = headers["if-match"];
  const ifNoneMatch = headers["if-none-match"];
  const unmodifiedSince = parseHttpDate(headers["if-unmodified-since"]);
  const modifiedSince = parseHttpDate(headers["if-modified-since"]);
  if (ifMatch !== undefined) {
    if (!etagMatches(ifMatch, row.etag)) throw preconditionFailed("If-Match");
  } else if (unmodifiedSince && modifiedAfter(row, unmodifiedSince)) {
    throw preconditionFailed("If-Unmodified-Since");
  }
  const notModified = () => new RestXmlError("NotModified", "Not Modified", 304, {}, { etag: row.etag ?? "", "last-modified": httpDate(row.last_modified) });
  if (ifNoneMatch !== undefined) {
    if (etagMatches(ifNoneMatch, row.etag)) throw notModified();
  } else if (modifiedSince && !modifiedAfter(row, modifiedSince)) {
    throw notModified();
  }
}

/** CopyObject/UploadPartCopy source conditions: every failure is a 412. */
export function checkCopySourceConditions(headers: Record<string, string>, row: ObjectRow): void {
  const ifMatch = headers["x-amz-copy-source-if-match"];
  const ifNoneMatch = headers["x-amz-copy-source-if-none-match"];
  const unmodifiedSince = parseHttpDate(headers["x-amz-copy-source-if-unmodified-since"]);
  const modifiedSince = parseHttpDate(headers["x-amz-copy-source-if-modified-since"]);
  if (ifMatch !== undefined) {
    if (!etagMatches(ifMatch, row.etag)) throw preconditionFailed("x-amz-copy-source-If-Match");
  } else if (unmodifiedSince && modifiedAfter(row, unmodifiedSince)) {
    throw preconditionFailed("x-amz-copy-source-If-Unmodified-Since");
  }
  if (ifNoneMatch !== undefined) {
    if (etagMatches(ifNoneMatch, row.etag)) throw preconditionFailed("x-amz-copy-source-If-None-Match");
  } else if (modifiedSince && !modifiedAfter(row, modifiedSince)) {
    throw preconditionFailed("x-amz-copy-source-If-Modified-Since");
  }
}

/**
 * Conditional writes (PutObject, CompleteMultipartUpload, CopyObject): `If-None-Match: *` fails when the key exists,
 * `If-Match` when it is missing (404) or has another ETag. Checked inside the write transaction.
 */
export function checkWriteConditions(headers: Record<string, string>, current: ObjectRow | undefined, key: string): void {
  const exists = current !== undefined && !current.delete_marker;
  const ifNoneMatch = headers["if-none-match"];
  if (ifNoneMatch !== undefined) {
    if (ifNoneMatch.trim() !== "*") throw new AwsError("NotImplemented", "A header you provided implies functionality that is not implemented", 501, { Header: "If-None-Match" });
    if (exists) throw preconditionFailed("If-None-Match");
  }
  const ifMatch = headers["if-match"];
  if (ifMatch !== undefined) {
    if (!exists) throw new AwsError("NoSuchKey", "The specified key does not exist.", 404, { Key: key });
    if (!etagMatches(ifMatch, current.etag)) throw preconditionFailed("If-Match");
  }
}
