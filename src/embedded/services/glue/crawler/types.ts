/**
 * The types a crawler infers, as a mutable tree that samples are merged into (one per file, then per partition and
 * per table), and their Glue/Hive spelling (`int`, `struct<a:string>` …).
 *
 * Merging follows what Glue writes for conflicting samples: int + bigint → bigint; int/bigint/float + double →
 * double; struct + struct → field-wise merge (fields in first-seen order); array + array → element merge;
 * map + map → key/value merge; anything else that differs → string. A value only ever seen as null (or an empty
 * array's element, an empty object) ends up as string.
 */

export const enum Kind {
  /** Only nulls so far. */
  Unknown = 0,
  Boolean,
  Tinyint,
  Smallint,
  Int,
  Bigint,
  Float,
  Double,
  Decimal,
  String,
  Binary,
  Date,
  Timestamp,
  Struct,
  Array,
  Map,
}

export interface Field {
  /** Column (or struct field) name, lowercased. */
  name: string;
  /** The key as first seen in the data (the JSON SerDe's `paths` keeps these). */
  original: string;
  type: TypeNode;
  /** UTF-8 spellings of the key seen so far (a fast path for the JSON scanner). */
  spellings: Uint8Array[];
  /** The JSON scanner's guess of the key that follows this one in a record (the last one that did). */
  next: Field | undefined;
}

export class TypeNode {
  kind: Kind = Kind.Unknown;
  /** Struct fields in first-seen order. */
  fields: Field[] | undefined;
  byName: Map<string, Field> | undefined;
  /** Array element, or map value. */
  element: TypeNode | undefined;
  /** Map key. */
  key: TypeNode | undefined;
  precision = 0;
  scale = 0;

  static of(kind: Kind): TypeNode {
    const node = new TypeNode();
    node.kind = kind;
    if (kind === Kind.Struct) {
      node.fields = [];
      node.byName = new Map();
    }
    return node;
  }

  static decimal(precision: number, scale: number): TypeNode {
    const node = TypeNode.of(Kind.Decimal);
    node.precision = precision;
    node.scale = scale;
    return node;
  }

  static array(element: TypeNode): TypeNode {
    const node = TypeNode.of(Kind.Array);
    node.element = element;
    return node;
  }

  static map(key: TypeNode, value: TypeNode): TypeNode {
    const node = TypeNode.of(Kind.Map);
    node.key = key;
    node.element = value;
    return node;
  }

  static struct(fields: { name: string; type: TypeNode }[]): TypeNode {
    const node = TypeNode.of(Kind.Struct);
    for (const f of fields) addField(node, f.name, f.type);
    return node;
  }

  /** Drops children: the node has become a scalar (usually string, after a conflict). */
  becomeScalar(kind: Kind): void {
    this.kind = kind;
    this.fields = undefined;
    this.byName = undefined;
    this.element = undefined;
    this.key = undefined;
  }

  clone(): TypeNode {
    const copy = new TypeNode();
    copy.kind = this.kind;
    copy.precision = this.precision;
    copy.scale = this.scale;
    if (this.fields) {
      copy.fields = [];
      copy.byName = new Map();
      for (const f of this.fields) {
        const field: Field = { name: f.name, original: f.original, type: f.type.clone(), spellings: f.spellings.slice(), next: undefined };
        copy.fields.push(field);
        copy.byName.set(field.name, field);
      }
    }
    copy.element = this.element?.clone();
    copy.key = this.key?.clone();
    return copy;
  }
}

/** Adds a field to a struct node (or returns the existing one of that lowercased name). */
export function addField(struct: TypeNode, original: string, type = new TypeNode()): Field {
  const name = original.toLowerCase();
  const existing = struct.byName!.get(name);
  if (existing) return existing;
  const field: Field = { name, original, type, spellings: [], next: undefined };
  struct.fields!.push(field);
  struct.byName!.set(name, field);
  return field;
}

