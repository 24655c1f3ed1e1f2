import type Database from "better-sqlite3";
import { isWriteOperation } from "../call-log.js";
import type { EmbeddedService, ServiceContext } from "../service.js";
import { writeTransaction } from "../store/db.js";
import { AwsError, type WireRequest, type WireResponse } from "./types.js";

/**
 * The awsQuery protocol (IAM, STS; CloudWatch as the aws CLI v2 sends it): a form-encoded `Action=…&Version=…`
 * request, an XML `<OpResponse><OpResult>…` answer, and `<ErrorResponse><Error>…` errors. Generic: services give
 * plain objects and get plain objects back.
 */

/** A parsed parameter: `A=x` is a string, `A.member.N…` a list, `A.entry.N.key/value` a map, `A.B=x` a structure. */
export type QueryValue = string | QueryValue[] | { [name: string]: QueryValue };

/** The parameters of one request, with typed accessors that raise AWS-style ValidationErrors. */
export class QueryParams {
  constructor(readonly raw: Record<string, QueryValue>) {}

  has(name: string): boolean {
    return this.raw[name] !== undefined;
  }

  string(name: string): string | undefined {
    const value = this.raw[name];
    if (value === undefined) return undefined;
    if (typeof value !== "string") throw validationError(name, "[…]", "Member must be a string");
    return value;
  }

  requiredString(name: string): string {
    const value = this.string(name);
    if (value === undefined) throw validationError(name, null, "Member must not be null");
    return value;
  }

  integer(name: string): number | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    if (!/^-?\d+$/.test(value)) throw validationError(name, value, "Member must be an integer");
    return Number(value);
  }

  boolean(name: string): boolean | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    return value.toLowerCase() === "true";
  }

  /** A list parameter; an empty list arrives as `Name=` (the SDK serializes empty lists that way). */
  list(name: string): QueryValue[] {
    const value = this.raw[name];
    if (value === undefined || value === "") return [];
    if (!Array.isArray(value)) throw validationError(name, "[…]", "Member must be a list");
    return value;
  }

  strings(name: string): string[] {
    return this.list(name).map((v) => {
      if (typeof v !== "string") throw validationError(name, "[…]", "Member must be a list of strings");
      return v;
    });
  }

  /** A list of structures, each as its own QueryParams. */
  structs(name: string): QueryParams[] {
    return this.list(name).map((v) => {
      if (typeof v === "string" || Array.isArray(v)) throw validationError(name, "[…]", "Member must be a list of structures");
      return new QueryParams(v);
    });
  }

  /** A map parameter (`Name.entry.N.key` / `Name.entry.N.value`). */
  map(name: string): Record<string, QueryValue> {
    const value = this.raw[name];
    if (value === undefined || value === "") return {};
    if (typeof value === "string" || Array.isArray(value)) throw validationError(name, "{…}", "Member must be a map");
    return value;
  }
}

/**
 * AWS's wording for a constraint violation, e.g. `1 validation error detected: Value 'x!' at 'roleName' failed to
 * satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]+`. The member is lowerCamel.
 */
export function validationError(member: string, value: string | number | null, constraint: string): AwsError {
  const shown = value === null ? "null" : `'${value}'`;
  const at = member.charAt(0).toLowerCase() + member.slice(1);
  return new AwsError("ValidationError", `1 validation error detected: Value ${shown} at '${at}' failed to satisfy constraint: ${constraint}`, 400);
}

// ---------------------------------------------------------------------------------------------------------------
// Requests

const parsedRequests = new WeakMap<WireRequest, URLSearchParams>();

/**
 * All form parameters of a query request: the body of a form POST, plus the URL query (a GET is valid too).
 * Cached per request: the dispatcher asks for the operation before the service handles the request.
 */
export function formParams(req: WireRequest): URLSearchParams {
  const cached = parsedRequests.get(req);
  if (cached) return cached;
  const params = new URLSearchParams();
  for (const [key, value] of req.query) if (!/^X-Amz-/i.test(key)) params.append(key, value);
  if (isFormBody(req)) for (const [key, value] of new URLSearchParams(req.body.toString("utf8"))) params.append(key, value);
  parsedRequests.set(req, params);
  return params;
}

function isFormBody(req: WireRequest): boolean {
  const type = req.headers["content-type"] ?? "";
  return req.method === "POST" && type.toLowerCase().startsWith("application/x-www-form-urlencoded");
}

/** Whether this looks like an awsQuery request for `version` (used to claim unsigned requests). */
export function isQueryRequest(req: WireRequest, version: string): boolean {
  if (req.method !== "POST" && req.method !== "GET") return false;
  if (req.method === "POST" && !isFormBody(req)) return false;
  if (req.method === "GET" && !req.query.has("Action")) return false;
  const params = formParams(req);
  return params.has("Action") && params.get("Version") === version;
}

