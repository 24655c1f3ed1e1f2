import { GetJobRunCommand, StartJobRunCommand, type GlueClient } from "@aws-sdk/client-glue";

/** A Glue job run (glueetl, pythonshell): started, then polled until it ends. */
export interface GlueJobOutcome {
  runId?: string;
  /** Glue's JobRunState, or `skipped` when the job already runs as often as it may at once. */
  state: string;
  error?: string;
  seconds: number;
}

const TERMINAL = new Set(["SUCCEEDED", "FAILED", "STOPPED", "TIMEOUT", "ERROR", "EXPIRED"]);

export async function runGlueJob(glue: GlueClient, name: string, options: { signal?: AbortSignal; pollMs?: number } = {}): Promise<GlueJobOutcome> {
  const started = Date.now();
  let runId: string;
  try {
    runId = (await glue.send(new StartJobRunCommand({ JobName: name }))).JobRunId!;
  } catch (err) {
    if ((err as Error).name === "ConcurrentRunsExceededException") return { state: "skipped", error: (err as Error).message, seconds: 0 };
    throw err;
  }
  let delay = 500;
  for (;;) {
    const run = (await glue.send(new GetJobRunCommand({ JobName: name, RunId: runId }))).JobRun;
    const state = run?.JobRunState ?? "RUNNING";
    if (TERMINAL.has(state)) {
      return { runId, state, ...(run?.ErrorMessage ? { error: run.ErrorMessage } : {}), seconds: run?.ExecutionTime ?? (Date.now() - started) / 1000 };
    }
    // Shutting down: the run goes on in Glue; this process just stops watching it.
    if (options.signal?.aborted) return { runId, state, seconds: (Date.now() - started) / 1000 };
    await sleep(delay, options.signal);
    delay = Math.min(delay * 2, options.pollMs ?? 10_000);
  }
}

/** Resolves after `ms`, or as soon as the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}
