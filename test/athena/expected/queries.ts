import type { RawEvent } from "./events.js";
import {
  approxDistinct,
  cents,
  compareVarchar,
  countDistinct,
  groupBy,
  isoMillis,
  javaDouble,
  maxVarchar,
  minVarchar,
  percentileBounds,
  roundRatio,
  trinoTrim,
  utcDate,
  utcHour,
  type Cell,
  type ExpectedResult,
} from "./trino.js";

/**
 * What each saved query of sql/athena_raw_data_queries.sql returns on the raw events, computed without any SQL
 * engine. Each function follows its query clause by clause; comments name the Trino rule that matters.
 * Money is summed in integer cents and ratios are rounded from their exact value (see roundRatio).
 */
export const EXPECTED: Record<string, (events: RawEvent[]) => ExpectedResult> = {
  events_by_type,
  daily_active_users,
  session_funnel,
  top_products_by_revenue,
  conversion_rate_by_device,
  session_length_by_device,
  average_order_value,
  hourly_traffic,
  top_search_terms,
  coupon_usage,
  revenue_by_country,
  cart_abandonment_by_category,
};

const col = (name: string, type: string) => ({ name, type });
const big = (n: number): string => String(n);
/** ORDER BY x ASC with Trino's default NULLS LAST. */
const varcharAsc = (a: string | null, b: string | null) => (a === null || b === null ? nullsLast(a, b) : compareVarchar(a, b));
/** ORDER BY x DESC, NULLS LAST as well in Trino. */
const numberDesc = (a: number | null, b: number | null) => (a === null || b === null ? nullsLast(a, b) : b - a);
const nullsLast = (a: unknown, b: unknown) => (a === null ? 1 : 0) - (b === null ? 1 : 0);

/** price * quantity of one event in cents, or null when either is null (the product then adds nothing to a sum). */
function lineCents(e: RawEvent): number | null {
  return e.product?.price == null || e.quantity === null ? null : cents(e.product.price) * e.quantity;
}

/** sum() of cents: null when every value is null (or there is none), as SQL sum. */
function sumCents(values: (number | null)[]): number | null {
  const present = values.filter((v): v is number => v !== null);
  return present.length ? present.reduce((a, b) => a + b, 0) : null;
}

/** round(sum_cents / 100 / den, 2) — a double money value (den 1 for a plain sum). */
function money(totalCents: number | null, den = 1): Cell {
  return totalCents === null ? null : roundRatio(totalCents, 100 * den, 2);
}

function events_by_type(events: RawEvent[]): ExpectedResult {
  const total = events.length;
  const groups = [...groupBy(events, (e) => e.event_type)].map(([type, rows]) => ({ type, rows }));
  groups.sort((a, b) => b.rows.length - a.rows.length || varcharAsc(a.type, b.type));
  return {
    columns: [col("event_type", "varchar"), col("events", "bigint"), col("approx_users", "bigint"), col("approx_sessions", "bigint"), col("pct_of_events", "double")],
    rows: groups.map(({ type, rows }) => [
      type,
      big(rows.length),
      approxDistinct(rows.map((e) => e.user_id)),
      approxDistinct(rows.map((e) => e.session_id)),
      // sum(count(*)) OVER () is the total of all groups: count * 100 / total, rounded to 2.
      roundRatio(rows.length * 100, total, 2),
    ]),
  };
}

function daily_active_users(events: RawEvent[]): ExpectedResult {
  const days = [...groupBy(events, (e) => (e.timestamp === null ? null : utcDate(isoMillis(e.timestamp))))];
  days.sort((a, b) => varcharAsc(a[0], b[0])); // ISO dates sort as strings
  return {
    columns: [col("event_date", "date"), col("active_users", "bigint"), col("purchasing_users", "bigint"), col("sessions", "bigint"), col("events", "bigint")],
    rows: days.map(([day, rows]) => [
      day,
      big(countDistinct(rows.map((e) => e.user_id))),
      big(countDistinct(rows.map((e) => (e.event_type === "purchase" ? e.user_id : null)))),
      big(countDistinct(rows.map((e) => e.session_id))),
      big(rows.length),
    ]),
  };
}

