import { ListTagsForResourceCommand, TagResourceCommand, UntagResourceCommand, type AthenaClient } from "@aws-sdk/client-athena";
import type { DriverContext } from "../engine/types.js";
import { isError } from "./common.js";
import type { GlueAccount } from "./glue-common.js";

/** What the Athena drivers share: workgroup ARNs (tags are addressed by ARN) and tag reads and writes. */
export class AthenaTags {
  constructor(
    private readonly athena: AthenaClient,
    private readonly account: GlueAccount,
    private readonly region: string,
  ) {}

  async arn(workgroup: string, ctx: DriverContext): Promise<string> {
    return `arn:aws:athena:${this.region}:${await this.account.accountId(ctx)}:workgroup/${workgroup}`;
  }

  async get(workgroup: string, ctx: DriverContext): Promise<Record<string, string>> {
    const ResourceARN = await this.arn(workgroup, ctx);
    const tags: Record<string, string> = {};
    let NextToken: string | undefined;
    do {
      const out = await ctx.limit(() => this.athena.send(new ListTagsForResourceCommand({ ResourceARN, ...(NextToken ? { NextToken } : {}) })));
      for (const t of out.Tags ?? []) if (t.Key) tags[t.Key] = t.Value ?? "";
      NextToken = out.NextToken;
    } while (NextToken);
    return tags;
  }

  async set(workgroup: string, want: Record<string, string>, have: Record<string, string>, ctx: DriverContext): Promise<void> {
    const ResourceARN = await this.arn(workgroup, ctx);
    const stale = Object.keys(have).filter((k) => !(k in want) && !k.startsWith("aws:"));
    await ctx.limit(() => this.athena.send(new TagResourceCommand({ ResourceARN, Tags: toTagList(want) })));
    if (stale.length) await ctx.limit(() => this.athena.send(new UntagResourceCommand({ ResourceARN, TagKeys: stale })));
  }
}

export function toTagList(tags: Record<string, string>): { Key: string; Value: string }[] {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

/** Athena answers a read of a missing workgroup with InvalidRequestException ("WorkGroup x is not found"). */
export function isMissingWorkgroup(err: unknown): boolean {
  return isError(err, "ResourceNotFoundException") || (isError(err, "InvalidRequestException") && /not\s*found|does not exist/i.test((err as Error).message ?? ""));
}
