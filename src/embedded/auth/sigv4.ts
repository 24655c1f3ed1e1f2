import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { AwsError, type WireRequest } from "../protocols/types.js";

/**
 * Checks the AWS Signature Version 4 of a request that came over HTTP, against the one key pair of the embedded AWS.
 * Written with node:crypto rather than @smithy/signature-v4 because the check must follow the headers the client
 * chose to sign (SignedHeaders), not the signer's own choice of headers.
 *
 * Dates are not checked (no RequestTimeTooSkewed, no presigned-URL expiry): the embedded AWS runs on laptops and in
 * containers whose clocks drift, and a replay on the loopback interface is not a threat worth a failed local run.
 * aws-chunked bodies signed per chunk (STREAMING-AWS4-HMAC-SHA256-PAYLOAD) have their seed signature checked here;
 * the chunk signatures are not.
 */
export function verifySignature(req: WireRequest, signingName: string, credentials: { accessKeyId: string; secretAccessKey: string }): AwsError | undefined {
  const s3 = signingName === "s3";
  const auth = parseAuthorization(req);
  if (auth === "missing") {
    return s3 ? new AwsError("AccessDenied", "Access Denied", 403) : new AwsError("MissingAuthenticationToken", "Request is missing Authentication Token", 403);
  }
  if (typeof auth === "string") return s3 ? new AwsError("AuthorizationHeaderMalformed", auth, 400) : new AwsError("IncompleteSignature", auth, 400);

  if (auth.accessKeyId !== credentials.accessKeyId) {
    return s3
      ? new AwsError("InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.", 403, { AWSAccessKeyId: auth.accessKeyId })
      : new AwsError("InvalidClientTokenId", "The security token included in the request is invalid.", 403);
  }
  const declared = payloadHashOf(req, auth.presigned);
  if (s3 && declared && /^[0-9a-f]{64}$/.test(declared) && declared !== sha256Hex(req.body)) {
    return new AwsError("XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what was computed.", 400);
  }
  // A presigned S3 URL signs UNSIGNED-PAYLOAD; other clients may have hashed the (empty) body instead.
  const candidates = declared ? [declared] : auth.presigned && s3 ? ["UNSIGNED-PAYLOAD", sha256Hex(req.body)] : [sha256Hex(req.body)];
  const key = signingKey(credentials.secretAccessKey, auth.scope);
  for (const payloadHash of candidates) {
    const canonical = canonicalRequest(req, auth, s3, payloadHash);
    const stringToSign = ["AWS4-HMAC-SHA256", auth.amzDate, auth.scope.join("/"), sha256Hex(canonical)].join("\n");
    const expected = createHmac("sha256", key).update(stringToSign, "utf8").digest("hex");
    if (safeEqual(expected, auth.signature)) return undefined;
  }
  return new AwsError(
    "SignatureDoesNotMatch",
    "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.",
    403,
  );
}

interface ParsedAuth {
  accessKeyId: string;
  /** date, region, service, "aws4_request" */
  scope: string[];
  signedHeaders: string[];
  signature: string;
  amzDate: string;
  presigned: boolean;
}

/** The signature's parts, from the Authorization header or the presigned URL's query; a string is what is wrong. */
function parseAuthorization(req: WireRequest): ParsedAuth | "missing" | string {
  const header = req.headers.authorization;
  if (header !== undefined) {
    const match = /^AWS4-HMAC-SHA256\s+(.*)$/s.exec(header.trim());
    if (!match) return `Unsupported Authorization Type`;
    const fields: Record<string, string> = {};
    for (const part of match[1]!.split(",")) {
      const at = part.indexOf("=");
      if (at > 0) fields[part.slice(0, at).trim()] = part.slice(at + 1).trim();
    }
    const { Credential: credential, SignedHeaders: signedHeaders, Signature: signature } = fields;
    if (!credential || !signedHeaders || !signature) {
      return "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters.";
    }
    const amzDate = req.headers["x-amz-date"] ?? basicIsoDate(req.headers.date);
    if (!amzDate) return "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.";
    return build(credential, signedHeaders, signature, amzDate, false);
  }
  const q = req.query;
  if (!q.has("X-Amz-Signature") && !q.has("X-Amz-Credential")) return "missing";
  if (q.get("X-Amz-Algorithm") !== "AWS4-HMAC-SHA256") return "X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"";
  const credential = q.get("X-Amz-Credential");
  const signedHeaders = q.get("X-Amz-SignedHeaders");
  const signature = q.get("X-Amz-Signature");
  const amzDate = q.get("X-Amz-Date");
  if (!credential || !signedHeaders || !signature || !amzDate) {
    return "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.";
  }
  return build(credential, signedHeaders, signature, amzDate, true);
}

