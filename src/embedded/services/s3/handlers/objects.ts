import { closeSync, createReadStream } from "node:fs";
import { Readable } from "node:stream";
import { AwsError, type WireResponse } from "../../../protocols/types.js";
import { emptyResponse, parseBool, parseXml, xmlList, xmlNode, xmlResponse, xmlText, type XmlNode } from "../../../protocols/rest-xml.js";
import { requireBucket, type BucketRow } from "../bucket-rows.js";
import { checkReadConditions, checkWriteConditions } from "../conditions.js";
import { requireSafeKey } from "../names.js";
import { applyResponseOverrides, attributesFromRequest, objectHeaders } from "../object-headers.js";
import type { ObjectRow } from "../object-rows.js";
import { commitObject, deleteObject, openObject, resolveObject } from "../object-versions.js";
import { readPayload } from "../payload.js";
import { contentRange, parseRange, type ByteRange } from "../range.js";
import { nowSeconds, type S3Handler, type S3Request } from "../request.js";
import { sseFromRequest, storeOf, versionIdParam, writeHeaders } from "./common.js";

/** PutObject, GetObject, HeadObject, DeleteObject, DeleteObjects. */

const putObject: S3Handler = async (req) => {
  const { ctx, files, wire, bucket, key } = req;
  requireSafeKey(key);
  requireBucket(ctx.db, bucket);
  const sse = sseFromRequest(wire.headers);
  const attributes = attributesFromRequest(wire.headers);
  // With no checksum from the client, S3 computes a full-object CRC64NVME (since December 2024).
  const payload = readPayload(wire, "CRC64NVME");
  const tempPath = await files.writeTemp(payload.body);
  let row: ObjectRow;
  try {
    row = commitObject(
      storeOf(req),
      bucket,
      key,
      {
        tempPath,
        size: payload.body.length,
        etag: `"${payload.md5}"`,
        attributes,
        ...(payload.checksum ? { checksum: { algorithm: payload.checksum.algorithm, type: "FULL_OBJECT", value: payload.checksum.value } } : {}),
        ...(sse ? { sse } : {}),
        lastModified: nowSeconds(ctx),
      },
      (current) => checkWriteConditions(wire.headers, current, key),
    );
  } finally {
    files.discardTemp(tempPath);
  }
  return emptyResponse(200, writeHeaders(row, requireBucket(ctx.db, bucket)));
};

/** The byte range a GetObject/HeadObject answers: a Range header, a part (?partNumber) or everything. */
function requestedRange(req: S3Request, row: ObjectRow): { range?: ByteRange; partsCount?: number } {
  const partNumber = req.wire.query.get("partNumber");
  if (partNumber === null) {
    const range = parseRange(req.wire.headers.range, row.size);
    return range ? { range } : {};
  }
  const n = Number(partNumber);
  if (!Number.isInteger(n) || n < 1 || n > 10_000) {
    throw new AwsError("InvalidArgument", "Part number must be an integer between 1 and 10000, inclusive", 400, { ArgumentName: "partNumber", ArgumentValue: partNumber });
  }
  const sizes = row.part_sizes ? (JSON.parse(row.part_sizes) as number[]) : [row.size];
  if (n > sizes.length) throw new AwsError("InvalidPartNumber", "The requested partnumber is not satisfiable", 416, { PartNumberRequested: partNumber, ActualPartCount: String(sizes.length) });
  const start = sizes.slice(0, n - 1).reduce((a, b) => a + b, 0);
  const size = sizes[n - 1]!;
  return { ...(size > 0 ? { range: { start, end: start + size - 1 } } : {}), partsCount: sizes.length };
}

