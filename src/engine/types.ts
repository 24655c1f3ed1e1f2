import type { LakeConfig } from "../config/types.js";

/**
 * The reconcile engine's vocabulary. The engine knows resource kinds only through drivers; it names no AWS
 * service. A driver is the same small contract for every kind, after Crossplane's managed-resource ExternalClient:
 * observe (reads only) → diff → create / update / delete (idempotent).
 */

/** A resource the configuration declares (or, for deletion, one it used to declare). */
export interface ResourceRef {
  kind: string;
  /** Terraform-like address shown in plans: `bucket.raw`, `role.glue`, `upload["raw:data/raw/"]`. */
  address: string;
  /** The name the cloud knows it by (bucket name, role name …). */
  name: string;
}

export interface Desired<Spec = unknown> extends ResourceRef {
  spec: Spec;
  /** Addresses this resource needs to exist first. */
  dependsOn: string[];
  deletionPolicy: "delete" | "retain";
  adopt: boolean;
  /** Facts kept in the inventory for a later deletion (forceDestroy …). */
  facts?: Record<string, unknown>;
}

export type Observation<State = unknown> =
  | { exists: false }
  | {
      exists: true;
      /** Carries this lake's ownership marker. */
      owned: boolean;
      /** Who owns it when not this lake (another lake's name, "another account" …), for the conflict message. */
      owner?: string;
      state: State;
    };

/** One attribute that differs: the plan shows `path: before → after`. */
export interface AttributeChange {
  path: string;
  before: unknown;
  after: unknown;
}

export interface DriverContext {
  lake: string;
  /** Tags every taggable resource gets, the ownership tag included. */
  tags: Record<string, string>;
  /** Runs an API call within the global concurrency limit. */
  limit<T>(call: () => Promise<T>): Promise<T>;
  /** Reports progress of a long step (file uploads …). */
  log(message: string): void;
  /** Objects written during this run (uploads): what `runOn: data` triggers look at. */
  written: { bucket: string; key: string }[];
  /** Whether runs started after apply are waited for (`reconcile --wait`). */
  wait: boolean;
}

/** What an apply did, for the runs that follow it. */
export interface ApplyOutcome {
  created: Set<string>;
  /** Updated (or adopted) resources and the attribute paths that changed. */
  updated: Map<string, string[]>;
}

/** A run started after apply (a crawl …) and, when waited for, how it ended. */
export interface RunReport {
  address: string;
  run: string;
  status: "started" | "running" | "succeeded" | "failed" | "cancelled" | "skipped";
  /** Why it was started (`create`, `change`, `data`), and the outcome in a line. */
  reason: string;
  detail?: string;
}

export interface Driver<Spec = unknown, State = unknown> {
  readonly kind: string;
  /** The resources of this kind that the configuration declares. */
  desired(config: LakeConfig): Desired<Spec>[];
  /** Reads the current state of each resource (same order). Reads only: this is all a dry run does. */
  observe(resources: readonly ResourceRef[], ctx: DriverContext): Promise<Observation<State>[]>;
  /**
   * What differs, compared semantically (policy JSON order, defaults AWS fills in …); empty when in sync. With no
   * observed state (a create), every attribute that will be set, from undefined.
   */
  diff(desired: Desired<Spec>, observed: State | undefined): AttributeChange[];
  create(desired: Desired<Spec>, ctx: DriverContext): Promise<void>;
  /** Converges an existing resource; with `adopt`, also marks it as owned by this lake. */
  update(desired: Desired<Spec>, observed: State, changes: AttributeChange[], ctx: DriverContext, adopt: boolean): Promise<void>;
  /** Deletes a resource no longer declared; absent for kinds that are never deleted (uploads). */
  delete?(resource: ResourceRef & InventoryEntry, observed: State, ctx: DriverContext): Promise<void>;
  /** Starts what must run after apply (crawlers with runOn …), waiting when ctx.wait is set. */
  afterApply?(desired: Desired<Spec>[], outcome: ApplyOutcome, ctx: DriverContext): Promise<RunReport[]>;
  /** Why an orphan must not be deleted (a bucket still holding objects …), if so. */
  deletionBlocked?(resource: InventoryEntry, observed: State): string | undefined;
}

/** What the engine remembers of what it applied: how resources that leave the config are found and treated. */
export interface InventoryEntry extends ResourceRef {
  deletionPolicy: "delete" | "retain";
  /** Kind-specific facts needed to delete safely later (forceDestroy …). */
  facts?: Record<string, unknown>;
}

export type Action = "create" | "update" | "adopt" | "delete" | "noop" | "conflict" | "blocked" | "forget";

export interface PlannedChange {
  action: Action;
  kind: string;
  address: string;
  name: string;
  /** Attribute-level changes for update/adopt; for create, the attributes being set. */
  changes: AttributeChange[];
  /** For conflict / blocked / forget: why. */
  reason?: string;
  dependsOn: string[];
}

export interface Plan {
  lake: string;
  target: string;
  changes: PlannedChange[];
  /** Resources that could not be observed, with the error: the plan is incomplete for them. */
  errors: { address: string; error: string }[];
}

export type { LakeConfig };
