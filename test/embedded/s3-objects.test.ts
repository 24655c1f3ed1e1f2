import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { InProcessHandler } from "../../src/embedded/in-process-handler.js";
import { getStoredObject, listStoredObjects, putStoredObject } from "../../src/embedded/services/s3/object-store.js";
import { bodyBytes, bodyText, credentials, failure, s3Harness, type S3Harness } from "./s3-harness.js";

let h: S3Harness;
const Bucket = "obj-bucket";
beforeEach(async () => {
  h = s3Harness();
  await h.client.send(new CreateBucketCommand({ Bucket }));
});
afterEach(() => h.close());

const md5 = (data: string | Buffer) => createHash("md5").update(data).digest("hex");
const plainFile = (key: string) => join(h.stateDir, "s3", Bucket, ...key.split("/"));

describe("PutObject, GetObject, HeadObject", () => {
  test("round-trips bytes and metadata; the object is a plain file at s3/<bucket>/<key>", async () => {
    const body = "id,event\n1,view\n";
    const put = await h.client.send(
      new PutObjectCommand({ Bucket, Key: "data/raw/events.csv", Body: body, ContentType: "text/csv", CacheControl: "max-age=60", Metadata: { source: "gen-data", "run-id": "42" } }),
    );
    expect(put.ETag).toBe(`"${md5(body)}"`);
    expect(put.ServerSideEncryption).toBe("AES256");
    expect(put.VersionId).toBeUndefined();
    expect(readFileSync(plainFile("data/raw/events.csv"), "utf8")).toBe(body);

    const got = await h.client.send(new GetObjectCommand({ Bucket, Key: "data/raw/events.csv" }));
    expect(await bodyText(got.Body)).toBe(body);
    expect(got).toMatchObject({ ContentType: "text/csv", CacheControl: "max-age=60", ContentLength: body.length, ETag: put.ETag, Metadata: { source: "gen-data", "run-id": "42" } });
    expect(got.LastModified).toBeInstanceOf(Date);
    expect(got.LastModified!.getUTCMilliseconds()).toBe(0);

    const head = await h.client.send(new HeadObjectCommand({ Bucket, Key: "data/raw/events.csv" }));
    expect(head).toMatchObject({ ContentType: "text/csv", ContentLength: body.length, ETag: put.ETag, AcceptRanges: "bytes", ServerSideEncryption: "AES256" });
    expect(head.LastModified?.getTime()).toBe(got.LastModified?.getTime());
  });

  test("overwrites in place, and an empty object is an empty file", async () => {
    await h.client.send(new PutObjectCommand({ Bucket, Key: "k", Body: "first" }));
    await h.client.send(new PutObjectCommand({ Bucket, Key: "k", Body: "second" }));
    expect(readFileSync(plainFile("k"), "utf8")).toBe("second");
    await h.client.send(new PutObjectCommand({ Bucket, Key: "empty", Body: "" }));
    const got = await h.client.send(new GetObjectCommand({ Bucket, Key: "empty" }));
    expect(got.ContentLength).toBe(0);
    expect(await bodyText(got.Body)).toBe("");
    expect(readFileSync(plainFile("empty")).length).toBe(0);
    // Nothing is left behind in the temp folder.
    expect(readdirSync(join(h.stateDir, "s3", ".tmp"))).toEqual([]);
  });

  test("a missing key: GetObject NoSuchKey with the key, HeadObject NotFound", async () => {
    const get = await failure(h.client.send(new GetObjectCommand({ Bucket, Key: "missing/key.json" })));
    expect(get).toMatchObject({ name: "NoSuchKey", status: 404 });
    expect(get.error.Key).toBe("missing/key.json");
    expect(await failure(h.client.send(new HeadObjectCommand({ Bucket, Key: "missing/key.json" })))).toMatchObject({ name: "NotFound", status: 404 });
  });

  test("Content-MD5 and x-amz-checksum-* are verified: BadDigest", async () => {
    const wrongMd5 = createHash("md5").update("other").digest("base64");
    expect(await failure(h.client.send(new PutObjectCommand({ Bucket, Key: "m", Body: "data", ContentMD5: wrongMd5 })))).toMatchObject({ name: "BadDigest", status: 400 });
    const rightMd5 = createHash("md5").update("data").digest("base64");
    await h.client.send(new PutObjectCommand({ Bucket, Key: "m", Body: "data", ContentMD5: rightMd5 }));
    expect(await failure(h.client.send(new PutObjectCommand({ Bucket, Key: "c", Body: "data", ChecksumCRC32: "AAAAAA==" })))).toMatchObject({ name: "BadDigest", status: 400 });
    expect(await failure(h.client.send(new PutObjectCommand({ Bucket, Key: "c", Body: "data", ChecksumSHA256: "not-base64!" })))).toMatchObject({ name: "InvalidRequest" });
    expect(existsSync(plainFile("c"))).toBe(false);
  });

  test("checksums of every algorithm are stored and returned with ChecksumMode ENABLED", async () => {
    const body = Buffer.from("The quick brown fox jumps over the lazy dog\n".repeat(100));
    for (const algorithm of ["CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256"] as const) {
      const put = await h.client.send(new PutObjectCommand({ Bucket, Key: `sum/${algorithm}`, Body: body, ChecksumAlgorithm: algorithm }));
      const field = `Checksum${algorithm}` as const;
      expect(put[field], algorithm).toMatch(/^[A-Za-z0-9+/]+=*$/);
      expect(put.ChecksumType).toBe("FULL_OBJECT");
      // The SDK validates the returned checksum against the bytes it reads.
      const got = await h.client.send(new GetObjectCommand({ Bucket, Key: `sum/${algorithm}`, ChecksumMode: "ENABLED" }));
      expect(got[field]).toBe(put[field]);
      expect((await bodyBytes(got.Body)).equals(body)).toBe(true);
      const head = await h.client.send(new HeadObjectCommand({ Bucket, Key: `sum/${algorithm}`, ChecksumMode: "ENABLED" }));
      expect(head[field]).toBe(put[field]);
    }
    expect((await h.client.send(new HeadObjectCommand({ Bucket, Key: "sum/CRC32" }))).ChecksumCRC32).toBeUndefined();
  });

  test("with no checksum from the client, S3 computes a CRC64NVME", async () => {
    const client = new S3Client({ region: "us-east-1", credentials, requestHandler: new InProcessHandler(h.dispatcher), requestChecksumCalculation: "WHEN_REQUIRED" });
    const put = await client.send(new PutObjectCommand({ Bucket, Key: "plain", Body: "no checksum" }));
    expect(put.ChecksumCRC64NVME).toMatch(/^[A-Za-z0-9+/]{11}=$/);
    const got = await client.send(new GetObjectCommand({ Bucket, Key: "plain", ChecksumMode: "ENABLED" }));
    expect(got.ChecksumCRC64NVME).toBe(put.ChecksumCRC64NVME);
    expect(await bodyText(got.Body)).toBe("no checksum");
    client.destroy();
  });

  test("a stream Body arrives aws-chunked with a trailing checksum and is decoded", async () => {
    const seen: Record<string, string>[] = [];
    const inner = new InProcessHandler(h.dispatcher);
    const recording = Object.assign(Object.create(inner) as InProcessHandler, {
      handle: (request: { headers: Record<string, string> }) => {
        seen.push(request.headers);
        return inner.handle(request as never);
      },
    });
    const client = new S3Client({ region: "us-east-1", credentials, requestHandler: recording });
    const chunks = Array.from({ length: 40 }, (_, i) => Buffer.alloc(4096, 97 + (i % 26)));
    const expected = Buffer.concat(chunks);
    const put = await client.send(new PutObjectCommand({ Bucket, Key: "streamed.bin", Body: Readable.from(chunks), ContentLength: expected.length }));
    const headers = seen[0]!;
    expect(headers["content-encoding"]).toContain("aws-chunked");
    expect(headers["x-amz-trailer"]).toBe("x-amz-checksum-crc32");
    expect(headers["x-amz-decoded-content-length"]).toBe(String(expected.length));
    expect(put.ETag).toBe(`"${md5(expected)}"`);
    expect(put.ChecksumCRC32).toBeDefined();
    expect(readFileSync(plainFile("streamed.bin")).equals(expected)).toBe(true);
    const head = await client.send(new HeadObjectCommand({ Bucket, Key: "streamed.bin" }));
    expect(head.ContentEncoding).toBeUndefined();
    expect(head.ContentLength).toBe(expected.length);
    client.destroy();
  });
});