const NUMERIC_RANK: Partial<Record<Kind, number>> = {
  [Kind.Tinyint]: 1,
  [Kind.Smallint]: 2,
  [Kind.Int]: 3,
  [Kind.Bigint]: 4,
  [Kind.Float]: 5,
  [Kind.Double]: 6,
};

/** The kind two scalar kinds merge to (both known, neither a container). */
export function mergeScalarKinds(a: Kind, b: Kind): Kind {
  if (a === b) return a;
  if (a === Kind.Unknown) return b;
  if (b === Kind.Unknown) return a;
  const ra = NUMERIC_RANK[a];
  const rb = NUMERIC_RANK[b];
  if (ra !== undefined && rb !== undefined) {
    const top = ra > rb ? a : b;
    // float only stays float against a smaller integer; float + bigint/int → double as Glue widens.
    return top === Kind.Float && (a === Kind.Int || b === Kind.Int || a === Kind.Bigint || b === Kind.Bigint) ? Kind.Double : top;
  }
  if ((a === Kind.Decimal && rb !== undefined) || (b === Kind.Decimal && ra !== undefined)) return Kind.Double;
  if ((a === Kind.Date && b === Kind.Timestamp) || (a === Kind.Timestamp && b === Kind.Date)) return Kind.Timestamp;
  return Kind.String;
}

function isContainer(kind: Kind): boolean {
  return kind === Kind.Struct || kind === Kind.Array || kind === Kind.Map;
}

