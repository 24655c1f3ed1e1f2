import type { Crawler } from "@aws-sdk/client-glue";
import type Database from "better-sqlite3";
import type { JsonHandler } from "../../protocols/json.js";
import { AwsError } from "../../protocols/types.js";
import type { ServiceContext } from "../../service.js";
import { writeTransaction } from "../../store/db.js";
import { alreadyExists, asList, decodeToken, encodeToken, invalidInput, pageSize, requireName, sql, toDate } from "./api-common.js";
import {
  crawlerMetrics,
  crawlerRow,
  elapsedMillis,
  lastCrawlInfo,
  lastFinishedRun,
  recoverOrphans,
  requireCrawler,
  startCrawl,
  stopCrawl,
  type CrawlerRow,
} from "./crawler-runs.js";
import { createDefinition, updateDefinition, withDefaults, type CrawlerDefinition } from "./crawler-shape.js";
import { addTags, checkTags, dropTags, getTags, glueArn } from "./tag-store.js";

export { drainCrawls, migrateCrawlers, crawlRunDetail } from "./crawler-runs.js";

/**
 * Crawlers: CreateCrawler, GetCrawler, GetCrawlers, BatchGetCrawlers, ListCrawlers, UpdateCrawler, DeleteCrawler,
 * StartCrawler, StopCrawler, GetCrawlerMetrics, and the schedule calls (UpdateCrawlerSchedule, StartCrawlerSchedule,
 * StopCrawlerSchedule). The crawl itself (crawler/) infers schemas from the objects of the embedded S3 as Glue's
 * crawler does and writes tables and partitions into the embedded catalog. Schedules are kept and shown; the
 * embedded AWS does not start crawls on them.
 */

const MAX_CRAWLERS = 1000;
const PAGE = 100;

function crawlerShape(db: Database.Database, row: CrawlerRow): Crawler {
  const def = withDefaults(JSON.parse(row.definition) as CrawlerDefinition);
  const last = lastFinishedRun(db, row.name);
  return {
    ...def,
    State: row.state,
    CrawlElapsedTime: row.state === "READY" ? 0 : elapsedMillis(db, row.name),
    CreationTime: toDate(row.created ?? 0),
    LastUpdated: toDate(row.updated ?? row.created ?? 0),
    ...(last ? { LastCrawl: lastCrawlInfo(last) } : {}),
    Version: row.version ?? 1,
  };
}

function crawlerArn(ctx: ServiceContext, name: string): string {
  return glueArn(ctx.region, ctx.accountId, { kind: "crawler", name });
}

const CreateCrawler: JsonHandler = (input, ctx) => {
  const def = createDefinition(input);
  const tags = checkTags(input.Tags);
  const now = ctx.now().getTime() / 1000;
  writeTransaction(ctx.db, () => {
    if (crawlerRow(ctx.db, def.Name!)) throw alreadyExists(`Crawler with name ${def.Name} has already been created`);
    const count = (sql(ctx.db, "SELECT count(*) AS n FROM glue_crawlers").get() as { n: number }).n;
    if (count >= MAX_CRAWLERS) throw new AwsError("ResourceNumberLimitExceededException", `Number of crawlers exceeds the limit of ${MAX_CRAWLERS}.`);
    sql(ctx.db, "INSERT INTO glue_crawlers (name, definition, state, created, updated, version) VALUES (?, ?, 'READY', ?, ?, 1)").run(def.Name, JSON.stringify(def), now, now);
    addTags(ctx.db, crawlerArn(ctx, def.Name!), tags);
  });
  return {};
};

const GetCrawler: JsonHandler = (input, ctx) => {
  const name = requireName(input.Name, "Name");
  recoverOrphans(ctx.db, name);
  return { Crawler: crawlerShape(ctx.db, requireCrawler(ctx.db, name)) };
};

const GetCrawlers: JsonHandler = (input, ctx) => {
  const max = pageSize(input.MaxResults, PAGE);
  const after = decodeToken<string>(input.NextToken) ?? "";
  recoverOrphans(ctx.db);
  const rows = sql(ctx.db, "SELECT * FROM glue_crawlers WHERE name > ? ORDER BY name LIMIT ?").all(after, max + 1) as CrawlerRow[];
  const page = rows.slice(0, max);
  return { Crawlers: page.map((r) => crawlerShape(ctx.db, r)), NextToken: rows.length > max ? encodeToken(page[page.length - 1]!.name) : undefined };
};

const BatchGetCrawlers: JsonHandler = (input, ctx) => {
  const names = asList<string>(input.CrawlerNames, "crawlerNames", 100);
  if (input.CrawlerNames === undefined) throw invalidInput("CrawlerNames is required.");
  recoverOrphans(ctx.db);
  const Crawlers: Crawler[] = [];
  const CrawlersNotFound: string[] = [];
  for (const name of names) {
    const row = typeof name === "string" ? crawlerRow(ctx.db, name) : undefined;
    if (row) Crawlers.push(crawlerShape(ctx.db, row));
    else CrawlersNotFound.push(String(name));
  }
  return { Crawlers, CrawlersNotFound };
};

const ListCrawlers: JsonHandler = (input, ctx) => {
  const max = pageSize(input.MaxResults, PAGE);
  const after = decodeToken<string>(input.NextToken) ?? "";
  const wanted = checkTags(input.Tags);
  const filter = Object.entries(wanted);
  const names: string[] = [];
  let more = false;
  for (const row of sql(ctx.db, "SELECT name FROM glue_crawlers WHERE name > ? ORDER BY name").iterate(after) as IterableIterator<{ name: string }>) {
    if (filter.length) {
      const tags = getTags(ctx.db, crawlerArn(ctx, row.name));
      if (!filter.every(([k, v]) => tags[k] === v)) continue;
    }
    if (names.length === max) {
      more = true;
      break;
    }
    names.push(row.name);
  }
  return { CrawlerNames: names, NextToken: more ? encodeToken(names[names.length - 1]) : undefined };
};

