import { setImmediate as nextTick } from "node:timers/promises";
import type { ServiceContext } from "../../service.js";
import { sql } from "./api-common.js";
import { abandon, engineFailure, INTERRUPTED, record, systemError, writeFailure, writeResultFiles, type Outcome } from "./execution-outcomes.js";
import { findExecution, outputOf, runningHere, type ExecutionRow } from "./execution-rows.js";
import type { EngineContext, QueryEngine, StatementResult } from "./engine/types.js";
import { bindParameters } from "./parameters.js";

/**
 * Query executions run in the background of the process that accepted them: at most `concurrency` at once, the
 * rest QUEUED in submission order. Each run marks its row RUNNING, runs the statement on the engine, writes the
 * result files to the output location, and ends SUCCEEDED, FAILED or CANCELLED (execution-outcomes.ts).
 * StopQueryExecution marks the row CANCELLED at once, aborts the engine and frees the slot; a run only ever finishes
 * a row that is still RUNNING, so a stop always wins. Another process's stop is seen by a check of the row every
 * STOP_POLL_MS. When the embedded AWS closes, queued executions fail without running and running ones get
 * `closeGraceMs` to finish before they are interrupted (FAILED, retryable): a query that never ends must not keep a
 * `local serve` from stopping.
 */

export interface RunnerOptions {
  /** Executions running at once (default LAKEWARDEN_ATHENA_CONCURRENCY, else 4). */
  concurrency?: number;
  /** How long close() lets running executions finish before interrupting them (default 10 s). */
  closeGraceMs?: number;
}

/** Queued and running executions one process accepts before StartQueryExecution is throttled. */
const MAX_IN_FLIGHT = 500;
const STOP_POLL_MS = 500;
const DEFAULT_CONCURRENCY = 4;
const CLOSE_GRACE_MS = 10_000;
/** How long close() waits, after interrupting, for runs whose engine does not let go. */
const ABANDON_MS = 2_000;

interface Queued {
  id: string;
  ctx: ServiceContext;
}

interface ActiveRun extends Queued {
  abort: AbortController;
  done: Promise<void>;
  /** Stopped: its row is CANCELLED and its slot free, whether or not the engine has let go yet. */
  stopped: boolean;
}

export class ExecutionRunner {
  private readonly queue: Queued[] = [];
  private readonly active = new Map<string, ActiveRun>();
  /** Runs aborted because the service closes (they end FAILED, not CANCELLED). */
  private readonly interrupted = new Set<string>();
  private readonly concurrency: number;
  private engine?: Promise<QueryEngine>;
  private closing = false;

  constructor(private readonly options: RunnerOptions = {}) {
    const configured = options.concurrency ?? Number(process.env.LAKEWARDEN_ATHENA_CONCURRENCY ?? DEFAULT_CONCURRENCY);
    this.concurrency = Number.isInteger(configured) && configured > 0 ? configured : DEFAULT_CONCURRENCY;
  }

  /** Whether another execution may be accepted now. */
  hasRoom(): boolean {
    return this.queue.length + this.active.size < MAX_IN_FLIGHT;
  }

  /** Queues an execution whose QUEUED row is committed. */
  submit(ctx: ServiceContext, id: string): void {
    // Closing: the row stays QUEUED, not run here, and whoever looks next marks it interrupted.
    if (this.closing) return;
    runningHere.add(id);
    this.queue.push({ id, ctx });
    this.pump();
  }

  /** Aborts a run of this process (its row is already CANCELLED) and frees its slot; a queued one never starts. */
  stop(id: string): void {
    const at = this.queue.findIndex((q) => q.id === id);
    if (at >= 0) {
      this.queue.splice(at, 1);
      runningHere.delete(id);
    }
    const run = this.active.get(id);
    if (run && !run.stopped) {
      run.stopped = true;
      run.abort.abort();
      this.pump();
    }
  }

  /** Ends the background work before the state database closes: see the top of this file. */
  async close(): Promise<void> {
    this.closing = true;
    for (const { id, ctx } of this.queue.splice(0)) {
      runningHere.delete(id);
      abandon(ctx.db, id, "QUEUED");
    }
    const graceMs = this.options.closeGraceMs ?? CLOSE_GRACE_MS;
    const grace = setTimeout(() => {
      for (const [id, run] of this.active) {
        this.interrupted.add(id);
        run.abort.abort();
      }
    }, graceMs);
    const drained = await within(this.drain(), graceMs + ABANDON_MS);
    clearTimeout(grace);
    if (!drained) {
      // Runs the engine did not give back: their rows say so; the engine is left to the process's end.
      for (const [id, run] of this.active) {
        runningHere.delete(id);
        abandon(run.ctx.db, id, "RUNNING");
      }
    }
    const engine = this.engine;
    this.engine = undefined;
    if (engine) await within((async () => (await engine.catch(() => undefined))?.close())(), ABANDON_MS);
  }

