import { closeSync, openSync, readSync } from "node:fs";
import { Kind, TypeNode, addField } from "./types.js";

/**
 * The schema and row count of a Parquet file from its footer (`<FileMetaData><len:u32le>PAR1` at the end), decoded
 * with a small Thrift compact-protocol reader: only the footer is read, never the data pages. Parquet types map to
 * the Hive types Glue writes (int, bigint, tinyint, smallint, float, double, boolean, string, binary, date,
 * timestamp, decimal(p,s), array, struct, map).
 */

export interface ParquetFooter {
  schema: TypeNode;
  rows: number;
  /** Bytes read from the file. */
  bytesRead: number;
}

export class ParquetError extends Error {}

const MAGIC = 0x31524150; // "PAR1" little-endian

/** Reads the footer of the file at `path` (`size` bytes). */
export function readParquetFooter(path: string, size: number): ParquetFooter {
  if (size < 12) throw new ParquetError("file too small to be Parquet");
  const fd = openSync(path, "r");
  try {
    const tailSize = Math.min(size, 8 * 1024);
    const tail = Buffer.allocUnsafe(tailSize);
    readFully(fd, tail, size - tailSize);
    let bytesRead = tailSize;
    if (tail.readUInt32LE(tailSize - 4) !== MAGIC) throw new ParquetError("no PAR1 magic at the end of the file");
    const footerLength = tail.readUInt32LE(tailSize - 8);
    if (footerLength + 8 > size - 4) throw new ParquetError("footer length is larger than the file");
    let footer: Buffer;
    if (footerLength + 8 <= tailSize) footer = tail.subarray(tailSize - 8 - footerLength, tailSize - 8);
    else {
      footer = Buffer.allocUnsafe(footerLength);
      readFully(fd, footer, size - 8 - footerLength);
      bytesRead += footerLength;
    }
    const meta = decodeFileMetaData(footer);
    return { schema: toGlueSchema(meta.schema), rows: meta.rows, bytesRead };
  } finally {
    closeSync(fd);
  }
}

function readFully(fd: number, buf: Buffer, position: number): void {
  let off = 0;
  while (off < buf.length) {
    const n = readSync(fd, buf, off, buf.length - off, position + off);
    if (n === 0) throw new ParquetError("unexpected end of file");
    off += n;
  }
}

// ---------------------------------------------------------------- Thrift compact protocol

const enum T {
  Stop = 0,
  True = 1,
  False = 2,
  Byte = 3,
  I16 = 4,
  I32 = 5,
  I64 = 6,
  Double = 7,
  Binary = 8,
  List = 9,
  Set = 10,
  Map = 11,
  Struct = 12,
}

class CompactReader {
  pos = 0;
  constructor(private readonly buf: Buffer) {}

  byte(): number {
    if (this.pos >= this.buf.length) throw new ParquetError("truncated footer");
    return this.buf[this.pos++]!;
  }

  varint(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = this.byte();
      // Beyond 2^53 precision is lost, which only matters for absurd row counts.
      result += (b & 0x7f) * 2 ** shift;
      if (!(b & 0x80)) return result;
      shift += 7;
      if (shift > 63) throw new ParquetError("varint too long");
    }
  }

  zigzag(): number {
    const v = this.varint();
    return v % 2 === 0 ? v / 2 : -(v + 1) / 2;
  }

  binary(): Buffer {
    const len = this.varint();
    if (this.pos + len > this.buf.length) throw new ParquetError("truncated footer");
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }

  /** Iterates a struct's fields: calls `onField(id, type)`, which must consume the value or return false to skip. */
  struct(onField: (id: number, type: T) => boolean): void {
    let last = 0;
    for (;;) {
      const header = this.byte();
      const type = (header & 0x0f) as T;
      if (type === T.Stop) return;
      const delta = header >> 4;
      const id = delta === 0 ? this.zigzag() : last + delta;
      last = id;
      if (!onField(id, type)) this.skip(type);
    }
  }

  list(): { size: number; type: T } {
    const header = this.byte();
    let size = header >> 4;
    if (size === 15) size = this.varint();
    return { size, type: (header & 0x0f) as T };
  }

  skip(type: T): void {
    switch (type) {
      case T.True:
      case T.False:
        return; // the value is in the field header
      case T.Byte:
        this.pos++;
        return;
      case T.I16:
      case T.I32:
      case T.I64:
        this.varint();
        return;
      case T.Double:
        this.pos += 8;
        return;
      case T.Binary:
        this.binary();
        return;
      case T.List:
      case T.Set: {
        const { size, type: element } = this.list();
        for (let i = 0; i < size; i++) {
          // Booleans inside containers take one byte each.
          if (element === T.True || element === T.False) this.pos++;
          else this.skip(element);
        }
        return;
      }
      case T.Map: {
        const size = this.varint();
        if (size === 0) return;
        const kinds = this.byte();
        const k = (kinds >> 4) as T;
        const v = (kinds & 0x0f) as T;
        for (let i = 0; i < size; i++) {
          if (k === T.True || k === T.False) this.pos++;
          else this.skip(k);
          if (v === T.True || v === T.False) this.pos++;
          else this.skip(v);
        }
        return;
      }
      case T.Struct:
        this.struct(() => false);
        return;
      default:
        throw new ParquetError(`unknown thrift type ${type as number}`);
    }
  }
}

