import { createHash } from "node:crypto";
import { crc32 } from "node:zlib";

/** S3's flexible checksums: the algorithms, their hashers (one pass over the data) and composite values. */

export const CHECKSUM_ALGORITHMS = ["CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256"] as const;
export type ChecksumAlgorithm = (typeof CHECKSUM_ALGORITHMS)[number];
export type ChecksumType = "FULL_OBJECT" | "COMPOSITE";

export interface ObjectChecksum {
  algorithm: ChecksumAlgorithm;
  type: ChecksumType;
  /** Base64, with `-N` for a composite multipart checksum. */
  value: string;
}

const DIGEST_BYTES: Record<ChecksumAlgorithm, number> = { CRC32: 4, CRC32C: 4, CRC64NVME: 8, SHA1: 20, SHA256: 32 };

export function asChecksumAlgorithm(value: string | undefined): ChecksumAlgorithm | undefined {
  const upper = value?.toUpperCase();
  return CHECKSUM_ALGORITHMS.find((a) => a === upper);
}

/** `x-amz-checksum-crc32` … */
export function checksumHeader(algorithm: ChecksumAlgorithm): string {
  return `x-amz-checksum-${algorithm.toLowerCase()}`;
}

/** `ChecksumCRC32` … as in XML documents. */
export function checksumElement(algorithm: ChecksumAlgorithm): string {
  return `Checksum${algorithm}`;
}

/** Whether a base64 value has the digest length of its algorithm. */
export function isWellFormedChecksum(algorithm: ChecksumAlgorithm, value: string): boolean {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return false;
  return Buffer.from(value, "base64").length === DIGEST_BYTES[algorithm];
}

export interface Hasher {
  update(data: Buffer): void;
  digest(): Buffer;
}

class Crc32Hasher implements Hasher {
  private value = 0;
  update(data: Buffer): void {
    this.value = crc32(data, this.value);
  }
  digest(): Buffer {
    const out = Buffer.alloc(4);
    out.writeUInt32BE(this.value >>> 0);
    return out;
  }
}

const CRC32C_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let j = 0; j < 8; j++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    table[i] = c >>> 0;
  }
  return table;
})();

class Crc32cHasher implements Hasher {
  private crc = 0xffffffff;
  update(data: Buffer): void {
    let crc = this.crc;
    for (let i = 0; i < data.length; i++) crc = (crc >>> 8) ^ CRC32C_TABLE[(crc ^ data[i]!) & 0xff]!;
    this.crc = crc;
  }
  digest(): Buffer {
    const out = Buffer.alloc(4);
    out.writeUInt32BE((this.crc ^ 0xffffffff) >>> 0);
    return out;
  }
}

// CRC-64/NVME (reflected polynomial 0x9a6c9329ac4bc9b5), slicing-by-8 over two 32-bit halves: it is the checksum S3
// stores when the client sends none, so it runs on every such upload and must not be slow.
const CRC64_TABLES = (() => {
  const tables: { hi: Uint32Array; lo: Uint32Array }[] = [];
  const poly = 0x9a6c9329ac4bc9b5n;
  const base: bigint[] = [];
  for (let i = 0; i < 256; i++) {
    let crc = BigInt(i);
    for (let j = 0; j < 8; j++) crc = crc & 1n ? (crc >> 1n) ^ poly : crc >> 1n;
    base.push(crc);
  }
  let current = base.slice();
  for (let slice = 0; slice < 8; slice++) {
    tables.push({ hi: Uint32Array.from(current, (v) => Number(v >> 32n)), lo: Uint32Array.from(current, (v) => Number(v & 0xffffffffn)) });
    current = current.map((v) => (v >> 8n) ^ base[Number(v & 0xffn)]!);
  }
  return tables;
})();

