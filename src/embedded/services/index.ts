import type { EmbeddedService } from "../service.js";
import { createAthenaService } from "./athena/index.js";
import { createCloudWatchService } from "./cloudwatch/index.js";
import { createGlueService } from "./glue/index.js";
import { createIamService } from "./iam/index.js";
import { createS3Service } from "./s3/index.js";
import { createStsService } from "./sts/index.js";

/**
 * The embedded services. Adding one is a module under services/ and a line here. S3 comes last: for an unsigned
 * request, the others recognise their protocol markers first and S3 takes whatever is left.
 */
export function createServices(): EmbeddedService[] {
  return [createIamService(), createStsService(), createGlueService(), createCloudWatchService(), createAthenaService(), createS3Service()];
}