describe("ranges and conditions", () => {
  const body = "0123456789abcdefghij";
  beforeEach(async () => {
    await h.client.send(new PutObjectCommand({ Bucket, Key: "r", Body: body }));
  });

  test("Range gives 206 with Content-Range; past the end is InvalidRange (416)", async () => {
    const part = await h.client.send(new GetObjectCommand({ Bucket, Key: "r", Range: "bytes=2-5" }));
    expect(part.$metadata.httpStatusCode).toBe(206);
    expect(part.ContentRange).toBe("bytes 2-5/20");
    expect(part.ContentLength).toBe(4);
    expect(await bodyText(part.Body)).toBe("2345");
    expect(await bodyText((await h.client.send(new GetObjectCommand({ Bucket, Key: "r", Range: "bytes=-3" }))).Body)).toBe("hij");
    expect(await bodyText((await h.client.send(new GetObjectCommand({ Bucket, Key: "r", Range: "bytes=15-" }))).Body)).toBe("fghij");
    expect(await bodyText((await h.client.send(new GetObjectCommand({ Bucket, Key: "r", Range: "bytes=18-100" }))).Body)).toBe("ij");
    const beyond = await failure(h.client.send(new GetObjectCommand({ Bucket, Key: "r", Range: "bytes=20-30" })));
    expect(beyond).toMatchObject({ name: "InvalidRange", status: 416 });
    expect(beyond.error.ActualObjectSize).toBe("20");
  });

  test("If-Match / If-Unmodified-Since fail with 412, If-None-Match / If-Modified-Since give 304", async () => {
    const { ETag, LastModified } = await h.client.send(new HeadObjectCommand({ Bucket, Key: "r" }));
    expect(await bodyText((await h.client.send(new GetObjectCommand({ Bucket, Key: "r", IfMatch: ETag }))).Body)).toBe(body);
    expect(await failure(h.client.send(new GetObjectCommand({ Bucket, Key: "r", IfMatch: '"0000"' })))).toMatchObject({ name: "PreconditionFailed", status: 412 });
    expect((await failure(h.client.send(new GetObjectCommand({ Bucket, Key: "r", IfNoneMatch: ETag })))).status).toBe(304);
    expect((await failure(h.client.send(new GetObjectCommand({ Bucket, Key: "r", IfModifiedSince: LastModified })))).status).toBe(304);
    const earlier = new Date(LastModified!.getTime() - 60_000);
    expect(await failure(h.client.send(new GetObjectCommand({ Bucket, Key: "r", IfUnmodifiedSince: earlier })))).toMatchObject({ name: "PreconditionFailed" });
    await h.client.send(new GetObjectCommand({ Bucket, Key: "r", IfModifiedSince: earlier }));
    expect((await failure(h.client.send(new HeadObjectCommand({ Bucket, Key: "r", IfMatch: '"0000"' })))).status).toBe(412);
  });

  test("PutObject with If-None-Match: * refuses to overwrite: PreconditionFailed", async () => {
    expect(await failure(h.client.send(new PutObjectCommand({ Bucket, Key: "r", Body: "new", IfNoneMatch: "*" })))).toMatchObject({ name: "PreconditionFailed", status: 412 });
    expect(readFileSync(plainFile("r"), "utf8")).toBe(body);
    await h.client.send(new PutObjectCommand({ Bucket, Key: "fresh", Body: "new", IfNoneMatch: "*" }));
    expect(await failure(h.client.send(new PutObjectCommand({ Bucket, Key: "absent", Body: "x", IfMatch: '"abc"' })))).toMatchObject({ name: "NoSuchKey" });
  });
});

