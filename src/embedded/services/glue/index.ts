import { createJsonService } from "../../protocols/json.js";
import type { EmbeddedService } from "../../service.js";
import { crawlerHandlers, drainCrawls, migrateCrawlers } from "./crawlers.js";
import { databaseHandlers } from "./databases.js";
import { jobHandlers } from "./jobs.js";
import { partitionHandlers } from "./partitions.js";
import { migrateGlue } from "./schema.js";
import { tableHandlers } from "./tables.js";
import { tagHandlers } from "./tags.js";

/** The embedded Glue: Data Catalog, crawlers (with a crawler that infers schemas as Glue does) and jobs. */
export function createGlueService(): EmbeddedService {
  const service = createJsonService({
    name: "glue",
    signingName: "glue",
    targetPrefix: "AWSGlue",
    version: "1.1",
    migrate: (db) => {
      migrateGlue(db);
      migrateCrawlers(db);
    },
    handlers: { ...databaseHandlers, ...tableHandlers, ...partitionHandlers, ...crawlerHandlers, ...jobHandlers, ...tagHandlers },
  });
  // Crawls run in the background of this process: they finish before the state database closes.
  return { ...service, close: drainCrawls };
}
