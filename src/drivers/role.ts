import {
  AttachRolePolicyCommand,
  CreateRoleCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  paginateListAttachedRolePolicies,
  paginateListRolePolicies,
  ListRoleTagsCommand,
  PutRolePolicyCommand,
  TagRoleCommand,
  UntagRoleCommand,
  UpdateAssumeRolePolicyCommand,
  UpdateRoleCommand,
  type IAMClient,
} from "@aws-sdk/client-iam";
import type { LakeConfig } from "../config/types.js";
import type { AttributeChange, Desired, Driver, DriverContext, InventoryEntry, Observation, ResourceRef } from "../engine/types.js";
import { compileAccessPolicy, trustPolicy } from "./access-policy.js";
import { Changes, isError, ownership, resourceTags, started, userTags } from "./common.js";
import { parsePolicy, samePolicy, type PolicyDocument } from "./policy.js";

/** The inline policy lakewarden compiles from `access`; other inline policies on the role are left alone. */
export const ACCESS_POLICY_NAME = "lakewarden-s3-access";

interface RoleSettings {
  path: string;
  description: string;
  maxSessionDuration: number;
  trustPolicy: PolicyDocument;
  managedPolicies: string[];
  accessPolicy?: PolicyDocument;
  tags: Record<string, string>;
}

export class RoleDriver implements Driver<RoleSettings, RoleSettings> {
  readonly kind = "role";

  constructor(private readonly iam: IAMClient) {}

  desired(config: LakeConfig): Desired<RoleSettings>[] {
    return Object.values(config.roles).map((role) => {
      const access = compileAccessPolicy(role, config);
      return {
        kind: this.kind,
        address: `role.${role.key}`,
        name: role.name,
        dependsOn: [],
        deletionPolicy: role.deletionPolicy,
        adopt: role.adopt,
        spec: {
          path: role.path,
          description: role.description ?? "",
          maxSessionDuration: role.maxSessionDuration,
          trustPolicy: trustPolicy(role.trust),
          managedPolicies: [...role.managedPolicies].sort(),
          ...(access ? { accessPolicy: access } : {}),
          tags: userTags(resourceTags(config, role.tags)),
        },
      };
    });
  }

  async observe(refs: readonly ResourceRef[], ctx: DriverContext): Promise<Observation<RoleSettings>[]> {
    return Promise.all(refs.map((ref) => this.observeOne(ref.name, ctx)));
  }

  private async observeOne(RoleName: string, ctx: DriverContext): Promise<Observation<RoleSettings>> {
    // The three reads start at once (one round trip for a converged role); the policy reads are dropped when the
    // role turns out not to exist.
    const getRole = started(ctx.limit(() => this.iam.send(new GetRoleCommand({ RoleName }))));
    const managed = started(
      ctx.limit(async () => {
        const arns: string[] = [];
        for await (const page of paginateListAttachedRolePolicies({ client: this.iam }, { RoleName })) {
          for (const p of page.AttachedPolicies ?? []) if (p.PolicyArn) arns.push(p.PolicyArn);
        }
        return arns.sort();
      }),
    );
    const access = started(
      ctx
        .limit(() => this.iam.send(new GetRolePolicyCommand({ RoleName, PolicyName: ACCESS_POLICY_NAME })))
        .then((out) => parsePolicy(out.PolicyDocument))
        .catch((err: unknown) => {
          if (isError(err, "NoSuchEntity", "NoSuchEntityException")) return undefined;
          throw err;
        }),
    );
    let role;
    try {
      role = (await getRole()).Role;
    } catch (err) {
      if (isError(err, "NoSuchEntity", "NoSuchEntityException")) return { exists: false };
      throw err;
    }
    if (!role) return { exists: false };
    const [managedArns, accessPolicy, tagList] = await Promise.all([
      managed(),
      access(),
      // GetRole carries the tags on AWS; ask separately only where it does not (some emulators).
      role.Tags ? Promise.resolve(role.Tags) : ctx.limit(() => this.iam.send(new ListRoleTagsCommand({ RoleName }))).then((out) => out.Tags ?? []),
    ]);
    const tags = Object.fromEntries(tagList.map((t) => [t.Key ?? "", t.Value ?? ""]));
    return {
      exists: true,
      ...ownership(tags, ctx.lake),
      state: {
        path: role.Path ?? "/",
        description: role.Description ?? "",
        maxSessionDuration: role.MaxSessionDuration ?? 3600,
        trustPolicy: parsePolicy(role.AssumeRolePolicyDocument) ?? { Statement: [] },
        managedPolicies: managedArns,
        ...(accessPolicy ? { accessPolicy } : {}),
        tags: userTags(tags),
      },
    };
  }