const UpdateCrawler: JsonHandler = (input, ctx) => {
  const name = requireName(input.Name, "Name");
  writeTransaction(ctx.db, () => {
    recoverOrphans(ctx.db, name);
    const row = requireCrawler(ctx.db, name);
    if (row.state !== "READY") throw new AwsError("CrawlerRunningException", `Crawler with name ${name} is running and cannot be updated`);
    const def = updateDefinition(JSON.parse(row.definition) as CrawlerDefinition, input);
    sql(ctx.db, "UPDATE glue_crawlers SET definition = ?, updated = ?, version = coalesce(version, 1) + 1 WHERE name = ?").run(JSON.stringify(def), ctx.now().getTime() / 1000, name);
  });
  return {};
};

const DeleteCrawler: JsonHandler = (input, ctx) => {
  const name = requireName(input.Name, "Name");
  writeTransaction(ctx.db, () => {
    recoverOrphans(ctx.db, name);
    const row = requireCrawler(ctx.db, name);
    if (row.state !== "READY") throw new AwsError("CrawlerRunningException", `Crawler with name ${name} is running and cannot be deleted`);
    sql(ctx.db, "DELETE FROM glue_crawlers WHERE name = ?").run(name);
    sql(ctx.db, "DELETE FROM glue_crawler_runs WHERE crawler = ?").run(name);
    sql(ctx.db, "DELETE FROM glue_crawler_folders WHERE crawler = ?").run(name);
    sql(ctx.db, "DELETE FROM glue_crawler_samples WHERE crawler = ?").run(name);
    dropTags(ctx.db, crawlerArn(ctx, name));
  });
  return {};
};

const StartCrawler: JsonHandler = (input, ctx) => {
  startCrawl(ctx, requireName(input.Name, "Name"));
  return {};
};

const StopCrawler: JsonHandler = (input, ctx) => {
  stopCrawl(ctx, requireName(input.Name, "Name"));
  return {};
};

const GetCrawlerMetrics: JsonHandler = (input, ctx) => {
  const max = pageSize(input.MaxResults, PAGE);
  const after = decodeToken<string>(input.NextToken) ?? "";
  const requested = input.CrawlerNameList === undefined ? undefined : asList<string>(input.CrawlerNameList, "crawlerNameList", 100);
  recoverOrphans(ctx.db);
  let names: string[];
  if (requested) names = requested.filter((n) => typeof n === "string" && crawlerRow(ctx.db, n)).sort();
  else names = (sql(ctx.db, "SELECT name FROM glue_crawlers ORDER BY name").all() as { name: string }[]).map((r) => r.name);
  names = names.filter((n) => n > after);
  const page = names.slice(0, max);
  return {
    CrawlerMetricsList: page.map((n) => crawlerMetrics(ctx.db, n)),
    NextToken: names.length > max ? encodeToken(page[page.length - 1]) : undefined,
  };
};

/** Schedule changes: the expression (UpdateCrawlerSchedule) and its state (Start/StopCrawlerSchedule). */
function changeSchedule(ctx: ServiceContext, name: string, change: (def: CrawlerDefinition) => void): void {
  writeTransaction(ctx.db, () => {
    const row = requireCrawler(ctx.db, name);
    const def = JSON.parse(row.definition) as CrawlerDefinition;
    change(def);
    sql(ctx.db, "UPDATE glue_crawlers SET definition = ?, updated = ? WHERE name = ?").run(JSON.stringify(def), ctx.now().getTime() / 1000, name);
  });
}

const UpdateCrawlerSchedule: JsonHandler = (input, ctx) => {
  const name = requireName(input.CrawlerName, "CrawlerName");
  changeSchedule(ctx, name, (def) => {
    const next = updateDefinition(def, { Schedule: input.Schedule ?? "" });
    if (next.Schedule) def.Schedule = { ScheduleExpression: next.Schedule.ScheduleExpression, State: def.Schedule?.State ?? "SCHEDULED" };
    else delete def.Schedule;
  });
  return {};
};

const StartCrawlerSchedule: JsonHandler = (input, ctx) => {
  const name = requireName(input.CrawlerName, "CrawlerName");
  changeSchedule(ctx, name, (def) => {
    if (!def.Schedule?.ScheduleExpression) throw new AwsError("NoScheduleException", `Crawler ${name} has no schedule.`);
    if (def.Schedule.State === "SCHEDULED") throw new AwsError("SchedulerRunningException", `The schedule of crawler ${name} is already running.`);
    def.Schedule = { ...def.Schedule, State: "SCHEDULED" };
  });
  return {};
};

const StopCrawlerSchedule: JsonHandler = (input, ctx) => {
  const name = requireName(input.CrawlerName, "CrawlerName");
  changeSchedule(ctx, name, (def) => {
    if (!def.Schedule?.ScheduleExpression || def.Schedule.State !== "SCHEDULED") {
      throw new AwsError("SchedulerNotRunningException", `The schedule of crawler ${name} is not running.`);
    }
    def.Schedule = { ...def.Schedule, State: "NOT_SCHEDULED" };
  });
  return {};
};

export const crawlerHandlers: Record<string, JsonHandler> = {
  CreateCrawler,
  GetCrawler,
  GetCrawlers,
  BatchGetCrawlers,
  ListCrawlers,
  UpdateCrawler,
  DeleteCrawler,
  StartCrawler,
  StopCrawler,
  GetCrawlerMetrics,
  UpdateCrawlerSchedule,
  StartCrawlerSchedule,
  StopCrawlerSchedule,
};
