import {
  AthenaClient,
  BatchGetNamedQueryCommand,
  CreateNamedQueryCommand,
  CreateWorkGroupCommand,
  DeleteNamedQueryCommand,
  DeleteWorkGroupCommand,
  GetNamedQueryCommand,
  GetWorkGroupCommand,
  ListNamedQueriesCommand,
  ListTagsForResourceCommand,
  ListWorkGroupsCommand,
  paginateListNamedQueries,
  paginateListWorkGroups,
  StartQueryExecutionCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateNamedQueryCommand,
  UpdateWorkGroupCommand,
} from "@aws-sdk/client-athena";
import { afterAll, describe, expect, it } from "vitest";
import { createAthenaService } from "../../src/embedded/services/athena/index.js";
import { createGlueService } from "../../src/embedded/services/glue/index.js";
import { createS3Service } from "../../src/embedded/services/s3/index.js";
import { embeddedStack, TEST_ACCOUNT, TEST_CREDENTIALS } from "../helpers/embedded-stack.js";

// Workgroups, their tags, and named queries of the embedded Athena, through the real AthenaClient in process.
const athenaService = createAthenaService();
const stack = embeddedStack([createGlueService(), createS3Service(), athenaService]);
const athena = new AthenaClient({ region: "us-east-1", credentials: TEST_CREDENTIALS, requestHandler: stack.handler });

afterAll(async () => {
  athena.destroy();
  await athenaService.close?.();
  stack.close();
});

const arn = (name: string) => `arn:aws:athena:us-east-1:${TEST_ACCOUNT}:workgroup/${name}`;

/** The error a call fails with (its name, message and Athena's error code). */
async function failure(promise: Promise<unknown>): Promise<{ name: string; message: string; code?: string; reason?: string }> {
  try {
    await promise;
  } catch (err) {
    const e = err as Error & { AthenaErrorCode?: string; Reason?: string };
    return { name: e.name, message: e.message, code: e.AthenaErrorCode, reason: e.Reason };
  }
  throw new Error("the call succeeded");
}

