import { invalidParameter } from "./errors.js";
import type { CloudWatchHandler } from "./handler.js";
import { optionalBoolean, optionalString } from "./input.js";
import { dimensionFiltersOf, metricNameOf, optionalNamespace } from "./metric.js";
import { decodeToken, encodeToken, isNonNegativeInteger } from "./paging.js";
import { sql } from "../../store/db.js";
import { metricShape, type MetricRow } from "./store.js";

/** ListMetrics: metrics with data in the past two weeks (or three hours: RecentlyActive=PT3H), 500 a page. */

const PAGE = 500;
const TWO_WEEKS = 14 * 24 * 3600;
const THREE_HOURS = 3 * 3600;

export const ListMetrics: CloudWatchHandler = (input, ctx) => {
  const namespace = optionalNamespace(input.Namespace, "Namespace");
  const name = input.MetricName === undefined || input.MetricName === null ? undefined : metricNameOf(input.MetricName, "MetricName");
  const filters = dimensionFiltersOf(input.Dimensions, "Dimensions");
  const recently = optionalString(input.RecentlyActive, "RecentlyActive");
  if (recently !== undefined && recently !== "PT3H") throw invalidParameter("RecentlyActive", recently);
  const linked = optionalBoolean(input.IncludeLinkedAccounts, "IncludeLinkedAccounts") ?? false;
  const owner = optionalString(input.OwningAccount, "OwningAccount");
  const after = decodeToken(input.NextToken, isNonNegativeInteger) ?? 0;
  // This account is the only one: a filter on another owning account matches nothing.
  if (owner !== undefined && owner !== ctx.accountId) return { Metrics: [] };

  const now = ctx.now().getTime() / 1000;
  const conditions = ["id > ?", "last_published >= ?"];
  const args: (string | number)[] = [after, now - (recently ? THREE_HOURS : TWO_WEEKS)];
  if (namespace !== undefined) {
    conditions.push("namespace = ?");
    args.push(namespace);
  }
  if (name !== undefined) {
    conditions.push("name = ?");
    args.push(name);
  }
  // A metric matches when it has every filtered dimension (with the value, where one is given); it may have more.
  for (const f of filters) {
    conditions.push(`EXISTS (SELECT 1 FROM cw_metric_dimensions d WHERE d.metric_id = cw_metrics.id AND d.name = ?${f.Value === undefined ? "" : " AND d.value = ?"})`);
    args.push(f.Name, ...(f.Value === undefined ? [] : [f.Value]));
  }
  const rows = sql(ctx.db, `SELECT * FROM cw_metrics WHERE ${conditions.join(" AND ")} ORDER BY id LIMIT ${PAGE + 1}`).all(...args) as MetricRow[];
  const page = rows.slice(0, PAGE);
  return {
    Metrics: page.map(metricShape),
    ...(linked ? { OwningAccounts: page.map(() => ctx.accountId) } : {}),
    ...(rows.length > PAGE ? { NextToken: encodeToken(page[page.length - 1]!.id) } : {}),
  };
};
