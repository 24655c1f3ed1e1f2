import type Database from "better-sqlite3";
import { AwsError } from "../../protocols/types.js";
import type { QueryHandler } from "../../protocols/query.js";
import { INLINE_POLICIES_QUOTA, policyDocumentParam, policySize } from "./policy-document.js";
import { encodeDocument, page, requireRole } from "./store.js";
import { maxItems, policyName, roleName } from "./validate.js";

/** Inline role policies: documents that live in the role, up to 10,240 characters together. */

interface InlineRow {
  policy_name: string;
  document: string;
}

const inlinePolicies = (db: Database.Database, role: string) =>
  db.prepare("SELECT policy_name, document FROM iam_role_policies WHERE role_name = ?").all(role) as InlineRow[];

export const PutRolePolicy: QueryHandler = (params, ctx) => {
  const role = requireRole(ctx.db, roleName(params));
  const name = policyName(params);
  const document = policyDocumentParam(params.string("PolicyDocument"), "PolicyDocument", "permissions");
  const others = inlinePolicies(ctx.db, role.name).filter((p) => p.policy_name.toLowerCase() !== name.toLowerCase());
  const total = others.reduce((sum, p) => sum + policySize(p.document), policySize(document));
  if (total > INLINE_POLICIES_QUOTA) throw new AwsError("LimitExceeded", `Maximum policy size of ${INLINE_POLICIES_QUOTA} bytes exceeded for role ${role.name}`, 409);
  // A new name replaces an existing one that differs only in case, as IAM names are case-insensitive.
  ctx.db.prepare("DELETE FROM iam_role_policies WHERE role_name = ? AND policy_name = ?").run(role.name, name);
  ctx.db.prepare("INSERT INTO iam_role_policies (role_name, policy_name, document) VALUES (?, ?, ?)").run(role.name, name, document);
  return undefined;
};

export const GetRolePolicy: QueryHandler = (params, ctx) => {
  const role = requireRole(ctx.db, roleName(params));
  const name = policyName(params);
  const row = ctx.db.prepare("SELECT policy_name, document FROM iam_role_policies WHERE role_name = ? AND policy_name = ?").get(role.name, name) as InlineRow | undefined;
  if (!row) throw new AwsError("NoSuchEntity", `The role policy with name ${name} cannot be found.`, 404);
  return { RoleName: role.name, PolicyName: row.policy_name, PolicyDocument: encodeDocument(row.document) };
};

export const DeleteRolePolicy: QueryHandler = (params, ctx) => {
  const role = requireRole(ctx.db, roleName(params));
  const name = policyName(params);
  const { changes } = ctx.db.prepare("DELETE FROM iam_role_policies WHERE role_name = ? AND policy_name = ?").run(role.name, name);
  if (changes === 0) throw new AwsError("NoSuchEntity", `The role policy with name ${name} cannot be found.`, 404);
  return undefined;
};

export const ListRolePolicies: QueryHandler = (params, ctx) => {
  const role = requireRole(ctx.db, roleName(params));
  const names = inlinePolicies(ctx.db, role.name).map((p) => p.policy_name);
  const { items, ...paging } = page(names, (n) => n, params.string("Marker"), maxItems(params));
  return { PolicyNames: items, ...paging };
};