describe("workgroups", () => {
  it("has primary, which always exists, with Athena's defaults", async () => {
    const { WorkGroup } = await athena.send(new GetWorkGroupCommand({ WorkGroup: "primary" }));
    expect(WorkGroup).toMatchObject({
      Name: "primary",
      State: "ENABLED",
      Configuration: {
        ResultConfiguration: {},
        EnforceWorkGroupConfiguration: false,
        PublishCloudWatchMetricsEnabled: false,
        RequesterPaysEnabled: false,
        EnableMinimumEncryptionConfiguration: false,
        EngineVersion: { SelectedEngineVersion: "AUTO", EffectiveEngineVersion: "Athena engine version 3" },
      },
    });
    expect(WorkGroup?.CreationTime).toBeInstanceOf(Date);
    expect(WorkGroup).not.toHaveProperty("Description");
    const { WorkGroups } = await athena.send(new ListWorkGroupsCommand({}));
    expect(WorkGroups?.map((w) => w.Name)).toContain("primary");
  });

  it("creates a workgroup with its configuration, description and tags, and reads it back", async () => {
    await athena.send(
      new CreateWorkGroupCommand({
        Name: "analytics",
        Description: "Clickstream analytics",
        Configuration: {
          ResultConfiguration: {
            OutputLocation: "s3://results/athena/",
            EncryptionConfiguration: { EncryptionOption: "SSE_S3" },
            ExpectedBucketOwner: TEST_ACCOUNT,
            AclConfiguration: { S3AclOption: "BUCKET_OWNER_FULL_CONTROL" },
          },
          EnforceWorkGroupConfiguration: true,
          PublishCloudWatchMetricsEnabled: true,
          BytesScannedCutoffPerQuery: 10_737_418_240,
          RequesterPaysEnabled: false,
          EngineVersion: { SelectedEngineVersion: "Athena engine version 3" },
        },
        Tags: [{ Key: "lakewarden:lake", Value: "ecomm" }],
      }),
    );
    const { WorkGroup } = await athena.send(new GetWorkGroupCommand({ WorkGroup: "analytics" }));
    expect(WorkGroup).toMatchObject({
      Name: "analytics",
      State: "ENABLED",
      Description: "Clickstream analytics",
      Configuration: {
        ResultConfiguration: {
          OutputLocation: "s3://results/athena/",
          EncryptionConfiguration: { EncryptionOption: "SSE_S3" },
          ExpectedBucketOwner: TEST_ACCOUNT,
          AclConfiguration: { S3AclOption: "BUCKET_OWNER_FULL_CONTROL" },
        },
        EnforceWorkGroupConfiguration: true,
        PublishCloudWatchMetricsEnabled: true,
        BytesScannedCutoffPerQuery: 10_737_418_240,
        RequesterPaysEnabled: false,
        EngineVersion: { SelectedEngineVersion: "Athena engine version 3", EffectiveEngineVersion: "Athena engine version 3" },
      },
    });
    const { Tags } = await athena.send(new ListTagsForResourceCommand({ ResourceARN: arn("analytics") }));
    expect(Tags).toEqual([{ Key: "lakewarden:lake", Value: "ecomm" }]);
  });

  it("refuses a second workgroup of the same name, a bad name and a cutoff under 10 MB", async () => {
    await athena.send(new CreateWorkGroupCommand({ Name: "twice" }));
    expect(await failure(athena.send(new CreateWorkGroupCommand({ Name: "twice" })))).toMatchObject({
      name: "InvalidRequestException",
      message: "WorkGroup is already created",
    });
    expect(await failure(athena.send(new CreateWorkGroupCommand({ Name: "primary" })))).toMatchObject({ name: "InvalidRequestException" });
    expect(await failure(athena.send(new CreateWorkGroupCommand({ Name: "no spaces" })))).toMatchObject({ name: "InvalidRequestException", code: "INVALID_INPUT" });
    const cutoff = await failure(athena.send(new CreateWorkGroupCommand({ Name: "tiny", Configuration: { BytesScannedCutoffPerQuery: 9_999_999 } })));
    expect(cutoff).toMatchObject({ name: "InvalidRequestException", code: "INVALID_INPUT" });
    expect(cutoff.message).toContain("greater than or equal to 10000000");
    expect(await failure(athena.send(new GetWorkGroupCommand({ WorkGroup: "tiny" })))).toMatchObject({
      name: "InvalidRequestException",
      message: "WorkGroup is not found.",
      code: "INVALID_INPUT",
    });
  });

  it("updates the configuration, removes settings, changes the state and the description", async () => {
    await athena.send(
      new CreateWorkGroupCommand({
        Name: "changing",
        Configuration: { ResultConfiguration: { OutputLocation: "s3://results/a/" }, BytesScannedCutoffPerQuery: 20_000_000 },
      }),
    );
    await athena.send(
      new UpdateWorkGroupCommand({
        WorkGroup: "changing",
        Description: "now described",
        ConfigurationUpdates: { PublishCloudWatchMetricsEnabled: true, ResultConfigurationUpdates: { OutputLocation: "s3://results/b/" } },
      }),
    );
    let group = (await athena.send(new GetWorkGroupCommand({ WorkGroup: "changing" }))).WorkGroup!;
    expect(group.Description).toBe("now described");
    expect(group.Configuration?.ResultConfiguration?.OutputLocation).toBe("s3://results/b/");
    expect(group.Configuration?.PublishCloudWatchMetricsEnabled).toBe(true);
    expect(group.Configuration?.BytesScannedCutoffPerQuery).toBe(20_000_000);

    await athena.send(
      new UpdateWorkGroupCommand({
        WorkGroup: "changing",
        State: "DISABLED",
        ConfigurationUpdates: { RemoveBytesScannedCutoffPerQuery: true, ResultConfigurationUpdates: { RemoveOutputLocation: true } },
      }),
    );
    group = (await athena.send(new GetWorkGroupCommand({ WorkGroup: "changing" }))).WorkGroup!;
    expect(group.State).toBe("DISABLED");
    expect(group.Configuration?.ResultConfiguration).toEqual({});
    expect(group.Configuration).not.toHaveProperty("BytesScannedCutoffPerQuery");
    expect(group.Description).toBe("now described");

    const disabled = await failure(athena.send(new StartQueryExecutionCommand({ QueryString: "SELECT 1", WorkGroup: "changing" })));
    expect(disabled).toMatchObject({ name: "InvalidRequestException" });
    expect(disabled.message).toContain("disabled");
    expect(
      await failure(athena.send(new UpdateWorkGroupCommand({ WorkGroup: "changing", ConfigurationUpdates: { BytesScannedCutoffPerQuery: 5 } }))),
    ).toMatchObject({ name: "InvalidRequestException" });
    expect(await failure(athena.send(new UpdateWorkGroupCommand({ WorkGroup: "nowhere", Description: "x" })))).toMatchObject({ message: "WorkGroup is not found." });
  });

  it("lists workgroups by name in pages, with their summary", async () => {
    for (const name of ["page-a", "page-b", "page-c"]) await athena.send(new CreateWorkGroupCommand({ Name: name }));
    const names: string[] = [];
    let pages = 0;
    for await (const page of paginateListWorkGroups({ client: athena, pageSize: 1 }, {})) {
      pages++;
      for (const w of page.WorkGroups ?? []) {
        names.push(w.Name!);
        if (w.Name!.startsWith("page-")) expect(w).toMatchObject({ State: "ENABLED", Description: "" });
        expect(w.EngineVersion?.EffectiveEngineVersion).toBe("Athena engine version 3");
      }
    }
    expect(pages).toBe(names.length);
    expect(names).toEqual([...names].sort());
    expect(names).toEqual(expect.arrayContaining(["page-a", "page-b", "page-c", "primary"]));
    expect((await failure(athena.send(new ListWorkGroupsCommand({ MaxResults: 51 })))).message).toBe(
      "1 validation error detected: Value at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 50",
    );
    expect((await failure(athena.send(new ListWorkGroupsCommand({ NextToken: "not-a-token" })))).message).toBe("The nextPageToken is malformed: not-a-token");
  });

  it("deletes a workgroup, never primary, and one with named queries only recursively", async () => {
    expect(await failure(athena.send(new DeleteWorkGroupCommand({ WorkGroup: "primary" })))).toMatchObject({ name: "InvalidRequestException" });
    await athena.send(new CreateWorkGroupCommand({ Name: "doomed", Tags: [{ Key: "k", Value: "v" }] }));
    await athena.send(new CreateNamedQueryCommand({ Name: "q", Database: "db", QueryString: "SELECT 1", WorkGroup: "doomed" }));
    const refused = await failure(athena.send(new DeleteWorkGroupCommand({ WorkGroup: "doomed" })));
    expect(refused).toMatchObject({ name: "InvalidRequestException" });
    expect(refused.message).toContain("RecursiveDeleteOption");
    await athena.send(new DeleteWorkGroupCommand({ WorkGroup: "doomed", RecursiveDeleteOption: true }));
    expect(await failure(athena.send(new GetWorkGroupCommand({ WorkGroup: "doomed" })))).toMatchObject({ message: "WorkGroup is not found." });
    expect(await failure(athena.send(new ListNamedQueriesCommand({ WorkGroup: "doomed" })))).toMatchObject({ message: "WorkGroup is not found." });
    // Its tags went with it: a workgroup of the same name starts untagged.
    await athena.send(new CreateWorkGroupCommand({ Name: "doomed" }));
    expect((await athena.send(new ListTagsForResourceCommand({ ResourceARN: arn("doomed") }))).Tags).toEqual([]);
    expect(await failure(athena.send(new DeleteWorkGroupCommand({ WorkGroup: "never-was" })))).toMatchObject({ message: "WorkGroup is not found." });
  });
});

