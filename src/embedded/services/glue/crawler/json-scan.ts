import { Kind, TypeNode, addField, mergeScalarKinds, type Field } from "./types.js";

/**
 * Schema inference over a JSON sample, straight from the bytes: a validating scanner (the JSON grammar as
 * `JSON.parse` checks it) that merges each record's types into one accumulator without building objects or
 * decoding strings. Records are JSON values one after another (JSON Lines, or concatenated / pretty-printed
 * objects); a file that starts with `[` is one array whose elements are the records (Glue then writes a single
 * column `array`).
 *
 * A malformed record is skipped and counted: whatever it had merged is rolled back (an undo log, which only holds
 * entries while types still change, so it costs nothing once the schema is stable), and scanning resumes at the
 * next line. A record cut by the end of a sample that is not the whole file is dropped without being counted.
 *
 * Numbers: an integer literal is `int` within 32 bits, `bigint` within 64 bits, `double` beyond; a literal with a
 * fraction or an exponent is `double`. Strings stay `string` (ISO timestamps included), as Glue's JSON classifier
 * writes them.
 *
 * Speed matters (a crawl reads up to 1 MB of every file): the scanning functions pass the position along instead
 * of storing it, keys are matched against the bytes of the key that followed the previous one last time (records
 * repeat their key order), and the bytes of strings go through a table lookup per byte.
 */

const SYNTAX = { reason: "syntax" } as const;
const EOF = { reason: "eof" } as const;
const MAX_DEPTH = 500;

/** A node that swallows whatever is scanned into it (values below a conflict that became string). */
const SINK = TypeNode.of(Kind.String);

const decoder = new TextDecoder("utf-8");

/** Bytes that end a plain run inside a string: quote, backslash and control characters. */
const STRING_STOP = new Uint8Array(256);
for (let c = 0; c < 0x20; c++) STRING_STOP[c] = 1;
STRING_STOP[0x22] = 1;
STRING_STOP[0x5c] = 1;

// The sample being scanned. Scanning is synchronous and never re-entered, so module state is safe (and its loads
// are cheaper than an object's in the hot loops).
let B: Uint8Array = new Uint8Array(0);
let END = 0;
let UNDO: (() => void)[] = [];
/** Set by skipString: the string had escapes. */
let ESCAPED = false;

export interface JsonScanStats {
  /** Complete, valid records merged into the schema. */
  records: number;
  /** Records skipped as malformed. */
  malformed: number;
  /** Bytes of the valid records (for averageRecordSize). */
  recordBytes: number;
  /** The sample ended inside a record (expected when the sample is a prefix of the file). */
  truncated: boolean;
  /** The file is one top-level JSON array. */
  topLevelArray: boolean;
}

export class JsonScanner implements JsonScanStats {
  /** The record schema: a struct whose fields are the columns. */
  readonly root = TypeNode.of(Kind.Struct);
  /** Element type of a top-level array file. */
  readonly arrayElement = new TypeNode();
  records = 0;
  malformed = 0;
  recordBytes = 0;
  truncated = false;
  topLevelArray = false;
  private readonly undo: (() => void)[] = [];

  /**
   * Scans `bytes[0, length)`. `complete` says whether that is the whole file: if not, a record cut at the end is
   * the sample's edge, not an error.
   */
  scan(bytes: Uint8Array, length: number, complete: boolean): this {
    // Always a plain Uint8Array (not a Buffer): one element map keeps the hot loops monomorphic.
    B = bytes.constructor === Uint8Array ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    END = Math.min(length, B.length);
    UNDO = this.undo;
    try {
      let p = 0;
      // UTF-8 byte order mark.
      if (END >= 3 && B[0] === 0xef && B[1] === 0xbb && B[2] === 0xbf) p = 3;
      p = skipWs(p);
      if (p < END && B[p] === 0x5b /* [ */) this.scanTopLevelArray(p, complete);
      else this.scanRecords(p, complete);
    } finally {
      B = new Uint8Array(0);
      UNDO = [];
    }
    return this;
  }

  /** The schema of the file: its record struct, or `{array: array<element>}` for a top-level array. */
  schema(): TypeNode {
    if (!this.topLevelArray) return this.root;
    const node = TypeNode.of(Kind.Struct);
    addField(node, "array", TypeNode.array(this.arrayElement.clone()));
    return node;
  }

