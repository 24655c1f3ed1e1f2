import { existsSync } from "node:fs";
import { join } from "node:path";
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteBucketEncryptionCommand,
  DeleteBucketLifecycleCommand,
  DeleteBucketOwnershipControlsCommand,
  DeleteBucketPolicyCommand,
  DeleteBucketTaggingCommand,
  DeleteObjectCommand,
  DeletePublicAccessBlockCommand,
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketLocationCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  PutBucketEncryptionCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutPublicAccessBlockCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { InProcessHandler } from "../../src/embedded/in-process-handler.js";
import { credentials, failure, s3Harness, type S3Harness } from "./s3-harness.js";

let h: S3Harness;
beforeEach(() => {
  h = s3Harness();
});
afterEach(() => h.close());

describe("buckets", () => {
  test("CreateBucket, HeadBucket, ListBuckets, GetBucketLocation and DeleteBucket", async () => {
    await h.client.send(new CreateBucketCommand({ Bucket: "lake-raw" }));
    expect(existsSync(join(h.stateDir, "s3", "lake-raw"))).toBe(true);

    const head = await h.client.send(new HeadBucketCommand({ Bucket: "lake-raw" }));
    expect(head.BucketRegion).toBe("us-east-1");

    const list = await h.client.send(new ListBucketsCommand({}));
    expect(list.Buckets?.map((b) => b.Name)).toEqual(["lake-raw"]);
    expect(list.Buckets?.[0]?.CreationDate).toBeInstanceOf(Date);
    expect(list.Owner?.ID).toMatch(/^[0-9a-f]{64}$/);

    const location = await h.client.send(new GetBucketLocationCommand({ Bucket: "lake-raw" }));
    expect(location.LocationConstraint ?? "").toBe("");

    await h.client.send(new DeleteBucketCommand({ Bucket: "lake-raw" }));
    expect(existsSync(join(h.stateDir, "s3", "lake-raw"))).toBe(false);
    expect(await failure(h.client.send(new HeadBucketCommand({ Bucket: "lake-raw" })))).toMatchObject({ name: "NotFound", status: 404 });
    expect(await failure(h.client.send(new DeleteBucketCommand({ Bucket: "lake-raw" })))).toMatchObject({ name: "NoSuchBucket", status: 404 });
    expect((await h.client.send(new ListBucketsCommand({}))).Buckets ?? []).toEqual([]);
  });

  test("a LocationConstraint places the bucket in that region; a regional endpoint refuses another region", async () => {
    await h.client.send(new CreateBucketCommand({ Bucket: "lake-eu", CreateBucketConfiguration: { LocationConstraint: "eu-west-1" } }));
    expect((await h.client.send(new GetBucketLocationCommand({ Bucket: "lake-eu" }))).LocationConstraint).toBe("eu-west-1");
    expect((await h.client.send(new HeadBucketCommand({ Bucket: "lake-eu" }))).BucketRegion).toBe("eu-west-1");

    const euClient = new S3Client({ region: "eu-west-1", credentials, requestHandler: new InProcessHandler(h.dispatcher) });
    const otherRegion = { Bucket: "lake-eu-2", CreateBucketConfiguration: { LocationConstraint: "us-west-2" as const } };
    expect(await failure(euClient.send(new CreateBucketCommand(otherRegion)))).toMatchObject({ name: "IllegalLocationConstraintException", status: 400 });
    // The SDK fills in the client's region as LocationConstraint outside us-east-1.
    await euClient.send(new CreateBucketCommand({ Bucket: "lake-eu-2" }));
    expect((await h.client.send(new HeadBucketCommand({ Bucket: "lake-eu-2" }))).BucketRegion).toBe("eu-west-1");
    euClient.destroy();
    expect(await failure(h.client.send(new CreateBucketCommand({ Bucket: "lake-x", CreateBucketConfiguration: { LocationConstraint: "us-east-1" as never } })))).toMatchObject({
      name: "InvalidLocationConstraint",
    });
  });

  test("bucket names follow AWS's rules; re-creating an own bucket is BucketAlreadyOwnedByYou", async () => {
    for (const name of ["ab", "has_underscore", "-leading-hyphen", "two..dots", "192.168.5.4", "xn--punycode", "x".repeat(64)]) {
      expect(await failure(h.client.send(new CreateBucketCommand({ Bucket: name }))), name).toMatchObject({ name: "InvalidBucketName", status: 400 });
    }
    await h.client.send(new CreateBucketCommand({ Bucket: "my.dotted-bucket1" }));
    const again = await failure(h.client.send(new CreateBucketCommand({ Bucket: "my.dotted-bucket1" })));
    expect(again).toMatchObject({ name: "BucketAlreadyOwnedByYou", status: 409 });
    expect(again.error.BucketName).toBe("my.dotted-bucket1");
  });

  test("DeleteBucket refuses a bucket with objects or versions: BucketNotEmpty", async () => {
    await h.client.send(new CreateBucketCommand({ Bucket: "full-bucket" }));
    await h.client.send(new PutObjectCommand({ Bucket: "full-bucket", Key: "k", Body: "x" }));
    expect(await failure(h.client.send(new DeleteBucketCommand({ Bucket: "full-bucket" })))).toMatchObject({ name: "BucketNotEmpty", status: 409 });

    // Versioned: deleting the key leaves a version and a delete marker, which still keep the bucket.
    await h.client.send(new PutBucketVersioningCommand({ Bucket: "full-bucket", VersioningConfiguration: { Status: "Enabled" } }));
    await h.client.send(new DeleteObjectCommand({ Bucket: "full-bucket", Key: "k" }));
    expect(await failure(h.client.send(new DeleteBucketCommand({ Bucket: "full-bucket" })))).toMatchObject({ name: "BucketNotEmpty" });
  });

  test("operations on an unknown bucket fail with NoSuchBucket naming it", async () => {
    const err = await failure(h.client.send(new GetObjectCommand({ Bucket: "no-such-bucket", Key: "k" })));
    expect(err).toMatchObject({ name: "NoSuchBucket", status: 404 });
    expect(err.error.BucketName).toBe("no-such-bucket");
    expect(await failure(h.client.send(new PutObjectCommand({ Bucket: "no-such-bucket", Key: "k", Body: "x" })))).toMatchObject({ name: "NoSuchBucket" });
    expect(await failure(h.client.send(new GetBucketTaggingCommand({ Bucket: "no-such-bucket" })))).toMatchObject({ name: "NoSuchBucket" });
    expect(await failure(h.client.send(new HeadObjectCommand({ Bucket: "no-such-bucket", Key: "k" })))).toMatchObject({ name: "NotFound", status: 404 });
    expect(h.calls.all().map((c) => c.error)).toEqual(["NoSuchBucket", "NoSuchBucket", "NoSuchBucket", "NoSuchBucket"]);
  });
});

