import { execFile, spawnSync } from "node:child_process";
import { createHash, createHmac } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { IAMClient, ListRolesCommand } from "@aws-sdk/client-iam";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { SignatureV4 } from "@smithy/signature-v4";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifySignature } from "../../src/embedded/auth/sigv4.js";
import { CallLog } from "../../src/embedded/call-log.js";
import { Dispatcher } from "../../src/embedded/dispatcher.js";
import { Faults } from "../../src/embedded/faults.js";
import { startHttpServer } from "../../src/embedded/http-server.js";
import type { WireRequest } from "../../src/embedded/protocols/types.js";
import { createIamService } from "../../src/embedded/services/iam/index.js";
import { createStsService } from "../../src/embedded/services/sts/index.js";
import { openStateDb } from "../../src/embedded/store/db.js";

const credentials = { accessKeyId: "LKIALAKEWARDENLOCAL1", secretAccessKey: "lakewarden-local-secret-access-key" };
const wrongSecret = { ...credentials, secretAccessKey: "not-the-secret" };
const unknownKey = { accessKeyId: "AKIAUNKNOWNKEY000000", secretAccessKey: credentials.secretAccessKey };

/** node:crypto behind the hash interface @smithy/signature-v4 expects. */
type SourceData = string | ArrayBuffer | ArrayBufferView;
const bytes = (data: SourceData) =>
  typeof data === "string" ? Buffer.from(data) : ArrayBuffer.isView(data) ? Buffer.from(data.buffer, data.byteOffset, data.byteLength) : Buffer.from(data);
class Sha256 {
  private readonly hash;
  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash("sha256") : createHmac("sha256", bytes(secret));
  }
  update(data: SourceData): void {
    this.hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

interface SignableRequest {
  method: string;
  protocol: string;
  hostname: string;
  port?: number;
  path: string;
  query: Record<string, string | string[] | null>;
  headers: Record<string, string>;
  body?: string;
}

/** The signed request as it arrives over the wire: the query string encoded the way the SDK sends it, then parsed. */
function toWire(signed: SignableRequest): WireRequest {
  const encode = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const qs = Object.entries(signed.query)
    .flatMap(([k, v]) => (v === null ? [encode(k)] : (Array.isArray(v) ? v : [v]).map((x) => `${encode(k)}=${encode(x)}`)))
    .join("&");
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(signed.headers)) headers[k.toLowerCase()] = v;
  return { method: signed.method, path: signed.path, query: new URLSearchParams(qs), headers, body: Buffer.from(signed.body ?? ""), host: headers.host ?? signed.hostname };
}

const signer = (service: string, creds = credentials) => new SignatureV4({ service, region: "us-east-1", credentials: creds, sha256: Sha256, uriEscapePath: service !== "s3" });
const signingDate = new Date("2025-06-01T12:00:00Z"); // dates are not checked: an old signature still verifies

function s3Put(body = '{"event":"view"}\n'): SignableRequest {
  return {
    method: "PUT",
    protocol: "http:",
    hostname: "127.0.0.1",
    port: 4566,
    path: "/ecomm-raw/data/raw/dt%3D2025-06-01/part%20one%2B%C3%A9.json",
    query: { "x-id": "PutObject" },
    headers: { host: "127.0.0.1:4566", "content-type": "application/json", "x-amz-content-sha256": "UNSIGNED-PAYLOAD", "x-amz-checksum-crc32": "AAAAAA==" },
    body,
  };
}

