import { createHash } from "node:crypto";
import {
  BatchGetNamedQueryCommand,
  CreateNamedQueryCommand,
  DeleteNamedQueryCommand,
  GetNamedQueryCommand,
  paginateListNamedQueries,
  UpdateNamedQueryCommand,
  type AthenaClient,
  type NamedQuery,
} from "@aws-sdk/client-athena";
import type { LakeConfig } from "../config/types.js";
import type { AttributeChange, Desired, Driver, DriverContext, InventoryEntry, Observation, ResourceRef } from "../engine/types.js";
import { isMissingWorkgroup, type AthenaTags } from "./athena-common.js";
import { Changes, isError, ownership } from "./common.js";

/**
 * Saved (named) Athena queries, from the `-- name:` blocks of the config's SQL files. Athena cannot tag a named
 * query and allows several of one name, so lakewarden owns saved queries through their workgroup (a workgroup
 * carrying the lake's ownership tag) and keeps one query per name in it: duplicates (a create retried after a crash
 * before the inventory was written, or made by hand) are deleted on update.
 */
export interface SavedQuerySettings {
  workgroup: string;
  database: string;
  description: string;
  sql: string;
}

interface SavedQueryState extends SavedQuerySettings {
  id: string;
  /** Other queries of the same name in the workgroup. */
  duplicates: string[];
}

export class SavedQueryDriver implements Driver<SavedQuerySettings, SavedQueryState> {
  readonly kind = "query";

  constructor(
    private readonly athena: AthenaClient,
    private readonly tags: AthenaTags,
  ) {}

  desired(config: LakeConfig): Desired<SavedQuerySettings>[] {
    const owned = new Map(config.workgroups.map((w) => [w.name, w]));
    return config.savedQueries.map((q) => {
      // The config resolver requires a declared workgroup for saved queries.
      const workgroup = owned.get(q.workgroup ?? "")!;
      return {
        kind: this.kind,
        address: `query.${q.name}`,
        name: q.name,
        dependsOn: [`workgroup.${workgroup.name}`, `database.${q.database}`],
        deletionPolicy: workgroup.deletionPolicy,
        adopt: workgroup.adopt,
        facts: { workgroup: workgroup.name },
        spec: { workgroup: workgroup.name, database: q.database, description: q.description ?? "", sql: q.sql },
      };
    });
  }

  async observe(refs: readonly ResourceRef[], ctx: DriverContext): Promise<Observation<SavedQueryState>[]> {
    const workgroupOf = (ref: ResourceRef) => String((ref as Desired | InventoryEntry).facts?.workgroup ?? "primary");
    const groups = [...new Set(refs.map(workgroupOf))];
    const listed = new Map(await Promise.all(groups.map(async (g) => [g, await this.workgroupQueries(g, ctx)] as const)));
    return refs.map((ref): Observation<SavedQueryState> => {
      const group = listed.get(workgroupOf(ref));
      // Of several queries of one name, the one closest to the config is kept (then the lowest id): the others go.
      const want = (ref as Partial<Desired<SavedQuerySettings>>).spec;
      const likeness = (q: NamedQuery) => (want ? [q.Database === want.database, (q.Description ?? "") === want.description, q.QueryString === want.sql].filter(Boolean).length : 0);
      const same = (group?.queries ?? [])
        .filter((q) => q.Name === ref.name)
        .sort((a, b) => likeness(b) - likeness(a) || (a.NamedQueryId ?? "").localeCompare(b.NamedQueryId ?? ""));
      const [first, ...rest] = same;
      if (!group || !first) return { exists: false };
      return {
        exists: true,
        ...group.ownership,
        state: {
          id: first.NamedQueryId!,
          workgroup: workgroupOf(ref),
          database: first.Database ?? "",
          description: first.Description ?? "",
          sql: first.QueryString ?? "",
          duplicates: rest.map((q) => q.NamedQueryId!),
        },
      };
    });
  }

  diff(desired: Desired<SavedQuerySettings>, observed: SavedQueryState | undefined): AttributeChange[] {
    const want = desired.spec;
    const changes = new Changes()
      .compare("database", observed?.database, want.database)
      .compare("description", observed?.description, want.description)
      .compare("sql", observed?.sql, want.sql).list;
    if (observed?.duplicates.length) changes.push({ path: "duplicates", before: observed.duplicates.length, after: 0 });
    return changes;
  }