describe("tags", () => {
  it("tags, lists and untags a workgroup by ARN", async () => {
    await athena.send(new CreateWorkGroupCommand({ Name: "tagged", Tags: [{ Key: "a", Value: "1" }] }));
    await athena.send(new TagResourceCommand({ ResourceARN: arn("tagged"), Tags: [{ Key: "b", Value: "2" }, { Key: "a", Value: "one" }] }));
    expect((await athena.send(new ListTagsForResourceCommand({ ResourceARN: arn("tagged") }))).Tags).toEqual([
      { Key: "a", Value: "one" },
      { Key: "b", Value: "2" },
    ]);
    await athena.send(new UntagResourceCommand({ ResourceARN: arn("tagged"), TagKeys: ["a"] }));
    expect((await athena.send(new ListTagsForResourceCommand({ ResourceARN: arn("tagged") }))).Tags).toEqual([{ Key: "b", Value: "2" }]);
  });

  it("answers ResourceNotFoundException for a workgroup that does not exist", async () => {
    for (const call of [
      athena.send(new ListTagsForResourceCommand({ ResourceARN: arn("ghost") })),
      athena.send(new TagResourceCommand({ ResourceARN: arn("ghost"), Tags: [{ Key: "a", Value: "b" }] })),
      athena.send(new UntagResourceCommand({ ResourceARN: arn("ghost"), TagKeys: ["a"] })),
    ]) {
      expect(await failure(call)).toMatchObject({ name: "ResourceNotFoundException" });
    }
  });
});

