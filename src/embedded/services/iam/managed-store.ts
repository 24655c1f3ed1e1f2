import type Database from "better-sqlite3";
import { AwsError } from "../../protocols/types.js";
import type { XmlValue } from "../../protocols/query.js";
import { AWS_MANAGED_POLICIES, awsManagedPolicyArn, awsManagedPolicyDocument, findAwsManagedPolicy } from "./aws-managed-policies.js";
import type { Tag } from "./validate.js";

/** Managed policies as one view over the AWS catalog (read-only) and customer managed policies (in SQLite). */

export interface ManagedPolicy {
  arn: string;
  name: string;
  policyId: string;
  path: string;
  description?: string;
  defaultVersion: string;
  createDate: Date;
  updateDate: Date;
  tags: Tag[];
  awsManaged: boolean;
}

export interface PolicyRow {
  arn: string;
  name: string;
  policy_id: string;
  path: string;
  description: string | null;
  default_version: string;
  next_version: number;
  tags: string;
  created_at: string;
  updated_at: string;
}

export interface VersionRow {
  policy_arn: string;
  version_id: string;
  document: string;
  created_at: string;
}

const fromRow = (r: PolicyRow): ManagedPolicy => ({
  arn: r.arn,
  name: r.name,
  policyId: r.policy_id,
  path: r.path,
  ...(r.description ? { description: r.description } : {}),
  defaultVersion: r.default_version,
  createDate: new Date(r.created_at),
  updateDate: new Date(r.updated_at),
  tags: JSON.parse(r.tags) as Tag[],
  awsManaged: false,
});

const fromCatalog = (p: (typeof AWS_MANAGED_POLICIES)[number]): ManagedPolicy => ({
  arn: awsManagedPolicyArn(p),
  name: p.name,
  policyId: p.policyId,
  path: p.path,
  description: p.description,
  defaultVersion: p.versionId,
  createDate: new Date(p.createDate),
  updateDate: new Date(p.updateDate),
  tags: [],
  awsManaged: true,
});

export function findPolicy(db: Database.Database, arn: string): ManagedPolicy | undefined {
  const aws = findAwsManagedPolicy(arn);
  if (aws) return fromCatalog(aws);
  const row = db.prepare("SELECT * FROM iam_policies WHERE arn = ?").get(arn) as PolicyRow | undefined;
  return row && fromRow(row);
}

export function requirePolicy(db: Database.Database, arn: string): ManagedPolicy {
  const policy = findPolicy(db, arn);
  if (!policy) throw new AwsError("NoSuchEntity", `Policy ${arn} was not found.`, 404);
  return policy;
}

/** A customer managed policy, for changes: AWS managed policies belong to AWS. */
export function requireCustomerPolicy(db: Database.Database, arn: string, action: string, accountId: string): PolicyRow {
  if (findAwsManagedPolicy(arn)) {
    throw new AwsError("AccessDenied", `User: arn:aws:iam::${accountId}:root is not authorized to perform: iam:${action} on resource: policy ${arn}`, 403);
  }
  const row = db.prepare("SELECT * FROM iam_policies WHERE arn = ?").get(arn) as PolicyRow | undefined;
  if (!row) throw new AwsError("NoSuchEntity", `Policy ${arn} was not found.`, 404);
  return row;
}

export function allPolicies(db: Database.Database): ManagedPolicy[] {
  const customer = (db.prepare("SELECT * FROM iam_policies").all() as PolicyRow[]).map(fromRow);
  return [...AWS_MANAGED_POLICIES.map(fromCatalog), ...customer];
}

/** The versions of a policy, newest first; an AWS managed policy has its default version only. */
export function policyVersions(db: Database.Database, policy: ManagedPolicy): VersionRow[] {
  if (policy.awsManaged) {
    const p = findAwsManagedPolicy(policy.arn)!;
    return [{ policy_arn: policy.arn, version_id: p.versionId, document: awsManagedPolicyDocument(p), created_at: p.updateDate }];
  }
  const rows = db.prepare("SELECT * FROM iam_policy_versions WHERE policy_arn = ?").all(policy.arn) as VersionRow[];
  return rows.sort((a, b) => versionNumber(b.version_id) - versionNumber(a.version_id));
}

export const versionNumber = (id: string) => Number(id.slice(1));

export function attachmentCount(db: Database.Database, arn: string): number {
  return (db.prepare("SELECT count(*) AS n FROM iam_role_attachments WHERE policy_arn = ?").get(arn) as { n: number }).n;
}

/** The Policy structure; ListPolicies leaves Description and Tags out, as AWS does. */
export function policyOutput(db: Database.Database, p: ManagedPolicy, detail: boolean): Record<string, XmlValue> {
  return {
    PolicyName: p.name,
    PolicyId: p.policyId,
    Arn: p.arn,
    Path: p.path,
    DefaultVersionId: p.defaultVersion,
    AttachmentCount: attachmentCount(db, p.arn),
    PermissionsBoundaryUsageCount: 0,
    IsAttachable: true,
    ...(detail ? { Description: p.description } : {}),
    CreateDate: p.createDate,
    UpdateDate: p.updateDate,
    ...(detail && p.tags.length ? { Tags: p.tags } : {}),
  };
}