function session_funnel(events: RawEvent[]): ExpectedResult {
  const sessions = [...groupBy(events, (e) => e.session_id).values()];
  const has = (rows: RawEvent[], type: string) => rows.some((e) => e.event_type === type);
  const depths = sessions.map((rows) => {
    if (!has(rows, "product_view")) return 0;
    if (!has(rows, "add_to_cart")) return 1;
    if (!has(rows, "checkout_start")) return 2;
    if (!has(rows, "purchase")) return 3;
    return 4;
  });
  const stages = ["product_view", "add_to_cart", "checkout_start", "purchase"];
  const reached = stages.map((_, i) => depths.filter((d) => d >= i + 1).length);
  return {
    columns: [col("stage_number", "bigint"), col("stage", "varchar"), col("sessions", "bigint"), col("rate_of_all_sessions", "double"), col("rate_from_previous_stage", "double")],
    rows: stages.map((stage, i) => [
      big(i + 1),
      stage,
      big(reached[i]!),
      roundRatio(reached[i]!, sessions.length, 4),
      // lag() is NULL on the first stage; nullif(…, 0) makes a division by an empty stage NULL.
      i === 0 || reached[i - 1] === 0 ? null : roundRatio(reached[i]!, reached[i - 1]!, 4),
    ]),
  };
}

function top_products_by_revenue(events: RawEvent[]): ExpectedResult {
  const purchases = events.filter((e) => e.event_type === "purchase" && e.product?.id != null);
  const products = [...groupBy(purchases, (e) => e.product!.id!)].map(([id, rows]) => {
    const revenue = sumCents(rows.map(lineCents));
    return { id, rows, revenue };
  });
  // ORDER BY the rounded revenue: a sum of whole cents rounds to itself, so the exact cents order it, then product_id.
  products.sort((a, b) => numberDesc(a.revenue, b.revenue) || compareVarchar(a.id, b.id));
  return {
    columns: [col("product_id", "varchar"), col("product_name", "varchar"), col("product_category", "varchar"), col("revenue", "double"), col("units_sold", "bigint"), col("orders", "bigint")],
    rows: products.slice(0, 10).map(({ id, rows, revenue }) => {
      const units = rows.map((e) => e.quantity).filter((q): q is number => q !== null);
      return [
        id,
        maxVarchar(rows.map((e) => e.product!.name)),
        maxVarchar(rows.map((e) => e.product!.category)),
        money(revenue),
        units.length ? big(units.reduce((a, b) => a + b, 0)) : null,
        big(countDistinct(rows.map((e) => e.order_id))),
      ];
    }),
  };
}

/** The sessions CTE shared by the two device queries: device type (min, coalesced) and the session's rows. */
function sessionsByDevice(events: RawEvent[]): Map<string, RawEvent[][]> {
  const sessions = [...groupBy(events, (e) => e.session_id).values()];
  return groupBy(sessions, (rows) => minVarchar(rows.map((e) => e.device?.type ?? null)) ?? "unknown");
}

const sortedByKey = <V>(map: Map<string, V>) => [...map].sort((a, b) => compareVarchar(a[0], b[0]));

function conversion_rate_by_device(events: RawEvent[]): ExpectedResult {
  return {
    columns: [col("device_type", "varchar"), col("sessions", "bigint"), col("purchasing_sessions", "bigint"), col("conversion_rate", "double")],
    rows: sortedByKey(sessionsByDevice(events)).map(([device, sessions]) => {
      const purchasing = sessions.filter((rows) => rows.some((e) => e.event_type === "purchase")).length;
      return [device, big(sessions.length), big(purchasing), roundRatio(purchasing, sessions.length, 4)];
    }),
  };
}

