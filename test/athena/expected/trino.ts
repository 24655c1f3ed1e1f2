/**
 * Trino semantics and Athena renderings the expected results need, in plain TypeScript: how a double prints, how
 * round(x, d) rounds, how varchar sorts, and the cells whose value is an estimate or depends on the order in which a
 * double sum was added up.
 */

/** An expected result cell: an exact rendering, SQL NULL, or a rule the engine's rendering must satisfy. */
export type Cell =
  | string
  | null
  /** A rounded ratio exactly halfway between two renderings: float error in the engine decides which one. */
  | { oneOf: string[] }
  /** approx_distinct: the exact count, within three of Trino's standard errors (2.3 %). */
  | { approxCount: number }
  /** approx_percentile rounded to `places`: a value between the data values at the ranks around the quantile. */
  | { between: [number, number]; places: number };

export interface ExpectedColumn {
  name: string;
  /** Trino type name, as Athena's ColumnInfo.Type gives it. */
  type: string;
}

export interface ExpectedResult {
  columns: ExpectedColumn[];
  /** In the query's ORDER BY order (every saved query orders by a unique key). */
  rows: Cell[][];
}

/** Java's Double.toString, which Athena uses for double values: `1.0`, `12.5`, `0.001`, `1.23E7`, `1.0E-4`. */
export function javaDouble(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "Infinity" : "-Infinity";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const sign = x < 0 ? "-" : "";
  const abs = Math.abs(x);
  // toExponential() with no argument gives the shortest digits that read back as the same double, as Java does.
  const [mantissa, exp] = abs.toExponential().split("e") as [string, string];
  const digits = mantissa.replace(".", "");
  const exponent = Number(exp);
  if (abs >= 1e-3 && abs < 1e7) {
    if (exponent >= 0) {
      const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, "0");
      const fraction = digits.slice(exponent + 1) || "0";
      return `${sign}${whole}.${fraction}`;
    }
    return `${sign}0.${"0".repeat(-exponent - 1)}${digits}`;
  }
  return `${sign}${digits[0]}.${digits.slice(1) || "0"}E${exponent}`;
}

/**
 * round(num / den, places) for integers num ≥ 0 and den > 0, rendered as Athena renders the double. The exact ratio
 * decides the rounding, so the answer does not depend on how the engine summed the doubles; only a ratio exactly
 * halfway between two roundings is ambiguous (the engine's float error picks the side), and then both are accepted.
 * Trino rounds half away from zero: Math.round(x * 10^d) / 10^d.
 */
export function roundRatio(num: number, den: number, places: number): Cell {
  if (!Number.isSafeInteger(num) || !Number.isSafeInteger(den) || num < 0 || den <= 0) throw new Error(`roundRatio(${num}, ${den}): expected integers num ≥ 0, den > 0`);
  const scale = 10 ** places;
  const scaled = BigInt(num) * BigInt(scale);
  const q = scaled / BigInt(den);
  const twice = 2n * (scaled - q * BigInt(den));
  const render = (k: bigint) => javaDouble(Number(k) / scale);
  if (twice > BigInt(den)) return render(q + 1n);
  if (twice < BigInt(den)) return render(q);
  return { oneOf: [render(q), render(q + 1n)] };
}

/** A JSON price as integer cents; the seed's prices have at most two decimals (checked, so a change cannot slip by). */
export function cents(price: number): number {
  const c = Math.round(price * 100);
  if (Math.abs(c - price * 100) > 1e-6) throw new Error(`price ${price} has more than two decimals: the expected results compute money in cents`);
  return c;
}

/** Trino orders varchar by code point (UTF-8 byte order); JS `<` compares UTF-16 units, which differs above U+FFFF. */
export function compareVarchar(a: string, b: string): number {
  const ca = [...a].map((c) => c.codePointAt(0)!);
  const cb = [...b].map((c) => c.codePointAt(0)!);
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) if (ca[i] !== cb[i]) return ca[i]! - cb[i]!;
  return ca.length - cb.length;
}

