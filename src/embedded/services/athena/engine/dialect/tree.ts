import { SqlSyntaxError, tokenize, type Token } from "./tokenizer.js";

/** A token, or a bracketed group with its contents: the shape rewrites work on (arguments are never split wrongly). */
export type Node = Token | Group;

export interface Group {
  kind: "group";
  open: Token;
  close: Token;
  children: Node[];
}

/** Output text with the offset in the user's SQL it came from, so that error positions can be mapped back. */
export interface Piece {
  text: string;
  at: number;
  /** The text is the user's token as written (an offset inside it maps one to one). */
  exact?: boolean;
}

export function isGroup(node: Node | undefined): node is Group {
  return node?.kind === "group";
}

export function parseTree(sql: string): Node[] {
  const root: Node[] = [];
  const stack: { group: Group | undefined; children: Node[] }[] = [{ group: undefined, children: root }];
  for (const token of tokenize(sql)) {
    const top = stack[stack.length - 1]!;
    if (token.kind === "open") {
      const group: Group = { kind: "group", open: token, close: token, children: [] };
      top.children.push(group);
      stack.push({ group, children: group.children });
    } else if (token.kind === "close") {
      const expected = top.group?.open.text === "(" ? ")" : "]";
      if (!top.group || token.text !== expected) throw new SqlSyntaxError(`mismatched input '${token.text}'`, token.start);
      top.group.close = token;
      stack.pop();
    } else {
      top.children.push(token);
    }
  }
  const unclosed = stack[stack.length - 1]!.group;
  if (unclosed) throw new SqlSyntaxError("mismatched input '<EOF>'", sql.length);
  return root;
}

export function isTrivia(node: Node | undefined): boolean {
  return node !== undefined && node.kind !== "group" && (node.kind === "space" || node.kind === "comment" || node.kind === "raw");
}

/** The nodes without whitespace and comments (the rewrites look at meaning, not layout). */
export function significant(nodes: Node[]): Node[] {
  return nodes.filter((n) => !isTrivia(n));
}

/** Not a type guard: a word that is not one of `words` is still a token. */
export function isWord(node: Node | undefined, ...words: string[]): boolean {
  if (!node || node.kind !== "word") return false;
  return words.length === 0 || words.includes(node.text.toLowerCase());
}

export function isOp(node: Node | undefined, ...ops: string[]): boolean {
  return node !== undefined && node.kind === "op" && ops.includes(node.text);
}

export function isParen(node: Node | undefined): node is Group {
  return isGroup(node) && node.open.text === "(";
}

export function startOf(node: Node): number {
  return node.kind === "group" ? node.open.start : node.start;
}

/** Splits a node list at top-level commas. */
export function splitCommas(nodes: Node[]): Node[][] {
  const parts: Node[][] = [[]];
  for (const node of nodes) {
    if (node.kind === "comma") parts.push([]);
    else parts[parts.length - 1]!.push(node);
  }
  return parts;
}

/** The original text of nodes, as the user wrote it. */
export function sourceText(nodes: Node[]): string {
  return nodes.map((n) => (n.kind === "group" ? n.open.text + sourceText(n.children) + n.close.text : n.text)).join("");
}

/** A bracket-like group whose brackets are inserted text (`open` and `close` may hold more than a bracket). */
export function syntheticGroup(open: string, children: Node[], close: string, at: number): Group {
  return { kind: "group", open: { kind: "raw", text: open, start: at }, close: { kind: "raw", text: close, start: at }, children };
}

export function piecesText(pieces: Piece[]): string {
  return pieces.map((p) => p.text).join("");
}
