import { Command, CommanderError } from "commander";
import { VERSION } from "../version.js";
import { registerValidate } from "./validate.js";
import { registerCrawl } from "./crawl.js";
import { registerDaemon } from "./daemon.js";
import { registerGenData } from "./gen-data.js";
import { registerLocal } from "./local-serve.js";
import { registerQuery } from "./query.js";
import { registerReconcile } from "./reconcile.js";

/** Builds the command tree; every command lives in its own file and registers itself here. */
export function buildProgram(): Command {
  const program = new Command("lakewarden")
    .description(
      "Keeps a serverless clickstream data lake (S3, IAM, Glue, Athena) in the shape that lake.config.yaml describes,\n" +
        "on AWS or on the embedded AWS (the default: no account, no network).",
    )
    .version(VERSION, "-V, --version", "print the version and exit")
    .helpOption("-h, --help", "show help for a command")
    .showHelpAfterError("(run with --help for usage)")
    .configureHelp({ sortSubcommands: false })
    .exitOverride();
  registerValidate(program);
  registerReconcile(program);
  registerCrawl(program);
  registerQuery(program);
  registerLocal(program);
  registerDaemon(program);
  registerGenData(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  process.exitCode = undefined; // commands set it; a previous run in the same process must not leak into this one
  try {
    await program.parseAsync(argv, { from: "user" });
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end through exitOverride with code 0; usage errors with 1.
      return err.exitCode;
    }
    process.stderr.write(`lakewarden: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
