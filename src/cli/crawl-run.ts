import { GetCrawlerCommand } from "@aws-sdk/client-glue";
import pc from "picocolors";
import { catalogSnapshot, describeCatalogChanges, startCrawler, waitForCrawler } from "../runs/crawls.js";
import type { CrawlFlags } from "./crawl.js";
import { loadConfigOrReport } from "./options.js";
import { openTarget } from "./target.js";

export async function crawl(name: string, flags: CrawlFlags): Promise<number> {
  const config = loadConfigOrReport(flags.config, flags.stateDir);
  if (!config) return 1;
  const target = openTarget(config, flags);
  const { glue } = target.clients;
  try {
    let database: string | undefined;
    try {
      database = (await glue.send(new GetCrawlerCommand({ Name: name }))).Crawler?.DatabaseName;
    } catch (err) {
      if ((err as Error).name === "EntityNotFoundException") {
        process.stderr.write(`lakewarden crawl: crawler "${name}" does not exist on ${target.id} (run lakewarden reconcile first?)\n`);
        return 1;
      }
      throw err;
    }
    // On the embedded target the crawl runs in this process, so it is always seen through to the end.
    const wait = flags.wait ?? target.embedded !== undefined;
    const before = wait && database ? await catalogSnapshot(glue, database) : undefined;
    const started = await startCrawler(glue, name);
    process.stdout.write(`crawler ${name}: ${started}\n`);
    if (!wait) return 0;
    const outcome = await waitForCrawler(glue, name, {
      pollMs: target.embedded ? 100 : 5000,
      onState: (state, seconds) => process.stdout.write(pc.dim(`  ${state} after ${seconds.toFixed(1)}s\n`)),
    });
    const ok = outcome.status === "SUCCEEDED";
    process.stdout.write(
      `${ok ? pc.green("✓") : pc.red("✗")} crawl ${outcome.status.toLowerCase()}${outcome.seconds !== undefined ? ` in ${outcome.seconds.toFixed(1)}s` : ""}: ` +
        `${outcome.tablesCreated} tables created, ${outcome.tablesUpdated} updated, ${outcome.tablesDeleted} deleted\n`,
    );
    if (outcome.error) process.stdout.write(`  ${outcome.error}\n`);
    if (before && database) {
      const lines = describeCatalogChanges(database, before, await catalogSnapshot(glue, database));
      process.stdout.write(lines.length ? `${lines.map((l) => `  ${l}`).join("\n")}\n` : "  the catalog did not change\n");
    }
    return ok ? 0 : 1;
  } finally {
    await target.close();
  }
}
