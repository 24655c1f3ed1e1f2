import { closeSync, createReadStream } from "node:fs";
import type { Digests } from "./checksums.js";
import type { S3Files } from "./files.js";

/** A stretch of a stored file: an open descriptor (closed after reading) or a path; `end` inclusive. */
export interface ByteSource {
  fd?: number;
  path?: string;
  start?: number;
  end?: number;
}

async function* read(sources: ByteSource[], digests: Digests, started: Set<ByteSource>): AsyncGenerator<Buffer> {
  for (const source of sources) {
    started.add(source);
    if (source.end !== undefined && source.end < (source.start ?? 0)) {
      if (source.fd !== undefined) closeSync(source.fd);
      continue;
    }
    const stream = source.fd !== undefined
      ? createReadStream("", { fd: source.fd, start: source.start, end: source.end, autoClose: true, highWaterMark: 1 << 20 })
      : createReadStream(source.path!, { start: source.start, end: source.end, highWaterMark: 1 << 20 });
    for await (const chunk of stream) {
      digests.update(chunk as Buffer);
      yield chunk as Buffer;
    }
  }
}

/**
 * Copies stored bytes (a copy source, the parts of a multipart upload) into a new temp file, hashing them on the way;
 * streaming, so large objects never sit in memory.
 */
export async function copyToTemp(files: S3Files, sources: ByteSource[], digests: Digests): Promise<string> {
  const started = new Set<ByteSource>();
  try {
    return await files.writeTemp(read(sources, digests, started));
  } catch (err) {
    // Streams close their descriptors; descriptors never read from are closed here.
    for (const source of sources) if (!started.has(source) && source.fd !== undefined) closeSync(source.fd);
    throw err;
  }
}
