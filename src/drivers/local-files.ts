import { createHash } from "node:crypto";
import { createReadStream, readdirSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import picomatch from "picomatch";

export interface LocalFile {
  /** Path relative to the upload's folder, with / separators: the object key's suffix. */
  relative: string;
  path: string;
  size: number;
}

/** Files under `root` (or `root` itself when it is a file), filtered by include/exclude globs, sorted. */
export function listLocalFiles(root: string, include: string[] | undefined, exclude: string[]): LocalFile[] {
  const stat = statSync(root);
  if (stat.isFile()) return [{ relative: root.split(sep).pop()!, path: root, size: stat.size }];
  const included = include?.length ? picomatch(include, { dot: true }) : () => true;
  const excluded = exclude.length ? picomatch(exclude, { dot: true }) : () => false;
  const files: LocalFile[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) {
        const rel = relative(root, full).split(sep).join("/");
        if (included(rel) && !excluded(rel)) files.push({ relative: rel, path: full, size: statSync(full).size });
      }
    }
  };
  walk(root);
  return files.sort((a, b) => a.relative.localeCompare(b.relative));
}

/** MD5 of a file, streamed: what S3 reports as the ETag of a single-part upload. */
export function md5File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash("md5");
    createReadStream(path)
      .on("data", (chunk) => hash.update(chunk))
      .on("error", reject)
      .on("end", () => resolve(hash.digest("hex")));
  });
}

const TYPES: Record<string, string> = {
  json: "application/json",
  jsonl: "application/x-ndjson",
  gz: "application/gzip",
  csv: "text/csv",
  tsv: "text/tab-separated-values",
  txt: "text/plain",
  parquet: "application/vnd.apache.parquet",
  py: "text/x-python",
  sql: "application/sql",
};

export function contentType(path: string): string {
  return TYPES[path.split(".").pop()?.toLowerCase() ?? ""] ?? "application/octet-stream";
}
