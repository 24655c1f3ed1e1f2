import { arity, fn, jsonPathArg, renameWithArity, wrap, type Call, type Rewriter } from "./call.js";
import { rewriteSequence, text } from "./expressions.js";
import { TranslationError } from "./positions.js";
import type { Token } from "./tokenizer.js";
import { isGroup, isOp, significant, sourceText, splitCommas, type Node, type Piece } from "./tree.js";

/** A lambda argument `(k, v) -> body`: its parameters, and its body from the arrow on. */
function lambdaOf(nodes: Node[]): { params: string[]; body: Node[] } | undefined {
  const arrow = nodes.findIndex((n) => isOp(n, "->"));
  if (arrow < 0) return undefined;
  const head = significant(nodes.slice(0, arrow));
  const only = head[0];
  if (head.length !== 1 || !only) return undefined;
  const params = isGroup(only) ? splitCommas(only.children).map((p) => significant(p).map((t) => (isGroup(t) ? "" : t.text)).join("")) : [only.text];
  return { params: params.map((p) => p.toLowerCase()), body: nodes.slice(arrow) };
}

/** The body with each parameter replaced by an expression (kept a word token, so it stays an operand). */
function substitute(body: Node[], replacements: Map<string, string>): Node[] {
  return body.map((node, i) => {
    if (isGroup(node)) return { ...node, children: substitute(node.children, replacements) };
    const previous = body[i - 1];
    const replacement = node.kind === "word" && !isOp(previous, ".") ? replacements.get(node.text.toLowerCase()) : undefined;
    return replacement === undefined ? node : ({ ...node, text: replacement } satisfies Token);
  });
}

/**
 * Trino lambdas with two parameters over map entries or zipped arrays; DuckDB's lambdas take one element: the
 * body is rewritten over that element (`(k, v) -> v > 1` → `v > 1` over `lw_e__.value`). Returns the body.
 */
function lambdaBody(call: Call, index: number, fields: string[]): Piece[] {
  const lambda = lambdaOf(call.nodes[index] ?? []);
  if (!lambda || lambda.params.length !== fields.length) {
    throw new TranslationError("INVALID_FUNCTION_ARGUMENT", `${call.name.text.toLowerCase()} expects a lambda with ${fields.length} parameters`, call.at);
  }
  const replacements = new Map(lambda.params.map((p, i) => [p, fields[i]!]));
  // Rewritten with its arrow, so that a row `-> (a, b)` is seen as one; the arrow itself is left out.
  return rewriteSequence(substitute(lambda.body, replacements)).slice(1);
}

const ENTRY = ["lw_e__.key", "lw_e__.value"];

