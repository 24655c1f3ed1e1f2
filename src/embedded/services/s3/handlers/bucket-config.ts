import { randomUUID } from "node:crypto";
import { AwsError } from "../../../protocols/types.js";
import { emptyResponse, parseBool, parseXml, xmlList, xmlNode, xmlResponse, xmlText, type XmlNode } from "../../../protocols/rest-xml.js";
import { writeTransaction } from "../../../store/db.js";
import { DEFAULT_ENCRYPTION, requireBucket, setBucketSetting, type BucketSetting } from "../bucket-rows.js";
import { ownerOf } from "../names.js";
import type { S3Handler, S3Request } from "../request.js";

/**
 * Bucket configuration, each Put/Get/Delete: public access block, default encryption, versioning, tagging,
 * lifecycle, policy, ownership controls (and a read-only ACL). Documents are stored as given and returned as stored.
 */

const malformed = () => new AwsError("MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema.");

function store(req: S3Request, setting: BucketSetting, value: string | null): void {
  writeTransaction(req.ctx.db, () => {
    requireBucket(req.ctx.db, req.bucket);
    setBucketSetting(req.ctx.db, req.bucket, setting, value);
  });
}

/** The document's root element, which must be `root`. */
function document(req: S3Request, root: string, arrays: string[] = []): XmlNode {
  const doc = parseXml(req.wire.body, arrays);
  const node = doc[root];
  if (node === "") return {};
  const content = xmlNode(node);
  if (!content) throw malformed();
  return content;
}

function missing(code: string, message: string, bucket: string): AwsError {
  return new AwsError(code, message, 404, { BucketName: bucket });
}

// --- public access block
const PAB_FIELDS = ["BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"];

const putPublicAccessBlock: S3Handler = (req) => {
  const doc = document(req, "PublicAccessBlockConfiguration");
  const config: Record<string, boolean> = {};
  for (const field of PAB_FIELDS) {
    const text = xmlText(doc[field]);
    const value = text === undefined ? false : parseBool(text);
    if (value === undefined) throw malformed();
    config[field] = value;
  }
  store(req, "public_access_block", JSON.stringify(config));
  return emptyResponse(200);
};

const getPublicAccessBlock: S3Handler = (req) => {
  const row = requireBucket(req.ctx.db, req.bucket);
  if (!row.public_access_block) throw missing("NoSuchPublicAccessBlockConfiguration", "The public access block configuration was not found", req.bucket);
  return xmlResponse("PublicAccessBlockConfiguration", JSON.parse(row.public_access_block) as XmlNode);
};

const deletePublicAccessBlock: S3Handler = (req) => {
  store(req, "public_access_block", null);
  return emptyResponse(204);
};

// --- default encryption
const SSE_ALGORITHMS = ["AES256", "aws:kms", "aws:kms:dsse"];

const putBucketEncryption: S3Handler = (req) => {
  const doc = document(req, "ServerSideEncryptionConfiguration", ["ServerSideEncryptionConfiguration.Rule"]);
  const rules = xmlList(doc.Rule).map((rule) => {
    const defaults = xmlNode(rule.ApplyServerSideEncryptionByDefault);
    const algorithm = xmlText(defaults?.SSEAlgorithm);
    if (!algorithm || !SSE_ALGORITHMS.includes(algorithm)) throw malformed();
    const keyId = xmlText(defaults?.KMSMasterKeyID);
    if (keyId && algorithm === "AES256") {
      throw new AwsError("InvalidArgument", "a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse", 400, { ArgumentName: "ApplyServerSideEncryptionByDefault" });
    }
    return { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: algorithm, ...(keyId ? { KMSMasterKeyID: keyId } : {}) }, BucketKeyEnabled: parseBool(xmlText(rule.BucketKeyEnabled)) ?? false };
  });
  if (rules.length === 0) throw malformed();
  store(req, "encryption", JSON.stringify(rules));
  return emptyResponse(200);
};

const getBucketEncryption: S3Handler = (req) => {
  const row = requireBucket(req.ctx.db, req.bucket);
  return xmlResponse("ServerSideEncryptionConfiguration", { Rule: JSON.parse(row.encryption) as XmlNode[] });
};

/** Since 2023 a bucket cannot be unencrypted: deleting the configuration restores SSE-S3. */
const deleteBucketEncryption: S3Handler = (req) => {
  store(req, "encryption", DEFAULT_ENCRYPTION);
  return emptyResponse(204);
};

// --- versioning
const putBucketVersioning: S3Handler = (req) => {
  const doc = document(req, "VersioningConfiguration");
  const status = xmlText(doc.Status);
  if (status === undefined) {
    requireBucket(req.ctx.db, req.bucket);
    return emptyResponse(200);
  }
  if (status !== "Enabled" && status !== "Suspended") throw malformed();
  store(req, "versioning", status);
  return emptyResponse(200);
};

