import { afterEach, describe, expect, it, vi } from "vitest";
import { CycleRunner } from "../../src/daemon/cycle-runner.js";

/** A cycle the test ends by hand. */
function controlledCycles() {
  const started: { reason: string; finish(retry: boolean): void }[] = [];
  let running = 0;
  let maxRunning = 0;
  const cycle = (reason: string) =>
    new Promise<{ retry: boolean }>((resolve) => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      started.push({
        reason,
        finish: (retry) => {
          running--;
          resolve({ retry });
        },
      });
    });
  return { started, cycle, maxRunning: () => maxRunning };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("CycleRunner", () => {
  it("never runs two cycles at once and coalesces requests made during one into a single follow-up", async () => {
    const c = controlledCycles();
    const runner = new CycleRunner({ cycle: c.cycle, retryPolicy: () => ({ attempts: 0, backoffSeconds: 1 }) });
    runner.request("start");
    runner.request("schedule");
    runner.request("sighup");
    runner.request("git");
    expect(c.started.map((s) => s.reason)).toEqual(["start"]);
    c.started[0]!.finish(false);
    await vi.waitFor(() => expect(c.started).toHaveLength(2));
    expect(c.started[1]!.reason).toBe("schedule");
    c.started[1]!.finish(false);
    await runner.idle();
    expect(c.started).toHaveLength(2);
    expect(c.maxRunning()).toBe(1);
  });

  it("retries a failed cycle with doubling backoff, at most `attempts` times", async () => {
    vi.useFakeTimers();
    const c = controlledCycles();
    const scheduled: [number, number][] = [];
    const runner = new CycleRunner({
      cycle: c.cycle,
      retryPolicy: () => ({ attempts: 2, backoffSeconds: 10 }),
      onRetryScheduled: (attempt, at) => scheduled.push([attempt, at.getTime() - Date.now()]),
    });
    runner.request("schedule");
    c.started[0]!.finish(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(scheduled).toEqual([[1, 10_000]]);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(c.started.map((s) => s.reason)).toEqual(["schedule", "retry"]);
    c.started[1]!.finish(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(scheduled[1]).toEqual([2, 20_000]);
    await vi.advanceTimersByTimeAsync(20_000);
    c.started[2]!.finish(true);
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(c.started.map((s) => s.reason)).toEqual(["schedule", "retry", "retry"]);
    expect(runner.nextRetry).toBeUndefined();
  });

  it("drops a pending retry when another request comes first, and starts a new series of attempts", async () => {
    vi.useFakeTimers();
    const c = controlledCycles();
    const runner = new CycleRunner({ cycle: c.cycle, retryPolicy: () => ({ attempts: 1, backoffSeconds: 10 }) });
    runner.request("schedule");
    c.started[0]!.finish(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(runner.nextRetry).toBeDefined();
    runner.request("sighup");
    expect(runner.nextRetry).toBeUndefined();
    c.started[1]!.finish(true);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(c.started.map((s) => s.reason)).toEqual(["schedule", "sighup", "retry"]);
  });

  it("stop() lets the cycle in flight finish and starts nothing after it", async () => {
    const c = controlledCycles();
    const runner = new CycleRunner({ cycle: c.cycle, retryPolicy: () => ({ attempts: 3, backoffSeconds: 0.001 }) });
    runner.request("start");
    runner.request("schedule");
    let stopped = false;
    const stopping = runner.stop().then(() => (stopped = true));
    await Promise.resolve();
    expect(stopped).toBe(false);
    c.started[0]!.finish(true);
    await stopping;
    runner.request("schedule");
    expect(c.started).toHaveLength(1);
    expect(runner.running).toBe(false);
  });

  it("survives a cycle that throws, and retries it", async () => {
    vi.useFakeTimers();
    const errors: unknown[] = [];
    let calls = 0;
    const runner = new CycleRunner({
      cycle: async () => {
        calls++;
        throw new Error("boom");
      },
      retryPolicy: () => ({ attempts: 1, backoffSeconds: 1 }),
      onError: (err) => errors.push(err),
    });
    runner.request("start");
    await vi.advanceTimersByTimeAsync(5_000);
    expect(calls).toBe(2);
    expect(errors.map((e) => (e as Error).message)).toEqual(["boom", "boom"]);
  });
});