describe("CopyObject", () => {
  test("copies bytes; COPY keeps metadata, REPLACE takes the request's", async () => {
    const put = await h.client.send(new PutObjectCommand({ Bucket, Key: "src/a b=1.json", Body: '{"a":1}', ContentType: "application/json", Metadata: { origin: "x" } }));
    const copy = await h.client.send(new CopyObjectCommand({ Bucket, Key: "dst/copy.json", CopySource: `${Bucket}/${encodeURIComponent("src/a b=1.json")}` }));
    expect(copy.CopyObjectResult?.ETag).toBe(put.ETag);
    expect(copy.CopyObjectResult?.LastModified).toBeInstanceOf(Date);
    const head = await h.client.send(new HeadObjectCommand({ Bucket, Key: "dst/copy.json" }));
    expect(head).toMatchObject({ ContentType: "application/json", Metadata: { origin: "x" }, ContentLength: 7 });

    await h.client.send(
      new CopyObjectCommand({ Bucket, Key: "dst/replaced.json", CopySource: `/${Bucket}/src/a%20b%3D1.json`, MetadataDirective: "REPLACE", ContentType: "text/plain", Metadata: { fresh: "y" } }),
    );
    const replaced = await h.client.send(new HeadObjectCommand({ Bucket, Key: "dst/replaced.json" }));
    expect(replaced).toMatchObject({ ContentType: "text/plain", Metadata: { fresh: "y" } });
    expect(await bodyText((await h.client.send(new GetObjectCommand({ Bucket, Key: "dst/replaced.json" }))).Body)).toBe('{"a":1}');
  });

  test("copying an object onto itself needs a change; a missing source is NoSuchKey", async () => {
    await h.client.send(new PutObjectCommand({ Bucket, Key: "self", Body: "x" }));
    expect(await failure(h.client.send(new CopyObjectCommand({ Bucket, Key: "self", CopySource: `${Bucket}/self` })))).toMatchObject({ name: "InvalidRequest", status: 400 });
    await h.client.send(new CopyObjectCommand({ Bucket, Key: "self", CopySource: `${Bucket}/self`, MetadataDirective: "REPLACE", Metadata: { touched: "1" } }));
    expect((await h.client.send(new HeadObjectCommand({ Bucket, Key: "self" }))).Metadata).toEqual({ touched: "1" });
    expect(await failure(h.client.send(new CopyObjectCommand({ Bucket, Key: "x", CopySource: `${Bucket}/nope` })))).toMatchObject({ name: "NoSuchKey", status: 404 });
    expect(await failure(h.client.send(new CopyObjectCommand({ Bucket, Key: "x", CopySource: `no-such-bucket/self` })))).toMatchObject({ name: "NoSuchBucket" });
  });
});