  diff(desired: Desired<RoleSettings>, observed: RoleSettings | undefined): AttributeChange[] {
    const want = desired.spec;
    const samePolicyDoc = (a: unknown, b: unknown) => samePolicy(a as PolicyDocument, b as PolicyDocument);
    return new Changes()
      .compare("path", observed?.path, want.path)
      .compare("description", observed?.description, want.description)
      .compare("maxSessionDuration", observed?.maxSessionDuration, want.maxSessionDuration)
      .compare("trustPolicy", observed?.trustPolicy, want.trustPolicy, samePolicyDoc)
      .compare("managedPolicies", observed?.managedPolicies, want.managedPolicies)
      .compare("accessPolicy", observed?.accessPolicy, want.accessPolicy, samePolicyDoc)
      .compare("tags", observed?.tags, want.tags).list;
  }

  async create(desired: Desired<RoleSettings>, ctx: DriverContext): Promise<void> {
    const want = desired.spec;
    try {
      await ctx.limit(() =>
        this.iam.send(
          new CreateRoleCommand({
            RoleName: desired.name,
            Path: want.path,
            Description: want.description || undefined,
            MaxSessionDuration: want.maxSessionDuration,
            AssumeRolePolicyDocument: JSON.stringify(want.trustPolicy),
            Tags: Object.entries(want.tags).map(([Key, Value]) => ({ Key, Value })),
          }),
        ),
      );
    } catch (err) {
      if (!isError(err, "EntityAlreadyExists", "EntityAlreadyExistsException")) throw err; // a retried create
    }
    await this.converge(desired, { managedPolicies: [], tags: want.tags }, ["managedPolicies", "accessPolicy"], ctx);
  }

  async update(desired: Desired<RoleSettings>, observed: RoleSettings, changes: AttributeChange[], ctx: DriverContext): Promise<void> {
    const paths = changes.map((c) => c.path);
    if (paths.includes("path")) throw new Error(`the path of role ${desired.name} cannot change in place (${observed.path} → ${desired.spec.path}); delete the role or keep its path`);
    await this.converge(desired, observed, paths, ctx);
  }

  private async converge(desired: Desired<RoleSettings>, observed: Pick<RoleSettings, "managedPolicies" | "tags">, paths: string[], ctx: DriverContext): Promise<void> {
    const RoleName = desired.name;
    const want = desired.spec;
    const send = (command: object): Promise<unknown> => ctx.limit(() => this.iam.send(command as never));
    const calls: Promise<unknown>[] = [];
    if (paths.includes("tags")) {
      const stale = Object.keys(observed.tags).filter((k) => !(k in want.tags));
      calls.push(send(new TagRoleCommand({ RoleName, Tags: Object.entries(want.tags).map(([Key, Value]) => ({ Key, Value })) })));
      if (stale.length) calls.push(send(new UntagRoleCommand({ RoleName, TagKeys: stale })));
    }
    if (paths.includes("trustPolicy")) calls.push(send(new UpdateAssumeRolePolicyCommand({ RoleName, PolicyDocument: JSON.stringify(want.trustPolicy) })));
    if (paths.includes("description") || paths.includes("maxSessionDuration")) {
      calls.push(send(new UpdateRoleCommand({ RoleName, Description: want.description, MaxSessionDuration: want.maxSessionDuration })));
    }
    if (paths.includes("managedPolicies")) {
      for (const arn of want.managedPolicies.filter((a) => !observed.managedPolicies.includes(a))) calls.push(send(new AttachRolePolicyCommand({ RoleName, PolicyArn: arn })));
      for (const arn of observed.managedPolicies.filter((a) => !want.managedPolicies.includes(a))) calls.push(send(new DetachRolePolicyCommand({ RoleName, PolicyArn: arn })));
    }
    if (paths.includes("accessPolicy")) {
      calls.push(
        want.accessPolicy
          ? send(new PutRolePolicyCommand({ RoleName, PolicyName: ACCESS_POLICY_NAME, PolicyDocument: JSON.stringify(want.accessPolicy) }))
          : send(new DeleteRolePolicyCommand({ RoleName, PolicyName: ACCESS_POLICY_NAME })).catch((err: unknown) => {
              if (!isError(err, "NoSuchEntity", "NoSuchEntityException")) throw err;
            }),
      );
    }
    const results = await Promise.allSettled(calls);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failed) throw failed.reason;
  }

  async delete(resource: ResourceRef & InventoryEntry, _observed: RoleSettings, ctx: DriverContext): Promise<void> {
    const RoleName = resource.name;
    // IAM refuses to delete a role with policies (DeleteConflict): take them off first, all of them.
    for await (const page of paginateListAttachedRolePolicies({ client: this.iam }, { RoleName })) {
      await Promise.all((page.AttachedPolicies ?? []).map((p) => ctx.limit(() => this.iam.send(new DetachRolePolicyCommand({ RoleName, PolicyArn: p.PolicyArn })))));
    }
    for await (const page of paginateListRolePolicies({ client: this.iam }, { RoleName })) {
      await Promise.all((page.PolicyNames ?? []).map((PolicyName) => ctx.limit(() => this.iam.send(new DeleteRolePolicyCommand({ RoleName, PolicyName })))));
    }
    await ctx.limit(() => this.iam.send(new DeleteRoleCommand({ RoleName })));
  }
}
