import { S3Client, type S3ClientConfig } from "@aws-sdk/client-s3";
import type Database from "better-sqlite3";
import type { CallLog } from "../../src/embedded/call-log.js";
import type { Dispatcher } from "../../src/embedded/dispatcher.js";
import { startHttpServer } from "../../src/embedded/http-server.js";
import { createS3Service } from "../../src/embedded/services/s3/index.js";
import { embeddedStack, TEST_CREDENTIALS } from "../helpers/embedded-stack.js";

/** An embedded S3 on a temp state directory, reached by a real S3Client through the in-process handler. */
export interface S3Harness {
  stateDir: string;
  db: Database.Database;
  dispatcher: Dispatcher;
  calls: CallLog;
  client: S3Client;
  /** Another client, on its own dispatcher and SQLite handle over the same state directory (another process). */
  attach(): S3Harness;
  /** Serves this dispatcher over HTTP; returns a client for it. */
  serve(options?: Partial<S3ClientConfig>): Promise<{ url: string; client: S3Client; close(): Promise<void> }>;
  close(): void;
}

export const credentials = TEST_CREDENTIALS;

export function s3Harness(existingDir?: string): S3Harness {
  const stack = embeddedStack([createS3Service()], existingDir);
  const { stateDir, db, calls, dispatcher } = stack;
  const client = new S3Client({ region: "us-east-1", credentials, requestHandler: stack.handler });
  const attached: S3Harness[] = [];
  const servers: { close(): Promise<void> }[] = [];
  const harness: S3Harness = {
    stateDir,
    db,
    dispatcher,
    calls,
    client,
    attach() {
      const other = s3Harness(stateDir);
      attached.push(other);
      return other;
    },
    async serve(options = {}) {
      const server = await startHttpServer(dispatcher, "127.0.0.1", 0);
      servers.push(server);
      const httpClient = new S3Client({ region: "us-east-1", credentials, endpoint: server.url, forcePathStyle: true, ...options });
      return { url: server.url, client: httpClient, close: () => server.close() };
    },
    close() {
      for (const server of servers) void server.close();
      client.destroy();
      for (const other of attached) other.close();
      stack.close();
    },
  };
  return harness;
}

/** The exception name and HTTP status an SDK call fails with. */
export async function failure(promise: Promise<unknown>): Promise<{ name: string; status?: number; error: Record<string, unknown> }> {
  try {
    await promise;
  } catch (err) {
    const e = err as { name: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, status: e.$metadata?.httpStatusCode, error: err as Record<string, unknown> };
  }
  throw new Error("expected the call to fail");
}

export async function bodyText(body: unknown): Promise<string> {
  return (body as { transformToString(): Promise<string> }).transformToString();
}

export async function bodyBytes(body: unknown): Promise<Buffer> {
  return Buffer.from(await (body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());
}
