import { AwsError, type WireRequest } from "../../protocols/types.js";

/**
 * Which bucket and key a request addresses. Virtual-host style puts the bucket in the Host
 * (`b.s3.us-east-1.amazonaws.com`, `b.s3.amazonaws.com`, `b.localhost:4566`); path style puts it first in the path
 * (`s3.us-east-1.amazonaws.com/b/key`, `127.0.0.1:4566/b/key`).
 */
export interface Address {
  bucket?: string;
  key?: string;
}

const AWS_HOST = /^(?:(.+?)\.)?s3(?:[.-](?:dualstack\.)?[a-z0-9-]+)?\.amazonaws\.com(?:\.cn)?$/;
const LOCALHOST = /^(.+)\.localhost$/;

/** The bucket named by the Host header, if it is virtual-host style. */
export function bucketFromHost(host: string): string | undefined {
  const name = host
    .replace(/:\d+$/, "")
    .replace(/\.$/, "")
    .toLowerCase();
  return AWS_HOST.exec(name)?.[1] ?? LOCALHOST.exec(name)?.[1];
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new AwsError("InvalidURI", "Couldn't parse the specified URI.", 400);
  }
}

export function addressOf(req: WireRequest): Address {
  const path = req.path.startsWith("/") ? req.path.slice(1) : req.path;
  const hostBucket = bucketFromHost(req.host);
  if (hostBucket) return path ? { bucket: hostBucket, key: decode(path) } : { bucket: hostBucket };
  if (!path) return {};
  const slash = path.indexOf("/");
  if (slash < 0) return { bucket: decode(path) };
  const key = path.slice(slash + 1);
  return key ? { bucket: decode(path.slice(0, slash)), key: decode(key) } : { bucket: decode(path.slice(0, slash)) };
}
