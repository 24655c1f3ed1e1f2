import { invalidParameter, missing } from "./errors.js";

/**
 * Reading a request's members the same way whichever protocol carried them: the SDK's awsJson 1.0 gives numbers
 * (non-finite ones as "NaN"/"Infinity" strings) and epoch-second timestamps; the aws CLI's awsQuery gives strings
 * everywhere and ISO 8601 timestamps. `parameter` is the member's path as CloudWatch names it in its messages
 * (`MetricData.member.1.Value`).
 */

export type Input = Record<string, unknown>;

export function optionalString(value: unknown, parameter: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw invalidParameter(parameter, value);
  return value;
}

export function requiredString(value: unknown, parameter: string): string {
  const text = optionalString(value, parameter);
  if (text === undefined || text === "") throw missing(parameter);
  return text;
}

/** A double; NaN and ±Infinity arrive as strings from the SDK, and are refused here like CloudWatch refuses them. */
export function optionalNumber(value: unknown, parameter: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  const n = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : Number.NaN;
  if (!Number.isFinite(n)) throw invalidParameter(parameter, value);
  return n;
}

export function requiredNumber(value: unknown, parameter: string): number {
  const n = optionalNumber(value, parameter);
  if (n === undefined) throw missing(parameter);
  return n;
}

export function optionalInteger(value: unknown, parameter: string): number | undefined {
  const n = optionalNumber(value, parameter);
  if (n !== undefined && !Number.isInteger(n)) throw invalidParameter(parameter, value);
  return n;
}

export function optionalBoolean(value: unknown, parameter: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "boolean") return value;
  if (value === "true" || value === "false") return value === "true";
  throw invalidParameter(parameter, value);
}

/** A timestamp: epoch seconds (JSON), ISO 8601 (awsQuery), or a Date. */
export function optionalTime(value: unknown, parameter: string): Date | undefined {
  if (value === undefined || value === null) return undefined;
  let ms = Number.NaN;
  if (value instanceof Date) ms = value.getTime();
  else if (typeof value === "number") ms = value * 1000;
  else if (typeof value === "string") ms = /^-?\d+(\.\d+)?$/.test(value) ? Number(value) * 1000 : Date.parse(value);
  if (!Number.isFinite(ms)) throw invalidParameter(parameter, value);
  return new Date(ms);
}

export function requiredTime(value: unknown, parameter: string): Date {
  const time = optionalTime(value, parameter);
  if (time === undefined) throw missing(parameter);
  return time;
}

/** A list; awsQuery sends an empty list as `Name=` (an empty string). */
export function list(value: unknown, parameter: string): unknown[] {
  if (value === undefined || value === null || value === "") return [];
  if (!Array.isArray(value)) throw invalidParameter(parameter, value);
  return value;
}

export function struct(value: unknown, parameter: string): Input {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw invalidParameter(parameter, value);
  return value as Input;
}

export function optionalStruct(value: unknown, parameter: string): Input | undefined {
  return value === undefined || value === null ? undefined : struct(value, parameter);
}

/** `Parent.member.N` as CloudWatch writes list members in its messages (N from 1). */
export const member = (parent: string, index: number) => `${parent}.member.${index + 1}`;