function build(credential: string, signedHeaders: string, signature: string, amzDate: string, presigned: boolean): ParsedAuth | string {
  const parts = credential.split("/");
  if (parts.length !== 5 || parts[4] !== "aws4_request") return `Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".`;
  return { accessKeyId: parts[0]!, scope: parts.slice(1), signedHeaders: signedHeaders.split(";"), signature, amzDate, presigned };
}

/** `Date: Tue, 01 Apr 2025 12:00:00 GMT` → `20250401T120000Z` (the form the string to sign uses). */
function basicIsoDate(date: string | undefined): string | undefined {
  if (!date) return undefined;
  const time = Date.parse(date);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString().replace(/\.\d{3}Z$/, "Z").replace(/[-:]/g, "");
}

/**
 * The payload hash the client declared: the x-amz-content-sha256 header (a hex digest, UNSIGNED-PAYLOAD or one
 * of the STREAMING-… markers, all used as sent), or in a presigned URL its query parameter.
 */
function payloadHashOf(req: WireRequest, presigned: boolean): string | undefined {
  const header = req.headers["x-amz-content-sha256"];
  if (header !== undefined) return header;
  if (!presigned) return undefined;
  for (const [key, value] of req.query) if (key.toLowerCase() === "x-amz-content-sha256") return value;
  return undefined;
}

function canonicalRequest(req: WireRequest, auth: ParsedAuth, s3: boolean, payloadHash: string): string {
  const headers = auth.signedHeaders.map((name) => `${name}:${canonicalHeaderValue(name === "host" ? (req.headers.host ?? req.host) : req.headers[name])}`);
  return [req.method, canonicalUri(req.path, s3), canonicalQuery(req.query), ...headers, "", auth.signedHeaders.join(";"), payloadHash].join("\n");
}

/** Whitespace runs become one space, ends trimmed (a missing header signs as empty and will not match). */
function canonicalHeaderValue(value: string | undefined): string {
  return (value ?? "").replace(/[\r\n]/g, " ").replace(/[ \t]+/g, " ").trim();
}

/**
 * S3 signs the path exactly as sent. Other services sign it normalised (no empty, `.` or `..` segments) and
 * URI-encoded once more, which turns each `%XX` of the wire path into `%25XX`.
 */
function canonicalUri(path: string, s3: boolean): string {
  if (s3) return path || "/";
  const segments: string[] = [];
  for (const segment of path.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") segments.pop();
    else segments.push(segment);
  }
  const normalised = `/${segments.join("/")}${segments.length > 0 && path.endsWith("/") ? "/" : ""}`;
  return uriEncode(normalised).replace(/%2F/g, "/");
}

/** Every parameter but the signature, `key=value` both encoded, sorted by key then value. */
function canonicalQuery(query: URLSearchParams): string {
  const pairs: [string, string][] = [];
  for (const [key, value] of query) if (key.toLowerCase() !== "x-amz-signature") pairs.push([uriEncode(key), uriEncode(value)]);
  pairs.sort(([ka, va], [kb, vb]) => (ka < kb ? -1 : ka > kb ? 1 : va < vb ? -1 : va > vb ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join("&");
}

/** SigV4's encoding: RFC 3986 unreserved characters stay, everything else is %XX (uppercase). */
function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function signingKey(secret: string, [date, region, service, terminator]: string[]): Buffer {
  let key: Buffer = Buffer.from(`AWS4${secret}`, "utf8");
  for (const part of [date, region, service, terminator]) key = createHmac("sha256", key).update(part ?? "", "utf8").digest();
  return key;
}

function sha256Hex(data: string | Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
