import { dirname, resolve } from "node:path";
import cron from "node-cron";
import type { DaemonFlags } from "../cli/daemon.js";
import { openTarget } from "../cli/target.js";
import { ConfigError, formatIssue } from "../config/issues.js";
import { loadConfig } from "../config/load.js";
import type { LakeConfig } from "../config/types.js";
import { parseDuration } from "../config/units.js";
import { LOCAL_CREDENTIALS } from "../embedded/index.js";
import { createLogger, type Logger } from "../log.js";
import { LakeMetrics } from "../metrics/prometheus.js";
import { VERSION } from "../version.js";
import { FileSource, type ConfigSource } from "./config-source.js";
import { Daemon, type DaemonSettings } from "./daemon.js";
import { GitSource } from "./git-source.js";
import { optimizeHeapForSize } from "./memory.js";

/** The whole exit, from the first signal, stays under this (a container runtime kills at 30 s). */
const EXIT_DEADLINE_MS = 28_000;

/** `lakewarden daemon`: runs until SIGTERM/SIGINT (0), or one cycle with --once (0 converged, 1 not). */
export async function runDaemon(flags: DaemonFlags): Promise<number> {
  optimizeHeapForSize();
  const log = createLogger();
  // The local file is read once for what needs a restart to change: target, region, state, HTTP, the source.
  let bootstrap: LakeConfig;
  try {
    bootstrap = loadConfig(flags.config);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    for (const issue of err.issues) log.error(formatIssue(issue));
    log.fatal(`${flags.config}: invalid configuration (${err.issues.length} ${err.issues.length === 1 ? "error" : "errors"}); the daemon did not start`);
    return 1;
  }
  let settings: DaemonSettings;
  let git: { url: string; branch: string; path: string; interval: number } | undefined;
  try {
    ({ settings, git } = resolveSettings(flags, bootstrap));
  } catch (err) {
    log.fatal((err as Error).message);
    return 1;
  }
  const stateDir = resolve(flags.stateDir ?? bootstrap.local.stateDir);
  bootstrap.local.stateDir = stateDir;
  const source: ConfigSource = git
    ? new GitSource({ url: git.url, branch: git.branch, path: git.path, stateDir, baseDir: dirname(bootstrap.file) })
    : new FileSource(flags.config, stateDir);
  const target = openTarget(bootstrap, flags);
  if (!target.embedded) delete settings.endpoint;
  const metrics = new LakeMetrics();
  target.clients.calls.listen((call) => metrics.awsCall(call));
  routeCronLogs(log);
  const daemon = new Daemon({ source, target, metrics, log, settings });
  log.info(
    { version: VERSION, lake: bootstrap.lake, target: target.id, source: source.description, stateDir, ...(settings.mode ? { mode: settings.mode } : {}) },
    `lakewarden ${VERSION} daemon: lake ${bootstrap.lake} on ${target.id}, configuration from ${source.description}, state in ${stateDir}`,
  );

  if (flags.once) {
    const ok = await daemon.once();
    await daemon.stop();
    return ok ? 0 : 1;
  }

  try {
    await daemon.start();
  } catch (err) {
    const inUse = (err as NodeJS.ErrnoException).code === "EADDRINUSE";
    const hint = inUse ? " — choose other ports with --http-port / --endpoint-port (LAKEWARDEN_HTTP_PORT, LAKEWARDEN_ENDPOINT_PORT; 0 picks free ones, --endpoint-port off serves no AWS endpoint)" : "";
    log.fatal(`could not start: ${(err as Error).message}${hint}`);
    await daemon.stop();
    return 1;
  }
  if (target.embedded && settings.endpoint) announceCredentials(log);

  const signal = await new Promise<NodeJS.Signals>((resolveSignal) => {
    const onHangup = () => daemon.reload();
    const onStop = (received: NodeJS.Signals) => {
      process.off("SIGHUP", onHangup);
      resolveSignal(received);
    };
    process.on("SIGHUP", onHangup);
    process.once("SIGTERM", onStop);
    process.once("SIGINT", onStop);
  });
  log.info(`${signal}: stopping (a second signal exits at once)`);
  const force = (again: NodeJS.Signals) => {
    log.warn(`${again} again: exiting now; the next start converges what this one left`);
    process.exit(1);
  };
  process.once("SIGTERM", force);
  process.once("SIGINT", force);
  // Should a step not let go in time, exit anyway: every write is idempotent, the next start converges.
  const deadline = setTimeout(() => {
    log.error(`could not stop within ${EXIT_DEADLINE_MS / 1000}s: exiting`);
    process.exit(0);
  }, EXIT_DEADLINE_MS);
  deadline.unref();
  await daemon.stop();
  clearTimeout(deadline);
  log.info("stopped");
  // Nothing should be left running; if a library keeps a handle open, do not wait for it.
  setTimeout(() => process.exit(0), 2_000).unref();
  return 0;
}