describe("named queries", () => {
  it("creates, reads, updates and deletes a named query; names may repeat", async () => {
    const { NamedQueryId: first } = await athena.send(
      new CreateNamedQueryCommand({ Name: "events by type", Description: "count per type", Database: "ecommerce_raw_db", QueryString: "SELECT 1" }),
    );
    const { NamedQueryId: second } = await athena.send(new CreateNamedQueryCommand({ Name: "events by type", Database: "ecommerce_raw_db", QueryString: "SELECT 2" }));
    expect(first).not.toBe(second);
    expect((await athena.send(new GetNamedQueryCommand({ NamedQueryId: first }))).NamedQuery).toEqual({
      NamedQueryId: first,
      Name: "events by type",
      Description: "count per type",
      Database: "ecommerce_raw_db",
      QueryString: "SELECT 1",
      WorkGroup: "primary",
    });
    await athena.send(new UpdateNamedQueryCommand({ NamedQueryId: first, Name: "renamed", QueryString: "SELECT 3", Description: "new" }));
    expect((await athena.send(new GetNamedQueryCommand({ NamedQueryId: first }))).NamedQuery).toMatchObject({ Name: "renamed", QueryString: "SELECT 3", Description: "new" });
    await athena.send(new DeleteNamedQueryCommand({ NamedQueryId: first }));
    expect(await failure(athena.send(new GetNamedQueryCommand({ NamedQueryId: first! })))).toMatchObject({
      name: "InvalidRequestException",
      code: "NAMED_QUERY_NOT_FOUND",
    });
    expect(await failure(athena.send(new DeleteNamedQueryCommand({ NamedQueryId: first! })))).toMatchObject({ code: "NAMED_QUERY_NOT_FOUND" });
  });

  it("returns the same id for a repeated ClientRequestToken, and refuses the token with other input", async () => {
    const token = "lakewarden-token-0000000000000000001";
    const input = { Name: "idempotent", Database: "db", QueryString: "SELECT 1", ClientRequestToken: token };
    const a = await athena.send(new CreateNamedQueryCommand(input));
    const b = await athena.send(new CreateNamedQueryCommand(input));
    expect(b.NamedQueryId).toBe(a.NamedQueryId);
    expect(await failure(athena.send(new CreateNamedQueryCommand({ ...input, QueryString: "SELECT 2" })))).toMatchObject({
      name: "InvalidRequestException",
      message: "Idempotent parameters do not match",
      code: "IDEMPOTENT_PARAMETER_MISMATCH",
    });
    expect(await failure(athena.send(new CreateNamedQueryCommand({ ...input, ClientRequestToken: "short" })))).toMatchObject({ code: "INVALID_INPUT" });
  });

  it("batch-gets named queries, reporting the unknown ids", async () => {
    const { NamedQueryId } = await athena.send(new CreateNamedQueryCommand({ Name: "batch", Database: "db", QueryString: "SELECT 1" }));
    const missing = "00000000-0000-4000-8000-000000000000";
    const out = await athena.send(new BatchGetNamedQueryCommand({ NamedQueryIds: [NamedQueryId!, missing] }));
    expect(out.NamedQueries?.map((q) => q.NamedQueryId)).toEqual([NamedQueryId]);
    expect(out.UnprocessedNamedQueryIds).toEqual([{ NamedQueryId: missing, ErrorCode: "NAMED_QUERY_NOT_FOUND", ErrorMessage: `NamedQuery ${missing} does not exist.` }]);
  });

  it("lists the named queries of a workgroup (primary by default) in pages", async () => {
    await athena.send(new CreateWorkGroupCommand({ Name: "saved" }));
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push((await athena.send(new CreateNamedQueryCommand({ Name: `q${i}`, Database: "db", QueryString: `SELECT ${i}`, WorkGroup: "saved" }))).NamedQueryId!);
    }
    const listed: string[] = [];
    let pages = 0;
    for await (const page of paginateListNamedQueries({ client: athena, pageSize: 2 }, { WorkGroup: "saved" })) {
      pages++;
      listed.push(...(page.NamedQueryIds ?? []));
    }
    expect(listed).toEqual(ids);
    expect(pages).toBe(3);
    const primary = await athena.send(new ListNamedQueriesCommand({}));
    expect(primary.NamedQueryIds).not.toContain(ids[0]);
    expect(await failure(athena.send(new CreateNamedQueryCommand({ Name: "x", Database: "db", QueryString: "SELECT 1", WorkGroup: "nowhere" })))).toMatchObject({
      message: "WorkGroup is not found.",
    });
  });
});
