/**
 * Runs reconcile cycles one at a time. A request while a cycle runs is coalesced into one follow-up cycle (ticks,
 * SIGHUP, a new git revision: however many arrive, one more cycle sees them all). A failed cycle is retried with
 * exponential backoff, at most `attempts` times, unless another request comes first.
 */
export interface CycleRunnerOptions {
  /** Runs one cycle; `retry: true` asks for a retry (it failed in a way another attempt may fix). */
  cycle(reason: string): Promise<{ retry: boolean }>;
  /** Read at each failure, so that a reloaded configuration's retry settings apply. */
  retryPolicy(): { attempts: number; backoffSeconds: number };
  onRetryScheduled?(attempt: number, at: Date): void;
  onError?(err: unknown): void;
}

export class CycleRunner {
  private inFlight: Promise<void> | undefined;
  private pendingReason: string | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryAt: Date | undefined;
  private failures = 0;
  private stopped = false;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly options: CycleRunnerOptions) {}

  get running(): boolean {
    return this.inFlight !== undefined;
  }

  /** When the next retry of a failed cycle is due, if one is. */
  get nextRetry(): Date | undefined {
    return this.retryAt;
  }

  request(reason: string): void {
    if (this.stopped) return;
    if (this.inFlight) {
      this.pendingReason ??= reason;
      return;
    }
    this.start(reason);
  }

  /** Resolves once no cycle runs and none is pending. */
  idle(): Promise<void> {
    if (!this.inFlight && this.pendingReason === undefined) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** No cycle starts any more (the one in flight goes on); resolves when it has ended. */
  stop(): Promise<void> {
    this.stopped = true;
    this.pendingReason = undefined;
    this.clearRetry();
    return this.idle();
  }

  private start(reason: string): void {
    this.clearRetry();
    // A retry continues a series of attempts; anything else (a tick, a reload) starts a new one.
    if (reason !== "retry") this.failures = 0;
    this.inFlight = this.options
      .cycle(reason)
      .catch((err: unknown) => {
        this.options.onError?.(err);
        return { retry: true };
      })
      .then(({ retry }) => {
        this.inFlight = undefined;
        if (retry) this.scheduleRetry();
        else this.failures = 0;
        const next = this.pendingReason;
        this.pendingReason = undefined;
        if (next !== undefined && !this.stopped) this.start(next);
        else this.wakeIdle();
      });
  }

  private scheduleRetry(): void {
    const { attempts, backoffSeconds } = this.options.retryPolicy();
    if (this.stopped || this.failures >= attempts) return;
    const delayMs = backoffSeconds * 1000 * 2 ** this.failures;
    this.failures++;
    this.retryAt = new Date(Date.now() + delayMs);
    this.options.onRetryScheduled?.(this.failures, this.retryAt);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.retryAt = undefined;
      this.request("retry");
    }, delayMs);
  }

  private clearRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.retryAt = undefined;
  }

  private wakeIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const wake of waiters) wake();
  }
}
