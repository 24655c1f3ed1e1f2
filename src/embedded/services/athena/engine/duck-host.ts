import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { prepareConnection } from "./dialect/index.js";
import { QueryCancelledError } from "./types.js";

/**
 * One DuckDB instance per engine, one connection per statement. Measured on the 2-core development machine: a new
 * instance costs 11–48 ms, a connection 0.1–0.8 ms; the seed lake's aggregate over its three JSON files, run 1 / 8 /
 * 32 times at once, took 30 / 93 / 126 ms on connections of one instance against 64 / 414 / 882 ms with an instance
 * per query (medians of 5). Connections of one instance run at once and share its thread pool and memory limit,
 * where instances would each start their own and compete for the cores. Temporary views (the tables a statement
 * reads) live on the statement's connection and go with it.
 *
 * The instance reads local files only: extensions are never fetched or loaded. Which files a statement reads is
 * decided by the executor alone — only the catalog's tables, through views it writes; table functions and file
 * paths in user SQL are refused (query-planner.ts). DuckDB's own lock (`allowed_directories` with
 * `enable_external_access=false`) is not used on top: it made every scan 25–90 % slower (the seed aggregate over
 * 365 files: 210–280 ms locked, 120–140 ms not).
 */
export class DuckHost {
  private constructor(
    private readonly instance: DuckDBInstance,
    /** Scratch folder for COPY … TO output; removed on close. */
    readonly scratchDir: string,
  ) {}

  static async open(): Promise<DuckHost> {
    const scratchDir = mkdtempSync(join(tmpdir(), "lakewarden-athena-"));
    const instance = await DuckDBInstance.create(":memory:", { autoinstall_known_extensions: "false", autoload_known_extensions: "false" });
    const setup = await instance.connect();
    try {
      await setup.run("SET GLOBAL TimeZone = 'UTC'");
    } finally {
      setup.closeSync();
    }
    return new DuckHost(instance, scratchDir);
  }

  /** A fresh scratch folder for one statement's output (DuckDB's COPY needs the parent to exist). */
  scratchFolder(name: string): string {
    const dir = join(this.scratchDir, name);
    mkdirSync(dir, { recursive: true });
    return dir;
  }

  /**
   * Runs `fn` on a connection prepared by the dialect layer; an abort of `signal` interrupts what the connection is
   * running. Connections are reused when the statement left no temporary object behind: preparing a new one costs
   * about 5 ms, a quarter of a short query's fixed cost.
   */
  async withConnection<T>(signal: AbortSignal, fn: (con: DuckDBConnection) => Promise<T>): Promise<T> {
    const con = this.idle.pop() ?? (await this.connect());
    const interrupt = () => con.interrupt();
    signal.addEventListener("abort", interrupt);
    this.open.add(con);
    let reusable = false;
    try {
      const result = await fn(stopping(con, signal));
      reusable = !signal.aborted;
      return result;
    } finally {
      signal.removeEventListener("abort", interrupt);
      this.open.delete(con);
      if (reusable && this.idle.length < MAX_IDLE && (await leftNothing(con))) this.idle.push(con);
      else con.closeSync();
    }
  }

  private async connect(): Promise<DuckDBConnection> {
    const con = await this.instance.connect();
    await prepareConnection(con);
    return con;
  }

  private readonly open = new Set<DuckDBConnection>();
  private readonly idle: DuckDBConnection[] = [];

  /** Interrupts every statement running (the engine is closing). */
  interruptAll(): void {
    for (const con of this.open) con.interrupt();
  }

  close(): void {
    for (const con of this.idle.splice(0)) con.closeSync();
    this.instance.closeSync();
    rmSync(this.scratchDir, { recursive: true, force: true });
  }
}

/** Connections kept for reuse: as many as statements usually run at once. */
const MAX_IDLE = 4;

/** Whether a statement left no temporary table or view on its connection (CTAS and INSERT stage their rows in one). */
async function leftNothing(con: DuckDBConnection): Promise<boolean> {
  try {
    const reader = await con.runAndReadAll(
      "SELECT (SELECT count(*) FROM duckdb_tables() WHERE temporary) + (SELECT count(*) FROM duckdb_views() WHERE temporary AND NOT internal)",
    );
    return Number(reader.getRowsJS()[0]?.[0]) === 0;
  } catch {
    return false;
  }
}

/**
 * The connection, refusing every call once `signal` is aborted: an interrupt stops only the statement running at
 * that moment, and a stop that arrives between two statements (or while the connection was being prepared) must
 * still stop the query.
 */
function stopping(con: DuckDBConnection, signal: AbortSignal): DuckDBConnection {
  return new Proxy(con, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        if (signal.aborted) throw new QueryCancelledError("Query cancelled by user");
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}
