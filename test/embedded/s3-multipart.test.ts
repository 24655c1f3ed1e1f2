import { createHash, randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListPartsCommand,
  PutObjectCommand,
  UploadPartCommand,
  UploadPartCopyCommand,
  type CompletedPart,
} from "@aws-sdk/client-s3";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { bodyBytes, failure, s3Harness, type S3Harness } from "./s3-harness.js";

let h: S3Harness;
const Bucket = "mpu-bucket";
const MiB = 1024 * 1024;
beforeEach(async () => {
  h = s3Harness();
  await h.client.send(new CreateBucketCommand({ Bucket }));
});
afterEach(() => h.close());

const md5 = (data: Buffer) => createHash("md5").update(data).digest();

async function uploadParts(Key: string, UploadId: string, parts: Buffer[]): Promise<CompletedPart[]> {
  const done: CompletedPart[] = [];
  for (const [i, Body] of parts.entries()) {
    const result = await h.client.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: i + 1, Body }));
    done.push({ PartNumber: i + 1, ETag: result.ETag, ChecksumCRC32: result.ChecksumCRC32 });
  }
  return done;
}

describe("multipart upload", () => {
  test("a 20 MB upload in three parts reads back byte-identical, with S3's multipart ETag", async () => {
    const Key = "big/file.bin";
    const data = randomBytes(20 * MiB);
    const parts = [data.subarray(0, 8 * MiB), data.subarray(8 * MiB, 16 * MiB), data.subarray(16 * MiB)];
    const { UploadId } = await h.client.send(new CreateMultipartUploadCommand({ Bucket, Key, ContentType: "application/octet-stream", Metadata: { kind: "big" } }));
    expect(UploadId).toBeDefined();
    const completed = await uploadParts(Key, UploadId!, parts);

    const listed = await h.client.send(new ListPartsCommand({ Bucket, Key, UploadId }));
    expect(listed.Parts?.map((p) => [p.PartNumber, p.Size])).toEqual([
      [1, 8 * MiB],
      [2, 8 * MiB],
      [3, 4 * MiB],
    ]);
    expect((await h.client.send(new ListMultipartUploadsCommand({ Bucket }))).Uploads?.map((u) => [u.Key, u.UploadId])).toEqual([[Key, UploadId]]);
    expect(await failure(h.client.send(new HeadObjectCommand({ Bucket, Key })))).toMatchObject({ name: "NotFound" });

    const done = await h.client.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: completed } }));
    const expectedEtag = `"${createHash("md5").update(Buffer.concat(parts.map(md5))).digest("hex")}-3"`;
    expect(done.ETag).toBe(expectedEtag);
    expect(done.Key).toBe(Key);
    expect(done.ChecksumCRC64NVME).toBeDefined();

    const got = await h.client.send(new GetObjectCommand({ Bucket, Key, ChecksumMode: "ENABLED" }));
    expect(got.ContentLength).toBe(data.length);
    expect(got.ETag).toBe(expectedEtag);
    expect(got.Metadata).toEqual({ kind: "big" });
    expect((await bodyBytes(got.Body)).equals(data)).toBe(true);
    expect(readFileSync(join(h.stateDir, "s3", Bucket, "big", "file.bin")).equals(data)).toBe(true);
    expect(existsSync(join(h.stateDir, "s3", ".uploads", UploadId!))).toBe(false);

    const second = await h.client.send(new GetObjectCommand({ Bucket, Key, PartNumber: 2 }));
    expect(second.PartsCount).toBe(3);
    expect(second.ContentRange).toBe(`bytes ${8 * MiB}-${16 * MiB - 1}/${20 * MiB}`);
    expect((await bodyBytes(second.Body)).equals(parts[1]!)).toBe(true);
    expect((await h.client.send(new ListMultipartUploadsCommand({ Bucket }))).Uploads ?? []).toEqual([]);
  });

  test("EntityTooSmall, InvalidPart, InvalidPartOrder, NoSuchUpload", async () => {
    const Key = "small";
    const { UploadId } = await h.client.send(new CreateMultipartUploadCommand({ Bucket, Key }));
    const completed = await uploadParts(Key, UploadId!, [Buffer.alloc(1024, 1), Buffer.alloc(1024, 2)]);
    const tooSmall = await failure(h.client.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: completed } })));
    expect(tooSmall).toMatchObject({ name: "EntityTooSmall", status: 400 });
    const wrongEtag = [{ PartNumber: 1, ETag: '"00000000000000000000000000000000"' }];
    expect(await failure(h.client.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: wrongEtag } })))).toMatchObject({ name: "InvalidPart" });
    expect(await failure(h.client.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: [completed[1]!, completed[0]!] } })))).toMatchObject({
      name: "InvalidPartOrder",
    });
    // A single small part is fine: only parts before the last have a minimum size.
    const one = await h.client.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: [completed[0]!] } }));
    expect(one.ETag).toMatch(/-1"$/);
    expect(await failure(h.client.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: [completed[0]!] } })))).toMatchObject({ name: "NoSuchUpload", status: 404 });
    expect(await failure(h.client.send(new UploadPartCommand({ Bucket, Key, UploadId: "nope", PartNumber: 1, Body: "x" })))).toMatchObject({ name: "NoSuchUpload" });
  });

  test("AbortMultipartUpload removes the upload and its parts", async () => {
    const { UploadId } = await h.client.send(new CreateMultipartUploadCommand({ Bucket, Key: "aborted" }));
    await uploadParts("aborted", UploadId!, [Buffer.from("part")]);
    expect(existsSync(join(h.stateDir, "s3", ".uploads", UploadId!))).toBe(true);
    await h.client.send(new AbortMultipartUploadCommand({ Bucket, Key: "aborted", UploadId }));
    expect(existsSync(join(h.stateDir, "s3", ".uploads", UploadId!))).toBe(false);
    expect(await failure(h.client.send(new ListPartsCommand({ Bucket, Key: "aborted", UploadId })))).toMatchObject({ name: "NoSuchUpload" });
    expect(await failure(h.client.send(new AbortMultipartUploadCommand({ Bucket, Key: "aborted", UploadId })))).toMatchObject({ name: "NoSuchUpload" });
  });

  test("a CRC32 upload has a composite checksum and needs each part's checksum on completion", async () => {
    const Key = "crc";
    const { UploadId, ChecksumAlgorithm } = await h.client.send(new CreateMultipartUploadCommand({ Bucket, Key, ChecksumAlgorithm: "CRC32" }));
    expect(ChecksumAlgorithm).toBe("CRC32");
    const completed = await uploadParts(Key, UploadId!, [Buffer.alloc(5 * MiB, 7), Buffer.from("tail")]);
    expect(completed.every((p) => p.ChecksumCRC32)).toBe(true);
    const withoutChecksums = completed.map(({ PartNumber, ETag }) => ({ PartNumber, ETag }));
    expect(await failure(h.client.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: withoutChecksums } })))).toMatchObject({ name: "InvalidRequest" });
    const done = await h.client.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: completed } }));
    expect(done.ChecksumCRC32).toMatch(/-2$/);
    expect(done.ChecksumType).toBe("COMPOSITE");
    // The SDK skips validating a composite checksum and reads the body.
    const got = await h.client.send(new GetObjectCommand({ Bucket, Key, ChecksumMode: "ENABLED" }));
    expect(got.ChecksumCRC32).toBe(done.ChecksumCRC32);
    expect((await bodyBytes(got.Body)).length).toBe(5 * MiB + 4);
  });

  test("UploadPartCopy copies a byte range of another object as a part", async () => {
    const source = randomBytes(6 * MiB);
    await h.client.send(new PutObjectCommand({ Bucket, Key: "source.bin", Body: source }));
    const Key = "assembled.bin";
    const { UploadId } = await h.client.send(new CreateMultipartUploadCommand({ Bucket, Key }));
    const copied = await h.client.send(new UploadPartCopyCommand({ Bucket, Key, UploadId, PartNumber: 1, CopySource: `${Bucket}/source.bin`, CopySourceRange: `bytes=0-${5 * MiB}` }));
    expect(copied.CopyPartResult?.ETag).toBe(`"${createHash("md5").update(source.subarray(0, 5 * MiB + 1)).digest("hex")}"`);
    const tail = await h.client.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: 2, Body: "end" }));
    await h.client.send(
      new CompleteMultipartUploadCommand({
        Bucket,
        Key,
        UploadId,
        MultipartUpload: {
          Parts: [
            { PartNumber: 1, ETag: copied.CopyPartResult?.ETag },
            { PartNumber: 2, ETag: tail.ETag },
          ],
        },
      }),
    );
    const got = await bodyBytes((await h.client.send(new GetObjectCommand({ Bucket, Key }))).Body);
    expect(got.equals(Buffer.concat([source.subarray(0, 5 * MiB + 1), Buffer.from("end")]))).toBe(true);
    expect(await failure(h.client.send(new UploadPartCopyCommand({ Bucket, Key: "x", UploadId, PartNumber: 1, CopySource: `${Bucket}/source.bin` })))).toMatchObject({ name: "NoSuchUpload" });
  });
});
