import { Exclusions } from "./globs.js";
import type { FileSample } from "./sample.js";

/**
 * The objects below an include path as a folder tree: what the crawler lists before it reads anything. Folder
 * markers (`key/`) are not files; empty objects are skipped (and counted); names starting with `_` or `.`
 * (`_SUCCESS`, `.crc`, `_temporary/`) are skipped as Athena skips them; exclusion globs apply to the key relative
 * to the include path and to its folders.
 */

export interface ListedObject {
  key: string;
  size: number;
  /** Quoted, as S3 shows it: with the size, what identifies the bytes (a cached sample stays valid). */
  etag?: string;
  /** Physical file to read. */
  file: string;
  lastModified: string;
}

export interface CrawlFile {
  bucket: string;
  key: string;
  /** Key relative to the include path. */
  rel: string;
  /** File name (last segment). */
  name: string;
  size: number;
  etag?: string;
  file: string;
  folder: Folder;
  /** Set once the file has been read. */
  sample?: FileSample;
}

export interface Folder {
  /** Folder name ("" for the include path itself). */
  name: string;
  /** Path relative to the include path, with a trailing slash ("" for the include path). */
  rel: string;
  /** 0 for the include path. */
  depth: number;
  parent?: Folder;
  /** Files directly in this folder, in key order. */
  files: CrawlFile[];
  /** Subfolders in key order. */
  children: Folder[];
  childByName: Map<string, Folder>;
}

export interface IncludePath {
  bucket: string;
  /** Key prefix: "" (bucket root) or ending with "/". */
  prefix: string;
}

/** `s3://bucket/a/b` or `s3://bucket/a/b/` → {bucket, prefix "a/b/"}; undefined when not an S3 URL. */
export function parseIncludePath(path: string): IncludePath | undefined {
  const m = /^s3a?:\/\/([^/]+)\/?(.*)$/i.exec(path.trim());
  if (!m) return undefined;
  let prefix = m[2]!;
  if (prefix && !prefix.endsWith("/")) prefix += "/";
  return { bucket: m[1]!, prefix };
}

export interface Listing {
  root: Folder;
  files: CrawlFile[];
  skippedEmptyFiles: number;
  excludedFiles: number;
}

export function buildListing(include: IncludePath, objects: Iterable<ListedObject>, exclusions: readonly string[]): Listing {
  const excluded = new Exclusions(exclusions);
  const root = newFolder("", "", 0);
  const files: CrawlFile[] = [];
  let skippedEmptyFiles = 0;
  let excludedFiles = 0;
  for (const o of objects) {
    if (!o.key.startsWith(include.prefix) || o.key.endsWith("/")) continue;
    const rel = o.key.slice(include.prefix.length);
    const segments = rel.split("/");
    if (segments.some((s) => s === "" || s.startsWith("_") || s.startsWith("."))) continue;
    if (excluded.excludes(rel)) {
      excludedFiles++;
      continue;
    }
    if (o.size === 0) {
      skippedEmptyFiles++;
      continue;
    }
    let folder = root;
    for (let i = 0; i < segments.length - 1; i++) {
      const name = segments[i]!;
      let child = folder.childByName.get(name);
      if (!child) {
        child = newFolder(name, `${folder.rel}${name}/`, folder.depth + 1, folder);
        folder.childByName.set(name, child);
        folder.children.push(child);
      }
      folder = child;
    }
    const file: CrawlFile = { bucket: include.bucket, key: o.key, rel, name: segments[segments.length - 1]!, size: o.size, etag: o.etag, file: o.file, folder };
    folder.files.push(file);
    files.push(file);
  }
  return { root, files, skippedEmptyFiles, excludedFiles };
}

function newFolder(name: string, rel: string, depth: number, parent?: Folder): Folder {
  return { name, rel, depth, parent, files: [], children: [], childByName: new Map() };
}

/** All files in a folder's subtree, in key order. */
export function subtreeFiles(folder: Folder, out: CrawlFile[] = []): CrawlFile[] {
  // Files of a folder sort before its subfolders only when their names do; merge by key for S3's order.
  const merged: (CrawlFile | Folder)[] = [...folder.files, ...folder.children];
  merged.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  for (const item of merged) {
    if ("key" in item) out.push(item);
    else subtreeFiles(item, out);
  }
  return out;
}

/** Folders that hold files directly (the leaves of the data layout). */
export function dataFolders(folder: Folder, out: Folder[] = []): Folder[] {
  if (folder.files.length) out.push(folder);
  for (const child of folder.children) dataFolders(child, out);
  return out;
}
