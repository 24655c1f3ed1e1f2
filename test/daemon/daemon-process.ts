import { spawn, type ChildProcess } from "node:child_process";
import { constants } from "node:os";
import { BIN } from "../helpers/cli.js";

/** One JSON log line of the daemon. */
export type LogLine = Record<string, unknown> & { msg: string; level: number };

export interface DaemonProcess {
  pid: number;
  /** `http://127.0.0.1:PORT` of /metrics, /healthz, /readyz, /status. */
  http: string;
  /** The embedded AWS endpoint the daemon serves, when it serves one. */
  aws?: string;
  lines(): LogLine[];
  /** Resolves with the first line (from `from` on) that matches; rejects after `timeoutMs` or when the daemon exits. */
  waitFor(what: string, match: (line: LogLine) => boolean, options?: { timeoutMs?: number; from?: number }): Promise<LogLine>;
  get(path: string): Promise<{ status: number; body: string }>;
  metrics(): Promise<Metrics>;
  signal(name: NodeJS.Signals): void;
  /** Resolves with the exit code (128 + signal when a signal ended it; SIGKILL after `timeoutMs`). */
  exited(timeoutMs?: number): Promise<number>;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number>;
  output(): string;
}

const running = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

/**
 * Starts the built `lakewarden daemon` as a real process with JSON logs, HTTP and the embedded AWS endpoint on
 * free ports (port 0: the daemon logs the addresses it got), and waits until it serves HTTP.
 */
export async function startDaemon(options: { cwd: string; args?: string[]; env?: NodeJS.ProcessEnv; http?: boolean }): Promise<DaemonProcess> {
  const child = spawn(process.execPath, [BIN, "daemon", ...(options.args ?? [])], {
    cwd: options.cwd,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NO_COLOR: "1",
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
      LAKEWARDEN_LOG_FORMAT: "json",
      LAKEWARDEN_HTTP_PORT: "0",
      LAKEWARDEN_ENDPOINT_PORT: "0",
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  const lines: LogLine[] = [];
  let raw = "";
  let pending = "";
  const listeners = new Set<() => void>();
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
    raw += chunk;
    pending += chunk;
    const parts = pending.split("\n");
    pending = parts.pop()!;
    for (const part of parts) {
      if (!part.trim()) continue;
      try {
        lines.push(JSON.parse(part) as LogLine);
      } catch {
        lines.push({ msg: part, level: 0 });
      }
    }
    for (const listener of listeners) listener();
  });
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (raw += chunk));
  const exit = new Promise<number>((resolve) => {
    child.once("exit", (code, signal) => {
      running.delete(child);
      resolve(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0));
      for (const listener of listeners) listener();
    });
  });
  let exitCode: number | undefined;
  void exit.then((code) => (exitCode = code));
  const output = () => raw;

  const waitFor: DaemonProcess["waitFor"] = (what, match, { timeoutMs = 45_000, from = 0 } = {}) =>
    new Promise((resolve, reject) => {
      const check = () => {
        const found = lines.slice(from).find(match);
        if (found) {
          done();
          resolve(found);
        } else if (exitCode !== undefined) {
          done();
          reject(new Error(`daemon exited (${exitCode}) before: ${what}\n${raw}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out waiting for: ${what}\n${raw}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        listeners.delete(check);
      };
      listeners.add(check);
      check();
    });

  let http = "";
  let aws: string | undefined;
  if (options.http !== false) {
    const serving = await waitFor("the HTTP endpoint", (l) => typeof l.http === "string");
    http = serving.http as string;
    aws = lines.find((l) => typeof l.endpoint === "string")?.endpoint as string | undefined;
  }

  const get = async (path: string) => {
    const res = await fetch(`${http}${path}`);
    return { status: res.status, body: await res.text() };
  };
  const exited = async (timeoutMs = 30_000) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    const code = await exit;
    clearTimeout(timer);
    return code;
  };
  return {
    pid: child.pid!,
    http,
    ...(aws ? { aws } : {}),
    lines: () => lines,
    waitFor,
    get,
    metrics: async () => parseMetrics((await get("/metrics")).body),
    signal: (name) => child.kill(name),
    exited,
    stop: async () => {
      if (exitCode === undefined) child.kill("SIGTERM");
      return exited();
    },
    output,
  };
}

/** A Prometheus text exposition, by name and labels. */
export interface Metrics {
  /** The sample `name{labels}` (labels matched exactly), or undefined. */
  value(name: string, labels?: Record<string, string>): number | undefined;
  /** Every sample of a name. */
  samples(name: string): { labels: Record<string, string>; value: number }[];
}

export function parseMetrics(text: string): Metrics {
  const samples: { name: string; labels: Record<string, string>; value: number }[] = [];
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)/.exec(line);
    if (!m) throw new Error(`not a Prometheus sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, key, value] of (m[2] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[key!] = value!;
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  const same = (a: Record<string, string>, b: Record<string, string>) => Object.keys(a).length === Object.keys(b).length && Object.entries(b).every(([k, v]) => a[k] === v);
  return {
    value: (name, labels = {}) => samples.find((s) => s.name === name && same(s.labels, labels))?.value,
    samples: (name) => samples.filter((s) => s.name === name).map(({ labels, value }) => ({ labels, value })),
  };
}

/** The daemon's one summary line per reconcile. */
export const isSummary = (l: LogLine): boolean => l.event === "reconcile";
