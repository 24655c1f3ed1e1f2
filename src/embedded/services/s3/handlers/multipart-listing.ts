import { AwsError } from "../../../protocols/types.js";
import { isoTimestamp, xmlResponse, type XmlNode } from "../../../protocols/rest-xml.js";
import { requireBucket } from "../bucket-rows.js";
import { asChecksumAlgorithm, checksumElement } from "../checksums.js";
import { ownerOf, requireSafeKey } from "../names.js";
import { compareKeys } from "../object-rows.js";
import type { S3Handler } from "../request.js";
import { partsOf, requireUpload, uploadsOfBucket, type UploadRow } from "../upload-rows.js";
import { encoderFor, maxKeysParam } from "./listing.js";

/** ListParts and ListMultipartUploads. */

const listParts: S3Handler = (req) => {
  requireSafeKey(req.key);
  const upload = requireUpload(req.ctx.db, req.bucket, req.key, req.wire.query.get("uploadId") ?? "");
  const maxParts = maxKeysParam(req, "max-parts");
  const markerText = req.wire.query.get("part-number-marker") ?? "0";
  const marker = Number(markerText);
  if (!Number.isInteger(marker) || marker < 0) throw new AwsError("InvalidArgument", "Provided part-number-marker not an integer or within integer range", 400, { ArgumentName: "part-number-marker", ArgumentValue: markerText });
  const remaining = partsOf(req.ctx.db, upload.upload_id).filter((p) => p.part_number > marker);
  const page = remaining.slice(0, maxParts);
  const truncated = remaining.length > page.length;
  const owner = ownerOf(req.ctx.accountId);
  const algorithm = asChecksumAlgorithm(upload.checksum_algorithm ?? undefined);
  return xmlResponse("ListPartsResult", {
    Bucket: req.bucket,
    Key: req.key,
    UploadId: upload.upload_id,
    PartNumberMarker: marker,
    NextPartNumberMarker: page.length ? page[page.length - 1]!.part_number : undefined,
    MaxParts: maxParts,
    IsTruncated: truncated,
    Part: page.map((p) => {
      const part: XmlNode = { PartNumber: p.part_number, LastModified: isoTimestamp(p.last_modified), ETag: p.etag, Size: p.size };
      const partAlgorithm = asChecksumAlgorithm(p.checksum_algorithm ?? undefined);
      if (partAlgorithm && p.checksum_value) part[checksumElement(partAlgorithm)] = p.checksum_value;
      return part;
    }),
    Initiator: owner,
    Owner: owner,
    StorageClass: upload.storage_class,
    ChecksumAlgorithm: algorithm,
    ChecksumType: upload.checksum_type ?? undefined,
  });
};

/** Uploads in S3's order: by key, then by initiation. */
function afterMarkers(upload: UploadRow, keyMarker: string | undefined, uploadIdMarker: string | undefined, all: UploadRow[]): boolean {
  if (keyMarker === undefined) return true;
  const order = compareKeys(upload.key, keyMarker);
  if (order !== 0 || uploadIdMarker === undefined) return order > 0;
  const markerIndex = all.findIndex((u) => u.upload_id === uploadIdMarker);
  return markerIndex >= 0 && all.indexOf(upload) > markerIndex;
}

const listMultipartUploads: S3Handler = (req) => {
  const bucket = requireBucket(req.ctx.db, req.bucket);
  const { encode, encodingType } = encoderFor(req);
  const query = req.wire.query;
  const prefix = query.get("prefix") ?? "";
  const delimiter = query.get("delimiter") || undefined;
  const keyMarker = query.get("key-marker") || undefined;
  const uploadIdMarker = query.get("upload-id-marker") || undefined;
  const max = maxKeysParam(req, "max-uploads");
  const all = uploadsOfBucket(req.ctx.db, bucket.name).sort((a, b) => compareKeys(a.key, b.key) || a.initiated.localeCompare(b.initiated) || a.upload_id.localeCompare(b.upload_id));
  const uploads: UploadRow[] = [];
  const prefixes: string[] = [];
  let truncated = false;
  let last: UploadRow | string | undefined;
  for (const upload of all) {
    if (!upload.key.startsWith(prefix) || !afterMarkers(upload, keyMarker, uploadIdMarker, all)) continue;
    const at = delimiter ? upload.key.indexOf(delimiter, prefix.length) : -1;
    const common = at >= 0 ? upload.key.slice(0, at + delimiter!.length) : undefined;
    // Rolled up already: on this page, or on the page that ended with it (the key marker).
    if (common !== undefined && (common === prefixes[prefixes.length - 1] || common === keyMarker)) continue;
    if (uploads.length + prefixes.length >= max) {
      truncated = true;
      break;
    }
    if (common !== undefined) prefixes.push(common);
    else uploads.push(upload);
    last = common ?? upload;
  }
  const owner = ownerOf(req.ctx.accountId);
  return xmlResponse("ListMultipartUploadsResult", {
    Bucket: bucket.name,
    KeyMarker: encode(keyMarker ?? ""),
    UploadIdMarker: uploadIdMarker ?? "",
    NextKeyMarker: truncated && last !== undefined ? encode(typeof last === "string" ? last : last.key) : undefined,
    NextUploadIdMarker: truncated && last !== undefined && typeof last !== "string" ? last.upload_id : undefined,
    Prefix: encode(prefix),
    Delimiter: delimiter !== undefined ? encode(delimiter) : undefined,
    MaxUploads: max,
    IsTruncated: truncated,
    EncodingType: encodingType,
    Upload: uploads.map((u) => ({
      Key: encode(u.key),
      UploadId: u.upload_id,
      Initiator: owner,
      Owner: owner,
      StorageClass: u.storage_class,
      Initiated: isoTimestamp(u.initiated),
      ChecksumAlgorithm: u.checksum_algorithm ?? undefined,
      ChecksumType: u.checksum_type ?? undefined,
    })),
    CommonPrefixes: prefixes.map((p) => ({ Prefix: encode(p) })),
  });
};

export const multipartListingHandlers: Record<string, S3Handler> = {
  ListParts: listParts,
  ListMultipartUploads: listMultipartUploads,
};
