import { Option, type Command } from "commander";
import { configOption, stateDirOption, type TargetFlags } from "./options.js";

export interface DaemonFlags extends TargetFlags {
  config: string;
  stateDir?: string;
  mode?: "apply" | "observe";
  once?: boolean;
  schedule?: string;
  httpHost?: string;
  httpPort?: string;
  endpointHost?: string;
  endpointPort?: string;
  gitUrl?: string;
  gitBranch?: string;
  gitPath?: string;
  gitInterval?: string;
}

export function registerDaemon(program: Command): void {
  program
    .command("daemon")
    .description(
      "keep the lake converged: reconcile at start and on schedule.reconcile, run scheduled crawls and jobs, follow the " +
        "config file (or a git branch: source.git), serve /metrics, /healthz, /readyz, /status and, on the local " +
        "target, the embedded AWS endpoint. SIGHUP reloads; SIGTERM/SIGINT stop after the step in flight.",
    )
    .addOption(configOption())
    .addOption(new Option("--mode <mode>", "apply: converge; observe: plan and report drift, change nothing (default: daemon.mode)").choices(["apply", "observe"]).env("LAKEWARDEN_MODE"))
    .option("--once", "run one cycle, wait for the runs it started, and exit (0 converged, 1 not)")
    .addOption(new Option("--schedule <cron>", 'reconcile schedule, 5 or 6 cron fields (default: schedule.reconcile), e.g. "*/30 * * * * *"').env("LAKEWARDEN_SCHEDULE"))
    .addOption(new Option("--http-host <host>", "address of /metrics, /healthz, /readyz, /status (default: daemon.http.host)").env("LAKEWARDEN_HTTP_HOST"))
    .addOption(new Option("--http-port <port>", "port of the HTTP endpoint; 0 picks a free one (default: daemon.http.port)").env("LAKEWARDEN_HTTP_PORT"))
    .addOption(new Option("--endpoint-host <host>", "address of the embedded AWS endpoint (local target; default: daemon.endpoint.host)").env("LAKEWARDEN_ENDPOINT_HOST"))
    .addOption(new Option("--endpoint-port <port>", "port of the embedded AWS endpoint; 0 picks a free one, off serves none (default: daemon.endpoint.port)").env("LAKEWARDEN_ENDPOINT_PORT"))
    .addOption(new Option("--git-url <url>", "follow the configuration committed in this repository (default: source.git.url)").env("LAKEWARDEN_GIT_URL"))
    .addOption(new Option("--git-branch <branch>", "branch to follow (default: source.git.branch, main)").env("LAKEWARDEN_GIT_BRANCH"))
    .addOption(new Option("--git-path <path>", "path of the configuration in the repository (default: source.git.path)").env("LAKEWARDEN_GIT_PATH"))
    .addOption(new Option("--git-interval <duration>", "how often to fetch, e.g. 30s (default: source.git.interval)").env("LAKEWARDEN_GIT_INTERVAL"))
    .addOption(new Option("--target <target>", "local (embedded AWS) or aws; default: the config's target").choices(["local", "aws"]).env("LAKEWARDEN_TARGET"))
    .addOption(new Option("--endpoint <url>", "send every AWS call to this endpoint (moto, a proxy); implies --target aws"))
    .addOption(stateDirOption())
    .action(async (flags: DaemonFlags) => {
      // The daemon, SDK and engine load only when the command runs.
      process.exitCode = await (await import("../daemon/run.js")).runDaemon(flags);
    });
}
