import { AwsError, type WireRequest } from "../../protocols/types.js";
import { renderRestXmlError } from "../../protocols/rest-xml.js";
import type { EmbeddedService } from "../../service.js";
import { addressOf } from "./addressing.js";
import { S3Files } from "./files.js";
import { bucketConfigHandlers } from "./handlers/bucket-config.js";
import { bucketHandlers } from "./handlers/buckets.js";
import { copyObject } from "./handlers/copy.js";
import { listingHandlers } from "./handlers/listing.js";
import { multipartHandlers } from "./handlers/multipart.js";
import { objectHandlers } from "./handlers/objects.js";
import type { S3Handler } from "./request.js";
import { operationOf } from "./router.js";
import { migrateS3 } from "./schema.js";

/**
 * The embedded S3: restXml over the files under `<stateDir>/s3/` and the s3_* tables. Protocol work (addressing,
 * routing, XML, errors) happens here and in protocols/; the handlers hold the service logic, one per operation.
 */

const HANDLERS: Record<string, S3Handler> = {
  ...bucketHandlers,
  ...bucketConfigHandlers,
  ...objectHandlers,
  CopyObject: copyObject,
  ...listingHandlers,
  ...multipartHandlers,
};

function operation(req: WireRequest): string | undefined {
  try {
    return operationOf(req, addressOf(req));
  } catch {
    return undefined;
  }
}

export function createS3Service(): EmbeddedService {
  return {
    name: "s3",
    signingName: "s3",
    // Asked last by the dispatcher: whatever no other service recognises is S3's.
    claims: () => true,
    operation,
    migrate: migrateS3,
    async handle(req, ctx) {
      const address = addressOf(req);
      const name = operationOf(req, address);
      const handler = name ? HANDLERS[name] : undefined;
      if (!handler) {
        throw new AwsError("NotImplemented", `lakewarden's embedded S3 does not implement ${name ?? `${req.method} ${req.path}`}`, 501);
      }
      return handler({ wire: req, ctx, files: new S3Files(ctx.stateDir), bucket: address.bucket ?? "", key: address.key ?? "" });
    },
    renderError: (err, req, ctx) => renderRestXmlError(err, req, ctx.requestId),
  };
}
