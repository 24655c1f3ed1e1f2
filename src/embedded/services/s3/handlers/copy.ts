import { closeSync } from "node:fs";
import { AwsError } from "../../../protocols/types.js";
import { isoTimestamp, xmlResponse } from "../../../protocols/rest-xml.js";
import { requireBucket } from "../bucket-rows.js";
import { asChecksumAlgorithm, Digests, type ChecksumAlgorithm, type ObjectChecksum } from "../checksums.js";
import { checkCopySourceConditions, checkWriteConditions } from "../conditions.js";
import { copyToTemp } from "../copy-bytes.js";
import { requireSafeKey } from "../names.js";
import { attributesFromRequest, attributesOfRow, reportsVersions, type ObjectAttributes } from "../object-headers.js";
import { rowChecksum, type ObjectRow } from "../object-rows.js";
import { commitObject, openObject } from "../object-versions.js";
import { nowSeconds, type S3Handler } from "../request.js";
import { checksumElements, parseCopySource, sseFromRequest, storeOf, writeHeaders } from "./common.js";

/** CopyObject: server-side copy with the COPY or REPLACE metadata directive. */

function requestedAlgorithm(headers: Record<string, string>): ChecksumAlgorithm | undefined {
  const value = headers["x-amz-checksum-algorithm"];
  if (value === undefined) return undefined;
  const algorithm = asChecksumAlgorithm(value);
  if (!algorithm) throw new AwsError("InvalidRequest", "Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]");
  return algorithm;
}

function metadataDirective(headers: Record<string, string>): "COPY" | "REPLACE" {
  const value = (headers["x-amz-metadata-directive"] ?? "COPY").toUpperCase();
  if (value !== "COPY" && value !== "REPLACE") throw new AwsError("InvalidArgument", "Unknown metadata directive.", 400, { ArgumentName: "x-amz-metadata-directive", ArgumentValue: value });
  return value;
}

function copiedAttributes(headers: Record<string, string>, source: ObjectRow, directive: "COPY" | "REPLACE"): ObjectAttributes {
  if (directive === "REPLACE") return attributesFromRequest(headers);
  const storageClass = headers["x-amz-storage-class"] !== undefined ? attributesFromRequest(headers).storageClass : source.storage_class;
  return { ...attributesOfRow(source), storageClass };
}

export const copyObject: S3Handler = async (req) => {
  const { ctx, files, wire, bucket, key } = req;
  const headers = wire.headers;
  requireSafeKey(key);
  const source = parseCopySource(headers["x-amz-copy-source"]);
  requireSafeKey(source.key);
  requireBucket(ctx.db, bucket);
  const directive = metadataDirective(headers);
  const algorithm = requestedAlgorithm(headers);
  const sse = sseFromRequest(headers);
  const { bucket: sourceBucket, row: src, fd } = openObject(storeOf(req), source.bucket, source.key, source.versionId);
  let tempPath: string | undefined;
  let fdOpen = true; // until copyToTemp takes the descriptor over
  let row: ObjectRow;
  let checksum: ObjectChecksum | undefined;
  try {
    checkCopySourceConditions(headers, src);
    const attributes = copiedAttributes(headers, src, directive);
    const unchanged = directive === "COPY" && headers["x-amz-storage-class"] === undefined && !sse && !algorithm && headers["x-amz-website-redirect-location"] === undefined;
    if (source.bucket === bucket && source.key === key && unchanged && (source.versionId === undefined || src.is_latest)) {
      throw new AwsError(
        "InvalidRequest",
        "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
      );
    }
    // A full-object checksum stays valid for the same bytes; a composite one (or none) is recomputed as S3 does.
    const kept = !algorithm && src.checksum_type === "FULL_OBJECT" ? rowChecksum(src) : undefined;
    const compute = algorithm ?? (kept ? undefined : "CRC64NVME");
    const digests = new Digests(compute ? [compute] : []);
    fdOpen = false;
    tempPath = await copyToTemp(files, [{ fd }], digests);
    const { md5, checksums } = digests.finish();
    checksum = compute ? { algorithm: compute, type: "FULL_OBJECT", value: checksums.get(compute)! } : kept;
    row = commitObject(
      storeOf(req),
      bucket,
      key,
      {
        tempPath,
        size: digests.size,
        etag: `"${md5.toString("hex")}"`,
        attributes,
        ...(checksum ? { checksum } : {}),
        ...(sse ? { sse } : {}),
        lastModified: nowSeconds(ctx),
      },
      (current) => checkWriteConditions(headers, current, key),
    );
  } catch (err) {
    if (fdOpen) closeSync(fd);
    throw err;
  } finally {
    files.discardTemp(tempPath);
  }
  const out = writeHeaders(row, requireBucket(ctx.db, bucket));
  if (reportsVersions(sourceBucket)) out["x-amz-copy-source-version-id"] = src.version_id;
  for (const name of Object.keys(out)) if (name.startsWith("x-amz-checksum-")) delete out[name];
  return xmlResponse("CopyObjectResult", { ETag: row.etag, LastModified: isoTimestamp(row.last_modified), ...checksumElements(checksum) }, { headers: out });
};
