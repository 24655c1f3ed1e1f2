import type Database from "better-sqlite3";
import type { EmbeddedService, ServiceContext } from "../service.js";
import { AwsError, type WireRequest, type WireResponse } from "./types.js";

/**
 * The awsJson protocols (1.1: Glue, Athena; 1.0 query-compatible: CloudWatch): `POST /` with
 * `X-Amz-Target: <Prefix>.<Operation>` and a JSON body; errors as `{"__type": "...", "Message": "..."}`.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each handler validates its own input
export type JsonHandler = (input: any, ctx: ServiceContext, req: WireRequest) => unknown;

export interface JsonServiceDefinition {
  name: string;
  signingName: string;
  /** X-Amz-Target prefix: `AWSGlue`, `AmazonAthena`, `GraniteServiceVersion20100801`. */
  targetPrefix: string;
  version: "1.0" | "1.1";
  /** awsQueryCompatible services also send the error code in `x-amzn-query-error`. */
  queryCompatible?: boolean;
  migrate(db: Database.Database): void;
  handlers: Record<string, JsonHandler>;
}

export function createJsonService(def: JsonServiceDefinition): EmbeddedService {
  const contentType = `application/x-amz-json-${def.version}`;
  const operationOf = (req: WireRequest) => {
    const target = req.headers["x-amz-target"] ?? "";
    return target.startsWith(`${def.targetPrefix}.`) ? target.slice(def.targetPrefix.length + 1) : undefined;
  };
  return {
    name: def.name,
    signingName: def.signingName,
    claims: (req) => operationOf(req) !== undefined,
    operation: operationOf,
    migrate: def.migrate,
    async handle(req, ctx): Promise<WireResponse> {
      const operation = operationOf(req);
      const handler = operation === undefined ? undefined : def.handlers[operation];
      if (!handler) throw new AwsError("UnknownOperationException", `Operation ${operation ?? "(none)"} is not supported by the embedded ${def.name}.`);
      let input: unknown;
      try {
        input = req.body.length ? JSON.parse(req.body.toString("utf8")) : {};
      } catch {
        throw new AwsError("SerializationException", "The request body is not valid JSON.");
      }
      const output = (await handler(input ?? {}, ctx, req)) ?? {};
      return { status: 200, headers: { "content-type": contentType }, body: Buffer.from(toJson(output)) };
    },
    renderError(err: AwsError): WireResponse {
      const headers: Record<string, string> = {
        "content-type": contentType,
        "x-amzn-errortype": err.code,
        "x-lakewarden-error": err.code,
      };
      if (def.queryCompatible) headers["x-amzn-query-error"] = `${err.code};${err.fault}`;
      return { status: err.status, headers, body: Buffer.from(JSON.stringify({ __type: err.code, Message: err.message, ...err.fields })) };
    },
  };
}

/** JSON as the awsJson protocols write it: timestamps as epoch seconds (with milliseconds as the fraction). */
export function toJson(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key: string, v: unknown) {
    const raw = this[key];
    return raw instanceof Date ? raw.getTime() / 1000 : v;
  });
}
