import { createHash, randomBytes } from "node:crypto";
import { AwsError } from "../../protocols/types.js";

/** S3's rules for bucket names and object keys, and the identifiers S3 makes up (version and upload ids). */

const RESERVED_PREFIXES = ["xn--", "sthree-", "amzn-s3-demo-"];
const RESERVED_SUFFIXES = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"];

/** Why a bucket name breaks AWS's general-purpose bucket naming rules, or undefined when it is valid. */
export function bucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) return "must be between 3 and 63 characters long";
  if (!/^[a-z0-9.-]+$/.test(name)) return "may contain only lowercase letters, numbers, dots and hyphens";
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) return "must begin and end with a letter or number";
  if (name.includes("..")) return "must not contain two adjacent periods";
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) return "must not be formatted as an IP address";
  if (RESERVED_PREFIXES.some((p) => name.startsWith(p))) return "must not start with a reserved prefix";
  if (RESERVED_SUFFIXES.some((s) => name.endsWith(s))) return "must not end with a reserved suffix";
  return undefined;
}

export function requireValidBucketName(name: string): void {
  if (bucketNameProblem(name)) throw new AwsError("InvalidBucketName", "The specified bucket is not valid.", 400, { BucketName: name });
}

const MAX_KEY_BYTES = 1024;

/**
 * Refuses keys that cannot be stored safely as files under the bucket folder: `.`/`..` segments, absolute-looking
 * keys, NUL. Backslashes count as separators for this check so a key is safe on any filesystem.
 */
export function requireSafeKey(key: string): void {
  if (!key) throw new AwsError("InvalidArgument", "The object key must not be empty.", 400, { ArgumentName: "key" });
  if (Buffer.byteLength(key, "utf8") > MAX_KEY_BYTES) {
    throw new AwsError("KeyTooLongError", "Your key is too long", 400, { MaxSizeAllowed: String(MAX_KEY_BYTES), Size: String(Buffer.byteLength(key, "utf8")) });
  }
  const refuse = (why: string) => new AwsError("InvalidArgument", `lakewarden refuses the object key "${key.replace(/\0/g, "\\0")}": ${why}`, 400, { ArgumentName: "key", ArgumentValue: key.replace(/\0/g, "") });
  if (key.includes("\0")) throw refuse("it contains a NUL character");
  if (key.startsWith("/") || key.startsWith("\\") || /^[A-Za-z]:[\\/]/.test(key)) throw refuse("it looks like an absolute path");
  if (key.split(/[\\/]/).some((segment) => segment === "." || segment === "..")) {
    throw refuse("a '.' or '..' path segment would escape the bucket folder");
  }
}

/** A version id in AWS's style: 32 URL-safe characters. */
export function newVersionId(): string {
  return randomBytes(24).toString("base64url");
}

/** A multipart upload id: long and opaque, as on AWS. */
export function newUploadId(): string {
  return randomBytes(48).toString("base64url");
}

/** The account's canonical user id (64 hex characters), as S3 shows owners. */
export function canonicalUserId(accountId: string): string {
  return createHash("sha256").update(`lakewarden:${accountId}`).digest("hex");
}

export function ownerOf(accountId: string): { ID: string; DisplayName: string } {
  return { ID: canonicalUserId(accountId), DisplayName: "lakewarden" };
}
