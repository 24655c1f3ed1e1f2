import { createHash, randomUUID } from "node:crypto";
import { closeSync, fstatSync, lstatSync, mkdirSync, openSync, renameSync, rmdirSync, rmSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { open } from "node:fs/promises";
import { dirname, join, sep } from "node:path";

/**
 * The object files under `<stateDir>/s3/`. Objects are written to `.tmp/` and renamed into place, so a file at a
 * visible path is always complete. Layout (bucket names cannot start with a dot, so these never clash):
 *   s3/<bucket>/<key>                  current version of a key that can be a plain file
 *   s3/.conflicts/<bucket>/<sha256>    current version of a key that cannot (`dir/`, `a` beside `a/b` …)
 *   s3/.versions/<bucket>/<id>         non-current versions
 *   s3/.uploads/<uploadId>/<part>      multipart upload parts
 * Paths kept in metadata are relative to the state directory, so a state directory can be moved.
 */
export class S3Files {
  constructor(readonly stateDir: string) {}

  abs(rel: string): string {
    return join(this.stateDir, rel);
  }

  bucketDir(bucket: string): string {
    return join("s3", bucket);
  }

  plainPath(bucket: string, key: string): string {
    return join("s3", bucket, ...key.split("/"));
  }

  conflictsDir(bucket: string): string {
    return join("s3", ".conflicts", bucket);
  }

  conflictPath(bucket: string, key: string): string {
    return join(this.conflictsDir(bucket), createHash("sha256").update(key).digest("hex"));
  }

  versionsDir(bucket: string): string {
    return join("s3", ".versions", bucket);
  }

  /** A new, unique path for a non-current version. */
  versionPath(bucket: string): string {
    return join(this.versionsDir(bucket), randomUUID());
  }

  partPath(uploadId: string, partNumber: number): string {
    return join(this.uploadDir(uploadId), String(partNumber));
  }

  uploadDir(uploadId: string): string {
    // Upload ids are ours (base64url); anything else must never become a path.
    if (!/^[A-Za-z0-9_-]+$/.test(uploadId)) throw new Error(`invalid upload id "${uploadId}"`);
    return join("s3", ".uploads", uploadId);
  }

  private tempDirReady = false;

  /** A fresh temp file path (absolute) on the same filesystem as the objects. */
  tempPath(): string {
    const dir = join(this.stateDir, "s3", ".tmp");
    if (!this.tempDirReady) {
      mkdirSync(dir, { recursive: true });
      this.tempDirReady = true;
    }
    return join(dir, randomUUID());
  }

  /**
   * Writes data to a temp file; returns its absolute path. Bytes already in memory are written synchronously: one
   * write costs less than the thread-pool round trips of an async open/write/close, and the bytes are at hand.
   */
  async writeTemp(chunks: Buffer | AsyncIterable<Buffer>): Promise<string> {
    const path = this.tempPath();
    if (Buffer.isBuffer(chunks)) {
      try {
        writeFileSync(path, chunks, { flag: "wx" });
      } catch (err) {
        rmSync(path, { force: true });
        throw err;
      }
      return path;
    }
    const handle = await open(path, "wx");
    try {
      for await (const chunk of chunks) await handle.write(chunk);
    } catch (err) {
      await handle.close();
      rmSync(path, { force: true });
      throw err;
    }
    await handle.close();
    return path;
  }

  discardTemp(path: string | undefined): void {
    if (path) rmSync(path, { force: true });
  }

  /** Renames a file (temp or stored) to `destRel`, creating folders; returns the file's inode for later checks. */
  install(fromAbs: string, destRel: string): string {
    const dest = this.abs(destRel);
    mkdirSync(dirname(dest), { recursive: true });
    renameSync(fromAbs, dest);
    return String(statSync(dest, { bigint: true }).ino);
  }

  move(fromRel: string, toRel: string): string {
    return this.install(this.abs(fromRel), toRel);
  }

  /** Deletes a stored file and the folders it leaves empty, up to (not including) its bucket folder. */
  remove(rel: string | null | undefined): void {
    if (!rel) return;
    try {
      unlinkSync(this.abs(rel));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    }
    this.pruneEmptyParents(rel);
  }

  private pruneEmptyParents(rel: string): void {
    const parts = rel.split(sep);
    // s3/<bucket>/a/b/file: prune a/b and a; never s3/<bucket> itself.
    for (let depth = parts.length - 1; depth > 2; depth--) {
      try {
        rmdirSync(this.abs(parts.slice(0, depth).join(sep)));
      } catch {
        return;
      }
    }
  }

  /** What is at a relative path, without following links. */
  kind(rel: string): "missing" | "file" | "dir" | "other" {
    try {
      const stat = lstatSync(this.abs(rel));
      return stat.isFile() ? "file" : stat.isDirectory() ? "dir" : "other";
    } catch {
      return "missing";
    }
  }

  /** Opens a stored file if it is still the file a metadata row names (same inode); undefined when replaced. */
  openIfSame(rel: string, ino: string | null): number | undefined {
    let fd: number;
    try {
      fd = openSync(this.abs(rel), "r");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw err;
    }
    if (ino !== null && String(fstatSync(fd, { bigint: true }).ino) !== ino) {
      closeSync(fd);
      return undefined;
    }
    return fd;
  }

  removeTree(rel: string): void {
    rmSync(this.abs(rel), { recursive: true, force: true });
  }
}
