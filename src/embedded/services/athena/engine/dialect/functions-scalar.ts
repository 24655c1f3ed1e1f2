import { arity, fn, rename, renameWithArity, wrap, type Call, type Rewriter } from "./call.js";
import { text } from "./expressions.js";
import { TranslationError } from "./positions.js";
import { significant, type Piece } from "./tree.js";

/** random() is a double in [0, 1); random(n) an integer in [0, n). */
function randomCall(call: Call): Piece[] {
  const hasArgument = significant(call.nodes[0] ?? []).length > 0;
  return hasArgument ? fn("trino_random_below", call.args, call.at) : fn("random", [], call.at);
}

function nullIfAnyNull(name: string): Rewriter {
  // Trino's greatest/least return NULL when any argument is NULL; DuckDB's skip NULLs.
  return (call) => {
    const checks = call.args.flatMap((a, i) => [...(i ? [text(" OR ", call.at)] : []), ...wrap("(", a, ") IS NULL", call.at)]);
    return [text("(CASE WHEN ", call.at), ...checks, text(" THEN NULL ELSE ", call.at), ...fn(name, call.args, call.at), text(" END)", call.at)];
  };
}

/** Aggregates, string, math, conditional and URL functions, and row construction. */
export const SCALAR_FUNCTIONS: Record<string, Rewriter> = {
  // aggregates
  approx_distinct: (call) => {
    arity(call, 1, 2);
    // The exact count: always within Trino's error bound, and what Trino's sparse HyperLogLog gives for the small
    // sets of a laptop lake, where DuckDB's approx_count_distinct overshoots (29 "distinct" of 25 rows).
    return wrap("count(DISTINCT ", call.args[0]!, ")", call.at);
  },
  approx_percentile: (call) => {
    arity(call, 2, 3);
    if (call.args.length === 3) throw new TranslationError("NOT_SUPPORTED", "approx_percentile with a weight is not supported", call.at);
    // Trino has approx_percentile for bigint, real and double: narrower integers come back as bigint.
    return fn("approx_quantile", [fn("trino_widen_integral", [call.args[0]!], call.at), call.args[1]!], call.at);
  },
  map_agg: (call) => {
    arity(call, 2);
    return fn("trino_map_agg", call.args, call.at);
  },
  every: rename("bool_and"),
  geometric_mean: rename("geomean"),
  listagg: rename("string_agg"),
  // strings
  concat: (call) => {
    // Trino's concat is NULL when an argument is NULL, like `||` (DuckDB's concat skips NULLs).
    if (call.args.length === 1) return wrap("(", call.args[0]!, ")", call.at);
    return wrap("(", call.args.flatMap((a, i) => [...(i ? [text(" || ", call.at)] : []), ...wrap("(", a, ")", call.at)]), ")", call.at);
  },
  replace: (call) => {
    arity(call, 2, 3);
    return fn("replace", call.args.length === 2 ? [...call.args, [text("''", call.at)]] : call.args, call.at);
  },
  strpos: (call) => {
    arity(call, 2, 3);
    return fn(call.args.length === 2 ? "strpos" : "trino_strpos_instance", call.args, call.at);
  },
  codepoint: renameWithArity("unicode", 1),
  levenshtein_distance: renameWithArity("levenshtein", 2),
  hamming_distance: renameWithArity("hamming", 2),
  format: (call) => fn("printf", call.args, call.at),
  to_utf8: renameWithArity("encode", 1),
  from_utf8: renameWithArity("decode", 1),
  to_hex: (call) => wrap("upper(hex(", call.args[0]!, "))", call.at),
  from_hex: renameWithArity("unhex", 1),
  md5: (call) => wrap("unhex(md5(", call.args[0]!, "))", call.at),
  sha256: (call) => wrap("unhex(sha256(", call.args[0]!, "))", call.at),
  // conditionals and math
  if: (call) => {
    arity(call, 2, 3);
    const [cond, yes, no] = call.args as [Piece[], Piece[], Piece[] | undefined];
    return [text("(CASE WHEN ", call.at), ...cond, text(" THEN ", call.at), ...yes, ...(no ? [text(" ELSE ", call.at), ...no] : []), text(" END)", call.at)];
  },
  greatest: nullIfAnyNull("greatest"),
  least: nullIfAnyNull("least"),
  mod: (call) => {
    arity(call, 2);
    return fn("trino_modulo", call.args, call.at);
  },
  truncate: (call) => {
    arity(call, 1, 2);
    return fn("trunc", call.args, call.at);
  },
  rand: (call) => randomCall(call),
  random: (call) => randomCall(call),
  nan: (call) => [text("'NaN'::DOUBLE", call.at)],
  infinity: (call) => [text("'Infinity'::DOUBLE", call.at)],
  is_nan: renameWithArity("isnan", 1),
  is_finite: renameWithArity("isfinite", 1),
  is_infinite: renameWithArity("isinf", 1),
  width_bucket: renameWithArity("trino_width_bucket", 4),
  sign: (call) => {
    arity(call, 1);
    return fn("cast_to_type", [fn("sign", call.args, call.at), call.args[0]!], call.at);
  },
  typeof: (call) => {
    throw new TranslationError("NOT_SUPPORTED", "typeof is not supported by the embedded Athena", call.at);
  },
  // URLs
  url_extract_host: renameWithArity("trino_url_extract_host", 1),
  url_extract_path: renameWithArity("trino_url_extract_path", 1),
  url_extract_query: renameWithArity("trino_url_extract_query", 1),
  url_extract_fragment: renameWithArity("trino_url_extract_fragment", 1),
  url_extract_protocol: renameWithArity("trino_url_extract_protocol", 1),
  url_extract_port: renameWithArity("trino_url_extract_port", 1),
  url_extract_parameter: renameWithArity("trino_url_extract_parameter", 2),
  // rows: Trino names anonymous fields field0, field1 …
  row: (call) => fn("struct_pack", call.args.map((a, i) => [text(`"field${i}" := `, call.at), ...a]), call.at),
};
