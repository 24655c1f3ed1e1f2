import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  DeletePolicyCommand,
  DeletePolicyVersionCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListPoliciesCommand,
  ListPolicyVersionsCommand,
  ListRolePoliciesCommand,
  ListRoleTagsCommand,
  ListRolesCommand,
  paginateListRoles,
  PutRolePolicyCommand,
  SetDefaultPolicyVersionCommand,
  TagRoleCommand,
  UntagRoleCommand,
  UpdateAssumeRolePolicyCommand,
  UpdateRoleCommand,
} from "@aws-sdk/client-iam";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifySignature } from "../../src/embedded/auth/sigv4.js";
import { CallLog } from "../../src/embedded/call-log.js";
import { Dispatcher } from "../../src/embedded/dispatcher.js";
import { Faults } from "../../src/embedded/faults.js";
import { startHttpServer } from "../../src/embedded/http-server.js";
import { InProcessHandler } from "../../src/embedded/in-process-handler.js";
import { createIamService } from "../../src/embedded/services/iam/index.js";
import { createStsService } from "../../src/embedded/services/sts/index.js";
import { parseQueryParams, renderXmlValue } from "../../src/embedded/protocols/query.js";
import { openStateDb } from "../../src/embedded/store/db.js";

const credentials = { accessKeyId: "LKIALAKEWARDENLOCAL1", secretAccessKey: "lakewarden-local-secret-access-key" };
const stateDir = mkdtempSync(join(tmpdir(), "lakewarden-iam-"));
const db = openStateDb(stateDir);
const services = [createIamService(), createStsService()];
for (const service of services) service.migrate(db);
const calls = new CallLog();
const common = { db, stateDir, accountId: "000000000000", region: "us-east-1", services, faults: new Faults(), calls };
const dispatcher = new Dispatcher(common);
const iam = new IAMClient({ region: "us-east-1", credentials, requestHandler: new InProcessHandler(dispatcher) });

afterAll(() => {
  iam.destroy();
  db.close();
  rmSync(stateDir, { recursive: true, force: true });
});

const trust = (service = "glue.amazonaws.com") =>
  JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }] });

const s3Read = JSON.stringify(
  { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["s3:GetObject", "s3:ListBucket"], Resource: ["arn:aws:s3:::raw", "arn:aws:s3:::raw/*"] }] },
  null,
  2,
);

/** The error an SDK call fails with (the test fails if it succeeds). */
async function failure(promise: Promise<unknown>): Promise<Error & { Code?: string; $metadata: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (err) {
    return err as Error & { Code?: string; $metadata: { httpStatusCode?: number } };
  }
  throw new Error("expected the call to fail");
}

