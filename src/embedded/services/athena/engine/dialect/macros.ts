/**
 * DuckDB macros for Trino functions that DuckDB lacks or that behave differently under the same name. The
 * translation (functions.ts) calls them by their `trino_` names, so DuckDB's own functions keep their meaning.
 * Macros are expanded when a query is bound: `typeof(x)` and `cast_to_type(v, x)` pick the behaviour for x's type.
 */

const EXACT_NUMERIC = `('TINYINT','SMALLINT','INTEGER','BIGINT','HUGEINT','UTINYINT','USMALLINT','UINTEGER','UBIGINT','UHUGEINT')`;
/**
 * Raises a Trino error from inside a macro. DuckDB's error() is volatile, which TRY() refuses; a failing cast of
 * the message is not, and athenaError recognises the message (`Could not convert string '<message>'`).
 */
const RAISE = (message: string, type = "INTEGER") => `CAST(${message} AS ${type})`;

const IS_EXACT = (x: string) => `(typeof(${x}) IN ${EXACT_NUMERIC} OR typeof(${x}) LIKE 'DECIMAL%')`;

/** Java's Double.toString for a DOUBLE, from DuckDB's shortest round-trip text (`1e+20`, `10000000.0`, `1.5e-05`). */
const JAVA_DOUBLE_TEXT = `
CREATE OR REPLACE TEMP MACRO trino_sci_text(s) AS (
  CASE WHEN s LIKE '%e%' THEN
    (CASE WHEN split_part(s, 'e', 1) LIKE '%.%' THEN split_part(s, 'e', 1) ELSE split_part(s, 'e', 1) || '.0' END)
    || 'E' || CAST(CAST(split_part(s, 'e', 2) AS INTEGER) AS VARCHAR)
  WHEN split_part(s, '.', 1) <> '0' THEN
    left(split_part(s, '.', 1), 1) || '.'
    || coalesce(nullif(rtrim(substr(split_part(s, '.', 1), 2) || split_part(s, '.', 2), '0'), ''), '0')
    || 'E' || CAST(length(split_part(s, '.', 1)) - 1 AS VARCHAR)
  ELSE
    left(ltrim(split_part(s, '.', 2), '0'), 1) || '.'
    || coalesce(nullif(rtrim(substr(ltrim(split_part(s, '.', 2), '0'), 2), '0'), ''), '0')
    || 'E-' || CAST(length(split_part(s, '.', 2)) - length(ltrim(split_part(s, '.', 2), '0')) + 1 AS VARCHAR)
  END);
CREATE OR REPLACE TEMP MACRO trino_double_text(d) AS (
  CASE
    WHEN d IS NULL THEN NULL
    WHEN isnan(d) THEN 'NaN'
    WHEN isinf(d) THEN CASE WHEN d > 0 THEN 'Infinity' ELSE '-Infinity' END
    WHEN d = 0 THEN CASE WHEN CAST(d AS VARCHAR) LIKE '-%' THEN '-0.0' ELSE '0.0' END
    WHEN abs(d) >= 0.001 AND abs(d) < 10000000 THEN
      CASE WHEN CAST(d AS VARCHAR) LIKE '%.%' THEN CAST(d AS VARCHAR) ELSE CAST(d AS VARCHAR) || '.0' END
    ELSE CASE WHEN d < 0 THEN '-' ELSE '' END || trino_sci_text(CAST(abs(d) AS VARCHAR))
  END);
`;

