import { AwsError } from "../../../protocols/types.js";
import type { XmlNode } from "../../../protocols/rest-xml.js";
import type { BucketRow } from "../bucket-rows.js";
import { checksumElement, type ObjectChecksum } from "../checksums.js";
import { checksumHeaders, reportsVersions, sseHeaders } from "../object-headers.js";
import type { ObjectRow } from "../object-rows.js";
import type { S3Request } from "../request.js";

/** Pieces several object handlers share: request parameters and the shape of write results. */

export const storeOf = (req: S3Request) => ({ db: req.ctx.db, files: req.files });

export function versionIdParam(req: S3Request): string | undefined {
  return req.wire.query.get("versionId") ?? undefined;
}

const SSE_ALGORITHMS = ["AES256", "aws:kms", "aws:kms:dsse"];

export function sseFromRequest(headers: Record<string, string>): string | undefined {
  const value = headers["x-amz-server-side-encryption"];
  if (value === undefined) return undefined;
  if (!SSE_ALGORITHMS.includes(value)) {
    throw new AwsError("InvalidArgument", "The encryption method specified is not supported", 400, { ArgumentName: "x-amz-server-side-encryption", ArgumentValue: value });
  }
  return value;
}

/** Headers of a successful write: ETag, checksum, encryption, version. */
export function writeHeaders(row: ObjectRow, bucket: BucketRow): Record<string, string> {
  const out: Record<string, string> = { etag: row.etag ?? "", ...sseHeaders(row.sse, bucket), ...checksumHeaders(row) };
  if (reportsVersions(bucket)) out["x-amz-version-id"] = row.version_id;
  return out;
}

/** `ChecksumCRC32` and `ChecksumType` elements of a result document. */
export function checksumElements(checksum: ObjectChecksum | undefined): XmlNode {
  return checksum ? { [checksumElement(checksum.algorithm)]: checksum.value, ChecksumType: checksum.type } : {};
}

/** `x-amz-copy-source: bucket/key[?versionId=…]`, URL-encoded, with or without a leading slash. */
export function parseCopySource(value: string | undefined): { bucket: string; key: string; versionId?: string } {
  const invalid = () => new AwsError("InvalidArgument", "Invalid copy source object key", 400, { ArgumentName: "x-amz-copy-source", ArgumentValue: value ?? "" });
  if (!value) throw invalid();
  let path = value;
  let versionId: string | undefined;
  const q = path.indexOf("?");
  if (q >= 0) {
    versionId = new URLSearchParams(path.slice(q + 1)).get("versionId") ?? undefined;
    path = path.slice(0, q);
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    throw invalid();
  }
  if (decoded.startsWith("/")) decoded = decoded.slice(1);
  const slash = decoded.indexOf("/");
  if (slash <= 0 || slash === decoded.length - 1) throw invalid();
  return { bucket: decoded.slice(0, slash), key: decoded.slice(slash + 1), ...(versionId !== undefined ? { versionId } : {}) };
}
