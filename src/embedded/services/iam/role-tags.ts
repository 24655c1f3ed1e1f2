import type { QueryHandler } from "../../protocols/query.js";
import { page, requireRole, tagsOf } from "./store.js";
import { maxItems, mergeTags, roleName, tagsParam } from "./validate.js";

/** Role tags: IAM keys are case-insensitive, so tagging `env` replaces `Env`. */

export const TagRole: QueryHandler = (params, ctx) => {
  const role = requireRole(ctx.db, roleName(params));
  const tags = mergeTags(tagsOf(role), tagsParam(params));
  ctx.db.prepare("UPDATE iam_roles SET tags = ? WHERE name = ?").run(JSON.stringify(tags), role.name);
  return undefined;
};

export const UntagRole: QueryHandler = (params, ctx) => {
  const role = requireRole(ctx.db, roleName(params));
  const removed = new Set(params.strings("TagKeys").map((k) => k.toLowerCase()));
  const tags = tagsOf(role).filter((t) => !removed.has(t.Key.toLowerCase()));
  ctx.db.prepare("UPDATE iam_roles SET tags = ? WHERE name = ?").run(JSON.stringify(tags), role.name);
  return undefined;
};

export const ListRoleTags: QueryHandler = (params, ctx) => {
  const role = requireRole(ctx.db, roleName(params));
  // Paged in the order the tags were added: the key of each is its position.
  const indexed = tagsOf(role).map((tag, i) => ({ tag, key: String(i).padStart(4, "0") }));
  const { items, ...paging } = page(indexed, (t) => t.key, params.string("Marker"), maxItems(params));
  return { Tags: items.map((t) => t.tag), ...paging };
};
