import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { afterAll, describe, expect, it } from "vitest";
import { CallLog } from "../../src/embedded/call-log.js";
import { Dispatcher } from "../../src/embedded/dispatcher.js";
import { Faults } from "../../src/embedded/faults.js";
import { InProcessHandler } from "../../src/embedded/in-process-handler.js";
import { createIamService } from "../../src/embedded/services/iam/index.js";
import { createStsService } from "../../src/embedded/services/sts/index.js";
import { openStateDb } from "../../src/embedded/store/db.js";

const credentials = { accessKeyId: "LKIALAKEWARDENLOCAL1", secretAccessKey: "lakewarden-local-secret-access-key" };
const stateDir = mkdtempSync(join(tmpdir(), "lakewarden-sts-"));
const db = openStateDb(stateDir);
const services = [createIamService(), createStsService()];
for (const service of services) service.migrate(db);
const dispatcher = new Dispatcher({ db, stateDir, accountId: "000000000000", region: "us-east-1", services, faults: new Faults(), calls: new CallLog() });
const handler = new InProcessHandler(dispatcher);
const sts = new STSClient({ region: "us-east-1", credentials, requestHandler: handler });
const iam = new IAMClient({ region: "us-east-1", credentials, requestHandler: handler });

afterAll(() => {
  sts.destroy();
  iam.destroy();
  db.close();
  rmSync(stateDir, { recursive: true, force: true });
});

const trust = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::000000000000:root" }, Action: "sts:AssumeRole" }] });

describe("STS", () => {
  it("says who is calling: the root of account 000000000000", async () => {
    const me = await sts.send(new GetCallerIdentityCommand({}));
    expect(me).toMatchObject({ Account: "000000000000", Arn: "arn:aws:iam::000000000000:root", UserId: "000000000000" });
    expect(me.$metadata.httpStatusCode).toBe(200);
    expect(me.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("assumes a known role: temporary credentials, assumed-role ARN, expiry after the duration", async () => {
    const role = (await iam.send(new CreateRoleCommand({ RoleName: "Analyst", Path: "/lake/", AssumeRolePolicyDocument: trust, MaxSessionDuration: 7200 }))).Role!;
    const before = Date.now();
    const assumed = await sts.send(new AssumeRoleCommand({ RoleArn: role.Arn, RoleSessionName: "lakewarden-test", DurationSeconds: 7200 }));
    const c = assumed.Credentials!;
    expect(c.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(c.SecretAccessKey!.length).toBe(40);
    expect(c.SessionToken!.length).toBeGreaterThan(100);
    expect(c.Expiration).toBeInstanceOf(Date);
    expect(c.Expiration!.getTime()).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 7200_000);
    expect(assumed.AssumedRoleUser).toEqual({ AssumedRoleId: `${role.RoleId}:lakewarden-test`, Arn: "arn:aws:sts::000000000000:assumed-role/Analyst/lakewarden-test" });

    // A client using the temporary credentials is the assumed role.
    const asRole = new STSClient({ region: "us-east-1", credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! }, requestHandler: handler });
    const me = await asRole.send(new GetCallerIdentityCommand({}));
    expect(me).toMatchObject({ Account: "000000000000", Arn: "arn:aws:sts::000000000000:assumed-role/Analyst/lakewarden-test", UserId: `${role.RoleId}:lakewarden-test` });
    asRole.destroy();
  });

  it("denies an unknown role with AccessDenied (403), as AWS does", async () => {
    const arn = "arn:aws:iam::000000000000:role/Nobody";
    const err = (await sts.send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: "s1" })).catch((e: unknown) => e)) as Error & { $metadata: { httpStatusCode: number }; Code: string };
    expect(err.name).toBe("AccessDenied");
    expect(err.Code).toBe("AccessDenied");
    expect(err.$metadata.httpStatusCode).toBe(403);
    expect(err.message).toBe(`User: arn:aws:iam::000000000000:root is not authorized to perform: sts:AssumeRole on resource: ${arn}`);
  });

  it("validates the session name and the duration against the role's maximum", async () => {
    const arn = "arn:aws:iam::000000000000:role/lake/Analyst";
    await expect(sts.send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: "bad name" }))).rejects.toMatchObject({ name: "ValidationError" });
    await expect(sts.send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: "ok", DurationSeconds: 600 }))).rejects.toMatchObject({ name: "ValidationError" });
    const err = (await sts.send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: "ok", DurationSeconds: 7201 })).catch((e: unknown) => e)) as Error;
    expect(err.name).toBe("ValidationError");
    expect(err.message).toBe("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
    // The ARN must name the role's path too.
    await expect(sts.send(new AssumeRoleCommand({ RoleArn: "arn:aws:iam::000000000000:role/Analyst", RoleSessionName: "ok" }))).rejects.toMatchObject({ name: "AccessDenied" });
  });
});
