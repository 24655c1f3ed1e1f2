import { CreateBucketCommand, ListObjectsCommand, ListObjectsV2Command, PutObjectCommand, paginateListObjectsV2 } from "@aws-sdk/client-s3";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { failure, s3Harness, type S3Harness } from "./s3-harness.js";

let h: S3Harness;
const Bucket = "list-bucket";
beforeEach(async () => {
  h = s3Harness();
  await h.client.send(new CreateBucketCommand({ Bucket }));
});
afterEach(() => h.close());

async function putAll(keys: string[]): Promise<void> {
  for (let i = 0; i < keys.length; i += 100) {
    await Promise.all(keys.slice(i, i + 100).map((Key) => h.client.send(new PutObjectCommand({ Bucket, Key, Body: Key }))));
  }
}

/** S3's order: UTF-8 bytes. */
const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

describe("ListObjectsV2", () => {
  test("the SDK paginator walks 2,500 keys in pages of 1,000, in key order", async () => {
    const keys = Array.from({ length: 2500 }, (_, i) => `events/day=${String(i % 25).padStart(2, "0")}/part-${String(i).padStart(5, "0")}.json`);
    await putAll(keys);
    const pages: number[] = [];
    const seen: string[] = [];
    for await (const page of paginateListObjectsV2({ client: h.client }, { Bucket, Prefix: "events/" })) {
      pages.push(page.KeyCount ?? 0);
      seen.push(...(page.Contents ?? []).map((c) => c.Key!));
    }
    expect(pages).toEqual([1000, 1000, 500]);
    expect(seen).toEqual([...keys].sort(byteOrder));

    const small: number[] = [];
    for await (const page of paginateListObjectsV2({ client: h.client, pageSize: 700 }, { Bucket, StartAfter: "events/day=23/" })) small.push(page.KeyCount ?? 0);
    expect(small).toEqual([200]);
  });

  test("Delimiter rolls keys up into CommonPrefixes, also across pages", async () => {
    await putAll(["top.txt", "a/1", "a/2", "a/b/3", "b/1", "c/1", "c/2", "d.txt"]);
    const first = await h.client.send(new ListObjectsV2Command({ Bucket, Delimiter: "/" }));
    expect(first.Contents?.map((c) => c.Key)).toEqual(["d.txt", "top.txt"]);
    expect(first.CommonPrefixes?.map((p) => p.Prefix)).toEqual(["a/", "b/", "c/"]);
    expect(first.KeyCount).toBe(5);

    const walked: string[] = [];
    let token: string | undefined;
    do {
      const page = await h.client.send(new ListObjectsV2Command({ Bucket, Delimiter: "/", MaxKeys: 2, ContinuationToken: token }));
      walked.push(...(page.CommonPrefixes ?? []).map((p) => `prefix:${p.Prefix}`), ...(page.Contents ?? []).map((c) => `key:${c.Key}`));
      token = page.NextContinuationToken;
      expect(page.IsTruncated).toBe(token !== undefined);
    } while (token);
    expect(walked.sort()).toEqual(["key:d.txt", "key:top.txt", "prefix:a/", "prefix:b/", "prefix:c/"]);

    const inA = await h.client.send(new ListObjectsV2Command({ Bucket, Prefix: "a/", Delimiter: "/" }));
    expect(inA.Contents?.map((c) => c.Key)).toEqual(["a/1", "a/2"]);
    expect(inA.CommonPrefixes?.map((p) => p.Prefix)).toEqual(["a/b/"]);
  });

  test("StartAfter, MaxKeys, FetchOwner and an incorrect continuation token", async () => {
    await putAll(["k1", "k2", "k3", "k4"]);
    const page = await h.client.send(new ListObjectsV2Command({ Bucket, StartAfter: "k1", MaxKeys: 2, FetchOwner: true }));
    expect(page.Contents?.map((c) => c.Key)).toEqual(["k2", "k3"]);
    expect(page.IsTruncated).toBe(true);
    expect(page.StartAfter).toBe("k1");
    expect(page.Contents?.[0]?.Owner?.ID).toMatch(/^[0-9a-f]{64}$/);
    expect((await h.client.send(new ListObjectsV2Command({ Bucket }))).Contents?.[0]?.Owner).toBeUndefined();
    expect(await failure(h.client.send(new ListObjectsV2Command({ Bucket, ContinuationToken: "garbage" })))).toMatchObject({ name: "InvalidArgument", status: 400 });
    expect((await h.client.send(new ListObjectsV2Command({ Bucket, MaxKeys: 0 }))).KeyCount).toBe(0);
  });

  test("keys are ordered by UTF-8 bytes, as on S3", async () => {
    const keys = ["\uff5e-fullwidth-tilde", "\u{1f600}-emoji", "z", "Z", "é", "a b", "a+b", "a/b"];
    await putAll(keys);
    const listed = (await h.client.send(new ListObjectsV2Command({ Bucket }))).Contents?.map((c) => c.Key);
    expect(listed).toEqual([...keys].sort(byteOrder));
    // One key a page: the same order through continuation tokens.
    const walked: string[] = [];
    for await (const page of paginateListObjectsV2({ client: h.client, pageSize: 1 }, { Bucket })) walked.push(...(page.Contents ?? []).map((c) => c.Key!));
    expect(walked).toEqual(listed);
  });

  test("EncodingType url encodes keys and prefixes in the answer", async () => {
    await putAll(["dir one/a b+c.txt", "dir one/é.txt", "x=1/y"]);
    const page = await h.client.send(new ListObjectsV2Command({ Bucket, EncodingType: "url", Prefix: "dir one/" }));
    expect(page.EncodingType).toBe("url");
    expect(page.Prefix).toBe("dir%20one/");
    expect(page.Contents?.map((c) => c.Key)).toEqual(["dir%20one/a%20b%2Bc.txt", "dir%20one/%C3%A9.txt"]);
    const rolled = await h.client.send(new ListObjectsV2Command({ Bucket, EncodingType: "url", Delimiter: "/" }));
    expect(rolled.CommonPrefixes?.map((p) => p.Prefix)).toEqual(["dir%20one/", "x%3D1/"]);
    expect(rolled.Contents ?? []).toEqual([]);
  });
});