interface SchemaElement {
  type?: number;
  repetition?: number;
  name: string;
  numChildren: number;
  converted?: number;
  scale?: number;
  precision?: number;
  logical?: { kind: number; scale?: number; precision?: number; bitWidth?: number; signed?: boolean };
}

function decodeFileMetaData(buf: Buffer): { schema: SchemaElement[]; rows: number } {
  const r = new CompactReader(buf);
  const schema: SchemaElement[] = [];
  let rows = 0;
  r.struct((id, type) => {
    if (id === 2 && type === T.List) {
      const { size } = r.list();
      for (let i = 0; i < size; i++) schema.push(decodeSchemaElement(r));
      return true;
    }
    if (id === 3 && type === T.I64) {
      rows = r.zigzag();
      return true;
    }
    return false;
  });
  if (!schema.length) throw new ParquetError("footer has no schema");
  return { schema, rows };
}

function decodeSchemaElement(r: CompactReader): SchemaElement {
  const el: SchemaElement = { name: "", numChildren: 0 };
  r.struct((id, type) => {
    switch (id) {
      case 1:
        el.type = r.zigzag();
        return true;
      case 3:
        el.repetition = r.zigzag();
        return true;
      case 4:
        el.name = r.binary().toString("utf8");
        return true;
      case 5:
        el.numChildren = r.zigzag();
        return true;
      case 6:
        el.converted = r.zigzag();
        return true;
      case 7:
        el.scale = r.zigzag();
        return true;
      case 8:
        el.precision = r.zigzag();
        return true;
      case 10:
        if (type !== T.Struct) return false;
        el.logical = decodeLogicalType(r);
        return true;
      default:
        return false;
    }
  });
  return el;
}

function decodeLogicalType(r: CompactReader): SchemaElement["logical"] {
  let logical: SchemaElement["logical"];
  r.struct((id, type) => {
    if (type !== T.Struct) return false;
    const lt: NonNullable<SchemaElement["logical"]> = { kind: id };
    r.struct((fid, ftype) => {
      if (id === 5 && (fid === 1 || fid === 2) && ftype === T.I32) {
        if (fid === 1) lt.scale = r.zigzag();
        else lt.precision = r.zigzag();
        return true;
      }
      if (id === 10 && fid === 1 && ftype === T.Byte) {
        lt.bitWidth = r.byte();
        return true;
      }
      if (id === 10 && fid === 2 && (ftype === T.True || ftype === T.False)) {
        lt.signed = ftype === T.True;
        return true;
      }
      return false;
    });
    logical = lt;
    return true;
  });
  return logical;
}

// ---------------------------------------------------------------- Parquet → Glue types

const enum Physical {
  Boolean = 0,
  Int32 = 1,
  Int64 = 2,
  Int96 = 3,
  Float = 4,
  Double = 5,
  ByteArray = 6,
  FixedLenByteArray = 7,
}
const REPEATED = 2;
// Converted types.
const C_UTF8 = 0, C_MAP = 1, C_MAP_KEY_VALUE = 2, C_LIST = 3, C_ENUM = 4, C_DECIMAL = 5, C_DATE = 6;
const C_TIMESTAMP_MILLIS = 9, C_TIMESTAMP_MICROS = 10, C_UINT_8 = 11, C_UINT_16 = 12, C_UINT_32 = 13;
const C_INT_8 = 15, C_INT_16 = 16, C_JSON = 19;
// Logical type union ids.
const L_STRING = 1, L_MAP = 2, L_LIST = 3, L_ENUM = 4, L_DECIMAL = 5, L_DATE = 6, L_TIMESTAMP = 8, L_INTEGER = 10;
const L_JSON = 12, L_UUID = 14;

interface SchemaTree {
  el: SchemaElement;
  children: SchemaTree[];
}

