import { arity, fn, formatArg, renameWithArity, wrap, type Rewriter } from "./call.js";
import { jodaToDuckDbFormat, mysqlToDuckDbFormat } from "./datetime-formats.js";
import { text } from "./expressions.js";
import { TranslationError } from "./positions.js";

/** Date and time functions: MySQL and Joda formats become strftime/strptime formats, units and zones keep the meaning they have in Trino. */
export const DATETIME_FUNCTIONS: Record<string, Rewriter> = {
  // date and time
  date_parse: (call) => {
    arity(call, 2);
    return fn("strptime", [call.args[0]!, formatArg(call, 1, mysqlToDuckDbFormat)], call.at);
  },
  date_format: (call) => {
    arity(call, 2);
    return fn("strftime", [call.args[0]!, formatArg(call, 1, mysqlToDuckDbFormat)], call.at);
  },
  format_datetime: (call) => {
    arity(call, 2);
    return fn("strftime", [call.args[0]!, formatArg(call, 1, jodaToDuckDbFormat)], call.at);
  },
  parse_datetime: (call) => {
    arity(call, 2);
    return wrap("CAST(", fn("strptime", [call.args[0]!, formatArg(call, 1, jodaToDuckDbFormat)], call.at), " AS TIMESTAMPTZ)", call.at);
  },
  from_iso8601_timestamp: renameWithArity("trino_from_iso8601_timestamp", 1),
  from_iso8601_timestamp_nanos: renameWithArity("trino_from_iso8601_timestamp", 1),
  from_iso8601_date: (call) => {
    arity(call, 1);
    return wrap("CAST(", call.args[0]!, " AS DATE)", call.at);
  },
  to_iso8601: renameWithArity("trino_to_iso8601", 1),
  to_unixtime: renameWithArity("epoch", 1),
  from_unixtime: (call) => {
    arity(call, 1, 3);
    if (call.args.length === 1) return fn("to_timestamp", call.args, call.at);
    if (call.args.length === 2) return fn("trino_at_timezone", [fn("to_timestamp", [call.args[0]!], call.at), call.args[1]!], call.at);
    throw new TranslationError("NOT_SUPPORTED", "from_unixtime with hours and minutes offsets is not supported", call.at);
  },
  from_unixtime_nanos: (call) => wrap("make_timestamptz(CAST((", call.args[0]!, ") // 1000 AS BIGINT))", call.at),
  at_timezone: renameWithArity("trino_at_timezone", 2),
  with_timezone: (call) => {
    arity(call, 2);
    return fn("timezone", [call.args[1]!, call.args[0]!], call.at);
  },
  current_timezone: (call) => [text("'UTC'", call.at)],
  date: (call) => {
    arity(call, 1);
    return wrap("CAST(", call.args[0]!, " AS DATE)", call.at);
  },
  date_add: renameWithArity("trino_date_add", 3),
  date_diff: renameWithArity("trino_date_diff", 3),
  date_trunc: renameWithArity("trino_date_trunc", 2),
  day_of_week: renameWithArity("isodow", 1),
  dow: renameWithArity("isodow", 1),
  day_of_year: renameWithArity("dayofyear", 1),
  doy: renameWithArity("dayofyear", 1),
  day_of_month: renameWithArity("day", 1),
  year_of_week: renameWithArity("isoyear", 1),
  yow: renameWithArity("isoyear", 1),
  week_of_year: renameWithArity("week", 1),
  last_day_of_month: renameWithArity("last_day", 1),
  millisecond: (call) => wrap("(millisecond(", call.args[0]!, ") % 1000)", call.at),
  to_milliseconds: renameWithArity("trino_to_milliseconds", 1),
};
