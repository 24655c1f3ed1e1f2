import type { CrawlerConfig } from "./config.js";
import type { CrawlFile, Folder, IncludePath } from "./layout.js";
import { dataFolders, subtreeFiles } from "./layout.js";
import { hivePair, tableNameOf } from "./naming.js";
import { Kind, TypeNode, mergeInto } from "./types.js";

/**
 * Where the tables are: Glue's grouping of an include path's folders into tables and partitions.
 *
 * A folder is the root of one table when everything below it is alike at every level: the files have one format
 * (classification, compression, CSV dialect), they all sit at the same depth, no file sits beside a folder, and at
 * each level the schemas of the sibling folders are similar — clustered by similarity (a schema joins the first
 * cluster it shares ≥ 70 % of its columns with, by name and compatible type), at most 5 clusters, and the largest
 * holding more than 70 % of the siblings. The folders below a table root are its partitions (`key=value` → column
 * `key`, other names → `partition_N`, all string). Otherwise each subfolder is considered on its own, named after
 * itself, and files beside subfolders become tables of their own (location = the object).
 *
 * `CombineCompatibleSchemas` drops the similarity test (compatible formats are enough). `TableLevelConfiguration`
 * puts the tables at that absolute level (the bucket's top-level folder is 1), whatever the schemas.
 */

export const SIMILARITY = 0.7;
export const MAX_CLUSTERS = 5;

export interface PartitionSpec {
  values: string[];
  folder: Folder;
  files: CrawlFile[];
}

export interface TableSpec {
  /** Name from the data (before the prefix and collision suffixes). */
  baseName: string;
  /** The table's root folder; undefined for a single-file table. */
  folder?: Folder;
  /** The object of a single-file table. */
  file?: CrawlFile;
  /** Files of the table (all partitions): the classified ones and those not sampled. */
  files: CrawlFile[];
  partitionKeys: string[];
  partitions: PartitionSpec[];
}

export interface Grouping {
  tables: TableSpec[];
  /** Folders holding files none of which could be read (relative paths). */
  unreadableFolders: string[];
}

const readable = (f: CrawlFile) => f.sample?.classification !== undefined && f.sample.schema !== undefined;
/** Files that belong to a table: read and classified, or not read at all (beyond SampleSize). */
const counted = (f: CrawlFile) => !f.sample || readable(f);

export function formatSignature(f: CrawlFile): string {
  const s = f.sample!;
  return `${s.classification}|${s.compression}|${s.csv ? `${s.csv.delimiter}|${s.csv.header}` : ""}`;
}

/** Columns shared by name and compatible type, over the smaller schema's column count. */
export function similarity(a: TypeNode, b: TypeNode): number {
  const fa = a.fields ?? [];
  const fb = b.fields ?? [];
  if (!fa.length || !fb.length) return fa.length === fb.length ? 1 : 0;
  const [small, large] = fa.length <= fb.length ? [fa, b] : [fb, a];
  let shared = 0;
  for (const f of small) {
    const g = large.byName!.get(f.name);
    if (g && compatible(f.type, g.type)) shared++;
  }
  return shared / small.length;
}

const NUMERIC = new Set([Kind.Tinyint, Kind.Smallint, Kind.Int, Kind.Bigint, Kind.Float, Kind.Double, Kind.Decimal]);

function compatible(x: TypeNode, y: TypeNode): boolean {
  return x.kind === y.kind || x.kind === Kind.Unknown || y.kind === Kind.Unknown || (NUMERIC.has(x.kind) && NUMERIC.has(y.kind));
}

/** Glue's rule: ≤ 5 clusters of similar schemas and the largest holds more than 70 % of them. */
export function schemasSimilar(schemas: TypeNode[]): boolean {
  if (schemas.length <= 1) return true;
  const clusters: { schema: TypeNode; count: number }[] = [];
  for (const s of schemas) {
    const cluster = clusters.find((c) => similarity(s, c.schema) >= SIMILARITY);
    if (cluster) {
      mergeInto(cluster.schema, s);
      cluster.count++;
    } else {
      clusters.push({ schema: s.clone(), count: 1 });
    }
  }
  if (clusters.length > MAX_CLUSTERS) return false;
  const largest = Math.max(...clusters.map((c) => c.count));
  return largest / schemas.length > SIMILARITY;
}

/**
 * The merged record schema of files (readable ones, in order). With a single readable file, that file's schema
 * itself: treat the result as read-only.
 */
export function mergedSchema(files: readonly CrawlFile[]): TypeNode {
  let only: CrawlFile | undefined;
  let count = 0;
  for (const f of files) {
    if (readable(f)) {
      only = f;
      if (++count > 1) break;
    }
  }
  if (count === 1) return only!.sample!.schema!;
  const schema = TypeNode.of(Kind.Struct);
  for (const f of files) if (readable(f)) mergeInto(schema, f.sample!.schema!);
  return schema;
}

/** What a folder's subtree holds, computed once bottom-up. */
interface Summary {
  /** Readable files below. */
  readable: number;
  /** Their common format signature; MIXED when they differ. */
  signature: string | undefined;
  /** Their common folder depth; -1 when they differ. */
  depth: number;
}

const MIXED = "\u0000mixed";

export class Grouper {
  private readonly summaryMemo = new Map<Folder, Summary>();
  private readonly schemaMemo = new Map<Folder, TypeNode>();
  private readonly alikeMemo = new Map<Folder, boolean>();
  private readonly tables: TableSpec[] = [];
  private readonly unreadable: string[] = [];

  constructor(
    private readonly include: IncludePath,
    private readonly config: Pick<CrawlerConfig, "combineCompatibleSchemas" | "tableLevel">,
  ) {}

