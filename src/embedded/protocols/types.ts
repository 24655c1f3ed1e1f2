import type { Readable } from "node:stream";

/**
 * A request as the embedded AWS sees it, whether it came over HTTP or from an SDK client in the same process.
 * Protocol parsers (rest-xml, query, json) turn it into an operation and its input; services never see HTTP.
 */
export interface WireRequest {
  method: string;
  /** Path without the query string, still percent-encoded (S3 keys must be decoded by the protocol, once). */
  path: string;
  query: URLSearchParams;
  /** Header names lowercased. */
  headers: Record<string, string>;
  body: Buffer;
  /** Host header value, e.g. `bucket.localhost:4566` for virtual-host style S3. */
  host: string;
}

export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer | Readable;
}

/** An AWS error as a service raises it; each protocol renders it the way AWS's SDKs parse it. */
export class AwsError extends Error {
  constructor(
    /** AWS's error code, e.g. NoSuchBucket, NoSuchEntity, EntityNotFoundException. */
    readonly code: string,
    message: string,
    /** HTTP status. */
    readonly status = 400,
    /** Extra fields some errors carry (S3's BucketName, Key …). */
    readonly fields: Record<string, string> = {},
    /** Whether the caller (Sender) or the service (Receiver) is at fault. */
    readonly fault: "Sender" | "Receiver" = status >= 500 ? "Receiver" : "Sender",
  ) {
    super(message);
    this.name = code;
  }
}