describe("DeleteObject and DeleteObjects", () => {
  test("DeleteObject answers 204 whether or not the key exists, and removes the file and empty folders", async () => {
    await h.client.send(new PutObjectCommand({ Bucket, Key: "deep/er/file.txt", Body: "x" }));
    const del = await h.client.send(new DeleteObjectCommand({ Bucket, Key: "deep/er/file.txt" }));
    expect(del.$metadata.httpStatusCode).toBe(204);
    expect(existsSync(join(h.stateDir, "s3", Bucket, "deep"))).toBe(false);
    expect((await h.client.send(new DeleteObjectCommand({ Bucket, Key: "never-was" }))).$metadata.httpStatusCode).toBe(204);
  });

  test("DeleteObjects deletes a batch, reports per-key errors, and Quiet leaves out the successes", async () => {
    for (const key of ["a", "b", "c/d"]) await h.client.send(new PutObjectCommand({ Bucket, Key: key, Body: key }));
    const result = await h.client.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: [{ Key: "a" }, { Key: "c/d" }, { Key: "missing" }, { Key: "../escape" }] } }));
    expect(result.Deleted?.map((d) => d.Key).sort()).toEqual(["a", "c/d", "missing"]);
    expect(result.Errors).toEqual([expect.objectContaining({ Key: "../escape", Code: "InvalidArgument" })]);
    const quiet = await h.client.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: [{ Key: "b" }], Quiet: true } }));
    expect(quiet.Deleted ?? []).toEqual([]);
    expect((await h.client.send(new ListObjectsV2Command({ Bucket }))).KeyCount).toBe(0);
  });
});

