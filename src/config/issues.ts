/** A problem found in a configuration, located in a file. */
export interface Position {
  line: number;
  col: number;
}

export interface Issue {
  file: string;
  pos: Position;
  /** Where in the document, e.g. ["crawlers", 0, "targets"]; empty for the document itself. */
  path: readonly (string | number)[];
  /** What is wrong. */
  problem: string;
  /** What is expected instead, phrased to follow a dash: `expected …`, `did you mean …?`. */
  expected: string;
}

/** `crawlers[0].targets[1]`, `jobs[0].arguments["--target_path"]`. */
export function formatPath(path: readonly (string | number)[]): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(seg)) out += out === "" ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/** `FILE:LINE:COL: path.to.key: what is wrong — what is expected` */
export function formatIssue(issue: Issue): string {
  const where = `${issue.file}:${issue.pos.line}:${issue.pos.col}`;
  const path = formatPath(issue.path);
  return `${where}: ${path ? `${path}: ` : ""}${issue.problem} — ${issue.expected}`;
}

/** Issues sorted as a reader goes through the files: by file, line, column. */
export function sortIssues(issues: Issue[]): Issue[] {
  return [...issues].sort(
    (a, b) => a.file.localeCompare(b.file) || a.pos.line - b.pos.line || a.pos.col - b.pos.col,
  );
}

/** Thrown when a configuration cannot be used; carries every issue found, not just the first. */
export class ConfigError extends Error {
  readonly issues: Issue[];

  constructor(issues: Issue[]) {
    const sorted = sortIssues(issues);
    super(`invalid configuration (${sorted.length} ${sorted.length === 1 ? "error" : "errors"}):\n${sorted.map(formatIssue).join("\n")}`);
    this.name = "ConfigError";
    this.issues = sorted;
  }
}
