/**
 * IAM policy documents compared by meaning: statement order, a single value vs a one-element list, key order and
 * URL-encoding (IAM returns documents URL-encoded) all make no difference.
 */
export type PolicyDocument = { Version?: string; Statement: Statement[] | Statement; [key: string]: unknown };
type Statement = Record<string, unknown>;

const LIST_KEYS = ["Action", "NotAction", "Resource", "NotResource"];

export function parsePolicy(text: string | undefined): PolicyDocument | undefined {
  if (text === undefined || text === "") return undefined;
  const decoded = text.trimStart().startsWith("{") ? text : decodeURIComponent(text);
  return JSON.parse(decoded) as PolicyDocument;
}

export function normalizePolicy(doc: PolicyDocument | undefined): unknown {
  if (doc === undefined) return undefined;
  const statements = (Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement]).map(normalizeStatement);
  statements.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  return { Version: doc.Version ?? "2008-10-17", Statement: statements };
}

export function samePolicy(a: PolicyDocument | undefined, b: PolicyDocument | undefined): boolean {
  return JSON.stringify(normalizePolicy(a)) === JSON.stringify(normalizePolicy(b));
}

function normalizeStatement(statement: Statement): Statement {
  const out: Statement = {};
  for (const key of Object.keys(statement).sort()) {
    const value = statement[key];
    if (LIST_KEYS.includes(key)) out[key] = sortedList(value);
    else if (key === "Principal" || key === "NotPrincipal") out[key] = value === "*" ? "*" : mapOfLists(value);
    else if (key === "Condition") out[key] = Object.fromEntries(Object.keys(value as object).sort().map((op) => [op, mapOfLists((value as Record<string, unknown>)[op])]));
    else out[key] = value;
  }
  return out;
}

function sortedList(value: unknown): unknown[] {
  return (Array.isArray(value) ? [...value] : [value]).map(String).sort();
}

function mapOfLists(value: unknown): Record<string, unknown[]> {
  const entries = Object.entries((value ?? {}) as Record<string, unknown>);
  return Object.fromEntries(entries.sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, sortedList(v)]));
}
