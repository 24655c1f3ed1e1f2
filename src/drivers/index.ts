import type { AwsClients } from "../aws/clients.js";
import type { Driver } from "../engine/types.js";
import { BucketDriver } from "./bucket.js";
import { RoleDriver } from "./role.js";
import { UploadDriver } from "./upload.js";

/**
 * Every resource kind, in the order plans list them and apply creates them (deletes go in reverse). Adding a kind
 * is a driver file and a line here.
 */
export function createDrivers(clients: AwsClients): Driver[] {
  return [new BucketDriver(clients.s3), new UploadDriver(clients.s3), new RoleDriver(clients.iam)] as Driver[];
}