class Crc64NvmeHasher implements Hasher {
  private hi = 0xffffffff;
  private lo = 0xffffffff;
  update(data: Buffer): void {
    const t = CRC64_TABLES;
    let hi = this.hi;
    let lo = this.lo;
    let i = 0;
    const len = data.length;
    while (i + 8 <= len) {
      const b0 = (lo ^ data[i]!) & 0xff;
      const b1 = ((lo >>> 8) ^ data[i + 1]!) & 0xff;
      const b2 = ((lo >>> 16) ^ data[i + 2]!) & 0xff;
      const b3 = ((lo >>> 24) ^ data[i + 3]!) & 0xff;
      const b4 = (hi ^ data[i + 4]!) & 0xff;
      const b5 = ((hi >>> 8) ^ data[i + 5]!) & 0xff;
      const b6 = ((hi >>> 16) ^ data[i + 6]!) & 0xff;
      const b7 = ((hi >>> 24) ^ data[i + 7]!) & 0xff;
      hi = t[7]!.hi[b0]! ^ t[6]!.hi[b1]! ^ t[5]!.hi[b2]! ^ t[4]!.hi[b3]! ^ t[3]!.hi[b4]! ^ t[2]!.hi[b5]! ^ t[1]!.hi[b6]! ^ t[0]!.hi[b7]!;
      lo = t[7]!.lo[b0]! ^ t[6]!.lo[b1]! ^ t[5]!.lo[b2]! ^ t[4]!.lo[b3]! ^ t[3]!.lo[b4]! ^ t[2]!.lo[b5]! ^ t[1]!.lo[b6]! ^ t[0]!.lo[b7]!;
      i += 8;
    }
    for (; i < len; i++) {
      const b = (lo ^ data[i]!) & 0xff;
      lo = ((lo >>> 8) | ((hi & 0xff) << 24)) ^ t[0]!.lo[b]!;
      hi = (hi >>> 8) ^ t[0]!.hi[b]!;
    }
    this.hi = hi >>> 0;
    this.lo = lo >>> 0;
  }
  digest(): Buffer {
    const out = Buffer.alloc(8);
    out.writeUInt32BE((this.hi ^ 0xffffffff) >>> 0, 0);
    out.writeUInt32BE((this.lo ^ 0xffffffff) >>> 0, 4);
    return out;
  }
}

class NodeHasher implements Hasher {
  private readonly hash;
  constructor(name: string) {
    this.hash = createHash(name);
  }
  update(data: Buffer): void {
    this.hash.update(data);
  }
  digest(): Buffer {
    return this.hash.digest();
  }
}

export function createHasher(algorithm: ChecksumAlgorithm | "MD5"): Hasher {
  switch (algorithm) {
    case "CRC32":
      return new Crc32Hasher();
    case "CRC32C":
      return new Crc32cHasher();
    case "CRC64NVME":
      return new Crc64NvmeHasher();
    case "SHA1":
      return new NodeHasher("sha1");
    case "SHA256":
      return new NodeHasher("sha256");
    case "MD5":
      return new NodeHasher("md5");
  }
}

/** Base64 checksum of a whole buffer. */
export function checksumOf(algorithm: ChecksumAlgorithm, data: Buffer): string {
  const hasher = createHasher(algorithm);
  hasher.update(data);
  return hasher.digest().toString("base64");
}

/** MD5 and any checksums of data fed in pieces (a body, a concatenation of parts, a copy). */
export class Digests {
  private readonly md5 = createHasher("MD5");
  private readonly hashers = new Map<ChecksumAlgorithm, Hasher>();
  size = 0;

  constructor(algorithms: Iterable<ChecksumAlgorithm>) {
    for (const algorithm of algorithms) this.hashers.set(algorithm, createHasher(algorithm));
  }

  update(data: Buffer): void {
    this.size += data.length;
    this.md5.update(data);
    for (const hasher of this.hashers.values()) hasher.update(data);
  }

  finish(): { md5: Buffer; checksums: Map<ChecksumAlgorithm, string> } {
    const checksums = new Map<ChecksumAlgorithm, string>();
    for (const [algorithm, hasher] of this.hashers) checksums.set(algorithm, hasher.digest().toString("base64"));
    return { md5: this.md5.digest(), checksums };
  }
}

/** A multipart object's composite checksum: the checksum of the parts' raw checksums, then `-<part count>`. */
export function compositeChecksum(algorithm: ChecksumAlgorithm, partValues: string[]): string {
  const hasher = createHasher(algorithm);
  for (const value of partValues) hasher.update(Buffer.from(value, "base64"));
  return `${hasher.digest().toString("base64")}-${partValues.length}`;
}

/** The checksum type S3 uses for a multipart upload when the client names none: CRC64NVME is full-object only. */
export function defaultChecksumType(algorithm: ChecksumAlgorithm): ChecksumType {
  return algorithm === "CRC64NVME" ? "FULL_OBJECT" : "COMPOSITE";
}