describe("ListObjects (v1)", () => {
  test("Marker, NextMarker with a delimiter, Owner always", async () => {
    await putAll(["a/1", "a/2", "b", "c", "d/1"]);
    const first = await h.client.send(new ListObjectsCommand({ Bucket, MaxKeys: 2 }));
    expect(first.Contents?.map((c) => c.Key)).toEqual(["a/1", "a/2"]);
    expect(first.IsTruncated).toBe(true);
    expect(first.NextMarker).toBeUndefined();
    expect(first.Contents?.[0]?.Owner?.ID).toBeDefined();
    const second = await h.client.send(new ListObjectsCommand({ Bucket, MaxKeys: 2, Marker: "a/2" }));
    expect(second.Contents?.map((c) => c.Key)).toEqual(["b", "c"]);

    const rolled = await h.client.send(new ListObjectsCommand({ Bucket, Delimiter: "/", MaxKeys: 2 }));
    expect(rolled.CommonPrefixes?.map((p) => p.Prefix)).toEqual(["a/"]);
    expect(rolled.Contents?.map((c) => c.Key)).toEqual(["b"]);
    expect(rolled.NextMarker).toBe("b");
    const rest = await h.client.send(new ListObjectsCommand({ Bucket, Delimiter: "/", Marker: rolled.NextMarker }));
    expect(rest.Contents?.map((c) => c.Key)).toEqual(["c"]);
    expect(rest.CommonPrefixes?.map((p) => p.Prefix)).toEqual(["d/"]);
    expect(rest.IsTruncated).toBe(false);
  });
});
