import type { FileSample } from "./sample.js";
import { Kind, TypeNode, type Field } from "./types.js";

/**
 * FileSamples as plain data, to cross a worker boundary (structured clone would drop TypeNode's class and the
 * scanner's caches). The type tree keeps what merging needs: kinds (Unknown included), field names, first
 * spellings, decimal precision.
 */

export interface EncodedNode {
  k: Kind;
  p?: number;
  s?: number;
  f?: [name: string, original: string, type: EncodedNode][];
  e?: EncodedNode;
  key?: EncodedNode;
}

export type EncodedSample = Omit<FileSample, "schema"> & { schema?: EncodedNode };

export function encodeNode(node: TypeNode): EncodedNode {
  const out: EncodedNode = { k: node.kind };
  if (node.kind === Kind.Decimal) {
    out.p = node.precision;
    out.s = node.scale;
  }
  if (node.fields) out.f = node.fields.map((f) => [f.name, f.original, encodeNode(f.type)]);
  if (node.element) out.e = encodeNode(node.element);
  if (node.key) out.key = encodeNode(node.key);
  return out;
}

export function decodeNode(encoded: EncodedNode): TypeNode {
  const node = new TypeNode();
  node.kind = encoded.k;
  if (encoded.p !== undefined) node.precision = encoded.p;
  if (encoded.s !== undefined) node.scale = encoded.s;
  if (encoded.f) {
    node.fields = [];
    node.byName = new Map();
    for (const [name, original, type] of encoded.f) {
      const field: Field = { name, original, type: decodeNode(type), spellings: [], next: undefined };
      node.fields.push(field);
      node.byName.set(name, field);
    }
  }
  if (encoded.e) node.element = decodeNode(encoded.e);
  if (encoded.key) node.key = decodeNode(encoded.key);
  return node;
}

export function encodeSample(sample: FileSample): EncodedSample {
  const { schema, ...rest } = sample;
  return schema ? { ...rest, schema: encodeNode(schema) } : rest;
}

export function decodeSample(encoded: EncodedSample): FileSample {
  const { schema, ...rest } = encoded;
  return schema ? { ...rest, schema: decodeNode(schema) } : rest;
}
