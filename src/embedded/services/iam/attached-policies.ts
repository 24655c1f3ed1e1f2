import { AwsError } from "../../protocols/types.js";
import type { QueryHandler } from "../../protocols/query.js";
import { findPolicy } from "./managed-store.js";
import { page, requireRole } from "./store.js";
import { checkPath, maxItems, policyArn, roleName } from "./validate.js";

/** Managed policies attached to roles (at most 10 a role, IAM's default quota). */

const MAX_ATTACHED = 10;

export const AttachRolePolicy: QueryHandler = (params, ctx) => {
  const role = requireRole(ctx.db, roleName(params));
  const arn = policyArn(params);
  if (!findPolicy(ctx.db, arn)) throw new AwsError("NoSuchEntity", `Policy ${arn} does not exist or is not attachable.`, 404);
  const attached = ctx.db.prepare("SELECT policy_arn FROM iam_role_attachments WHERE role_name = ?").all(role.name) as { policy_arn: string }[];
  if (attached.some((a) => a.policy_arn === arn)) return undefined; // attaching again changes nothing, as on AWS
  if (attached.length >= MAX_ATTACHED) throw new AwsError("LimitExceeded", `Cannot exceed quota for PoliciesPerRole: ${MAX_ATTACHED}`, 409);
  ctx.db.prepare("INSERT INTO iam_role_attachments (role_name, policy_arn, attached_at) VALUES (?, ?, ?)").run(role.name, arn, ctx.now().toISOString());
  return undefined;
};

export const DetachRolePolicy: QueryHandler = (params, ctx) => {
  const role = requireRole(ctx.db, roleName(params));
  const arn = policyArn(params);
  const { changes } = ctx.db.prepare("DELETE FROM iam_role_attachments WHERE role_name = ? AND policy_arn = ?").run(role.name, arn);
  if (changes === 0) throw new AwsError("NoSuchEntity", `Policy ${arn} was not found.`, 404);
  return undefined;
};

export const ListAttachedRolePolicies: QueryHandler = (params, ctx) => {
  const role = requireRole(ctx.db, roleName(params));
  const prefix = checkPath("PathPrefix", params.string("PathPrefix") ?? "/");
  const rows = ctx.db.prepare("SELECT policy_arn FROM iam_role_attachments WHERE role_name = ?").all(role.name) as { policy_arn: string }[];
  const policies = rows.flatMap((r) => findPolicy(ctx.db, r.policy_arn) ?? []).filter((p) => p.path.startsWith(prefix));
  const { items, ...paging } = page(policies, (p) => `${p.name.toLowerCase()}\u0000${p.arn}`, params.string("Marker"), maxItems(params));
  return { AttachedPolicies: items.map((p) => ({ PolicyName: p.name, PolicyArn: p.arn })), ...paging };
};
