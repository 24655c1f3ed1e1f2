import { invalidNextToken } from "./errors.js";

/** NextToken: an opaque position, base64url JSON; anything that does not decode to the expected shape is refused. */

export function encodeToken(position: unknown): string {
  return Buffer.from(JSON.stringify(position), "utf8").toString("base64url");
}

export function decodeToken<T>(token: unknown, isValid: (value: unknown) => value is T): T | undefined {
  if (token === undefined || token === null || token === "") return undefined;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(String(token), "base64url").toString("utf8"));
  } catch {
    throw invalidNextToken();
  }
  if (!isValid(value)) throw invalidNextToken();
  return value;
}

export const isNonNegativeInteger = (value: unknown): value is number => typeof value === "number" && Number.isInteger(value) && value >= 0;
