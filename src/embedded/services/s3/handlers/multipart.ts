import { closeSync } from "node:fs";
import { AwsError, type WireResponse } from "../../../protocols/types.js";
import { emptyResponse, isoTimestamp, parseXml, xmlList, xmlNode, xmlResponse, xmlText, type XmlNode } from "../../../protocols/rest-xml.js";
import { writeTransaction } from "../../../store/db.js";
import { bucketSse, requireBucket } from "../bucket-rows.js";
import {
  asChecksumAlgorithm,
  checksumElement,
  checksumHeader,
  compositeChecksum,
  createHasher,
  defaultChecksumType,
  Digests,
  type ChecksumAlgorithm,
  type ChecksumType,
  type ObjectChecksum,
} from "../checksums.js";
import { checkCopySourceConditions, checkWriteConditions } from "../conditions.js";
import { copyToTemp } from "../copy-bytes.js";
import { newUploadId, requireSafeKey } from "../names.js";
import { attributesFromRequest, reportsVersions, sseHeaders } from "../object-headers.js";
import { commitObject, openObject } from "../object-versions.js";
import { readPayload } from "../payload.js";
import { nowSeconds, type S3Handler, type S3Request } from "../request.js";
import { deleteUpload, getPart, insertUpload, requireUpload, upsertPart, type PartRow, type UploadRow } from "../upload-rows.js";
import { checksumElements, parseCopySource, sseFromRequest, storeOf, writeHeaders } from "./common.js";
import { multipartListingHandlers } from "./multipart-listing.js";

/** CreateMultipartUpload, UploadPart, UploadPartCopy, CompleteMultipartUpload, AbortMultipartUpload. */

const MIN_PART_SIZE = 5 * 1024 * 1024;

function uploadChecksum(upload: UploadRow): { algorithm?: ChecksumAlgorithm; type?: ChecksumType } {
  const algorithm = asChecksumAlgorithm(upload.checksum_algorithm ?? undefined);
  return algorithm ? { algorithm, type: (upload.checksum_type ?? defaultChecksumType(algorithm)) as ChecksumType } : {};
}

function checksumRequest(headers: Record<string, string>): { algorithm?: ChecksumAlgorithm; type?: ChecksumType } {
  const algorithmText = headers["x-amz-checksum-algorithm"];
  const typeText = headers["x-amz-checksum-type"]?.toUpperCase();
  const algorithm = asChecksumAlgorithm(algorithmText);
  if (algorithmText !== undefined && !algorithm) {
    throw new AwsError("InvalidRequest", "Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]");
  }
  if (typeText !== undefined && typeText !== "FULL_OBJECT" && typeText !== "COMPOSITE") throw new AwsError("InvalidRequest", "Value for x-amz-checksum-type header is invalid.");
  if (!algorithm) {
    if (typeText) throw new AwsError("InvalidRequest", "The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.");
    return {};
  }
  const type = (typeText ?? defaultChecksumType(algorithm)) as ChecksumType;
  if (type === "FULL_OBJECT" && (algorithm === "SHA1" || algorithm === "SHA256")) {
    throw new AwsError("InvalidRequest", `The FULL_OBJECT checksum type cannot be used with the ${algorithm.toLowerCase()} checksum algorithm.`);
  }
  if (type === "COMPOSITE" && algorithm === "CRC64NVME") throw new AwsError("InvalidRequest", "The COMPOSITE checksum type cannot be used with the crc64nvme checksum algorithm.");
  return { algorithm, type };
}

const createMultipartUpload: S3Handler = (req) => {
  const { ctx, wire, bucket, key } = req;
  requireSafeKey(key);
  const attributes = attributesFromRequest(wire.headers);
  const sse = sseFromRequest(wire.headers);
  const { algorithm, type } = checksumRequest(wire.headers);
  const uploadId = newUploadId();
  const bucketRow = writeTransaction(ctx.db, () => {
    const row = requireBucket(ctx.db, bucket);
    insertUpload(ctx.db, {
      upload_id: uploadId,
      bucket,
      key,
      initiated: ctx.now().toISOString(),
      content_type: attributes.contentType,
      headers: JSON.stringify(attributes.headers),
      user_metadata: JSON.stringify(attributes.userMetadata),
      checksum_algorithm: algorithm ?? null,
      checksum_type: type ?? null,
      storage_class: attributes.storageClass,
      sse: sse ?? bucketSse(row).algorithm,
    });
    return row;
  });
  const headers: Record<string, string> = { ...sseHeaders(sse ?? bucketSse(bucketRow).algorithm, bucketRow) };
  if (algorithm) Object.assign(headers, { "x-amz-checksum-algorithm": algorithm, "x-amz-checksum-type": type! });
  return xmlResponse("InitiateMultipartUploadResult", { Bucket: bucket, Key: key, UploadId: uploadId }, { headers });
};

