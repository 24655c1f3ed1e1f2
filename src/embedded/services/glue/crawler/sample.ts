import { closeSync, openSync, readSync } from "node:fs";
import { constants as zlibConstants, gunzipSync } from "node:zlib";
import { inferCsv } from "./csv-infer.js";
import { JsonScanner } from "./json-scan.js";
import { ParquetError, readParquetFooter } from "./parquet-footer.js";
import type { TypeNode } from "./types.js";

/**
 * Reads what Glue reads of one file and classifies it: Parquet by its `PAR1` magic (schema and row count from the
 * footer only), gzip by its magic bytes (or a `.gz` name) with the content classified after inflating, JSON when
 * the content starts with `{` or `[` (the first 1 MB, then up to 10 MB in 1 MB steps while no valid record was
 * found), CSV otherwise (the first 1 MB). Only the sampled bytes are read from disk.
 */

export const SAMPLE_BYTES = 1024 * 1024;
export const MAX_SAMPLE_BYTES = 10 * 1024 * 1024;

export type Classification = "json" | "csv" | "parquet";
export type Compression = "none" | "gzip";

export interface FileSample {
  classification?: Classification;
  compression: Compression;
  /** Record schema (a struct) when classified. */
  schema?: TypeNode;
  /** JSON: the top-level keys as spelled in the data (the SerDe's `paths`). */
  paths?: string[];
  csv?: { delimiter: string; header: boolean; quoted: boolean };
  /** Valid records in the sample. */
  records: number;
  /** Uncompressed bytes of those records. */
  recordBytes: number;
  /** Estimated records in the whole file. */
  estimatedRecords: number;
  malformed: number;
  /** Bytes read from disk. */
  bytesRead: number;
  /** Why the file could not be classified. */
  error?: string;
}

let scratch = Buffer.allocUnsafe(SAMPLE_BYTES);

function scratchOf(size: number): Buffer {
  if (scratch.length < size) scratch = Buffer.allocUnsafe(size);
  return scratch;
}

/** Reads up to `length` bytes from the start of the file into the shared scratch buffer (valid until the next call). */
function readPrefix(fd: number, length: number): Buffer {
  const buf = scratchOf(length);
  let off = 0;
  while (off < length) {
    const n = readSync(fd, buf, off, length - off, off);
    if (n === 0) break;
    off += n;
  }
  return buf.subarray(0, off);
}

export function sampleFile(path: string, key: string, size: number): FileSample {
  const fd = openSync(path, "r");
  try {
    // The magic bytes first: a Parquet file is read from its footer only.
    const magic = Buffer.alloc(4);
    const got = size >= 4 ? readSync(fd, magic, 0, 4, 0) : 0;
    if (got === 4 && magic.readUInt32LE(0) === 0x31524150 /* PAR1 */) {
      try {
        const footer = readParquetFooter(path, size);
        return {
          classification: "parquet",
          compression: "none",
          schema: footer.schema,
          records: footer.rows,
          recordBytes: size,
          estimatedRecords: footer.rows,
          malformed: 0,
          // Glue reads the footer; the 4 magic bytes at the start are all we needed of what we read.
          bytesRead: 4 + footer.bytesRead,
        };
      } catch (err) {
        if (err instanceof ParquetError) return unreadable("none", 4, `not a readable Parquet file: ${err.message}`);
        throw err;
      }
    }
    let bytesRead = got;
    const gzip = (got >= 2 && magic[0] === 0x1f && magic[1] === 0x8b) || key.endsWith(".gz");
    if (gzip) {
      // Inflate just enough compressed input for the sample; the ratio of text is usually 5-15×.
      let compressedLength = Math.min(size, 256 * 1024);
      let target = SAMPLE_BYTES;
      for (;;) {
        const compressed = readPrefix(fd, compressedLength);
        bytesRead = Math.max(bytesRead, compressed.length);
        let text: Buffer;
        try {
          text = gunzipSync(compressed, { finishFlush: zlibConstants.Z_SYNC_FLUSH });
        } catch (err) {
          return unreadable("gzip", bytesRead, `not a readable gzip file: ${(err as Error).message}`);
        }
        const wholeInput = compressedLength >= size;
        if (text.length < target && !wholeInput) {
          compressedLength = Math.min(size, compressedLength * 4);
          continue;
        }
        const complete = wholeInput && text.length <= target;
        const used = Math.min(text.length, target);
        // Estimate compressed bytes behind the sample from the inflate ratio.
        const compressedUsed = text.length ? (compressed.length * used) / text.length : compressed.length;
        const result = classifyText(text.subarray(0, used), complete);
        if (result.needMore && !complete && target < MAX_SAMPLE_BYTES) {
          target = Math.min(MAX_SAMPLE_BYTES, target + SAMPLE_BYTES);
          continue;
        }
        return finish(result.sample, "gzip", bytesRead, size, compressedUsed, complete);
      }
    }
    let buf = readPrefix(fd, Math.min(size, SAMPLE_BYTES));
    let length = buf.length;
    bytesRead = length;
    for (;;) {
      const complete = length >= size;
      const result = classifyText(buf, complete);
      if (result.needMore && !complete && length < MAX_SAMPLE_BYTES) {
        length = Math.min(size, length + SAMPLE_BYTES, MAX_SAMPLE_BYTES);
        buf = readPrefix(fd, length);
        bytesRead = buf.length;
        continue;
      }
      return finish(result.sample, "none", bytesRead, size, buf.length, complete);
    }
  } finally {
    closeSync(fd);
  }
}