describe("roles", () => {
  it("creates a role as AWS does: ids, ARN with path, defaults, tags, the trust policy URL-encoded", async () => {
    const created = await iam.send(
      new CreateRoleCommand({ RoleName: "GlueDataEngineerRole", Path: "/lake/", AssumeRolePolicyDocument: trust(), Description: "crawlers", Tags: [{ Key: "lakewarden:lake", Value: "ecomm" }] }),
    );
    const role = created.Role!;
    expect(role.RoleId).toMatch(/^AROA[A-Z2-7]{17}$/);
    expect(role.Arn).toBe("arn:aws:iam::000000000000:role/lake/GlueDataEngineerRole");
    expect(role.Path).toBe("/lake/");
    expect(role.CreateDate).toBeInstanceOf(Date);
    expect(role.MaxSessionDuration).toBe(3600);
    expect(role.Tags).toEqual([{ Key: "lakewarden:lake", Value: "ecomm" }]);
    expect(role.AssumeRolePolicyDocument).toBe(encodeURIComponent(trust()));
    expect(decodeURIComponent(role.AssumeRolePolicyDocument!)).toBe(trust());

    const got = (await iam.send(new GetRoleCommand({ RoleName: "GlueDataEngineerRole" }))).Role!;
    expect(got).toMatchObject({ RoleName: "GlueDataEngineerRole", RoleId: role.RoleId, Arn: role.Arn, Description: "crawlers", MaxSessionDuration: 3600 });
    expect(got.CreateDate?.getTime()).toBe(Math.floor(role.CreateDate!.getTime() / 1000) * 1000);
    expect(decodeURIComponent(got.AssumeRolePolicyDocument!)).toBe(trust());
  });

  it("refuses a second role of the same name, in any case: EntityAlreadyExistsException 409", async () => {
    for (const name of ["GlueDataEngineerRole", "gluedataengineerrole"]) {
      const err = await failure(iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: trust() })));
      expect(err.name).toBe("EntityAlreadyExistsException");
      expect(err.Code).toBe("EntityAlreadyExists");
      expect(err.$metadata.httpStatusCode).toBe(409);
      expect(err.message).toBe(`Role with name ${name} already exists.`);
    }
  });

  it("validates names, paths and session durations with AWS's ValidationError", async () => {
    const bad = [
      { RoleName: "bad name!", AssumeRolePolicyDocument: trust() },
      { RoleName: "x".repeat(65), AssumeRolePolicyDocument: trust() },
      { RoleName: "ok", Path: "no-slashes", AssumeRolePolicyDocument: trust() },
      { RoleName: "ok", MaxSessionDuration: 3599, AssumeRolePolicyDocument: trust() },
      { RoleName: "ok", MaxSessionDuration: 43201, AssumeRolePolicyDocument: trust() },
    ];
    for (const input of bad) {
      const err = await failure(iam.send(new CreateRoleCommand(input)));
      expect(err.name).toBe("ValidationError");
      expect(err.$metadata.httpStatusCode).toBe(400);
      expect(err.message).toMatch(/^1 validation error detected: Value '.*' at '\w+' failed to satisfy constraint: /);
    }
    const long = await iam.send(new CreateRoleCommand({ RoleName: "LongSessions", MaxSessionDuration: 43200, AssumeRolePolicyDocument: trust() }));
    expect(long.Role?.MaxSessionDuration).toBe(43200);
  });

  it("rejects a trust policy that is not JSON or not a trust policy: MalformedPolicyDocumentException", async () => {
    const cases: [string, string][] = [
      ["{not json", "This policy contains invalid Json"],
      ["[]", "This policy contains invalid Json"],
      [JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole" }] }), "Missing required field Principal"],
      [JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "glue.amazonaws.com" }, Action: "sts:AssumeRole", Resource: "*" }] }), "Has prohibited field Resource"],
      [JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Maybe", Principal: "*", Action: "sts:AssumeRole" }] }), "Invalid effect: Maybe"],
      [JSON.stringify({ Version: "1999-01-01", Statement: [] }), "The policy failed legacy parsing"],
    ];
    for (const [document, message] of cases) {
      const err = await failure(iam.send(new CreateRoleCommand({ RoleName: "Malformed", AssumeRolePolicyDocument: document })));
      expect(err.name).toBe("MalformedPolicyDocumentException");
      expect(err.$metadata.httpStatusCode).toBe(400);
      expect(err.message).toBe(message);
    }
    await expect(iam.send(new GetRoleCommand({ RoleName: "Malformed" }))).rejects.toMatchObject({ name: "NoSuchEntityException" });
  });

  it("answers NoSuchEntityException (404) for a role that does not exist, and logs the error code", async () => {
    calls.clear();
    const err = await failure(iam.send(new GetRoleCommand({ RoleName: "Nobody" })));
    expect(err.name).toBe("NoSuchEntityException");
    expect(err.Code).toBe("NoSuchEntity");
    expect(err.$metadata.httpStatusCode).toBe(404);
    expect(err.message).toBe("The role with name Nobody cannot be found.");
    expect(calls.all()).toEqual([expect.objectContaining({ service: "iam", operation: "GetRole", status: 404, error: "NoSuchEntity" })]);
    for (const command of [new DeleteRoleCommand({ RoleName: "Nobody" }), new UpdateRoleCommand({ RoleName: "Nobody" }), new ListRoleTagsCommand({ RoleName: "Nobody" })]) {
      await expect(iam.send(command as never)).rejects.toMatchObject({ name: "NoSuchEntityException" });
    }
  });

  it("updates the description, session duration and trust policy", async () => {
    await iam.send(new UpdateRoleCommand({ RoleName: "GlueDataEngineerRole", Description: "crawlers and jobs", MaxSessionDuration: 7200 }));
    await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: "GlueDataEngineerRole", PolicyDocument: trust("athena.amazonaws.com") }));
    const role = (await iam.send(new GetRoleCommand({ RoleName: "gluedataengineerrole" }))).Role!;
    expect(role).toMatchObject({ RoleName: "GlueDataEngineerRole", Description: "crawlers and jobs", MaxSessionDuration: 7200 });
    expect(decodeURIComponent(role.AssumeRolePolicyDocument!)).toBe(trust("athena.amazonaws.com"));
    await expect(iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: "GlueDataEngineerRole", PolicyDocument: "{" }))).rejects.toMatchObject({
      name: "MalformedPolicyDocumentException",
    });
    await expect(iam.send(new UpdateRoleCommand({ RoleName: "GlueDataEngineerRole", MaxSessionDuration: 60 }))).rejects.toMatchObject({ name: "ValidationError" });
    await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: "GlueDataEngineerRole", PolicyDocument: trust() }));
  });

  it("lists roles by path prefix", async () => {
    const lake = await iam.send(new ListRolesCommand({ PathPrefix: "/lake/" }));
    expect(lake.Roles?.map((r) => r.RoleName)).toEqual(["GlueDataEngineerRole"]);
    expect(lake.IsTruncated).toBe(false);
    expect(decodeURIComponent(lake.Roles![0]!.AssumeRolePolicyDocument!)).toBe(trust());
    const all = await iam.send(new ListRolesCommand({}));
    expect(all.Roles?.map((r) => r.RoleName)).toEqual(["GlueDataEngineerRole", "LongSessions"]);
  });
});

