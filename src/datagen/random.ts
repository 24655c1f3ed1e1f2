/**
 * Deterministic pseudo-random numbers for the data generator.
 *
 * Math.random() cannot be seeded, and the generator must write byte-identical files for the same
 * seed, so everything random goes through sfc32 (fast, 128-bit state, good statistical quality)
 * seeded from a cyrb128 hash of a string key.
 */

/** cyrb128: hashes a string into four 32-bit words, enough to fill sfc32's state. */
export function hashString(s: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < s.length; i++) {
    const k = s.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

/**
 * Stateless 32-bit mix (murmur3 finalizer). Lets per-user attributes be a pure function of
 * (seed, user number), so a user keeps the same country across days without any user table.
 */
export function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

const HEX_BYTE: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

function hex32(x: number): string {
  return HEX_BYTE[x >>> 24]! + HEX_BYTE[(x >>> 16) & 0xff]! + HEX_BYTE[(x >>> 8) & 0xff]! + HEX_BYTE[x & 0xff]!;
}

function hex16(x: number): string {
  return HEX_BYTE[(x >>> 8) & 0xff]! + HEX_BYTE[x & 0xff]!;
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** Seeds from a string key; numbers are keyed by their decimal text so that 42 and "42" agree. */
  constructor(seed: string | number) {
    const [a, b, c, d] = hashString(String(seed));
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d;
    // The first outputs of sfc32 still correlate with the seed words; discard them.
    for (let i = 0; i < 12; i++) this.u32();
  }

  /** Uniform 32-bit unsigned integer. */
  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform float in [0, 1). */
  next(): number {
    return this.u32() / 4294967296;
  }

  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** Integer in [min, max] skewed towards min (density falls like 1/sqrt): short waits are common, long ones rare. */
  skewed(min: number, max: number): number {
    const r = this.next();
    return min + Math.floor(r * r * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error("Rng.pick: empty list");
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** `chars` lowercase hex characters (any length). */
  hex(chars: number): string {
    let s = "";
    while (s.length < chars) s += hex32(this.u32());
    return s.length === chars ? s : s.slice(0, chars);
  }

  /** RFC 4122 version-4 UUID drawn from this generator (not crypto.randomUUID, which cannot be seeded). */
  uuid(): string {
    const a = this.u32();
    const b = ((this.u32() & 0xffff0fff) | 0x00004000) >>> 0;
    const c = ((this.u32() & 0x3fffffff) | 0x80000000) >>> 0;
    const d = this.u32();
    return hex32(a) + "-" + hex16(b >>> 16) + "-" + hex16(b) + "-" + hex16(c >>> 16) + "-" + hex16(c) + hex32(d);
  }
}

/** Weighted choice with the cumulative weights computed once, since the same tables are sampled millions of times. */
export class WeightedTable<T> {
  readonly items: readonly T[];
  private readonly cumulative: Float64Array;
  private readonly total: number;

  constructor(entries: readonly (readonly [T, number])[]) {
    if (entries.length === 0) throw new Error("WeightedTable: no entries");
    this.items = entries.map(([item]) => item);
    this.cumulative = new Float64Array(entries.length);
    let sum = 0;
    entries.forEach(([, weight], i) => {
      if (!(weight >= 0) || !Number.isFinite(weight)) throw new Error(`WeightedTable: bad weight ${weight}`);
      sum += weight;
      this.cumulative[i] = sum;
    });
    if (sum <= 0) throw new Error("WeightedTable: weights sum to zero");
    this.total = sum;
  }

  pick(rng: Rng): T {
    return this.at(rng.next());
  }

  /** The item at quantile u in [0, 1); used with hashed rather than generated numbers. */
  at(u: number): T {
    const target = u * this.total;
    const cum = this.cumulative;
    // Tables are small (tens of entries), so a linear scan beats a binary search.
    for (let i = 0; i < cum.length; i++) {
      if (target < cum[i]!) return this.items[i]!;
    }
    return this.items[this.items.length - 1]!;
  }
}
