import { AwsError } from "./types.js";

/**
 * `content-encoding: aws-chunked` bodies, as the SDK sends streams (and SigV4 streaming uploads):
 *   <hex size>[;chunk-signature=<sig>]\r\n<bytes>\r\n … 0[;chunk-signature=…]\r\n[<trailer>:<value>\r\n]*\r\n
 * Chunk signatures are not verified (the embedded AWS checks the request's SigV4 header only).
 */

export interface DecodedBody {
  body: Buffer;
  /** Trailing headers after the final chunk, names lowercased (x-amz-checksum-crc32 …). */
  trailers: Record<string, string>;
}

/** Whether a request's body is aws-chunked framed. */
export function isAwsChunked(headers: Record<string, string>): boolean {
  const encodings = (headers["content-encoding"] ?? "").split(",").map((e) => e.trim().toLowerCase());
  return encodings.includes("aws-chunked") || (headers["x-amz-content-sha256"] ?? "").startsWith("STREAMING-");
}

/** The Content-Encoding to store: what the client sent, minus the aws-chunked transfer framing. */
export function storedContentEncoding(headers: Record<string, string>): string | undefined {
  const rest = (headers["content-encoding"] ?? "")
    .split(",")
    .map((e) => e.trim())
    .filter((e) => e && e.toLowerCase() !== "aws-chunked");
  return rest.length ? rest.join(",") : undefined;
}

const CRLF = Buffer.from("\r\n");

function malformed(message: string): AwsError {
  return new AwsError("IncompleteBody", `The request body is not valid aws-chunked encoding: ${message}`);
}

/** Decodes the framing; checks the decoded length against x-amz-decoded-content-length when given. */
export function decodeAwsChunked(raw: Buffer, decodedLength?: number): DecodedBody {
  const chunks: Buffer[] = [];
  const trailers: Record<string, string> = {};
  let pos = 0;
  for (;;) {
    const lineEnd = raw.indexOf(CRLF, pos);
    if (lineEnd < 0) throw malformed("a chunk header is not terminated");
    const header = raw.subarray(pos, lineEnd).toString("latin1");
    const sizeText = header.split(";")[0]!.trim();
    if (!/^[0-9a-fA-F]+$/.test(sizeText)) throw malformed(`bad chunk size "${sizeText.slice(0, 20)}"`);
    const size = parseInt(sizeText, 16);
    pos = lineEnd + 2;
    if (size === 0) break;
    if (pos + size > raw.length) throw malformed("a chunk is shorter than its declared size");
    chunks.push(raw.subarray(pos, pos + size));
    pos += size;
    if (!raw.subarray(pos, pos + 2).equals(CRLF)) throw malformed("a chunk is not followed by CRLF");
    pos += 2;
  }
  // Trailers: header lines up to an empty line or the end of the body.
  for (const line of raw.subarray(pos).toString("utf8").split("\r\n")) {
    if (!line) continue;
    const colon = line.indexOf(":");
    if (colon <= 0) throw new AwsError("MalformedTrailerError", "The request contained trailing data that was not well-formed or did not conform to our published schema.");
    trailers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  if (decodedLength !== undefined && body.length !== decodedLength) {
    throw new AwsError("IncompleteBody", "You did not provide the number of bytes specified by the x-amz-decoded-content-length HTTP header");
  }
  return { body, trailers };
}
