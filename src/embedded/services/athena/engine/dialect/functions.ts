import type { Call, Rewriter } from "./call.js";
import { groupPieces, rewriteSequence, tokenPiece } from "./expressions.js";
import { COLLECTION_FUNCTIONS } from "./functions-collections.js";
import { DATETIME_FUNCTIONS } from "./functions-datetime.js";
import { SCALAR_FUNCTIONS } from "./functions-scalar.js";
import { TranslationError } from "./positions.js";
import { splitCommas, type Group, type Piece } from "./tree.js";
import type { Token } from "./tokenizer.js";

/**
 * Trino function calls → DuckDB. Three kinds: a plain rename (DuckDB has the function under another name), a call
 * of one of our macros (see macros.ts: same name as Trino with a `trino_` prefix where DuckDB's own function of
 * that name behaves differently), and a structural rewrite (argument order, literal formats, operators).
 */

const REWRITERS: Record<string, Rewriter> = { ...SCALAR_FUNCTIONS, ...COLLECTION_FUNCTIONS, ...DATETIME_FUNCTIONS };

/** Trino functions with no DuckDB counterpart here: a clear FUNCTION_NOT_FOUND-like error instead of a wrong answer. */
const UNSUPPORTED = new Set([
  "approx_set", "merge", "empty_approx_set", "qdigest_agg", "tdigest_agg", "value_at_quantile", "values_at_quantiles",
  "make_set_digest", "merge_set_digest", "numeric_histogram", "classify", "learn_classifier", "evaluate_classifier_predictions",
  "spatial_partitions", "st_point", "st_contains", "st_distance", "geometry_from_text", "multimap_agg", "map_union",
  "map_zip_with", "combinations", "ngrams",
  "array_histogram", "to_geometry", "checksum", "word_stem", "normalize", "luhn_check", "to_base", "from_base",
  "human_readable_seconds", "parse_duration", "parse_data_size", "format_number", "regexp_position",
]);

export function rewriteCall(name: Token, group: Group): Piece[] {
  const lower = name.text.toLowerCase();
  const nodes = splitCommas(group.children);
  const args = nodes.map((a) => rewriteSequence(a));
  const call: Call = { name, group, nodes, args, at: name.start };
  const rewriter = Object.hasOwn(REWRITERS, lower) ? REWRITERS[lower] : undefined;
  if (rewriter) return rewriter(call);
  if (UNSUPPORTED.has(lower)) throw new TranslationError("NOT_SUPPORTED", `Function '${lower}' is not supported by the embedded Athena`, name.start);
  return [tokenPiece(name), ...groupPieces(group)];
}
