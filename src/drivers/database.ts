import { CreateDatabaseCommand, DeleteDatabaseCommand, paginateGetDatabases, UpdateDatabaseCommand, type Database, type GlueClient } from "@aws-sdk/client-glue";
import type { LakeConfig } from "../config/types.js";
import type { AttributeChange, Desired, Driver, DriverContext, InventoryEntry, Observation, ResourceRef } from "../engine/types.js";
import { Changes, ownership, resourceTags, userTags } from "./common.js";
import type { GlueAccount } from "./glue-common.js";

interface DatabaseSettings {
  description: string;
  locationUri: string;
  parameters: Record<string, string>;
  tags: Record<string, string>;
}

/** Glue Data Catalog databases. One GetDatabases (paged) tells which exist; tags are read per existing database. */
export class DatabaseDriver implements Driver<DatabaseSettings, DatabaseSettings> {
  readonly kind = "database";

  constructor(
    private readonly glue: GlueClient,
    private readonly account: GlueAccount,
  ) {}

  desired(config: LakeConfig): Desired<DatabaseSettings>[] {
    return config.databases.map((d) => ({
      kind: this.kind,
      address: `database.${d.name}`,
      name: d.name,
      dependsOn: d.location ? [`bucket.${d.location.bucket}`] : [],
      deletionPolicy: d.deletionPolicy,
      adopt: d.adopt,
      spec: {
        description: d.description ?? "",
        locationUri: d.location ? `s3://${config.buckets[d.location.bucket]!.name}/${d.location.prefix}` : "",
        parameters: d.parameters,
        tags: userTags(resourceTags(config)),
      },
    }));
  }

  async observe(refs: readonly ResourceRef[], ctx: DriverContext): Promise<Observation<DatabaseSettings>[]> {
    if (refs.length === 0) return [];
    const existing = new Map<string, Database>();
    await ctx.limit(async () => {
      for await (const page of paginateGetDatabases({ client: this.glue }, {})) {
        for (const db of page.DatabaseList ?? []) if (db.Name) existing.set(db.Name, db);
      }
    });
    return Promise.all(
      refs.map(async (ref): Promise<Observation<DatabaseSettings>> => {
        const db = existing.get(ref.name);
        if (!db) return { exists: false };
        const tags = await this.account.tags("database", ref.name, ctx);
        return {
          exists: true,
          ...ownership(tags, ctx.lake),
          state: { description: db.Description ?? "", locationUri: db.LocationUri ?? "", parameters: db.Parameters ?? {}, tags: userTags(tags) },
        };
      }),
    );
  }

  diff(desired: Desired<DatabaseSettings>, observed: DatabaseSettings | undefined): AttributeChange[] {
    const want = desired.spec;
    return new Changes()
      .compare("description", observed?.description, want.description)
      .compare("locationUri", observed?.locationUri, want.locationUri)
      .compare("parameters", observed?.parameters, want.parameters)
      .compare("tags", observed?.tags, want.tags).list;
  }

  async create(desired: Desired<DatabaseSettings>, ctx: DriverContext): Promise<void> {
    await ctx.limit(() => this.glue.send(new CreateDatabaseCommand({ DatabaseInput: this.input(desired), Tags: desired.spec.tags }))).catch((err: unknown) => {
      if ((err as Error).name !== "AlreadyExistsException") throw err; // a retried create
    });
  }

  async update(desired: Desired<DatabaseSettings>, observed: DatabaseSettings, changes: AttributeChange[], ctx: DriverContext): Promise<void> {
    const paths = changes.map((c) => c.path);
    if (paths.some((p) => p !== "tags")) {
      await ctx.limit(() => this.glue.send(new UpdateDatabaseCommand({ Name: desired.name, DatabaseInput: this.input(desired) })));
    }
    if (paths.includes("tags")) await this.account.setTags("database", desired.name, desired.spec.tags, observed.tags, ctx);
  }

  async delete(resource: ResourceRef & InventoryEntry, _observed: DatabaseSettings, ctx: DriverContext): Promise<void> {
    // Glue deletes the database's tables and partitions with it; the data in S3 is not touched.
    await ctx.limit(() => this.glue.send(new DeleteDatabaseCommand({ Name: resource.name })));
  }

  private input(desired: Desired<DatabaseSettings>) {
    const { description, locationUri, parameters } = desired.spec;
    return {
      Name: desired.name,
      ...(description ? { Description: description } : {}),
      ...(locationUri ? { LocationUri: locationUri } : {}),
      ...(Object.keys(parameters).length ? { Parameters: parameters } : {}),
    };
  }
}
