import { userError } from "./errors.js";
import type { PartitionCandidate } from "./partition-source.js";
import type { AstNode } from "./query-ast.js";
import { parseS3Location } from "./s3-files.js";
import type { TableModel } from "./table-model.js";

/**
 * Partition projection (TBLPROPERTIES `projection.*`): the partitions are computed from the table's properties, not
 * read from the catalog. Types enum, integer, date and injected; locations from `storage.location.template` or
 * `<location>/<key>=<value>/…`. Values outside the projection give no partition, so no rows.
 */

const MAX_PARTITIONS = 1_000_000;

export function projectionEnabled(model: TableModel): boolean {
  return (model.parameters["projection.enabled"] ?? "").trim().toLowerCase() === "true" && model.partitionKeys.length > 0;
}

export function projectedPartitions(model: TableModel, conjuncts: AstNode[], now: Date): PartitionCandidate[] {
  const valueLists = model.partitionKeys.map((key) => valuesOf(model, key.name, conjuncts, now));
  const total = valueLists.reduce((n, list) => n * list.length, 1);
  if (total > MAX_PARTITIONS) {
    throw userError("HIVE_EXCEEDED_PARTITION_LIMIT", `Query over table '${model.database}.${model.name}' can potentially read more than ${MAX_PARTITIONS} partitions.`);
  }
  let combos: string[][] = [[]];
  for (const list of valueLists) combos = combos.flatMap((prefix) => list.map((v) => [...prefix, v]));
  return combos.map((values) => ({ values, location: parseS3Location(locationOf(model, values)) }));
}

function property(model: TableModel, name: string): string | undefined {
  const value = model.parameters[name];
  return value === undefined ? undefined : value.trim();
}

function valuesOf(model: TableModel, column: string, conjuncts: AstNode[], now: Date): string[] {
  const prefix = `projection.${column}.`;
  const type = property(model, `${prefix}type`)?.toLowerCase();
  const invalid = (why: string) => userError("HIVE_METASTORE_ERROR", `Invalid partition projection for column '${column}' of table '${model.database}.${model.name}': ${why}`);
  switch (type) {
    case "enum": {
      const values = property(model, `${prefix}values`);
      if (!values) throw invalid(`${prefix}values is required`);
      return values.split(",").map((v) => v.trim());
    }
    case "integer": {
      const [low, high] = (property(model, `${prefix}range`) ?? "").split(",").map((v) => Number(v.trim()));
      if (!Number.isInteger(low) || !Number.isInteger(high)) throw invalid(`${prefix}range must be two integers`);
      const step = Number(property(model, `${prefix}interval`) ?? "1");
      const digits = Number(property(model, `${prefix}digits`) ?? "0");
      const out: string[] = [];
      for (let v = low!; v <= high!; v += step > 0 ? step : 1) out.push(digits > 0 ? String(v).padStart(digits, "0") : String(v));
      return out;
    }
    case "date":
      return dateValues(model, column, now, invalid);
    case "injected": {
      const values = injectedValues(column, conjuncts);
      if (values.length === 0) {
        throw userError(
          "CONSTRAINT_VIOLATION",
          `For the injected projected partition column ${column}, the WHERE clause must contain only static equality conditions, and at least one such condition must be present.`,
        );
      }
      return values;
    }
    default:
      throw invalid(`${prefix}type must be enum, integer, date or injected`);
  }
}

/** The location of a projected partition: the template with `${key}` filled in, or Hive-style folders. */
function locationOf(model: TableModel, values: string[]): string | undefined {
  const template = property(model, "storage.location.template");
  if (template) {
    return model.partitionKeys.reduce((text, key, i) => text.replaceAll(`\${${key.name}}`, values[i]!), template);
  }
  if (!model.location) return undefined;
  const base = model.location.endsWith("/") ? model.location : `${model.location}/`;
  return base + model.partitionKeys.map((k, i) => `${k.name}=${values[i]}`).join("/") + "/";
}

/** Literal values a column is compared with for equality (`c = 'x'`, `c IN ('x', 'y')`). */
function injectedValues(column: string, conjuncts: AstNode[]): string[] {
  const isColumn = (node: unknown) => {
    const n = node as AstNode | undefined;
    const names = n?.class === "COLUMN_REF" ? (n.column_names as string[]) : undefined;
    return names !== undefined && names[names.length - 1]!.toLowerCase() === column;
  };
  const constant = (node: unknown): string | undefined => {
    const n = node as AstNode | undefined;
    if (n?.class !== "CONSTANT") return undefined;
    const value = (n.value as { value?: unknown; is_null?: boolean } | undefined)?.value;
    return value === undefined || value === null ? undefined : String(value);
  };
  const out: string[] = [];
  for (const c of conjuncts) {
    if (c.class === "COMPARISON" && c.type === "COMPARE_EQUAL") {
      const value = isColumn(c.left) ? constant(c.right) : isColumn(c.right) ? constant(c.left) : undefined;
      if (value !== undefined) out.push(value);
    } else if (c.type === "COMPARE_IN" && Array.isArray(c.children) && isColumn(c.children[0])) {
      for (const child of c.children.slice(1)) {
        const value = constant(child);
        if (value !== undefined) out.push(value);
      }
    }
  }
  return [...new Set(out)];
}

type Unit = "YEARS" | "MONTHS" | "WEEKS" | "DAYS" | "HOURS" | "MINUTES" | "SECONDS";
const UNITS: Unit[] = ["YEARS", "MONTHS", "WEEKS", "DAYS", "HOURS", "MINUTES", "SECONDS"];

