import { AwsError } from "../../protocols/types.js";
import type { QueryHandler, QueryParams } from "../../protocols/query.js";
import { policyVersions, requireCustomerPolicy, requirePolicy, versionNumber, type VersionRow } from "./managed-store.js";
import { MANAGED_POLICY_QUOTA, policyDocumentParam, policySize } from "./policy-document.js";
import { encodeDocument, page } from "./store.js";
import { maxItems, policyArn } from "./validate.js";

/** Versions of managed policies: at most five, one of them the default (the one in force). */

const MAX_VERSIONS = 5;

const versionOutput = (v: VersionRow, defaultVersion: string, withDocument: boolean) => ({
  ...(withDocument ? { Document: encodeDocument(v.document) } : {}),
  VersionId: v.version_id,
  IsDefaultVersion: v.version_id === defaultVersion,
  CreateDate: new Date(v.created_at),
});

function versionId(params: QueryParams): string {
  const id = params.requiredString("VersionId");
  if (!/^v[1-9][0-9]*(\.[A-Za-z0-9-]*)?$/.test(id)) {
    throw new AwsError("ValidationError", `1 validation error detected: Value '${id}' at 'versionId' failed to satisfy constraint: Member must satisfy regular expression pattern: v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?`, 400);
  }
  return id;
}

export const GetPolicyVersion: QueryHandler = (params, ctx) => {
  const policy = requirePolicy(ctx.db, policyArn(params));
  const id = versionId(params);
  const version = policyVersions(ctx.db, policy).find((v) => v.version_id === id);
  if (!version) throw new AwsError("NoSuchEntity", `Policy ${policy.arn} version ${id} does not exist or is not attachable.`, 404);
  return { PolicyVersion: versionOutput(version, policy.defaultVersion, true) };
};

export const ListPolicyVersions: QueryHandler = (params, ctx) => {
  const policy = requirePolicy(ctx.db, policyArn(params));
  const versions = policyVersions(ctx.db, policy);
  // Newest first: the paging key orders higher version numbers before lower ones.
  const { items, ...paging } = page(versions, (v) => String(1e9 - versionNumber(v.version_id)).padStart(10, "0"), params.string("Marker"), maxItems(params));
  return { Versions: items.map((v) => versionOutput(v, policy.defaultVersion, false)), ...paging };
};

export const CreatePolicyVersion: QueryHandler = (params, ctx) => {
  const row = requireCustomerPolicy(ctx.db, policyArn(params), "CreatePolicyVersion", ctx.accountId);
  const document = policyDocumentParam(params.string("PolicyDocument"), "PolicyDocument", "permissions");
  if (policySize(document) > MANAGED_POLICY_QUOTA) throw new AwsError("LimitExceeded", `Cannot exceed quota for PolicySize: ${MANAGED_POLICY_QUOTA}`, 409);
  const count = (ctx.db.prepare("SELECT count(*) AS n FROM iam_policy_versions WHERE policy_arn = ?").get(row.arn) as { n: number }).n;
  if (count >= MAX_VERSIONS) {
    throw new AwsError("LimitExceeded", `A managed policy can have up to ${MAX_VERSIONS} versions. Before you create a new version, you must delete an existing version.`, 409);
  }
  const id = `v${row.next_version}`;
  const now = ctx.now().toISOString();
  const setAsDefault = params.boolean("SetAsDefault") ?? false;
  ctx.db.prepare("INSERT INTO iam_policy_versions (policy_arn, version_id, document, created_at) VALUES (?, ?, ?, ?)").run(row.arn, id, document, now);
  ctx.db
    .prepare("UPDATE iam_policies SET next_version = next_version + 1, default_version = ?, updated_at = ? WHERE arn = ?")
    .run(setAsDefault ? id : row.default_version, setAsDefault ? now : row.updated_at, row.arn);
  return { PolicyVersion: { VersionId: id, IsDefaultVersion: setAsDefault, CreateDate: new Date(now) } };
};

export const SetDefaultPolicyVersion: QueryHandler = (params, ctx) => {
  const row = requireCustomerPolicy(ctx.db, policyArn(params), "SetDefaultPolicyVersion", ctx.accountId);
  const id = versionId(params);
  if (!ctx.db.prepare("SELECT 1 FROM iam_policy_versions WHERE policy_arn = ? AND version_id = ?").get(row.arn, id)) {
    throw new AwsError("NoSuchEntity", `Policy ${row.arn} version ${id} does not exist.`, 404);
  }
  ctx.db.prepare("UPDATE iam_policies SET default_version = ?, updated_at = ? WHERE arn = ?").run(id, ctx.now().toISOString(), row.arn);
  return undefined;
};

export const DeletePolicyVersion: QueryHandler = (params, ctx) => {
  const row = requireCustomerPolicy(ctx.db, policyArn(params), "DeletePolicyVersion", ctx.accountId);
  const id = versionId(params);
  if (id === row.default_version) throw new AwsError("DeleteConflict", "Cannot delete the default version of a policy.", 409);
  const { changes } = ctx.db.prepare("DELETE FROM iam_policy_versions WHERE policy_arn = ? AND version_id = ?").run(row.arn, id);
  if (changes === 0) throw new AwsError("NoSuchEntity", `Policy ${row.arn} version ${id} does not exist or is not deletable.`, 404);
  return undefined;
};
