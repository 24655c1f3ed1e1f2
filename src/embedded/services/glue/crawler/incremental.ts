import type { Table } from "@aws-sdk/client-glue";
import type { CrawlRequest } from "./crawl.js";
import { mergedSchema, similarity } from "./grouping.js";
import { buildListing, type Folder, type IncludePath } from "./layout.js";
import { hivePair, s3Url } from "./naming.js";
import { normalizeLocation, tableToInput, type DesiredTable } from "./plan.js";
import { formatOf, partitionInput, statsOf } from "./table-def.js";
import { Kind, TypeNode, addField, columnsOf, parseGlueType } from "./types.js";

/**
 * CRAWL_NEW_FOLDERS_ONLY after the first crawl: only the folders no earlier crawl saw are read. A new folder below
 * one of the database's tables becomes a partition of it when it fits (the depth of the partition keys, the
 * `key=` names of Hive-style keys, the table's format, and a schema sharing at least 70 % of its columns with the
 * table's, unless CombineCompatibleSchemas); the table itself is left as it is. New folders elsewhere are grouped
 * on their own into new tables.
 */

/**
 * Incremental crawl: new folders below an existing table become its partitions when their depth, names and schema
 * fit (more than 70 % of the table's columns, same format); the others are returned to be grouped on their own.
 */
export function attachToExistingTables(
  t: { include: IncludePath; toRead: Folder[] },
  tables: Table[],
  req: CrawlRequest,
  desired: DesiredTable[],
  existing: Map<DesiredTable, Table>,
  messages: string[],
  unreadableFolders: string[],
): Folder[] {
  const leftover: Folder[] = [];
  const byTable = new Map<Table, DesiredTable>();
  const candidates = tables
    .map((table) => ({ table, location: normalizeLocation(table.StorageDescriptor?.Location) }))
    .filter((c) => c.location)
    .sort((a, b) => b.location.length - a.location.length);
  for (const folder of t.toRead) {
    const url = normalizeLocation(s3Url(t.include.bucket, t.include.prefix + folder.rel));
    const hit = candidates.find((c) => url.startsWith(`${c.location}/`));
    if (!hit) {
      leftover.push(folder);
      continue;
    }
    const table = hit.table;
    const files = folder.files.filter((f) => f.sample?.classification);
    if (!files.length) {
      unreadableFolders.push(`${url}/`);
      continue;
    }
    const segments = url.slice(hit.location.length + 1).split("/");
    const keys = (table.PartitionKeys ?? []).map((k) => k.Name!.toLowerCase());
    if (segments.length !== keys.length) {
      messages.push(`Folder ${url}/ is ${segments.length} level(s) below table ${table.Name}, which has ${keys.length} partition key(s); not added.`);
      continue;
    }
    const values: string[] = [];
    let fits = true;
    segments.forEach((segment, i) => {
      const key = keys[i]!;
      if (/^partition_\d+$/.test(key)) values.push(segment);
      else {
        const pair = hivePair(segment);
        if (pair && pair.key.toLowerCase() === key) values.push(pair.value);
        else fits = false;
      }
    });
    const format = formatOf(files);
    const params = table.Parameters ?? {};
    if (fits && params.classification && (params.classification !== format.classification || (params.compressionType ?? "none") !== format.compression)) fits = false;
    const schema = mergedSchema(files);
    const tableSchema = TypeNode.of(Kind.Struct);
    for (const c of table.StorageDescriptor?.Columns ?? []) addField(tableSchema, c.Name!, parseGlueType(c.Type ?? "string"));
    if (fits && !req.config.combineCompatibleSchemas && similarity(schema, tableSchema) < 0.7) fits = false;
    if (!fits) {
      messages.push(`Partition ${url}/ does not match table ${table.Name}'s schema or keys; not added.`);
      continue;
    }
    let want = byTable.get(table);
    if (!want) {
      want = { input: tableToInput(table), partitions: [], complete: false };
      byTable.set(table, want);
      desired.push(want);
      existing.set(want, table);
    }
    want.partitions.push(
      partitionInput({
        values,
        location: `${url}/`,
        format,
        columns: columnsOf(schema),
        stats: statsOf(folder.files),
        crawlerName: req.crawlerName,
      }),
    );
  }
  return leftover;
}

/** A folder tree of just some data folders' files (their samples kept). */
export function rebuild(include: IncludePath, folders: Folder[]): Folder {
  const files = folders.flatMap((f) => f.files).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const samples = new Map(files.map((f) => [f.key, f.sample]));
  const listing = buildListing(include, files.map((f) => ({ key: f.key, size: f.size, file: f.file, lastModified: "" })), []);
  for (const f of listing.files) f.sample = samples.get(f.key);
  return listing.root;
}

