import { AwsError } from "../../protocols/types.js";
import type { QueryHandler } from "../../protocols/query.js";
import { policyDocumentParam, policySize, TRUST_POLICY_QUOTA } from "./policy-document.js";
import { findRole, newId, page, requireRole, roleOutput, type RoleRow } from "./store.js";
import { checkDescription, checkMaxSessionDuration, checkPath, maxItems, roleName, tagsParam } from "./validate.js";

/** Roles: create, read, list, update, delete. */

function trustPolicy(text: string | undefined, member: string): string {
  const document = policyDocumentParam(text, member, "trust");
  if (policySize(document) > TRUST_POLICY_QUOTA) throw new AwsError("LimitExceeded", `Cannot exceed quota for ACLSizePerRole: ${TRUST_POLICY_QUOTA}`, 409);
  return document;
}

export const CreateRole: QueryHandler = (params, ctx) => {
  const name = roleName(params);
  const path = checkPath("Path", params.string("Path"));
  const trust = trustPolicy(params.string("AssumeRolePolicyDocument"), "AssumeRolePolicyDocument");
  const description = checkDescription(params.string("Description"));
  const maxSession = checkMaxSessionDuration(params.integer("MaxSessionDuration")) ?? 3600;
  const tags = tagsParam(params);
  if (findRole(ctx.db, name)) throw new AwsError("EntityAlreadyExists", `Role with name ${name} already exists.`, 409);
  const row: RoleRow = {
    name,
    role_id: newId("AROA"),
    path,
    arn: `arn:aws:iam::${ctx.accountId}:role${path}${name}`,
    assume_role_policy: trust,
    description: description ?? null,
    max_session_duration: maxSession,
    tags: JSON.stringify(tags),
    created_at: ctx.now().toISOString(),
  };
  ctx.db
    .prepare(
      `INSERT INTO iam_roles (name, role_id, path, arn, assume_role_policy, description, max_session_duration, tags, created_at)
       VALUES (@name, @role_id, @path, @arn, @assume_role_policy, @description, @max_session_duration, @tags, @created_at)`,
    )
    .run(row);
  return { Role: roleOutput(row, true) };
};

export const GetRole: QueryHandler = (params, ctx) => ({ Role: roleOutput(requireRole(ctx.db, roleName(params)), true) });

export const ListRoles: QueryHandler = (params, ctx) => {
  const prefix = checkPath("PathPrefix", params.string("PathPrefix") ?? "/");
  const rows = (ctx.db.prepare("SELECT * FROM iam_roles").all() as RoleRow[]).filter((r) => r.path.startsWith(prefix));
  const { items, ...paging } = page(rows, (r) => r.name.toLowerCase(), params.string("Marker"), maxItems(params));
  return { Roles: items.map((r) => roleOutput(r, false)), ...paging };
};

export const UpdateRole: QueryHandler = (params, ctx) => {
  const role = requireRole(ctx.db, roleName(params));
  const description = checkDescription(params.string("Description"));
  const maxSession = checkMaxSessionDuration(params.integer("MaxSessionDuration"));
  ctx.db
    .prepare("UPDATE iam_roles SET description = ?, max_session_duration = ? WHERE name = ?")
    .run(description === undefined ? role.description : description || null, maxSession ?? role.max_session_duration, role.name);
  return {};
};

export const UpdateAssumeRolePolicy: QueryHandler = (params, ctx) => {
  const role = requireRole(ctx.db, roleName(params));
  const trust = trustPolicy(params.string("PolicyDocument"), "PolicyDocument");
  ctx.db.prepare("UPDATE iam_roles SET assume_role_policy = ? WHERE name = ?").run(trust, role.name);
  return undefined;
};

export const DeleteRole: QueryHandler = (params, ctx) => {
  const role = requireRole(ctx.db, roleName(params));
  const attached = ctx.db.prepare("SELECT 1 FROM iam_role_attachments WHERE role_name = ?").get(role.name);
  if (attached) throw new AwsError("DeleteConflict", "Cannot delete entity, must detach all policies first.", 409);
  const inline = ctx.db.prepare("SELECT 1 FROM iam_role_policies WHERE role_name = ?").get(role.name);
  if (inline) throw new AwsError("DeleteConflict", "Cannot delete entity, must delete policies first.", 409);
  ctx.db.prepare("DELETE FROM iam_roles WHERE name = ?").run(role.name);
  return undefined;
};
