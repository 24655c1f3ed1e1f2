/**
 * The typed lake configuration, after interpolation, schema defaults and normalisation.
 * Shapes follow schemas/lake.schema.json; sizes are in bytes, durations in seconds, local paths absolute.
 */

export type DeletionPolicy = "delete" | "retain";
export type Tags = Record<string, string>;

/** A place in S3 named by a bucket key of the config: `raw:data/raw/` → { bucket: "raw", prefix: "data/raw/" }. */
export interface BucketRef {
  bucket: string;
  prefix: string;
}

export interface Ownership {
  deletionPolicy: DeletionPolicy;
  adopt: boolean;
}

export interface LifecycleRule {
  id?: string;
  prefix: string;
  expireDays?: number;
  noncurrentExpireDays?: number;
  abortIncompleteUploadDays?: number;
  transitions?: { days: number; storageClass: string }[];
}

export interface BucketSpec extends Ownership {
  key: string;
  name: string;
  publicAccessBlock: boolean;
  encryption: { algorithm: "AES256" | "aws:kms" | "aws:kms:dsse"; kmsKeyId?: string; bucketKey: boolean };
  versioning: boolean;
  lifecycle: LifecycleRule[];
  policy?: Record<string, unknown>;
  tags: Tags;
  forceDestroy: boolean;
}

export interface UploadSpec {
  /** Absolute local path. */
  from: string;
  to: BucketRef;
  include?: string[];
  exclude: string[];
  prune: boolean;
}

export type AccessLevel = "read" | "write" | "readwrite";

export interface RoleSpec extends Ownership {
  key: string;
  name: string;
  description?: string;
  path: string;
  trust: string[];
  managedPolicies: string[];
  access: { target: BucketRef; level: AccessLevel }[];
  maxSessionDuration: number;
  tags: Tags;
}

/** A crawler's or job's role: a role of the config (by key) or a role outside it (by ARN). */
export type RoleRef = { kind: "declared"; key: string } | { kind: "external"; arn: string };

export interface DatabaseSpec extends Ownership {
  name: string;
  description?: string;
  location?: BucketRef;
  parameters: Record<string, string>;
}

export interface CrawlerTarget {
  path: BucketRef;
  exclusions: string[];
  sampleSize?: number;
}

export type UpdateBehavior = "UPDATE_IN_DATABASE" | "LOG";
export type DeleteBehavior = "DEPRECATE_IN_DATABASE" | "DELETE_FROM_DATABASE" | "LOG";
export type RecrawlBehavior = "CRAWL_EVERYTHING" | "CRAWL_NEW_FOLDERS_ONLY";
export type RunTrigger = "create" | "change" | "data";

export interface CrawlerSpec extends Ownership {
  name: string;
  description?: string;
  database: string;
  role: RoleRef;
  targets: CrawlerTarget[];
  tablePrefix?: string;
  /** A Glue `cron(...)` expression, or undefined for on demand. */
  schedule?: string;
  schemaChange: { update: UpdateBehavior; delete: DeleteBehavior };
  recrawl: RecrawlBehavior;
  grouping: { combineCompatibleSchemas: boolean; tableLevel?: number; tableThreshold?: number };
  runOn: RunTrigger[];
  tags: Tags;
}

export type JobType = "glueetl" | "pythonshell" | "athena";

export interface JobSpec extends Ownership {
  name: string;
  description?: string;
  type: JobType;
  /** Absolute local script path (glueetl, pythonshell). */
  script?: string;
  scriptLocation?: BucketRef;
  /** Absolute local SQL file (athena). */
  sql?: string;
  database?: string;
  workgroup?: string;
  role?: RoleRef;
  glueVersion: string;
  pythonVersion?: string;
  workers: { type: string; count: number };
  /** Seconds. */
  timeout: number;
  maxRetries: number;
  maxConcurrentRuns: number;
  bookmarks: "enable" | "disable" | "pause";
  arguments: Record<string, string>;
  schedule?: string;
  tags: Tags;
}

export interface WorkgroupSpec extends Ownership {
  name: string;
  description?: string;
  results?: BucketRef;
  /** Bytes. */
  bytesScannedCutoff?: number;
  enforce: boolean;
  publishMetrics: boolean;
  encryption: "SSE_S3" | "SSE_KMS" | "CSE_KMS";
  kmsKey?: string;
  tags: Tags;
}

export interface SavedQuery {
  name: string;
  description?: string;
  sql: string;
  database: string;
  workgroup?: string;
  /** Absolute path and 1-based line of the `-- name:` line. */
  file: string;
  line: number;
}

export interface LakeConfig {
  /** Absolute path of the config file and its folder (relative paths resolve against it). */
  file: string;
  dir: string;
  version: 1;
  lake: string;
  region: string;
  target: "local" | "aws";
  local: { stateDir: string };
  vars: Record<string, string | number | boolean>;
  tags: Tags;
  defaults: { deletionPolicy: DeletionPolicy; role?: string; scriptLocation?: BucketRef };
  buckets: Record<string, BucketSpec>;
  uploads: UploadSpec[];
  roles: Record<string, RoleSpec>;
  databases: DatabaseSpec[];
  crawlers: CrawlerSpec[];
  jobs: JobSpec[];
  workgroups: WorkgroupSpec[];
  savedQueries: SavedQuery[];
  schedule: { reconcile: string; timezone: string };
  daemon: {
    mode: "apply" | "observe";
    http: { host: string; port: number };
    /** The embedded AWS served over HTTP by the daemon (local target). */
    endpoint: { enabled: boolean; host: string; port: number };
    retry: { attempts: number; backoff: number };
  };
  source?: { git?: { url: string; branch: string; path: string; interval: number } };
  metrics: { prometheus: { enabled: boolean }; cloudwatch: { enabled: boolean; namespace: string } };
  apply: { concurrency: number };
}