function toGlueSchema(elements: SchemaElement[]): TypeNode {
  let index = 0;
  const build = (): SchemaTree => {
    const el = elements[index++];
    if (!el) throw new ParquetError("schema tree is truncated");
    const children: SchemaTree[] = [];
    for (let i = 0; i < el.numChildren; i++) children.push(build());
    return { el, children };
  };
  const root = build();
  const struct = TypeNode.of(Kind.Struct);
  for (const child of root.children) addField(struct, child.el.name, convertField(child));
  return struct;
}

/** The type of a field, arrays for repeated fields included. */
function convertField(node: SchemaTree): TypeNode {
  const inner = convertNode(node);
  return node.el.repetition === REPEATED ? TypeNode.array(inner) : inner;
}

function convertNode(node: SchemaTree): TypeNode {
  const { el, children } = node;
  if (el.type !== undefined && el.numChildren === 0) return convertPrimitive(el);
  const logical = el.logical?.kind;
  if (logical === L_LIST || el.converted === C_LIST) return TypeNode.array(listElement(node));
  if (logical === L_MAP || el.converted === C_MAP || el.converted === C_MAP_KEY_VALUE) {
    const kv = children[0];
    if (kv && kv.children.length === 2) return TypeNode.map(convertField(kv.children[0]!), convertField(kv.children[1]!));
  }
  const struct = TypeNode.of(Kind.Struct);
  for (const child of children) addField(struct, child.el.name, convertField(child));
  return struct;
}

/** The element of a LIST-annotated group, with the Parquet spec's backward-compatibility rules. */
function listElement(list: SchemaTree): TypeNode {
  const repeated = list.children[0];
  if (!repeated) return TypeNode.of(Kind.String);
  if (repeated.el.type !== undefined && repeated.el.numChildren === 0) return convertPrimitive(repeated.el);
  if (repeated.children.length > 1) return convertNode({ el: { ...repeated.el, logical: undefined, converted: undefined }, children: repeated.children });
  if (repeated.el.name === "array" || repeated.el.name === `${list.el.name}_tuple`) {
    return convertNode({ el: { ...repeated.el, logical: undefined, converted: undefined }, children: repeated.children });
  }
  return convertField(repeated.children[0]!);
}

function convertPrimitive(el: SchemaElement): TypeNode {
  const logical = el.logical;
  const lk = logical?.kind;
  const decimal = lk === L_DECIMAL || el.converted === C_DECIMAL;
  if (decimal) return TypeNode.decimal(logical?.precision ?? el.precision ?? 10, logical?.scale ?? el.scale ?? 0);
  switch (el.type) {
    case Physical.Boolean:
      return TypeNode.of(Kind.Boolean);
    case Physical.Int32: {
      if (lk === L_DATE || el.converted === C_DATE) return TypeNode.of(Kind.Date);
      if (lk === L_INTEGER) {
        const width = logical?.bitWidth ?? 32;
        const signed = logical?.signed !== false;
        if (width === 8) return TypeNode.of(signed ? Kind.Tinyint : Kind.Smallint);
        if (width === 16) return TypeNode.of(signed ? Kind.Smallint : Kind.Int);
        return TypeNode.of(signed ? Kind.Int : Kind.Bigint);
      }
      if (el.converted === C_INT_8) return TypeNode.of(Kind.Tinyint);
      if (el.converted === C_INT_16 || el.converted === C_UINT_8) return TypeNode.of(Kind.Smallint);
      if (el.converted === C_UINT_16) return TypeNode.of(Kind.Int);
      if (el.converted === C_UINT_32) return TypeNode.of(Kind.Bigint);
      return TypeNode.of(Kind.Int);
    }
    case Physical.Int64:
      if (lk === L_TIMESTAMP || el.converted === C_TIMESTAMP_MILLIS || el.converted === C_TIMESTAMP_MICROS) return TypeNode.of(Kind.Timestamp);
      return TypeNode.of(Kind.Bigint);
    case Physical.Int96:
      return TypeNode.of(Kind.Timestamp);
    case Physical.Float:
      return TypeNode.of(Kind.Float);
    case Physical.Double:
      return TypeNode.of(Kind.Double);
    case Physical.ByteArray:
      if (lk === L_STRING || lk === L_ENUM || lk === L_JSON || el.converted === C_UTF8 || el.converted === C_ENUM || el.converted === C_JSON) {
        return TypeNode.of(Kind.String);
      }
      return TypeNode.of(Kind.Binary);
    case Physical.FixedLenByteArray:
      if (lk === L_UUID) return TypeNode.of(Kind.String);
      return TypeNode.of(Kind.Binary);
    default:
      return TypeNode.of(Kind.String);
  }
}
