import { AwsError } from "../../protocols/types.js";
import { decodeToken, encodeToken } from "../glue/api-common.js";

/**
 * What every Athena handler shares: Athena's error shapes and input checks. Athena's InvalidRequestException
 * carries the reason twice, in `AthenaErrorCode` and `ErrorCode` (INVALID_INPUT, QUERY_EXECUTION_NOT_FOUND,
 * IDEMPOTENT_PARAMETER_MISMATCH …); MetadataException (catalog reads) carries neither.
 */

export { sql } from "../glue/api-common.js";

export type AthenaErrorCode =
  | "INVALID_INPUT"
  | "IDEMPOTENT_PARAMETER_MISMATCH"
  | "QUERY_EXECUTION_NOT_FOUND"
  | "NAMED_QUERY_NOT_FOUND"
  | "INVALID_QUERY_EXECUTION_STATE"
  | "RESULT_NOT_FOUND";

export const invalidRequest = (message: string, code: AthenaErrorCode = "INVALID_INPUT") =>
  new AwsError("InvalidRequestException", message, 400, { AthenaErrorCode: code, ErrorCode: code });

export const resourceNotFound = (message: string, resourceName: string) => new AwsError("ResourceNotFoundException", message, 400, { ResourceName: resourceName });

export const metadataError = (message: string) => new AwsError("MetadataException", message);

export const tooManyRequests = (message: string) => new AwsError("TooManyRequestsException", message, 400, { Reason: "CONCURRENT_QUERY_LIMIT_EXCEEDED" });

/** The request framework's validation message (Athena's own words, member names in camelCase). */
export function validationError(member: string, constraint: string): AwsError {
  return invalidRequest(`1 validation error detected: Value at '${member}' failed to satisfy constraint: ${constraint}`);
}

const camel = (member: string) => member.charAt(0).toLowerCase() + member.slice(1);

/** A string member within Athena's length limits; undefined when optional and absent. */
export function optionalString(value: unknown, member: string, min: number, max: number): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw new AwsError("SerializationException", `${member}: STRING_VALUE expected`);
  if (value.length < min) throw validationError(camel(member), `Member must have length greater than or equal to ${min}`);
  if (value.length > max) throw validationError(camel(member), `Member must have length less than or equal to ${max}`);
  return value;
}

export function requiredString(value: unknown, member: string, min: number, max: number): string {
  const text = optionalString(value, member, min, max);
  if (text === undefined) throw validationError(camel(member), "Member must not be null");
  return text;
}

export function optionalBoolean(value: unknown, member: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "boolean") throw new AwsError("SerializationException", `${member}: BOOLEAN_VALUE expected`);
  return value;
}

/** MaxResults of the list operations: 1 to `max`, `max` when absent. */
export function pageSize(value: unknown, max: number, min = 1): number {
  if (value === undefined || value === null) return max;
  if (typeof value !== "number" || !Number.isInteger(value)) throw new AwsError("SerializationException", "STRING_VALUE can not be converted to an Integer");
  if (value < min) throw validationError("maxResults", `Member must have value greater than or equal to ${min}`);
  if (value > max) throw validationError("maxResults", `Member must have value less than or equal to ${max}`);
  return value;
}

/** A NextToken of ours: the keyset position after the last item of the previous page. */
export function pagePosition<T>(token: unknown): T | undefined {
  if (token === undefined || token === null) return undefined;
  if (token === "") throw validationError("nextToken", "Member must have length greater than or equal to 1");
  try {
    return decodeToken<T>(token);
  } catch {
    throw invalidRequest(`The nextPageToken is malformed: ${String(token)}`);
  }
}

export const pageToken = (position: unknown): string => encodeToken(position);

/** ClientRequestToken: 32 to 128 characters (the SDKs fill in a UUID when the caller gives none). */
export function clientRequestToken(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string" || value.length < 32) throw validationError("clientRequestToken", "Member must have length greater than or equal to 32");
  if (value.length > 128) throw validationError("clientRequestToken", "Member must have length less than or equal to 128");
  return value;
}

export const idempotentMismatch = () => invalidRequest("Idempotent parameters do not match", "IDEMPOTENT_PARAMETER_MISMATCH");

/** A list member of at most `max` items (BatchGet* ids, tag keys …). */
export function stringList(value: unknown, member: string, min: number, max: number): string[] {
  if (value === undefined || value === null) value = [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) throw new AwsError("SerializationException", `${member}: a list of strings expected`);
  if (value.length < min) throw validationError(camel(member), `Member must have length greater than or equal to ${min}`);
  if (value.length > max) throw validationError(camel(member), `Member must have length less than or equal to ${max}`);
  return value as string[];
}

/** An `s3://bucket/prefix` location, split; undefined when it is not one. */
export function parseS3Uri(uri: string): { bucket: string; key: string } | undefined {
  const match = /^s3:\/\/([^/]+)(?:\/(.*))?$/.exec(uri);
  if (!match || !match[1]) return undefined;
  return { bucket: match[1], key: match[2] ?? "" };
}

export const nowSeconds = (now: Date) => now.getTime() / 1000;
export const toDate = (seconds: number) => new Date(Math.round(seconds * 1000));