describe("role tags", () => {
  it("tags, lists and untags; keys are case-insensitive", async () => {
    await iam.send(new TagRoleCommand({ RoleName: "GlueDataEngineerRole", Tags: [{ Key: "team", Value: "data" }, { Key: "Env", Value: "dev" }] }));
    await iam.send(new TagRoleCommand({ RoleName: "GlueDataEngineerRole", Tags: [{ Key: "env", Value: "prod" }] }));
    const tags = await iam.send(new ListRoleTagsCommand({ RoleName: "GlueDataEngineerRole" }));
    expect(tags.Tags).toEqual([
      { Key: "lakewarden:lake", Value: "ecomm" },
      { Key: "team", Value: "data" },
      { Key: "env", Value: "prod" },
    ]);
    expect(tags.IsTruncated).toBe(false);
    const paged = await iam.send(new ListRoleTagsCommand({ RoleName: "GlueDataEngineerRole", MaxItems: 2 }));
    expect(paged).toMatchObject({ IsTruncated: true, Tags: [{ Key: "lakewarden:lake" }, { Key: "team" }] });
    const rest = await iam.send(new ListRoleTagsCommand({ RoleName: "GlueDataEngineerRole", Marker: paged.Marker }));
    expect(rest).toMatchObject({ IsTruncated: false, Tags: [{ Key: "env", Value: "prod" }] });

    await iam.send(new UntagRoleCommand({ RoleName: "GlueDataEngineerRole", TagKeys: ["TEAM", "env"] }));
    const left = (await iam.send(new GetRoleCommand({ RoleName: "GlueDataEngineerRole" }))).Role!.Tags;
    expect(left).toEqual([{ Key: "lakewarden:lake", Value: "ecomm" }]);

    const dup = await failure(iam.send(new TagRoleCommand({ RoleName: "GlueDataEngineerRole", Tags: [{ Key: "a", Value: "1" }, { Key: "A", Value: "2" }] })));
    expect(dup.name).toBe("InvalidInputException");
    const many = Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: "v" }));
    expect((await failure(iam.send(new TagRoleCommand({ RoleName: "GlueDataEngineerRole", Tags: many })))).name).toBe("LimitExceededException");
  });
});

