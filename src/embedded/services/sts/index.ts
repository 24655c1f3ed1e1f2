import { createQueryService } from "../../protocols/query.js";
import type { EmbeddedService } from "../../service.js";
import { AssumeRole } from "./assume-role.js";
import { GetCallerIdentity } from "./caller-identity.js";
import { migrateSts } from "./schema.js";

/** The embedded STS (awsQuery, 2011-06-15): who am I, and temporary credentials for the account's roles. */
export function createStsService(): EmbeddedService {
  return createQueryService({
    name: "sts",
    signingName: "sts",
    version: "2011-06-15",
    migrate: migrateSts,
    handlers: { GetCallerIdentity, AssumeRole },
  });
}
