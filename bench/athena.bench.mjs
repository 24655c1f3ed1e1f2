// The embedded Athena on ~1 GB of generated clickstream (365 daily partitions), crawled by the embedded Glue:
// (a) each saved query through the Athena API against the same query written by hand for DuckDB over the same files,
// (b) a one-day query against the full scan (bytes scanned and time), (c) an aggregate on a Parquet copy made by CTAS
// against the JSON table. BENCH_ATHENA_MB sets the size (default 1000); BENCH_ATHENA_REPEAT the runs per figure
// (median, default 3; the two sides of a comparison alternate, so load from elsewhere falls on both alike).
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateWorkGroupCommand, GetQueryExecutionCommand, StartQueryExecutionCommand, paginateGetQueryResults } from "@aws-sdk/client-athena";
import { CreateCrawlerCommand, CreateDatabaseCommand, GetTableCommand } from "@aws-sdk/client-glue";
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import { DuckDBInstance } from "@duckdb/node-api";
import { createClients } from "../dist/aws/clients.js";
import { parseSavedQueries } from "../dist/config/saved-queries.js";
import { generateData } from "../dist/datagen/generate.js";
import { EmbeddedAws, LOCAL_CREDENTIALS } from "../dist/embedded/index.js";
import { crawl, filesUnder, upload } from "./lib/lake.mjs";

const ROOT = join(import.meta.dirname, "..");
const MB = Number(process.env.BENCH_ATHENA_MB ?? 1000);
const REPEAT = Math.max(1, Number(process.env.BENCH_ATHENA_REPEAT ?? 3));
const DAYS = 365;
/** Generated events average ~390 bytes a line. */
const EVENTS_PER_DAY = Math.max(10, Math.round((MB * 1e6) / DAYS / 390));
const START = "2025-06-23";
const DATABASE = "ecommerce_raw_db";
const RAW_BUCKET = "bench-raw";
const RESULTS = "s3://bench-results/athena/";
const WORKGROUP = "ecomm";

/** The crawled table's columns, given explicitly to DuckDB (no inference), as the crawler typed them. */
const COLUMNS = `{
  event_id: 'VARCHAR', event_type: 'VARCHAR', "timestamp": 'VARCHAR', user_id: 'VARCHAR', session_id: 'VARCHAR',
  product: 'STRUCT(id VARCHAR, name VARCHAR, category VARCHAR, price DOUBLE)', quantity: 'INTEGER',
  page: 'STRUCT(url VARCHAR, referrer VARCHAR)', device: 'STRUCT(type VARCHAR, os VARCHAR, browser VARCHAR)',
  geo: 'STRUCT(country VARCHAR, city VARCHAR)', search_query: 'VARCHAR', coupon_code: 'VARCHAR', order_id: 'VARCHAR'
}`;