  async create(desired: Desired<SavedQuerySettings>, ctx: DriverContext): Promise<void> {
    const spec = desired.spec;
    await ctx.limit(() =>
      this.athena.send(
        new CreateNamedQueryCommand({
          Name: desired.name,
          WorkGroup: spec.workgroup,
          Database: spec.database,
          QueryString: spec.sql,
          ...(spec.description ? { Description: spec.description } : {}),
          // The same create retried by the SDK (a response lost on the way) yields the same query, not a second one.
          ClientRequestToken: requestToken(ctx.lake, desired),
        }),
      ),
    );
  }

  async update(desired: Desired<SavedQuerySettings>, observed: SavedQueryState, changes: AttributeChange[], ctx: DriverContext): Promise<void> {
    const spec = desired.spec;
    if (changes.some((c) => c.path !== "duplicates")) {
      await ctx.limit(() =>
        this.athena.send(
          new UpdateNamedQueryCommand({ NamedQueryId: observed.id, Name: desired.name, QueryString: spec.sql, Description: spec.description || undefined }),
        ),
      );
      // UpdateNamedQuery cannot move a query to another database: recreate it there.
      if (changes.some((c) => c.path === "database")) {
        await ctx.limit(() => this.athena.send(new DeleteNamedQueryCommand({ NamedQueryId: observed.id })));
        await this.create(desired, ctx);
      }
    }
    for (const id of observed.duplicates) await ctx.limit(() => this.athena.send(new DeleteNamedQueryCommand({ NamedQueryId: id })));
  }

  async delete(_resource: ResourceRef & InventoryEntry, observed: SavedQueryState, ctx: DriverContext): Promise<void> {
    for (const id of [observed.id, ...observed.duplicates]) await ctx.limit(() => this.athena.send(new DeleteNamedQueryCommand({ NamedQueryId: id })));
  }

  /** The named queries of a workgroup and whether the lake owns it; undefined when the workgroup does not exist. */
  private async workgroupQueries(workgroup: string, ctx: DriverContext): Promise<{ queries: NamedQuery[]; ownership: { owned: boolean; owner?: string } } | undefined> {
    let tags: Record<string, string>;
    const ids: string[] = [];
    try {
      tags = await this.tags.get(workgroup, ctx);
      await ctx.limit(async () => {
        for await (const page of paginateListNamedQueries({ client: this.athena, pageSize: 50 }, { WorkGroup: workgroup })) ids.push(...(page.NamedQueryIds ?? []));
      });
    } catch (err) {
      if (isMissingWorkgroup(err)) return undefined;
      throw err;
    }
    const queries: NamedQuery[] = [];
    for (let i = 0; i < ids.length; i += 50) queries.push(...(await this.batchGet(ids.slice(i, i + 50), ctx)));
    return { queries, ownership: ownership(tags, ctx.lake) };
  }

  /** BatchGetNamedQuery, or one GetNamedQuery per id where the service lacks the batch call (moto). */
  private async batchGet(ids: string[], ctx: DriverContext): Promise<NamedQuery[]> {
    try {
      return (await ctx.limit(() => this.athena.send(new BatchGetNamedQueryCommand({ NamedQueryIds: ids })))).NamedQueries ?? [];
    } catch (err) {
      // moto answers the batch call it lacks with an HTML error page: any answer that is not Athena's own error.
      if (isError(err, "InvalidRequestException", "TooManyRequestsException", "ThrottlingException", "AccessDeniedException")) throw err;
      const one = async (id: string) => (await ctx.limit(() => this.athena.send(new GetNamedQueryCommand({ NamedQueryId: id })))).NamedQuery;
      return (await Promise.all(ids.map(one))).filter((q): q is NamedQuery => q !== undefined);
    }
  }
}

/** Deterministic per lake, query and content: 32–128 characters as Athena requires. */
function requestToken(lake: string, desired: Desired<SavedQuerySettings>): string {
  const { workgroup, database, description, sql } = desired.spec;
  return createHash("sha256").update(JSON.stringify([lake, workgroup, desired.name, database, description, sql])).digest("hex");
}