function partNumberParam(req: S3Request): number {
  const text = req.wire.query.get("partNumber") ?? "";
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > 10_000) {
    throw new AwsError("InvalidArgument", "Part number must be an integer between 1 and 10000, inclusive", 400, { ArgumentName: "partNumber", ArgumentValue: text });
  }
  return n;
}

/** Moves a part's temp file into the upload and records it, unless the upload went away meanwhile. */
function storePart(req: S3Request, upload: UploadRow, partNumber: number, tempPath: string, part: Omit<PartRow, "upload_id" | "part_number" | "path">): void {
  writeTransaction(req.ctx.db, () => {
    requireUpload(req.ctx.db, req.bucket, req.key, upload.upload_id);
    const path = req.files.partPath(upload.upload_id, partNumber);
    req.files.install(tempPath, path);
    upsertPart(req.ctx.db, { ...part, upload_id: upload.upload_id, part_number: partNumber, path });
  });
}

function partHeaders(req: S3Request, upload: UploadRow, etag: string, checksum?: { algorithm: ChecksumAlgorithm; value: string }): Record<string, string> {
  const bucket = requireBucket(req.ctx.db, req.bucket);
  const headers: Record<string, string> = { etag, ...sseHeaders(upload.sse, bucket) };
  if (checksum) headers[checksumHeader(checksum.algorithm)] = checksum.value;
  return headers;
}

const uploadPart: S3Handler = async (req) => {
  requireSafeKey(req.key);
  const partNumber = partNumberParam(req);
  const upload = requireUpload(req.ctx.db, req.bucket, req.key, req.wire.query.get("uploadId") ?? "");
  const expected = uploadChecksum(upload).algorithm;
  const payload = readPayload(req.wire, expected);
  if (expected && payload.checksum && payload.checksum.algorithm !== expected) {
    throw new AwsError("InvalidRequest", `Checksum Type mismatch occurred, expected checksum Type: ${expected.toLowerCase()}, actual checksum Type: ${payload.checksum.algorithm.toLowerCase()}`);
  }
  const etag = `"${payload.md5}"`;
  const tempPath = await req.files.writeTemp(payload.body);
  try {
    storePart(req, upload, partNumber, tempPath, {
      size: payload.body.length,
      etag,
      last_modified: nowSeconds(req.ctx),
      checksum_algorithm: payload.checksum?.algorithm ?? null,
      checksum_value: payload.checksum?.value ?? null,
    });
  } finally {
    req.files.discardTemp(tempPath);
  }
  return emptyResponse(200, partHeaders(req, upload, etag, payload.checksum));
};

/** `x-amz-copy-source-range: bytes=first-last`, which must lie within the source. */
function copySourceRange(header: string | undefined, size: number): { start: number; end: number } | undefined {
  if (header === undefined) return undefined;
  const match = /^bytes=(\d+)-(\d+)$/.exec(header.trim());
  if (!match || Number(match[1]) > Number(match[2]) || Number(match[2]) >= size) {
    throw new AwsError("InvalidArgument", `Range specified is not valid for source object of size: ${size}`, 400, { ArgumentName: "x-amz-copy-source-range", ArgumentValue: header });
  }
  return { start: Number(match[1]), end: Number(match[2]) };
}

