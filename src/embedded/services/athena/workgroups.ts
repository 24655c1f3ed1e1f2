import type { WorkGroupSummary } from "@aws-sdk/client-athena";
import type { JsonHandler } from "../../protocols/json.js";
import { writeTransaction } from "../../store/db.js";
import { invalidRequest, optionalBoolean, optionalString, pagePosition, pageSize, pageToken, sql, toDate } from "./api-common.js";
import { addTags, checkTags, dropTags } from "./tag-store.js";
import {
  applyConfigurationUpdates,
  checkConfiguration,
  checkWorkGroupName,
  engineVersionShape,
  findWorkGroup,
  PRIMARY,
  requireWorkGroup,
  storedConfiguration,
  workgroupArn,
  workGroupShape,
  type WorkGroupRow,
} from "./workgroup-rows.js";

/**
 * Workgroups: CreateWorkGroup, GetWorkGroup, ListWorkGroups, UpdateWorkGroup, DeleteWorkGroup. `primary` always
 * exists and cannot be deleted. A workgroup's settings decide where results go (EnforceWorkGroupConfiguration) and
 * how much a query may scan (BytesScannedCutoffPerQuery); see executions.ts.
 */

const LIST_PAGE = 50;

const CreateWorkGroup: JsonHandler = (input, ctx) => {
  const name = checkWorkGroupName(input.Name);
  const description = optionalString(input.Description, "Description", 0, 1024);
  const configuration = checkConfiguration(input.Configuration);
  const tags = checkTags(input.Tags);
  writeTransaction(ctx.db, () => {
    if (findWorkGroup(ctx.db, name)) throw invalidRequest("WorkGroup is already created");
    sql(ctx.db, "INSERT INTO athena_workgroups (name, state, description, configuration, created) VALUES (?, 'ENABLED', ?, ?, ?)").run(
      name,
      description ?? null,
      JSON.stringify(configuration),
      ctx.now().getTime() / 1000,
    );
    addTags(ctx.db, workgroupArn(ctx.region, ctx.accountId, name), tags);
  });
  return {};
};

const GetWorkGroup: JsonHandler = (input, ctx) => {
  const name = checkWorkGroupName(input.WorkGroup, "workGroup");
  return { WorkGroup: workGroupShape(requireWorkGroup(ctx.db, name)) };
};

const ListWorkGroups: JsonHandler = (input, ctx) => {
  const max = pageSize(input.MaxResults, LIST_PAGE);
  const after = pagePosition<string>(input.NextToken) ?? "";
  const rows = sql(ctx.db, "SELECT * FROM athena_workgroups WHERE name > ? ORDER BY name LIMIT ?").all(after, max + 1) as WorkGroupRow[];
  const page = rows.slice(0, max);
  const WorkGroups: WorkGroupSummary[] = page.map((row) => ({
    Name: row.name,
    State: row.state,
    Description: row.description ?? "",
    CreationTime: toDate(row.created),
    EngineVersion: engineVersionShape(storedConfiguration(row)),
  }));
  return { WorkGroups, NextToken: rows.length > max ? pageToken(page[page.length - 1]!.name) : undefined };
};

const UpdateWorkGroup: JsonHandler = (input, ctx) => {
  const name = checkWorkGroupName(input.WorkGroup, "workGroup");
  const description = optionalString(input.Description, "Description", 0, 1024);
  const state = input.State;
  if (state !== undefined && state !== null && state !== "ENABLED" && state !== "DISABLED") {
    throw invalidRequest(`1 validation error detected: Value '${String(state)}' at 'state' failed to satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED]`);
  }
  writeTransaction(ctx.db, () => {
    const row = requireWorkGroup(ctx.db, name);
    const configuration = applyConfigurationUpdates(storedConfiguration(row), input.ConfigurationUpdates);
    sql(ctx.db, "UPDATE athena_workgroups SET description = ?, state = ?, configuration = ? WHERE name = ?").run(
      description === undefined ? row.description : description,
      state ?? row.state,
      JSON.stringify(configuration),
      name,
    );
  });
  return {};
};

const DeleteWorkGroup: JsonHandler = (input, ctx) => {
  const name = checkWorkGroupName(input.WorkGroup, "workGroup");
  const recursive = optionalBoolean(input.RecursiveDeleteOption, "RecursiveDeleteOption") ?? false;
  writeTransaction(ctx.db, () => {
    requireWorkGroup(ctx.db, name);
    if (name === PRIMARY) throw invalidRequest("primary workGroup could not be deleted");
    const named = (sql(ctx.db, "SELECT count(*) AS n FROM athena_named_queries WHERE workgroup = ?").get(name) as { n: number }).n;
    if (named > 0 && !recursive) {
      throw invalidRequest(`WorkGroup ${name} is not empty: it holds ${named} named quer${named === 1 ? "y" : "ies"}. Set RecursiveDeleteOption to delete them with it.`);
    }
    sql(ctx.db, "DELETE FROM athena_named_queries WHERE workgroup = ?").run(name);
    sql(ctx.db, "DELETE FROM athena_workgroups WHERE name = ?").run(name);
    dropTags(ctx.db, workgroupArn(ctx.region, ctx.accountId, name));
  });
  return {};
};

export const workgroupHandlers: Record<string, JsonHandler> = { CreateWorkGroup, GetWorkGroup, ListWorkGroups, UpdateWorkGroup, DeleteWorkGroup };
