import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { constants, tmpdir } from "node:os";
import { join } from "node:path";
import { BIN } from "./cli.js";

export interface LocalServe {
  /** `http://127.0.0.1:PORT`, as printed by `local serve`. */
  endpoint: string;
  /** The region `local serve` printed (`export AWS_REGION=…`). */
  region: string;
  /** The credentials `local serve` printed; requests must be signed with them. */
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** The state directory served (absolute, as printed). */
  stateDir: string;
  /** Everything the server wrote so far, to show when something goes wrong. */
  output(): { stdout: string; stderr: string };
  /**
   * Sends SIGTERM and resolves with the exit code once the process has exited (128 + signal number if a signal
   * ended it; 137 if it had to be killed after `timeoutMs`). Calling it again returns the same code. A state
   * directory that startLocalServe created is removed afterwards; one passed in is left alone.
   */
  stop(timeoutMs?: number): Promise<number>;
}

export interface LocalServeOptions {
  /** State directory; by default a fresh temporary one, removed by stop(). */
  stateDir?: string;
  /** Environment of the server, added to a clean one (PATH and HOME only). */
  env?: NodeJS.ProcessEnv;
  /** How long to wait for the "listening on" banner (default 30 s). */
  startTimeoutMs?: number;
}

const running = new Set<ChildProcess>();
// Should the test process go away without stop(), do not leave servers behind.
process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

/**
 * Starts the built `lakewarden local serve` on 127.0.0.1 and a free port, as a real process, and waits for its
 * banner: `lakewarden embedded AWS listening on URL (state: DIR)` followed by the `export AWS_…=` lines.
 */
export async function startLocalServe(options: LocalServeOptions = {}): Promise<LocalServe> {
  const ownStateDir = options.stateDir === undefined;
  const stateDir = options.stateDir ?? mkdtempSync(join(tmpdir(), "lakewarden-serve-"));
  const child = spawn(process.execPath, [BIN, "local", "serve", "--state-dir", stateDir, "--host", "127.0.0.1", "--port", "0"], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const exited = new Promise<number>((resolve) => {
    child.once("exit", (code, signal) => {
      running.delete(child);
      resolve(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0));
    });
  });
  const output = () => ({ stdout, stderr });
  const describe = () => `local serve (pid ${child.pid})\n--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`;

  let banner: Banner;
  try {
    banner = await new Promise<Banner>((resolve, reject) => {
      const timeoutMs = options.startTimeoutMs ?? 30_000;
      const timer = setTimeout(() => reject(new Error(`no "listening on" banner after ${timeoutMs} ms from ${describe()}`)), timeoutMs);
      const check = () => {
        const parsed = parseBanner(stdout);
        if (parsed) {
          clearTimeout(timer);
          child.stdout.off("data", check);
          resolve(parsed);
        }
      };
      child.stdout.on("data", check);
      child.once("error", (err) => {
        clearTimeout(timer);
        reject(new Error(`could not start ${describe()}: ${err.message}`));
      });
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`exited with ${code} before listening: ${describe()}`));
      });
    });
  } catch (err) {
    child.kill("SIGKILL");
    await exited;
    if (ownStateDir) rmSync(stateDir, { recursive: true, force: true });
    throw err;
  }

  let stopping: Promise<number> | undefined;
  const stop = (timeoutMs = 30_000): Promise<number> =>
    (stopping ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
      const code = await exited;
      clearTimeout(timer);
      if (ownStateDir) rmSync(stateDir, { recursive: true, force: true });
      return code;
    })());

  return { ...banner, output, stop };
}

interface Banner {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  stateDir: string;
}

/** The banner once complete (it ends with the AWS_REGION line), else undefined. */
function parseBanner(stdout: string): Banner | undefined {
  const listening = /^lakewarden embedded AWS listening on (\S+) \(state: (.*)\)$/m.exec(stdout);
  const exported = (name: string) => new RegExp(`^\\s*export ${name}=(.*)$`, "m").exec(stdout)?.[1]?.trim();
  const accessKeyId = exported("AWS_ACCESS_KEY_ID");
  const secretAccessKey = exported("AWS_SECRET_ACCESS_KEY");
  const region = exported("AWS_REGION");
  if (!listening || accessKeyId === undefined || secretAccessKey === undefined || region === undefined || !/AWS_REGION=.*\n/.test(stdout)) return undefined;
  return { endpoint: exported("AWS_ENDPOINT_URL") ?? listening[1]!, region, credentials: { accessKeyId, secretAccessKey }, stateDir: listening[2]! };
}
