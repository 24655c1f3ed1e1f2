import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { decodeSample, type EncodedSample } from "./sample-codec.js";
import type { FileSample } from "./sample.js";

/**
 * Sampling on worker threads, one per core: schema inference is CPU-bound (a byte scanner near JavaScript's
 * per-byte limit), so a large crawl reads its files in parallel. Starting workers costs tens of milliseconds, so
 * crawls that read little sample on the calling thread. Only available from the compiled build (a worker needs
 * the .js file); from TypeScript sources (tests) `create` returns undefined and the caller samples in-thread.
 * LAKEWARDEN_CRAWLER_WORKERS sets the number of workers (0: none).
 */

interface Pending {
  resolve(sample: FileSample): void;
  reject(err: Error): void;
}

export class SamplePool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly queue: { id: number; path: string; key: string; size: number }[] = [];
  private readonly pending = new Map<number, Pending>();
  private readonly assigned = new Map<Worker, number>();
  private nextId = 0;
  private closed = false;

  private constructor(script: URL | string, count: number) {
    for (let i = 0; i < count; i++) {
      const worker = new Worker(script);
      worker.on("message", (msg: { id: number; sample?: EncodedSample; error?: string }) => {
        const p = this.pending.get(msg.id);
        this.pending.delete(msg.id);
        this.assigned.delete(worker);
        if (p) {
          if (msg.sample) p.resolve(decodeSample(msg.sample));
          else p.reject(new Error(msg.error ?? "sampling failed"));
        }
        this.idle.push(worker);
        this.pump();
      });
      worker.on("error", (err) => this.fail(worker, err));
      worker.on("exit", (code) => {
        if (!this.closed) this.fail(worker, new Error(`sampling worker exited (${code})`));
      });
      this.workers.push(worker);
      this.idle.push(worker);
    }
  }

  /** A pool, or undefined when workers are off or unavailable (running from sources). */
  static create(options: { workers?: number; script?: string | URL } = {}): SamplePool | undefined {
    const env = process.env.LAKEWARDEN_CRAWLER_WORKERS;
    const count = options.workers ?? (env !== undefined && env !== "" ? Number(env) : Math.min(availableParallelism(), 8));
    if (!Number.isInteger(count) || count < 1) return undefined;
    const script = options.script ?? new URL("./sample-worker.js", import.meta.url);
    const path = script instanceof URL ? fileURLToPath(script) : script;
    if (!path.endsWith(".js") || !existsSync(path)) return undefined;
    return new SamplePool(script, count);
  }

  get size(): number {
    return this.workers.length;
  }

  sample(path: string, key: string, size: number): Promise<FileSample> {
    if (this.closed) return Promise.reject(new Error("the sampling pool is closed"));
    const id = this.nextId++;
    const promise = new Promise<FileSample>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    this.queue.push({ id, path, key, size });
    this.pump();
    return promise;
  }

  private pump(): void {
    while (this.idle.length && this.queue.length) {
      const worker = this.idle.pop()!;
      const job = this.queue.shift()!;
      this.assigned.set(worker, job.id);
      worker.postMessage(job);
    }
  }

  private fail(worker: Worker, err: Error): void {
    const id = this.assigned.get(worker);
    this.assigned.delete(worker);
    if (id !== undefined) {
      this.pending.get(id)?.reject(err);
      this.pending.delete(id);
    }
    // A dead worker takes no more jobs; without any, what is queued fails.
    const at = this.workers.indexOf(worker);
    if (at >= 0) this.workers.splice(at, 1);
    const idle = this.idle.indexOf(worker);
    if (idle >= 0) this.idle.splice(idle, 1);
    if (!this.workers.length) {
      for (const job of this.queue.splice(0)) {
        this.pending.get(job.id)?.reject(err);
        this.pending.delete(job.id);
      }
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const p of this.pending.values()) p.reject(new Error("the sampling pool is closed"));
    this.pending.clear();
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
