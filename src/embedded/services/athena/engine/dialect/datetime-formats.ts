/**
 * Date/time format strings: Trino's date_parse/date_format use MySQL specifiers, format_datetime/parse_datetime use
 * Joda-Time patterns; DuckDB's strptime/strftime use C-style specifiers. Conversions happen at translation time
 * when the format is a literal (it almost always is).
 */

export class UnsupportedFormatError extends Error {}

const MYSQL_TO_DUCKDB: Record<string, string> = {
  a: "%a",
  b: "%b",
  c: "%-m",
  d: "%d",
  e: "%-d",
  f: "%f",
  H: "%H",
  h: "%I",
  I: "%I",
  i: "%M",
  j: "%j",
  k: "%-H",
  l: "%-I",
  M: "%B",
  m: "%m",
  p: "%p",
  r: "%I:%M:%S %p",
  S: "%S",
  s: "%S",
  T: "%H:%M:%S",
  U: "%U",
  u: "%W",
  v: "%V",
  W: "%A",
  w: "%w",
  x: "%G",
  Y: "%Y",
  y: "%y",
  "%": "%%",
};

/** MySQL-style format (`%Y-%m-%d %H:%i:%s`) → DuckDB strftime/strptime format. */
export function mysqlToDuckDbFormat(format: string): string {
  let out = "";
  for (let i = 0; i < format.length; i++) {
    const c = format[i]!;
    if (c !== "%") {
      out += c;
      continue;
    }
    const spec = format[++i];
    if (spec === undefined) break;
    const mapped = MYSQL_TO_DUCKDB[spec];
    if (mapped === undefined) {
      if ("DVX".includes(spec)) throw new UnsupportedFormatError(`%${spec} not supported in date format string`);
      out += spec; // MySQL prints an unknown specifier's character as is
    } else {
      out += mapped;
    }
  }
  return out;
}

/** Joda-Time pattern letter runs → DuckDB specifiers. */
function jodaRun(letter: string, count: number): string {
  switch (letter) {
    case "y":
    case "Y":
    case "u":
      return count === 2 ? "%y" : "%Y";
    case "x":
      return "%G";
    case "M":
      return count >= 4 ? "%B" : count === 3 ? "%b" : count === 2 ? "%m" : "%-m";
    case "d":
      return count >= 2 ? "%d" : "%-d";
    case "D":
      return count >= 3 ? "%j" : "%-j";
    case "H":
      return count >= 2 ? "%H" : "%-H";
    case "h":
      return count >= 2 ? "%I" : "%-I";
    case "m":
      return count >= 2 ? "%M" : "%-M";
    case "s":
      return count >= 2 ? "%S" : "%-S";
    case "S":
      if (count === 3) return "%g";
      if (count === 6) return "%f";
      if (count === 9) return "%n";
      throw new UnsupportedFormatError(`fraction of second with ${count} digits (S × ${count}) is not supported`);
    case "E":
      return count >= 4 ? "%A" : "%a";
    case "e":
      return "%u";
    case "a":
      return "%p";
    case "w":
      return count >= 2 ? "%V" : "%-V";
    case "Z":
      return "%z";
    case "z":
      return "%Z";
    default:
      throw new UnsupportedFormatError(`pattern letter '${letter}' is not supported`);
  }
}

/** Joda-Time pattern (`yyyy-MM-dd HH:mm:ss`) → DuckDB strftime/strptime format. */
export function jodaToDuckDbFormat(pattern: string): string {
  let out = "";
  for (let i = 0; i < pattern.length; ) {
    const c = pattern[i]!;
    if (c === "'") {
      const close = pattern.indexOf("'", i + 1);
      if (close === i + 1) {
        out += "'";
        i += 2;
        continue;
      }
      const literal = pattern.slice(i + 1, close < 0 ? pattern.length : close);
      out += literal.replace(/%/g, "%%");
      i = close < 0 ? pattern.length : close + 1;
    } else if (/[A-Za-z]/.test(c)) {
      let j = i;
      while (pattern[j] === c) j++;
      out += jodaRun(c, j - i);
      i = j;
    } else {
      out += c === "%" ? "%%" : c;
      i++;
    }
  }
  return out;
}