function session_length_by_device(events: RawEvent[]): ExpectedResult {
  return {
    columns: [
      col("device_type", "varchar"),
      col("sessions", "bigint"),
      col("avg_session_seconds", "double"),
      col("median_session_seconds", "double"),
      col("p90_session_seconds", "double"),
    ],
    rows: sortedByKey(sessionsByDevice(events)).map(([device, sessions]) => {
      // date_diff('millisecond', min, max) of each session; NULL when it has no timestamp (avg and percentiles skip it).
      const millis = sessions
        .map((rows) => rows.map((e) => e.timestamp).filter((t): t is string => t !== null).map(isoMillis))
        .filter((ts) => ts.length > 0)
        .map((ts) => Math.max(...ts) - Math.min(...ts));
      const seconds = millis.map((ms) => ms / 1000);
      return [
        device,
        big(sessions.length),
        millis.length ? roundRatio(millis.reduce((a, b) => a + b, 0), 1000 * millis.length, 2) : null,
        percentileBounds(seconds, 0.5, 3),
        percentileBounds(seconds, 0.9, 3),
      ];
    }),
  };
}

/** The orders CTE of average_order_value and coupon_usage: purchase events with an order_id, by order_id. */
function orders(events: RawEvent[]) {
  const lines = events.filter((e) => e.event_type === "purchase" && e.order_id !== null);
  return [...groupBy(lines, (e) => e.order_id!)].map(([id, rows]) => ({
    id,
    rows,
    cents: sumCents(rows.map(lineCents)),
    units: rows.some((e) => e.quantity !== null) ? rows.reduce((a, e) => a + (e.quantity ?? 0), 0) : null,
    // max(nullif(coupon_code, '')): an empty code counts as none.
    coupon: maxVarchar(rows.map((e) => (e.coupon_code === "" ? null : e.coupon_code))),
  }));
}

function average_order_value(events: RawEvent[]): ExpectedResult {
  const all = orders(events);
  const values = all.map((o) => o.cents).filter((c): c is number => c !== null);
  const units = all.map((o) => o.units).filter((u): u is number => u !== null);
  const total = values.reduce((a, b) => a + b, 0);
  return {
    columns: [
      col("orders", "bigint"),
      col("total_revenue", "double"),
      col("avg_order_value", "double"),
      col("min_order_value", "double"),
      col("max_order_value", "double"),
      col("avg_units_per_order", "double"),
    ],
    rows: [
      [
        big(all.length),
        values.length ? money(total) : null,
        values.length ? money(total, values.length) : null,
        values.length ? money(Math.min(...values)) : null,
        values.length ? money(Math.max(...values)) : null,
        units.length ? roundRatio(units.reduce((a, b) => a + b, 0), units.length, 2) : null,
      ],
    ],
  };
}

function hourly_traffic(events: RawEvent[]): ExpectedResult {
  const byHour = groupBy(
    events.filter((e) => e.timestamp !== null),
    (e) => utcHour(isoMillis(e.timestamp!)),
  );
  return {
    columns: [col("hour_of_day", "bigint"), col("events", "bigint"), col("sessions", "bigint"), col("users", "bigint"), col("purchase_events", "bigint")],
    rows: Array.from({ length: 24 }, (_, hour) => {
      const rows = byHour.get(hour) ?? [];
      return [
        big(hour),
        big(rows.length),
        big(countDistinct(rows.map((e) => e.session_id))),
        big(countDistinct(rows.map((e) => e.user_id))),
        big(rows.filter((e) => e.event_type === "purchase").length),
      ];
    }),
  };
}

function top_search_terms(events: RawEvent[]): ExpectedResult {
  const searches = events.filter((e) => e.event_type === "search" && e.search_query !== null && trinoTrim(e.search_query) !== "");
  const terms = [...groupBy(searches, (e) => trinoTrim(e.search_query!).toLowerCase())];
  terms.sort((a, b) => b[1].length - a[1].length || compareVarchar(a[0], b[0]));
  return {
    columns: [col("search_term", "varchar"), col("searches", "bigint"), col("sessions", "bigint"), col("users", "bigint")],
    rows: terms
      .slice(0, 20)
      .map(([term, rows]) => [term, big(rows.length), big(countDistinct(rows.map((e) => e.session_id))), big(countDistinct(rows.map((e) => e.user_id)))]),
  };
}

