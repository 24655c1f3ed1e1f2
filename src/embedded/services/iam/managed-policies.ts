import { AwsError } from "../../protocols/types.js";
import type { QueryHandler } from "../../protocols/query.js";
import { allPolicies, attachmentCount, findPolicy, policyOutput, requireCustomerPolicy, requirePolicy } from "./managed-store.js";
import { MANAGED_POLICY_QUOTA, policyDocumentParam, policySize } from "./policy-document.js";
import { newId, page } from "./store.js";
import { checkDescription, checkPath, maxItems, policyArn, policyName, tagsParam } from "./validate.js";

/** Managed policies: the AWS catalog (read-only) and customer managed policies. */

export const CreatePolicy: QueryHandler = (params, ctx) => {
  const name = policyName(params);
  const path = checkPath("Path", params.string("Path"));
  const document = policyDocumentParam(params.string("PolicyDocument"), "PolicyDocument", "permissions");
  if (policySize(document) > MANAGED_POLICY_QUOTA) throw new AwsError("LimitExceeded", `Cannot exceed quota for PolicySize: ${MANAGED_POLICY_QUOTA}`, 409);
  const description = checkDescription(params.string("Description"));
  const tags = tagsParam(params);
  const arn = `arn:aws:iam::${ctx.accountId}:policy${path}${name}`;
  if (ctx.db.prepare("SELECT 1 FROM iam_policies WHERE name = ?").get(name)) {
    throw new AwsError("EntityAlreadyExists", `A policy called ${name} already exists. Duplicate names are not allowed.`, 409);
  }
  const now = ctx.now().toISOString();
  ctx.db
    .prepare(
      `INSERT INTO iam_policies (arn, name, policy_id, path, description, default_version, next_version, tags, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, 'v1', 2, ?, ?, ?)`,
    )
    .run(arn, name, newId("ANPA"), path, description ?? null, JSON.stringify(tags), now, now);
  ctx.db.prepare("INSERT INTO iam_policy_versions (policy_arn, version_id, document, created_at) VALUES (?, 'v1', ?, ?)").run(arn, document, now);
  return { Policy: policyOutput(ctx.db, findPolicy(ctx.db, arn)!, true) };
};

export const GetPolicy: QueryHandler = (params, ctx) => ({ Policy: policyOutput(ctx.db, requirePolicy(ctx.db, policyArn(params)), true) });

export const ListPolicies: QueryHandler = (params, ctx) => {
  const scope = params.string("Scope") ?? "All";
  if (!["All", "AWS", "Local"].includes(scope)) throw new AwsError("ValidationError", `1 validation error detected: Value '${scope}' at 'scope' failed to satisfy constraint: Member must satisfy enum value set: [All, AWS, Local]`, 400);
  const prefix = checkPath("PathPrefix", params.string("PathPrefix") ?? "/");
  const onlyAttached = params.boolean("OnlyAttached") ?? false;
  const policies = allPolicies(ctx.db).filter(
    (p) =>
      (scope === "All" || (scope === "AWS") === p.awsManaged) &&
      p.path.startsWith(prefix) &&
      (!onlyAttached || attachmentCount(ctx.db, p.arn) > 0),
  );
  const { items, ...paging } = page(policies, (p) => `${p.name.toLowerCase()}\u0000${p.arn}`, params.string("Marker"), maxItems(params));
  return { Policies: items.map((p) => policyOutput(ctx.db, p, false)), ...paging };
};

export const DeletePolicy: QueryHandler = (params, ctx) => {
  const row = requireCustomerPolicy(ctx.db, policyArn(params), "DeletePolicy", ctx.accountId);
  if (attachmentCount(ctx.db, row.arn) > 0) throw new AwsError("DeleteConflict", "Cannot delete a policy attached to entities.", 409);
  const versions = (ctx.db.prepare("SELECT count(*) AS n FROM iam_policy_versions WHERE policy_arn = ?").get(row.arn) as { n: number }).n;
  if (versions > 1) {
    throw new AwsError("DeleteConflict", "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.", 409);
  }
  ctx.db.prepare("DELETE FROM iam_policy_versions WHERE policy_arn = ?").run(row.arn);
  ctx.db.prepare("DELETE FROM iam_policies WHERE arn = ?").run(row.arn);
  return undefined;
};
