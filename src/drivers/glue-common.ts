import { GetTagsCommand, TagResourceCommand, UntagResourceCommand, type GlueClient } from "@aws-sdk/client-glue";
import { GetCallerIdentityCommand, type STSClient } from "@aws-sdk/client-sts";
import type { DriverContext, ResourceRef } from "../engine/types.js";
import { isError } from "./common.js";

/**
 * What the Glue drivers share: the account id (Glue tags are addressed by ARN), tag reads and writes, and the
 * wait for IAM: a role created seconds ago is not yet assumable by Glue, which answers InvalidInputException.
 */
export class GlueAccount {
  private account?: Promise<string>;

  constructor(
    private readonly glue: GlueClient,
    private readonly sts: STSClient,
    private readonly region: string,
  ) {}

  /** The account id, asked once per run. */
  accountId(ctx: DriverContext): Promise<string> {
    this.account ??= ctx.limit(() => this.sts.send(new GetCallerIdentityCommand({}))).then((out) => out.Account ?? "");
    return this.account;
  }

  async arn(kind: "database" | "crawler" | "job", name: string, ctx: DriverContext): Promise<string> {
    return `arn:aws:glue:${this.region}:${await this.accountId(ctx)}:${kind}/${name}`;
  }

  async tags(kind: "database" | "crawler" | "job", name: string, ctx: DriverContext): Promise<Record<string, string>> {
    const ResourceArn = await this.arn(kind, name, ctx);
    const out = await ctx.limit(() => this.glue.send(new GetTagsCommand({ ResourceArn })));
    return out.Tags ?? {};
  }

  async setTags(kind: "database" | "crawler" | "job", name: string, want: Record<string, string>, have: Record<string, string>, ctx: DriverContext): Promise<void> {
    const ResourceArn = await this.arn(kind, name, ctx);
    const stale = Object.keys(have).filter((k) => !(k in want) && !k.startsWith("aws:"));
    await ctx.limit(() => this.glue.send(new TagResourceCommand({ ResourceArn, TagsToAdd: want })));
    if (stale.length) await ctx.limit(() => this.glue.send(new UntagResourceCommand({ ResourceArn, TagsToRemove: stale })));
  }
}

/**
 * Reads definitions by name, 100 a call (BatchGetCrawlers, BatchGetJobs), in the order of `refs`: undefined for a
 * name that does not exist.
 */
export async function batchGet<T extends { Name?: string }>(refs: readonly ResourceRef[], ctx: DriverContext, fetch: (names: string[]) => Promise<T[]>): Promise<(T | undefined)[]> {
  const found = new Map<string, T>();
  for (let i = 0; i < refs.length; i += 100) {
    const names = refs.slice(i, i + 100).map((r) => r.name);
    for (const item of await ctx.limit(() => fetch(names))) if (item.Name) found.set(item.Name, item);
  }
  return refs.map((r) => found.get(r.name));
}

const IAM_PROPAGATION = /unable to assume|assume provided role|not authorized to perform: sts:AssumeRole/i;

/**
 * Runs a Glue call that names a role, retrying for up to two minutes while IAM has not propagated the role to
 * Glue yet (as Terraform does); any other error fails at once.
 */
export async function withRolePropagation<T>(call: () => Promise<T>, limitSeconds = 120): Promise<T> {
  const deadline = Date.now() + limitSeconds * 1000;
  for (let wait = 2000; ; wait = Math.min(wait * 2, 15_000)) {
    try {
      return await call();
    } catch (err) {
      const message = (err as Error)?.message ?? "";
      if (!isError(err, "InvalidInputException") || !IAM_PROPAGATION.test(message) || Date.now() + wait > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

/** `GlueDataEngineerRole` and `arn:aws:iam::123:role/GlueDataEngineerRole` name the same role. */
export function roleName(roleOrArn: string | undefined): string {
  return (roleOrArn ?? "").replace(/^arn:aws[a-z-]*:iam::\d+:role\/(.*\/)?/, "");
}