/** JSON, regular expression, array and map functions. */
export const COLLECTION_FUNCTIONS: Record<string, Rewriter> = {
  // JSON
  json_extract_scalar: (call) => {
    arity(call, 2);
    return fn("trino_json_extract_scalar", [call.args[0]!, jsonPathArg(call, 1)], call.at);
  },
  json_extract: (call) => {
    arity(call, 2);
    return fn("json_extract", [call.args[0]!, jsonPathArg(call, 1)], call.at);
  },
  json_parse: renameWithArity("json", 1),
  json_format: (call) => wrap("CAST(", call.args[0]!, " AS VARCHAR)", call.at),
  json_size: (call) => {
    arity(call, 2);
    return fn("trino_json_size", [call.args[0]!, jsonPathArg(call, 1)], call.at);
  },
  json_array_get: renameWithArity("trino_json_array_get", 2),
  json_array_contains: renameWithArity("trino_json_array_contains", 2),
  is_json_scalar: renameWithArity("trino_is_json_scalar", 1),
  // regular expressions (Java syntax on Trino, RE2 on DuckDB: the common subset is the same)
  regexp_like: renameWithArity("regexp_matches", 2),
  regexp_extract: (call) => {
    arity(call, 2, 3);
    return fn(call.args.length === 2 ? "trino_regexp_extract" : "trino_regexp_extract_group", call.args, call.at);
  },
  regexp_extract_all: (call) => {
    arity(call, 2, 3);
    return fn("regexp_extract_all", call.args, call.at);
  },
  regexp_replace: (call) => {
    arity(call, 2, 3);
    if (call.args.length === 2) return fn("regexp_replace", [...call.args, [text("''", call.at)], [text("'g'", call.at)]], call.at);
    return fn("trino_regexp_replace", call.args, call.at);
  },
  regexp_split: renameWithArity("regexp_split_to_array", 2),
  regexp_count: renameWithArity("trino_regexp_count", 2),
  // arrays and maps
  element_at: (call) => {
    arity(call, 2);
    return [...wrap("(", call.args[0]!, ")[", call.at), ...call.args[1]!, text("]", call.at)];
  },
  cardinality: renameWithArity("len", 1),
  array_join: (call) => {
    arity(call, 2, 3);
    if (call.args.length === 2) return fn("trino_array_join", call.args, call.at);
    return fn("trino_array_join_replace", call.args, call.at);
  },
  contains: renameWithArity("list_contains", 2),
  sequence: (call) => {
    arity(call, 2, 3);
    if (call.args.length === 3) return fn("trino_sequence_step", call.args, call.at);
    // DuckDB needs an interval step for dates; a date start written as such (DATE '…', date(…), CAST(… AS date)) tells.
    const first = sourceText(call.nodes[0] ?? []).trim().toLowerCase();
    const dated = /^(date\s*'|date\s*\(|current_date|cast\s*\(.*\bas\s+date\s*\)$|from_iso8601_date|date_parse|date_trunc)/.test(first);
    return fn(dated ? "trino_sequence_days" : "trino_sequence", call.args, call.at);
  },
  transform: renameWithArity("list_transform", 2),
  filter: renameWithArity("list_filter", 2),
  reduce: (call) => {
    arity(call, 4);
    const [array, initial, input, output] = call.args as [Piece[], Piece[], Piece[], Piece[]];
    // list_reduce folds with an initial state; Trino then applies the output function to the state.
    return [
      text("list_transform([list_reduce(", call.at),
      ...array,
      text(", ", call.at),
      ...input,
      text(", ", call.at),
      ...initial,
      text(")], ", call.at),
      ...output,
      text(")[1]", call.at),
    ];
  },
  any_match: (call) => {
    arity(call, 2);
    return wrap("coalesce(list_bool_or(list_transform(", [...call.args[0]!, text(", ", call.at), ...call.args[1]!], ")), false)", call.at);
  },
  all_match: (call) => {
    arity(call, 2);
    return wrap("coalesce(list_bool_and(list_transform(", [...call.args[0]!, text(", ", call.at), ...call.args[1]!], ")), true)", call.at);
  },
  none_match: (call) => {
    arity(call, 2);
    return wrap("NOT coalesce(list_bool_or(list_transform(", [...call.args[0]!, text(", ", call.at), ...call.args[1]!], ")), false)", call.at);
  },
  array_distinct: renameWithArity("trino_array_distinct", 1),
  array_sort: renameWithArity("list_sort", 1),
  array_max: renameWithArity("list_max", 1),
  array_min: renameWithArity("list_min", 1),
  array_position: renameWithArity("trino_array_position", 2),
  array_remove: renameWithArity("trino_array_remove", 2),
  array_intersect: renameWithArity("trino_array_intersect", 2),
  array_union: renameWithArity("trino_array_union", 2),
  array_except: renameWithArity("trino_array_except", 2),
  arrays_overlap: renameWithArity("list_has_any", 2),
  slice: renameWithArity("trino_slice", 3),
  repeat: renameWithArity("trino_repeat", 2),
  zip: renameWithArity("list_zip", 2, 5),
  map_entries: renameWithArity("map_entries", 1),
  map_filter: (call) => {
    arity(call, 2);
    const predicate = lambdaBody(call, 1, ENTRY);
    return wrap("map_from_entries(list_filter(map_entries(", [...call.args[0]!, text("), lw_e__ -> ", call.at), ...predicate], "))", call.at);
  },
  transform_values: (call) => {
    arity(call, 2);
    const entry = [text("struct_pack(k := lw_e__.key, v := ", call.at), ...lambdaBody(call, 1, ENTRY), text(")", call.at)];
    return wrap("map_from_entries(list_transform(map_entries(", [...call.args[0]!, text("), lw_e__ -> ", call.at), ...entry], "))", call.at);
  },
  transform_keys: (call) => {
    arity(call, 2);
    const entry = [text("struct_pack(k := ", call.at), ...lambdaBody(call, 1, ENTRY), text(", v := lw_e__.value)", call.at)];
    return wrap("map_from_entries(list_transform(map_entries(", [...call.args[0]!, text("), lw_e__ -> ", call.at), ...entry], "))", call.at);
  },
  zip_with: (call) => {
    arity(call, 3);
    const combine = lambdaBody(call, 2, ["struct_extract_at(lw_z__, 1)", "struct_extract_at(lw_z__, 2)"]);
    return wrap("list_transform(list_zip(", [...call.args[0]!, text(", ", call.at), ...call.args[1]!, text("), lw_z__ -> ", call.at), ...combine], ")", call.at);
  },
  split: (call) => {
    arity(call, 2, 3);
    return fn(call.args.length === 2 ? "string_split" : "trino_split_limit", call.args, call.at);
  },
  split_part: renameWithArity("trino_split_part", 3),
  split_to_map: renameWithArity("trino_split_to_map", 3),
};
