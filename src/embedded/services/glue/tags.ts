import type Database from "better-sqlite3";
import type { JsonHandler } from "../../protocols/json.js";
import type { ServiceContext } from "../../service.js";
import { writeTransaction } from "../../store/db.js";
import { asList, invalidInput, notFound, requireName } from "./api-common.js";
import { addTags, checkTags, getTags, parseGlueArn, removeTags, resourceExists } from "./tag-store.js";

/** TagResource, UntagResource, GetTags on Glue ARNs (database, table, crawler, job). */

/** The ARN of an existing resource of this account and region, normalised as Glue stores names. */
function existingArn(db: Database.Database, ctx: ServiceContext, value: unknown): string {
  const arn = requireName(value, "ResourceArn");
  if (!arn.startsWith("arn:")) throw invalidInput(`Invalid ARN: ${arn}`);
  const resource = parseGlueArn(arn, ctx.region, ctx.accountId);
  if (!resource || !resourceExists(db, resource)) throw notFound(`Resource ${arn} not found.`);
  // Databases and tables are lowercase in Glue: tag them under their stored names.
  if (resource.kind === "database") return arn.slice(0, arn.length - resource.name.length) + resource.name.toLowerCase();
  if (resource.kind === "table") return arn.slice(0, arn.lastIndexOf(":") + 1) + `table/${resource.database.toLowerCase()}/${resource.name.toLowerCase()}`;
  return arn;
}

const TagResource: JsonHandler = (input, ctx) => {
  const tags = checkTags(input.TagsToAdd);
  writeTransaction(ctx.db, () => addTags(ctx.db, existingArn(ctx.db, ctx, input.ResourceArn), tags));
  return {};
};

const UntagResource: JsonHandler = (input, ctx) => {
  const keys = asList<string>(input.TagsToRemove, "tagsToRemove", 50);
  writeTransaction(ctx.db, () => removeTags(ctx.db, existingArn(ctx.db, ctx, input.ResourceArn), keys));
  return {};
};

const GetTags: JsonHandler = (input, ctx) => ({ Tags: getTags(ctx.db, existingArn(ctx.db, ctx, input.ResourceArn)) });

export const tagHandlers: Record<string, JsonHandler> = { TagResource, UntagResource, GetTags };