  private scanRecords(p: number, complete: boolean): void {
    const root = this.root;
    for (;;) {
      p = skipWs(p);
      if (p >= END) return;
      const start = p;
      if (B[start] !== 0x7b /* { */) {
        this.malformed++;
        p = nextLine(start);
        continue;
      }
      UNDO.length = 0;
      try {
        p = scanObject(root, start, 0);
      } catch (err) {
        rollback();
        if (err === EOF && !complete) {
          this.truncated = true;
          return;
        }
        if (err !== SYNTAX && err !== EOF) throw err;
        this.malformed++;
        p = nextLine(start);
        continue;
      }
      // After a record: spaces, then a line end or the next record. Anything else on the line makes the record
      // malformed (as a line-oriented reader sees it).
      let q = p;
      while (q < END && (B[q] === 0x20 || B[q] === 0x09)) q++;
      if (q < END && B[q] !== 0x0a && B[q] !== 0x0d && B[q] !== 0x7b) {
        rollback();
        this.malformed++;
        p = nextLine(q);
        continue;
      }
      this.records++;
      this.recordBytes += p - start;
    }
  }

  private scanTopLevelArray(p: number, complete: boolean): void {
    this.topLevelArray = true;
    p = skipWs(p + 1);
    if (p < END && B[p] === 0x5d /* ] */) return;
    for (;;) {
      p = skipWs(p);
      const start = p;
      UNDO.length = 0;
      try {
        p = scanValue(this.arrayElement, p, 0);
        this.records++;
        this.recordBytes += p - start;
        p = skipWs(p);
        if (p >= END) throw EOF;
        const c = B[p++];
        if (c === 0x2c /* , */) continue;
        if (c === 0x5d /* ] */) return;
        throw SYNTAX;
      } catch (err) {
        rollback();
        if (err === EOF && !complete) {
          this.truncated = true;
          return;
        }
        if (err !== SYNTAX && err !== EOF) throw err;
        // The array cannot be resynchronised: what was read so far is the sample.
        this.malformed++;
        return;
      }
    }
  }
}

function rollback(): void {
  for (let i = UNDO.length - 1; i >= 0; i--) UNDO[i]!();
  UNDO.length = 0;
}

function skipWs(p: number): number {
  while (p < END) {
    const c = B[p]!;
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) p++;
    else break;
  }
  return p;
}

function scanValue(node: TypeNode, p: number, depth: number): number {
  if (p >= END) throw EOF;
  const c = B[p]!;
  if (c === 0x22 /* " */) {
    p = skipString(p);
    if (node.kind !== Kind.String) noteScalar(node, Kind.String);
    return p;
  }
  if (c === 0x7b /* { */) return scanObject(node, p, depth);
  if (c === 0x5b /* [ */) return scanArray(node, p, depth);
  if (c === 0x2d /* - */ || (c >= 0x30 && c <= 0x39)) return scanNumber(node, p);
  if (c === 0x74 /* t */) {
    if (p + 4 > END) return partialLiteral(p, "true");
    if (B[p + 1] !== 0x72 || B[p + 2] !== 0x75 || B[p + 3] !== 0x65) throw SYNTAX;
    if (node.kind !== Kind.Boolean) noteScalar(node, Kind.Boolean);
    return p + 4;
  }
  if (c === 0x66 /* f */) {
    if (p + 5 > END) return partialLiteral(p, "false");
    if (B[p + 1] !== 0x61 || B[p + 2] !== 0x6c || B[p + 3] !== 0x73 || B[p + 4] !== 0x65) throw SYNTAX;
    if (node.kind !== Kind.Boolean) noteScalar(node, Kind.Boolean);
    return p + 5;
  }
  if (c === 0x6e /* n */) {
    if (p + 4 > END) return partialLiteral(p, "null");
    if (B[p + 1] !== 0x75 || B[p + 2] !== 0x6c || B[p + 3] !== 0x6c) throw SYNTAX;
    return p + 4;
  }
  throw SYNTAX;
}

/** A literal cut by the end of the sample: EOF when what is there is a prefix of it, a syntax error otherwise. */
function partialLiteral(p: number, literal: string): never {
  for (let i = 1; p + i < END; i++) if (B[p + i] !== literal.charCodeAt(i)) throw SYNTAX;
  throw EOF;
}

function noteScalar(node: TypeNode, kind: Kind): void {
  const current = node.kind;
  if (current === Kind.String) return;
  if (current === Kind.Unknown) {
    node.kind = kind;
    UNDO.push(() => {
      node.kind = Kind.Unknown;
    });
    return;
  }
  const next = current === Kind.Struct || current === Kind.Array ? Kind.String : mergeScalarKinds(current, kind);
  if (next === current) return;
  saveNode(node);
  node.becomeScalar(next);
}

