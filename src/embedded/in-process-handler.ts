import { Readable } from "node:stream";
import type { Dispatcher } from "./dispatcher.js";
import type { WireRequest } from "./protocols/types.js";

/** The parts of @smithy/protocol-http's HttpRequest that the SDK hands to a request handler. */
interface SdkHttpRequest {
  method: string;
  hostname: string;
  port?: number;
  path: string;
  query?: Record<string, string | string[] | null>;
  headers: Record<string, string>;
  body?: unknown;
}

/**
 * A `requestHandler` for the AWS SDK v3 clients that answers from the embedded AWS in the same process: no socket,
 * but the SDK's own serializers, middleware, retries and error parsing all run, exactly as against AWS.
 */
export class InProcessHandler {
  readonly metadata = { handlerProtocol: "http/1.1" };

  constructor(private readonly dispatcher: Dispatcher) {}

  async handle(request: SdkHttpRequest): Promise<{ response: { statusCode: number; reason?: string; headers: Record<string, string>; body: Readable } }> {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(request.query ?? {})) {
      if (value === null) query.append(key, "");
      else for (const v of Array.isArray(value) ? value : [value]) query.append(key, v);
    }
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(request.headers)) headers[key.toLowerCase()] = value;
    const host = headers.host ?? `${request.hostname}${request.port ? `:${request.port}` : ""}`;
    const wire: WireRequest = { method: request.method, path: request.path, query, headers, body: await collect(request.body), host };
    const response = await this.dispatcher.dispatch(wire);
    const body = Buffer.isBuffer(response.body) ? Readable.from(response.body.length ? [response.body] : []) : response.body;
    return { response: { statusCode: response.status, headers: response.headers, body } };
  }

  updateHttpClientConfig(): void {}

  httpHandlerConfigs(): Record<string, never> {
    return {};
  }

  destroy(): void {}
}

async function collect(body: unknown): Promise<Buffer> {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (typeof body === "string") return Buffer.from(body);
  if (Buffer.isBuffer(body)) return body;
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] === "function") {
    const chunks: Buffer[] = [];
    for await (const chunk of body as AsyncIterable<Buffer | string | Uint8Array>) {
      chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : Buffer.from(chunk));
    }
    return Buffer.concat(chunks);
  }
  throw new Error(`unsupported request body type: ${Object.prototype.toString.call(body)}`);
}
