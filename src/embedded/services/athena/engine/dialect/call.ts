import { UnsupportedFormatError } from "./datetime-formats.js";
import { text } from "./expressions.js";
import { macro } from "./macros.js";
import { TranslationError } from "./positions.js";
import { isGroup, significant, startOf, type Group, type Node, type Piece } from "./tree.js";
import type { Token } from "./tokenizer.js";

/** What a function rewrite works with, and the small builders every rewrite uses. */

export interface Call {
  name: Token;
  group: Group;
  /** The arguments as written (nodes), and rewritten. */
  nodes: Node[][];
  args: Piece[][];
  at: number;
}

export type Rewriter = (call: Call) => Piece[];

/** Our macros are called by their qualified name (see macros.ts). */
export function qualify(name: string): string {
  return name.startsWith("trino_") ? macro(name) : name;
}

export function fn(name: string, args: Piece[][], at: number): Piece[] {
  const out: Piece[] = [text(`${qualify(name)}(`, at)];
  args.forEach((arg, i) => {
    if (i > 0) out.push(text(", ", at));
    out.push(...arg);
  });
  out.push(text(")", at));
  return out;
}

export function wrap(before: string, inner: Piece[], after: string, at: number): Piece[] {
  return [text(qualify(before), at), ...inner, text(after, at)];
}

/** The value of a string-literal argument, or undefined when the argument is not a literal. */
export function literal(nodes: Node[] | undefined): string | undefined {
  const sig = significant(nodes ?? []);
  const only = sig[0];
  if (sig.length !== 1 || !only || isGroup(only) || only.kind !== "string") return undefined;
  return only.text.slice(1, -1).replace(/''/g, "'");
}

export function sqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

export function arity(call: Call, min: number, max = min): void {
  const n = call.args.length === 1 && significant(call.nodes[0] ?? []).length === 0 ? 0 : call.args.length;
  if (n < min || n > max) {
    const name = call.name.text.toLowerCase();
    throw new TranslationError("FUNCTION_NOT_FOUND", `Unexpected parameters for function ${name}: ${n} arguments`, call.at);
  }
}

export const rename = (to: string): Rewriter => (call) => fn(to, call.args, call.at);
export const renameWithArity = (to: string, min: number, max = min): Rewriter => (call) => {
  arity(call, min, max);
  return fn(to, call.args, call.at);
};

export function formatArg(call: Call, index: number, convert: (f: string) => string): Piece[] {
  const value = literal(call.nodes[index]);
  if (value === undefined) {
    throw new TranslationError("NOT_SUPPORTED", `${call.name.text.toLowerCase()} with a format that is not a literal is not supported`, call.at);
  }
  try {
    return [text(sqlString(convert(value)), startOf(significant(call.nodes[index]!)[0]!))];
  } catch (err) {
    if (err instanceof UnsupportedFormatError) throw new TranslationError("INVALID_FUNCTION_ARGUMENT", err.message, call.at);
    throw err;
  }
}

/** `$["a b"]` and `$['a']` (Trino JSON paths) → `$."a b"` (DuckDB); other paths pass through. */
export function jsonPathArg(call: Call, index: number): Piece[] {
  const value = literal(call.nodes[index]);
  if (value === undefined) return call.args[index]!;
  const converted = value.replace(/\[\s*(["'])(.*?)\1\s*\]/g, (_m, _q, key: string) => `."${key}"`);
  return [text(sqlString(converted), call.at)];
}
