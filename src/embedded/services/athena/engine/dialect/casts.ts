import { wrap } from "./call.js";
import { parseDuckType } from "./duck-types.js";
import { groupPieces, rewriteSequence, text, tokenPiece } from "./expressions.js";
import { TranslationError } from "./positions.js";
import { trinoTypeToDuckDb, UnsupportedTypeError } from "./trino-types.js";
import { isGroup, isWord, significant, startOf, type Group, type Piece } from "./tree.js";
import type { Token } from "./tokenizer.js";

/** CAST(x AS type) / TRY_CAST: Trino type names, and Trino's text for doubles and timestamps cast to varchar. */
export function rewriteCast(name: Token, group: Group): Piece[] {
  const children = group.children;
  let asIndex = -1;
  for (let k = children.length - 1; k >= 0; k--) {
    if (isWord(children[k], "as")) {
      asIndex = k;
      break;
    }
  }
  if (asIndex < 0) return [tokenPiece(name), ...groupPieces(group)];
  const value = rewriteSequence(children.slice(0, asIndex));
  const typeNodes = children.slice(asIndex + 1);
  let duckType: string;
  try {
    duckType = trinoTypeToDuckDb(typeNodes);
  } catch (err) {
    if (err instanceof UnsupportedTypeError) {
      const first = significant(typeNodes)[0];
      throw new TranslationError("TYPE_NOT_FOUND", err.message, first ? startOf(first) : name.start);
    }
    throw err;
  }
  const at = name.start;
  const tryCast = name.text.toLowerCase() === "try_cast";
  if (duckType === "VARCHAR") return wrap(tryCast ? "trino_try_varchar(" : "trino_varchar(", value, ")", at);
  if (duckType === "JSON") return wrap("trino_to_json(", value, ")", at);
  if (INTEGRAL.has(duckType)) {
    // Trino rounds doubles half away from zero when casting them to an integer type; DuckDB rounds half to even.
    return wrap(tryCast ? "trino_try_cast_integral(" : "trino_cast_integral(", value, `, CAST(NULL AS ${duckType}))`, at);
  }
  const target = parseDuckType(duckType);
  const keyword = tryCast ? "TRY_CAST(" : "CAST(";
  if (target.kind === "struct") return [text(keyword, at), ...positionalRow(value, target.fields.map((f) => f.name), at), text(` AS ${duckType})`, at)];
  if (target.kind === "list" && target.element.kind === "struct") {
    const fields = positionalRow([text("lw_r__", at)], target.element.fields.map((f) => f.name), at);
    return [text(`${keyword}list_transform(`, at), ...value, text(", lw_r__ -> ", at), ...fields, text(`) AS ${duckType})`, at)];
  }
  return [text(keyword, at), ...value, text(` AS ${duckType})`, at)];
}

const INTEGRAL = new Set(["TINYINT", "SMALLINT", "INTEGER", "BIGINT"]);

/**
 * Trino casts rows by field position; DuckDB matches struct fields by name. Re-packing the value's fields, by
 * position, under the target's names makes the two agree.
 */
function positionalRow(value: Piece[], names: string[], at: number): Piece[] {
  const out: Piece[] = [text("struct_pack(", at)];
  for (let i = 1; i <= names.length; i++) {
    const name = `"${names[i - 1]!.replace(/"/g, '""')}"`;
    out.push(text(`${i > 1 ? ", " : ""}${name} := struct_extract_at(`, at), ...value, text(`, ${i})`, at));
  }
  out.push(text(")", at));
  return out;
}

const EXTRACT_FIELDS: Record<string, string> = {
  dow: "isodow",
  day_of_week: "isodow",
  doy: "doy",
  day_of_year: "doy",
  yow: "isoyear",
  year_of_week: "isoyear",
  day_of_month: "day",
  week_of_year: "week",
  timezone_hour: "timezone_hour",
  timezone_minute: "timezone_minute",
};

/** EXTRACT(field FROM x): Trino's DOW is ISO (Monday = 1), DuckDB's is Sunday = 0. */
export function rewriteExtract(name: Token, group: Group): Piece[] {
  const sig = significant(group.children);
  const field = sig[0];
  if (!field || isGroup(field) || field.kind !== "word") return [tokenPiece(name), ...groupPieces(group)];
  const mapped = EXTRACT_FIELDS[field.text.toLowerCase()] ?? field.text.toLowerCase();
  const fromIndex = group.children.findIndex((n) => isWord(n, "from"));
  const value = rewriteSequence(group.children.slice(fromIndex + 1));
  return [text(`extract(${mapped} FROM `, name.start), ...value, text(")", name.start)];
}