/** Merges `from` into `into` (mutating `into`; `from` is left alone and never aliased). */
export function mergeInto(into: TypeNode, from: TypeNode): void {
  if (from.kind === Kind.Unknown) return;
  if (into.kind === Kind.Unknown) {
    const copy = from.clone();
    into.kind = copy.kind;
    into.fields = copy.fields;
    into.byName = copy.byName;
    into.element = copy.element;
    into.key = copy.key;
    into.precision = copy.precision;
    into.scale = copy.scale;
    return;
  }
  if (into.kind === Kind.String) return;
  if (into.kind !== from.kind && (isContainer(into.kind) || isContainer(from.kind))) {
    into.becomeScalar(Kind.String);
    return;
  }
  switch (into.kind) {
    case Kind.Struct:
      for (const f of from.fields!) {
        const target = into.byName!.get(f.name);
        if (target) {
          mergeInto(target.type, f.type);
          for (const s of f.spellings) if (!target.spellings.some((t) => sameBytes(t, s))) target.spellings.push(s);
        } else {
          const field: Field = { name: f.name, original: f.original, type: f.type.clone(), spellings: f.spellings.slice(), next: undefined };
          into.fields!.push(field);
          into.byName!.set(field.name, field);
        }
      }
      return;
    case Kind.Array:
      mergeInto(into.element!, from.element!);
      return;
    case Kind.Map:
      mergeInto(into.key!, from.key!);
      mergeInto(into.element!, from.element!);
      return;
    case Kind.Decimal:
      if (from.kind === Kind.Decimal) {
        const integer = Math.max(into.precision - into.scale, from.precision - from.scale);
        into.scale = Math.max(into.scale, from.scale);
        into.precision = Math.min(38, integer + into.scale);
        return;
      }
      into.becomeScalar(mergeScalarKinds(into.kind, from.kind));
      return;
    default:
      into.becomeScalar(mergeScalarKinds(into.kind, from.kind));
  }
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const SCALAR_NAMES: Partial<Record<Kind, string>> = {
  [Kind.Unknown]: "string",
  [Kind.Boolean]: "boolean",
  [Kind.Tinyint]: "tinyint",
  [Kind.Smallint]: "smallint",
  [Kind.Int]: "int",
  [Kind.Bigint]: "bigint",
  [Kind.Float]: "float",
  [Kind.Double]: "double",
  [Kind.String]: "string",
  [Kind.Binary]: "binary",
  [Kind.Date]: "date",
  [Kind.Timestamp]: "timestamp",
};

/** The Hive type string Glue writes: `struct<a:int,b:array<string>>`. */
export function glueType(node: TypeNode): string {
  switch (node.kind) {
    case Kind.Struct:
      // A struct never seen with a field (only `{}`) has no Hive spelling: Glue falls back to string.
      if (!node.fields!.length) return "string";
      return `struct<${node.fields!.map((f) => `${f.name}:${glueType(f.type)}`).join(",")}>`;
    case Kind.Array:
      return `array<${glueType(node.element!)}>`;
    case Kind.Map:
      return `map<${glueType(node.key!)},${glueType(node.element!)}>`;
    case Kind.Decimal:
      return `decimal(${node.precision},${node.scale})`;
    default:
      return SCALAR_NAMES[node.kind] ?? "string";
  }
}

/** A Glue column: name and type string. */
export interface GlueColumn {
  Name: string;
  Type: string;
}

const columnsMemo = new WeakMap<TypeNode, GlueColumn[]>();

/**
 * The columns of a record schema (a struct node), in first-seen order. Memoized per node: call it on nodes that no
 * longer change (a sample's schema, a merged schema), and do not modify the result.
 */
export function columnsOf(record: TypeNode): GlueColumn[] {
  if (record.kind !== Kind.Struct) return [];
  let columns = columnsMemo.get(record);
  if (!columns) columnsMemo.set(record, (columns = record.fields!.map((f) => ({ Name: f.name, Type: glueType(f.type) }))));
  return columns;
}

/**
 * Parses a Glue type string back into a tree (for merging a crawl with a table already in the catalog).
 * Unknown spellings become string.
 */
export function parseGlueType(text: string): TypeNode {
  let pos = 0;
  const peek = () => text[pos];
  const ident = (): string => {
    const start = pos;
    while (pos < text.length && !"<>,:()".includes(text[pos]!)) pos++;
    return text.slice(start, pos).trim();
  };
  const expect = (c: string) => {
    if (text[pos] !== c) throw new Error(`expected ${c}`);
    pos++;
  };
  const parse = (): TypeNode => {
    const name = ident().toLowerCase();
    switch (name) {
      case "struct": {
        expect("<");
        const node = TypeNode.of(Kind.Struct);
        if (peek() !== ">") {
          for (;;) {
            const field = ident();
            expect(":");
            addField(node, field, parse());
            if (peek() === ",") pos++;
            else break;
          }
        }
        expect(">");
        return node;
      }
      case "array": {
        expect("<");
        const element = parse();
        expect(">");
        return TypeNode.array(element);
      }
      case "map": {
        expect("<");
        const key = parse();
        expect(",");
        const value = parse();
        expect(">");
        return TypeNode.map(key, value);
      }
      case "decimal": {
        if (peek() === "(") {
          pos++;
          const p = Number(ident());
          let s = 0;
          if (peek() === ",") {
            pos++;
            s = Number(ident());
          }
          expect(")");
          return TypeNode.decimal(p, s);
        }
        return TypeNode.decimal(10, 0);
      }
      default: {
        const kind = (
          {
            boolean: Kind.Boolean,
            tinyint: Kind.Tinyint,
            smallint: Kind.Smallint,
            int: Kind.Int,
            integer: Kind.Int,
            bigint: Kind.Bigint,
            float: Kind.Float,
            double: Kind.Double,
            string: Kind.String,
            binary: Kind.Binary,
            date: Kind.Date,
            timestamp: Kind.Timestamp,
          } as Record<string, Kind>
        )[name];
        // varchar(n), char(n): string.
        if (peek() === "(") {
          while (pos < text.length && text[pos] !== ")") pos++;
          pos++;
        }
        return TypeNode.of(kind ?? Kind.String);
      }
    }
  };
  try {
    return parse();
  } catch {
    return TypeNode.of(Kind.String);
  }
}
