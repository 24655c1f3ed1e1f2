import type { QueryHandler } from "../../protocols/query.js";
import type { WireRequest } from "../../protocols/types.js";

/** Who is calling: the account root, or the assumed role whose temporary access key signed the request. */
export const GetCallerIdentity: QueryHandler = (_params, ctx, req) => {
  const key = accessKeyOf(req);
  const session = key
    ? (ctx.db.prepare("SELECT assumed_role_id, assumed_role_arn FROM sts_sessions WHERE access_key_id = ?").get(key) as { assumed_role_id: string; assumed_role_arn: string } | undefined)
    : undefined;
  if (session) return { UserId: session.assumed_role_id, Account: ctx.accountId, Arn: session.assumed_role_arn };
  return { UserId: ctx.accountId, Account: ctx.accountId, Arn: `arn:aws:iam::${ctx.accountId}:root` };
};

/** The access key id in the request's SigV4 credential (header or presigned query). */
function accessKeyOf(req: WireRequest): string | undefined {
  const credential = /Credential=([^,\s/]+)/.exec(req.headers.authorization ?? "")?.[1] ?? req.query.get("X-Amz-Credential")?.split("/")[0];
  return credential || undefined;
}