const uploadPartCopy: S3Handler = async (req) => {
  requireSafeKey(req.key);
  const partNumber = partNumberParam(req);
  const upload = requireUpload(req.ctx.db, req.bucket, req.key, req.wire.query.get("uploadId") ?? "");
  const source = parseCopySource(req.wire.headers["x-amz-copy-source"]);
  requireSafeKey(source.key);
  const { bucket: sourceBucket, row: src, fd } = openObject(storeOf(req), source.bucket, source.key, source.versionId);
  const algorithm = uploadChecksum(upload).algorithm;
  let tempPath: string | undefined;
  let fdOpen = true; // until copyToTemp takes the descriptor over
  const lastModified = nowSeconds(req.ctx);
  let etag: string;
  let checksum: { algorithm: ChecksumAlgorithm; value: string } | undefined;
  try {
    checkCopySourceConditions(req.wire.headers, src);
    const range = copySourceRange(req.wire.headers["x-amz-copy-source-range"], src.size);
    const digests = new Digests(algorithm ? [algorithm] : []);
    fdOpen = false;
    tempPath = await copyToTemp(req.files, [{ fd, ...(range ?? {}) }], digests);
    const { md5, checksums } = digests.finish();
    etag = `"${md5.toString("hex")}"`;
    checksum = algorithm ? { algorithm, value: checksums.get(algorithm)! } : undefined;
    storePart(req, upload, partNumber, tempPath, { size: digests.size, etag, last_modified: lastModified, checksum_algorithm: checksum?.algorithm ?? null, checksum_value: checksum?.value ?? null });
  } catch (err) {
    if (fdOpen) closeSync(fd);
    throw err;
  } finally {
    req.files.discardTemp(tempPath);
  }
  const headers = partHeaders(req, upload, etag);
  if (reportsVersions(sourceBucket)) headers["x-amz-copy-source-version-id"] = src.version_id;
  delete headers.etag;
  const result: XmlNode = { ETag: etag, LastModified: isoTimestamp(lastModified), ...(checksum ? { [checksumElement(checksum.algorithm)]: checksum.value } : {}) };
  return xmlResponse("CopyPartResult", result, { headers });
};

const unquote = (etag: string) => etag.trim().replace(/^"|"$/g, "");

/** The parts a CompleteMultipartUpload names, checked against the stored parts as S3 checks them. */
function completedParts(req: S3Request, upload: UploadRow): PartRow[] {
  const doc = parseXml(req.wire.body, ["CompleteMultipartUpload.Part"]);
  const listed = xmlList(xmlNode(doc.CompleteMultipartUpload)?.Part);
  if (listed.length === 0) throw new AwsError("MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema.");
  const { algorithm, type } = uploadChecksum(upload);
  const parts: PartRow[] = [];
  let previous = 0;
  for (const item of listed) {
    const number = Number(xmlText(item.PartNumber));
    const etag = xmlText(item.ETag) ?? "";
    if (!Number.isInteger(number) || number <= previous) {
      throw new AwsError("InvalidPartOrder", "The list of parts was not in ascending order. Parts must be ordered by part number.", 400, { UploadId: upload.upload_id });
    }
    previous = number;
    const part = getPart(req.ctx.db, upload.upload_id, number);
    const sentChecksum = algorithm ? xmlText(item[checksumElement(algorithm)]) : undefined;
    if (!part || unquote(part.etag) !== unquote(etag) || (sentChecksum !== undefined && sentChecksum !== part.checksum_value)) {
      throw new AwsError("InvalidPart", "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.", 400, {
        UploadId: upload.upload_id,
        PartNumber: String(number),
        ETag: etag,
      });
    }
    if (algorithm && type === "COMPOSITE" && sentChecksum === undefined) {
      throw new AwsError("InvalidRequest", `The upload was created using a ${algorithm.toLowerCase()} checksum. The complete request must include the checksum for each part. It was missing for part ${number} in the request.`);
    }
    parts.push(part);
  }
  parts.forEach((part, i) => {
    if (i < parts.length - 1 && part.size < MIN_PART_SIZE) {
      throw new AwsError("EntityTooSmall", "Your proposed upload is smaller than the minimum allowed size", 400, {
        ProposedSize: String(part.size),
        MinSizeAllowed: String(MIN_PART_SIZE),
        PartNumber: String(part.part_number),
        ETag: part.etag,
      });
    }
  });
  return parts;
}

