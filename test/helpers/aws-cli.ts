import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import type { LocalServe } from "./local-serve.js";

/**
 * The Debian aws CLI v2 (/usr/bin/aws) run against `lakewarden local serve`. CI installs it with apt-get; without it
 * the interop suites fail, unless LAKEWARDEN_SKIP_AWSCLI=1 says to skip them.
 */
export const AWS_CLI = "/usr/bin/aws";
export const SKIP_AWSCLI = process.env.LAKEWARDEN_SKIP_AWSCLI === "1";

export interface AwsResult {
  args: string[];
  code: number;
  stdout: string;
  stderr: string;
}

/** Fails with what to do when /usr/bin/aws is missing or is not a v2 CLI. */
export function requireAwsCli(): void {
  if (!existsSync(AWS_CLI)) {
    throw new Error(`the aws CLI v2 is not installed at ${AWS_CLI}: install it (Debian/Ubuntu: sudo apt-get install awscli) or set LAKEWARDEN_SKIP_AWSCLI=1 to skip this suite`);
  }
  const version = spawnSync(AWS_CLI, ["--version"], { env: { PATH: process.env.PATH }, encoding: "utf8", timeout: 60_000 });
  const banner = `${version.stdout ?? ""}${version.stderr ?? ""}`.trim();
  if (version.status !== 0 || !banner.startsWith("aws-cli/2.")) {
    throw new Error(`${AWS_CLI} is not a working aws CLI v2 (exit ${version.status}): ${banner || version.error?.message} — install aws CLI v2 or set LAKEWARDEN_SKIP_AWSCLI=1`);
  }
}

export class AwsCli {
  constructor(
    private readonly serve: LocalServe,
    /** Working directory of the CLI. */
    private readonly work: string,
    /** HOME of the CLI: empty, so that no user configuration is read. */
    private readonly home: string,
  ) {}

  /** The CLI's environment: nothing of the user's (no config, no credentials, no pager), the served endpoint. */
  env(overrides: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    return {
      PATH: process.env.PATH,
      HOME: this.home,
      AWS_ENDPOINT_URL: this.serve.endpoint,
      AWS_ACCESS_KEY_ID: this.serve.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: this.serve.credentials.secretAccessKey,
      AWS_REGION: "us-east-1",
      AWS_PAGER: "",
      AWS_CONFIG_FILE: join(this.home, "no-such-config"),
      AWS_SHARED_CREDENTIALS_FILE: join(this.home, "no-such-credentials"),
      AWS_EC2_METADATA_DISABLED: "true", // never wait on an instance metadata service for a region or credentials
      ...overrides,
    };
  }

  /**
   * Runs `aws ARGS` with --output json. The endpoint is also passed as --endpoint-url: the CLI reads
   * AWS_ENDPOINT_URL only from 2.13 on, and Debian 12 ships 2.9, which would otherwise call the real AWS.
   */
  run(args: string[], overrides: NodeJS.ProcessEnv = {}): AwsResult {
    const env = this.env(overrides);
    const result = spawnSync(AWS_CLI, ["--endpoint-url", env.AWS_ENDPOINT_URL!, "--output", "json", ...args], { cwd: this.work, env, encoding: "utf8", timeout: 60_000 });
    const stderr = result.error ? `${result.stderr ?? ""}\n[spawn: ${result.error.message}${result.signal ? `, ${result.signal}` : ""}]` : result.stderr;
    return { args, code: result.status ?? -1, stdout: result.stdout ?? "", stderr };
  }

  show(r: AwsResult): string {
    return `aws ${r.args.join(" ")} exited ${r.code}\n--- stdout ---\n${r.stdout}\n--- stderr ---\n${r.stderr}`;
  }

  /** Runs a command that must succeed; returns its result. */
  ok(args: string[], overrides?: NodeJS.ProcessEnv): AwsResult {
    const r = this.run(args, overrides);
    expect(r.code, this.show(r)).toBe(0);
    return r;
  }

  /** Runs a command that must succeed and print JSON; returns it parsed. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the CLI's JSON, checked by the caller
  okJson<T = any>(args: string[], overrides?: NodeJS.ProcessEnv): T {
    const r = this.ok(args, overrides);
    try {
      return JSON.parse(r.stdout) as T;
    } catch {
      throw new Error(`not JSON: ${this.show(r)}`);
    }
  }

  /** Runs a command that must fail with `errorCode` named on stderr. */
  fails(args: string[], errorCode: string, overrides?: NodeJS.ProcessEnv): AwsResult {
    const r = this.run(args, overrides);
    expect(r.code, this.show(r)).not.toBe(0);
    expect(r.stderr, this.show(r)).toContain(errorCode);
    return r;
  }
}