/** `Tags.member.1.Key=k` → `{ Tags: [{ Key: "k" }] }`; Action and Version are left out. */
export function parseQueryParams(params: URLSearchParams): Record<string, QueryValue> {
  interface Node {
    value?: string;
    children?: Map<string, Node>;
  }
  const root: Node = { children: new Map() };
  for (const [key, value] of params) {
    if (key === "Action" || key === "Version") continue;
    let node = root;
    for (const segment of key.split(".")) {
      node.children ??= new Map();
      let child = node.children.get(segment);
      if (!child) node.children.set(segment, (child = {}));
      node = child;
    }
    node.value = value;
  }
  const convert = (node: Node): QueryValue => {
    const children = node.children;
    if (!children || children.size === 0) return node.value ?? "";
    const member = children.get("member");
    if (children.size === 1 && member?.children) return indexed(member.children).map(convert);
    const entry = children.get("entry");
    if (children.size === 1 && entry?.children) {
      const map: Record<string, QueryValue> = {};
      for (const item of indexed(entry.children)) {
        const k = item.children?.get("key")?.value;
        const v = item.children?.get("value");
        if (k !== undefined && v) map[k] = convert(v);
      }
      return map;
    }
    const struct: Record<string, QueryValue> = {};
    for (const [name, child] of children) struct[name] = convert(child);
    return struct;
  };
  const result = convert(root);
  return typeof result === "object" && !Array.isArray(result) ? result : {};
}

/** Children keyed 1, 2, 3 … in numeric order (the keys are 1-based and may arrive in any order). */
function indexed<T>(children: Map<string, T>): T[] {
  return [...children]
    .filter(([k]) => /^\d+$/.test(k))
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([, v]) => v);
}

// ---------------------------------------------------------------------------------------------------------------
// Responses

/** A value in an answer: lists become `<member>` elements, Maps `<entry><key/><value/></entry>`. */
export type XmlValue = string | number | bigint | boolean | Date | null | undefined | XmlValue[] | Map<string, XmlValue> | { [name: string]: XmlValue };

export function escapeXml(text: string): string {
  return text.replace(/[&<>"'\r]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;", "\r": "&#13;" })[c] ?? c);
}

/** ISO 8601 in seconds, as IAM and STS send timestamps (`2024-05-01T12:00:00Z`). */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

export function renderXmlValue(value: XmlValue): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return escapeXml(value);
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  if (typeof value === "boolean") return value ? "true" : "false";
  if (value instanceof Date) return isoSeconds(value);
  if (Array.isArray(value)) return value.map((item) => `<member>${renderXmlValue(item)}</member>`).join("");
  if (value instanceof Map) {
    return [...value].map(([k, v]) => `<entry><key>${escapeXml(k)}</key><value>${renderXmlValue(v)}</value></entry>`).join("");
  }
  let out = "";
  for (const [name, child] of Object.entries(value)) {
    if (child === undefined || child === null) continue;
    out += `<${name}>${renderXmlValue(child)}</${name}>`;
  }
  return out;
}

/** `<OpResponse xmlns><OpResult>…</OpResult><ResponseMetadata>…`; no Result element for operations without output. */
export function renderQueryResponse(operation: string, result: Record<string, XmlValue> | undefined, xmlns: string, requestId: string): WireResponse {
  const body =
    `<${operation}Response xmlns="${xmlns}">` +
    (result === undefined ? "" : `<${operation}Result>${renderXmlValue(result)}</${operation}Result>`) +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${operation}Response>`;
  return { status: 200, headers: { "content-type": "text/xml" }, body: Buffer.from(body) };
}

/** `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/>`: the SDK maps Code to the exception name. */
export function renderQueryError(err: AwsError, xmlns: string, requestId: string): WireResponse {
  const extra = Object.entries(err.fields)
    .map(([k, v]) => `<${k}>${escapeXml(v)}</${k}>`)
    .join("");
  const body =
    `<ErrorResponse xmlns="${xmlns}"><Error><Type>${err.fault}</Type><Code>${escapeXml(err.code)}</Code>` +
    `<Message>${escapeXml(err.message)}</Message>${extra}</Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
  return { status: err.status, headers: { "content-type": "text/xml", "x-lakewarden-error": err.code }, body: Buffer.from(body) };
}

// ---------------------------------------------------------------------------------------------------------------
// Services

/**
 * One operation. Handlers are synchronous (SQLite work); a write operation runs in one IMMEDIATE transaction, so
 * a failure half-way leaves nothing behind. Return undefined for operations whose answer has no Result element.
 */
export type QueryHandler = (params: QueryParams, ctx: ServiceContext, req: WireRequest) => Record<string, XmlValue> | undefined;

export interface QueryServiceDefinition {
  name: string;
  signingName: string;
  version: string;
  /** Defaults to `https://<signingName>.amazonaws.com/doc/<version>/`. */
  xmlns?: string;
  migrate(db: Database.Database): void;
  handlers: Record<string, QueryHandler>;
}

export function createQueryService(def: QueryServiceDefinition): EmbeddedService {
  const xmlns = def.xmlns ?? `https://${def.signingName}.amazonaws.com/doc/${def.version}/`;
  const actionOf = (req: WireRequest) => formParams(req).get("Action") ?? undefined;
  return {
    name: def.name,
    signingName: def.signingName,
    claims: (req) => isQueryRequest(req, def.version),
    operation: actionOf,
    migrate: (db) => def.migrate(db),
    async handle(req, ctx) {
      const action = actionOf(req);
      if (!action) throw new AwsError("MissingAction", "The request must contain the parameter Action.", 400);
      const handler = Object.hasOwn(def.handlers, action) ? def.handlers[action] : undefined;
      if (!handler) throw new AwsError("InvalidAction", `Could not find operation ${action} for version ${def.version}`, 400);
      const params = new QueryParams(parseQueryParams(formParams(req)));
      const run = () => handler(params, ctx, req);
      const result = isWriteOperation(action) ? writeTransaction(ctx.db, run) : run();
      return renderQueryResponse(action, result, xmlns, ctx.requestId);
    },
    renderError: (err, _req, ctx) => renderQueryError(err, xmlns, ctx.requestId),
  };
}
