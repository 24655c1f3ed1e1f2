import type Database from "better-sqlite3";
import type { WireRequest, WireResponse } from "./protocols/types.js";

/** What every operation handler may use: the shared state and the identity of the embedded account. */
export interface ServiceContext {
  db: Database.Database;
  /** Root of the state directory; S3 objects live under `<stateDir>/s3/`. */
  stateDir: string;
  accountId: string;
  region: string;
  requestId: string;
  now(): Date;
}

/**
 * One embedded AWS service. The dispatcher routes a request to it by the signing name in the request's credential
 * scope (or by protocol markers for unsigned requests); the service's protocol layer finds the operation.
 */
export interface EmbeddedService {
  /** Name in the call log, fault rules and metrics: s3, iam, sts, glue, athena, cloudwatch. */
  readonly name: string;
  /** SigV4 signing name (credential scope service): s3, iam, sts, glue, athena, monitoring. */
  readonly signingName: string;
  /** Whether this service claims an unsigned request (no credential scope to route by). */
  claims(req: WireRequest): boolean;
  /** The operation a request asks for, e.g. PutObject, CreateRole; undefined when it cannot be told. */
  operation(req: WireRequest): string | undefined;
  /** Creates or upgrades the service's tables (idempotent). */
  migrate(db: Database.Database): void;
  handle(req: WireRequest, ctx: ServiceContext): Promise<WireResponse>;
  /**
   * Work the service runs in the background (crawler runs, query executions): lets it finish, or stops it at a
   * safe point, before the state database closes.
   */
  close?(): Promise<void>;
  /** Renders an error raised while handling a request of this service, in its protocol's shape. */
  renderError(err: import("./protocols/types.js").AwsError, req: WireRequest, ctx: ServiceContext): WireResponse;
}