describe("bucket configuration", () => {
  beforeEach(async () => {
    await h.client.send(new CreateBucketCommand({ Bucket: "conf-bucket" }));
  });
  const Bucket = "conf-bucket";

  test("public access block: all four on for a new bucket, Put/Get/Delete", async () => {
    const initial = await h.client.send(new GetPublicAccessBlockCommand({ Bucket }));
    expect(initial.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true });
    await h.client.send(new PutPublicAccessBlockCommand({ Bucket, PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: false } }));
    const after = await h.client.send(new GetPublicAccessBlockCommand({ Bucket }));
    expect(after.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: false });
    await h.client.send(new DeletePublicAccessBlockCommand({ Bucket }));
    expect(await failure(h.client.send(new GetPublicAccessBlockCommand({ Bucket })))).toMatchObject({ name: "NoSuchPublicAccessBlockConfiguration", status: 404 });
  });

  test("default encryption: SSE-S3 for a new bucket, KMS when configured, back to SSE-S3 on delete", async () => {
    const initial = await h.client.send(new GetBucketEncryptionCommand({ Bucket }));
    expect(initial.ServerSideEncryptionConfiguration?.Rules).toEqual([{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" }, BucketKeyEnabled: false }]);
    expect((await h.client.send(new PutObjectCommand({ Bucket, Key: "a", Body: "x" }))).ServerSideEncryption).toBe("AES256");

    const kms = { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms" as const, KMSMasterKeyID: "alias/lake" }, BucketKeyEnabled: true };
    await h.client.send(new PutBucketEncryptionCommand({ Bucket, ServerSideEncryptionConfiguration: { Rules: [kms] } }));
    expect((await h.client.send(new GetBucketEncryptionCommand({ Bucket }))).ServerSideEncryptionConfiguration?.Rules).toEqual([kms]);
    const put = await h.client.send(new PutObjectCommand({ Bucket, Key: "b", Body: "x" }));
    expect(put).toMatchObject({ ServerSideEncryption: "aws:kms", SSEKMSKeyId: "alias/lake", BucketKeyEnabled: true });
    expect((await h.client.send(new HeadObjectCommand({ Bucket, Key: "b" }))).ServerSideEncryption).toBe("aws:kms");

    await h.client.send(new DeleteBucketEncryptionCommand({ Bucket }));
    expect((await h.client.send(new GetBucketEncryptionCommand({ Bucket }))).ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm).toBe("AES256");
    expect(
      await failure(h.client.send(new PutBucketEncryptionCommand({ Bucket, ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "DES" as never } }] } }))),
    ).toMatchObject({ name: "MalformedXML" });
  });

  test("versioning: no Status until first set, then Enabled or Suspended", async () => {
    expect((await h.client.send(new GetBucketVersioningCommand({ Bucket }))).Status).toBeUndefined();
    await h.client.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: "Enabled" } }));
    expect((await h.client.send(new GetBucketVersioningCommand({ Bucket }))).Status).toBe("Enabled");
    await h.client.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: "Suspended" } }));
    expect((await h.client.send(new GetBucketVersioningCommand({ Bucket }))).Status).toBe("Suspended");
    expect(await failure(h.client.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: "Off" as never } })))).toMatchObject({ name: "MalformedXML" });
  });

  test("tagging: NoSuchTagSet until set; duplicate keys are InvalidTag", async () => {
    expect(await failure(h.client.send(new GetBucketTaggingCommand({ Bucket })))).toMatchObject({ name: "NoSuchTagSet", status: 404 });
    const TagSet = [
      { Key: "lakewarden:lake", Value: "ecomm" },
      { Key: "team", Value: "data & analytics <core>" },
    ];
    await h.client.send(new PutBucketTaggingCommand({ Bucket, Tagging: { TagSet } }));
    expect((await h.client.send(new GetBucketTaggingCommand({ Bucket }))).TagSet).toEqual(TagSet);
    const duplicate = [
      { Key: "a", Value: "1" },
      { Key: "a", Value: "2" },
    ];
    expect(await failure(h.client.send(new PutBucketTaggingCommand({ Bucket, Tagging: { TagSet: duplicate } })))).toMatchObject({ name: "InvalidTag", status: 400 });
    await h.client.send(new DeleteBucketTaggingCommand({ Bucket }));
    expect(await failure(h.client.send(new GetBucketTaggingCommand({ Bucket })))).toMatchObject({ name: "NoSuchTagSet" });
  });

  test("lifecycle: rules kept as given, an ID generated when missing", async () => {
    expect(await failure(h.client.send(new GetBucketLifecycleConfigurationCommand({ Bucket })))).toMatchObject({ name: "NoSuchLifecycleConfiguration", status: 404 });
    const rules = [
      {
        ID: "expire-results",
        Status: "Enabled" as const,
        Filter: { Prefix: "athena/" },
        Expiration: { Days: 30 },
        Transitions: [
          { Days: 7, StorageClass: "STANDARD_IA" as const },
          { Days: 14, StorageClass: "GLACIER" as const },
        ],
      },
      {
        Status: "Disabled" as const,
        Filter: { And: { Prefix: "tmp/", Tags: [{ Key: "kind", Value: "scratch" }] } },
        NoncurrentVersionExpiration: { NoncurrentDays: 3 },
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
      },
    ];
    await h.client.send(new PutBucketLifecycleConfigurationCommand({ Bucket, LifecycleConfiguration: { Rules: rules } }));
    const got = await h.client.send(new GetBucketLifecycleConfigurationCommand({ Bucket }));
    expect(got.Rules?.[0]).toEqual(rules[0]);
    expect(got.Rules?.[1]).toMatchObject(rules[1]!);
    expect(got.Rules?.[1]?.ID).toMatch(/.+/);
    expect(got.TransitionDefaultMinimumObjectSize).toBe("all_storage_classes_128K");

    expect(
      await failure(h.client.send(new PutBucketLifecycleConfigurationCommand({ Bucket, LifecycleConfiguration: { Rules: [{ Status: "Enabled", Filter: {}, Expiration: { Days: 0 } }] } }))),
    ).toMatchObject({ name: "InvalidArgument" });
    await h.client.send(new DeleteBucketLifecycleCommand({ Bucket }));
    expect(await failure(h.client.send(new GetBucketLifecycleConfigurationCommand({ Bucket })))).toMatchObject({ name: "NoSuchLifecycleConfiguration" });
  });

  test("policy: stored and returned as given; MalformedPolicy for invalid JSON", async () => {
    expect(await failure(h.client.send(new GetBucketPolicyCommand({ Bucket })))).toMatchObject({ name: "NoSuchBucketPolicy", status: 404 });
    const policy = JSON.stringify(
      { Version: "2012-10-17", Statement: [{ Sid: "DenyInsecure", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: ["arn:aws:s3:::conf-bucket/*"], Condition: { Bool: { "aws:SecureTransport": "false" } } }] },
      null,
      2,
    );
    await h.client.send(new PutBucketPolicyCommand({ Bucket, Policy: policy }));
    expect((await h.client.send(new GetBucketPolicyCommand({ Bucket }))).Policy).toBe(policy);
    expect(await failure(h.client.send(new PutBucketPolicyCommand({ Bucket, Policy: "{not json" })))).toMatchObject({ name: "MalformedPolicy", status: 400 });
    expect(await failure(h.client.send(new PutBucketPolicyCommand({ Bucket, Policy: '{"Version":"2012-10-17"}' })))).toMatchObject({ name: "MalformedPolicy" });
    await h.client.send(new DeleteBucketPolicyCommand({ Bucket }));
    expect(await failure(h.client.send(new GetBucketPolicyCommand({ Bucket })))).toMatchObject({ name: "NoSuchBucketPolicy" });
  });

  test("ownership controls: BucketOwnerEnforced by default, Put/Get/Delete", async () => {
    expect((await h.client.send(new GetBucketOwnershipControlsCommand({ Bucket }))).OwnershipControls?.Rules).toEqual([{ ObjectOwnership: "BucketOwnerEnforced" }]);
    await h.client.send(new PutBucketOwnershipControlsCommand({ Bucket, OwnershipControls: { Rules: [{ ObjectOwnership: "ObjectWriter" }] } }));
    expect((await h.client.send(new GetBucketOwnershipControlsCommand({ Bucket }))).OwnershipControls?.Rules).toEqual([{ ObjectOwnership: "ObjectWriter" }]);
    await h.client.send(new DeleteBucketOwnershipControlsCommand({ Bucket }));
    expect(await failure(h.client.send(new GetBucketOwnershipControlsCommand({ Bucket })))).toMatchObject({ name: "OwnershipControlsNotFoundError", status: 404 });
  });
});
