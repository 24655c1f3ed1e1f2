import { randomBytes } from "node:crypto";
import { XMLBuilder, XMLParser, XMLValidator } from "fast-xml-parser";
import { AwsError, type WireRequest, type WireResponse } from "./types.js";

/**
 * restXml as S3 speaks it: XML documents in and out, errors as `<Error><Code>…`, HEAD errors as a bare status.
 * Services build plain objects; this module owns escaping, namespaces and timestamp formats.
 */

export const S3_XMLNS = "http://s3.amazonaws.com/doc/2006-03-01/";
const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

/** A value to render: nested objects become elements, arrays repeat their element, undefined/null are left out. */
export type XmlValue = string | number | boolean | Date | undefined | null | XmlNode | XmlValue[];
export interface XmlNode {
  [name: string]: XmlValue;
}

/** An AwsError that also sets response headers (x-amz-delete-marker on a 404, Last-Modified on a 304 …). */
export class RestXmlError extends AwsError {
  constructor(
    code: string,
    message: string,
    status: number,
    fields: Record<string, string> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(code, message, status, fields);
  }
}

// Escaping is done here (processEntities off) so control characters such as \r survive a conforming XML parser.
const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: "@_", suppressEmptyNode: false, processEntities: false });

export function escapeXml(text: string): string {
  return text.replace(/[&<>"'\r\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, (c) => {
    switch (c) {
      case "&":
        return "&amp;";
      case "<":
        return "&lt;";
      case ">":
        return "&gt;";
      case '"':
        return "&quot;";
      case "'":
        return "&apos;";
      default:
        return `&#${c.charCodeAt(0)};`;
    }
  });
}

function prepare(value: XmlValue): unknown {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return value.map(prepare).filter((v) => v !== undefined);
  if (value instanceof Date) return isoTimestamp(value);
  if (typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [name, child] of Object.entries(value)) {
      const prepared = prepare(child);
      if (prepared !== undefined) out[name] = prepared;
    }
    return out;
  }
  return escapeXml(String(value));
}

/** `<root xmlns="…">…</root>` with the XML declaration. */
export function toXml(root: string, content: XmlNode | string, namespace: string | null = S3_XMLNS): string {
  const body = typeof content === "string" ? escapeXml(content) : (prepare(content) as Record<string, unknown>);
  const node = typeof body === "string" ? { "#text": body } : body;
  return DECLARATION + builder.build({ [root]: namespace ? { "@_xmlns": namespace, ...node } : node });
}

export function xmlResponse(root: string, content: XmlNode | string, options: { status?: number; headers?: Record<string, string> } = {}): WireResponse {
  return {
    status: options.status ?? 200,
    headers: { "content-type": "application/xml", ...options.headers },
    body: Buffer.from(toXml(root, content), "utf8"),
  };
}

export function emptyResponse(status = 200, headers: Record<string, string> = {}): WireResponse {
  return { status, headers, body: Buffer.alloc(0) };
}

/**
 * Parses a request document. `arrays` names the elements that are lists even when they occur once, as paths from
 * the root (`Delete.Object`). Values stay strings; whitespace between elements is dropped, inside values kept.
 */
export function parseXml(body: Buffer, arrays: readonly string[] = []): XmlNode {
  const text = body.toString("utf8");
  if (!text.trim() || XMLValidator.validate(text) !== true) {
    throw new AwsError("MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema.");
  }
  const parser = new XMLParser({
    ignoreAttributes: true,
    ignoreDeclaration: true,
    parseTagValue: false,
    trimValues: false,
    processEntities: true,
    htmlEntities: true,
    isArray: (_name, jPath) => arrays.includes(String(jPath)),
  });
  return dropWhitespaceText(parser.parse(text)) as XmlNode;
}

function dropWhitespaceText(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropWhitespaceText);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    const entries = Object.entries(value);
    for (const [name, child] of entries) {
      if (name === "#text" && entries.length > 1 && typeof child === "string" && !child.trim()) continue;
      out[name] = dropWhitespaceText(child);
    }
    // An element left with only its text node is that text.
    const keys = Object.keys(out);
    if (keys.length === 1 && keys[0] === "#text") return out["#text"];
    return out;
  }
  return value;
}

/** The text of an element (an empty element is ""), or undefined when absent or not text. */
export function xmlText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return undefined;
}

/** The child elements of a list element, whether it occurred once or many times. */
export function xmlList(value: unknown): XmlNode[] {
  if (value === undefined || value === null || value === "") return [];
  const items = Array.isArray(value) ? value : [value];
  return items.map((item) => (item && typeof item === "object" ? (item as XmlNode) : {}));
}

export function xmlNode(value: unknown): XmlNode | undefined {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as XmlNode) : undefined;
}

/**
 * An S3-style error. HEAD answers carry no body (the SDK then names a 404 `NotFound`); 304 has no body either.
 * `x-lakewarden-error` tells the dispatcher's call log the code; it never leaves the process.
 */
export function renderRestXmlError(err: AwsError, req: WireRequest, requestId: string): WireResponse {
  const extra = err instanceof RestXmlError ? err.headers : {};
  const headers: Record<string, string> = { ...extra, "x-lakewarden-error": err.code, "x-amz-request-id": requestId };
  if (req.method === "HEAD" || err.status === 304) return emptyResponse(err.status, headers);
  const hostId = randomBytes(24).toString("base64");
  const content: XmlNode = { Code: err.code, Message: err.message, ...err.fields, RequestId: requestId, HostId: hostId };
  return { status: err.status, headers: { ...headers, "content-type": "application/xml" }, body: Buffer.from(toXml("Error", content, null), "utf8") };
}

/** `2025-06-23T14:03:12.000Z`, as S3 writes timestamps in XML. */
export function isoTimestamp(date: Date | string): string {
  return (typeof date === "string" ? new Date(date) : date).toISOString();
}

/** `Mon, 23 Jun 2025 14:03:12 GMT` (RFC 7231), as in Last-Modified. */
export function httpDate(date: Date | string): string {
  return (typeof date === "string" ? new Date(date) : date).toUTCString();
}

/** An HTTP date header (RFC 7231 or ISO); undefined when absent or unparseable, as S3 ignores a bad one. */
export function parseHttpDate(value: string | undefined): Date | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** A boolean request parameter or element: S3 accepts `true`/`false` in any case. */
export function parseBool(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  const lower = value.trim().toLowerCase();
  if (lower === "true") return true;
  if (lower === "false") return false;
  return undefined;
}
