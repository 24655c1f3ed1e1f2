import {
  GetCrawlerCommand,
  GetCrawlerMetricsCommand,
  paginateGetPartitions,
  paginateGetTables,
  StartCrawlerCommand,
  type GlueClient,
} from "@aws-sdk/client-glue";

/** Starting a crawler, waiting for it, and telling what its crawl changed in the catalog — through the Glue API. */

export interface CrawlOutcome {
  status: "SUCCEEDED" | "FAILED" | "CANCELLED";
  error?: string;
  seconds?: number;
  tablesCreated?: number;
  tablesUpdated?: number;
  tablesDeleted?: number;
}

/** Starts a crawl; a crawler that is already running is not an error (the data will be seen by that crawl or the next). */
export async function startCrawler(glue: GlueClient, name: string): Promise<"started" | "already running"> {
  try {
    await glue.send(new StartCrawlerCommand({ Name: name }));
    return "started";
  } catch (err) {
    if ((err as Error).name === "CrawlerRunningException") return "already running";
    throw err;
  }
}

/** Polls until the crawler is READY again, reporting each state change; returns its last crawl. */
export async function waitForCrawler(glue: GlueClient, name: string, options: { pollMs?: number; onState?: (state: string, seconds: number) => void } = {}): Promise<CrawlOutcome> {
  const started = Date.now();
  let last = "";
  for (;;) {
    const { Crawler } = await glue.send(new GetCrawlerCommand({ Name: name }));
    const state = Crawler?.State ?? "READY";
    if (state !== last) options.onState?.(state, (Date.now() - started) / 1000);
    last = state;
    if (state === "READY") {
      const crawl = Crawler?.LastCrawl;
      const metrics = (await glue.send(new GetCrawlerMetricsCommand({ CrawlerNameList: [name] }))).CrawlerMetricsList?.[0];
      return {
        status: (crawl?.Status as CrawlOutcome["status"]) ?? "SUCCEEDED",
        ...(crawl?.ErrorMessage ? { error: crawl.ErrorMessage } : {}),
        ...(metrics?.LastRuntimeSeconds !== undefined ? { seconds: metrics.LastRuntimeSeconds } : {}),
        tablesCreated: metrics?.TablesCreated ?? 0,
        tablesUpdated: metrics?.TablesUpdated ?? 0,
        tablesDeleted: metrics?.TablesDeleted ?? 0,
      };
    }
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 1000));
  }
}

/** Tables of a database with their columns and partition values: compared before and after a crawl. */
export type CatalogSnapshot = Map<string, { columns: Map<string, string>; partitionKeys: string[]; partitions: Set<string> }>;

export async function catalogSnapshot(glue: GlueClient, database: string): Promise<CatalogSnapshot> {
  const snapshot: CatalogSnapshot = new Map();
  try {
    for await (const page of paginateGetTables({ client: glue }, { DatabaseName: database })) {
      for (const table of page.TableList ?? []) {
        const columns = new Map((table.StorageDescriptor?.Columns ?? []).map((c) => [c.Name ?? "", c.Type ?? ""]));
        const partitionKeys = (table.PartitionKeys ?? []).map((k) => k.Name ?? "");
        const partitions = new Set<string>();
        if (partitionKeys.length) {
          for await (const p of paginateGetPartitions({ client: glue }, { DatabaseName: database, TableName: table.Name })) {
            for (const part of p.Partitions ?? []) partitions.add((part.Values ?? []).map((v, i) => `${partitionKeys[i]}=${v}`).join("/"));
          }
        }
        snapshot.set(table.Name ?? "", { columns, partitionKeys, partitions });
      }
    }
  } catch (err) {
    if ((err as Error).name !== "EntityNotFoundException") throw err; // the database does not exist (yet)
  }
  return snapshot;
}

/** What a crawl changed, one line per table: new tables with their columns, new columns, partitions added and removed. */
export function describeCatalogChanges(database: string, before: CatalogSnapshot, after: CatalogSnapshot): string[] {
  const lines: string[] = [];
  for (const [name, table] of after) {
    const old = before.get(name);
    const columns = [...table.columns].map(([c, t]) => `${c} ${t}`);
    const added = [...table.partitions].filter((p) => !old?.partitions.has(p));
    if (!old) {
      lines.push(`+ table ${database}.${name} (${columns.join(", ")})${table.partitionKeys.length ? ` partitioned by ${table.partitionKeys.join(", ")}` : ""}`);
    } else {
      for (const [c, t] of table.columns) {
        if (!old.columns.has(c)) lines.push(`+ column ${database}.${name}.${c} ${t}`);
        else if (old.columns.get(c) !== t) lines.push(`~ column ${database}.${name}.${c} ${old.columns.get(c)} → ${t}`);
      }
    }
    if (added.length) lines.push(`+ ${added.length} partition${added.length === 1 ? "" : "s"} of ${database}.${name}: ${abbreviate(added)}`);
    const removed = [...(old?.partitions ?? [])].filter((p) => !table.partitions.has(p));
    if (removed.length) lines.push(`- ${removed.length} partition${removed.length === 1 ? "" : "s"} of ${database}.${name}: ${abbreviate(removed)}`);
  }
  for (const name of before.keys()) if (!after.has(name)) lines.push(`- table ${database}.${name}`);
  return lines;
}

function abbreviate(values: string[]): string {
  const sorted = [...values].sort();
  return sorted.length <= 5 ? sorted.join(", ") : `${sorted.slice(0, 3).join(", ")} … ${sorted.at(-1)}`;
}
