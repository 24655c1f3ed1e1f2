import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  ListObjectsV2Command,
  PutBucketVersioningCommand,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { bodyText, failure, s3Harness, type S3Harness } from "./s3-harness.js";

let h: S3Harness;
const Bucket = "versioned-bucket";
beforeEach(async () => {
  h = s3Harness();
  await h.client.send(new CreateBucketCommand({ Bucket }));
});
afterEach(() => h.close());

const enable = (Status: "Enabled" | "Suspended") => h.client.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status } }));
const put = (Key: string, Body: string) => h.client.send(new PutObjectCommand({ Bucket, Key, Body }));
const read = async (Key: string, VersionId?: string) => bodyText((await h.client.send(new GetObjectCommand({ Bucket, Key, VersionId }))).Body);
const versionFiles = () => (existsSync(join(h.stateDir, "s3", ".versions", Bucket)) ? readdirSync(join(h.stateDir, "s3", ".versions", Bucket)) : []);

describe("versioning Enabled", () => {
  test("each write keeps the previous version; the current one stays at the plain path", async () => {
    await put("doc.txt", "before versioning");
    await enable("Enabled");
    const v1 = await put("doc.txt", "one");
    const v2 = await put("doc.txt", "two");
    expect(v1.VersionId).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(v2.VersionId).not.toBe(v1.VersionId);
    expect(readFileSync(join(h.stateDir, "s3", Bucket, "doc.txt"), "utf8")).toBe("two");
    expect(versionFiles()).toHaveLength(2);

    expect(await read("doc.txt")).toBe("two");
    expect(await read("doc.txt", v1.VersionId)).toBe("one");
    expect(await read("doc.txt", "null")).toBe("before versioning");
    expect((await h.client.send(new HeadObjectCommand({ Bucket, Key: "doc.txt", VersionId: v1.VersionId }))).VersionId).toBe(v1.VersionId);
    expect(await failure(h.client.send(new GetObjectCommand({ Bucket, Key: "doc.txt", VersionId: "NoSuchVersionIdAtAll0000000000000" })))).toMatchObject({ name: "NoSuchVersion", status: 404 });

    // A copy source can name a version.
    const copy = await h.client.send(new CopyObjectCommand({ Bucket, Key: "restored.txt", CopySource: `${Bucket}/doc.txt?versionId=${v1.VersionId}` }));
    expect(copy.CopySourceVersionId).toBe(v1.VersionId);
    expect(await read("restored.txt")).toBe("one");

    const versions = await h.client.send(new ListObjectVersionsCommand({ Bucket, Prefix: "doc" }));
    expect(versions.Versions?.map((v) => [v.VersionId, v.IsLatest])).toEqual([
      [v2.VersionId, true],
      [v1.VersionId, false],
      ["null", false],
    ]);
  });

  test("DeleteObject adds a delete marker; deleting the marker brings the object back", async () => {
    await enable("Enabled");
    const v1 = await put("k", "content");
    const del = await h.client.send(new DeleteObjectCommand({ Bucket, Key: "k" }));
    expect(del.DeleteMarker).toBe(true);
    expect(del.VersionId).toBeDefined();
    expect(existsSync(join(h.stateDir, "s3", Bucket, "k"))).toBe(false);

    const missing = await failure(h.client.send(new GetObjectCommand({ Bucket, Key: "k" })));
    expect(missing).toMatchObject({ name: "NoSuchKey", status: 404 });
    expect(await failure(h.client.send(new HeadObjectCommand({ Bucket, Key: "k" })))).toMatchObject({ name: "NotFound" });
    expect(await failure(h.client.send(new GetObjectCommand({ Bucket, Key: "k", VersionId: del.VersionId })))).toMatchObject({ name: "MethodNotAllowed", status: 405 });
    expect((await h.client.send(new ListObjectsV2Command({ Bucket }))).KeyCount).toBe(0);

    const listed = await h.client.send(new ListObjectVersionsCommand({ Bucket }));
    expect(listed.DeleteMarkers?.map((m) => [m.VersionId, m.IsLatest])).toEqual([[del.VersionId, true]]);
    expect(listed.Versions?.map((v) => [v.VersionId, v.IsLatest])).toEqual([[v1.VersionId, false]]);

    const undelete = await h.client.send(new DeleteObjectCommand({ Bucket, Key: "k", VersionId: del.VersionId }));
    expect(undelete).toMatchObject({ DeleteMarker: true, VersionId: del.VersionId });
    expect(await read("k")).toBe("content");
    expect(readFileSync(join(h.stateDir, "s3", Bucket, "k"), "utf8")).toBe("content");

    // Deleting the current version promotes the previous one.
    const v2 = await put("k", "newer");
    await h.client.send(new DeleteObjectCommand({ Bucket, Key: "k", VersionId: v2.VersionId }));
    expect(await read("k")).toBe("content");
    await h.client.send(new DeleteObjectCommand({ Bucket, Key: "k", VersionId: v1.VersionId }));
    expect(await failure(h.client.send(new GetObjectCommand({ Bucket, Key: "k" })))).toMatchObject({ name: "NoSuchKey" });
    expect((await h.client.send(new ListObjectVersionsCommand({ Bucket }))).Versions ?? []).toEqual([]);
    expect(versionFiles()).toEqual([]);
  });

  test("ListObjectVersions pages with key and version-id markers", async () => {
    await enable("Enabled");
    for (const key of ["a", "b"]) for (let i = 0; i < 3; i++) await put(key, `${key}${i}`);
    const seen: string[] = [];
    let KeyMarker: string | undefined;
    let VersionIdMarker: string | undefined;
    for (;;) {
      const page = await h.client.send(new ListObjectVersionsCommand({ Bucket, MaxKeys: 2, KeyMarker, VersionIdMarker }));
      seen.push(...(page.Versions ?? []).map((v) => `${v.Key}:${v.IsLatest}`));
      if (!page.IsTruncated) break;
      KeyMarker = page.NextKeyMarker;
      VersionIdMarker = page.NextVersionIdMarker;
    }
    expect(seen).toEqual(["a:true", "a:false", "a:false", "b:true", "b:false", "b:false"]);
  });

  test("DeleteObjects with version ids removes those versions", async () => {
    await enable("Enabled");
    const v1 = await put("x", "1");
    await put("x", "2");
    const result = await h.client.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: [{ Key: "x", VersionId: v1.VersionId }, { Key: "y" }] } }));
    expect(result.Deleted).toEqual(
      expect.arrayContaining([expect.objectContaining({ Key: "x", VersionId: v1.VersionId }), expect.objectContaining({ Key: "y", DeleteMarker: true, DeleteMarkerVersionId: expect.any(String) })]),
    );
    expect((await h.client.send(new ListObjectVersionsCommand({ Bucket, Prefix: "x" }))).Versions).toHaveLength(1);
  });
});

describe("versioning Suspended", () => {
  test("writes replace the null version and keep the versions made while Enabled", async () => {
    await enable("Enabled");
    const kept = await put("s", "kept");
    await enable("Suspended");
    const first = await put("s", "null one");
    expect(first.VersionId).toBe("null");
    await put("s", "null two");
    expect(await read("s")).toBe("null two");
    expect(await read("s", kept.VersionId)).toBe("kept");
    const versions = await h.client.send(new ListObjectVersionsCommand({ Bucket }));
    expect(versions.Versions?.map((v) => v.VersionId)).toEqual(["null", kept.VersionId]);
    expect(versionFiles()).toHaveLength(1);

    const del = await h.client.send(new DeleteObjectCommand({ Bucket, Key: "s" }));
    expect(del).toMatchObject({ DeleteMarker: true, VersionId: "null" });
    const after = await h.client.send(new ListObjectVersionsCommand({ Bucket }));
    expect(after.DeleteMarkers?.map((m) => m.VersionId)).toEqual(["null"]);
    expect(after.Versions?.map((v) => v.VersionId)).toEqual([kept.VersionId]);
  });
});
