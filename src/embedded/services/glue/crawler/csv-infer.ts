import { Kind, TypeNode, addField, mergeScalarKinds } from "./types.js";

/**
 * Glue's built-in CSV classifier over a sample (the first 1 MB or 1,000 records, whichever comes first):
 * delimiter among comma, tab, pipe, semicolon and Ctrl-A; at least two columns and two rows; a header when every
 * cell of the first row is a non-empty string shorter than 150 characters (the last may be empty) and at least one
 * column below it is not a string (otherwise the first row is data and columns are col0, col1 …). Column types
 * from the values: boolean, bigint, double, string (empty cells say nothing; a column with only empty cells is
 * string).
 */

export interface CsvSample {
  delimiter: string;
  header: boolean;
  /** Some values were enclosed in double quotes. */
  quoted: boolean;
  schema: TypeNode;
  /** Data records in the sample (header excluded). */
  records: number;
  /** Bytes of those records (for averageRecordSize). */
  recordBytes: number;
}

const DELIMITERS = [",", "\t", "|", ";", "\u0001"];
const MAX_RECORDS = 1000;

export function inferCsv(text: string, complete: boolean): CsvSample | undefined {
  const delimiter = detectDelimiter(text);
  if (!delimiter) return undefined;
  const { rows, quoted, bytes } = parseRows(text, delimiter, complete, MAX_RECORDS + 1);
  if (rows.length < 2) return undefined;
  const width = rows[0]!.length;
  if (width < 2) return undefined;

  const typeOf = (rowsToType: string[][]) => {
    const kinds: Kind[] = new Array(width).fill(Kind.Unknown);
    for (const row of rowsToType) {
      for (let i = 0; i < width; i++) {
        const k = valueKind(row[i] ?? "");
        if (k !== Kind.Unknown) kinds[i] = mergeScalarKinds(kinds[i]!, k);
      }
    }
    return kinds;
  };

  const first = rows[0]!;
  const below = typeOf(rows.slice(1));
  const header =
    first.every((cell, i) => {
      const v = cell.trim();
      if (i === width - 1 && v === "") return true;
      return v !== "" && v.length < 150 && valueKind(v) === Kind.String;
    }) && below.some((k) => k !== Kind.String && k !== Kind.Unknown);

  const kinds = header ? below : typeOf(rows);
  const schema = TypeNode.of(Kind.Struct);
  const used = new Set<string>();
  for (let i = 0; i < width; i++) {
    let name = header ? first[i]!.trim().toLowerCase() : `col${i}`;
    if (!name) name = `col${i}`;
    while (used.has(name)) name = `${name}_${i}`;
    used.add(name);
    addField(schema, name, TypeNode.of(kinds[i] === Kind.Unknown ? Kind.String : kinds[i]!));
  }
  const dataRows = header ? rows.length - 1 : rows.length;
  const headerBytes = header ? bytes[0]! : 0;
  const total = bytes.reduce((a, b) => a + b, 0);
  return { delimiter, header, quoted, schema, records: dataRows, recordBytes: total - headerBytes };
}

/** boolean, bigint, double or string; Unknown for an empty cell. */
export function valueKind(raw: string): Kind {
  const v = raw.trim();
  if (v === "") return Kind.Unknown;
  if (/^(true|false)$/i.test(v)) return Kind.Boolean;
  if (/^[+-]?\d+$/.test(v)) return v.replace(/^[+-]/, "").length <= 18 ? Kind.Bigint : Kind.Double;
  if (/^[+-]?(\d+\.\d*|\.\d+|\d+)([eE][+-]?\d+)?$/.test(v)) return Kind.Double;
  return Kind.String;
}

/** The delimiter that splits the first lines into the same number (≥ 1) of separators, the most of them. */
function detectDelimiter(text: string): string | undefined {
  const lines: string[] = [];
  let start = 0;
  while (lines.length < 20 && start < text.length) {
    const end = text.indexOf("\n", start);
    if (end < 0) {
      lines.push(text.slice(start));
      break;
    }
    lines.push(text.slice(start, end).replace(/\r$/, ""));
    start = end + 1;
  }
  const candidates = lines.filter((l) => l.length > 0);
  // The last line of a prefix may be cut.
  if (candidates.length > 2 && !text.endsWith("\n")) candidates.pop();
  if (candidates.length < 2) return undefined;
  let best: string | undefined;
  let bestCount = 0;
  for (const d of DELIMITERS) {
    const counts = candidates.map((l) => countOutsideQuotes(l, d));
    const first = counts[0]!;
    if (first < 1) continue;
    if (!counts.every((c) => c === first)) continue;
    if (first > bestCount) {
      best = d;
      bestCount = first;
    }
  }
  return best;
}

function countOutsideQuotes(line: string, d: string): number {
  let n = 0;
  let inQuotes = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '"') inQuotes = !inQuotes;
    else if (c === d && !inQuotes) n++;
  }
  return n;
}

/** RFC 4180 records (quotes, doubled quotes, newlines inside quotes); a record cut by the sample's end is dropped. */
function parseRows(text: string, d: string, complete: boolean, limit: number): { rows: string[][]; quoted: boolean; bytes: number[] } {
  const rows: string[][] = [];
  const bytes: number[] = [];
  let quoted = false;
  let i = 0;
  const n = text.length;
  while (i < n && rows.length < limit) {
    const rowStart = i;
    const row: string[] = [];
    let field = "";
    let inQuotes = false;
    let ended = false;
    while (i < n) {
      const c = text[i]!;
      if (inQuotes) {
        if (c === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          inQuotes = false;
          i++;
          continue;
        }
        field += c;
        i++;
        continue;
      }
      if (c === '"' && field.trim() === "") {
        inQuotes = true;
        quoted = true;
        field = "";
        i++;
      } else if (c === d) {
        row.push(field);
        field = "";
        i++;
      } else if (c === "\n" || c === "\r") {
        if (c === "\r" && text[i + 1] === "\n") i++;
        i++;
        ended = true;
        break;
      } else {
        field += c;
        i++;
      }
    }
    if (!ended && !complete) break; // cut by the end of the sample
    row.push(field);
    if (row.length === 1 && row[0] === "") continue; // blank line
    rows.push(row);
    bytes.push(Buffer.byteLength(text.slice(rowStart, i)));
  }
  return { rows, quoted, bytes };
}