/** The saved queries written by hand in DuckDB's dialect, over the view `raw` (same logic, same output columns). */
export const DUCKDB_QUERIES = {
  events_by_type: `
    SELECT event_type, count(*) AS events, approx_count_distinct(user_id) AS approx_users,
      approx_count_distinct(session_id) AS approx_sessions,
      round(CAST(count(*) AS double) * 100 / sum(count(*)) OVER (), 2) AS pct_of_events
    FROM raw GROUP BY event_type ORDER BY events DESC, event_type ASC`,
  daily_active_users: `
    SELECT CAST(CAST("timestamp" AS TIMESTAMPTZ) AS DATE) AS event_date, count(DISTINCT user_id) AS active_users,
      count(DISTINCT CASE WHEN event_type = 'purchase' THEN user_id END) AS purchasing_users,
      count(DISTINCT session_id) AS sessions, count(*) AS events
    FROM raw GROUP BY 1 ORDER BY event_date ASC`,
  session_funnel: `
    WITH session_flags AS (
      SELECT session_id, count_if(event_type = 'product_view') > 0 AS viewed, count_if(event_type = 'add_to_cart') > 0 AS carted,
        count_if(event_type = 'checkout_start') > 0 AS checked_out, count_if(event_type = 'purchase') > 0 AS purchased
      FROM raw GROUP BY session_id),
    session_depth AS (
      SELECT CASE WHEN NOT viewed THEN 0 WHEN NOT carted THEN 1 WHEN NOT checked_out THEN 2 WHEN NOT purchased THEN 3 ELSE 4 END AS depth
      FROM session_flags),
    stage_counts AS (
      SELECT s.stage_number, s.stage, count_if(d.depth >= s.stage_number) AS sessions
      FROM session_depth d CROSS JOIN (VALUES (1, 'product_view'), (2, 'add_to_cart'), (3, 'checkout_start'), (4, 'purchase')) AS s (stage_number, stage)
      GROUP BY s.stage_number, s.stage)
    SELECT stage_number, stage, sessions,
      round(CAST(sessions AS double) / (SELECT count(*) FROM session_flags), 4) AS rate_of_all_sessions,
      round(CAST(sessions AS double) / nullif(lag(sessions) OVER (ORDER BY stage_number), 0), 4) AS rate_from_previous_stage
    FROM stage_counts ORDER BY stage_number ASC`,
  top_products_by_revenue: `
    SELECT product.id AS product_id, max(product.name) AS product_name, max(product.category) AS product_category,
      round(sum(product.price * quantity), 2) AS revenue, sum(quantity) AS units_sold, count(DISTINCT order_id) AS orders
    FROM raw WHERE event_type = 'purchase' AND product.id IS NOT NULL
    GROUP BY product.id ORDER BY revenue DESC, product_id ASC LIMIT 10`,
  conversion_rate_by_device: `
    WITH sessions AS (
      SELECT session_id, coalesce(min(device.type), 'unknown') AS device_type, count_if(event_type = 'purchase') > 0 AS purchased
      FROM raw GROUP BY session_id)
    SELECT device_type, count(*) AS sessions, count_if(purchased) AS purchasing_sessions,
      round(CAST(count_if(purchased) AS double) / count(*), 4) AS conversion_rate
    FROM sessions GROUP BY device_type ORDER BY device_type ASC`,
  session_length_by_device: `
    WITH sessions AS (
      SELECT session_id, coalesce(min(device.type), 'unknown') AS device_type,
        CAST(date_diff('millisecond', min(CAST("timestamp" AS TIMESTAMPTZ)), max(CAST("timestamp" AS TIMESTAMPTZ))) AS double) / 1000 AS duration_seconds
      FROM raw GROUP BY session_id)
    SELECT device_type, count(*) AS sessions, round(avg(duration_seconds), 2) AS avg_session_seconds,
      round(approx_quantile(duration_seconds, 0.5), 3) AS median_session_seconds,
      round(approx_quantile(duration_seconds, 0.9), 3) AS p90_session_seconds
    FROM sessions GROUP BY device_type ORDER BY device_type ASC`,
  average_order_value: `
    WITH orders AS (
      SELECT order_id, sum(product.price * quantity) AS order_value, sum(quantity) AS units
      FROM raw WHERE event_type = 'purchase' AND order_id IS NOT NULL GROUP BY order_id)
    SELECT count(*) AS orders, round(sum(order_value), 2) AS total_revenue, round(avg(order_value), 2) AS avg_order_value,
      round(min(order_value), 2) AS min_order_value, round(max(order_value), 2) AS max_order_value,
      round(avg(CAST(units AS double)), 2) AS avg_units_per_order
    FROM orders`,
  hourly_traffic: `
    WITH by_hour AS (
      SELECT hour(CAST("timestamp" AS TIMESTAMPTZ)) AS hour_of_day, count(*) AS events, count(DISTINCT session_id) AS sessions,
        count(DISTINCT user_id) AS users, count_if(event_type = 'purchase') AS purchase_events
      FROM raw GROUP BY 1)
    SELECT h.hour_of_day, coalesce(b.events, 0) AS events, coalesce(b.sessions, 0) AS sessions,
      coalesce(b.users, 0) AS users, coalesce(b.purchase_events, 0) AS purchase_events
    FROM range(0, 24) AS h (hour_of_day) LEFT JOIN by_hour b ON b.hour_of_day = h.hour_of_day
    ORDER BY h.hour_of_day ASC`,
  top_search_terms: `
    SELECT lower(trim(search_query)) AS search_term, count(*) AS searches, count(DISTINCT session_id) AS sessions,
      count(DISTINCT user_id) AS users
    FROM raw WHERE event_type = 'search' AND search_query IS NOT NULL AND trim(search_query) <> ''
    GROUP BY 1 ORDER BY searches DESC, search_term ASC LIMIT 20`,
  coupon_usage: `
    WITH orders AS (
      SELECT order_id, max(nullif(coupon_code, '')) AS coupon_code, sum(product.price * quantity) AS order_value
      FROM raw WHERE event_type = 'purchase' AND order_id IS NOT NULL GROUP BY order_id),
    by_status AS (
      SELECT CASE WHEN coupon_code IS NOT NULL THEN 'with_coupon' ELSE 'without_coupon' END AS coupon_status,
        count(*) AS orders, count(DISTINCT coupon_code) AS distinct_coupons, sum(order_value) AS revenue, avg(order_value) AS avg_order_value
      FROM orders GROUP BY 1)
    SELECT s.coupon_status, coalesce(b.orders, 0) AS orders,
      round(CAST(coalesce(b.orders, 0) AS double) / nullif((SELECT count(*) FROM orders), 0), 4) AS share_of_orders,
      coalesce(b.distinct_coupons, 0) AS distinct_coupons, round(coalesce(b.revenue, 0), 2) AS revenue,
      round(b.avg_order_value, 2) AS avg_order_value
    FROM (VALUES ('with_coupon'), ('without_coupon')) AS s (coupon_status)
    LEFT JOIN by_status b ON b.coupon_status = s.coupon_status ORDER BY s.coupon_status ASC`,
  revenue_by_country: `
    SELECT coalesce(geo.country, 'unknown') AS country, round(sum(product.price * quantity), 2) AS revenue,
      count(DISTINCT order_id) AS orders, count(DISTINCT user_id) AS buyers,
      round(sum(product.price * quantity) / nullif(count(DISTINCT order_id), 0), 2) AS avg_order_value
    FROM raw WHERE event_type = 'purchase' GROUP BY 1 ORDER BY revenue DESC, country ASC`,
  cart_abandonment_by_category: `
    WITH carted AS (
      SELECT DISTINCT session_id, product.id AS product_id, coalesce(product.category, 'unknown') AS category
      FROM raw WHERE event_type = 'add_to_cart' AND product.id IS NOT NULL),
    purchased AS (
      SELECT DISTINCT session_id, product.id AS product_id FROM raw WHERE event_type = 'purchase' AND product.id IS NOT NULL)
    SELECT c.category, count(*) AS carted_items, count(p.product_id) AS purchased_items,
      count(*) - count(p.product_id) AS abandoned_items,
      round(CAST(count(*) - count(p.product_id) AS double) / count(*), 4) AS abandonment_rate
    FROM carted c LEFT JOIN purchased p ON p.session_id = c.session_id AND p.product_id = c.product_id
    GROUP BY c.category ORDER BY abandonment_rate DESC, c.category ASC`,
};

