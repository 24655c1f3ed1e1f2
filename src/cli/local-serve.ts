import type { Command } from "commander";
import { configOption, loadConfigOrReport, stateDirOption } from "./options.js";

interface ServeFlags {
  config: string;
  host: string;
  port: string;
  stateDir?: string;
}

export function registerLocal(program: Command): void {
  const local = program.command("local").description("the embedded AWS");
  local
    .command("serve")
    .description("serve the embedded AWS over HTTP for the aws CLI, boto3 and SDKs (AWS_ENDPOINT_URL); requests must be signed with the printed credentials")
    .addOption(configOption())
    .option("--host <host>", "address to bind", "127.0.0.1")
    .option("--port <port>", "TCP port (0 picks a free one)", "4566")
    .addOption(stateDirOption())
    .action(async (flags: ServeFlags) => {
      process.exitCode = await serve(flags);
    });
}

async function serve(flags: ServeFlags): Promise<number> {
  let stateDir = flags.stateDir;
  let region = process.env.AWS_REGION ?? "us-east-1";
  if (!stateDir) {
    const config = loadConfigOrReport(flags.config);
    if (!config) {
      process.stderr.write("lakewarden local serve: pass --state-dir to serve a state directory without a valid configuration\n");
      return 1;
    }
    stateDir = config.local.stateDir;
    region = config.region;
  }
  const { EmbeddedAws, LOCAL_CREDENTIALS } = await import("../embedded/index.js");
  const embedded = new EmbeddedAws({ stateDir, region });
  const { url, close } = await embedded.serve(flags.host, Number(flags.port));
  process.stdout.write(
    [
      `lakewarden embedded AWS listening on ${url} (state: ${embedded.stateDir})`,
      `  export AWS_ENDPOINT_URL=${url}`,
      `  export AWS_ACCESS_KEY_ID=${LOCAL_CREDENTIALS.accessKeyId}`,
      `  export AWS_SECRET_ACCESS_KEY=${LOCAL_CREDENTIALS.secretAccessKey}`,
      `  export AWS_REGION=${region}`,
      `  (aws CLI before 2.13 ignores AWS_ENDPOINT_URL: pass --endpoint-url ${url})`,
      "",
    ].join("\n"),
  );
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  await close();
  await embedded.close();
  return 0;
}
