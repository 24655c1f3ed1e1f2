import type { AwsClients } from "../aws/clients.js";
import type { Driver } from "../engine/types.js";
import { BucketDriver } from "./bucket.js";
import { CrawlerDriver } from "./crawler.js";
import { DatabaseDriver } from "./database.js";
import { GlueAccount } from "./glue-common.js";
import { AthenaTags } from "./athena-common.js";
import { JobDriver } from "./job.js";
import { RoleDriver } from "./role.js";
import { SavedQueryDriver } from "./saved-query.js";
import { UploadDriver } from "./upload.js";
import { WorkgroupDriver } from "./workgroup.js";

/**
 * Every resource kind, in the order plans list them and apply creates them (deletes go in reverse). Adding a kind
 * is a driver file and a line here.
 */
export function createDrivers(clients: AwsClients): Driver[] {
  const glueAccount = new GlueAccount(clients.glue, clients.sts, clients.region);
  const athenaTags = new AthenaTags(clients.athena, glueAccount, clients.region);
  return [
    new BucketDriver(clients.s3),
    new UploadDriver(clients.s3),
    new RoleDriver(clients.iam),
    new DatabaseDriver(clients.glue, glueAccount),
    new CrawlerDriver(clients.glue, glueAccount),
    new JobDriver(clients.glue, clients.s3, glueAccount),
    new WorkgroupDriver(clients.athena, athenaTags),
    new SavedQueryDriver(clients.athena, athenaTags),
  ] as Driver[];
}