describe("verifySignature on requests signed by @smithy/signature-v4", () => {
  it("accepts an S3 request with UNSIGNED-PAYLOAD, its path signed as sent", async () => {
    const signed = (await signer("s3").sign(s3Put(), { signingDate })) as SignableRequest;
    expect(verifySignature(toWire(signed), "s3", credentials)).toBeUndefined();
  });

  it("rejects a wrong secret, an unknown key, a changed header and a changed path, as S3 would", async () => {
    const wrong = (await signer("s3", wrongSecret).sign(s3Put(), { signingDate })) as SignableRequest;
    expect(verifySignature(toWire(wrong), "s3", credentials)).toMatchObject({
      code: "SignatureDoesNotMatch",
      status: 403,
      message: "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.",
    });
    const unknown = (await signer("s3", unknownKey).sign(s3Put(), { signingDate })) as SignableRequest;
    expect(verifySignature(toWire(unknown), "s3", credentials)).toMatchObject({
      code: "InvalidAccessKeyId",
      status: 403,
      message: "The AWS Access Key Id you provided does not exist in our records.",
    });
    const signed = (await signer("s3").sign(s3Put(), { signingDate })) as SignableRequest;
    const tampered = toWire(signed);
    tampered.headers["content-type"] = "text/plain";
    expect(verifySignature(tampered, "s3", credentials)?.code).toBe("SignatureDoesNotMatch");
    const otherKey = toWire(signed);
    otherKey.path = otherKey.path.replace("one", "two");
    expect(verifySignature(otherKey, "s3", credentials)?.code).toBe("SignatureDoesNotMatch");
    const unsigned = toWire(s3Put());
    expect(verifySignature(unsigned, "s3", credentials)).toMatchObject({ code: "AccessDenied", status: 403 });
  });

  it("uses the declared payload hash: streaming markers as sent, a hex digest checked against the body", async () => {
    const streaming = s3Put("10;chunk-signature=x\r\n...");
    streaming.headers["x-amz-content-sha256"] = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";
    streaming.headers["content-encoding"] = "aws-chunked";
    expect(verifySignature(toWire((await signer("s3").sign(streaming, { signingDate })) as SignableRequest), "s3", credentials)).toBeUndefined();

    const hashed = s3Put();
    hashed.headers["x-amz-content-sha256"] = createHash("sha256").update(hashed.body!).digest("hex");
    const wire = toWire((await signer("s3").sign(hashed, { signingDate })) as SignableRequest);
    expect(verifySignature(wire, "s3", credentials)).toBeUndefined();
    wire.body = Buffer.from("something else");
    expect(verifySignature(wire, "s3", credentials)?.code).toBe("XAmzContentSHA256Mismatch");
  });

  it("accepts a presigned S3 URL (query parameters, UNSIGNED-PAYLOAD) and rejects a changed one", async () => {
    const get: SignableRequest = {
      method: "GET",
      protocol: "http:",
      hostname: "127.0.0.1",
      port: 4566,
      path: "/ecomm-results/athena/q%201.csv",
      query: { "response-content-type": "text/csv" },
      headers: { host: "127.0.0.1:4566", "x-amz-content-sha256": "UNSIGNED-PAYLOAD" },
    };
    const presigned = (await signer("s3").presign(get, { signingDate, expiresIn: 900 })) as SignableRequest;
    expect(Object.keys(presigned.query)).toEqual(expect.arrayContaining(["X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-SignedHeaders", "X-Amz-Signature"]));
    const wire = toWire(presigned);
    delete wire.headers["x-amz-content-sha256"]; // a browser or curl sends only the URL
    expect(wire.headers.authorization).toBeUndefined();
    expect(verifySignature(wire, "s3", credentials)).toBeUndefined();

    // Signed without the UNSIGNED-PAYLOAD header, the empty body's hash is what was signed.
    const plain = (await signer("s3").presign({ ...get, headers: { host: "127.0.0.1:4566" } }, { signingDate })) as SignableRequest;
    expect(verifySignature(toWire(plain), "s3", credentials)).toBeUndefined();

    const changed = toWire(presigned);
    changed.query.set("response-content-type", "text/html");
    expect(verifySignature(changed, "s3", credentials)?.code).toBe("SignatureDoesNotMatch");
    const wrong = toWire((await signer("s3", wrongSecret).presign(get, { signingDate })) as SignableRequest);
    expect(verifySignature(wrong, "s3", credentials)?.code).toBe("SignatureDoesNotMatch");
  });

  it("normalises and re-encodes the path for services other than S3, and answers with their error codes", async () => {
    const request: SignableRequest = {
      method: "POST",
      protocol: "http:",
      hostname: "127.0.0.1",
      path: "/v1/things/a%20b%2Fc/",
      query: { b: "2", a: ["z", "y"], empty: "" },
      headers: { host: "127.0.0.1", "content-type": "application/x-amz-json-1.1", "x-amz-target": "AWSGlue.GetDatabases" },
      body: "{}",
    };
    // With the x-amz-content-sha256 header (the signer's default) and without it (then the body's hash counts).
    const signed = (await signer("glue").sign(request, { signingDate })) as SignableRequest;
    expect(signed.headers["x-amz-content-sha256"]).toBeDefined();
    expect(verifySignature(toWire(signed), "glue", credentials)).toBeUndefined();
    const bare = new SignatureV4({ service: "glue", region: "us-east-1", credentials, sha256: Sha256, applyChecksum: false });
    const resigned = (await bare.sign(request, { signingDate })) as SignableRequest;
    expect(resigned.headers["x-amz-content-sha256"]).toBeUndefined();
    expect(verifySignature(toWire(resigned), "glue", credentials)).toBeUndefined();
    const changedBody = toWire(resigned);
    changedBody.body = Buffer.from('{"x":1}');
    expect(verifySignature(changedBody, "glue", credentials)?.code).toBe("SignatureDoesNotMatch");

    const unknown = (await signer("glue", unknownKey).sign(request, { signingDate })) as SignableRequest;
    expect(verifySignature(toWire(unknown), "glue", credentials)).toMatchObject({
      code: "InvalidClientTokenId",
      status: 403,
      message: "The security token included in the request is invalid.",
    });
    expect(verifySignature(toWire(request), "glue", credentials)).toMatchObject({ code: "MissingAuthenticationToken", status: 403, message: "Request is missing Authentication Token" });
    const garbled = toWire(resigned);
    garbled.headers.authorization = "AWS4-HMAC-SHA256 Credential=LKIALAKEWARDENLOCAL1/20250601/us-east-1/glue/aws4_request";
    expect(verifySignature(garbled, "glue", credentials)?.code).toBe("IncompleteSignature");
  });
});

