import { describe, expect, test } from "vitest";
import { decodeAwsChunked, isAwsChunked, storedContentEncoding } from "../../src/embedded/protocols/aws-chunked.js";
import { parseXml, renderRestXmlError, toXml, xmlList } from "../../src/embedded/protocols/rest-xml.js";
import { AwsError, type WireRequest } from "../../src/embedded/protocols/types.js";
import { addressOf, bucketFromHost } from "../../src/embedded/services/s3/addressing.js";
import { checksumOf, compositeChecksum, createHasher } from "../../src/embedded/services/s3/checksums.js";
import { bucketNameProblem } from "../../src/embedded/services/s3/names.js";
import { operationOf } from "../../src/embedded/services/s3/router.js";

function wire(method: string, path: string, query = "", headers: Record<string, string> = {}, host = "s3.us-east-1.amazonaws.com"): WireRequest {
  return { method, path, query: new URLSearchParams(query), headers, body: Buffer.alloc(0), host };
}

describe("aws-chunked", () => {
  test("decodes signed chunks and trailers", () => {
    const raw = Buffer.from(
      "5;chunk-signature=aaaa\r\nhello\r\n6;chunk-signature=bbbb\r\n world\r\n0;chunk-signature=cccc\r\nx-amz-checksum-crc32:DUoRhQ==\r\nx-amz-trailer-signature:dddd\r\n\r\n",
    );
    const decoded = decodeAwsChunked(raw, 11);
    expect(decoded.body.toString()).toBe("hello world");
    expect(decoded.trailers).toEqual({ "x-amz-checksum-crc32": "DUoRhQ==", "x-amz-trailer-signature": "dddd" });
  });

  test("unsigned chunks as the SDK sends them, and malformed framing", () => {
    expect(decodeAwsChunked(Buffer.from("3\r\nabc\r\n0\r\n\r\n")).body.toString()).toBe("abc");
    expect(() => decodeAwsChunked(Buffer.from("3\r\nabc\r\n0\r\n\r\n"), 4)).toThrow(/x-amz-decoded-content-length/);
    expect(() => decodeAwsChunked(Buffer.from("zz\r\nabc\r\n"))).toThrow(AwsError);
    expect(() => decodeAwsChunked(Buffer.from("10\r\nabc\r\n0\r\n"))).toThrow(/shorter/);
    expect(isAwsChunked({ "content-encoding": "gzip,aws-chunked" })).toBe(true);
    expect(isAwsChunked({ "x-amz-content-sha256": "STREAMING-UNSIGNED-PAYLOAD-TRAILER" })).toBe(true);
    expect(storedContentEncoding({ "content-encoding": "gzip,aws-chunked" })).toBe("gzip");
    expect(storedContentEncoding({ "content-encoding": "aws-chunked" })).toBeUndefined();
  });
});

describe("checksums", () => {
  test("match the published check values", () => {
    const check = Buffer.from("123456789");
    const hex = (b64: string) => Buffer.from(b64, "base64").toString("hex");
    expect(hex(checksumOf("CRC32", check))).toBe("cbf43926");
    expect(hex(checksumOf("CRC32C", check))).toBe("e3069283");
    expect(hex(checksumOf("CRC64NVME", check))).toBe("ae8b14860a799888");
    expect(hex(checksumOf("SHA1", check))).toBe("f7c3bc1d808e04732adf679965ccc34ca7ae3441");
    // Uneven pieces mix the eight-bytes-at-a-time path of CRC64NVME with the byte-at-a-time one.
    const long = Buffer.from("123456789".repeat(1000));
    for (const algorithm of ["CRC32", "CRC32C", "CRC64NVME"] as const) {
      const hasher = createHasher(algorithm);
      for (const [from, to] of [[0, 3], [3, 4100], [4100, 4107], [4107, long.length]] as const) hasher.update(long.subarray(from, to));
      expect(hasher.digest().toString("base64"), algorithm).toBe(checksumOf(algorithm, long));
    }
    expect(compositeChecksum("CRC32", [checksumOf("CRC32", check), checksumOf("CRC32", check)])).toMatch(/^[A-Za-z0-9+/]{6}==-2$/);
  });
});

