import type Database from "better-sqlite3";
import { resolve } from "node:path";
import { verifySignature } from "./auth/sigv4.js";
import { CallLog } from "./call-log.js";
import { Dispatcher } from "./dispatcher.js";
import { Faults, parseFaultRules, type FaultRule } from "./faults.js";
import { startHttpServer } from "./http-server.js";
import { InProcessHandler } from "./in-process-handler.js";
import { createServices } from "./services/index.js";
import type { EmbeddedService } from "./service.js";
import { openStateDb } from "./store/db.js";

/** The account and credentials of the embedded AWS. Requests over HTTP must be signed with these credentials. */
export const LOCAL_ACCOUNT_ID = "000000000000";
export const LOCAL_CREDENTIALS = {
  accessKeyId: process.env.LAKEWARDEN_LOCAL_ACCESS_KEY_ID ?? "LKIALAKEWARDENLOCAL1",
  secretAccessKey: process.env.LAKEWARDEN_LOCAL_SECRET_ACCESS_KEY ?? "lakewarden-local-secret-access-key",
};

export interface EmbeddedAwsOptions {
  /** State directory: SQLite metadata and S3 objects. */
  stateDir: string;
  region?: string;
  /** Fault rules; by default from LAKEWARDEN_FAULTS. */
  faults?: FaultRule[];
  faultSeed?: number;
}

/** An AWS in this process: S3, IAM, STS … with their state on disk, reached through the SDK or over HTTP. */
export class EmbeddedAws {
  readonly calls = new CallLog();
  readonly faults: Faults;
  readonly stateDir: string;
  readonly region: string;
  private readonly db: Database.Database;
  private readonly services: EmbeddedService[];
  private readonly dispatcher: Dispatcher;
  private readonly httpDispatcher: Dispatcher;

  constructor(options: EmbeddedAwsOptions) {
    this.stateDir = resolve(options.stateDir);
    this.region = options.region ?? "us-east-1";
    this.faults = new Faults(options.faultSeed ?? Number(process.env.LAKEWARDEN_FAULTS_SEED ?? 1));
    this.faults.set(options.faults ?? parseFaultRules(process.env.LAKEWARDEN_FAULTS ?? ""));
    this.db = openStateDb(this.stateDir);
    const services = createServices();
    this.services = services;
    for (const service of services) service.migrate(this.db);
    const common = { db: this.db, stateDir: this.stateDir, accountId: LOCAL_ACCOUNT_ID, region: this.region, services, faults: this.faults, calls: this.calls };
    this.dispatcher = new Dispatcher(common);
    this.httpDispatcher = new Dispatcher({ ...common, authenticate: (req, service) => verifySignature(req, service.signingName, LOCAL_CREDENTIALS) });
  }

  /** A `requestHandler` for SDK clients: calls answered in this process. */
  requestHandler(): InProcessHandler {
    return new InProcessHandler(this.dispatcher);
  }

  /** Serves over HTTP; requests must be SigV4-signed with LOCAL_CREDENTIALS. */
  serve(host = "127.0.0.1", port = 4566) {
    return startHttpServer(this.httpDispatcher, host, port);
  }

  /** Lets background work (crawler runs …) finish, then closes the state database. */
  async close(): Promise<void> {
    await Promise.all(this.services.map((s) => s.close?.()));
    this.db.close();
  }
}
