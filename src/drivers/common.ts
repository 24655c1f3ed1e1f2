import type { LakeConfig } from "../config/types.js";
import { OWNERSHIP_TAG } from "../engine/reconcile.js";
import type { AttributeChange } from "../engine/types.js";

/** The tags a resource gets: the lake's, its own, and the ownership tag (which nothing may override). */
export function resourceTags(config: LakeConfig, own: Record<string, string> = {}): Record<string, string> {
  return { ...config.tags, ...own, [OWNERSHIP_TAG]: config.lake };
}

/** Who owns a resource, from its tags: this lake, another lake, or nobody that lakewarden knows. */
export function ownership(tags: Record<string, string>, lake: string): { owned: boolean; owner?: string } {
  const owner = tags[OWNERSHIP_TAG];
  if (owner === lake) return { owned: true };
  return owner ? { owned: false, owner: `owned by lake "${owner}"` } : { owned: false };
}

/** Tags compared as AWS keeps them: `aws:` tags belong to AWS and are neither compared nor removed. */
export function userTags(tags: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(tags).filter(([k]) => !k.startsWith("aws:")).sort(([a], [b]) => a.localeCompare(b)));
}

/** Collects attribute changes; values are compared by their canonical JSON. */
export class Changes {
  readonly list: AttributeChange[] = [];

  /** Records `path` when `before` and `after` differ (or always, on create where before is undefined). */
  compare(path: string, before: unknown, after: unknown, same: (a: unknown, b: unknown) => boolean = sameJson): this {
    if (after === undefined && before === undefined) return this;
    if (before === undefined && isEmptyValue(after)) return this; // nothing to set on create
    if (before === undefined || !same(before, after)) this.list.push({ path, before, after });
    return this;
  }
}

function isEmptyValue(value: unknown): boolean {
  if (value === "" || (Array.isArray(value) && value.length === 0)) return true;
  return typeof value === "object" && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;
}

export function sameJson(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/** JSON with object keys sorted, so that two equal values always print the same. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as object).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}

/** The error name of an SDK exception (`NoSuchBucket`, `NoSuchEntityException` …), or its HTTP status. */
export function errorName(err: unknown): string {
  const e = err as { name?: string; Code?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name ?? e?.Code ?? String(e?.$metadata?.httpStatusCode ?? "");
}

export function isError(err: unknown, ...names: string[]): boolean {
  const e = err as { name?: string; Code?: string };
  return names.includes(e?.name ?? "") || names.includes(e?.Code ?? "");
}

export function httpStatus(err: unknown): number | undefined {
  return (err as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
}

/**
 * Starts a call now and hands back a function that awaits it. A failure is held until then, so a read started in
 * parallel and then not needed (the resource turned out not to exist) never becomes an unhandled rejection.
 */
export function started<T>(call: Promise<T>): () => Promise<T> {
  const held = call.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  return async () => {
    const result = await held;
    if (result.ok) return result.value;
    throw result.error;
  };
}