/** Records a node's whole state for rollback (before a change that drops its children). */
function saveNode(node: TypeNode): void {
  const { kind, fields, byName, element } = node;
  UNDO.push(() => {
    node.kind = kind;
    node.fields = fields;
    node.byName = byName;
    node.element = element;
  });
}

function scanObject(node: TypeNode, p: number, depth: number): number {
  if (depth > MAX_DEPTH) throw SYNTAX;
  let struct: TypeNode | undefined;
  if (node.kind === Kind.Struct) struct = node;
  else if (node.kind === Kind.Unknown) {
    saveNode(node);
    node.kind = Kind.Struct;
    node.fields = [];
    node.byName = new Map();
    struct = node;
  } else if (node.kind !== Kind.String) {
    saveNode(node);
    node.becomeScalar(Kind.String);
  }
  p = skipWs(p + 1);
  if (p >= END) throw EOF;
  if (B[p] === 0x7d /* } */) return p + 1;
  let previous: Field | undefined;
  for (;;) {
    if (p >= END) throw EOF;
    if (B[p] !== 0x22) {
      p = skipWs(p);
      if (p >= END) throw EOF;
      if (B[p] !== 0x22) throw SYNTAX;
    }
    let field: Field | undefined;
    if (struct) {
      // The key that followed the previous one last time (records repeat their key order), matched in one pass.
      const guess = previous === undefined ? struct.fields![0] : previous.next;
      if (guess !== undefined) {
        const after = matchKey(guess, p + 1);
        if (after >= 0) {
          field = guess;
          p = after;
        }
      }
      if (field === undefined) {
        const keyStart = p + 1;
        p = skipString(p);
        field = findField(struct, previous, keyStart, p - 1, ESCAPED);
      }
      previous = field;
    } else {
      p = skipString(p);
    }
    if (p < END && B[p] === 0x3a /* : */) p++;
    else {
      p = skipWs(p);
      if (p >= END) throw EOF;
      if (B[p] !== 0x3a) throw SYNTAX;
      p++;
    }
    // Compact JSON has the value right after the colon.
    if (p >= END || B[p] === 0x20 || B[p] === 0x0a || B[p] === 0x0d || B[p] === 0x09) p = skipWs(p);
    const type = field === undefined ? SINK : field.type;
    // Strings are most values: skip them without the dispatch of scanValue once the field is known as string.
    if (type.kind === Kind.String && p < END && B[p] === 0x22) p = skipString(p);
    else p = scanValue(type, p, depth + 1);
    if (p >= END) throw EOF;
    let c = B[p]!;
    if (c === 0x2c /* , */) {
      p++;
      continue;
    }
    if (c === 0x7d /* } */) return p + 1;
    p = skipWs(p);
    if (p >= END) throw EOF;
    c = B[p++]!;
    if (c === 0x2c) continue;
    if (c === 0x7d) return p;
    throw SYNTAX;
  }
}

/** The field of a key (after a failed guess): any field spelled so, or a new one. */
function findField(struct: TypeNode, previous: Field | undefined, start: number, end: number, escaped: boolean): Field {
  const fields = struct.fields!;
  if (!escaped) {
    const len = end - start;
    const first = B[start];
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i]!;
      const sp = f.spellings;
      for (let s = 0; s < sp.length; s++) {
        const bytes = sp[s]!;
        if (bytes.length === len && bytes[0] === first && sameAt(bytes, start, len)) {
          if (previous) previous.next = f;
          return f;
        }
      }
    }
  }
  const raw = decoder.decode(B.subarray(start, end));
  let original: string;
  try {
    original = escaped ? (JSON.parse(`"${raw}"`) as string) : raw;
  } catch {
    throw SYNTAX;
  }
  const name = original.toLowerCase();
  let field = struct.byName!.get(name);
  if (!field) {
    field = addField(struct, original);
    const created = field;
    UNDO.push(() => {
      const fs = struct.fields;
      if (fs && fs[fs.length - 1] === created) {
        fs.pop();
        struct.byName!.delete(created.name);
      }
    });
  }
  if (!escaped && field.spellings.length < 8) field.spellings.push(B.slice(start, end));
  if (previous) previous.next = field;
  return field;
}

/**
 * Whether the key at `q` (just after its opening quote) is spelled as the field's first spelling: compares and
 * finds the closing quote in one pass. Returns the position after the closing quote, or -1.
 */
function matchKey(field: Field, q: number): number {
  const bytes = field.spellings[0];
  if (bytes === undefined) return -1;
  const len = bytes.length;
  if (q + len >= END) return -1;
  for (let i = 0; i < len; i++) if (B[q + i] !== bytes[i]) return -1;
  return B[q + len] === 0x22 ? q + len + 1 : -1;
}