describe("restXml", () => {
  test("renders escaped XML with the S3 namespace and parses documents back", () => {
    const xml = toXml("Tagging", { TagSet: { Tag: [{ Key: "a&b", Value: "<x>\r\n" }, { Key: "c", Value: "" }] } });
    expect(xml).toContain('<Tagging xmlns="http://s3.amazonaws.com/doc/2006-03-01/">');
    expect(xml).toContain("<Key>a&amp;b</Key><Value>&lt;x&gt;&#13;\n</Value>");
    const parsed = parseXml(Buffer.from(xml), ["Tagging.TagSet.Tag"]);
    const tags = xmlList((parsed.Tagging as { TagSet: { Tag: unknown } }).TagSet.Tag);
    expect(tags).toEqual([
      { Key: "a&b", Value: "<x>\r\n" },
      { Key: "c", Value: "" },
    ]);
    expect(() => parseXml(Buffer.from("<Delete><Object></Delete>"))).toThrow(/MalformedXML|not well-formed/);
  });

  test("errors: an XML body with the fields, none for HEAD", () => {
    const err = new AwsError("NoSuchBucket", "The specified bucket does not exist", 404, { BucketName: "b" });
    const get = renderRestXmlError(err, wire("GET", "/b"), "req-1");
    expect(get.status).toBe(404);
    expect(get.headers["x-lakewarden-error"]).toBe("NoSuchBucket");
    expect(get.body.toString()).toMatch(/^<\?xml.*<Error><Code>NoSuchBucket<\/Code><Message>The specified bucket does not exist<\/Message><BucketName>b<\/BucketName><RequestId>req-1<\/RequestId>/s);
    const head = renderRestXmlError(err, wire("HEAD", "/b"), "req-2");
    expect(head.status).toBe(404);
    expect((head.body as Buffer).length).toBe(0);
  });
});

describe("addressing and routing", () => {
  test("virtual-host and path style", () => {
    expect(bucketFromHost("my-bucket.s3.us-east-1.amazonaws.com")).toBe("my-bucket");
    expect(bucketFromHost("my.dotted.bucket.s3.eu-west-1.amazonaws.com")).toBe("my.dotted.bucket");
    expect(bucketFromHost("my-bucket.s3.amazonaws.com")).toBe("my-bucket");
    expect(bucketFromHost("my-bucket.localhost:4566")).toBe("my-bucket");
    expect(bucketFromHost("s3.us-east-1.amazonaws.com")).toBeUndefined();
    expect(bucketFromHost("s3.amazonaws.com")).toBeUndefined();
    expect(bucketFromHost("localhost:4566")).toBeUndefined();
    expect(bucketFromHost("127.0.0.1:4566")).toBeUndefined();
    expect(addressOf(wire("GET", "/b/a%20b/c%3D1"))).toEqual({ bucket: "b", key: "a b/c=1" });
    expect(addressOf(wire("GET", "/a%2Bb", "", {}, "b.localhost:9000"))).toEqual({ bucket: "b", key: "a+b" });
    expect(addressOf(wire("GET", "/", "", {}, "b.localhost:9000"))).toEqual({ bucket: "b" });
    expect(addressOf(wire("GET", "/"))).toEqual({});
  });

  test("operations from method, path and query markers", () => {
    const op = (method: string, path: string, query = "", headers: Record<string, string> = {}) => operationOf(wire(method, path, query, headers), addressOf(wire(method, path)));
    expect(op("GET", "/")).toBe("ListBuckets");
    expect(op("PUT", "/b")).toBe("CreateBucket");
    expect(op("GET", "/b", "list-type=2")).toBe("ListObjectsV2");
    expect(op("GET", "/b")).toBe("ListObjects");
    expect(op("GET", "/b", "versions")).toBe("ListObjectVersions");
    expect(op("GET", "/b", "location")).toBe("GetBucketLocation");
    expect(op("PUT", "/b", "lifecycle")).toBe("PutBucketLifecycleConfiguration");
    expect(op("DELETE", "/b", "publicAccessBlock")).toBe("DeletePublicAccessBlock");
    expect(op("POST", "/b", "delete")).toBe("DeleteObjects");
    expect(op("PUT", "/b/k")).toBe("PutObject");
    expect(op("PUT", "/b/k", "", { "x-amz-copy-source": "b/j" })).toBe("CopyObject");
    expect(op("PUT", "/b/k", "partNumber=1&uploadId=u")).toBe("UploadPart");
    expect(op("PUT", "/b/k", "partNumber=1&uploadId=u", { "x-amz-copy-source": "b/j" })).toBe("UploadPartCopy");
    expect(op("POST", "/b/k", "uploads")).toBe("CreateMultipartUpload");
    expect(op("POST", "/b/k", "uploadId=u")).toBe("CompleteMultipartUpload");
    expect(op("GET", "/b/k", "uploadId=u")).toBe("ListParts");
    expect(op("DELETE", "/b/k", "uploadId=u")).toBe("AbortMultipartUpload");
  });

  test("bucket naming rules", () => {
    expect(bucketNameProblem("ecomm-raw-data-lake")).toBeUndefined();
    expect(bucketNameProblem("a.b-c")).toBeUndefined();
    expect(bucketNameProblem("Bucket")).toMatch(/lowercase/);
    expect(bucketNameProblem("bucket-s3alias")).toMatch(/suffix/);
  });
});
