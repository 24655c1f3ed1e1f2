import { AwsError } from "../../protocols/types.js";
import { type QueryParams, validationError } from "../../protocols/query.js";

/** IAM's input constraints, raised with AWS's ValidationError wording so that callers see what AWS would say. */

const NAME_PATTERN = /^[\w+=,.@-]+$/;
const PATH_PATTERN = /^(\/|\/[\u0021-\u007E]+\/)$/;
const DESCRIPTION_PATTERN = /^[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*$/;

export function checkName(member: string, value: string, max: number): string {
  if (value.length < 1) throw validationError(member, value, "Member must have length greater than or equal to 1");
  if (value.length > max) throw validationError(member, value, `Member must have length less than or equal to ${max}`);
  if (!NAME_PATTERN.test(value)) throw validationError(member, value, "Member must satisfy regular expression pattern: [\\w+=,.@-]+");
  return value;
}

export const roleName = (params: QueryParams, member = "RoleName") => checkName(member, params.requiredString(member), 64);
export const policyName = (params: QueryParams, member = "PolicyName") => checkName(member, params.requiredString(member), 128);

export function checkPath(member: string, value: string | undefined): string {
  if (value === undefined) return "/";
  if (value.length > 512) throw validationError(member, value, "Member must have length less than or equal to 512");
  if (!PATH_PATTERN.test(value)) throw validationError(member, value, "Member must satisfy regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)");
  return value;
}

export function checkDescription(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (value.length > 1000) throw validationError("Description", value, "Member must have length less than or equal to 1000");
  if (!DESCRIPTION_PATTERN.test(value)) throw validationError("Description", value, "Member must satisfy regular expression pattern: [\\u0009\\u000A\\u000D\\u0020-\\u007E\\u00A1-\\u00FF]*");
  return value;
}

export function checkMaxSessionDuration(value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (value < 3600) throw validationError("MaxSessionDuration", value, "Member must have value greater than or equal to 3600");
  if (value > 43200) throw validationError("MaxSessionDuration", value, "Member must have value less than or equal to 43200");
  return value;
}

/** MaxItems: 1–1000, 100 when absent. */
export function maxItems(params: QueryParams): number {
  const value = params.integer("MaxItems");
  if (value === undefined) return 100;
  if (value < 1) throw validationError("MaxItems", value, "Member must have value greater than or equal to 1");
  if (value > 1000) throw validationError("MaxItems", value, "Member must have value less than or equal to 1000");
  return value;
}

/** The ARN of a managed policy: `arn:aws:iam::<account|aws>:policy/<path/>name`. */
export function policyArn(params: QueryParams): string {
  const arn = params.requiredString("PolicyArn");
  if (arn.length < 20) throw validationError("PolicyArn", arn, "Member must have length greater than or equal to 20");
  if (arn.length > 2048) throw validationError("PolicyArn", arn, "Member must have length less than or equal to 2048");
  if (!/^arn:aws[a-z-]*:iam::(aws|\d{12}):policy\/./.test(arn)) throw new AwsError("InvalidInput", `ARN ${arn} is not valid.`, 400);
  return arn;
}

// A type, not an interface: it must fit XmlValue's index signature when rendered.
export type Tag = {
  Key: string;
  Value: string;
};

const TAG_KEY_PATTERN = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u;
const TAG_VALUE_PATTERN = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** `Tags.member.N.Key/Value`, checked as IAM does (keys are case-insensitive: two that differ in case clash). */
export function tagsParam(params: QueryParams, member = "Tags"): Tag[] {
  const tags = params.structs(member).map((t) => ({ Key: t.requiredString("Key"), Value: t.string("Value") ?? "" }));
  for (const { Key, Value } of tags) {
    if (Key.length < 1 || Key.length > 128) throw validationError("tags.member.key", Key, "Member must have length less than or equal to 128");
    if (!TAG_KEY_PATTERN.test(Key)) throw validationError("tags.member.key", Key, "Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+");
    if (Value.length > 256) throw validationError("tags.member.value", Value, "Member must have length less than or equal to 256");
    if (!TAG_VALUE_PATTERN.test(Value)) throw validationError("tags.member.value", Value, "Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");
  }
  const keys = new Set(tags.map((t) => t.Key.toLowerCase()));
  if (keys.size !== tags.length) throw new AwsError("InvalidInput", "Duplicate tag keys found. Please note that Tag keys are case insensitive.", 400);
  if (tags.length > 50) throw new AwsError("LimitExceeded", "The number of tags has reached the maximum limit.", 409);
  return tags;
}

/** Tags after adding `added` to `current`: a key that exists (in any case) takes the new key and value. */
export function mergeTags(current: Tag[], added: Tag[]): Tag[] {
  const result = [...current];
  for (const tag of added) {
    const at = result.findIndex((t) => t.Key.toLowerCase() === tag.Key.toLowerCase());
    if (at >= 0) result[at] = tag;
    else result.push(tag);
  }
  if (result.length > 50) throw new AwsError("LimitExceeded", "The number of tags has reached the maximum limit.", 409);
  return result;
}