  /** The include path's own level: the number of folders in its prefix (0 for a bucket root). */
  private get baseLevel(): number {
    return this.include.prefix.split("/").filter(Boolean).length;
  }

  group(root: Folder): Grouping {
    this.decide(root);
    return { tables: this.tables, unreadableFolders: this.unreadable };
  }

  private decide(folder: Folder): void {
    if (!this.summary(folder).readable) {
      this.reportUnreadable(folder);
      return;
    }
    const level = this.config.tableLevel;
    if (level !== undefined) {
      if (this.baseLevel + folder.depth >= level) {
        this.tableAt(folder);
        return;
      }
    } else if (this.alike(folder)) {
      this.tableAt(folder);
      return;
    }
    for (const f of folder.files) {
      if (readable(f)) this.tables.push({ baseName: tableNameOf(f.name), file: f, files: [f], partitionKeys: [], partitions: [] });
    }
    if (folder.files.length && !folder.files.some(readable)) this.unreadable.push(folder.rel);
    for (const child of folder.children) this.decide(child);
  }

  private reportUnreadable(folder: Folder): void {
    for (const d of dataFolders(folder)) this.unreadable.push(d.rel);
  }

  /** Merged schema of a folder's subtree (readable files only). */
  private schemaOf(folder: Folder): TypeNode {
    let schema = this.schemaMemo.get(folder);
    if (!schema) {
      schema = TypeNode.of(Kind.Struct);
      for (const f of folder.files) if (readable(f)) mergeInto(schema, f.sample!.schema!);
      for (const child of folder.children) mergeInto(schema, this.schemaOf(child));
      this.schemaMemo.set(folder, schema);
    }
    return schema;
  }

  /** Whether a folder's subtree can be one table. */
  private alike(folder: Folder): boolean {
    const memo = this.alikeMemo.get(folder);
    if (memo !== undefined) return memo;
    const result = this.computeAlike(folder);
    this.alikeMemo.set(folder, result);
    return result;
  }

  private summary(folder: Folder): Summary {
    let summary = this.summaryMemo.get(folder);
    if (summary) return summary;
    summary = { readable: 0, signature: undefined, depth: -1 };
    const add = (signature: string | undefined, depth: number, count: number) => {
      if (!count) return;
      summary!.signature = summary!.readable === 0 ? signature : summary!.signature === signature ? signature : MIXED;
      summary!.depth = summary!.readable === 0 ? depth : summary!.depth === depth ? depth : -1;
      summary!.readable += count;
    };
    for (const f of folder.files) if (readable(f)) add(formatSignature(f), folder.depth, 1);
    for (const child of folder.children) {
      const c = this.summary(child);
      add(c.signature, c.depth, c.readable);
    }
    this.summaryMemo.set(folder, summary);
    return summary;
  }

  private computeAlike(folder: Folder): boolean {
    const summary = this.summary(folder);
    if (!summary.readable) return true;
    if (summary.signature === MIXED || summary.depth < 0) return false;
    const children = folder.children.filter((c) => this.summary(c).readable > 0);
    if (!children.length) {
      return this.config.combineCompatibleSchemas || schemasSimilar(folder.files.filter(readable).map((f) => f.sample!.schema!));
    }
    if (folder.files.some(readable)) return false; // files beside folders
    if (!children.every((c) => this.alike(c))) return false;
    return this.config.combineCompatibleSchemas || schemasSimilar(children.map((c) => this.schemaOf(c)));
  }

  private tableAt(folder: Folder): void {
    const all = subtreeFiles(folder);
    const files = all.filter(counted);
    const leaves = dataFolders(folder);
    const levels = Math.min(...leaves.map((d) => d.depth - folder.depth));
    const baseName = folder.depth === 0 ? this.rootName() : tableNameOf(folder.name);
    if (levels === 0) {
      this.tables.push({ baseName, folder, files, partitionKeys: [], partitions: [] });
      return;
    }
    // Partition folders: each data folder's ancestor `levels` below the table root.
    const byFolder = new Map<Folder, CrawlFile[]>();
    for (const f of all) {
      let p = f.folder;
      while (p.depth > folder.depth + levels) p = p.parent!;
      let list = byFolder.get(p);
      if (!list) byFolder.set(p, (list = []));
      list.push(f);
    }
    const paths = [...byFolder.keys()].map((p) => {
      const names: string[] = [];
      for (let q: Folder | undefined = p; q && q.depth > folder.depth; q = q.parent) names.unshift(q.name);
      return names;
    });
    const partitionKeys: string[] = [];
    for (let i = 0; i < levels; i++) {
      const pairs = paths.map((names) => hivePair(names[i]!));
      const key = pairs[0]?.key.toLowerCase();
      const hive = key !== undefined && pairs.every((p) => p !== undefined && p.key.toLowerCase() === key);
      partitionKeys.push(hive ? key : `partition_${i}`);
    }
    const partitions: PartitionSpec[] = [];
    let i = 0;
    for (const [p, list] of byFolder) {
      const names = paths[i++]!;
      const values = names.map((n, level) => (partitionKeys[level] === `partition_${level}` ? n : hivePair(n)!.value));
      if (!list.some(readable)) {
        this.unreadable.push(p.rel);
        continue;
      }
      partitions.push({ values, folder: p, files: list.filter(counted) });
    }
    this.tables.push({ baseName, folder, files, partitionKeys, partitions });
  }

  /** The include path's table name: its last folder, or the bucket's name at the bucket root. */
  private rootName(): string {
    const segments = this.include.prefix.split("/").filter(Boolean);
    return tableNameOf(segments.length ? segments[segments.length - 1]! : this.include.bucket);
  }
}
