import { RestXmlError } from "../../protocols/rest-xml.js";

/** A `Range: bytes=…` request on an object of a known size; undefined means the whole object. */
export interface ByteRange {
  start: number;
  /** Inclusive. */
  end: number;
}

/**
 * Parses a single byte range as S3 does: `bytes=a-b`, `bytes=a-`, `bytes=-n`. A header S3 cannot use (syntax it
 * does not know, several ranges) is ignored and the whole object is sent; a range past the end is a 416.
 */
export function parseRange(header: string | undefined, size: number): ByteRange | undefined {
  if (!header) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === "" && match[2] === "")) return undefined;
  const [, first, last] = match;
  let start: number;
  let end: number;
  if (first === "") {
    const suffix = Number(last);
    if (suffix === 0) throw invalidRange(size, header);
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(first);
    end = last === "" ? size - 1 : Math.min(Number(last), size - 1);
    if (last !== "" && Number(last) < start) return undefined;
  }
  if (start >= size) throw invalidRange(size, header);
  return { start, end };
}

export function invalidRange(size: number, requested = ""): RestXmlError {
  return new RestXmlError("InvalidRange", "The requested range is not satisfiable", 416, { RangeRequested: requested, ActualObjectSize: String(size) }, { "content-range": `bytes */${size}` });
}

export function contentRange(range: ByteRange, size: number): string {
  return `bytes ${range.start}-${range.end}/${size}`;
}