/** GetObject and HeadObject share everything but the body. */
function answerObject(req: S3Request, bucket: BucketRow, row: ObjectRow, fd: number | undefined): WireResponse {
  const { wire } = req;
  checkReadConditions(wire.headers, row);
  const { range, partsCount } = requestedRange(req, row);
  // A checksum describes the whole object, so S3 leaves it out of partial answers.
  const checksums = wire.headers["x-amz-checksum-mode"]?.toUpperCase() === "ENABLED" && !range && partsCount === undefined;
  const headers = objectHeaders(row, bucket, { checksums });
  if (wire.method === "GET") applyResponseOverrides(headers, wire.query);
  let status = 200;
  if (range) {
    status = 206;
    headers["content-range"] = contentRange(range, row.size);
    headers["content-length"] = String(range.end - range.start + 1);
  }
  if (partsCount !== undefined) headers["x-amz-mp-parts-count"] = String(partsCount);
  if (fd === undefined) return { status, headers, body: Readable.from([]) };
  if (row.size === 0) {
    closeSync(fd);
    return { status, headers, body: Buffer.alloc(0) };
  }
  const body = createReadStream("", { fd, start: range?.start ?? 0, ...(range ? { end: range.end } : {}), autoClose: true, highWaterMark: 1 << 20 });
  return { status, headers, body };
}

const getObject: S3Handler = (req) => {
  requireSafeKey(req.key);
  const { bucket, row, fd } = openObject(storeOf(req), req.bucket, req.key, versionIdParam(req));
  try {
    return answerObject(req, bucket, row, fd);
  } catch (err) {
    closeSync(fd);
    throw err;
  }
};

/** HEAD answers have no body; an empty stream keeps Content-Length the object's size over HTTP. */
const headObject: S3Handler = (req) => {
  requireSafeKey(req.key);
  const bucket = requireBucket(req.ctx.db, req.bucket);
  const row = resolveObject(req.ctx.db, bucket, req.key, versionIdParam(req));
  return answerObject(req, bucket, row, undefined);
};

const deleteObjectHandler: S3Handler = (req) => {
  requireSafeKey(req.key);
  const result = deleteObject(storeOf(req), req.bucket, req.key, versionIdParam(req), nowSeconds(req.ctx));
  const headers: Record<string, string> = {};
  if (result.deleteMarker) headers["x-amz-delete-marker"] = "true";
  if (result.versionId !== undefined) headers["x-amz-version-id"] = result.versionId;
  return emptyResponse(204, headers);
};

const deleteObjects: S3Handler = (req) => {
  requireBucket(req.ctx.db, req.bucket);
  const payload = readPayload(req.wire);
  const doc = parseXml(payload.body, ["Delete.Object"]);
  const request = xmlNode(doc.Delete);
  const objects = xmlList(request?.Object);
  if (!request || objects.length === 0 || objects.length > 1000) {
    throw new AwsError("MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema.");
  }
  const quiet = parseBool(xmlText(request.Quiet)) ?? false;
  const deleted: XmlNode[] = [];
  const errors: XmlNode[] = [];
  const now = nowSeconds(req.ctx);
  for (const object of objects) {
    const key = xmlText(object.Key) ?? "";
    const versionId = xmlText(object.VersionId);
    try {
      requireSafeKey(key);
      const result = deleteObject(storeOf(req), req.bucket, key, versionId, now);
      deleted.push({
        Key: key,
        VersionId: versionId,
        DeleteMarker: result.deleteMarker ? true : undefined,
        DeleteMarkerVersionId: result.deleteMarker ? result.versionId : undefined,
      });
    } catch (err) {
      if (!(err instanceof AwsError)) throw err;
      errors.push({ Key: key, VersionId: versionId, Code: err.code, Message: err.message });
    }
  }
  return xmlResponse("DeleteResult", { Deleted: quiet ? undefined : deleted, Error: errors });
};

export const objectHandlers: Record<string, S3Handler> = {
  PutObject: putObject,
  GetObject: getObject,
  HeadObject: headObject,
  DeleteObject: deleteObjectHandler,
  DeleteObjects: deleteObjects,
};