describe("SigV4 over HTTP with the real SDK clients", () => {
  const stateDir = mkdtempSync(join(tmpdir(), "lakewarden-sigv4-"));
  const db = openStateDb(stateDir);
  const services = [createIamService(), createStsService()];
  for (const service of services) service.migrate(db);
  const dispatcher = new Dispatcher({
    db,
    stateDir,
    accountId: "000000000000",
    region: "us-east-1",
    services,
    faults: new Faults(),
    calls: new CallLog(),
    authenticate: (req, service) => verifySignature(req, service.signingName, credentials),
  });
  let server: Awaited<ReturnType<typeof startHttpServer>>;
  const clients: { destroy(): void }[] = [];
  const iam = (creds: typeof credentials) => {
    const client = new IAMClient({ region: "us-east-1", endpoint: server.url, credentials: creds, maxAttempts: 1 });
    clients.push(client);
    return client;
  };
  const sts = (creds: typeof credentials) => {
    const client = new STSClient({ region: "us-east-1", endpoint: server.url, credentials: creds, maxAttempts: 1 });
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    server = await startHttpServer(dispatcher, "127.0.0.1", 0);
  });
  afterAll(async () => {
    for (const client of clients) client.destroy();
    await server.close();
    db.close();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it("lets the right credentials through, for IAM and STS", async () => {
    expect((await iam(credentials).send(new ListRolesCommand({}))).Roles).toEqual([]);
    expect((await sts(credentials).send(new GetCallerIdentityCommand({}))).Arn).toBe("arn:aws:iam::000000000000:root");
  });

  it("answers a wrong secret with SignatureDoesNotMatch (403)", async () => {
    for (const call of [iam(wrongSecret).send(new ListRolesCommand({})), sts(wrongSecret).send(new GetCallerIdentityCommand({}))]) {
      const err = (await call.catch((e: unknown) => e)) as Error & { $metadata: { httpStatusCode: number } };
      expect(err.name).toBe("SignatureDoesNotMatch");
      expect(err.$metadata.httpStatusCode).toBe(403);
      expect(err.message).toBe("The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.");
    }
  });

  it("answers an unknown access key with InvalidClientTokenId (403)", async () => {
    for (const call of [iam(unknownKey).send(new ListRolesCommand({})), sts(unknownKey).send(new GetCallerIdentityCommand({}))]) {
      const err = (await call.catch((e: unknown) => e)) as Error & { $metadata: { httpStatusCode: number } };
      expect(err.name).toBe("InvalidClientTokenId");
      expect(err.$metadata.httpStatusCode).toBe(403);
      expect(err.message).toBe("The security token included in the request is invalid.");
    }
  });

  // The Python aws CLI (botocore signs differently from the JS SDK) — only where it is installed.
  const cli = spawnSync("python3", ["-m", "awscli", "--version"], { encoding: "utf8" });
  it.skipIf(cli.status !== 0)("accepts the Python aws CLI's signatures and rejects its wrong ones", async () => {
    // Asynchronous: the server answering the CLI runs in this very process.
    const aws = (args: string[], creds = credentials) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        const env = {
          PATH: process.env.PATH,
          HOME: stateDir,
          AWS_ACCESS_KEY_ID: creds.accessKeyId,
          AWS_SECRET_ACCESS_KEY: creds.secretAccessKey,
          AWS_CONFIG_FILE: join(stateDir, "none"),
          AWS_SHARED_CREDENTIALS_FILE: join(stateDir, "none"),
          AWS_EC2_METADATA_DISABLED: "true",
          AWS_MAX_ATTEMPTS: "1",
        };
        execFile("python3", ["-m", "awscli", "--endpoint-url", server.url, "--region", "us-east-1", "--output", "json", ...args], { env, encoding: "utf8", timeout: 60_000 }, (err, stdout, stderr) =>
          resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
        );
      });
    const document = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "glue.amazonaws.com" }, Action: "sts:AssumeRole" }] });
    const created = await aws(["iam", "create-role", "--role-name", "CliRole", "--assume-role-policy-document", document]);
    expect(created.stderr).toBe("");
    expect(JSON.parse(created.stdout).Role.Arn).toBe("arn:aws:iam::000000000000:role/CliRole");
    const got = await aws(["iam", "get-role", "--role-name", "CliRole"]);
    // botocore decodes the URL-encoded document for the CLI, as it does against AWS.
    expect(JSON.parse(got.stdout).Role.AssumeRolePolicyDocument).toEqual(JSON.parse(document));
    expect(JSON.parse((await aws(["sts", "get-caller-identity"])).stdout).Account).toBe("000000000000");
    const missing = await aws(["iam", "get-role", "--role-name", "Nobody"]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain("NoSuchEntity");
    const wrong = await aws(["iam", "list-roles"], wrongSecret);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toContain("SignatureDoesNotMatch");
  });
});