function coupon_usage(events: RawEvent[]): ExpectedResult {
  const all = orders(events);
  const byStatus = groupBy(all, (o): string => (o.coupon !== null ? "with_coupon" : "without_coupon"));
  return {
    columns: [
      col("coupon_status", "varchar"),
      col("orders", "bigint"),
      col("share_of_orders", "double"),
      col("distinct_coupons", "bigint"),
      col("revenue", "double"),
      col("avg_order_value", "double"),
    ],
    // The VALUES list left-joined: both statuses always listed, 'with_coupon' < 'without_coupon'.
    rows: ["with_coupon", "without_coupon"].map((status) => {
      const group = byStatus.get(status) ?? [];
      const values = group.map((o) => o.cents).filter((c): c is number => c !== null);
      const revenue = values.reduce((a, b) => a + b, 0);
      return [
        status,
        big(group.length),
        all.length ? roundRatio(group.length, all.length, 4) : null,
        big(countDistinct(group.map((o) => o.coupon))),
        // coalesce(revenue, 0) is a double: an empty group prints 0.0.
        values.length ? money(revenue) : javaDouble(0),
        values.length ? money(revenue, values.length) : null,
      ];
    }),
  };
}

function revenue_by_country(events: RawEvent[]): ExpectedResult {
  const purchases = events.filter((e) => e.event_type === "purchase");
  const countries = [...groupBy(purchases, (e) => e.geo?.country ?? "unknown")].map(([country, rows]) => ({
    country,
    rows,
    revenue: sumCents(rows.map(lineCents)),
    orders: countDistinct(rows.map((e) => e.order_id)),
  }));
  countries.sort((a, b) => numberDesc(a.revenue, b.revenue) || compareVarchar(a.country, b.country));
  return {
    columns: [col("country", "varchar"), col("revenue", "double"), col("orders", "bigint"), col("buyers", "bigint"), col("avg_order_value", "double")],
    rows: countries.map(({ country, rows, revenue, orders }) => [
      country,
      money(revenue),
      big(orders),
      big(countDistinct(rows.map((e) => e.user_id))),
      revenue === null || orders === 0 ? null : money(revenue, orders),
    ]),
  };
}

function cart_abandonment_by_category(events: RawEvent[]): ExpectedResult {
  const pairs = (type: string) => events.filter((e) => e.event_type === type && e.product?.id != null);
  const key = (e: RawEvent) => JSON.stringify([e.session_id, e.product!.id]);
  // SELECT DISTINCT session_id, product_id, category: a product's category is part of the distinct row.
  const carted = new Map<string, { pair: string; category: string }>();
  for (const e of pairs("add_to_cart")) {
    const category = e.product!.category ?? "unknown";
    carted.set(JSON.stringify([key(e), category]), { pair: key(e), category });
  }
  // The join matches on session_id = and product_id =: a NULL session_id never matches.
  const purchased = new Set(pairs("purchase").filter((e) => e.session_id !== null).map(key));
  const byCategory = [...groupBy([...carted.values()], (c) => c.category)].map(([category, items]) => {
    const bought = items.filter((c) => JSON.parse(c.pair)[0] !== null && purchased.has(c.pair)).length;
    const abandoned = items.length - bought;
    return { category, items: items.length, bought, abandoned, rate: roundRatio(abandoned, items.length, 4) };
  });
  // ORDER BY the rounded rate DESC: compare the renderings' numeric values (a tie-ambiguous one by its lower side).
  const rateValue = (c: Cell) => Number(typeof c === "string" ? c : c !== null && "oneOf" in c ? c.oneOf[0] : NaN);
  byCategory.sort((a, b) => rateValue(b.rate) - rateValue(a.rate) || compareVarchar(a.category, b.category));
  return {
    columns: [col("category", "varchar"), col("carted_items", "bigint"), col("purchased_items", "bigint"), col("abandoned_items", "bigint"), col("abandonment_rate", "double")],
    rows: byCategory.map((c) => [c.category, big(c.items), big(c.bought), big(c.abandoned), c.rate]),
  };
}
