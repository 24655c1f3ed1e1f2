/**
 * Interop: the real aws CLI v2 (Debian's, at /usr/bin/aws) against `lakewarden local serve`, both as real
 * processes. CI installs the CLI with `apt-get install awscli`; without it this suite fails, unless
 * LAKEWARDEN_SKIP_AWSCLI=1 says to skip it.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AwsCli, requireAwsCli, SKIP_AWSCLI, type AwsResult } from "../helpers/aws-cli.js";
import { startLocalServe, type LocalServe } from "../helpers/local-serve.js";

const BUCKET = "interop-bucket";
const ACCOUNT = "000000000000";
const CASE_TIMEOUT = 5 * 60_000; // a ceiling for the slowest machine, not a measured expectation

let serve: LocalServe | undefined;
let work = "";
let home = "";
let cli: AwsCli;
const aws = (args: string[], overrides?: NodeJS.ProcessEnv) => cli.run(args, overrides);
const show = (r: AwsResult) => cli.show(r);
const ok = (args: string[], overrides?: NodeJS.ProcessEnv) => cli.ok(args, overrides);
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the CLI's JSON, checked by each case
const okJson = <T = any>(args: string[], overrides?: NodeJS.ProcessEnv) => cli.okJson<T>(args, overrides);
const fails = (args: string[], errorCode: string, overrides?: NodeJS.ProcessEnv) => cli.fails(args, errorCode, overrides);

function file(path: string, content: string | Buffer): string {
  const full = join(work, path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, content);
  return full;
}

const lines = (text: string) => text.split(/\r?\n/).filter((l) => l.trim() !== "");
const sha256 = (data: Buffer) => createHash("sha256").update(data).digest("hex");
const md5 = (data: Buffer) => createHash("md5").update(data).digest();

/** The ETag S3 gives a multipart upload of `data` in `partSize` parts: md5 of the parts' md5s, dash, part count. */
function multipartEtag(data: Buffer, partSize: number): string {
  const digests: Buffer[] = [];
  for (let at = 0; at < data.length; at += partSize) digests.push(md5(data.subarray(at, at + partSize)));
  return `"${createHash("md5").update(Buffer.concat(digests)).digest("hex")}-${digests.length}"`;
}

