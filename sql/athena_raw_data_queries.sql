-- Analyst queries over the crawled raw clickstream table "ecommerce_raw_db"."raw".
-- Dialect: Athena engine v3 (Trino). No now() or random functions, and every ORDER BY ends
-- on a unique key, so row order is well defined and LIMIT always cuts a total order.
-- Columns computed with approx_distinct / approx_percentile are estimates by design.
-- Conventions: "timestamp" is a reserved word, so it is always quoted, money is rounded
-- with round(x, 2), ratios are computed in double and rounded to 4 places.
-- The queries read raw rows as they are (no de-duplication on event_id): the processed
-- table written by the Glue ETL job is the de-duplicated view.

-- name: events_by_type
-- description: How many events of each type were recorded, by how many users and sessions (approximate distinct counts), and each type's share of all events.
SELECT
  event_type,
  count(*) AS events,
  approx_distinct(user_id) AS approx_users,
  approx_distinct(session_id) AS approx_sessions,
  round(CAST(count(*) AS double) * 100 / sum(count(*)) OVER (), 2) AS pct_of_events
FROM "ecommerce_raw_db"."raw"
GROUP BY event_type
ORDER BY events DESC, event_type ASC;

-- name: daily_active_users
-- description: Distinct active users, purchasing users, sessions and events per UTC calendar day of the event timestamp.
SELECT
  date(from_iso8601_timestamp("timestamp")) AS event_date,
  count(DISTINCT user_id) AS active_users,
  count(DISTINCT CASE WHEN event_type = 'purchase' THEN user_id END) AS purchasing_users,
  count(DISTINCT session_id) AS sessions,
  count(*) AS events
FROM "ecommerce_raw_db"."raw"
GROUP BY date(from_iso8601_timestamp("timestamp"))
ORDER BY event_date ASC;

-- name: session_funnel
-- description: Sessions reaching each step of the product_view -> add_to_cart -> checkout_start -> purchase funnel (a step counts only if every earlier step also occurred in the session), with step-to-step conversion.
WITH session_flags AS (
  SELECT
    session_id,
    count_if(event_type = 'product_view') > 0 AS viewed,
    count_if(event_type = 'add_to_cart') > 0 AS carted,
    count_if(event_type = 'checkout_start') > 0 AS checked_out,
    count_if(event_type = 'purchase') > 0 AS purchased
  FROM "ecommerce_raw_db"."raw"
  GROUP BY session_id
),
session_depth AS (
  SELECT
    session_id,
    CASE
      WHEN NOT viewed THEN 0
      WHEN NOT carted THEN 1
      WHEN NOT checked_out THEN 2
      WHEN NOT purchased THEN 3
      ELSE 4
    END AS depth
  FROM session_flags
),
stage_counts AS (
  SELECT
    s.stage_number,
    s.stage,
    count_if(d.depth >= s.stage_number) AS sessions
  FROM session_depth d
  CROSS JOIN UNNEST(ARRAY['product_view', 'add_to_cart', 'checkout_start', 'purchase'])
    WITH ORDINALITY AS s (stage, stage_number)
  GROUP BY s.stage_number, s.stage
)
SELECT
  stage_number,
  stage,
  sessions,
  round(CAST(sessions AS double) / (SELECT count(*) FROM session_flags), 4) AS rate_of_all_sessions,
  round(CAST(sessions AS double) / nullif(lag(sessions) OVER (ORDER BY stage_number), 0), 4) AS rate_from_previous_stage
FROM stage_counts
ORDER BY stage_number ASC;

-- name: top_products_by_revenue
-- description: The 10 products with the highest purchase revenue (price * quantity over purchase events), with units sold and number of orders.
SELECT
  product.id AS product_id,
  max(product.name) AS product_name,
  max(product.category) AS product_category,
  round(sum(product.price * quantity), 2) AS revenue,
  sum(quantity) AS units_sold,
  count(DISTINCT order_id) AS orders
FROM "ecommerce_raw_db"."raw"
WHERE event_type = 'purchase'
  AND product.id IS NOT NULL
GROUP BY product.id
ORDER BY revenue DESC, product_id ASC
LIMIT 10;

-- name: conversion_rate_by_device
-- description: Share of sessions that contain at least one purchase, per device type (device is constant within a session).
WITH sessions AS (
  SELECT
    session_id,
    coalesce(min(device.type), 'unknown') AS device_type,
    count_if(event_type = 'purchase') > 0 AS purchased
  FROM "ecommerce_raw_db"."raw"
  GROUP BY session_id
)
SELECT
  device_type,
  count(*) AS sessions,
  count_if(purchased) AS purchasing_sessions,
  round(CAST(count_if(purchased) AS double) / count(*), 4) AS conversion_rate
FROM sessions
GROUP BY device_type
ORDER BY device_type ASC;

-- name: session_length_by_device
-- description: Session duration in seconds (last event minus first event) per device type: average and approximate median and 90th percentile.
WITH sessions AS (
  SELECT
    session_id,
    coalesce(min(device.type), 'unknown') AS device_type,
    CAST(date_diff('millisecond',
                   min(from_iso8601_timestamp("timestamp")),
                   max(from_iso8601_timestamp("timestamp"))) AS double) / 1000 AS duration_seconds
  FROM "ecommerce_raw_db"."raw"
  GROUP BY session_id
)
SELECT
  device_type,
  count(*) AS sessions,
  round(avg(duration_seconds), 2) AS avg_session_seconds,
  round(approx_percentile(duration_seconds, 0.5), 3) AS median_session_seconds,
  round(approx_percentile(duration_seconds, 0.9), 3) AS p90_session_seconds
FROM sessions
GROUP BY device_type
ORDER BY device_type ASC;