const getBucketVersioning: S3Handler = (req) => {
  const row = requireBucket(req.ctx.db, req.bucket);
  return xmlResponse("VersioningConfiguration", row.versioning ? { Status: row.versioning } : {});
};

// --- tagging
function invalidTag(message: string): AwsError {
  return new AwsError("InvalidTag", message);
}

export function parseTagSet(doc: XmlNode): { Key: string; Value: string }[] {
  const tagSet = xmlNode(doc.TagSet) ?? (doc.TagSet === "" ? {} : undefined);
  if (!tagSet) throw malformed();
  const tags = xmlList(tagSet.Tag).map((tag) => ({ Key: xmlText(tag.Key) ?? "", Value: xmlText(tag.Value) ?? "" }));
  if (tags.length > 50) throw invalidTag("Object tags cannot be greater than 50");
  const seen = new Set<string>();
  for (const { Key, Value } of tags) {
    if (!Key || [...Key].length > 128) throw invalidTag("The TagKey you have provided is invalid");
    if ([...Value].length > 256) throw invalidTag("The TagValue you have provided is invalid");
    if (Key.toLowerCase().startsWith("aws:")) throw invalidTag("System tags cannot be added/updated by requester");
    if (seen.has(Key)) throw invalidTag("Cannot provide multiple Tags with the same key");
    seen.add(Key);
  }
  return tags;
}

const putBucketTagging: S3Handler = (req) => {
  const tags = parseTagSet(document(req, "Tagging", ["Tagging.TagSet.Tag"]));
  store(req, "tagging", JSON.stringify(tags));
  return emptyResponse(204);
};

const getBucketTagging: S3Handler = (req) => {
  const row = requireBucket(req.ctx.db, req.bucket);
  if (!row.tagging) throw missing("NoSuchTagSet", "The TagSet does not exist", req.bucket);
  return xmlResponse("Tagging", { TagSet: { Tag: JSON.parse(row.tagging) as XmlNode[] } });
};

const deleteBucketTagging: S3Handler = (req) => {
  store(req, "tagging", null);
  return emptyResponse(204);
};

// --- lifecycle
const TRANSITION_DEFAULT = { "x-amz-transition-default-minimum-object-size": "all_storage_classes_128K" };

function checkPositive(node: XmlNode | undefined, field: string, action: string): void {
  const text = xmlText(node?.[field]);
  if (text !== undefined && !(Number.isInteger(Number(text)) && Number(text) > 0)) {
    throw new AwsError("InvalidArgument", `'${field}' for ${action} action must be a positive integer`);
  }
}

const putBucketLifecycle: S3Handler = (req) => {
  const doc = document(req, "LifecycleConfiguration", ["LifecycleConfiguration.Rule"]);
  const rules = xmlList(doc.Rule);
  if (rules.length === 0 || rules.length > 1000) throw malformed();
  const ids = new Set<string>();
  const stored = rules.map((rule) => {
    const status = xmlText(rule.Status);
    if (status !== "Enabled" && status !== "Disabled") throw malformed();
    if (rule.Filter !== undefined && rule.Prefix !== undefined) throw malformed();
    checkPositive(xmlNode(rule.Expiration), "Days", "Expiration");
    checkPositive(xmlNode(rule.NoncurrentVersionExpiration), "NoncurrentDays", "NoncurrentVersionExpiration");
    checkPositive(xmlNode(rule.AbortIncompleteMultipartUpload), "DaysAfterInitiation", "AbortIncompleteMultipartUpload");
    // AWS names a rule without an ID; the ID goes first as AWS returns it.
    const id = xmlText(rule.ID) || Buffer.from(randomUUID()).toString("base64");
    if (id.length > 255) throw new AwsError("InvalidArgument", "ID length should not exceed allowed limit of 255");
    if (ids.has(id)) throw new AwsError("InvalidArgument", "Rule ID must be unique. Found same ID for more than one rule");
    ids.add(id);
    const { ID: _ignored, ...rest } = rule;
    return { ID: id, ...rest };
  });
  store(req, "lifecycle", JSON.stringify(stored));
  return emptyResponse(200, TRANSITION_DEFAULT);
};

const getBucketLifecycle: S3Handler = (req) => {
  const row = requireBucket(req.ctx.db, req.bucket);
  if (!row.lifecycle) throw missing("NoSuchLifecycleConfiguration", "The lifecycle configuration does not exist", req.bucket);
  return xmlResponse("LifecycleConfiguration", { Rule: JSON.parse(row.lifecycle) as XmlNode[] }, { headers: TRANSITION_DEFAULT });
};