  /** Waits for the running executions (and those they let start) to finish. */
  private async drain(): Promise<void> {
    while (this.queue.length || this.active.size) await Promise.allSettled([...this.active.values()].map((r) => r.done));
  }

  private get running(): number {
    let n = 0;
    for (const run of this.active.values()) if (!run.stopped) n++;
    return n;
  }

  private pump(): void {
    while (this.running < this.concurrency && this.queue.length) {
      const { id, ctx } = this.queue.shift()!;
      const run: ActiveRun = { id, ctx, abort: new AbortController(), done: Promise.resolve(), stopped: false };
      this.active.set(id, run);
      run.done = (async () => {
        await nextTick();
        await this.execute(run);
      })()
        .catch(() => {
          // execute records its own failures; what escapes it (the database closed under it) leaves the row
          // unfinished, and the next process that looks marks it interrupted.
        })
        .finally(() => {
          this.active.delete(id);
          runningHere.delete(id);
          this.pump();
        });
    }
  }

  private loadEngine(ctx: ServiceContext): Promise<QueryEngine> {
    const engineContext: EngineContext = { db: ctx.db, stateDir: ctx.stateDir, accountId: ctx.accountId, region: ctx.region, now: () => new Date() };
    // Loaded on the first query: DuckDB is large to load, and most commands never query.
    this.engine ??= import("./engine/index.js").then(({ createQueryEngine }) => createQueryEngine(engineContext));
    return this.engine;
  }

  private async execute(run: ActiveRun): Promise<void> {
    const { id, ctx } = run;
    const marked = sql(ctx.db, "UPDATE athena_executions SET state = 'RUNNING', started = ? WHERE id = ? AND state = 'QUEUED'").run(Date.now() / 1000, id);
    if (marked.changes === 0) return;
    const row = findExecution(ctx.db, id)!;
    const poll = setInterval(() => {
      try {
        // Stopped by another process: stop here too.
        if (findExecution(ctx.db, id)?.state !== "RUNNING") this.stop(id);
      } catch {
        // The database is busy or closing: the next check tries again.
      }
    }, STOP_POLL_MS);
    poll.unref();
    let outcome: Outcome;
    try {
      outcome = await this.runStatement(ctx, row, run.abort.signal);
    } finally {
      clearInterval(poll);
    }
    if (this.interrupted.delete(id)) outcome = { state: "FAILED", reason: INTERRUPTED, error: systemError(INTERRUPTED, true), engineMs: outcome.engineMs };
    record(ctx.db, id, outcome);
  }

  private async runStatement(ctx: ServiceContext, row: ExecutionRow, signal: AbortSignal): Promise<Outcome> {
    const begun = performance.now();
    const engineMs = () => Math.round(performance.now() - begun);
    const output = outputOf(row);
    let result: StatementResult;
    try {
      const text = row.parameters ? bindParameters(row.query, JSON.parse(row.parameters) as string[]) : row.query;
      const engine = await this.loadEngine(ctx);
      result = await engine.run({
        sql: text,
        ...(row.database !== null ? { database: row.database } : {}),
        ...(row.catalog !== null ? { catalog: row.catalog } : {}),
        queryExecutionId: row.id,
        outputLocation: output.prefix,
        ...(row.cutoff !== null ? { bytesScannedCutoff: row.cutoff } : {}),
        signal,
      });
    } catch (err) {
      return engineFailure(err, engineMs());
    }
    if (signal.aborted) return { state: "CANCELLED", engineMs: engineMs() };
    const writing = performance.now();
    try {
      await writeResultFiles(ctx, output.file, result);
    } catch (err) {
      return writeFailure(err, output.file, result, engineMs());
    }
    return { state: "SUCCEEDED", result, engineMs: Math.round(writing - begun), serviceMs: Math.round(performance.now() - writing) };
  }
}

/** Whether `work` settles within `ms`. */
async function within(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([work.then(() => true, () => true), late]);
  } finally {
    clearTimeout(timer);
  }
}
