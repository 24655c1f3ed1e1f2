import { randomBytes } from "node:crypto";
import { AwsError } from "../../protocols/types.js";
import { type QueryHandler, validationError } from "../../protocols/query.js";
import { findRoleByArn } from "../iam/index.js";
import { newId } from "../iam/store.js";

/**
 * Temporary credentials for a role of the embedded account. The trust policy is not evaluated (the local caller is
 * the account root, and lakewarden's roles trust AWS services): any existing role can be assumed; an unknown one
 * gets AccessDenied, as on AWS.
 */
export const AssumeRole: QueryHandler = (params, ctx) => {
  const roleArn = params.requiredString("RoleArn");
  if (roleArn.length < 20) throw validationError("RoleArn", roleArn, "Member must have length greater than or equal to 20");
  if (roleArn.length > 2048) throw validationError("RoleArn", roleArn, "Member must have length less than or equal to 2048");
  const sessionName = params.requiredString("RoleSessionName");
  if (sessionName.length < 2) throw validationError("RoleSessionName", sessionName, "Member must have length greater than or equal to 2");
  if (sessionName.length > 64) throw validationError("RoleSessionName", sessionName, "Member must have length less than or equal to 64");
  if (!/^[\w+=,.@-]*$/.test(sessionName)) throw validationError("RoleSessionName", sessionName, "Member must satisfy regular expression pattern: [\\w+=,.@-]*");
  const duration = params.integer("DurationSeconds") ?? 3600;
  if (duration < 900) throw validationError("DurationSeconds", duration, "Member must have value greater than or equal to 900");
  if (duration > 43200) throw validationError("DurationSeconds", duration, "Member must have value less than or equal to 43200");

  const role = findRoleByArn(ctx.db, roleArn);
  if (!role) {
    throw new AwsError("AccessDenied", `User: arn:aws:iam::${ctx.accountId}:root is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`, 403);
  }
  if (duration > role.max_session_duration) {
    throw new AwsError("ValidationError", "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.", 400);
  }
  const expiration = new Date(ctx.now().getTime() + duration * 1000);
  const credentials = {
    AccessKeyId: newId("ASIA", 20),
    SecretAccessKey: randomBytes(30).toString("base64"),
    SessionToken: randomBytes(96).toString("base64"),
    Expiration: expiration,
  };
  const assumedRole = { AssumedRoleId: `${role.role_id}:${sessionName}`, Arn: `arn:aws:sts::${ctx.accountId}:assumed-role/${role.name}/${sessionName}` };
  ctx.db
    .prepare("INSERT INTO sts_sessions (access_key_id, secret_access_key, session_token, role_arn, assumed_role_id, assumed_role_arn, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
    .run(credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken, role.arn, assumedRole.AssumedRoleId, assumedRole.Arn, expiration.toISOString());
  // Expired sessions are of no further use: drop them as new ones are made.
  ctx.db.prepare("DELETE FROM sts_sessions WHERE expires_at < ?").run(ctx.now().toISOString());
  return { Credentials: credentials, AssumedRoleUser: assumedRole, SourceIdentity: params.string("SourceIdentity") };
};