describe("keys", () => {
  test("spaces, unicode, '=', '+' and other punctuation survive the round trip and are plain files", async () => {
    const keys = ["data/raw/year=2025/month=06/part 0001.json", "ünïcödé/日本語/😀.txt", "a+b/c&d/e%f/g?h#i.txt", "semi;colon,comma'quote\"!*()~.txt", "tilde~/space at end "];
    for (const key of keys) {
      await h.client.send(new PutObjectCommand({ Bucket, Key: key, Body: `body of ${key}` }));
      expect(await bodyText((await h.client.send(new GetObjectCommand({ Bucket, Key: key }))).Body)).toBe(`body of ${key}`);
      expect(readFileSync(plainFile(key), "utf8")).toBe(`body of ${key}`);
    }
    const listed = (await h.client.send(new ListObjectsV2Command({ Bucket }))).Contents?.map((c) => c.Key);
    expect(listed?.sort()).toEqual([...keys].sort());
  });

  test("a folder marker dir/ lives beside dir/file; a and a/b can both exist", async () => {
    await h.client.send(new PutObjectCommand({ Bucket, Key: "dir/", Body: "" }));
    await h.client.send(new PutObjectCommand({ Bucket, Key: "dir/file", Body: "in dir" }));
    await h.client.send(new PutObjectCommand({ Bucket, Key: "a", Body: "file a" }));
    await h.client.send(new PutObjectCommand({ Bucket, Key: "a/b", Body: "file a/b" }));
    await h.client.send(new PutObjectCommand({ Bucket, Key: "x/y", Body: "file x/y" }));
    await h.client.send(new PutObjectCommand({ Bucket, Key: "x", Body: "file x" }));
    await h.client.send(new PutObjectCommand({ Bucket, Key: "double//slash", Body: "double" }));
    for (const [key, text] of [["dir/", ""], ["dir/file", "in dir"], ["a", "file a"], ["a/b", "file a/b"], ["x/y", "file x/y"], ["x", "file x"], ["double//slash", "double"]]) {
      expect(await bodyText((await h.client.send(new GetObjectCommand({ Bucket, Key: key }))).Body), key).toBe(text);
    }
    expect(readFileSync(plainFile("dir/file"), "utf8")).toBe("in dir");
    expect(readFileSync(plainFile("a"), "utf8")).toBe("file a");
    expect(readFileSync(plainFile("x/y"), "utf8")).toBe("file x/y");
    expect(readdirSync(join(h.stateDir, "s3", ".conflicts", Bucket)).length).toBe(4); // dir/, a/b, x, double//slash

    const top = await h.client.send(new ListObjectsV2Command({ Bucket, Delimiter: "/" }));
    expect(top.Contents?.map((c) => c.Key)).toEqual(["a", "x"]);
    expect(top.CommonPrefixes?.map((p) => p.Prefix)).toEqual(["a/", "dir/", "double/", "x/"]);
    const inDir = await h.client.send(new ListObjectsV2Command({ Bucket, Prefix: "dir/", Delimiter: "/" }));
    expect(inDir.Contents?.map((c) => c.Key)).toEqual(["dir/", "dir/file"]);

    // Once `a` is gone, `a/b` stays readable from where it is.
    await h.client.send(new DeleteObjectCommand({ Bucket, Key: "a" }));
    expect(await bodyText((await h.client.send(new GetObjectCommand({ Bucket, Key: "a/b" }))).Body)).toBe("file a/b");
    await h.client.send(new DeleteObjectCommand({ Bucket, Key: "dir/" }));
    expect(await bodyText((await h.client.send(new GetObjectCommand({ Bucket, Key: "dir/file" }))).Body)).toBe("in dir");
  });

  test("keys that would escape the bucket folder are refused with InvalidArgument", async () => {
    for (const key of ["../outside.txt", "a/../../outside.txt", "./here", "a/./b", "a/..", "/absolute", "..\\windows", "nul\u0000byte"]) {
      const err = await failure(h.client.send(new PutObjectCommand({ Bucket, Key: key, Body: "x" })));
      expect(err, JSON.stringify(key)).toMatchObject({ name: "InvalidArgument", status: 400 });
      expect(String(err.error.message)).toMatch(/refuses the object key/);
      expect(await failure(h.client.send(new GetObjectCommand({ Bucket, Key: key })))).toMatchObject({ name: "InvalidArgument" });
    }
    expect(existsSync(join(h.stateDir, "s3", "outside.txt"))).toBe(false);
    expect(existsSync(join(h.stateDir, "outside.txt"))).toBe(false);
    expect((await h.client.send(new ListObjectsV2Command({ Bucket }))).KeyCount).toBe(0);
    // Dots inside a segment are ordinary characters.
    await h.client.send(new PutObjectCommand({ Bucket, Key: "a/..b/c..", Body: "fine" }));
    expect(readFileSync(plainFile("a/..b/c.."), "utf8")).toBe("fine");
  });
});

describe("object store for the other embedded services", () => {
  test("putStoredObject writes what GetObject reads; listStoredObjects gives the files to read in place", async () => {
    const ctx = { db: h.db, stateDir: h.stateDir, now: () => new Date() };
    const stored = await putStoredObject(ctx, Bucket, "athena/results/q1.csv", '"a"\n"1"\n', "text/csv");
    expect(stored.etag).toBe(`"${md5('"a"\n"1"\n')}"`);
    const got = await h.client.send(new GetObjectCommand({ Bucket, Key: "athena/results/q1.csv", ChecksumMode: "ENABLED" }));
    expect(got.ContentType).toBe("text/csv");
    expect(await bodyText(got.Body)).toBe('"a"\n"1"\n');
    await h.client.send(new PutObjectCommand({ Bucket, Key: "athena/results/q2.csv", Body: "x" }));
    expect(listStoredObjects(ctx, Bucket, "athena/").map((o) => [o.key, readFileSync(o.file, "utf8")])).toEqual([
      ["athena/results/q1.csv", '"a"\n"1"\n'],
      ["athena/results/q2.csv", "x"],
    ]);
    expect(getStoredObject(ctx, Bucket, "athena/nothing")).toBeUndefined();
    await expect(putStoredObject(ctx, "no-such-bucket", "k", "x")).rejects.toMatchObject({ code: "NoSuchBucket" });
  });
});
