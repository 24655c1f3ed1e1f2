import { mkdirSync } from "node:fs";
import { AwsError } from "../../../protocols/types.js";
import { emptyResponse, parseXml, xmlNode, xmlResponse, xmlText, type XmlNode } from "../../../protocols/rest-xml.js";
import { writeTransaction } from "../../../store/db.js";
import { DEFAULT_OWNERSHIP, deleteBucketRow, getBucket, insertBucket, listBucketRows, requireBucket } from "../bucket-rows.js";
import { ownerOf, requireValidBucketName } from "../names.js";
import { countBucketRows } from "../object-rows.js";
import { nowSeconds, signingRegion, type S3Handler, type S3Request } from "../request.js";
import { deleteUpload, uploadsOfBucket } from "../upload-rows.js";
import { ownershipRules } from "./bucket-config.js";

/** CreateBucket, HeadBucket, ListBuckets, DeleteBucket, GetBucketLocation. */

function requestedRegion(req: S3Request): string {
  if (!req.wire.body.length) return "us-east-1";
  const doc = parseXml(req.wire.body);
  const config = xmlNode(doc.CreateBucketConfiguration);
  if (!config && doc.CreateBucketConfiguration !== "") throw new AwsError("MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema.");
  const constraint = xmlText(config?.LocationConstraint)?.trim();
  if (!constraint) return "us-east-1";
  if (constraint === "us-east-1") throw new AwsError("InvalidLocationConstraint", "The specified location-constraint is not valid", 400, { LocationConstraint: constraint });
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(constraint) && constraint !== "EU") {
    throw new AwsError("InvalidLocationConstraint", "The specified location-constraint is not valid", 400, { LocationConstraint: constraint });
  }
  return constraint === "EU" ? "eu-west-1" : constraint;
}

const createBucket: S3Handler = (req) => {
  const { bucket, ctx } = req;
  requireValidBucketName(bucket);
  const region = requestedRegion(req);
  const endpointRegion = signingRegion(req);
  // A regional endpoint only creates buckets in its own region; us-east-1 (the global endpoint) creates anywhere.
  if (endpointRegion && endpointRegion !== "us-east-1" && endpointRegion !== region) {
    const said = region === "us-east-1" ? "unspecified" : region;
    throw new AwsError("IllegalLocationConstraintException", `The ${said} location constraint is incompatible for the region specific endpoint this request was sent to.`);
  }
  const ownership = req.wire.headers["x-amz-object-ownership"];
  const rules = ownership ? JSON.stringify(ownershipRules([{ ObjectOwnership: ownership }])) : DEFAULT_OWNERSHIP;
  writeTransaction(ctx.db, () => {
    if (getBucket(ctx.db, bucket)) {
      throw new AwsError("BucketAlreadyOwnedByYou", "Your previous request to create the named bucket succeeded and you already own it.", 409, { BucketName: bucket });
    }
    insertBucket(ctx.db, { name: bucket, region, created: nowSeconds(ctx), ownership: rules });
    mkdirSync(req.files.abs(req.files.bucketDir(bucket)), { recursive: true });
  });
  const location = region === "us-east-1" ? `/${bucket}` : `http://${bucket}.s3.amazonaws.com/`;
  return emptyResponse(200, { location });
};

const headBucket: S3Handler = (req) => {
  const row = requireBucket(req.ctx.db, req.bucket);
  return emptyResponse(200, { "x-amz-bucket-region": row.region, "x-amz-access-point-alias": "false" });
};

const listBuckets: S3Handler = (req) => {
  const { query } = req.wire;
  const prefix = query.get("prefix") ?? "";
  const region = query.get("bucket-region");
  const maxText = query.get("max-buckets");
  const max = maxText === null ? 10_000 : Number(maxText);
  if (!Number.isInteger(max) || max < 1 || max > 10_000) throw new AwsError("InvalidArgument", "Argument max-buckets must be an integer between 1 and 10000", 400, { ArgumentName: "max-buckets" });
  const after = query.get("continuation-token") ?? "";
  const rows = listBucketRows(req.ctx.db).filter((b) => b.name.startsWith(prefix) && (!region || b.region === region) && b.name > after);
  const page = rows.slice(0, max);
  const content: XmlNode = {
    Owner: ownerOf(req.ctx.accountId),
    Buckets: { Bucket: page.map((b) => ({ Name: b.name, CreationDate: new Date(b.created), BucketRegion: b.region })) },
    ContinuationToken: rows.length > max ? page[page.length - 1]!.name : undefined,
    Prefix: query.has("prefix") ? prefix : undefined,
  };
  return xmlResponse("ListAllMyBucketsResult", content);
};

const deleteBucket: S3Handler = (req) => {
  const { bucket, ctx, files } = req;
  writeTransaction(ctx.db, () => {
    requireBucket(ctx.db, bucket);
    if (countBucketRows(ctx.db, bucket) > 0) throw new AwsError("BucketNotEmpty", "The bucket you tried to delete is not empty", 409, { BucketName: bucket });
    // Incomplete multipart uploads do not keep a bucket alive; they go with it.
    for (const upload of uploadsOfBucket(ctx.db, bucket)) {
      deleteUpload(ctx.db, upload.upload_id);
      files.removeTree(files.uploadDir(upload.upload_id));
    }
    deleteBucketRow(ctx.db, bucket);
    files.removeTree(files.bucketDir(bucket));
    files.removeTree(files.conflictsDir(bucket));
    files.removeTree(files.versionsDir(bucket));
  });
  return emptyResponse(204);
};

const getBucketLocation: S3Handler = (req) => {
  const row = requireBucket(req.ctx.db, req.bucket);
  return xmlResponse("LocationConstraint", row.region === "us-east-1" ? "" : row.region);
};

export const bucketHandlers: Record<string, S3Handler> = {
  CreateBucket: createBucket,
  HeadBucket: headBucket,
  ListBuckets: listBuckets,
  DeleteBucket: deleteBucket,
  GetBucketLocation: getBucketLocation,
};
