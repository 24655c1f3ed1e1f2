import { createHash } from "node:crypto";
import { decodeAwsChunked, isAwsChunked } from "../../protocols/aws-chunked.js";
import { AwsError, type WireRequest } from "../../protocols/types.js";
import { CHECKSUM_ALGORITHMS, checksumHeader, Digests, isWellFormedChecksum, type ChecksumAlgorithm } from "./checksums.js";

/**
 * A request body as S3 checks it: aws-chunked framing removed, then x-amz-content-sha256, Content-MD5 and the one
 * x-amz-checksum-* value (header or trailer) verified against the bytes.
 */
export interface Payload {
  body: Buffer;
  /** Hex MD5 of the body (the ETag of a single-part object). */
  md5: string;
  /** The checksum the client sent (verified), or the one computed for `compute` when it sent none. */
  checksum?: { algorithm: ChecksumAlgorithm; value: string; sent: boolean };
}

function sentChecksum(wire: WireRequest, trailers: Record<string, string>): { algorithm: ChecksumAlgorithm; value: string } | undefined {
  const found: { algorithm: ChecksumAlgorithm; value: string }[] = [];
  for (const algorithm of CHECKSUM_ALGORITHMS) {
    const name = checksumHeader(algorithm);
    const value = wire.headers[name] ?? trailers[name];
    if (value !== undefined) found.push({ algorithm, value });
  }
  if (found.length > 1) throw new AwsError("InvalidRequest", "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.");
  const declared = wire.headers["x-amz-trailer"]?.trim().toLowerCase();
  if (declared?.startsWith("x-amz-checksum-") && trailers[declared] === undefined && wire.headers[declared] === undefined) {
    throw new AwsError("MalformedTrailerError", "The request contained trailing data that was not well-formed or did not conform to our published schema.");
  }
  const checksum = found[0];
  if (checksum && !isWellFormedChecksum(checksum.algorithm, checksum.value)) {
    throw new AwsError("InvalidRequest", `Value for ${checksumHeader(checksum.algorithm)} header is invalid.`);
  }
  return checksum;
}

export function readPayload(wire: WireRequest, compute?: ChecksumAlgorithm): Payload {
  let body = wire.body;
  let trailers: Record<string, string> = {};
  if (isAwsChunked(wire.headers)) {
    const declared = wire.headers["x-amz-decoded-content-length"];
    const decoded = decodeAwsChunked(wire.body, declared !== undefined ? Number(declared) : undefined);
    body = decoded.body;
    trailers = decoded.trailers;
  } else {
    const contentSha = wire.headers["x-amz-content-sha256"];
    if (contentSha && /^[0-9a-f]{64}$/i.test(contentSha)) {
      const computed = createHash("sha256").update(body).digest("hex");
      if (computed !== contentSha.toLowerCase()) {
        throw new AwsError("XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what was computed.", 400, {
          ClientComputedContentSHA256: contentSha,
          S3ComputedContentSHA256: computed,
        });
      }
    }
  }
  const sent = sentChecksum(wire, trailers);
  const algorithm = sent?.algorithm ?? compute;
  const digests = new Digests(algorithm ? [algorithm] : []);
  digests.update(body);
  const { md5, checksums } = digests.finish();

  const contentMd5 = wire.headers["content-md5"];
  if (contentMd5 !== undefined) {
    const expected = Buffer.from(contentMd5, "base64");
    if (expected.length !== 16 || !/^[A-Za-z0-9+/]+={0,2}$/.test(contentMd5)) throw new AwsError("InvalidDigest", "The Content-MD5 you specified was invalid.", 400, { "Content-MD5": contentMd5 });
    if (!expected.equals(md5)) {
      throw new AwsError("BadDigest", "The Content-MD5 you specified did not match what we received.", 400, { ExpectedDigest: contentMd5, CalculatedDigest: md5.toString("base64") });
    }
  }
  if (sent && checksums.get(sent.algorithm) !== sent.value) {
    throw new AwsError("BadDigest", `The ${sent.algorithm} you specified did not match the calculated checksum.`);
  }
  const value = algorithm ? checksums.get(algorithm) : undefined;
  return { body, md5: md5.toString("hex"), ...(algorithm && value ? { checksum: { algorithm, value, sent: sent !== undefined } } : {}) };
}
