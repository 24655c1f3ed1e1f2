import { gunzipSync } from "node:zlib";
import type { XmlValue } from "../../protocols/query.js";
import { AwsError, type WireRequest, type WireResponse } from "../../protocols/types.js";
import { SHAPE_OF_CODE } from "./errors.js";

/** What both of CloudWatch's protocol front-ends need beyond the generic ones: gzip bodies, JSON errors, XML maps. */

/** PutMetricData's payload limit, applied to the request as decoded (a gzip body counts uncompressed). */
export const MAX_PAYLOAD_BYTES = 1024 * 1024;

const decodedRequests = new WeakMap<WireRequest, WireRequest | AwsError>();

/**
 * The request with a `content-encoding: gzip` body inflated (the SDK compresses PutMetricData bodies of 10 KiB and
 * more), or the error to answer with. Cached: the dispatcher asks for the operation before the service handles it.
 */
export function decodeRequest(req: WireRequest): WireRequest | AwsError {
  const cached = decodedRequests.get(req);
  if (cached) return cached;
  let decoded: WireRequest | AwsError = req;
  const encodings = (req.headers["content-encoding"] ?? "").toLowerCase().split(",").map((e) => e.trim());
  if (encodings.includes("gzip")) {
    try {
      decoded = { ...req, body: gunzipSync(req.body, { maxOutputLength: MAX_PAYLOAD_BYTES + 1 }) };
    } catch (err) {
      const tooLarge = (err as { code?: string }).code === "ERR_BUFFER_TOO_LARGE";
      decoded = tooLarge ? payloadTooLarge() : new AwsError("InvalidParameterValue", "The request body is declared gzip-encoded but is not valid gzip data.");
    }
  }
  if (!(decoded instanceof AwsError) && decoded.body.length > MAX_PAYLOAD_BYTES) decoded = payloadTooLarge();
  decodedRequests.set(req, decoded);
  return decoded;
}

const payloadTooLarge = () => new AwsError("RequestEntityTooLarge", `Request size exceeded ${MAX_PAYLOAD_BYTES} bytes: a PutMetricData request is limited to 1 MB.`, 413);

/**
 * An error as CloudWatch's awsJson 1.0 sends it: the query error code and fault in `x-amzn-query-error` (what the
 * SDK maps to its exception and `Code`), the Smithy shape in `__type`.
 */
export function renderJsonError(err: AwsError): WireResponse {
  const shape = SHAPE_OF_CODE[err.code];
  const type = shape ? `com.amazonaws.cloudwatch#${shape}` : err.code;
  return {
    status: err.status,
    headers: {
      "content-type": "application/x-amz-json-1.0",
      "x-amzn-query-error": `${err.code};${err.fault}`,
      "x-amzn-errortype": shape ?? err.code,
      "x-lakewarden-error": err.code,
    },
    body: Buffer.from(JSON.stringify({ __type: type, message: err.message })),
  };
}

/** A handler's answer for the XML front-end: maps (ExtendedStatistics) become `<entry>` lists, the rest as is. */
export function toXmlValue(value: unknown, key = ""): XmlValue {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) return value.map((v) => toXmlValue(v));
  if (value instanceof Date || typeof value !== "object") return value as XmlValue;
  const entries = Object.entries(value as Record<string, unknown>);
  if (MAP_MEMBERS.has(key)) return new Map(entries.map(([k, v]) => [k, toXmlValue(v)]));
  return Object.fromEntries(entries.map(([k, v]) => [k, toXmlValue(v, k)]));
}

const MAP_MEMBERS = new Set(["ExtendedStatistics"]);