/**
 * The aggregate of the one-day / full-scan and the Parquet / JSON comparisons: a few columns summed by type, so that
 * the time is reading the format, not hashing (no DISTINCT, whose cost would be the same on either format).
 */
const AGGREGATE = (table, where = "") =>
  `SELECT event_type, count(*) AS events, sum(quantity) AS units, round(sum(product.price * quantity), 2) AS revenue FROM ${table} ${where} GROUP BY event_type ORDER BY event_type`;

/** One query through the Athena API: start, poll every 10 ms (no back-off, so the wall time is not the poller's), read every page. */
async function athenaQuery(athena, sql) {
  const started = performance.now();
  const { QueryExecutionId: id } = await athena.send(
    new StartQueryExecutionCommand({ QueryString: sql, WorkGroup: WORKGROUP, QueryExecutionContext: { Database: DATABASE, Catalog: "AwsDataCatalog" } }),
  );
  let execution;
  for (;;) {
    execution = (await athena.send(new GetQueryExecutionCommand({ QueryExecutionId: id }))).QueryExecution;
    const state = execution.Status.State;
    if (state === "FAILED" || state === "CANCELLED") throw new Error(`${state}: ${execution.Status.StateChangeReason}`);
    if (state === "SUCCEEDED") break;
    await new Promise((r) => setTimeout(r, 10));
  }
  let rows = 0;
  if (execution.StatementType === "DML") {
    for await (const page of paginateGetQueryResults({ client: athena, pageSize: 1000 }, { QueryExecutionId: id })) rows += page.ResultSet?.Rows?.length ?? 0;
    rows -= 1; // the header row
  }
  return {
    seconds: (performance.now() - started) / 1000,
    engineSeconds: (execution.Statistics?.EngineExecutionTimeInMillis ?? 0) / 1000,
    scanned: execution.Statistics?.DataScannedInBytes ?? 0,
    rows,
  };
}

