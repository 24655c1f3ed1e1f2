/** Counts every API call a client makes (per service, operation and outcome): for metrics and benchmarks. */
export interface CallStats {
  service: string;
  operation: string;
  outcome: "success" | "error";
  count: number;
  seconds: number;
}

/** One finished call, as listeners see it. */
export interface CallRecord {
  service: string;
  operation: string;
  outcome: "success" | "error";
  seconds: number;
}

export class CallCounter {
  private readonly stats = new Map<string, CallStats>();
  private readonly listeners = new Set<(call: CallRecord) => void>();

  record(service: string, operation: string, outcome: "success" | "error", seconds: number): void {
    const key = `${service}|${operation}|${outcome}`;
    const entry = this.stats.get(key) ?? { service, operation, outcome, count: 0, seconds: 0 };
    entry.count++;
    entry.seconds += seconds;
    this.stats.set(key, entry);
    for (const listener of this.listeners) listener({ service, operation, outcome, seconds });
  }

  /** Calls `listener` after every call (the daemon's Prometheus counters); returns how to stop listening. */
  listen(listener: (call: CallRecord) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  all(): CallStats[] {
    return [...this.stats.values()];
  }

  total(): number {
    return this.all().reduce((sum, s) => sum + s.count, 0);
  }
}

/** Adds a counting middleware at the initialize step: one count per logical call (retries inside it). */
export function instrument<C extends { middlewareStack: object }>(client: C, service: string, counter: CallCounter): C {
  (client.middlewareStack as { add(middleware: unknown, options: { step: string; name: string }): void }).add(
    (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
      const started = performance.now();
      const operation = (context.commandName ?? "Unknown").replace(/Command$/, "");
      try {
        const result = await next(args);
        counter.record(service, operation, "success", (performance.now() - started) / 1000);
        return result;
      } catch (err) {
        counter.record(service, operation, "error", (performance.now() - started) / 1000);
        throw err;
      }
    },
    { step: "initialize", name: "lakewardenCallCounter" },
  );
  return client;
}
