import { readFileSync } from "node:fs";
import { Document, LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument, type Node } from "yaml";
import type { Issue, Position } from "./issues.js";

export type ConfigPath = readonly (string | number)[];

/**
 * A YAML file kept with its syntax tree, so that every later check can point at the line and column of the value
 * (or key) it complains about.
 */
export class YamlSource {
  readonly lineCounter = new LineCounter();
  readonly doc: Document;

  constructor(
    readonly file: string,
    readonly text: string,
  ) {
    this.doc = parseDocument(text, { lineCounter: this.lineCounter, prettyErrors: false, merge: true, uniqueKeys: true });
  }

  static read(file: string): YamlSource {
    return new YamlSource(file, readFileSync(file, "utf8"));
  }

  /** YAML syntax errors, as issues. */
  syntaxIssues(): Issue[] {
    return this.doc.errors.map((err) => ({
      file: this.file,
      pos: this.positionOf(this.errorOffset(err.code, err.message, err.pos[0])),
      path: [],
      // The library appends " at line N, column M:" and a code excerpt; the location is printed by us.
      problem: `YAML syntax: ${lowerFirst(err.message.replace(/ at line \d+, column \d+:?[\s\S]*$/, "").trim())}`,
      expected: syntaxHint(err.code),
    }));
  }

  /** An unterminated quote is reported where the file ends; the opening quote is where the reader must look. */
  private errorOffset(code: string, message: string, offset: number): number {
    const quote = code === "MISSING_CHAR" ? /Missing closing (["'])quote/.exec(message)?.[1] : undefined;
    if (!quote) return offset;
    const opening = this.text.lastIndexOf(quote, Math.min(offset, this.text.length) - 1);
    return opening >= 0 ? opening : offset;
  }

  positionOf(offset: number): Position {
    const { line, col } = this.lineCounter.linePos(Math.max(0, Math.min(offset, this.text.length)));
    return { line, col };
  }

  /**
   * Position of the value at `path`, or of its key when `onKey` is set. A path that does not exist (a missing key,
   * a value given by a default) points at the nearest ancestor that does.
   */
  locate(path: ConfigPath, onKey = false): Position {
    let node: unknown = this.doc.contents;
    let keyNode: Node | undefined;
    let lastFound: Node | undefined = isNode(node) ? node : undefined;
    for (const segment of path) {
      node = this.deref(node);
      keyNode = undefined;
      let next: unknown;
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
        next = pair?.value ?? (pair ? null : undefined);
        keyNode = isNode(pair?.key) ? (pair.key as Node) : undefined;
        if (pair && next === null) next = pair.key; // `key:` with no value: point at the key
      } else if (isSeq(node) && typeof segment === "number") {
        next = node.items[segment];
      }
      if (next === undefined) break;
      node = next;
      if (isNode(node)) lastFound = node;
    }
    const target = onKey && keyNode ? keyNode : lastFound;
    return this.positionOf(target?.range?.[0] ?? 0);
  }

  /**
   * Position of `needle` inside the scalar at `path` (e.g. one `${...}` expression), falling back to the scalar.
   * Exact for plain and quoted scalars without escapes, which is what configuration values are.
   */
  locateWithin(path: ConfigPath, needle: string): Position {
    const node = this.nodeAt(path);
    const range = node?.range;
    if (range) {
      const at = this.text.slice(range[0], range[1]).indexOf(needle);
      if (at >= 0) return this.positionOf(range[0] + at);
    }
    return this.locate(path);
  }

  private nodeAt(path: ConfigPath): Node | undefined {
    const node = this.doc.getIn(path, true);
    return isNode(node) ? node : undefined;
  }

  private deref(node: unknown): unknown {
    return isAlias(node) ? node.resolve(this.doc) : node;
  }
}

function isNode(value: unknown): value is Node {
  return typeof value === "object" && value !== null && "range" in value;
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

function syntaxHint(code: string): string {
  switch (code) {
    case "DUPLICATE_KEY":
      return "each key once per mapping";
    case "MISSING_CHAR":
      return "the closing quote or bracket";
    case "BAD_INDENT":
    case "BAD_SCALAR_START":
      return "consistent indentation (spaces, not tabs)";
    case "TAB_AS_INDENT":
      return "spaces for indentation, not tabs";
    default:
      return "valid YAML";
  }
}