function dateValues(model: TableModel, column: string, now: Date, invalid: (why: string) => Error): string[] {
  const prefix = `projection.${column}.`;
  const format = property(model, `${prefix}format`);
  if (!format) throw invalid(`${prefix}format is required`);
  const bounds = (property(model, `${prefix}range`) ?? "").split(",").map((v) => v.trim());
  if (bounds.length !== 2) throw invalid(`${prefix}range must be two dates`);
  const [start, end] = bounds.map((b) => (b.toUpperCase().startsWith("NOW") ? relativeDate(b, now) : parseDate(b, format))) as [Date | undefined, Date | undefined];
  if (!start || !end) throw invalid(`${prefix}range '${bounds.join(",")}' does not match the format '${format}'`);
  const step = Number(property(model, `${prefix}interval`) ?? "1");
  const unitText = (property(model, `${prefix}interval.unit`) ?? finestUnit(format)).toUpperCase();
  const unit = UNITS.find((u) => u === unitText || u === `${unitText}S`);
  if (!unit || !(step > 0)) throw invalid(`${prefix}interval must be a positive number of ${UNITS.join(", ")}`);
  const out: string[] = [];
  for (let d = new Date(start); d <= end; d = addUnits(d, unit, step)) {
    out.push(formatDate(d, format));
    if (out.length > MAX_PARTITIONS) break;
  }
  return out;
}

/** `NOW`, `NOW-3YEARS`, `NOW+1DAY`. */
function relativeDate(text: string, now: Date): Date | undefined {
  const match = /^NOW\s*(?:([+-])\s*(\d+)\s*([A-Z]+))?$/i.exec(text);
  if (!match) return undefined;
  if (!match[1]) return new Date(now);
  const unitText = match[3]!.toUpperCase();
  const unit = UNITS.find((u) => u === unitText || u === `${unitText}S`);
  if (!unit) return undefined;
  return addUnits(now, unit, (match[1] === "-" ? -1 : 1) * Number(match[2]));
}

function addUnits(date: Date, unit: Unit, n: number): Date {
  const d = new Date(date);
  switch (unit) {
    case "YEARS":
      d.setUTCFullYear(d.getUTCFullYear() + n);
      break;
    case "MONTHS":
      d.setUTCMonth(d.getUTCMonth() + n);
      break;
    case "WEEKS":
      d.setUTCDate(d.getUTCDate() + 7 * n);
      break;
    case "DAYS":
      d.setUTCDate(d.getUTCDate() + n);
      break;
    case "HOURS":
      d.setUTCHours(d.getUTCHours() + n);
      break;
    case "MINUTES":
      d.setUTCMinutes(d.getUTCMinutes() + n);
      break;
    case "SECONDS":
      d.setUTCSeconds(d.getUTCSeconds() + n);
      break;
  }
  return d;
}

/** Java DateTimeFormatter patterns, the subset projections use: y M d H m s and quoted literals. */
type Piece = { field: "y" | "M" | "d" | "H" | "m" | "s"; width: number } | { literal: string };

function pieces(format: string): Piece[] {
  const out: Piece[] = [];
  for (let i = 0; i < format.length; ) {
    const c = format[i]!;
    if (c === "'") {
      const close = format.indexOf("'", i + 1);
      const end = close < 0 ? format.length : close;
      out.push({ literal: end === i + 1 ? "'" : format.slice(i + 1, end) });
      i = end + 1;
    } else if ("yMdHms".includes(c)) {
      let j = i;
      while (format[j] === c) j++;
      out.push({ field: c as "y", width: j - i });
      i = j;
    } else {
      out.push({ literal: c });
      i++;
    }
  }
  return out;
}

function finestUnit(format: string): Unit {
  const fields = new Set(pieces(format).flatMap((p) => ("field" in p ? [p.field] : [])));
  if (fields.has("s")) return "SECONDS";
  if (fields.has("m")) return "MINUTES";
  if (fields.has("H")) return "HOURS";
  if (fields.has("d")) return "DAYS";
  if (fields.has("M")) return "MONTHS";
  return "YEARS";
}

export function formatDate(date: Date, format: string): string {
  const value = { y: date.getUTCFullYear(), M: date.getUTCMonth() + 1, d: date.getUTCDate(), H: date.getUTCHours(), m: date.getUTCMinutes(), s: date.getUTCSeconds() };
  return pieces(format)
    .map((p) => {
      if ("literal" in p) return p.literal;
      const n = value[p.field];
      return p.field === "y" && p.width === 2 ? String(n % 100).padStart(2, "0") : String(n).padStart(p.width, "0");
    })
    .join("");
}

export function parseDate(text: string, format: string): Date | undefined {
  const fields: Record<string, number> = { y: 1970, M: 1, d: 1, H: 0, m: 0, s: 0 };
  let i = 0;
  for (const p of pieces(format)) {
    if ("literal" in p) {
      if (!text.startsWith(p.literal, i)) return undefined;
      i += p.literal.length;
      continue;
    }
    const digits = p.field === "y" && p.width !== 2 ? /^\d{1,9}/.exec(text.slice(i)) : new RegExp(`^\\d{1,${Math.max(p.width, 2)}}`).exec(text.slice(i));
    if (!digits) return undefined;
    fields[p.field] = Number(digits[0]) + (p.field === "y" && p.width === 2 ? 2000 : 0);
    i += digits[0].length;
  }
  if (i !== text.length) return undefined;
  return new Date(Date.UTC(fields.y!, fields.M! - 1, fields.d!, fields.H!, fields.m!, fields.s!));
}
