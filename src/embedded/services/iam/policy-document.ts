import { AwsError } from "../../protocols/types.js";

/**
 * The checks IAM makes on a policy document before it stores it, with IAM's messages. A trust policy (who may
 * assume a role) names a Principal and no Resource; a permissions policy names Resources and no Principal.
 */
export type PolicyKind = "trust" | "permissions";

const TOP_LEVEL = new Set(["Version", "Id", "Statement"]);
const STATEMENT_KEYS = new Set(["Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Principal", "NotPrincipal", "Condition"]);
const ACTION_PATTERN = /^(\*|[a-zA-Z0-9-]+:[a-zA-Z0-9*?]*)$/;

const malformed = (message: string) => new AwsError("MalformedPolicyDocument", message, 400);

export function checkPolicyDocument(text: string, kind: PolicyKind): void {
  let policy: unknown;
  try {
    policy = JSON.parse(text);
  } catch {
    throw malformed("This policy contains invalid Json");
  }
  if (!isObject(policy)) throw malformed("This policy contains invalid Json");
  if (Object.keys(policy).some((k) => !TOP_LEVEL.has(k))) throw malformed("Syntax errors in policy.");
  if (policy.Version !== undefined && policy.Version !== "2012-10-17" && policy.Version !== "2008-10-17") throw malformed("The policy failed legacy parsing");
  const statements = Array.isArray(policy.Statement) ? policy.Statement : policy.Statement === undefined ? [] : [policy.Statement];
  if (statements.length === 0) throw malformed("Syntax errors in policy.");
  for (const statement of statements) checkStatement(statement, kind);
}

function checkStatement(statement: unknown, kind: PolicyKind): void {
  if (!isObject(statement) || Object.keys(statement).some((k) => !STATEMENT_KEYS.has(k))) throw malformed("Syntax errors in policy.");
  if (statement.Effect === undefined) throw malformed("Missing required field Effect");
  if (statement.Effect !== "Allow" && statement.Effect !== "Deny") throw malformed(`Invalid effect: ${String(statement.Effect)}`);
  const actions = statement.Action ?? statement.NotAction;
  if (actions === undefined) throw malformed("Missing required field Action");
  for (const action of Array.isArray(actions) ? actions : [actions]) {
    if (typeof action !== "string") throw malformed("Syntax errors in policy.");
    if (!ACTION_PATTERN.test(action)) throw malformed("Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.");
  }
  if (statement.Condition !== undefined && !isObject(statement.Condition)) throw malformed("Syntax errors in policy.");
  const hasPrincipal = statement.Principal !== undefined || statement.NotPrincipal !== undefined;
  const hasResource = statement.Resource !== undefined || statement.NotResource !== undefined;
  if (kind === "trust") {
    if (!hasPrincipal) throw malformed("Missing required field Principal");
    if (hasResource) throw malformed("Has prohibited field Resource");
  } else {
    if (hasPrincipal) throw malformed("Policy document should not specify a principal.");
    if (!hasResource) throw malformed("Policy statement must contain resources.");
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** IAM's size quotas count characters other than whitespace. */
export function policySize(text: string): number {
  return text.replace(/\s+/g, "").length;
}

export const TRUST_POLICY_QUOTA = 2048;
export const MANAGED_POLICY_QUOTA = 6144;
export const INLINE_POLICIES_QUOTA = 10240;

/** A document from a request: present, at most 131072 characters (the API's limit), and well formed. */
export function policyDocumentParam(value: string | undefined, member: string, kind: PolicyKind): string {
  if (value === undefined) {
    throw new AwsError("ValidationError", `1 validation error detected: Value null at '${member.charAt(0).toLowerCase()}${member.slice(1)}' failed to satisfy constraint: Member must not be null`, 400);
  }
  if (value.length > 131072) throw malformed("Cannot exceed quota for PolicySize: 131072");
  checkPolicyDocument(value, kind);
  return value;
}