const deleteBucketLifecycle: S3Handler = (req) => {
  store(req, "lifecycle", null);
  return emptyResponse(204);
};

// --- policy
const MAX_POLICY_BYTES = 20 * 1024;

function malformedPolicy(message: string): AwsError {
  return new AwsError("MalformedPolicy", message);
}

const putBucketPolicy: S3Handler = (req) => {
  const text = req.wire.body.toString("utf8");
  if (req.wire.body.length > MAX_POLICY_BYTES) throw malformedPolicy("Policy exceeds the maximum allowed document size.");
  let policy: unknown;
  try {
    policy = JSON.parse(text);
  } catch {
    throw malformedPolicy("Policies must be valid JSON and the first byte must be '{'");
  }
  if (!policy || typeof policy !== "object" || Array.isArray(policy)) throw malformedPolicy("Policies must be valid JSON and the first byte must be '{'");
  const statement = (policy as Record<string, unknown>).Statement;
  if (statement === undefined) throw malformedPolicy("Missing required field Statement");
  if (typeof statement !== "object" || statement === null) throw malformedPolicy("Statement is not an object or a list of objects");
  store(req, "policy", text);
  return emptyResponse(204);
};

const getBucketPolicy: S3Handler = (req) => {
  const row = requireBucket(req.ctx.db, req.bucket);
  if (row.policy === null) throw missing("NoSuchBucketPolicy", "The bucket policy does not exist", req.bucket);
  return { status: 200, headers: { "content-type": "application/json" }, body: Buffer.from(row.policy, "utf8") };
};

const deleteBucketPolicy: S3Handler = (req) => {
  store(req, "policy", null);
  return emptyResponse(204);
};

// --- ownership controls
const OWNERSHIP = ["BucketOwnerPreferred", "ObjectWriter", "BucketOwnerEnforced"];

export function ownershipRules(rules: XmlNode[]): { ObjectOwnership: string }[] {
  if (rules.length !== 1) throw malformed();
  return rules.map((rule) => {
    const value = xmlText(rule.ObjectOwnership);
    if (!value || !OWNERSHIP.includes(value)) throw malformed();
    return { ObjectOwnership: value };
  });
}

const putOwnershipControls: S3Handler = (req) => {
  const doc = document(req, "OwnershipControls", ["OwnershipControls.Rule"]);
  store(req, "ownership", JSON.stringify(ownershipRules(xmlList(doc.Rule))));
  return emptyResponse(200);
};

const getOwnershipControls: S3Handler = (req) => {
  const row = requireBucket(req.ctx.db, req.bucket);
  if (!row.ownership) throw missing("OwnershipControlsNotFoundError", "The bucket ownership controls were not found", req.bucket);
  return xmlResponse("OwnershipControls", { Rule: JSON.parse(row.ownership) as XmlNode[] });
};

const deleteOwnershipControls: S3Handler = (req) => {
  store(req, "ownership", null);
  return emptyResponse(204);
};

// --- ACL (read-only: the owner has full control, as with BucketOwnerEnforced)
const getBucketAcl: S3Handler = (req) => {
  requireBucket(req.ctx.db, req.bucket);
  const owner = ownerOf(req.ctx.accountId);
  const grantee = { "@_xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance", "@_xsi:type": "CanonicalUser", ...owner };
  return xmlResponse("AccessControlPolicy", { Owner: owner, AccessControlList: { Grant: [{ Grantee: grantee, Permission: "FULL_CONTROL" }] } });
};

export const bucketConfigHandlers: Record<string, S3Handler> = {
  PutPublicAccessBlock: putPublicAccessBlock,
  GetPublicAccessBlock: getPublicAccessBlock,
  DeletePublicAccessBlock: deletePublicAccessBlock,
  PutBucketEncryption: putBucketEncryption,
  GetBucketEncryption: getBucketEncryption,
  DeleteBucketEncryption: deleteBucketEncryption,
  PutBucketVersioning: putBucketVersioning,
  GetBucketVersioning: getBucketVersioning,
  PutBucketTagging: putBucketTagging,
  GetBucketTagging: getBucketTagging,
  DeleteBucketTagging: deleteBucketTagging,
  PutBucketLifecycleConfiguration: putBucketLifecycle,
  GetBucketLifecycleConfiguration: getBucketLifecycle,
  DeleteBucketLifecycle: deleteBucketLifecycle,
  PutBucketPolicy: putBucketPolicy,
  GetBucketPolicy: getBucketPolicy,
  DeleteBucketPolicy: deleteBucketPolicy,
  PutBucketOwnershipControls: putOwnershipControls,
  GetBucketOwnershipControls: getOwnershipControls,
  DeleteBucketOwnershipControls: deleteOwnershipControls,
  GetBucketAcl: getBucketAcl,
};
