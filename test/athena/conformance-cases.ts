/**
 * Athena (Trino) SQL conformance cases: each a query and what Athena engine v3 / Trino returns, as rendered text.
 * Expectations come from the Trino documentation's examples (functions/*.html) and Trino's documented semantics,
 * never from DuckDB's output. `null` is SQL NULL.
 */

export interface ResultCase {
  name: string;
  sql: string;
  rows: (string | null)[][];
  /** Trino type names of the result columns (ColumnInfo.Type), where the case checks them. */
  types?: string[];
  /** Result column names, where the case checks them. */
  columns?: string[];
  /** The rows may come in any order (compared sorted). */
  unordered?: boolean;
}

export interface ErrorCase {
  name: string;
  sql: string;
  /** Athena's error name and message (`NAME: line L:C: message`). */
  error: string | RegExp;
}

export type ConformanceCase = ResultCase | ErrorCase;

const T = (a: string, b: string) => `(VALUES ${a}) AS ${b}`;

export const CASES: ConformanceCase[] = [
  // ── arithmetic: integer division truncates, modulo keeps the dividend's sign ─────────────────────────────
  { name: "integer division truncates", sql: "SELECT 7 / 2, -7 / 2, 7 / -2", rows: [["3", "-3", "-3"]], types: ["integer", "integer", "integer"] },
  { name: "modulo", sql: "SELECT 7 % 3, -7 % 3, mod(7, -3)", rows: [["1", "-1", "1"]] },
  { name: "bigint division", sql: "SELECT BIGINT '9000000000' / 7", rows: [["1285714285"]], types: ["bigint"] },
  { name: "double division", sql: "SELECT 7.0E0 / 2, 1.0E0 / 0, -1.0E0 / 0, 0.0E0 / 0", rows: [["3.5", "Infinity", "-Infinity", "NaN"]], types: ["double", "double", "double", "double"] },
  { name: "decimal division keeps the scale", sql: "SELECT 7.0 / 2, 1.0 / 3", rows: [["3.5", "0.3"]], types: ["decimal", "decimal"] },
  { name: "division inside expressions", sql: "SELECT 1 + 7 / 2 * 2, (10 - 4) / 4, 100 * 3 / 7", rows: [["7", "1", "42"]] },
  { name: "division of columns", sql: `SELECT a / b FROM ${T("(7, 2), (9, 3), (-5, 2)", "t(a, b)")}`, rows: [["3"], ["3"], ["-2"]] },
  { name: "double to integer rounds half away from zero", sql: "SELECT CAST(2.5E0 AS integer), CAST(-2.5E0 AS integer), CAST(2.4E0 AS bigint)", rows: [["3", "-3", "2"]] },
  { name: "double literal and exponent", sql: "SELECT 1E3, 2.5E-3, 1.5e10", rows: [["1000.0", "0.0025", "1.5E10"]], types: ["double", "double", "double"] },
  // ── casts ──────────────────────────────────────────────────────────────────────────────────────────────────
  { name: "cast varchar to numbers", sql: "SELECT CAST('12' AS integer), CAST('12.5' AS double), CAST('1.50' AS decimal(5,2))", rows: [["12", "12.5", "1.50"]], types: ["integer", "double", "decimal"] },
  { name: "try_cast of a bad value is null", sql: "SELECT TRY_CAST('abc' AS integer), TRY_CAST('2020-13-45' AS date), TRY_CAST('7' AS bigint)", rows: [[null, null, "7"]] },
  { name: "cast doubles to varchar like Java", sql: "SELECT CAST(1.0E7 AS varchar), CAST(3.5E0 AS varchar), CAST(1.0E0 AS varchar), CAST(0.00012 AS double), CAST(CAST(1.5E-5 AS double) AS varchar), CAST(123456789.125E0 AS varchar)", rows: [["1.0E7", "3.5", "1.0", "1.2E-4", "1.5E-5", "1.23456789125E8"]] },
  { name: "cast timestamps and dates to varchar", sql: "SELECT CAST(TIMESTAMP '2020-01-01 10:00:00' AS varchar), CAST(DATE '2020-01-02' AS varchar), CAST(true AS varchar), CAST(42 AS varchar)", rows: [["2020-01-01 10:00:00.000", "2020-01-02", "true", "42"]] },
  { name: "cast varchar to date and timestamp", sql: "SELECT CAST('2020-05-11' AS date), CAST('2020-05-11 11:15:05' AS timestamp)", rows: [["2020-05-11", "2020-05-11 11:15:05.000"]], types: ["date", "timestamp"] },
  { name: "cast to array and row types", sql: "SELECT CAST(ARRAY[1, 2] AS array(varchar)), CAST(ROW(1, 'x') AS ROW(a bigint, b varchar))", rows: [["[1, 2]", "{a=1, b=x}"]], types: ["array", "row"] },
  { name: "typed literals", sql: "SELECT DATE '2001-08-22', TIMESTAMP '2001-08-22 03:04:05.321', DECIMAL '1.50', DOUBLE '2.5', REAL '1.5'", rows: [["2001-08-22", "2001-08-22 03:04:05.321", "1.50", "2.5", "1.5"]], types: ["date", "timestamp", "decimal", "double", "real"] },
  // ── NULL ───────────────────────────────────────────────────────────────────────────────────────────────────
  { name: "null in comparisons", sql: "SELECT NULL = NULL, NULL <> 1, NULL IS NULL, 1 IS DISTINCT FROM NULL, NULL IS NOT DISTINCT FROM NULL", rows: [[null, null, "true", "true", "true"]] },
  { name: "coalesce and nullif", sql: "SELECT coalesce(NULL, 2, 3), nullif(1, 1), nullif(1, 2), coalesce(NULL, NULL)", rows: [["2", null, "1", null]] },
  { name: "count(x) skips nulls, count(*) does not", sql: `SELECT count(*), count(x), count(DISTINCT x), sum(x), avg(x) FROM ${T("(1), (NULL), (3), (3)", "t(x)")}`, rows: [["4", "3", "2", "7", "2.3333333333333335"]], types: ["bigint", "bigint", "bigint", "bigint", "double"] },
  { name: "null in IN lists and boolean logic", sql: "SELECT 1 IN (1, NULL), 2 IN (1, NULL), NULL AND false, NULL OR true", rows: [["true", null, "false", "true"]] },
  { name: "aggregates over no rows", sql: `SELECT count(*), sum(x), max(x) FROM ${T("(1)", "t(x)")} WHERE x > 5`, rows: [["0", null, null]] },
  // ── date and time ──────────────────────────────────────────────────────────────────────────────────────────
  { name: "date_parse with MySQL specifiers", sql: "SELECT date_parse('2022/10/20/05', '%Y/%m/%d/%H'), date_parse('2020-05-11 11:15:05', '%Y-%m-%d %H:%i:%s')", rows: [["2022-10-20 05:00:00.000", "2020-05-11 11:15:05.000"]], types: ["timestamp", "timestamp"] },
  { name: "date_parse with %T, %f and %p", sql: "SELECT date_parse('2020-01-02 13:14:15', '%Y-%m-%d %T'), date_parse('2020-01-02 10:11:12.345', '%Y-%m-%d %H:%i:%s.%f'), date_parse('01/02/2020 01:30 PM', '%m/%d/%Y %h:%i %p')", rows: [["2020-01-02 13:14:15.000", "2020-01-02 10:11:12.345", "2020-01-02 13:30:00.000"]] },
  { name: "date_format", sql: "SELECT date_format(TIMESTAMP '2022-10-20 05:10:00', '%m-%d-%Y %H'), date_format(TIMESTAMP '2020-01-02 13:04:05', '%Y%m%d %k:%i:%s %p %W %b')", rows: [["10-20-2022 05", "20200102 13:04:05 PM Thursday Jan"]] },
  { name: "format_datetime with Joda patterns", sql: "SELECT format_datetime(TIMESTAMP '2020-01-02 03:04:05.678', 'yyyy-MM-dd HH:mm:ss.SSS'), format_datetime(DATE '2020-01-02', 'EEEE, MMMM d yyyy')", rows: [["2020-01-02 03:04:05.678", "Thursday, January 2 2020"]] },
  { name: "parse_datetime", sql: "SELECT parse_datetime('2020-01-02 03:04', 'yyyy-MM-dd HH:mm')", rows: [["2020-01-02 03:04:00.000 UTC"]], types: ["timestamp with time zone"] },
  { name: "from_iso8601_timestamp", sql: "SELECT from_iso8601_timestamp('2020-05-11T11:15:05Z'), from_iso8601_timestamp('2020-05-11T11:15:05.055Z'), from_iso8601_timestamp('2020-05-11')", rows: [["2020-05-11 11:15:05.000 UTC", "2020-05-11 11:15:05.055 UTC", "2020-05-11 00:00:00.000 UTC"]], types: ["timestamp with time zone", "timestamp with time zone", "timestamp with time zone"] },
  { name: "from_iso8601_timestamp with an offset is the same instant", sql: "SELECT to_unixtime(from_iso8601_timestamp('2020-05-11T11:15:05+01:00')), from_iso8601_timestamp('2020-05-11T11:15:05+01:00') = from_iso8601_timestamp('2020-05-11T10:15:05Z')", rows: [["1.589192105E9", "true"]] },
  { name: "from_iso8601_date and date()", sql: "SELECT from_iso8601_date('2020-05-11'), date(from_iso8601_timestamp('2020-05-11T23:59:59Z')), date('2021-03-04')", rows: [["2020-05-11", "2020-05-11", "2021-03-04"]], types: ["date", "date", "date"] },
  { name: "date_trunc", sql: "SELECT date_trunc('second', TIMESTAMP '2001-08-22 03:04:05.321'), date_trunc('hour', TIMESTAMP '2001-08-22 03:04:05.321'), date_trunc('week', TIMESTAMP '2001-08-22 03:04:05.321'), date_trunc('quarter', TIMESTAMP '2001-08-22 03:04:05.321'), date_trunc('month', DATE '2001-08-22'), date_trunc('year', DATE '2001-08-22')", rows: [["2001-08-22 03:04:05.000", "2001-08-22 03:00:00.000", "2001-08-20 00:00:00.000", "2001-07-01 00:00:00.000", "2001-08-01", "2001-01-01"]], types: ["timestamp", "timestamp", "timestamp", "timestamp", "date", "date"] },
  { name: "date_add", sql: "SELECT date_add('second', 86, TIMESTAMP '2020-03-01 00:00:00'), date_add('hour', 9, TIMESTAMP '2020-03-01 00:00:00'), date_add('day', -1, DATE '2020-03-01'), date_add('month', 1, DATE '2020-01-31'), date_add('year', 1, TIMESTAMP '2020-02-29 12:00:00')", rows: [["2020-03-01 00:01:26.000", "2020-03-01 09:00:00.000", "2020-02-29", "2020-02-29", "2021-02-28 12:00:00.000"]], types: ["timestamp", "timestamp", "date", "date", "timestamp"] },
  { name: "date_diff counts whole units", sql: "SELECT date_diff('second', TIMESTAMP '2020-03-01 00:00:00', TIMESTAMP '2020-03-02 00:00:00'), date_diff('hour', TIMESTAMP '2020-03-01 00:00:00', TIMESTAMP '2020-03-02 00:00:00'), date_diff('day', DATE '2020-03-01', DATE '2020-03-02'), date_diff('day', TIMESTAMP '2022-05-01 23:45:09', TIMESTAMP '2022-05-02 03:56:31'), date_diff('month', DATE '2020-01-15', DATE '2020-03-14')", rows: [["86400", "24", "1", "0", "1"]], types: ["bigint", "bigint", "bigint", "bigint", "bigint"] },
  { name: "unix time", sql: "SELECT to_unixtime(TIMESTAMP '2020-01-01 00:00:01.5'), from_unixtime(1700000000), from_unixtime(0)", rows: [["1.5778368015E9", "2023-11-14 22:13:20.000 UTC", "1970-01-01 00:00:00.000 UTC"]], types: ["double", "timestamp with time zone", "timestamp with time zone"] },
  { name: "fields of a timestamp", sql: "SELECT year(TIMESTAMP '2020-01-06 10:11:12'), month(DATE '2020-01-06'), day(DATE '2020-01-06'), hour(TIMESTAMP '2020-01-06 10:11:12'), minute(TIMESTAMP '2020-01-06 10:11:12'), second(TIMESTAMP '2020-01-06 10:11:12'), quarter(DATE '2020-05-06'), day_of_year(DATE '2020-02-01')", rows: [["2020", "1", "6", "10", "11", "12", "2", "32"]] },
  { name: "day_of_week is ISO (Monday = 1)", sql: "SELECT day_of_week(DATE '2020-01-06'), dow(DATE '2020-01-05'), extract(dow FROM DATE '2020-01-05'), extract(year FROM DATE '2020-01-05'), week(DATE '2020-01-05')", rows: [["1", "7", "7", "2020", "1"]] },
  { name: "at_timezone and AT TIME ZONE give the wall clock there", sql: "SELECT hour(at_timezone(TIMESTAMP '2020-01-01 12:00:00 UTC', 'America/New_York')), hour(from_unixtime(0) AT TIME ZONE 'Asia/Tokyo'), date(from_iso8601_timestamp('2020-01-01T03:00:00Z') AT TIME ZONE 'America/Los_Angeles')", rows: [["7", "9", "2019-12-31"]] },
  { name: "timestamp literals with a zone", sql: "SELECT TIMESTAMP '2020-01-01 12:00:00 UTC', to_unixtime(TIMESTAMP '2020-01-01 12:00:00 +01:00'), TIMESTAMP '2020-01-01 12:00:00'", rows: [["2020-01-01 12:00:00.000 UTC", "1.5778764E9", "2020-01-01 12:00:00.000"]], types: ["timestamp with time zone", "double", "timestamp"] },
  { name: "interval arithmetic", sql: "SELECT TIMESTAMP '1970-01-01 00:00:00' + INTERVAL '1' SECOND, DATE '2020-01-31' + INTERVAL '1' MONTH, TIMESTAMP '2020-01-01 00:00:00' - INTERVAL '2' HOUR", rows: [["1970-01-01 00:00:01.000", "2020-02-29", "2019-12-31 22:00:00.000"]], types: ["timestamp", "date", "timestamp"] },
  { name: "interval values", sql: "SELECT INTERVAL '1' SECOND + INTERVAL '1' HOUR, TIMESTAMP '2020-01-02 00:00:00' - TIMESTAMP '2020-01-01 12:00:00'", rows: [["0 01:00:01.000", "0 12:00:00.000"]] },
  { name: "current_date is a date", sql: "SELECT current_date = CAST(now() AS date), typeof_check FROM (SELECT 1 AS typeof_check)", rows: [["true", "1"]] },
  // ── aggregates ─────────────────────────────────────────────────────────────────────────────────────────────
  { name: "approx_distinct", sql: `SELECT approx_distinct(x) FROM ${T("(1), (2), (2), (3), (NULL)", "t(x)")}`, rows: [["3"]], types: ["bigint"] },
  { name: "approx_percentile scalar and array", sql: `SELECT approx_percentile(x, 0.5), approx_percentile(x, ARRAY[0.25, 0.75]) FROM ${T("(1), (2), (3), (4), (5)", "t(x)")}`, rows: [["3", "[2, 4]"]], types: ["bigint", "array"] },
  { name: "arbitrary, count_if, max_by, min_by", sql: `SELECT arbitrary(g), count_if(score > 1), max_by(name, score), min_by(name, score) FROM ${T("('a', 'x', 1), ('a', 'y', 3), ('a', 'z', 2)", "t(g, name, score)")}`, rows: [["a", "2", "y", "x"]] },
  { name: "map_agg keeps one value per key", sql: `SELECT element_at(map_agg(k, v), 'b'), cardinality(map_keys(map_agg(k, v))) FROM ${T("('a', 1), ('b', 2)", "t(k, v)")}`, rows: [["2", "2"]] },
  { name: "array_agg keeps nulls and order", sql: `SELECT array_agg(x ORDER BY x DESC) FROM ${T("(1), (3), (2)", "t(x)")}`, rows: [["[3, 2, 1]"]], types: ["array"] },
  { name: "sum of integers is bigint, of decimals decimal(38)", sql: `SELECT sum(x), sum(d) FROM ${T("(1, 1.50), (2, 2.25)", "t(x, d)")}`, rows: [["3", "3.75"]], types: ["bigint", "decimal"] },
  { name: "bool_and, bool_or, every", sql: `SELECT bool_and(b), bool_or(b), every(b) FROM ${T("(true), (false)", "t(b)")}`, rows: [["false", "true", "false"]] },
  { name: "stddev and variance", sql: `SELECT stddev(x), variance(x), stddev_pop(x) FROM ${T("(2.0E0), (4.0E0), (4.0E0), (4.0E0), (5.0E0), (5.0E0), (7.0E0), (9.0E0)", "t(x)")}`, rows: [["2.138089935299395", "4.571428571428571", "2.0"]] },
  { name: "histogram", sql: `SELECT element_at(histogram(x), 'a') FROM ${T("('a'), ('b'), ('a')", "t(x)")}`, rows: [["2"]] },
  // ── JSON ───────────────────────────────────────────────────────────────────────────────────────────────────
  { name: "json_extract_scalar", sql: `SELECT json_extract_scalar('[1, 2, 3]', '$[2]'), json_extract_scalar('{"a": {"b": "x"}}', '$.a.b'), json_extract_scalar('{"a": {"b": 1}}', '$.a'), json_extract_scalar('{"a": true}', '$.a'), json_extract_scalar('{"a": 1}', '$.missing')`, rows: [["3", "x", null, "true", null]], types: ["varchar", "varchar", "varchar", "varchar", "varchar"] },
  { name: "json_extract_scalar with bracket keys and invalid json", sql: `SELECT json_extract_scalar('{"a b": 5}', '$["a b"]'), json_extract_scalar('not json', '$.a')`, rows: [["5", null]] },
  { name: "json_extract returns json", sql: `SELECT json_extract('{"a": [1, 2]}', '$.a'), json_extract('{"a": {"b": "x"}}', '$.a')`, rows: [["[1,2]", '{"b":"x"}']], types: ["json", "json"] },
  { name: "json_parse, json_format, json_array_length, json_size", sql: `SELECT json_format(json_parse('[1, 2, 3]')), json_array_length('[1, 2, 3]'), json_size('{"x": {"a": 1, "b": 2}}', '$.x'), json_array_get('["a", "b"]', 1), json_array_contains('[1, 2, 3]', 2)`, rows: [["[1,2,3]", "3", "2", '"b"', "true"]] },
  { name: "cast to json and back", sql: `SELECT CAST(ARRAY[1, 2] AS json), CAST(MAP(ARRAY['k'], ARRAY[1]) AS json), CAST(json_parse('"abc"') AS varchar)`, rows: [["[1,2]", '{"k":1}', "abc"]] },
  // ── regular expressions ────────────────────────────────────────────────────────────────────────────────────
  { name: "regexp_like", sql: String.raw`SELECT regexp_like('1a 2b 14m', '\d+b'), regexp_like('abc', '^b')`, rows: [["true", "false"]] },
  { name: "regexp_extract", sql: String.raw`SELECT regexp_extract('1a 2b 14m', '\d+'), regexp_extract('1a 2b 14m', '(\d+)([a-z]+)', 2), regexp_extract('abc', '\d+')`, rows: [["1", "a", null]] },
  { name: "regexp_extract_all", sql: String.raw`SELECT regexp_extract_all('1a 2b 14m', '\d+'), regexp_extract_all('1a 2b 14m', '(\d+)([a-z]+)', 2)`, rows: [["[1, 2, 14]", "[a, b, m]"]] },
  { name: "regexp_replace replaces every match, $n groups", sql: String.raw`SELECT regexp_replace('1a 2b 14m', '\d+[ab] '), regexp_replace('1a 2b 14m', '(\d+)([ab]) ', '3c$2 ')`, rows: [["14m", "3ca 3cb 14m"]] },
  { name: "regexp_count and regexp_split", sql: String.raw`SELECT regexp_count('1a 2b 14m', '\s*[a-z]+\s*'), regexp_split('1a 2b 14m', '\s*[a-z]+\s*')`, rows: [["3", "[1, 2, 14, ]"]] },
  // ── arrays and maps ────────────────────────────────────────────────────────────────────────────────────────
  { name: "element_at is 1-based, negative from the end, null out of range", sql: "SELECT element_at(ARRAY[1, 2, 3], 1), element_at(ARRAY[1, 2, 3], -1), element_at(ARRAY[1, 2, 3], 5), ARRAY[4, 5, 6][2]", rows: [["1", "3", null, "5"]] },
  { name: "element_at of a map", sql: "SELECT element_at(MAP(ARRAY['a', 'b'], ARRAY[1, 2]), 'b'), element_at(MAP(ARRAY['a'], ARRAY[1]), 'z'), MAP(ARRAY['a'], ARRAY[1])['a']", rows: [["2", null, "1"]] },
  { name: "cardinality, contains, array_position", sql: "SELECT cardinality(ARRAY[1, 2, 3]), contains(ARRAY[1, 2, 3], 2), contains(ARRAY['a'], 'b'), array_position(ARRAY[10, 20], 20), array_position(ARRAY[10, 20], 30)", rows: [["3", "true", "false", "2", "0"]] },
  { name: "array_join skips nulls unless told", sql: "SELECT array_join(ARRAY['a', NULL, 'b'], ','), array_join(ARRAY['a', NULL, 'b'], ',', 'x'), array_join(ARRAY[1, 2], '-')", rows: [["a,b", "a,x,b", "1-2"]] },
  { name: "sequence", sql: "SELECT sequence(1, 5), sequence(-1, -10, -2), sequence(5, 1), sequence(DATE '2023-04-06', DATE '2023-04-08')", rows: [["[1, 2, 3, 4, 5]", "[-1, -3, -5, -7, -9]", "[5, 4, 3, 2, 1]", "[2023-04-06, 2023-04-07, 2023-04-08]"]] },
  { name: "transform and filter with lambdas", sql: "SELECT transform(ARRAY[5, 6], x -> x + 1), transform(ARRAY[5, NULL, 6], x -> coalesce(x, 0) + 1), filter(ARRAY[5, -6, NULL, 7], x -> x > 0)", rows: [["[6, 7]", "[6, 1, 7]", "[5, 7]"]] },
  { name: "reduce", sql: "SELECT reduce(ARRAY[5, 20, 50], 0, (s, x) -> s + x, s -> s), reduce(ARRAY[5, 20, NULL, 50], 0, (s, x) -> s + x, s -> s), reduce(ARRAY[5, 20, NULL, 50], 0, (s, x) -> s + coalesce(x, 0), s -> s), reduce(ARRAY[2147483647, 1], BIGINT '0', (s, x) -> s + x, s -> s)", rows: [["75", null, "75", "2147483648"]] },
  { name: "any_match, all_match, none_match", sql: "SELECT any_match(ARRAY[1, 2], x -> x > 1), all_match(ARRAY[1, 2], x -> x > 1), none_match(ARRAY[1, 2], x -> x > 5)", rows: [["true", "false", "true"]] },
  { name: "array_distinct keeps first-seen order; sort, max, min", sql: "SELECT array_distinct(ARRAY[3, 1, 3, 2, 1]), array_sort(ARRAY[3, 1, 2]), array_max(ARRAY[3, 1, 2]), array_min(ARRAY[3, 1, 2])", rows: [["[3, 1, 2]", "[1, 2, 3]", "3", "1"]] },
  { name: "set operations on arrays", sql: "SELECT array_intersect(ARRAY[1, 2, 3], ARRAY[2, 3, 4]), array_union(ARRAY[1, 2], ARRAY[2, 3]), array_except(ARRAY[1, 2, 3], ARRAY[2]), arrays_overlap(ARRAY[1, 2], ARRAY[2, 5]), array_remove(ARRAY[1, 2, 1], 1)", rows: [["[2, 3]", "[1, 2, 3]", "[1, 3]", "true", "[2]"]] },
  { name: "slice, flatten, repeat, concat of arrays", sql: "SELECT slice(ARRAY[1, 2, 3, 4], 2, 2), slice(ARRAY[1, 2, 3, 4], -2, 2), flatten(ARRAY[ARRAY[1, 2], ARRAY[3]]), repeat('a', 3), concat(ARRAY[1], ARRAY[2, 3]), ARRAY[1] || ARRAY[2]", rows: [["[2, 3]", "[3, 4]", "[1, 2, 3]", "[a, a, a]", "[1, 2, 3]", "[1, 2]"]] },
  { name: "map_filter, transform_values, transform_keys", sql: "SELECT map_filter(MAP(ARRAY[10, 20, 30], ARRAY['a', NULL, 'c']), (k, v) -> v IS NOT NULL), transform_values(MAP(ARRAY[1, 2, 3], ARRAY[10, 20, 30]), (k, v) -> v + k), transform_keys(MAP(ARRAY['a', 'b'], ARRAY[1, 2]), (k, v) -> k || '_1')", rows: [["{10=a, 30=c}", "{1=11, 2=22, 3=33}", "{a_1=1, b_1=2}"]], types: ["map", "map", "map"] },
  { name: "zip_with", sql: "SELECT zip_with(ARRAY[1, 2], ARRAY[3, 4], (x, y) -> x + y), zip_with(ARRAY[1, 3, 5], ARRAY['a', 'b', 'c'], (x, y) -> (y, x))", rows: [["[4, 6]", "[{field0=a, field1=1}, {field0=b, field1=3}, {field0=c, field1=5}]"]] },
  { name: "maps", sql: "SELECT MAP(ARRAY['a', 'b'], ARRAY[1, 2]), map_keys(MAP(ARRAY['a', 'b'], ARRAY[1, 2])), map_values(MAP(ARRAY['a', 'b'], ARRAY[1, 2])), map_from_entries(ARRAY[ROW('x', 1)])", rows: [["{a=1, b=2}", "[a, b]", "[1, 2]", "{x=1}"]], types: ["map", "array", "array", "map"] },
  { name: "rows and field access", sql: "SELECT ROW(1, 'a'), CAST(ROW(1, 2.5E0) AS ROW(x integer, y double)).y, r.name FROM (SELECT CAST(ROW('n', 3) AS ROW(name varchar, n integer)) AS r)", rows: [["{field0=1, field1=a}", "2.5", "n"]], types: ["row", "double", "varchar"] },
  { name: "nested values render with nulls", sql: "SELECT ARRAY[1, NULL], ARRAY[ARRAY['a'], NULL], MAP(ARRAY['k'], ARRAY[CAST(NULL AS integer)])", rows: [["[1, null]", "[[a], null]", "{k=null}"]] },
  // ── strings ────────────────────────────────────────────────────────────────────────────────────────────────
  { name: "split and split_part", sql: "SELECT split('a.b.c', '.'), split_part('a.b.c', '.', 2), split_part('a.b', '.', 5), split('a,b,c', ',', 2)", rows: [["[a, b, c]", "b", null, "[a, b,c]"]] },
  { name: "concat is null when an argument is", sql: "SELECT concat('a', 'b', 'c'), concat('a', NULL), 'a' || 'b', 'a' || NULL", rows: [["abc", null, "ab", null]] },
  { name: "substr and strpos", sql: "SELECT substr('hello', 2, 3), substr('hello', -3), substring('hello', 2), strpos('high', 'ig'), strpos('high', 'x'), position('g' IN 'high')", rows: [["ell", "llo", "ello", "2", "0", "3"]] },
  { name: "lower, upper, trim, length, reverse", sql: "SELECT lower('AbC'), upper('AbC'), trim('  a  '), ltrim('  a'), rtrim('a  '), length('hello'), reverse('abc'), trim(BOTH 'x' FROM 'xxaxx')", rows: [["abc", "ABC", "a", "a", "a", "5", "cba", "a"]] },
  { name: "lpad and rpad truncate or pad", sql: "SELECT lpad('abc', 6, 'xy'), lpad('abc', 2, 'x'), rpad('ab', 5, 'xy')", rows: [["xyxabc", "ab", "abxyx"]] },
  { name: "replace, starts_with, chr, codepoint, format", sql: "SELECT replace('abcabc', 'b'), replace('abc', 'b', 'x'), starts_with('abc', 'ab'), chr(65), codepoint('A'), format('%s-%d', 'a', 3)", rows: [["acac", "axc", "true", "A", "65", "a-3"]] },
  { name: "like and escape", sql: "SELECT 'abc' LIKE 'a%', 'a_c' LIKE 'a\\_c' ESCAPE '\\', 'abc' NOT LIKE '%z%'", rows: [["true", "true", "true"]] },
  { name: "url functions", sql: "SELECT url_extract_host('https://www.example.com:8080/p/a.html?k1=v1&k2=v2#frag'), url_extract_path('https://www.example.com:8080/p/a.html?k1=v1'), url_extract_parameter('https://example.com/p?k1=v1&k2=v2', 'k2'), url_extract_query('https://example.com/p?k1=v1'), url_extract_port('https://www.example.com:8080/'), url_extract_protocol('https://example.com/')", rows: [["www.example.com", "/p/a.html", "v2", "k1=v1", "8080", "https"]] },
  // ── math and conditionals ──────────────────────────────────────────────────────────────────────────────────
  { name: "round, truncate, ceil, floor", sql: "SELECT round(2.5E0), round(-2.5E0), round(1.2345E0, 2), truncate(-1.7E0), ceil(1.2E0), floor(-1.2E0), round(2.5), ceiling(1.1E0)", rows: [["3.0", "-3.0", "1.23", "-1.0", "2.0", "-2.0", "3", "2.0"]] },
  { name: "greatest and least are null when any argument is", sql: "SELECT greatest(1, 2, 3), least(1, 2, 3), greatest(1, NULL), least('b', 'a')", rows: [["3", "1", null, "a"]] },
  { name: "if with two and three arguments", sql: "SELECT if(true, 'a', 'b'), if(false, 1), if(1 > 0, 10, 20)", rows: [["a", null, "10"]] },
  { name: "case", sql: `SELECT CASE x WHEN 1 THEN 'one' WHEN 2 THEN 'two' ELSE 'many' END, CASE WHEN x > 1 THEN 'big' END FROM ${T("(1), (2), (3)", "t(x)")}`, rows: [["one", null], ["two", "big"], ["many", "big"]] },
  { name: "math functions", sql: "SELECT abs(-3), power(2, 10), sqrt(16.0E0), ln(1.0E0), log10(1000.0E0), log2(8.0E0), sign(-2.5E0), is_nan(nan()), is_infinite(infinity())", rows: [["3", "1024.0", "4.0", "0.0", "3.0", "3.0", "-1.0", "true", "true"]] },
  { name: "width_bucket", sql: "SELECT width_bucket(5.5E0, 0.0E0, 10.0E0, 5), width_bucket(-1.0E0, 0.0E0, 10.0E0, 5), width_bucket(10.0E0, 0.0E0, 10.0E0, 5)", rows: [["3", "0", "6"]] },
  // ── UNNEST ─────────────────────────────────────────────────────────────────────────────────────────────────
  { name: "unnest an array", sql: "SELECT x FROM UNNEST(ARRAY[1, 2, 3]) AS t(x)", rows: [["1"], ["2"], ["3"]], columns: ["x"] },
  { name: "unnest with ordinality", sql: "SELECT x, n FROM UNNEST(ARRAY['a', 'b']) WITH ORDINALITY AS t(x, n)", rows: [["a", "1"], ["b", "2"]], types: ["varchar", "bigint"] },
  { name: "cross join unnest of a column", sql: `SELECT id, tag FROM ${T("(1, ARRAY['a', 'b']), (2, ARRAY['c'])", "s(id, tags)")} CROSS JOIN UNNEST(tags) AS t(tag) ORDER BY id, tag`, rows: [["1", "a"], ["1", "b"], ["2", "c"]] },
  { name: "unnest an array of rows into columns", sql: "SELECT a, b FROM UNNEST(ARRAY[ROW(1, 'x'), ROW(2, 'y')]) AS t(a, b)", rows: [["1", "x"], ["2", "y"]], columns: ["a", "b"] },
  { name: "unnest an array of rows with ordinality, from a column", sql: `SELECT id, sku, qty, n FROM (SELECT 7 AS id, ARRAY[CAST(ROW('p1', 2) AS ROW(sku varchar, qty integer)), CAST(ROW('p2', 1) AS ROW(sku varchar, qty integer))] AS items) CROSS JOIN UNNEST(items) WITH ORDINALITY AS t(sku, qty, n)`, rows: [["7", "p1", "2", "1"], ["7", "p2", "1", "2"]] },
  { name: "unnest several arrays pads with nulls", sql: "SELECT x, y FROM UNNEST(ARRAY[1, 2], ARRAY['a']) AS t(x, y)", rows: [["1", "a"], ["2", null]] },
  { name: "unnest a map", sql: "SELECT k, v FROM UNNEST(MAP(ARRAY['a', 'b'], ARRAY[1, 2])) AS t(k, v) ORDER BY k", rows: [["a", "1"], ["b", "2"]] },
  // ── query shapes ───────────────────────────────────────────────────────────────────────────────────────────
  { name: "window functions", sql: `SELECT g, x, row_number() OVER (PARTITION BY g ORDER BY x), rank() OVER (ORDER BY x), sum(x) OVER (PARTITION BY g) FROM ${T("('a', 1), ('a', 2), ('b', 2)", "t(g, x)")} ORDER BY g, x`, rows: [["a", "1", "1", "1", "3"], ["a", "2", "2", "2", "3"], ["b", "2", "1", "2", "2"]], types: ["varchar", "integer", "bigint", "bigint", "bigint"] },
  { name: "lag and lead", sql: `SELECT x, lag(x) OVER (ORDER BY x), lead(x, 1, 0) OVER (ORDER BY x) FROM ${T("(1), (2), (3)", "t(x)")} ORDER BY x`, rows: [["1", null, "2"], ["2", "1", "3"], ["3", "2", "0"]] },
  { name: "share of total with a window over ()", sql: `SELECT g, round(CAST(count(*) AS double) * 100 / sum(count(*)) OVER (), 2) FROM ${T("('a'), ('a'), ('b')", "t(g)")} GROUP BY g ORDER BY g`, rows: [["a", "66.67"], ["b", "33.33"]] },
  { name: "group by ordinal and having", sql: `SELECT g, count(*) FROM ${T("('a'), ('a'), ('b')", "t(g)")} GROUP BY 1 HAVING count(*) > 1`, rows: [["a", "2"]] },
  { name: "order by puts nulls last by default, in both directions", sql: `SELECT x FROM ${T("(2), (NULL), (1)", "t(x)")} ORDER BY x DESC`, rows: [["2"], ["1"], [null]] },
  { name: "order by nulls first", sql: `SELECT x FROM ${T("(2), (NULL), (1)", "t(x)")} ORDER BY x ASC NULLS FIRST`, rows: [[null], ["1"], ["2"]] },
  { name: "limit and offset, fetch first", sql: `SELECT x FROM ${T("(1), (2), (3), (4)", "t(x)")} ORDER BY x OFFSET 1 ROWS FETCH FIRST 2 ROWS ONLY`, rows: [["2"], ["3"]] },
  { name: "union, intersect, except", sql: "SELECT 1 UNION SELECT 1 UNION ALL SELECT 2 INTERSECT SELECT 2 EXCEPT SELECT 3", rows: [["1"], ["2"]], unordered: true },
  { name: "with (CTE)", sql: `WITH a AS (SELECT x FROM ${T("(1), (2)", "t(x)")}), b (y) AS (SELECT x * 10 FROM a) SELECT sum(y) FROM b`, rows: [["30"]] },
  { name: "values at the top level", sql: "VALUES (1, 'a'), (2, 'b')", rows: [["1", "a"], ["2", "b"]], columns: ["_col0", "_col1"] },
  { name: "unnamed columns are _colN, references keep their name", sql: `SELECT x, x + 1, count(*) OVER () AS total, T.X, 'lit' FROM ${T("(1)", "t(x)")}`, rows: [["1", "2", "1", "1", "lit"]], columns: ["x", "_col1", "total", "x", "_col4"] },
  { name: "strings, quoted identifiers and comments survive translation", sql: `SELECT 'it''s /* no */ -- comment', "Weird Col" -- date_parse(x)\nFROM (SELECT 1 AS "Weird Col") /* approx_distinct( */`, rows: [["it's /* no */ -- comment", "1"]] },
  { name: "trailing semicolon", sql: "SELECT 1 AS one;", rows: [["1"]], columns: ["one"] },
  { name: "quoted reserved word column", sql: `SELECT "timestamp" FROM (SELECT '2020-01-01T00:00:00Z' AS "timestamp")`, rows: [["2020-01-01T00:00:00Z"]] },
  { name: "left join unnest keeps rows with empty arrays", sql: `SELECT id, x FROM ${T("(1, ARRAY[10]), (2, ARRAY[])", "s(id, arr)")} LEFT JOIN UNNEST(arr) AS t(x) ON true ORDER BY id`, rows: [["1", "10"], ["2", null]] },
  { name: "aggregate FILTER, try()", sql: `SELECT count(*) FILTER (WHERE x > 1), try(1 / 0), try(CAST('x' AS integer)), max(try(x / (x - 1))) FROM ${T("(1), (2)", "t(x)")} WHERE x = 1`, rows: [["0", null, null, null]] },
  { name: "grouping sets", sql: `SELECT g, h, sum(x) FROM ${T("('a', 'p', 1), ('b', 'q', 2)", "t(g, h, x)")} GROUP BY GROUPING SETS ((g), (h), ()) ORDER BY g, h`, rows: [["a", null, "1"], ["b", null, "2"], [null, "p", "1"], [null, "q", "2"], [null, null, "3"]] },
  { name: "sequence of timestamps with an interval step", sql: "SELECT sequence(TIMESTAMP '2020-01-01 00:00:00', TIMESTAMP '2020-01-01 02:00:00', INTERVAL '1' HOUR)", rows: [["[2020-01-01 00:00:00.000, 2020-01-01 01:00:00.000, 2020-01-01 02:00:00.000]"]] },
  { name: "split_to_map and nested lambdas", sql: "SELECT split_to_map('a=1&b=2', '&', '='), transform(ARRAY[ARRAY[1, 2], ARRAY[3]], a -> transform(a, x -> x * 10))", rows: [["{a=1, b=2}", "[[10, 20], [30]]"]] },
  { name: "date_trunc keeps a zoned timestamp zoned", sql: "SELECT date_trunc('day', from_iso8601_timestamp('2020-05-11T11:15:05Z'))", rows: [["2020-05-11 00:00:00.000 UTC"]], types: ["timestamp with time zone"] },
  { name: "interval literals", sql: "SELECT INTERVAL '3' DAY, INTERVAL '1 02:03:04' DAY TO SECOND, INTERVAL '1-2' YEAR TO MONTH, INTERVAL -'5' MINUTE", rows: [["3 00:00:00.000", "1 02:03:04.000", "1-2", "-0 00:05:00.000"]] },
  { name: "listagg within group", sql: `SELECT listagg(x, ',') WITHIN GROUP (ORDER BY x) FROM ${T("('b'), ('a'), ('c')", "t(x)")}`, rows: [["a,b,c"]], columns: ["_col0"] },
  { name: "tablesample bernoulli 100 keeps every row", sql: `SELECT count(*) FROM ${T("(1), (2), (3)", "t(x)")} TABLESAMPLE BERNOULLI (100)`, rows: [["3"]] },
  { name: "is distinct from inside the select list", sql: `SELECT x IS DISTINCT FROM 1, x FROM ${T("(1), (2)", "t(x)")}`, rows: [["false", "1"], ["true", "2"]], columns: ["_col0", "x"] },
  { name: "to_iso8601 and date_format of a zoned timestamp", sql: "SELECT to_iso8601(from_iso8601_timestamp('2020-05-11T11:15:05Z')), to_iso8601(DATE '2020-05-11'), date_format(from_iso8601_timestamp('2020-05-11T11:15:05Z'), '%Y-%m-%d %H:%i')", rows: [["2020-05-11T11:15:05.000Z", "2020-05-11", "2020-05-11 11:15"]] },
  { name: "subquery in the select list and IN (subquery)", sql: `SELECT x, (SELECT max(y) FROM ${T("(5), (7)", "u(y)")}) FROM ${T("(1), (2)", "t(x)")} WHERE x IN (SELECT 2) `, rows: [["2", "7"]] },
  { name: "exists and correlated subquery", sql: `SELECT x FROM ${T("(1), (2)", "t(x)")} WHERE EXISTS (SELECT 1 FROM ${T("(2)", "u(y)")} WHERE u.y = t.x)`, rows: [["2"]] },
  { name: "joins with using", sql: `SELECT a.k, a.v, b.w FROM ${T("(1, 'x'), (2, 'y')", "a(k, v)")} JOIN ${T("(1, 'p')", "b(k, w)")} USING (k)`, rows: [["1", "x", "p"]] },
  { name: "row_number over an expression with division", sql: `SELECT x, row_number() OVER (ORDER BY x / 2 DESC, x) FROM ${T("(1), (2), (3)", "t(x)")} ORDER BY x`, rows: [["1", "3"], ["2", "1"], ["3", "2"]] },
  // ── errors ─────────────────────────────────────────────────────────────────────────────────────────────────
  { name: "unknown column", sql: "SELECT y FROM (SELECT 1 AS x)", error: "COLUMN_NOT_FOUND: line 1:8: Column 'y' cannot be resolved" },
  { name: "unknown column on a later line", sql: "SELECT x,\n  t.nope\nFROM (SELECT 1 AS x) t", error: "COLUMN_NOT_FOUND: line 2:3: Column 't.nope' cannot be resolved" },
  { name: "unknown function", sql: "SELECT foo(1)", error: "FUNCTION_NOT_FOUND: line 1:8: Function 'foo' not registered" },
  { name: "syntax error", sql: "SELECT * FROM", error: /^SYNTAX_ERROR: line 1:\d+: mismatched input '<EOF>'/ },
  { name: "syntax error in the middle", sql: "SELECT 1 FROM (SELECT 1) t WHERE", error: /^SYNTAX_ERROR: line 1:\d+: mismatched input/ },
  { name: "division by zero", sql: "SELECT 1 / 0", error: "DIVISION_BY_ZERO: Division by zero" },
  { name: "modulo by zero", sql: `SELECT x % 0 FROM ${T("(5)", "t(x)")}`, error: "DIVISION_BY_ZERO: Division by zero" },
  { name: "invalid cast", sql: "SELECT CAST('abc' AS integer)", error: "INVALID_CAST_ARGUMENT: Cannot cast 'abc' to INT" },
  { name: "type mismatch", sql: "SELECT 'a' + 1", error: /^TYPE_MISMATCH: line 1:12: Cannot apply operator: varchar(\(1\))? \+ integer/ },
  { name: "bad date_parse input", sql: "SELECT date_parse('2020-xx-01', '%Y-%m-%d')", error: /^INVALID_FUNCTION_ARGUMENT: Invalid format: "2020-xx-01"/ },
  { name: "bad unit", sql: "SELECT date_add('fortnight', 1, DATE '2020-01-01')", error: /^INVALID_FUNCTION_ARGUMENT: 'fortnight' is not a valid (DATE|Timestamp) field/ },
  { name: "unknown table", sql: "SELECT * FROM nowhere", error: /^TABLE_NOT_FOUND: line 1:15: Table '(awsdatacatalog\.\w+\.)?nowhere' does not exist/ },
  { name: "error position maps back through the translation", sql: "SELECT date_parse('2020', '%Y'),\n       approx_distinct(nope)\nFROM (SELECT 1 AS x)", error: "COLUMN_NOT_FOUND: line 2:24: Column 'nope' cannot be resolved" },
  { name: "unknown function after rewritten ones", sql: "SELECT 7 / 2, json_extract_scalar('{}', '$.a'), no_such_fn(1)", error: "FUNCTION_NOT_FOUND: line 1:49: Function 'no_such_fn' not registered" },
  { name: "backquotes are for DDL only", sql: "SELECT `x` FROM (SELECT 1 AS x)", error: "SYNTAX_ERROR: line 1:8: backquoted identifiers are not supported; use double quotes to quote identifiers" },
  { name: "unterminated string", sql: "SELECT 1,\n  'abc", error: /^SYNTAX_ERROR: line 2:3: / },
  { name: "unsupported function names itself", sql: "SELECT approx_set(1)", error: "NOT_SUPPORTED: line 1:8: Function 'approx_set' is not supported by the embedded Athena" },
];
