/**
 * Saved queries are written as blocks in .sql files:
 *
 *   -- name: daily_active_users
 *   -- description: Distinct users per day
 *   SELECT ...;
 *
 * Each block becomes one Athena named query. The file stays a plain SQL file that runs in any editor.
 */
export interface ParsedQuery {
  name: string;
  description?: string;
  sql: string;
  /** 1-based line of the `-- name:` line. */
  line: number;
}

export interface QueryFileProblem {
  line: number;
  col: number;
  problem: string;
  expected: string;
}

const NAME_LINE = /^--\s*name:\s*(.*?)\s*$/;
const DESCRIPTION_LINE = /^--\s*description:\s*(.*?)\s*$/;

export function parseSavedQueries(text: string): { queries: ParsedQuery[]; problems: QueryFileProblem[] } {
  const lines = text.split(/\r?\n/);
  const queries: ParsedQuery[] = [];
  const problems: QueryFileProblem[] = [];
  let current: { name: string; description?: string; line: number; body: string[] } | undefined;

  const finish = () => {
    if (!current?.name) return; // no block, or an orphan statement already reported
    const sql = current.body.join("\n").trim().replace(/;\s*$/, "").trim();
    if (!stripComments(sql).trim()) {
      problems.push({ line: current.line, col: 1, problem: `saved query "${current.name}" has no SQL`, expected: "expected a statement after the -- name: line" });
    } else if (statementCount(sql) > 1) {
      problems.push({ line: current.line, col: 1, problem: `saved query "${current.name}" holds more than one statement`, expected: "expected one statement per -- name: block" });
    } else {
      queries.push({ name: current.name, ...(current.description ? { description: current.description } : {}), sql, line: current.line });
    }
  };

  lines.forEach((text, index) => {
    const line = index + 1;
    const name = NAME_LINE.exec(text);
    if (name) {
      finish();
      current = { name: name[1]!, line, body: [] };
      if (!current.name) problems.push({ line, col: 1, problem: "-- name: has no name", expected: "expected -- name: <query_name>" });
      return;
    }
    if (!current) {
      if (text.trim() && !text.trim().startsWith("--")) {
        problems.push({ line, col: 1, problem: "SQL before the first -- name: line", expected: "expected every statement under a -- name: <query_name> line" });
        current = { name: "", line, body: [] }; // swallow the orphan statement, reported once
      }
      return;
    }
    const description = current.body.every((l) => !l.trim()) && current.description === undefined ? DESCRIPTION_LINE.exec(text) : null;
    if (description) current.description = description[1]!;
    else current.body.push(text);
  });
  finish();
  return { queries: queries.filter((q) => q.name), problems };
}

/** Removes `--` line comments and block comments outside string literals. */
function stripComments(sql: string): string {
  return scan(sql).code;
}

/** Statements separated by `;` outside strings, identifiers and comments. */
function statementCount(sql: string): number {
  return scan(sql).statements.filter((s) => s.trim()).length;
}

function scan(sql: string): { code: string; statements: string[] } {
  let code = "";
  const statements: string[] = [];
  let current = "";
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i]!;
    if (c === "-" && sql[i + 1] === "-") {
      while (i < sql.length && sql[i] !== "\n") i++;
      code += "\n";
      current += "\n";
      continue;
    }
    if (c === "/" && sql[i + 1] === "*") {
      const end = sql.indexOf("*/", i + 2);
      i = end < 0 ? sql.length : end + 1;
      continue;
    }
    if (c === "'" || c === '"' || c === "`") {
      let j = i + 1;
      while (j < sql.length && !(sql[j] === c && sql[j + 1] !== c)) j += sql[j] === c ? 2 : 1;
      const literal = sql.slice(i, j + 1);
      code += literal;
      current += literal;
      i = j;
      continue;
    }
    if (c === ";") {
      statements.push(current);
      current = "";
      code += c;
      continue;
    }
    code += c;
    current += c;
  }
  statements.push(current);
  return { code, statements };
}
