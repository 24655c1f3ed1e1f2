import { createReadStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { DeleteObjectsCommand, paginateListObjectsV2, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import type { LakeConfig } from "../config/types.js";
import type { AttributeChange, Desired, Driver, DriverContext, Observation, ResourceRef } from "../engine/types.js";
import { isError } from "./common.js";
import { contentType, listLocalFiles, md5File, type LocalFile } from "./local-files.js";

/** Files up to this size are sent from memory, so that the SDK can retry them. */
const RETRYABLE_BODY_LIMIT = 64 * 1024 * 1024;

interface UploadSpec {
  from: string;
  bucket: string;
  prefix: string;
  include?: string[];
  exclude: string[];
  prune: boolean;
}

interface RemoteObject {
  size: number;
  etag: string;
}

interface UploadState {
  local: (LocalFile & { md5: string })[];
  remote: Map<string, RemoteObject>;
}

/**
 * Keeps a local folder in sync with a bucket prefix: writes only files that are new or changed (size and MD5 vs
 * ETag), deletes objects without a local file only with `prune: true`. Never deletes data otherwise — not even when
 * the upload leaves the configuration.
 */
export class UploadDriver implements Driver<UploadSpec, UploadState> {
  readonly kind = "upload";

  constructor(private readonly s3: S3Client) {}

  desired(config: LakeConfig): Desired<UploadSpec>[] {
    return config.uploads.map((u) => {
      const bucket = config.buckets[u.to.bucket]!;
      return {
        kind: this.kind,
        address: `upload["${u.to.bucket}:${u.to.prefix}"]`,
        name: `s3://${bucket.name}/${u.to.prefix}`,
        dependsOn: [`bucket.${u.to.bucket}`],
        deletionPolicy: "retain",
        adopt: true, // objects carry no ownership tag: a sync owns what it writes
        spec: { from: u.from, bucket: bucket.name, prefix: u.to.prefix, ...(u.include ? { include: u.include } : {}), exclude: u.exclude, prune: u.prune },
      };
    });
  }

  async observe(refs: readonly ResourceRef[], ctx: DriverContext): Promise<Observation<UploadState>[]> {
    return Promise.all(
      refs.map(async (ref): Promise<Observation<UploadState>> => {
        // An upload that left the configuration has nothing to observe: its objects stay where they are.
        if (!("spec" in ref)) return { exists: false };
        const spec = (ref as Desired<UploadSpec>).spec;
        const [local, remote] = await Promise.all([this.localState(spec), this.remoteState(spec, ctx)]);
        if (remote === undefined || remote.size === 0) return { exists: false };
        return { exists: true, owned: true, state: { local, remote } };
      }),
    );
  }

  private async localState(spec: UploadSpec): Promise<UploadState["local"]> {
    const files = listLocalFiles(spec.from, spec.include, spec.exclude);
    return Promise.all(files.map(async (f) => ({ ...f, md5: await md5File(f.path) })));
  }

  /** Objects under the prefix; undefined when the bucket does not exist yet. */
  private async remoteState(spec: UploadSpec, ctx: DriverContext): Promise<Map<string, RemoteObject> | undefined> {
    const remote = new Map<string, RemoteObject>();
    try {
      await ctx.limit(async () => {
        for await (const page of paginateListObjectsV2({ client: this.s3, pageSize: 1000 }, { Bucket: spec.bucket, Prefix: spec.prefix })) {
          for (const o of page.Contents ?? []) remote.set(o.Key!, { size: o.Size ?? 0, etag: (o.ETag ?? "").replace(/"/g, "") });
        }
      });
    } catch (err) {
      if (isError(err, "NoSuchBucket")) return undefined;
      throw err;
    }
    return remote;
  }

  diff(desired: Desired<UploadSpec>, observed: UploadState | undefined): AttributeChange[] {
    const { prefix, prune } = desired.spec;
    const remote = observed?.remote ?? new Map<string, RemoteObject>();
    // On create nothing was hashed yet; the listing (sizes) is enough to show what will be written.
    const local: (LocalFile & { md5?: string })[] = observed?.local ?? listLocalFiles(desired.spec.from, desired.spec.include, desired.spec.exclude);
    const changes: AttributeChange[] = [];
    const localKeys = new Set<string>();
    for (const file of local) {
      const key = prefix + file.relative;
      localKeys.add(key);
      const have = remote.get(key);
      if (!have) changes.push({ path: key, before: undefined, after: describe(file.size) });
      else if (!sameContent(have, file)) changes.push({ path: key, before: describe(have.size, have.etag), after: describe(file.size, file.md5) });
    }
    if (prune) {
      for (const [key, have] of remote) if (!localKeys.has(key)) changes.push({ path: key, before: describe(have.size), after: undefined });
    }
    return changes;
  }

  async create(desired: Desired<UploadSpec>, ctx: DriverContext): Promise<void> {
    // A create is planned when nothing is there yet; the files were hashed while planning.
    const local = await this.localState(desired.spec);
    const state = { local, remote: new Map<string, RemoteObject>() };
    await this.sync(desired, state, this.diff(desired, state), ctx);
  }

  async update(desired: Desired<UploadSpec>, observed: UploadState, changes: AttributeChange[], ctx: DriverContext): Promise<void> {
    await this.sync(desired, observed, changes, ctx);
  }

  private async sync(desired: Desired<UploadSpec>, state: UploadState, changes: AttributeChange[], ctx: DriverContext): Promise<void> {
    const { bucket: Bucket, prefix } = desired.spec;
    const byKey = new Map(state.local.map((f) => [prefix + f.relative, f]));
    const puts = changes.filter((c) => c.after !== undefined);
    const deletes = changes.filter((c) => c.after === undefined).map((c) => c.path);
    await Promise.all(
      puts.map((c) => {
        const file = byKey.get(c.path)!;
        return ctx.limit(async () =>
          this.s3.send(
            new PutObjectCommand({
              Bucket,
              Key: c.path,
              // A buffer can be re-sent when the SDK retries a throttled or failed call; a stream cannot.
              Body: file.size <= RETRYABLE_BODY_LIMIT ? await readFile(file.path) : createReadStream(file.path),
              ContentLength: file.size,
              ContentType: contentType(file.path),
              // S3 verifies the bytes it stored against this; a corrupted upload fails instead of landing.
              ContentMD5: Buffer.from(file.md5, "hex").toString("base64"),
            }),
          ),
        );
      }),
    );
    for (let i = 0; i < deletes.length; i += 1000) {
      const Objects = deletes.slice(i, i + 1000).map((Key) => ({ Key }));
      const out = await ctx.limit(() => this.s3.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects, Quiet: true } })));
      if (out.Errors?.length) throw new Error(`could not delete ${out.Errors.length} objects, e.g. ${out.Errors[0]!.Key}: ${out.Errors[0]!.Message}`);
    }
    for (const c of puts) ctx.written.push({ bucket: Bucket, key: c.path });
    if (puts.length || deletes.length) ctx.log(`${desired.address}: ${puts.length} written, ${deletes.length} deleted`);
  }
}

/** Same content: equal size, and the ETag is the MD5 — except multipart or SSE-KMS ETags, which are not an MD5. */
function sameContent(remote: RemoteObject, file: LocalFile & { md5?: string }): boolean {
  if (remote.size !== file.size) return false;
  return !/^[0-9a-f]{32}$/.test(remote.etag) || remote.etag === file.md5;
}

function describe(size: number, hash?: string): string {
  return `${size} bytes${hash ? `, md5 ${hash.slice(0, 8)}` : ""}`;
}
