import { createQueryService } from "../../protocols/query.js";
import type { EmbeddedService } from "../../service.js";
import * as attached from "./attached-policies.js";
import * as managed from "./managed-policies.js";
import * as rolePolicies from "./role-policies.js";
import * as roleTags from "./role-tags.js";
import * as roles from "./roles.js";
import * as versions from "./policy-versions.js";
import { migrateIam } from "./schema.js";

/** The embedded IAM: roles, their inline and attached policies and tags, and managed policies (awsQuery). */
export function createIamService(): EmbeddedService {
  return createQueryService({
    name: "iam",
    signingName: "iam",
    version: "2010-05-08",
    migrate: migrateIam,
    handlers: { ...roles, ...roleTags, ...rolePolicies, ...attached, ...managed, ...versions },
  });
}

export { findRoleByArn } from "./store.js";