function sameAt(bytes: Uint8Array, start: number, len: number): boolean {
  for (let i = 0; i < len; i++) if (bytes[i] !== B[start + i]) return false;
  return true;
}

function scanArray(node: TypeNode, p: number, depth: number): number {
  if (depth > MAX_DEPTH) throw SYNTAX;
  let element: TypeNode = SINK;
  if (node.kind === Kind.Array) element = node.element!;
  else if (node.kind === Kind.Unknown) {
    saveNode(node);
    node.kind = Kind.Array;
    node.element = new TypeNode();
    element = node.element;
  } else if (node.kind !== Kind.String) {
    saveNode(node);
    node.becomeScalar(Kind.String);
  }
  p = skipWs(p + 1);
  if (p >= END) throw EOF;
  if (B[p] === 0x5d /* ] */) return p + 1;
  for (;;) {
    p = scanValue(element, skipWs(p), depth + 1);
    p = skipWs(p);
    if (p >= END) throw EOF;
    const c = B[p++];
    if (c === 0x2c) continue;
    if (c === 0x5d) return p;
    throw SYNTAX;
  }
}

/** Skips a string (p at its opening quote); returns the position after it and sets ESCAPED. */
function skipString(p: number): number {
  const b = B;
  const end = END;
  p++;
  let escaped = false;
  for (;;) {
    // Plain bytes (the bulk of a JSON document) in a tight loop.
    while (p < end && STRING_STOP[b[p]!] === 0) p++;
    if (p >= end) throw EOF;
    const c = b[p]!;
    if (c === 0x22) {
      ESCAPED = escaped;
      return p + 1;
    }
    if (c !== 0x5c) throw SYNTAX; // a control character
    escaped = true;
    if (p + 1 >= end) throw EOF;
    const e = b[p + 1]!;
    if (e === 0x75 /* u */) {
      if (p + 6 > end) throw EOF;
      for (let i = 2; i < 6; i++) if (!isHex(b[p + i]!)) throw SYNTAX;
      p += 6;
      continue;
    }
    if (e !== 0x22 && e !== 0x5c && e !== 0x2f && e !== 0x62 && e !== 0x66 && e !== 0x6e && e !== 0x72 && e !== 0x74) throw SYNTAX;
    p += 2;
  }
}

function scanNumber(node: TypeNode, p: number): number {
  const b = B;
  const end = END;
  const negative = b[p] === 0x2d;
  if (negative) p++;
  if (p >= end) throw EOF;
  const first = p;
  if (b[p] === 0x30) p++;
  else if (b[p]! >= 0x31 && b[p]! <= 0x39) {
    while (p < end && b[p]! >= 0x30 && b[p]! <= 0x39) p++;
  } else throw SYNTAX;
  const digits = p - first;
  let integer = true;
  if (p < end && b[p] === 0x2e /* . */) {
    integer = false;
    p++;
    const start = p;
    while (p < end && b[p]! >= 0x30 && b[p]! <= 0x39) p++;
    if (p === start) throw p >= end ? EOF : SYNTAX;
  }
  if (p < end && (b[p] === 0x65 || b[p] === 0x45) /* e E */) {
    integer = false;
    p++;
    if (p < end && (b[p] === 0x2b || b[p] === 0x2d)) p++;
    const start = p;
    while (p < end && b[p]! >= 0x30 && b[p]! <= 0x39) p++;
    if (p === start) throw p >= end ? EOF : SYNTAX;
  }
  // A number is never the last byte of a record, so running into the end means the record was cut.
  if (p >= end) throw EOF;
  let kind: Kind;
  if (!integer) kind = Kind.Double;
  else if (digits <= 9) kind = Kind.Int;
  else if (digits === 10) {
    let value = 0;
    for (let i = first; i < first + 10; i++) value = value * 10 + (b[i]! - 0x30);
    kind = value <= (negative ? 2147483648 : 2147483647) ? Kind.Int : Kind.Bigint;
  } else if (digits < 19) kind = Kind.Bigint;
  else if (digits > 19) kind = Kind.Double;
  else {
    kind = Kind.Bigint;
    const limit = negative ? "9223372036854775808" : "9223372036854775807";
    for (let i = 0; i < 19; i++) {
      const d = b[first + i]!;
      const l = limit.charCodeAt(i);
      if (d < l) break;
      if (d > l) {
        kind = Kind.Double;
        break;
      }
    }
  }
  if (node.kind !== kind) noteScalar(node, kind);
  return p;
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/** The position after the next newline at or after `from`. */
function nextLine(from: number): number {
  for (let p = from; p < END; p++) if (B[p] === 0x0a) return p + 1;
  return END;
}
