/** Sizes and durations as written in the config. */

const SIZE_UNITS: Record<string, number> = {
  B: 1,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  TB: 1e12,
  KiB: 2 ** 10,
  MiB: 2 ** 20,
  GiB: 2 ** 30,
  TiB: 2 ** 40,
};

/** `10GB` → 10_000_000_000 (decimal units), `512MiB` → 536_870_912 (binary units), a number → itself. */
export function parseSize(value: string | number): number {
  if (typeof value === "number") return value;
  const m = /^([0-9]+(?:\.[0-9]+)?) ?([A-Za-z]+)$/.exec(value.trim());
  const unit = m ? SIZE_UNITS[m[2]!] : undefined;
  if (!m || unit === undefined) throw new Error(`not a size: ${value}`);
  return Math.round(Number(m[1]) * unit);
}

const DURATION_UNITS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 };

/** `30s` → 30, `5m` → 300, `500ms` → 0.5 (seconds). */
export function parseDuration(value: string): number {
  const m = /^([0-9]+)(ms|s|m|h|d)$/.exec(value.trim());
  if (!m) throw new Error(`not a duration: ${value}`);
  return Number(m[1]) * DURATION_UNITS[m[2]!]!;
}

export function formatBytes(bytes: number): string {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
}