/** S3's multipart ETag: MD5 of the parts' binary MD5s, then `-<part count>`. */
function multipartEtag(parts: PartRow[]): string {
  const md5 = createHasher("MD5");
  for (const part of parts) md5.update(Buffer.from(unquote(part.etag), "hex"));
  return `"${md5.digest().toString("hex")}-${parts.length}"`;
}

const completeMultipartUpload: S3Handler = async (req): Promise<WireResponse> => {
  const { ctx, files, wire, bucket, key } = req;
  requireSafeKey(key);
  const upload = requireUpload(ctx.db, bucket, key, wire.query.get("uploadId") ?? "");
  const parts = completedParts(req, upload);
  const { algorithm, type } = uploadChecksum(upload);
  // Without a checksum of its own, a multipart object gets a full-object CRC64NVME, as S3 computes today.
  const fullObject: ChecksumAlgorithm | undefined = type === "COMPOSITE" ? undefined : (algorithm ?? "CRC64NVME");
  const digests = new Digests(fullObject ? [fullObject] : []);
  const tempPath = await copyToTemp(files, parts.map((p) => ({ path: files.abs(p.path) })), digests);
  let checksum: ObjectChecksum | undefined;
  let row;
  try {
    const computed = digests.finish().checksums;
    checksum = fullObject
      ? { algorithm: fullObject, type: "FULL_OBJECT", value: computed.get(fullObject)! }
      : { algorithm: algorithm!, type: "COMPOSITE", value: compositeChecksum(algorithm!, parts.map((p) => p.checksum_value ?? "")) };
    const sent = algorithm ? wire.headers[checksumHeader(algorithm)] : undefined;
    if (sent !== undefined && checksum.type === "FULL_OBJECT" && sent !== checksum.value) {
      throw new AwsError("BadDigest", `The ${algorithm} you specified did not match the calculated checksum.`);
    }
    const headers = JSON.parse(upload.headers) as Record<string, string>;
    const userMetadata = JSON.parse(upload.user_metadata) as Record<string, string>;
    row = commitObject(
      storeOf(req),
      bucket,
      key,
      {
        tempPath,
        size: digests.size,
        etag: multipartEtag(parts),
        attributes: { contentType: upload.content_type ?? "binary/octet-stream", headers, userMetadata, storageClass: upload.storage_class },
        checksum,
        ...(upload.sse ? { sse: upload.sse } : {}),
        partSizes: parts.map((p) => p.size),
        lastModified: nowSeconds(ctx),
      },
      (current) => {
        // Completed or aborted by someone else meanwhile: NoSuchUpload, and nothing is written.
        requireUpload(ctx.db, bucket, key, upload.upload_id);
        checkWriteConditions(wire.headers, current, key);
        deleteUpload(ctx.db, upload.upload_id);
      },
    );
  } finally {
    files.discardTemp(tempPath);
  }
  files.removeTree(files.uploadDir(upload.upload_id));
  const headers = writeHeaders(row, requireBucket(ctx.db, bucket));
  for (const name of Object.keys(headers)) if (name.startsWith("x-amz-checksum-") || name === "etag") delete headers[name];
  const location = `http://${wire.host || "s3.amazonaws.com"}/${encodeURIComponent(bucket)}/${key.split("/").map(encodeURIComponent).join("/")}`;
  return xmlResponse("CompleteMultipartUploadResult", { Location: location, Bucket: bucket, Key: key, ETag: row.etag, ...checksumElements(checksum) }, { headers });
};

const abortMultipartUpload: S3Handler = (req) => {
  requireSafeKey(req.key);
  const uploadId = req.wire.query.get("uploadId") ?? "";
  writeTransaction(req.ctx.db, () => {
    requireUpload(req.ctx.db, req.bucket, req.key, uploadId);
    deleteUpload(req.ctx.db, uploadId);
  });
  req.files.removeTree(req.files.uploadDir(uploadId));
  return emptyResponse(204);
};

export const multipartHandlers: Record<string, S3Handler> = {
  CreateMultipartUpload: createMultipartUpload,
  UploadPart: uploadPart,
  UploadPartCopy: uploadPartCopy,
  CompleteMultipartUpload: completeMultipartUpload,
  AbortMultipartUpload: abortMultipartUpload,
  ...multipartListingHandlers,
};