/** max()/min() of varchar values, nulls ignored; null when there is none. */
export function maxVarchar(values: (string | null)[]): string | null {
  return values.reduce<string | null>((m, v) => (v === null ? m : m === null || compareVarchar(v, m) > 0 ? v : m), null);
}
export function minVarchar(values: (string | null)[]): string | null {
  return values.reduce<string | null>((m, v) => (v === null ? m : m === null || compareVarchar(v, m) < 0 ? v : m), null);
}

/** Java's Character.isWhitespace, which Trino's trim() strips (unlike JS trim, not the no-break spaces). */
const JAVA_WHITESPACE = "[\\t\\n\\u000B\\f\\r\\u001C-\\u001F \\u1680\\u2000-\\u2006\\u2008-\\u200A\\u2028\\u2029\\u205F\\u3000]";
const TRIM = new RegExp(`^${JAVA_WHITESPACE}+|${JAVA_WHITESPACE}+$`, "g");
export function trinoTrim(s: string): string {
  return s.replace(TRIM, "");
}

/** from_iso8601_timestamp as epoch milliseconds (the seed's timestamps are ISO 8601 in UTC, `…Z`). */
export function isoMillis(timestamp: string): number {
  const ms = Date.parse(timestamp);
  if (Number.isNaN(ms)) throw new Error(`not an ISO 8601 timestamp: ${timestamp}`);
  return ms;
}

/** date(ts) of a UTC timestamp with time zone, as Athena renders a date. */
export function utcDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function utcHour(ms: number): number {
  return new Date(ms).getUTCHours();
}

/**
 * The accepted range of approx_percentile(x, q): the data values at the ranks q·n ± 1 % of n (Trino's default
 * accuracy), widened by one rank on each side for the different rank conventions (nearest rank, interpolation).
 * An estimate that lies outside is wrong, whatever sketch produced it.
 */
export function percentileBounds(values: number[], q: number, places: number): Cell {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const clamp = (i: number) => Math.min(n - 1, Math.max(0, i));
  const lo = sorted[clamp(Math.floor((q - 0.01) * n) - 1)]!;
  const hi = sorted[clamp(Math.ceil((q + 0.01) * n))]!;
  return { between: [lo, hi], places };
}

/** approx_distinct of the non-null values. */
export function approxDistinct(values: (string | null)[]): Cell {
  return { approxCount: new Set(values.filter((v) => v !== null)).size };
}

/** Groups items by a key (null is a key of its own, as in SQL GROUP BY); insertion order kept. */
export function groupBy<T, K>(items: T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

export function countDistinct(values: (string | null)[]): number {
  return new Set(values.filter((v) => v !== null)).size;
}

/** Why `actual` does not satisfy the expected cell, or undefined when it does. */
export function cellMismatch(expected: Cell, actual: string | null): string | undefined {
  if (expected === null || typeof expected === "string") return expected === actual ? undefined : `expected ${show(expected)}, got ${show(actual)}`;
  if ("oneOf" in expected) return actual !== null && expected.oneOf.includes(actual) ? undefined : `expected one of ${expected.oneOf.map(show).join(", ")}, got ${show(actual)}`;
  if ("approxCount" in expected) {
    const exact = expected.approxCount;
    const tolerance = Math.ceil(3 * 0.023 * exact);
    const n = actual === null || !/^\d+$/.test(actual) ? NaN : Number(actual);
    return Math.abs(n - exact) <= tolerance ? undefined : `expected about ${exact} (± ${tolerance}, approx_distinct), got ${show(actual)}`;
  }
  const [lo, hi] = expected.between;
  const v = actual === null ? NaN : Number(actual);
  const half = 0.5 / 10 ** expected.places;
  const rendered = Number.isFinite(v) && actual === javaDouble(v);
  const rounded = Number.isFinite(v) && Math.round(v * 10 ** expected.places) / 10 ** expected.places === v;
  if (rendered && rounded && v >= lo - half && v <= hi + half) return undefined;
  return `expected a double rounded to ${expected.places} places between ${lo} and ${hi} (approx_percentile), got ${show(actual)}`;
}

function show(v: string | null): string {
  return v === null ? "NULL" : JSON.stringify(v);
}