describe.skipIf(SKIP_AWSCLI)("aws CLI v2 against lakewarden local serve", () => {
  beforeAll(async () => {
    requireAwsCli();
    work = mkdtempSync(join(tmpdir(), "lakewarden-awscli-"));
    home = join(work, "home");
    mkdirSync(home);
    serve = await startLocalServe();
    cli = new AwsCli(serve, work, home);
    expect(serve.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  afterAll(async () => {
    try {
      if (serve) {
        const code = await serve.stop();
        expect(code, `local serve did not exit cleanly on SIGTERM\n${serve.output().stderr}`).toBe(0);
      }
    } finally {
      if (work) rmSync(work, { recursive: true, force: true });
    }
  });

  it("1. makes a bucket, lists it and heads it", { timeout: CASE_TIMEOUT }, () => {
    expect(ok(["s3", "mb", `s3://${BUCKET}`]).stdout).toContain(`make_bucket: ${BUCKET}`);
    const listed = lines(ok(["s3", "ls"]).stdout);
    expect(listed.some((l) => l.endsWith(` ${BUCKET}`)), listed.join("\n")).toBe(true);
    const head = ok(["s3api", "head-bucket", "--bucket", BUCKET]);
    if (head.stdout.trim()) expect(JSON.parse(head.stdout)).toBeTypeOf("object"); // newer CLIs print BucketRegion
    fails(["s3api", "head-bucket", "--bucket", "interop-no-such-bucket"], "404");
  });

  it("2. copies small objects up and down, keys with spaces, = and +", { timeout: CASE_TIMEOUT }, () => {
    const content = Buffer.from('{"event":"view","page":"/p/é ü"}\n{"event":"buy"}\n', "utf8");
    const local = file("small.json", content);
    const keys = ["year=2025/month=06/a b.json", "year=2025/month=06/c+d=e f.json"];
    for (const key of keys) {
      expect(ok(["s3", "cp", local, `s3://${BUCKET}/${key}`, "--no-progress"]).stdout).toContain(`upload: `);
    }

    const top = lines(ok(["s3", "ls", `s3://${BUCKET}/`]).stdout);
    expect(top.map((l) => l.trim())).toContain("PRE year=2025/");
    const folder = lines(ok(["s3", "ls", `s3://${BUCKET}/year=2025/month=06/`]).stdout);
    for (const key of keys) expect(folder.some((l) => l.endsWith(` ${content.length} ${key.split("/").pop()}`)), folder.join("\n")).toBe(true);
    const recursive = lines(ok(["s3", "ls", `s3://${BUCKET}/`, "--recursive"]).stdout);
    for (const key of keys) expect(recursive.some((l) => l.endsWith(` ${content.length} ${key}`)), recursive.join("\n")).toBe(true);

    const listed = okJson(["s3api", "list-objects-v2", "--bucket", BUCKET, "--prefix", "year=2025/"]);
    expect(listed.Contents.map((o: { Key: string }) => o.Key).sort()).toEqual([...keys].sort());
    const head = okJson(["s3api", "head-object", "--bucket", BUCKET, "--key", keys[0]!]);
    expect(head.ContentLength).toBe(content.length);
    expect(head.ETag).toBe(`"${md5(content).toString("hex")}"`);

    for (const [i, key] of keys.entries()) {
      const down = join(work, `down-${i}.json`);
      expect(ok(["s3", "cp", `s3://${BUCKET}/${key}`, down, "--no-progress"]).stdout).toContain("download: ");
      expect(readFileSync(down).equals(content), `s3://${BUCKET}/${key} came back different`).toBe(true);
    }
  });

  it("3. copies a 20 MiB file up in three multipart parts and down, byte-identical", { timeout: CASE_TIMEOUT }, () => {
    const data = randomBytes(20 * 1024 * 1024);
    const local = file("big.bin", data);
    ok(["s3", "cp", local, `s3://${BUCKET}/big/big.bin`, "--no-progress"]);

    const head = okJson(["s3api", "head-object", "--bucket", BUCKET, "--key", "big/big.bin"]);
    expect(head.ContentLength).toBe(20971520);
    expect(head.ETag).toMatch(/^"[0-9a-f]{32}-3"$/);
    expect(head.ETag).toBe(multipartEtag(data, 8 * 1024 * 1024)); // the CLI's multipart_chunksize: 8 MiB

    const down = join(work, "big-down.bin");
    ok(["s3", "cp", `s3://${BUCKET}/big/big.bin`, down, "--no-progress"]);
    expect(sha256(readFileSync(down))).toBe(sha256(data));
  });

  it("4. syncs a folder, then a second sync uploads nothing", { timeout: CASE_TIMEOUT }, () => {
    const files = { "a.json": '{"a":1}\n', "b.json": '{"b":2}\n', "with space.txt": "spaced\n", "dt=2025-06-01/c.csv": "x,y\n1,2\n" };
    // Files older than their upload, as in real use: S3 keeps LastModified in whole seconds, so a file written in the
    // same second as its upload would look newer than its copy to `sync` (against AWS too) and be uploaded again.
    const past = new Date(Date.now() - 3600_000);
    for (const [path, content] of Object.entries(files)) utimesSync(file(join("sync", path), content), past, past);
    const folder = join(work, "sync");
    const target = `s3://${BUCKET}/synced/`;

    const first = ok(["s3", "sync", folder, target, "--no-progress"]);
    const uploads = lines(first.stdout).filter((l) => l.startsWith("upload:"));
    expect(uploads.length, show(first)).toBe(Object.keys(files).length);
    for (const path of Object.keys(files)) expect(uploads.some((l) => l.endsWith(` to ${target}${path}`)), show(first)).toBe(true);
    const listed = lines(ok(["s3", "ls", target, "--recursive"]).stdout);
    expect(listed.length, listed.join("\n")).toBe(Object.keys(files).length);

    const second = ok(["s3", "sync", folder, target, "--no-progress"]);
    expect(lines(second.stdout).filter((l) => l.startsWith("upload:")), show(second)).toEqual([]);

    // A changed file (other size) is the only one uploaded again.
    utimesSync(file(join("sync", "b.json"), '{"b":22}\n'), past, past);
    const third = ok(["s3", "sync", folder, target, "--no-progress"]);
    const again = lines(third.stdout).filter((l) => l.startsWith("upload:"));
    expect(again.length, show(third)).toBe(1);
    expect(again[0]?.endsWith(` to ${target}b.json`), show(third)).toBe(true);
  });

  it("5. removes objects one by one and recursively, and a bucket only once empty", { timeout: CASE_TIMEOUT }, () => {
    const bucket = "interop-removal";
    ok(["s3", "mb", `s3://${bucket}`]);
    const local = file("removal.txt", "to be removed\n");
    for (const key of ["keep/one.txt", "keep/two.txt", "dt=2025-06-01/three four.txt"]) ok(["s3", "cp", local, `s3://${bucket}/${key}`, "--no-progress"]);

    const notEmpty = fails(["s3", "rb", `s3://${bucket}`], "BucketNotEmpty");
    expect(notEmpty.stdout + notEmpty.stderr).toContain("remove_bucket failed");
    expect(lines(ok(["s3", "ls"]).stdout).some((l) => l.endsWith(` ${bucket}`))).toBe(true);

    expect(ok(["s3", "rm", `s3://${bucket}/keep/one.txt`]).stdout).toContain(`delete: s3://${bucket}/keep/one.txt`);
    const left = lines(ok(["s3", "ls", `s3://${bucket}/`, "--recursive"]).stdout);
    expect(left.map((l) => l.split(/\s+/).slice(3).join(" ")).sort()).toEqual(["dt=2025-06-01/three four.txt", "keep/two.txt"]);

    const rm = ok(["s3", "rm", `s3://${bucket}/`, "--recursive"]);
    expect(lines(rm.stdout).filter((l) => l.startsWith("delete:")).length, show(rm)).toBe(2);
    expect(ok(["s3", "ls", `s3://${bucket}/`, "--recursive"]).stdout.trim()).toBe("");

    expect(ok(["s3", "rb", `s3://${bucket}`]).stdout).toContain(`remove_bucket: ${bucket}`);
    expect(lines(ok(["s3", "ls"]).stdout).some((l) => l.endsWith(` ${bucket}`))).toBe(false);
    fails(["s3api", "head-bucket", "--bucket", bucket], "404");

    // The BucketNotEmpty refusal above is what the CLI shows; removing a bucket with --force empties it first.
    ok(["s3", "mb", `s3://${bucket}`]);
    ok(["s3", "cp", local, `s3://${bucket}/x.txt`, "--no-progress"]);
    fails(["s3api", "delete-bucket", "--bucket", bucket], "BucketNotEmpty");
    ok(["s3", "rb", `s3://${bucket}`, "--force"]);
  });

  it("6. blocks public access on a new bucket, and reads back a changed block", { timeout: CASE_TIMEOUT }, () => {
    const initial = okJson(["s3api", "get-public-access-block", "--bucket", BUCKET]);
    expect(initial.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true });

    const off = "BlockPublicAcls=false,IgnorePublicAcls=false,BlockPublicPolicy=false,RestrictPublicBuckets=false";
    ok(["s3api", "put-public-access-block", "--bucket", BUCKET, "--public-access-block-configuration", off]);
    const changed = okJson(["s3api", "get-public-access-block", "--bucket", BUCKET]);
    expect(changed.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: false, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: false });
  });

  it("7. tags a bucket; shows its default encryption and versioning", { timeout: CASE_TIMEOUT }, () => {
    ok(["s3api", "put-bucket-tagging", "--bucket", BUCKET, "--tagging", JSON.stringify({ TagSet: [{ Key: "team", Value: "data" }, { Key: "layer", Value: "raw zone" }] })]);
    const tagging = okJson(["s3api", "get-bucket-tagging", "--bucket", BUCKET]);
    expect(tagging.TagSet).toEqual(expect.arrayContaining([{ Key: "team", Value: "data" }, { Key: "layer", Value: "raw zone" }]));
    expect(tagging.TagSet).toHaveLength(2);

    const encryption = okJson(["s3api", "get-bucket-encryption", "--bucket", BUCKET]);
    expect(encryption.ServerSideEncryptionConfiguration.Rules[0].ApplyServerSideEncryptionByDefault.SSEAlgorithm).toBe("AES256");

    // A bucket never versioned: AWS answers an empty VersioningConfiguration, which the CLI prints as nothing.
    const never = ok(["s3api", "get-bucket-versioning", "--bucket", BUCKET]);
    expect(never.stdout.trim() === "" ? undefined : JSON.parse(never.stdout).Status, show(never)).toBeUndefined();

    const versioned = "interop-versioned";
    ok(["s3", "mb", `s3://${versioned}`]);
    ok(["s3api", "put-bucket-versioning", "--bucket", versioned, "--versioning-configuration", "Status=Enabled"]);
    expect(okJson(["s3api", "get-bucket-versioning", "--bucket", versioned]).Status).toBe("Enabled");
    ok(["s3api", "put-bucket-versioning", "--bucket", versioned, "--versioning-configuration", "Status=Suspended"]);
    expect(okJson(["s3api", "get-bucket-versioning", "--bucket", versioned]).Status).toBe("Suspended");
  });

  it("8. creates a role, attaches a managed policy, and refuses to delete it while attached", { timeout: CASE_TIMEOUT }, () => {
    const trust = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "glue.amazonaws.com" }, Action: "sts:AssumeRole" }] };
    const created = okJson(["iam", "create-role", "--role-name", "InteropRole", "--assume-role-policy-document", JSON.stringify(trust)]);
    expect(created.Role.RoleName).toBe("InteropRole");
    expect(created.Role.Arn).toBe(`arn:aws:iam::${ACCOUNT}:role/InteropRole`);

    const got = okJson(["iam", "get-role", "--role-name", "InteropRole"]);
    expect(got.Role.RoleName).toBe("InteropRole");
    expect(got.Role.Arn).toBe(`arn:aws:iam::${ACCOUNT}:role/InteropRole`);
    // IAM answers the document URL-encoded; the CLI decodes it into an object.
    expect(got.Role.AssumeRolePolicyDocument).toBeTypeOf("object");
    expect(got.Role.AssumeRolePolicyDocument.Statement[0].Principal.Service).toBe("glue.amazonaws.com");

    const policyArn = "arn:aws:iam::aws:policy/service-role/AWSGlueServiceRole";
    ok(["iam", "attach-role-policy", "--role-name", "InteropRole", "--policy-arn", policyArn]);
    const attached = okJson(["iam", "list-attached-role-policies", "--role-name", "InteropRole"]);
    expect(attached.AttachedPolicies).toEqual([{ PolicyName: "AWSGlueServiceRole", PolicyArn: policyArn }]);

    fails(["iam", "delete-role", "--role-name", "InteropRole"], "DeleteConflict");
    expect(okJson(["iam", "get-role", "--role-name", "InteropRole"]).Role.RoleName).toBe("InteropRole");

    ok(["iam", "detach-role-policy", "--role-name", "InteropRole", "--policy-arn", policyArn]);
    ok(["iam", "delete-role", "--role-name", "InteropRole"]);
    fails(["iam", "get-role", "--role-name", "InteropRole"], "NoSuchEntity");
  });

  it("9. tells the caller its account", { timeout: CASE_TIMEOUT }, () => {
    const identity = okJson(["sts", "get-caller-identity"]);
    expect(identity.Account).toBe(ACCOUNT);
    expect(identity.Arn).toMatch(new RegExp(`^arn:aws:(iam|sts)::${ACCOUNT}:`));
  });

  it("10. refuses wrong credentials", { timeout: CASE_TIMEOUT }, () => {
    const wrongSecret = { AWS_SECRET_ACCESS_KEY: "wrong" };
    fails(["s3", "ls"], "SignatureDoesNotMatch", wrongSecret);
    fails(["iam", "list-roles"], "SignatureDoesNotMatch", wrongSecret);

    const unknownKey = { AWS_ACCESS_KEY_ID: "AKIAINTEROPUNKNOWN00" };
    fails(["sts", "get-caller-identity"], "InvalidClientTokenId", unknownKey);
    fails(["s3", "ls"], "InvalidAccessKeyId", unknownKey);
    // Nothing was created by the refused calls, and the right credentials still work.
    expect(lines(ok(["s3", "ls"]).stdout).some((l) => l.endsWith(` ${BUCKET}`))).toBe(true);
  });
});
