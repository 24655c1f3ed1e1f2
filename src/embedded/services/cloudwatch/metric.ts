import { invalidParameter, invalidValue } from "./errors.js";
import { list, member, optionalString, requiredString, struct } from "./input.js";

/** A metric's identity: namespace, name and dimension set (dimension order does not matter, as on CloudWatch). */

export interface Dimension {
  Name: string;
  Value: string;
}

export interface MetricId {
  Namespace: string;
  MetricName: string;
  Dimensions: Dimension[];
}

export const UNITS = new Set([
  "Seconds", "Microseconds", "Milliseconds",
  "Bytes", "Kilobytes", "Megabytes", "Gigabytes", "Terabytes",
  "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits",
  "Percent", "Count",
  "Bytes/Second", "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second",
  "Bits/Second", "Kilobits/Second", "Megabits/Second", "Gigabits/Second", "Terabits/Second",
  "Count/Second", "None",
]);

export const MAX_DIMENSIONS = 30;

// eslint-disable-next-line no-control-regex
const ASCII = /^[\x00-\x7f]*$/;

function checkLength(text: string, max: number, parameter: string): string {
  if (text.length > max) throw invalidValue(`The parameter ${parameter} must be shorter than ${max + 1} characters.`);
  return text;
}

/** Namespace: 1–255 characters, not starting with `:`; `AWS/` is reserved for AWS's own services when writing. */
export function namespaceOf(value: unknown, parameter: string, forWrite: boolean): string {
  const namespace = checkLength(requiredString(value, parameter), 255, parameter);
  if (namespace.startsWith(":") || !ASCII.test(namespace)) throw invalidParameter(parameter, namespace);
  if (forWrite && namespace.startsWith("AWS/")) throw invalidValue(`The value AWS/ for parameter ${parameter} is invalid.`);
  return namespace;
}

export function metricNameOf(value: unknown, parameter: string): string {
  return checkLength(requiredString(value, parameter), 255, parameter);
}

export function optionalNamespace(value: unknown, parameter: string): string | undefined {
  return optionalString(value, parameter) === undefined ? undefined : namespaceOf(value, parameter, false);
}

function dimensionName(value: unknown, parameter: string): string {
  const name = checkLength(requiredString(value, parameter), 255, parameter);
  if (!ASCII.test(name) || name.trim() === "" || name.startsWith(":")) throw invalidParameter(parameter, name);
  return name;
}

/** The dimensions of a metric (each Name once, a Value each), sorted by name: the canonical dimension set. */
export function dimensionsOf(value: unknown, parameter: string): Dimension[] {
  const items = list(value, parameter);
  if (items.length > MAX_DIMENSIONS) throw invalidValue(`The collection ${parameter} must not have a size greater than ${MAX_DIMENSIONS}.`);
  const seen = new Set<string>();
  const dimensions = items.map((item, i) => {
    const at = member(parameter, i);
    const d = struct(item, at);
    const Name = dimensionName(d.Name, `${at}.Name`);
    const Value = checkLength(requiredString(d.Value, `${at}.Value`), 1024, `${at}.Value`);
    if (seen.has(Name)) throw invalidValue(`The collection ${parameter} must not have duplicate dimension names; ${Name} appears twice.`);
    seen.add(Name);
    return { Name, Value };
  });
  return dimensions.sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0));
}

/** ListMetrics' dimension filters: a Name, and a Value only when the value must match too. */
export function dimensionFiltersOf(value: unknown, parameter: string): { Name: string; Value?: string }[] {
  const items = list(value, parameter);
  if (items.length > 10) throw invalidValue(`The collection ${parameter} must not have a size greater than 10.`);
  return items.map((item, i) => {
    const at = member(parameter, i);
    const d = struct(item, at);
    const Value = optionalString(d.Value, `${at}.Value`);
    return { Name: dimensionName(d.Name, `${at}.Name`), ...(Value === undefined ? {} : { Value }) };
  });
}

export function unitOf(value: unknown, parameter: string): string | undefined {
  const unit = optionalString(value, parameter);
  if (unit !== undefined && !UNITS.has(unit)) throw invalidParameter(parameter, unit);
  return unit;
}

/** The key that identifies a dimension set in the store: the sorted pairs as JSON. */
export const dimensionsKey = (dimensions: Dimension[]) => JSON.stringify(dimensions.map((d) => [d.Name, d.Value]));

export function metricOf(value: unknown, parameter: string): MetricId {
  const m = struct(value, parameter);
  return {
    Namespace: namespaceOf(m.Namespace, `${parameter}.Namespace`, false),
    MetricName: metricNameOf(m.MetricName, `${parameter}.MetricName`),
    Dimensions: dimensionsOf(m.Dimensions, `${parameter}.Dimensions`),
  };
}