async function duckdbQuery(connection, sql) {
  const started = performance.now();
  const result = await connection.runAndReadAll(sql);
  return { seconds: (performance.now() - started) / 1000, rows: result.getRows().length };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Runs each of `fns` REPEAT times, taking turns; for each, the median time and the other figures of its first run. */
async function timed(...fns) {
  const runs = fns.map(() => []);
  for (let i = 0; i < REPEAT; i++) for (const [k, fn] of fns.entries()) runs[k].push(await fn());
  return runs.map((r) => ({ ...r[0], seconds: median(r.map((x) => x.seconds)), engineSeconds: median(r.map((x) => x.engineSeconds ?? 0)) }));
}

const goal = (met) => (met ? "goal met" : "goal NOT met");
const fmt = (s) => s.toFixed(3).padStart(8);

export default async function bench() {
  const dir = mkdtempSync(join(tmpdir(), "lakewarden-bench-athena-"));
  const aws = new EmbeddedAws({ stateDir: join(dir, "state") });
  const clients = createClients({ region: "us-east-1", requestHandler: aws.requestHandler(), credentials: LOCAL_CREDENTIALS });
  const duck = await DuckDBInstance.create(":memory:");
  const connection = await duck.connect();
  try {
    const { s3, glue, athena } = clients;
    const gen = join(dir, "gen");
    const generated = await generateData({ out: gen, days: DAYS, eventsPerDay: EVENTS_PER_DAY, seed: 11, startDate: START });
    await s3.send(new CreateBucketCommand({ Bucket: RAW_BUCKET }));
    await s3.send(new CreateBucketCommand({ Bucket: "bench-results" }));
    const up = await upload(s3, RAW_BUCKET, gen, "data/raw/");
    await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: DATABASE } }));
    await glue.send(
      new CreateCrawlerCommand({ Name: "bench_raw", Role: "arn:aws:iam::000000000000:role/Bench", DatabaseName: DATABASE, Targets: { S3Targets: [{ Path: `s3://${RAW_BUCKET}/data/raw/` }] } }),
    );
    const { seconds: crawlSeconds } = await crawl(glue, "bench_raw");
    await athena.send(new CreateWorkGroupCommand({ Name: WORKGROUP, Configuration: { ResultConfiguration: { OutputLocation: RESULTS } } }));
    console.log(
      `${DAYS} daily partitions, ${up.files} files, ${(up.bytes / 1e9).toFixed(3)} GB, ${generated.events} events; crawled in ${crawlSeconds.toFixed(2)} s` +
        (REPEAT > 1 ? `; times are medians of ${REPEAT} alternating runs` : ""),
    );

    await connection.run("SET autoinstall_known_extensions=false");
    await connection.run("SET TimeZone='UTC'");
    const glob = join(gen, "**", "*.json").replaceAll("'", "''");
    await connection.run(
      `CREATE VIEW raw AS SELECT * FROM read_json('${glob}', format='newline_delimited', hive_partitioning=true, ` +
        `hive_types={'year': 'VARCHAR', 'month': 'VARCHAR', 'day': 'VARCHAR'}, columns=${COLUMNS})`,
    );
    // Both sides read the files once before anything is timed, so neither pays for a cold page cache.
    await duckdbQuery(connection, "SELECT count(*) FROM raw");
    await section("warm-up", () => athenaQuery(athena, `SELECT count(*) FROM "${DATABASE}"."raw"`));
    // The fixed cost of any query through the API (start, plan, result file, polls): the floor under every figure.
    await section("floor", async () => {
      const [floor] = await timed(() => athenaQuery(athena, "SELECT 1"));
      console.log(`floor: SELECT 1 through the Athena API ${floor.seconds.toFixed(3)} s (engine ${floor.engineSeconds.toFixed(3)} s)`);
    });

    // (a) The saved queries.
    const saved = parseSavedQueries(readFileSync(join(ROOT, "sql", "athena_raw_data_queries.sql"), "utf8")).queries;
    console.log("\n(a) saved queries: lakewarden (Athena API, embedded) vs DuckDB directly, seconds");
    console.log(`  ${"query".padEnd(30)} ${"lakewarden".padStart(10)} ${"(engine)".padStart(9)} ${"DuckDB".padStart(8)} ${"ratio".padStart(6)}  rows`);
    const ratios = [];
    let lakeTotal = 0;
    let duckTotal = 0;
    for (const q of saved) {
      const duckSql = DUCKDB_QUERIES[q.name];
      if (!duckSql) throw new Error(`no DuckDB version of saved query ${q.name}`);
      let lake, direct;
      try {
        [lake, direct] = await timed(
          () => athenaQuery(athena, q.sql),
          () => duckdbQuery(connection, duckSql),
        );
      } catch (err) {
        console.log(`  ${q.name.padEnd(30)} FAILED: ${String(err.message ?? err).slice(0, 160)}`);
        continue;
      }
      const ratio = lake.seconds / direct.seconds;
      ratios.push(ratio);
      lakeTotal += lake.seconds;
      duckTotal += direct.seconds;
      const rows = lake.rows === direct.rows ? String(lake.rows) : `${lake.rows} vs ${direct.rows} (differ!)`;
      console.log(`  ${q.name.padEnd(30)} ${fmt(lake.seconds).padStart(10)} ${fmt(lake.engineSeconds).padStart(9)} ${fmt(direct.seconds)} ${ratio.toFixed(2).padStart(6)}  ${rows}`);
    }
    if (ratios.length) {
      const worst = Math.max(...ratios);
      console.log(`  ${"total".padEnd(30)} ${fmt(lakeTotal).padStart(10)} ${"".padStart(9)} ${fmt(duckTotal)} ${(lakeTotal / duckTotal).toFixed(2).padStart(6)}`);
      console.log(`  ratio lakewarden / DuckDB: total ${(lakeTotal / duckTotal).toFixed(2)}, median ${median(ratios).toFixed(2)}, worst ${worst.toFixed(2)} (goal ≤ 1.2: ${goal(worst <= 1.2)}; ${ratios.length}/${saved.length} queries ran)`);
    }

    await section("(b)", () => oneDayVsFull(athena, gen, up.bytes));
    await section("(c)", () => parquetVsJson(clients, aws.stateDir, connection));
  } finally {
    connection.closeSync();
    duck.closeSync();
    clients.destroy();
    await aws.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A part of the bench that failed prints why, and the others still run. */
async function section(name, fn) {
  try {
    return await fn();
  } catch (err) {
    console.log(`\n${name} FAILED: ${String(err?.message ?? err).slice(0, 300)}`);
  }
}

async function oneDayVsFull(athena, gen, totalBytes) {
  const day = START;
  const [y, m, d] = day.split("-");
  const dayBytes = filesUnder(join(gen, `year=${y}`, `month=${m}`, `day=${d}`)).reduce((sum, f) => sum + statSync(join(gen, `year=${y}`, `month=${m}`, `day=${d}`, f)).size, 0);
  const [full, oneDay] = await timed(
    () => athenaQuery(athena, AGGREGATE(`"${DATABASE}"."raw"`)),
    () => athenaQuery(athena, AGGREGATE(`"${DATABASE}"."raw"`, `WHERE year = '${y}' AND month = '${m}' AND day = '${d}'`)),
  );
  console.log(`\n(b) one day (${day}) vs the full scan, same aggregate`);
  console.log(`  full scan: ${full.seconds.toFixed(3)} s, DataScannedInBytes ${full.scanned} (all files: ${totalBytes}; ${goal(full.scanned === totalBytes)})`);
  console.log(`  one day:   ${oneDay.seconds.toFixed(3)} s, DataScannedInBytes ${oneDay.scanned} (that day's files: ${dayBytes}; ${goal(oneDay.scanned === dayBytes)})`);
  const dayRatio = oneDay.seconds / full.seconds;
  console.log(`  time one day / full: ${(dayRatio * 100).toFixed(2)} % (goal ≤ 5 %: ${goal(dayRatio <= 0.05)})`);
}

async function parquetVsJson({ athena, glue }, stateDir, connection) {
  const ctas = await athenaQuery(athena, `CREATE TABLE "${DATABASE}"."raw_parquet" WITH (format = 'PARQUET') AS SELECT * FROM "${DATABASE}"."raw"`);
  // For reference, DuckDB straight on the Parquet files CTAS wrote (the embedded S3 keeps objects as plain files).
  const { Table } = await glue.send(new GetTableCommand({ DatabaseName: DATABASE, Name: "raw_parquet" }));
  const [, bucket, key] = /^s3:\/\/([^/]+)\/(.*)$/.exec(Table.StorageDescriptor.Location);
  const folder = join(stateDir, "s3", bucket, ...key.split("/").filter(Boolean));
  const parquetFiles = filesUnder(folder);
  const [json, parquet, direct] = await timed(
    () => athenaQuery(athena, AGGREGATE(`"${DATABASE}"."raw"`)),
    () => athenaQuery(athena, AGGREGATE(`"${DATABASE}"."raw_parquet"`)),
    () => duckdbQuery(connection, AGGREGATE(`read_parquet('${join(folder, "**", "*").replaceAll("'", "''")}')`)),
  );
  console.log(`\n(c) Parquet (CTAS: ${ctas.seconds.toFixed(2)} s, ${parquetFiles.length} files) vs JSON, same aggregate`);
  console.log(`  JSON:    ${json.seconds.toFixed(3)} s, ${json.scanned} bytes scanned`);
  console.log(`  Parquet: ${parquet.seconds.toFixed(3)} s, ${parquet.scanned} bytes scanned (DuckDB directly on the same files: ${direct.seconds.toFixed(3)} s)`);
  const speedup = json.seconds / parquet.seconds;
  console.log(`  Parquet speed-up: ${speedup.toFixed(1)}× (goal ≥ 10×: ${goal(speedup >= 10)})`);
}
