import type { JsonHandler } from "../../protocols/json.js";
import type { ServiceContext } from "../../service.js";
import { writeTransaction } from "../../store/db.js";
import { pagePosition, pageSize, pageToken, requiredString, resourceNotFound, stringList, validationError } from "./api-common.js";
import { addTags, checkTags, getTags, removeTags } from "./tag-store.js";
import { findWorkGroup, workgroupArn } from "./workgroup-rows.js";

/** TagResource, UntagResource, ListTagsForResource on workgroup ARNs (`arn:aws:athena:<region>:<account>:workgroup/<name>`). */

// Athena's odd bounds for ListTagsForResource: at least 75 a page.
const MIN_TAG_PAGE = 75;
const MAX_TAG_PAGE = 100;

/** The ARN of an existing workgroup of this account and region, or ResourceNotFoundException. */
function requireTaggable(ctx: ServiceContext, value: unknown): string {
  const arn = requiredString(value, "ResourceARN", 1, 1011);
  const match = /^arn:aws:athena:([^:]+):(\d{12}):workgroup\/(.+)$/.exec(arn);
  const exists = match && match[1] === ctx.region && match[2] === ctx.accountId && findWorkGroup(ctx.db, match[3]!) !== undefined;
  if (!exists) throw resourceNotFound(`Resource ${arn} does not exist.`, arn);
  return workgroupArn(ctx.region, ctx.accountId, match![3]!);
}

const TagResource: JsonHandler = (input, ctx) => {
  const tags = checkTags(input.Tags);
  if (!tags.length) throw validationError("tags", "Member must not be null");
  writeTransaction(ctx.db, () => addTags(ctx.db, requireTaggable(ctx, input.ResourceARN), tags));
  return {};
};

const UntagResource: JsonHandler = (input, ctx) => {
  const keys = stringList(input.TagKeys, "TagKeys", 1, 50);
  writeTransaction(ctx.db, () => removeTags(ctx.db, requireTaggable(ctx, input.ResourceARN), keys));
  return {};
};

const ListTagsForResource: JsonHandler = (input, ctx) => {
  const arn = requireTaggable(ctx, input.ResourceARN);
  const max = pageSize(input.MaxResults, MAX_TAG_PAGE, MIN_TAG_PAGE);
  const after = pagePosition<string>(input.NextToken) ?? "";
  const all = getTags(ctx.db, arn).filter((t) => t.Key! > after);
  const page = all.slice(0, max);
  return { Tags: page, NextToken: all.length > max ? pageToken(page[page.length - 1]!.Key) : undefined };
};

export const tagHandlers: Record<string, JsonHandler> = { TagResource, UntagResource, ListTagsForResource };