/** Flags and environment win over the configuration file; checked here so that a typo fails at start. */
function resolveSettings(flags: DaemonFlags, config: LakeConfig): { settings: DaemonSettings; git?: { url: string; branch: string; path: string; interval: number } } {
  const schedule = flags.schedule;
  if (schedule !== undefined && !cron.validate(schedule)) {
    throw new Error(`--schedule / LAKEWARDEN_SCHEDULE: "${schedule}" is not a cron expression — expected 5 fields, or 6 with seconds first, e.g. "*/5 * * * *"`);
  }
  const endpointPort = flags.endpointPort === "off" ? undefined : port(flags.endpointPort, "--endpoint-port / LAKEWARDEN_ENDPOINT_PORT") ?? config.daemon.endpoint.port;
  const endpointOn = flags.endpointPort !== "off" && (flags.endpointPort !== undefined || config.daemon.endpoint.enabled);
  const declared = config.source?.git;
  const url = flags.gitUrl ?? declared?.url;
  let git: { url: string; branch: string; path: string; interval: number } | undefined;
  if (url) {
    let interval = declared?.interval ?? 60;
    if (flags.gitInterval !== undefined) {
      try {
        interval = parseDuration(flags.gitInterval);
      } catch {
        throw new Error(`--git-interval / LAKEWARDEN_GIT_INTERVAL: "${flags.gitInterval}" is not a duration — expected e.g. 500ms, 30s, 5m`);
      }
    }
    git = { url, branch: flags.gitBranch ?? declared?.branch ?? "main", path: flags.gitPath ?? declared?.path ?? "lake.config.yaml", interval: Math.max(interval, 1) };
  }
  const settings: DaemonSettings = {
    ...(flags.mode ? { mode: flags.mode } : {}),
    ...(schedule ? { schedule } : {}),
    http: { host: flags.httpHost ?? config.daemon.http.host, port: port(flags.httpPort, "--http-port / LAKEWARDEN_HTTP_PORT") ?? config.daemon.http.port },
    ...(endpointOn && endpointPort !== undefined ? { endpoint: { host: flags.endpointHost ?? config.daemon.endpoint.host, port: endpointPort } } : {}),
    ...(git ? { pollSeconds: git.interval } : {}),
    ...(flags.target || flags.endpoint ? { targetFromFlags: true } : {}),
  };
  return { settings, ...(git ? { git } : {}) };
}

function port(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) throw new Error(`${name}: "${value}" is not a TCP port — expected 0 (a free one) to 65535`);
  return n;
}

function announceCredentials(log: Logger): void {
  const customSecret = process.env.LAKEWARDEN_LOCAL_SECRET_ACCESS_KEY !== undefined;
  log.info(
    { accessKeyId: LOCAL_CREDENTIALS.accessKeyId },
    `sign embedded AWS requests with AWS_ACCESS_KEY_ID=${LOCAL_CREDENTIALS.accessKeyId} AWS_SECRET_ACCESS_KEY=${customSecret ? "$LAKEWARDEN_LOCAL_SECRET_ACCESS_KEY" : LOCAL_CREDENTIALS.secretAccessKey}`,
  );
}

/** node-cron reports missed ticks (a blocked event loop) on the console: route them to the log. */
function routeCronLogs(log: Logger): void {
  const text = (m: string | Error) => (m instanceof Error ? m.message : m);
  cron.setLogger({
    info: (m) => log.debug(`node-cron: ${m}`),
    debug: (m) => log.debug(`node-cron: ${text(m)}`),
    warn: (m) => log.warn(`node-cron: ${m}`),
    error: (m) => log.warn(`node-cron: ${text(m)}`),
  });
}
