/**
 * Interop: the Debian aws CLI v2 against `lakewarden local serve` for Athena — on a state directory where the seed
 * lake was reconciled (buckets, uploads, the crawled raw table), so queries run over the seed's events.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AwsCli, requireAwsCli, SKIP_AWSCLI } from "../helpers/aws-cli.js";
import { lakewarden } from "../helpers/cli.js";
import { startLocalServe, type LocalServe } from "../helpers/local-serve.js";
import { SeedLake } from "../helpers/seed-lake.js";

let seed: SeedLake;
let serve: LocalServe | undefined;
let work = "";
let cli: AwsCli;
let resultsBucket = "";

interface Execution {
  QueryExecutionId: string;
  Status: { State: string; StateChangeReason?: string };
  ResultConfiguration: { OutputLocation: string };
}

async function waitDone(id: string): Promise<Execution> {
  for (let i = 0; i < 300; i++) {
    const q = cli.okJson<{ QueryExecution: Execution }>(["athena", "get-query-execution", "--query-execution-id", id]).QueryExecution;
    if (["SUCCEEDED", "FAILED", "CANCELLED"].includes(q.Status.State)) return q;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`query ${id} did not finish`);
}

describe.skipIf(SKIP_AWSCLI)("aws CLI v2 against lakewarden local serve: Athena", () => {
  beforeAll(async () => {
    requireAwsCli();
    seed = new SeedLake();
    const reconciled = lakewarden(["reconcile", "-c", seed.file, "--wait"]);
    expect(reconciled.code, reconciled.stdout + reconciled.stderr).toBe(0);
    resultsBucket = seed.config().buckets.results!.name;
    work = mkdtempSync(join(tmpdir(), "lakewarden-awscli-athena-"));
    mkdirSync(join(work, "home"));
    serve = await startLocalServe({ stateDir: join(seed.dir, ".lakewarden") });
    cli = new AwsCli(serve, work, join(work, "home"));
  });

  afterAll(async () => {
    try {
      if (serve) expect(await serve.stop()).toBe(0);
    } finally {
      seed?.remove();
      if (work) rmSync(work, { recursive: true, force: true });
    }
  });

  it("runs a query over the crawled raw table: start-query-execution, get-query-execution, get-query-results", async () => {
    const started = cli.okJson<{ QueryExecutionId: string }>([
      "athena",
      "start-query-execution",
      "--query-string",
      "SELECT event_type, count(*) AS n FROM raw GROUP BY event_type ORDER BY event_type",
      "--query-execution-context",
      "Database=ecommerce_raw_db",
      "--result-configuration",
      `OutputLocation=s3://${resultsBucket}/cli/`,
    ]);
    const q = await waitDone(started.QueryExecutionId);
    expect(q.Status.State, q.Status.StateChangeReason).toBe("SUCCEEDED");
    expect(q.ResultConfiguration.OutputLocation).toBe(`s3://${resultsBucket}/cli/${started.QueryExecutionId}.csv`);

    const out = cli.okJson<{ ResultSet: { Rows: { Data: { VarCharValue?: string }[] }[]; ResultSetMetadata: { ColumnInfo: { Name: string; Type: string }[] } } }>([
      "athena",
      "get-query-results",
      "--query-execution-id",
      started.QueryExecutionId,
    ]);
    const rows = out.ResultSet.Rows.map((r) => r.Data.map((d) => d.VarCharValue));
    expect(rows[0]).toEqual(["event_type", "n"]);
    expect(out.ResultSet.ResultSetMetadata.ColumnInfo.map((c) => [c.Name, c.Type])).toEqual([
      ["event_type", "varchar"],
      ["n", "bigint"],
    ]);
    expect(rows.slice(1).reduce((sum, r) => sum + Number(r[1]), 0)).toBe(601);
    expect(rows.slice(1).map((r) => r[0])).toContain("purchase");

    // The result file is an object of the results bucket, as on Athena.
    const listed = cli.okJson<{ Contents: { Key: string }[] }>(["s3api", "list-objects-v2", "--bucket", resultsBucket, "--prefix", "cli/"]);
    expect(listed.Contents.map((c) => c.Key).sort()).toEqual([`cli/${started.QueryExecutionId}.csv`, `cli/${started.QueryExecutionId}.csv.metadata`]);
  });

  it("lists the workgroups, primary and the lake's, and the lake's saved queries", () => {
    const groups = cli.okJson<{ WorkGroups: { Name: string; State: string }[] }>(["athena", "list-work-groups"]).WorkGroups;
    expect(groups.map((g) => g.Name).sort()).toEqual(["ecomm", "primary"]);
    expect(groups.every((g) => g.State === "ENABLED")).toBe(true);
    const ecomm = cli.okJson<{ WorkGroup: { Configuration: { ResultConfiguration: { OutputLocation: string } } } }>(["athena", "get-work-group", "--work-group", "ecomm"]);
    expect(ecomm.WorkGroup.Configuration.ResultConfiguration.OutputLocation).toBe(`s3://${resultsBucket}/athena/`);

    // The 12 analyst queries of sql/athena_raw_data_queries.sql, saved in the lake's workgroup.
    const named = cli.okJson<{ NamedQueryIds: string[] }>(["athena", "list-named-queries", "--work-group", "ecomm"]).NamedQueryIds;
    expect(named).toHaveLength(12);
    const one = cli.okJson<{ NamedQuery: { Database: string; WorkGroup: string; QueryString: string } }>(["athena", "get-named-query", "--named-query-id", named[0]!]);
    expect(one.NamedQuery).toMatchObject({ Database: "ecommerce_raw_db", WorkGroup: "ecomm" });
    expect(cli.okJson<{ NamedQueryIds: string[] }>(["athena", "list-named-queries"]).NamedQueryIds).toEqual([]);
    cli.fails(["athena", "get-work-group", "--work-group", "no-such-group"], "InvalidRequestException");
  });

  it("runs a query in the lake's workgroup, which puts the results in its own location", async () => {
    const started = cli.okJson<{ QueryExecutionId: string }>([
      "athena",
      "start-query-execution",
      "--work-group",
      "ecomm",
      "--query-string",
      "SELECT count(DISTINCT session_id) AS sessions FROM ecommerce_raw_db.raw",
    ]);
    const q = await waitDone(started.QueryExecutionId);
    expect(q.Status.State, q.Status.StateChangeReason).toBe("SUCCEEDED");
    expect(q.ResultConfiguration.OutputLocation).toBe(`s3://${resultsBucket}/athena/${started.QueryExecutionId}.csv`);
    const listed = cli.okJson<{ QueryExecutionIds: string[] }>(["athena", "list-query-executions", "--work-group", "ecomm"]).QueryExecutionIds;
    expect(listed[0]).toBe(started.QueryExecutionId);
  });

  it("reports a failed query with Athena's reason", async () => {
    const started = cli.okJson<{ QueryExecutionId: string }>([
      "athena",
      "start-query-execution",
      "--query-string",
      "SELECT * FROM no_such_table",
      "--query-execution-context",
      "Database=ecommerce_raw_db",
      "--result-configuration",
      `OutputLocation=s3://${resultsBucket}/cli/`,
    ]);
    const q = await waitDone(started.QueryExecutionId);
    expect(q.Status.State).toBe("FAILED");
    expect(q.Status.StateChangeReason).toMatch(/^TABLE_NOT_FOUND: /);
    cli.fails(["athena", "get-query-results", "--query-execution-id", started.QueryExecutionId], "InvalidRequestException");
  });
});