-- name: average_order_value
-- description: Number of orders, total revenue, average order value and average units per order, where an order is all purchase events sharing an order_id.
WITH orders AS (
  SELECT
    order_id,
    sum(product.price * quantity) AS order_value,
    sum(quantity) AS units
  FROM "ecommerce_raw_db"."raw"
  WHERE event_type = 'purchase'
    AND order_id IS NOT NULL
  GROUP BY order_id
)
SELECT
  count(*) AS orders,
  round(sum(order_value), 2) AS total_revenue,
  round(avg(order_value), 2) AS avg_order_value,
  round(min(order_value), 2) AS min_order_value,
  round(max(order_value), 2) AS max_order_value,
  round(avg(CAST(units AS double)), 2) AS avg_units_per_order
FROM orders;

-- name: hourly_traffic
-- description: Events, sessions, users and purchase events per UTC hour of day (all 24 hours listed, zero when empty).
WITH by_hour AS (
  SELECT
    hour(from_iso8601_timestamp("timestamp")) AS hour_of_day,
    count(*) AS events,
    count(DISTINCT session_id) AS sessions,
    count(DISTINCT user_id) AS users,
    count_if(event_type = 'purchase') AS purchase_events
  FROM "ecommerce_raw_db"."raw"
  GROUP BY hour(from_iso8601_timestamp("timestamp"))
)
SELECT
  h.hour_of_day,
  coalesce(b.events, 0) AS events,
  coalesce(b.sessions, 0) AS sessions,
  coalesce(b.users, 0) AS users,
  coalesce(b.purchase_events, 0) AS purchase_events
FROM UNNEST(sequence(0, 23)) AS h (hour_of_day)
LEFT JOIN by_hour b ON b.hour_of_day = h.hour_of_day
ORDER BY h.hour_of_day ASC;

-- name: top_search_terms
-- description: The 20 most frequent search terms (trimmed, lower-cased), with the number of sessions and users that searched them.
SELECT
  lower(trim(search_query)) AS search_term,
  count(*) AS searches,
  count(DISTINCT session_id) AS sessions,
  count(DISTINCT user_id) AS users
FROM "ecommerce_raw_db"."raw"
WHERE event_type = 'search'
  AND search_query IS NOT NULL
  AND trim(search_query) <> ''
GROUP BY lower(trim(search_query))
ORDER BY searches DESC, search_term ASC
LIMIT 20;

-- name: coupon_usage
-- description: Orders placed with and without a coupon: order count, share of orders, revenue and average order value (values are before any discount, which the events do not record).
WITH orders AS (
  SELECT
    order_id,
    max(nullif(coupon_code, '')) AS coupon_code,
    sum(product.price * quantity) AS order_value
  FROM "ecommerce_raw_db"."raw"
  WHERE event_type = 'purchase'
    AND order_id IS NOT NULL
  GROUP BY order_id
),
by_status AS (
  SELECT
    CASE WHEN coupon_code IS NOT NULL THEN 'with_coupon' ELSE 'without_coupon' END AS coupon_status,
    count(*) AS orders,
    count(DISTINCT coupon_code) AS distinct_coupons,
    sum(order_value) AS revenue,
    avg(order_value) AS avg_order_value
  FROM orders
  GROUP BY CASE WHEN coupon_code IS NOT NULL THEN 'with_coupon' ELSE 'without_coupon' END
)
SELECT
  s.coupon_status,
  coalesce(b.orders, 0) AS orders,
  round(CAST(coalesce(b.orders, 0) AS double) / nullif((SELECT count(*) FROM orders), 0), 4) AS share_of_orders,
  coalesce(b.distinct_coupons, 0) AS distinct_coupons,
  round(coalesce(b.revenue, 0), 2) AS revenue,
  round(b.avg_order_value, 2) AS avg_order_value
FROM (VALUES ('with_coupon'), ('without_coupon')) AS s (coupon_status)
LEFT JOIN by_status b ON b.coupon_status = s.coupon_status
ORDER BY s.coupon_status ASC;

-- name: revenue_by_country
-- description: Purchase revenue, orders, buyers and average order value per country, highest revenue first.
SELECT
  coalesce(geo.country, 'unknown') AS country,
  round(sum(product.price * quantity), 2) AS revenue,
  count(DISTINCT order_id) AS orders,
  count(DISTINCT user_id) AS buyers,
  round(sum(product.price * quantity) / nullif(count(DISTINCT order_id), 0), 2) AS avg_order_value
FROM "ecommerce_raw_db"."raw"
WHERE event_type = 'purchase'
GROUP BY coalesce(geo.country, 'unknown')
ORDER BY revenue DESC, country ASC;

-- name: cart_abandonment_by_category
-- description: Per product category, the (session, product) pairs added to cart, how many were purchased in the same session, and the share abandoned.
WITH carted AS (
  SELECT DISTINCT
    session_id,
    product.id AS product_id,
    coalesce(product.category, 'unknown') AS category
  FROM "ecommerce_raw_db"."raw"
  WHERE event_type = 'add_to_cart'
    AND product.id IS NOT NULL
),
purchased AS (
  SELECT DISTINCT
    session_id,
    product.id AS product_id
  FROM "ecommerce_raw_db"."raw"
  WHERE event_type = 'purchase'
    AND product.id IS NOT NULL
)
SELECT
  c.category,
  count(*) AS carted_items,
  count(p.product_id) AS purchased_items,
  count(*) - count(p.product_id) AS abandoned_items,
  round(CAST(count(*) - count(p.product_id) AS double) / count(*), 4) AS abandonment_rate
FROM carted c
LEFT JOIN purchased p
  ON p.session_id = c.session_id
 AND p.product_id = c.product_id
GROUP BY c.category
ORDER BY abandonment_rate DESC, c.category ASC;
