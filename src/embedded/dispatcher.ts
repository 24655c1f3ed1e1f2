import { randomUUID } from "node:crypto";
import type Database from "better-sqlite3";
import type { CallLog } from "./call-log.js";
import type { Faults } from "./faults.js";
import { AwsError, type WireRequest, type WireResponse } from "./protocols/types.js";
import type { EmbeddedService, ServiceContext } from "./service.js";

export interface DispatcherOptions {
  db: Database.Database;
  stateDir: string;
  accountId: string;
  region: string;
  services: EmbeddedService[];
  faults: Faults;
  calls: CallLog;
  /** Checks a request's signature (HTTP only); returns the error to answer with, if any. */
  authenticate?: (req: WireRequest, service: EmbeddedService) => AwsError | undefined;
}

/**
 * The one entry point of the embedded AWS, shared by the in-process SDK handler and the HTTP server: routes a
 * request to its service, applies injected faults, records the call, and turns errors into protocol responses.
 */
export class Dispatcher {
  constructor(private readonly options: DispatcherOptions) {}

  get services(): readonly EmbeddedService[] {
    return this.options.services;
  }

  async dispatch(req: WireRequest): Promise<WireResponse> {
    const started = performance.now();
    const service = this.route(req);
    if (!service) {
      return {
        status: 400,
        headers: { "content-type": "text/plain" },
        body: Buffer.from("lakewarden: no embedded service answers this request (unknown signing name or protocol)\n"),
      };
    }
    const ctx = this.context();
    const operation = service.operation(req) ?? "Unknown";
    let response: WireResponse;
    try {
      const authError = this.options.authenticate?.(req, service);
      if (authError) throw authError;
      await this.options.faults.apply(service.name, operation);
      response = await service.handle(req, ctx);
    } catch (err) {
      response = service.renderError(asAwsError(err), req, ctx);
    }
    response.headers["x-amz-request-id"] ??= ctx.requestId;
    response.headers["x-amzn-requestid"] ??= ctx.requestId;
    const error = response.status >= 300 ? (response.headers["x-lakewarden-error"] ?? String(response.status)) : undefined;
    delete response.headers["x-lakewarden-error"];
    this.options.calls.add({ service: service.name, operation, status: response.status, ...(error ? { error } : {}), ms: performance.now() - started });
    return response;
  }

  private route(req: WireRequest): EmbeddedService | undefined {
    const signingName = signingNameOf(req);
    if (signingName) return this.options.services.find((s) => s.signingName === signingName);
    return this.options.services.find((s) => s.claims(req));
  }

  private context(): ServiceContext {
    const { db, stateDir, accountId, region } = this.options;
    return { db, stateDir, accountId, region, requestId: randomUUID(), now: () => new Date() };
  }
}

/** The service in a SigV4 credential scope: `Credential=AKID/20250101/us-east-1/s3/aws4_request`. */
export function signingNameOf(req: WireRequest): string | undefined {
  const credential = /Credential=([^,\s]+)/.exec(req.headers.authorization ?? "")?.[1] ?? req.query.get("X-Amz-Credential") ?? undefined;
  return credential?.split("/")[3];
}

function asAwsError(err: unknown): AwsError {
  if (err instanceof AwsError) return err;
  const message = err instanceof Error ? err.message : String(err);
  // An unexpected failure is the service's fault, as AWS would say; the message helps whoever reads the log.
  return new AwsError("InternalError", `lakewarden embedded AWS: ${message}`, 500);
}