function unreadable(compression: Compression, bytesRead: number, error: string): FileSample {
  return { compression, records: 0, recordBytes: 0, estimatedRecords: 0, malformed: 0, bytesRead, error };
}

type Classified = Omit<FileSample, "compression" | "bytesRead" | "estimatedRecords">;

function finish(sample: Classified, compression: Compression, bytesRead: number, size: number, sampledStored: number, complete: boolean): FileSample {
  const estimatedRecords = complete || sampledStored <= 0 ? sample.records : Math.round((sample.records * size) / sampledStored);
  return { ...sample, compression, bytesRead, estimatedRecords };
}

/** JSON or CSV from (decompressed) text bytes; `needMore` when no valid record was found in a prefix. */
function classifyText(bytes: Buffer, complete: boolean): { sample: Classified; needMore: boolean } {
  let start = 0;
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3;
  while (start < bytes.length && (bytes[start] === 0x20 || bytes[start] === 0x0a || bytes[start] === 0x0d || bytes[start] === 0x09)) start++;
  if (start >= bytes.length) {
    return { sample: { records: 0, recordBytes: 0, malformed: 0, error: "the file has no data" }, needMore: false };
  }
  const first = bytes[start];
  const looksJson = first === 0x7b || first === 0x5b;
  if (looksJson) {
    const json = scanJson(bytes, complete);
    if (json.records > 0) return { sample: json, needMore: false };
    return {
      sample: { records: 0, recordBytes: 0, malformed: json.malformed, error: `no valid JSON record in the first ${mb(bytes.length)}` },
      needMore: true,
    };
  }
  const text = bytes.toString("utf8");
  const csv = inferCsv(text, complete);
  if (csv) {
    return {
      sample: {
        classification: "csv",
        schema: csv.schema,
        csv: { delimiter: csv.delimiter, header: csv.header, quoted: csv.quoted },
        records: csv.records,
        recordBytes: csv.recordBytes,
        malformed: 0,
      },
      needMore: false,
    };
  }
  // JSON Lines whose first line is broken still classify as JSON.
  const json = scanJson(bytes, complete);
  if (json.records > 0 && json.records >= json.malformed) return { sample: json, needMore: false };
  return { sample: { records: 0, recordBytes: 0, malformed: 0, error: "no classifier recognises the data (not JSON, CSV or Parquet)" }, needMore: false };
}

function scanJson(bytes: Buffer, complete: boolean): Classified {
  const scanner = new JsonScanner().scan(bytes, bytes.length, complete);
  const schema = scanner.schema();
  return {
    classification: "json",
    schema,
    paths: schema.fields!.map((f) => f.original),
    records: scanner.records,
    recordBytes: scanner.recordBytes,
    malformed: scanner.malformed,
  };
}

function mb(bytes: number): string {
  return bytes >= SAMPLE_BYTES ? `${Math.round(bytes / SAMPLE_BYTES)} MB` : `${bytes} bytes`;
}
