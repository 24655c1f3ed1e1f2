import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type Database from "better-sqlite3";
import { CallLog } from "../../src/embedded/call-log.js";
import { Dispatcher } from "../../src/embedded/dispatcher.js";
import { Faults } from "../../src/embedded/faults.js";
import { InProcessHandler } from "../../src/embedded/in-process-handler.js";
import type { EmbeddedService } from "../../src/embedded/service.js";
import { openStateDb } from "../../src/embedded/store/db.js";

export const TEST_ACCOUNT = "000000000000";
export const TEST_CREDENTIALS = { accessKeyId: "LKIALAKEWARDENLOCAL1", secretAccessKey: "x" };

export interface EmbeddedStack {
  stateDir: string;
  db: Database.Database;
  calls: CallLog;
  dispatcher: Dispatcher;
  /** A `requestHandler` for SDK clients. */
  handler: InProcessHandler;
  /** Closes the database, and removes the state directory when the stack made it. */
  close(): void;
}

/**
 * Some embedded services on a state directory (a new temp one unless given), behind a dispatcher and the in-process
 * handler — without the rest of the embedded AWS, so a service's tests need only that service.
 */
export function embeddedStack(services: EmbeddedService[], existingDir?: string): EmbeddedStack {
  const stateDir = existingDir ?? mkdtempSync(join(tmpdir(), "lakewarden-embedded-"));
  const db = openStateDb(stateDir);
  for (const service of services) service.migrate(db);
  const calls = new CallLog();
  const dispatcher = new Dispatcher({ db, stateDir, accountId: TEST_ACCOUNT, region: "us-east-1", services, faults: new Faults(), calls });
  return {
    stateDir,
    db,
    calls,
    dispatcher,
    handler: new InProcessHandler(dispatcher),
    close() {
      db.close();
      if (!existingDir) rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