describe("inline role policies", () => {
  it("puts, gets (URL-encoded, exactly as given), lists and deletes", async () => {
    await iam.send(new PutRolePolicyCommand({ RoleName: "GlueDataEngineerRole", PolicyName: "raw-read", PolicyDocument: s3Read }));
    const special = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Sid: "Tagged", Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::raw/a b+c%/é/*", Condition: { StringEquals: { "aws:PrincipalTag/team": "data & <analytics> 'q' \"d\" 100%" } } }],
    });
    await iam.send(new PutRolePolicyCommand({ RoleName: "GlueDataEngineerRole", PolicyName: "special", PolicyDocument: special }));

    const got = await iam.send(new GetRolePolicyCommand({ RoleName: "GlueDataEngineerRole", PolicyName: "raw-read" }));
    expect(got).toMatchObject({ RoleName: "GlueDataEngineerRole", PolicyName: "raw-read" });
    expect(got.PolicyDocument).not.toContain("{");
    expect(decodeURIComponent(got.PolicyDocument!)).toBe(s3Read); // whitespace and all
    const gotSpecial = await iam.send(new GetRolePolicyCommand({ RoleName: "GlueDataEngineerRole", PolicyName: "special" }));
    expect(decodeURIComponent(gotSpecial.PolicyDocument!)).toBe(special);

    const list = await iam.send(new ListRolePoliciesCommand({ RoleName: "GlueDataEngineerRole" }));
    expect(list).toMatchObject({ PolicyNames: ["raw-read", "special"], IsTruncated: false });

    // Putting the same name again replaces the document.
    await iam.send(new PutRolePolicyCommand({ RoleName: "GlueDataEngineerRole", PolicyName: "special", PolicyDocument: s3Read }));
    expect(decodeURIComponent((await iam.send(new GetRolePolicyCommand({ RoleName: "GlueDataEngineerRole", PolicyName: "special" }))).PolicyDocument!)).toBe(s3Read);
    await iam.send(new DeleteRolePolicyCommand({ RoleName: "GlueDataEngineerRole", PolicyName: "special" }));
    expect((await iam.send(new ListRolePoliciesCommand({ RoleName: "GlueDataEngineerRole" }))).PolicyNames).toEqual(["raw-read"]);
  });

  it("answers NoSuchEntity for a missing policy and MalformedPolicyDocument for a bad one", async () => {
    const missing = await failure(iam.send(new GetRolePolicyCommand({ RoleName: "GlueDataEngineerRole", PolicyName: "nope" })));
    expect(missing.name).toBe("NoSuchEntityException");
    expect(missing.message).toBe("The role policy with name nope cannot be found.");
    await expect(iam.send(new DeleteRolePolicyCommand({ RoleName: "GlueDataEngineerRole", PolicyName: "nope" }))).rejects.toMatchObject({ name: "NoSuchEntityException" });
    await expect(iam.send(new PutRolePolicyCommand({ RoleName: "Nobody", PolicyName: "p", PolicyDocument: s3Read }))).rejects.toMatchObject({ name: "NoSuchEntityException" });

    const withPrincipal = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:*", Resource: "*" }] });
    const noResource = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:*" }] });
    const noVendor = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "GetObject", Resource: "*" }] });
    for (const [document, message] of [
      [withPrincipal, "Policy document should not specify a principal."],
      [noResource, "Policy statement must contain resources."],
      [noVendor, "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."],
      ["nope", "This policy contains invalid Json"],
    ]) {
      const err = await failure(iam.send(new PutRolePolicyCommand({ RoleName: "GlueDataEngineerRole", PolicyName: "bad", PolicyDocument: document })));
      expect(err.name).toBe("MalformedPolicyDocumentException");
      expect(err.message).toBe(message);
    }
  });

  it("enforces the 10,240-character quota on a role's inline policies", async () => {
    const big = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: Array.from({ length: 400 }, (_, i) => `arn:aws:s3:::bucket-${i}/*`) }] });
    const err = await failure(iam.send(new PutRolePolicyCommand({ RoleName: "GlueDataEngineerRole", PolicyName: "big", PolicyDocument: big })));
    expect(err.name).toBe("LimitExceededException");
  });
});

describe("attached managed policies", () => {
  const glueServiceRole = "arn:aws:iam::aws:policy/service-role/AWSGlueServiceRole";

  it("attaches AWS managed policies and lists them; attaching twice changes nothing", async () => {
    await iam.send(new AttachRolePolicyCommand({ RoleName: "GlueDataEngineerRole", PolicyArn: glueServiceRole }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: "GlueDataEngineerRole", PolicyArn: "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess" }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: "GlueDataEngineerRole", PolicyArn: glueServiceRole }));
    const list = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: "GlueDataEngineerRole" }));
    expect(list.AttachedPolicies).toEqual([
      { PolicyName: "AmazonS3ReadOnlyAccess", PolicyArn: "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess" },
      { PolicyName: "AWSGlueServiceRole", PolicyArn: glueServiceRole },
    ]);
    const servicePath = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: "GlueDataEngineerRole", PathPrefix: "/service-role/" }));
    expect(servicePath.AttachedPolicies?.map((p) => p.PolicyName)).toEqual(["AWSGlueServiceRole"]);
    expect((await iam.send(new GetPolicyCommand({ PolicyArn: glueServiceRole }))).Policy?.AttachmentCount).toBe(1);
  });

  it("answers NoSuchEntity for an unknown policy ARN, on attach and on detach", async () => {
    const err = await failure(iam.send(new AttachRolePolicyCommand({ RoleName: "GlueDataEngineerRole", PolicyArn: "arn:aws:iam::aws:policy/NoSuchPolicy" })));
    expect(err.name).toBe("NoSuchEntityException");
    expect(err.message).toBe("Policy arn:aws:iam::aws:policy/NoSuchPolicy does not exist or is not attachable.");
    await expect(iam.send(new AttachRolePolicyCommand({ RoleName: "GlueDataEngineerRole", PolicyArn: "arn:aws:iam::000000000000:policy/missing" }))).rejects.toMatchObject({
      name: "NoSuchEntityException",
    });
    await expect(iam.send(new DetachRolePolicyCommand({ RoleName: "GlueDataEngineerRole", PolicyArn: "arn:aws:iam::aws:policy/AmazonS3FullAccess" }))).rejects.toMatchObject({
      name: "NoSuchEntityException",
    });
    await expect(iam.send(new AttachRolePolicyCommand({ RoleName: "GlueDataEngineerRole", PolicyArn: "not-an-arn-at-all-really" }))).rejects.toMatchObject({
      name: "InvalidInputException",
    });
  });

  it("refuses to delete a role that still has policies (DeleteConflictException 409), then deletes it", async () => {
    await iam.send(new CreateRoleCommand({ RoleName: "Doomed", AssumeRolePolicyDocument: trust() }));
    await iam.send(new PutRolePolicyCommand({ RoleName: "Doomed", PolicyName: "inline", PolicyDocument: s3Read }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: "Doomed", PolicyArn: glueServiceRole }));
    const attached = await failure(iam.send(new DeleteRoleCommand({ RoleName: "Doomed" })));
    expect(attached.name).toBe("DeleteConflictException");
    expect(attached.$metadata.httpStatusCode).toBe(409);
    expect(attached.message).toBe("Cannot delete entity, must detach all policies first.");
    await iam.send(new DetachRolePolicyCommand({ RoleName: "Doomed", PolicyArn: glueServiceRole }));
    const inline = await failure(iam.send(new DeleteRoleCommand({ RoleName: "Doomed" })));
    expect(inline.name).toBe("DeleteConflictException");
    expect(inline.message).toBe("Cannot delete entity, must delete policies first.");
    await iam.send(new DeleteRolePolicyCommand({ RoleName: "Doomed", PolicyName: "inline" }));
    await iam.send(new DeleteRoleCommand({ RoleName: "Doomed" }));
    await expect(iam.send(new GetRoleCommand({ RoleName: "Doomed" }))).rejects.toMatchObject({ name: "NoSuchEntityException" });
    await expect(iam.send(new DeleteRoleCommand({ RoleName: "Doomed" }))).rejects.toMatchObject({ name: "NoSuchEntityException" });
  });
});

describe("AWS managed policies", () => {
  const catalog = [
    "arn:aws:iam::aws:policy/service-role/AWSGlueServiceRole",
    "arn:aws:iam::aws:policy/AmazonS3FullAccess",
    "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
    "arn:aws:iam::aws:policy/AmazonAthenaFullAccess",
    "arn:aws:iam::aws:policy/AWSGlueConsoleFullAccess",
    "arn:aws:iam::aws:policy/CloudWatchLogsFullAccess",
    "arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy",
  ];

  it("serves each policy and its default version's document (URL-encoded JSON)", async () => {
    for (const arn of catalog) {
      const policy = (await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy!;
      expect(policy.Arn).toBe(arn);
      expect(policy.PolicyId).toMatch(/^ANPA[A-Z0-9]{17}$/);
      expect(policy.IsAttachable).toBe(true);
      expect(policy.DefaultVersionId).toMatch(/^v\d+$/);
      const version = (await iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: policy.DefaultVersionId }))).PolicyVersion!;
      expect(version.IsDefaultVersion).toBe(true);
      const document = JSON.parse(decodeURIComponent(version.Document!)) as { Version: string; Statement: unknown[] };
      expect(document.Version).toBe("2012-10-17");
      expect(document.Statement.length).toBeGreaterThan(0);
      const versions = await iam.send(new ListPolicyVersionsCommand({ PolicyArn: arn }));
      expect(versions.Versions?.map((v) => v.VersionId)).toEqual([policy.DefaultVersionId]);
    }
    const s3Full = await iam.send(new GetPolicyVersionCommand({ PolicyArn: "arn:aws:iam::aws:policy/AmazonS3FullAccess", VersionId: "v2" }));
    expect(JSON.parse(decodeURIComponent(s3Full.PolicyVersion!.Document!))).toEqual({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: ["s3:*", "s3-object-lambda:*"], Resource: "*" }],
    });
    await expect(iam.send(new GetPolicyVersionCommand({ PolicyArn: "arn:aws:iam::aws:policy/AmazonS3FullAccess", VersionId: "v1" }))).rejects.toMatchObject({
      name: "NoSuchEntityException",
    });
    await expect(iam.send(new GetPolicyCommand({ PolicyArn: "arn:aws:iam::aws:policy/AdministratorAccessNope" }))).rejects.toMatchObject({ name: "NoSuchEntityException" });
  });

  it("lists them by scope, path and attachment", async () => {
    const aws = await iam.send(new ListPoliciesCommand({ Scope: "AWS" }));
    expect(aws.Policies?.map((p) => p.Arn).sort()).toEqual([...catalog].sort());
    const service = await iam.send(new ListPoliciesCommand({ PathPrefix: "/service-role/" }));
    expect(service.Policies?.map((p) => p.PolicyName)).toEqual(["AWSGlueServiceRole"]);
    const attached = await iam.send(new ListPoliciesCommand({ OnlyAttached: true }));
    expect(attached.Policies?.map((p) => p.PolicyName)).toEqual(["AmazonS3ReadOnlyAccess", "AWSGlueServiceRole"]);
    const paged = await iam.send(new ListPoliciesCommand({ Scope: "AWS", MaxItems: 5 }));
    expect(paged.Policies).toHaveLength(5);
    expect(paged.IsTruncated).toBe(true);
    const rest = await iam.send(new ListPoliciesCommand({ Scope: "AWS", Marker: paged.Marker }));
    expect(rest.Policies).toHaveLength(2);
    expect(rest.IsTruncated).toBe(false);
  });

  it("cannot be changed: AccessDenied", async () => {
    const err = await failure(iam.send(new CreatePolicyVersionCommand({ PolicyArn: "arn:aws:iam::aws:policy/AmazonS3FullAccess", PolicyDocument: s3Read })));
    expect(err.name).toBe("AccessDenied");
    expect(err.$metadata.httpStatusCode).toBe(403);
    await expect(iam.send(new DeletePolicyCommand({ PolicyArn: "arn:aws:iam::aws:policy/AmazonS3FullAccess" }))).rejects.toMatchObject({ name: "AccessDenied" });
  });
});

describe("customer managed policies", () => {
  const arn = "arn:aws:iam::000000000000:policy/lake/ecomm-raw-read";
  const v2 = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }] });

  it("creates, reads and versions a policy, with a default version", async () => {
    const created = (await iam.send(new CreatePolicyCommand({ PolicyName: "ecomm-raw-read", Path: "/lake/", PolicyDocument: s3Read, Description: "raw", Tags: [{ Key: "k", Value: "v" }] }))).Policy!;
    expect(created).toMatchObject({ Arn: arn, PolicyName: "ecomm-raw-read", Path: "/lake/", DefaultVersionId: "v1", AttachmentCount: 0, IsAttachable: true });
    expect(created.PolicyId).toMatch(/^ANPA/);
    const got = (await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy!;
    expect(got).toMatchObject({ Description: "raw", Tags: [{ Key: "k", Value: "v" }] });
    const dup = await failure(iam.send(new CreatePolicyCommand({ PolicyName: "ecomm-raw-read", PolicyDocument: s3Read })));
    expect(dup.name).toBe("EntityAlreadyExistsException");
    await expect(iam.send(new CreatePolicyCommand({ PolicyName: "bad", PolicyDocument: trust() }))).rejects.toMatchObject({ name: "MalformedPolicyDocumentException" });

    const version = (await iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: v2, SetAsDefault: true }))).PolicyVersion!;
    expect(version).toMatchObject({ VersionId: "v2", IsDefaultVersion: true });
    expect(version.Document).toBeUndefined();
    expect((await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy?.DefaultVersionId).toBe("v2");

    const versions = await iam.send(new ListPolicyVersionsCommand({ PolicyArn: arn }));
    expect(versions.Versions?.map((v) => [v.VersionId, v.IsDefaultVersion])).toEqual([
      ["v2", true],
      ["v1", false],
    ]);
    const one = await iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: "v1" }));
    expect(decodeURIComponent(one.PolicyVersion!.Document!)).toBe(s3Read);
    expect(decodeURIComponent((await iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: "v2" }))).PolicyVersion!.Document!)).toBe(v2);

    await iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: arn, VersionId: "v1" }));
    expect((await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy?.DefaultVersionId).toBe("v1");
    await iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: arn, VersionId: "v2" }));
  });

  it("keeps at most five versions and never deletes the default one", async () => {
    for (let i = 3; i <= 5; i++) await iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: v2 }));
    const limit = await failure(iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: v2 })));
    expect(limit.name).toBe("LimitExceededException");
    const conflict = await failure(iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: "v2" })));
    expect(conflict.name).toBe("DeleteConflictException");
    expect(conflict.message).toBe("Cannot delete the default version of a policy.");
    await expect(iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: "v9" }))).rejects.toMatchObject({ name: "NoSuchEntityException" });
    for (const id of ["v1", "v3", "v4"]) await iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: id }));
    const after = await iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: v2 }));
    expect(after.PolicyVersion?.VersionId).toBe("v6"); // numbers are never reused
    const versions = await iam.send(new ListPolicyVersionsCommand({ PolicyArn: arn }));
    expect(versions.Versions?.map((v) => v.VersionId)).toEqual(["v6", "v5", "v2"]);
  });

  it("refuses to delete a policy that is attached or has other versions (DeleteConflict), then deletes it", async () => {
    await iam.send(new AttachRolePolicyCommand({ RoleName: "LongSessions", PolicyArn: arn }));
    expect((await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: "LongSessions" }))).AttachedPolicies).toEqual([{ PolicyName: "ecomm-raw-read", PolicyArn: arn }]);
    expect((await iam.send(new ListPoliciesCommand({ Scope: "Local", OnlyAttached: true }))).Policies?.map((p) => p.Arn)).toEqual([arn]);
    const attached = await failure(iam.send(new DeletePolicyCommand({ PolicyArn: arn })));
    expect(attached.name).toBe("DeleteConflictException");
    expect(attached.message).toBe("Cannot delete a policy attached to entities.");
    await iam.send(new DetachRolePolicyCommand({ RoleName: "LongSessions", PolicyArn: arn }));
    const versions = await failure(iam.send(new DeletePolicyCommand({ PolicyArn: arn })));
    expect(versions.name).toBe("DeleteConflictException");
    for (const id of ["v5", "v6"]) await iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: id }));
    await iam.send(new DeletePolicyCommand({ PolicyArn: arn }));
    await expect(iam.send(new GetPolicyCommand({ PolicyArn: arn }))).rejects.toMatchObject({ name: "NoSuchEntityException" });
    expect((await iam.send(new ListPoliciesCommand({ Scope: "Local" }))).Policies).toEqual([]);
  });
});

describe("pagination", () => {
  it("pages 250 roles with the SDK paginator (Marker / MaxItems / IsTruncated)", async () => {
    for (let i = 0; i < 250; i++) {
      await iam.send(new CreateRoleCommand({ RoleName: `bulk-${String(i).padStart(3, "0")}`, Path: "/bulk/", AssumeRolePolicyDocument: trust() }));
    }
    const pages: string[][] = [];
    for await (const page of paginateListRoles({ client: iam, pageSize: 100 }, { PathPrefix: "/bulk/" })) {
      pages.push(page.Roles!.map((r) => r.RoleName!));
    }
    expect(pages.map((p) => p.length)).toEqual([100, 100, 50]);
    const names = pages.flat();
    expect(new Set(names).size).toBe(250);
    expect(names).toEqual(Array.from({ length: 250 }, (_, i) => `bulk-${String(i).padStart(3, "0")}`));

    const first = await iam.send(new ListRolesCommand({ PathPrefix: "/bulk/" }));
    expect(first.Roles).toHaveLength(100); // MaxItems defaults to 100
    expect(first.IsTruncated).toBe(true);
    const everything = await iam.send(new ListRolesCommand({ MaxItems: 1000 }));
    expect(everything.Roles).toHaveLength(252);
    expect(everything.IsTruncated).toBe(false);
    expect(everything.Marker).toBeUndefined();
    await expect(iam.send(new ListRolesCommand({ MaxItems: 0 }))).rejects.toMatchObject({ name: "ValidationError" });
  });
});

describe("the awsQuery protocol", () => {
  it("parses nested lists, maps and empty lists from the form body", () => {
    const body = new URLSearchParams(
      "Action=PutMetricData&Version=2010-08-01&Namespace=Lakewarden" +
        "&MetricData.member.2.MetricName=b&MetricData.member.1.MetricName=a&MetricData.member.1.Value=1.5" +
        "&MetricData.member.1.Dimensions.member.1.Name=kind&MetricData.member.1.Dimensions.member.1.Value=bucket" +
        "&Attributes.entry.1.key=color&Attributes.entry.1.value=blue&Tags=&Policy.Statement=x%20y",
    );
    expect(parseQueryParams(body)).toEqual({
      Namespace: "Lakewarden",
      MetricData: [{ MetricName: "a", Value: "1.5", Dimensions: [{ Name: "kind", Value: "bucket" }] }, { MetricName: "b" }],
      Attributes: { color: "blue" },
      Tags: "",
      Policy: { Statement: "x y" },
    });
  });

  it("renders lists as <member>, Maps as <entry>, dates in ISO seconds, booleans lowercase, text escaped", () => {
    const xml = renderXmlValue({
      Names: ["a", "b"],
      Map: new Map([["k", "v"]]),
      When: new Date("2025-06-01T12:00:00.123Z"),
      Flag: false,
      Count: 3,
      Text: `<a href="x">&'`,
      Skipped: undefined,
    });
    expect(xml).toBe(
      "<Names><member>a</member><member>b</member></Names><Map><entry><key>k</key><value>v</value></entry></Map>" +
        "<When>2025-06-01T12:00:00Z</When><Flag>false</Flag><Count>3</Count><Text>&lt;a href=&quot;x&quot;&gt;&amp;&apos;</Text>",
    );
  });

  it("takes an empty list as the SDK sends it (`Tags=`)", async () => {
    const role = await iam.send(new CreateRoleCommand({ RoleName: "NoTags", AssumeRolePolicyDocument: trust(), Tags: [] }));
    expect(role.Role?.Tags).toBeUndefined();
    await iam.send(new DeleteRoleCommand({ RoleName: "NoTags" }));
  });

  it("answers an unknown action with InvalidAction and claims unsigned form POSTs of its version", async () => {
    const post = (body: string) =>
      dispatcher.dispatch({
        method: "POST",
        path: "/",
        query: new URLSearchParams(),
        headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
        body: Buffer.from(body),
        host: "localhost",
      });
    const unknown = await post("Action=FlyToTheMoon&Version=2010-05-08");
    expect(unknown.status).toBe(400);
    expect(String(unknown.body)).toContain("<Code>InvalidAction</Code>");
    expect(unknown.headers["x-lakewarden-error"]).toBeUndefined(); // consumed by the dispatcher

    const listed = await post("Action=ListRoles&Version=2010-05-08&PathPrefix=%2Flake%2F");
    expect(listed.status).toBe(200);
    const xml = String(listed.body);
    expect(xml).toMatch(/^<ListRolesResponse xmlns="https:\/\/iam\.amazonaws\.com\/doc\/2010-05-08\/"><ListRolesResult><Roles><member>/);
    expect(xml).toContain("<IsTruncated>false</IsTruncated>");
    expect(xml).toMatch(/<CreateDate>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ<\/CreateDate>/);
    expect(xml).toMatch(/<ResponseMetadata><RequestId>[0-9a-f-]{36}<\/RequestId><\/ResponseMetadata><\/ListRolesResponse>$/);

    const sts = await post("Action=GetCallerIdentity&Version=2011-06-15");
    expect(String(sts.body)).toContain("<GetCallerIdentityResponse");
    const other = await post("Action=ListRoles&Version=1999-01-01");
    expect(other.status).toBe(400);
    expect(String(other.body)).toContain("no embedded service answers");
  });
});

describe("over HTTP", () => {
  let server: Awaited<ReturnType<typeof startHttpServer>>;
  let remote: IAMClient;

  beforeAll(async () => {
    const signed = new Dispatcher({ ...common, authenticate: (req, service) => verifySignature(req, service.signingName, credentials) });
    server = await startHttpServer(signed, "127.0.0.1", 0);
    remote = new IAMClient({ region: "us-east-1", endpoint: server.url, credentials });
  });
  afterAll(async () => {
    remote.destroy();
    await server.close();
  });

  it("serves the same IAM, signed requests only", async () => {
    const document = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::000000000000:root" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "sts:ExternalId": "a b&c=d+é%" } } }] });
    await remote.send(new CreateRoleCommand({ RoleName: "OverHttp", AssumeRolePolicyDocument: document }));
    const role = (await remote.send(new GetRoleCommand({ RoleName: "OverHttp" }))).Role!;
    expect(decodeURIComponent(role.AssumeRolePolicyDocument!)).toBe(document);
    const err = await failure(remote.send(new GetRoleCommand({ RoleName: "NotThere" })));
    expect(err.name).toBe("NoSuchEntityException");
    const unsigned = await fetch(server.url, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "Action=ListRoles&Version=2010-05-08" });
    expect(unsigned.status).toBe(403);
    expect(await unsigned.text()).toContain("<Code>MissingAuthenticationToken</Code>");
  });
});
