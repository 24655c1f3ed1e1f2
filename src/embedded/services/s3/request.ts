import type { WireRequest, WireResponse } from "../../protocols/types.js";
import type { ServiceContext } from "../../service.js";
import type { S3Files } from "./files.js";

/** What an S3 operation handler gets: the wire request, the addressed bucket and key, state and files. */
export interface S3Request {
  wire: WireRequest;
  ctx: ServiceContext;
  files: S3Files;
  /** "" for ListBuckets. */
  bucket: string;
  /** "" for bucket operations. */
  key: string;
}

export type S3Handler = (req: S3Request) => WireResponse | Promise<WireResponse>;

/** Now, in whole seconds: S3 keeps Last-Modified at second precision, so If-Modified-Since round-trips. */
export function nowSeconds(ctx: ServiceContext): string {
  const now = ctx.now();
  now.setUTCMilliseconds(0);
  return now.toISOString();
}

/** The region in the request's SigV4 credential scope (`Credential=AKID/date/region/s3/aws4_request`), if signed. */
export function signingRegion(req: S3Request): string | undefined {
  const credential = /Credential=([^,\s]+)/.exec(req.wire.headers.authorization ?? "")?.[1] ?? req.wire.query.get("X-Amz-Credential") ?? undefined;
  return credential?.split("/")[2];
}
