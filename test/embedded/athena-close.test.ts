import { AthenaClient, GetQueryExecutionCommand, StartQueryExecutionCommand, StopQueryExecutionCommand, type QueryExecution } from "@aws-sdk/client-athena";
import { CreateBucketCommand, DeleteBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, expect, it } from "vitest";
import { createAthenaService } from "../../src/embedded/services/athena/index.js";
import { createGlueService } from "../../src/embedded/services/glue/index.js";
import { createS3Service } from "../../src/embedded/services/s3/index.js";
import { embeddedStack, TEST_CREDENTIALS } from "../helpers/embedded-stack.js";

// Queries that wait their turn (one runs at a time here): their results bucket deleted meanwhile, and the embedded
// Athena closing (as `local serve` does on SIGTERM) while they run and wait.
const athenaService = createAthenaService({ concurrency: 1, closeGraceMs: 200 });
const stack = embeddedStack([createGlueService(), createS3Service(), athenaService]);
const options = { region: "us-east-1", credentials: TEST_CREDENTIALS, requestHandler: stack.handler };
const athena = new AthenaClient(options);
const s3 = new S3Client({ ...options, forcePathStyle: true });

afterAll(() => {
  athena.destroy();
  s3.destroy();
  stack.close();
});

/** A query that only an interruption ends: a cross product of 10¹⁵ rows. */
const ENDLESS = "SELECT count(*) FROM UNNEST(sequence(1, 100000)) AS a(x) CROSS JOIN UNNEST(sequence(1, 100000)) AS b(y) CROSS JOIN UNNEST(sequence(1, 100000)) AS c(z)";

async function execution(id: string): Promise<QueryExecution> {
  return (await athena.send(new GetQueryExecutionCommand({ QueryExecutionId: id }))).QueryExecution!;
}

async function start(sql: string, bucket = "closing-results"): Promise<string> {
  return (await athena.send(new StartQueryExecutionCommand({ QueryString: sql, ResultConfiguration: { OutputLocation: `s3://${bucket}/out/` } }))).QueryExecutionId!;
}

async function until(id: string, states: string[]): Promise<QueryExecution> {
  for (let i = 0; ; i++) {
    const q = await execution(id);
    if (states.includes(q.Status!.State!)) return q;
    if (i > 3000) throw new Error(`query ${id} still ${q.Status?.State}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

it("fails a query whose results bucket was deleted while it waited, with Athena's S3 error text", async () => {
  await s3.send(new CreateBucketCommand({ Bucket: "closing-results" }));
  await s3.send(new CreateBucketCommand({ Bucket: "short-lived" }));
  const blocker = await start(ENDLESS);
  await until(blocker, ["RUNNING"]);
  const waiting = await start("SELECT 1", "short-lived");
  expect((await execution(waiting)).Status?.State).toBe("QUEUED");
  await s3.send(new DeleteBucketCommand({ Bucket: "short-lived" }));
  await athena.send(new StopQueryExecutionCommand({ QueryExecutionId: blocker }));
  const failed = await until(waiting, ["SUCCEEDED", "FAILED", "CANCELLED"]);
  expect(failed.Status).toMatchObject({ State: "FAILED", StateChangeReason: "Unable to verify/create output bucket short-lived" });
  expect((await execution(blocker)).Status?.State).toBe("CANCELLED");
});

it("fails the queued queries without running them and interrupts the running one after the grace period", async () => {
  const running = await start(ENDLESS);
  await until(running, ["RUNNING"]);
  const queued = await start("SELECT 1");
  expect((await execution(queued)).Status?.State).toBe("QUEUED");

  await athenaService.close?.();

  const interrupted = await execution(running);
  expect(interrupted.Status).toMatchObject({ State: "FAILED", AthenaError: { ErrorCategory: 1, Retryable: true } });
  expect(interrupted.Status?.StateChangeReason).toContain("interrupted");
  const neverRan = await execution(queued);
  expect(neverRan.Status?.State).toBe("FAILED");
  expect(neverRan.Status?.StateChangeReason).toContain("did not run");
  expect(neverRan.Statistics?.EngineExecutionTimeInMillis).toBe(0);
});