const MACROS = `
CREATE OR REPLACE TEMP MACRO trino_divide(a, b) AS (
  CASE
    WHEN ${IS_EXACT("a")} AND ${IS_EXACT("b")} AND (b) = 0 THEN cast_to_type(${RAISE("'Division by zero'")}, (a) + (b))
    WHEN typeof(a) IN ${EXACT_NUMERIC} AND typeof(b) IN ${EXACT_NUMERIC} THEN cast_to_type((a) // (b), (a) + (b))
    ELSE cast_to_type((a) / (b), (a) + (b))
  END);
CREATE OR REPLACE TEMP MACRO trino_modulo(a, b) AS (
  CASE WHEN ${IS_EXACT("a")} AND ${IS_EXACT("b")} AND (b) = 0 THEN cast_to_type(${RAISE("'Division by zero'")}, (a) % (b)) ELSE (a) % (b) END);
${JAVA_DOUBLE_TEXT}
CREATE OR REPLACE TEMP MACRO trino_varchar(x) AS (
  CASE typeof(x)
    WHEN 'DOUBLE' THEN trino_double_text(TRY_CAST(CAST(x AS VARCHAR) AS DOUBLE))
    WHEN 'FLOAT' THEN trino_double_text(TRY_CAST(CAST(x AS VARCHAR) AS DOUBLE))
    WHEN 'TIMESTAMP' THEN strftime(TRY_CAST(CAST(x AS VARCHAR) AS TIMESTAMP), '%Y-%m-%d %H:%M:%S.%g')
    WHEN 'TIMESTAMP WITH TIME ZONE' THEN strftime(TRY_CAST(CAST(x AS VARCHAR) AS TIMESTAMPTZ), '%Y-%m-%d %H:%M:%S.%g UTC')
    WHEN 'JSON' THEN json_extract_string(CAST(x AS VARCHAR), '$')
    ELSE CAST(x AS VARCHAR)
  END);
CREATE OR REPLACE TEMP MACRO trino_try_varchar(x) AS trino_varchar(x);
CREATE OR REPLACE TEMP MACRO trino_cast_integral(x, t) AS (
  CASE WHEN typeof(x) IN ('DOUBLE', 'FLOAT') THEN cast_to_type(round(CAST(x AS DOUBLE)), t) ELSE cast_to_type(x, t) END);
CREATE OR REPLACE TEMP MACRO trino_try_cast_integral(x, t) AS (try(trino_cast_integral(x, t)));
CREATE OR REPLACE TEMP MACRO trino_widen_integral(x) AS (
  CASE WHEN typeof(x) IN ('TINYINT', 'SMALLINT', 'INTEGER') THEN cast_to_type(x, CAST(NULL AS BIGINT)) ELSE x END);
CREATE OR REPLACE TEMP MACRO trino_to_json(x) AS (
  CASE WHEN typeof(x) = 'JSON' THEN CAST(x AS JSON) ELSE to_json(x) END);

CREATE OR REPLACE TEMP MACRO trino_map_agg(k, v) AS (
  map_from_entries(list_filter(
    list(struct_pack(k := k, v := v)) FILTER (WHERE k IS NOT NULL),
    (lw_e__, lw_i__) -> list_position(list_transform(list(struct_pack(k := k, v := v)) FILTER (WHERE k IS NOT NULL), lw_x__ -> lw_x__.k), lw_e__.k) = lw_i__)));

CREATE OR REPLACE TEMP MACRO trino_json_extract_scalar(j, p) AS (
  CASE WHEN NOT json_valid(j) THEN NULL
       WHEN json_type(j, p) IN ('OBJECT', 'ARRAY') THEN NULL
       ELSE json_extract_string(j, p) END);
CREATE OR REPLACE TEMP MACRO trino_json_size(j, p) AS (
  CASE json_type(j, p) WHEN 'OBJECT' THEN len(json_keys(j, p)) WHEN 'ARRAY' THEN json_array_length(j, p) ELSE 0 END);
CREATE OR REPLACE TEMP MACRO trino_json_array_get(j, i) AS (
  CASE WHEN json_type(j) = 'ARRAY' THEN
    json_extract(j, '$[' || CASE WHEN (i) < 0 THEN '#' || CAST(i AS VARCHAR) ELSE CAST(i AS VARCHAR) END || ']') END);
CREATE OR REPLACE TEMP MACRO trino_json_array_contains(j, v) AS (
  CASE WHEN json_type(j) = 'ARRAY' THEN
    list_contains(list_transform(json_extract(j, '$[*]'), lw_e__ -> CAST(lw_e__ AS VARCHAR)), CAST(to_json(v) AS VARCHAR)) END);
CREATE OR REPLACE TEMP MACRO trino_is_json_scalar(j) AS (json_type(j) NOT IN ('OBJECT', 'ARRAY'));

CREATE OR REPLACE TEMP MACRO trino_regexp_extract(s, p) AS (
  CASE WHEN regexp_matches(s, p) THEN regexp_extract(s, p) END);
CREATE OR REPLACE TEMP MACRO trino_regexp_extract_group(s, p, g) AS (
  CASE WHEN regexp_matches(s, p) THEN regexp_extract(s, p, g) END);
CREATE OR REPLACE TEMP MACRO trino_regexp_replace(s, p, r) AS (
  regexp_replace(s, p, regexp_replace(r, '\\$(\\d)', '\\\\\\1', 'g'), 'g'));
CREATE OR REPLACE TEMP MACRO trino_regexp_count(s, p) AS (len(regexp_extract_all(s, p)));

CREATE OR REPLACE TEMP MACRO trino_array_join(a, sep) AS (
  array_to_string(list_transform(list_filter(a, lw_e__ -> lw_e__ IS NOT NULL), lw_e__ -> trino_varchar(lw_e__)), sep));
CREATE OR REPLACE TEMP MACRO trino_array_join_replace(a, sep, r) AS (
  array_to_string(list_transform(a, lw_e__ -> coalesce(trino_varchar(lw_e__), r)), sep));
CREATE OR REPLACE TEMP MACRO trino_sequence(a, b) AS (
  generate_series(a, b, CASE WHEN (a) <= (b) THEN 1 ELSE -1 END));
CREATE OR REPLACE TEMP MACRO trino_sequence_step(a, b, s) AS (cast_to_type(generate_series(a, b, s), [a]));
CREATE OR REPLACE TEMP MACRO trino_sequence_days(a, b) AS (
  cast_to_type(generate_series(a, b, CASE WHEN (a) <= (b) THEN INTERVAL '1' DAY ELSE INTERVAL '-1' DAY END), [a]));
CREATE OR REPLACE TEMP MACRO trino_array_distinct(a) AS (
  list_filter(a, (lw_e__, lw_i__) -> list_position(a, lw_e__) = lw_i__));
CREATE OR REPLACE TEMP MACRO trino_array_position(a, x) AS (coalesce(list_position(a, x), 0));
CREATE OR REPLACE TEMP MACRO trino_array_remove(a, x) AS (list_filter(a, lw_e__ -> lw_e__ IS DISTINCT FROM x));
CREATE OR REPLACE TEMP MACRO trino_array_intersect(a, b) AS (
  list_filter(trino_array_distinct(a), lw_e__ -> list_contains(b, lw_e__)));
CREATE OR REPLACE TEMP MACRO trino_array_union(a, b) AS (trino_array_distinct(list_concat(a, b)));
CREATE OR REPLACE TEMP MACRO trino_array_except(a, b) AS (
  list_filter(trino_array_distinct(a), lw_e__ -> NOT list_contains(b, lw_e__)));
CREATE OR REPLACE TEMP MACRO trino_slice(a, s, n) AS (
  CASE WHEN (s) > 0 THEN list_slice(a, s, (s) + (n) - 1) ELSE list_slice(a, len(a) + (s) + 1, len(a) + (s) + (n)) END);
CREATE OR REPLACE TEMP MACRO trino_repeat(x, n) AS (list_transform(generate_series(1, n), lw_i__ -> x));

CREATE OR REPLACE TEMP MACRO trino_split_limit(s, d, n) AS (
  CASE WHEN len(string_split(s, d)) <= (n) THEN string_split(s, d)
       ELSE list_concat(string_split(s, d)[1:(n) - 1], [array_to_string(string_split(s, d)[n:], d)]) END);
CREATE OR REPLACE TEMP MACRO trino_split_part(s, d, i) AS (
  CASE WHEN (i) <= len(string_split(s, d)) THEN split_part(s, d, i) END);
CREATE OR REPLACE TEMP MACRO trino_split_to_map(s, ed, kd) AS (
  map_from_entries(list_transform(string_split(s, ed),
    lw_e__ -> struct_pack(k := split_part(lw_e__, kd, 1), v := split_part(lw_e__, kd, 2)))));
CREATE OR REPLACE TEMP MACRO trino_strpos_instance(s, sub, n) AS (
  CASE WHEN len(string_split(s, sub)) > (n)
       THEN length(array_to_string(string_split(s, sub)[1:n], sub)) + 1 ELSE 0 END);
CREATE OR REPLACE TEMP MACRO trino_random_below(n) AS (cast_to_type(floor(random() * (n)), n));
CREATE OR REPLACE TEMP MACRO trino_width_bucket(x, lo, hi, n) AS (
  CASE WHEN (x) < (lo) THEN 0 WHEN (x) >= (hi) THEN (n) + 1
       ELSE CAST(floor(CAST((x) - (lo) AS DOUBLE) * (n) / ((hi) - (lo))) AS BIGINT) + 1 END);

CREATE OR REPLACE TEMP MACRO trino_from_iso8601_timestamp(s) AS (CAST(s AS TIMESTAMPTZ));
CREATE OR REPLACE TEMP MACRO trino_to_iso8601(x) AS (
  CASE typeof(x)
    WHEN 'DATE' THEN strftime(x, '%Y-%m-%d')
    WHEN 'TIMESTAMP WITH TIME ZONE' THEN strftime(x, '%Y-%m-%dT%H:%M:%S.%gZ')
    ELSE strftime(x, '%Y-%m-%dT%H:%M:%S.%g') END);
CREATE OR REPLACE TEMP MACRO trino_at_timezone(ts, z) AS (timezone(z, CAST(ts AS TIMESTAMPTZ)));
CREATE OR REPLACE TEMP MACRO trino_date_add(unit, n, x) AS (
  cast_to_type((x) + CASE lower(unit)
    WHEN 'millisecond' THEN to_milliseconds(CAST(n AS BIGINT))
    WHEN 'second' THEN to_seconds(CAST(n AS BIGINT))
    WHEN 'minute' THEN to_minutes(CAST(n AS BIGINT))
    WHEN 'hour' THEN to_hours(CAST(n AS BIGINT))
    WHEN 'day' THEN to_days(CAST(n AS INTEGER))
    WHEN 'week' THEN to_weeks(CAST(n AS INTEGER))
    WHEN 'month' THEN to_months(CAST(n AS INTEGER))
    WHEN 'quarter' THEN to_months(CAST(n AS INTEGER) * 3)
    WHEN 'year' THEN to_years(CAST(n AS INTEGER))
    ELSE ${RAISE("'''' || unit || ''' is not a valid Timestamp field'", "INTERVAL")} END, x));
CREATE OR REPLACE TEMP MACRO trino_date_diff(unit, a, b) AS (date_sub(lower(unit), a, b));
CREATE OR REPLACE TEMP MACRO trino_date_trunc(unit, x) AS (cast_to_type(date_trunc(lower(unit), x), x));
CREATE OR REPLACE TEMP MACRO trino_to_milliseconds(i) AS (CAST(round(epoch(i) * 1000) AS BIGINT));

CREATE OR REPLACE TEMP MACRO trino_url_extract_protocol(u) AS (
  CASE WHEN regexp_matches(u, '^[A-Za-z][A-Za-z0-9+.-]*:') THEN regexp_extract(u, '^([A-Za-z][A-Za-z0-9+.-]*):', 1) END);
CREATE OR REPLACE TEMP MACRO trino_url_extract_host(u) AS (
  CASE WHEN regexp_matches(u, '^[A-Za-z][A-Za-z0-9+.-]*://') THEN
    regexp_extract(u, '^[A-Za-z][A-Za-z0-9+.-]*://(?:[^@/?#]*@)?(\\[[^\\]]*\\]|[^:/?#]*)', 1) END);
CREATE OR REPLACE TEMP MACRO trino_url_extract_port(u) AS (
  TRY_CAST(nullif(regexp_extract(u, '^[A-Za-z][A-Za-z0-9+.-]*://(?:[^@/?#]*@)?(?:\\[[^\\]]*\\]|[^:/?#]*):([0-9]+)', 1), '') AS BIGINT));
CREATE OR REPLACE TEMP MACRO trino_url_extract_path(u) AS (
  regexp_extract(u, '^(?:[A-Za-z][A-Za-z0-9+.-]*:)?(?://[^/?#]*)?([^?#]*)', 1));
CREATE OR REPLACE TEMP MACRO trino_url_extract_query(u) AS (
  CASE WHEN regexp_matches(u, '^[^#]*\\?') THEN regexp_extract(u, '^[^?#]*\\?([^#]*)', 1) END);
CREATE OR REPLACE TEMP MACRO trino_url_extract_fragment(u) AS (
  CASE WHEN regexp_matches(u, '#') THEN regexp_extract(u, '#(.*)$', 1) END);
CREATE OR REPLACE TEMP MACRO trino_url_extract_parameter(u, name) AS (
  list_transform(
    list_filter(string_split(trino_url_extract_query(u), '&'), lw_e__ -> split_part(lw_e__, '=', 1) = name),
    lw_e__ -> CASE WHEN lw_e__ LIKE '%=%' THEN substr(lw_e__, length(name) + 2) ELSE '' END)[1]);

CREATE OR REPLACE TEMP MACRO trino_macros_ready() AS true;
`;

/**
 * The macros live in their own in-memory catalog, created once per DuckDB instance and shared by its connections
 * (TEMP macros would cost ~50 statements on every connection). Calls are fully qualified, so they resolve whatever
 * the connection's current catalog and schema are.
 */
export const MACRO_CATALOG = "lw_trino";
export const MACRO_PREFIX = `${MACRO_CATALOG}.main.`;

/** Every macro as one multi-statement script. */
export const MACRO_SQL = MACROS.replace(/CREATE OR REPLACE TEMP MACRO /g, "CREATE OR REPLACE MACRO ").replace(/\btrino_/g, MACRO_PREFIX + "trino_");

/** The qualified name of one of the macros above. */
export function macro(name: string): string {
  return MACRO_PREFIX + name;
}
