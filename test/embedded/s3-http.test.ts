import { Agent } from "node:http";
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { Readable } from "node:stream";
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { bodyText, failure, s3Harness, type S3Harness } from "./s3-harness.js";

let h: S3Harness;
beforeEach(() => {
  h = s3Harness();
});
afterEach(() => h.close());

/** Exercises one client end to end: buckets, objects (Buffer and stream bodies), listing, errors. */
async function roundTrip(client: S3Client, Bucket: string): Promise<void> {
  await client.send(new CreateBucketCommand({ Bucket }));
  await client.send(new HeadBucketCommand({ Bucket }));
  await client.send(new PutObjectCommand({ Bucket, Key: "dir/a b=1.txt", Body: "hello over http", ContentType: "text/plain" }));
  const streamed = Buffer.alloc(100_000, "z");
  await client.send(new PutObjectCommand({ Bucket, Key: "dir/streamed", Body: Readable.from([streamed.subarray(0, 60_000), streamed.subarray(60_000)]), ContentLength: streamed.length }));

  const got = await client.send(new GetObjectCommand({ Bucket, Key: "dir/a b=1.txt" }));
  expect(await bodyText(got.Body)).toBe("hello over http");
  const head = await client.send(new HeadObjectCommand({ Bucket, Key: "dir/streamed" }));
  expect(head.ContentLength).toBe(streamed.length);
  expect(await bodyText((await client.send(new GetObjectCommand({ Bucket, Key: "dir/streamed" }))).Body)).toBe(streamed.toString());

  const list = await client.send(new ListObjectsV2Command({ Bucket, Prefix: "dir/" }));
  expect(list.Contents?.map((c) => c.Key)).toEqual(["dir/a b=1.txt", "dir/streamed"]);

  expect(await failure(client.send(new GetObjectCommand({ Bucket, Key: "nope" })))).toMatchObject({ name: "NoSuchKey", status: 404 });
  expect(await failure(client.send(new HeadObjectCommand({ Bucket, Key: "nope" })))).toMatchObject({ name: "NotFound", status: 404 });
  expect(await failure(client.send(new GetObjectCommand({ Bucket: "missing-bucket", Key: "k" })))).toMatchObject({ name: "NoSuchBucket", status: 404 });
  expect(await failure(client.send(new PutObjectCommand({ Bucket, Key: "../up", Body: "x" })))).toMatchObject({ name: "InvalidArgument", status: 400 });
  await client.send(new DeleteObjectCommand({ Bucket, Key: "dir/streamed" }));
}

/** An HTTP agent that resolves `*.localhost` to 127.0.0.1, as browsers and systemd-resolved do. */
function localhostAgent(): Agent {
  const lookup = (hostname: string, options: unknown, callback: (...args: unknown[]) => void) => {
    if (!hostname.endsWith(".localhost")) return dnsLookup(hostname, options as never, callback as never);
    const address: LookupAddress = { address: "127.0.0.1", family: 4 };
    if ((options as { all?: boolean }).all) callback(null, [address]);
    else callback(null, address.address, address.family);
  };
  return new Agent({ lookup: lookup as never });
}

describe("over HTTP", () => {
  test("path style (forcePathStyle: true)", async () => {
    const server = await h.serve();
    const hosts = vi.spyOn(h.dispatcher, "dispatch");
    await roundTrip(server.client, "http-path-bucket");
    expect(hosts.mock.calls[0]![0].path).toMatch(/^\/http-path-bucket\/?$/);
    expect(hosts.mock.calls[0]![0].host).toBe(new URL(server.url).host);
    server.client.destroy();
    await server.close();
  });

  test("virtual-host style on http://localhost:PORT (forcePathStyle: false)", async () => {
    const server = await h.serve();
    const port = new URL(server.url).port;
    const client = new S3Client({ region: "us-east-1", credentials: { accessKeyId: "LKIALAKEWARDENLOCAL1", secretAccessKey: "x" }, endpoint: `http://localhost:${port}`, forcePathStyle: false, requestHandler: { httpAgent: localhostAgent() } });
    const dispatch = vi.spyOn(h.dispatcher, "dispatch");
    await roundTrip(client, "http-vhost-bucket");
    const put = dispatch.mock.calls.find(([req]) => req.method === "PUT" && req.path !== "/")![0];
    expect(put.host).toBe(`http-vhost-bucket.localhost:${port}`);
    expect(put.path).toBe("/dir/a%20b%3D1.txt");
    client.destroy();
    server.client.destroy();
    await server.close();
  });
});

describe("two processes on one state directory", () => {
  test("separate dispatchers and SQLite handles see each other's writes", async () => {
    const other = h.attach();
    const Bucket = "shared-bucket";
    await h.client.send(new CreateBucketCommand({ Bucket }));
    await other.client.send(new HeadBucketCommand({ Bucket }));
    await h.client.send(new PutObjectCommand({ Bucket, Key: "from-first", Body: "1" }));
    expect(await bodyText((await other.client.send(new GetObjectCommand({ Bucket, Key: "from-first" }))).Body)).toBe("1");
    await other.client.send(new PutObjectCommand({ Bucket, Key: "from-first", Body: "overwritten by second" }));
    expect(await bodyText((await h.client.send(new GetObjectCommand({ Bucket, Key: "from-first" }))).Body)).toBe("overwritten by second");

    // Interleaved writers on the same keys: every read sees one whole write, with matching metadata.
    await Promise.all(
      Array.from({ length: 40 }, (_, i) => (i % 2 ? h : other).client.send(new PutObjectCommand({ Bucket, Key: `race/${i % 4}`, Body: `writer ${i} `.repeat(i + 1) }))),
    );
    for (let k = 0; k < 4; k++) {
      const [a, b] = await Promise.all([h, other].map((x) => x.client.send(new GetObjectCommand({ Bucket, Key: `race/${k}`, ChecksumMode: "ENABLED" }))));
      const [ta, tb] = await Promise.all([bodyText(a!.Body), bodyText(b!.Body)]);
      expect(ta).toBe(tb);
      expect(ta.length).toBe(a!.ContentLength);
      expect(ta).toMatch(/^(writer \d+ )+$/);
    }
    await other.client.send(new DeleteObjectCommand({ Bucket, Key: "from-first" }));
    const keys = (await h.client.send(new ListObjectsV2Command({ Bucket }))).Contents?.map((c) => c.Key);
    expect(keys).toEqual(["race/0", "race/1", "race/2", "race/3"]);
  });
});
