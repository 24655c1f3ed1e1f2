import type { S3Files } from "./files.js";

/**
 * Where the current version of a key is stored: at its plain path when that can be a regular file that no other key
 * uses, otherwise in `.conflicts/`. Run inside the write transaction, after the key's previous file has been moved
 * away, so two writers never decide on the same path.
 *
 * Not plain: keys ending in `/` (folder markers) or with empty segments (`a//b` would alias `a/b`), segments too long
 * for a filename, a path below an existing file (`a` then `a/b`), a path that is an existing folder (`a/b` then `a`),
 * and an existing file that belongs to another key (case-insensitive filesystems) or to none.
 */
export function placeCurrent(files: S3Files, bucket: string, key: string, ownPath: string | null | undefined): string {
  const conflict = files.conflictPath(bucket, key);
  const segments = key.split("/");
  if (segments.some((s) => s === "" || Buffer.byteLength(s, "utf8") > 255)) return conflict;
  for (let i = 1; i < segments.length; i++) {
    const kind = files.kind(files.plainPath(bucket, segments.slice(0, i).join("/")));
    if (kind !== "missing" && kind !== "dir") return conflict;
  }
  const plain = files.plainPath(bucket, key);
  const kind = files.kind(plain);
  if (kind === "missing") return plain;
  if (kind === "file" && ownPath === plain) return plain;
  return conflict;
}
