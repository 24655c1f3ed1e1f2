import type { PartitionInput, SerDeInfo, StorageDescriptor, TableInput } from "@aws-sdk/client-glue";
import type { CrawlFile } from "./layout.js";
import type { Classification, Compression } from "./sample.js";
import type { GlueColumn } from "./types.js";

/**
 * The definitions a crawler writes: TableType EXTERNAL_TABLE, the format's SerDe and input/output formats, and the
 * statistics parameters (on the table and on its StorageDescriptor; partitions carry their own).
 */

export const JSON_SERDE = "org.openx.data.jsonserde.JsonSerDe";
export const PARQUET_SERDE = "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe";
export const LAZY_SIMPLE_SERDE = "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe";
export const TEXT_INPUT = "org.apache.hadoop.mapred.TextInputFormat";
export const TEXT_OUTPUT = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat";
export const PARQUET_INPUT = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat";
export const PARQUET_OUTPUT = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat";

export interface StorageFormat {
  classification: Classification;
  compression: Compression;
  csv?: { delimiter: string; header: boolean; quoted: boolean };
  /** JSON: top-level keys as spelled in the data. */
  paths?: string[];
}

/** The format of a set of files: the first classified one's (grouping made sure they agree). */
export function formatOf(files: readonly CrawlFile[]): StorageFormat {
  const first = files.find((f) => f.sample?.classification)!.sample!;
  const paths = new Map<string, string>();
  if (first.classification === "json") {
    for (const f of files) for (const p of f.sample?.paths ?? []) if (!paths.has(p.toLowerCase())) paths.set(p.toLowerCase(), p);
  }
  return {
    classification: first.classification!,
    compression: first.compression,
    csv: first.csv,
    paths: first.classification === "json" ? [...paths.values()] : undefined,
  };
}

export interface DataStats {
  objectCount: number;
  sizeKey: number;
  recordCount: number;
  averageRecordSize: number;
}

/** Statistics over files: sampled ones measured, the others estimated from the sampled ones' bytes per record. */
export function statsOf(files: readonly CrawlFile[]): DataStats {
  let size = 0;
  let records = 0;
  let recordBytes = 0;
  let sampledRecords = 0;
  let sampledSize = 0;
  let estimated = 0;
  for (const f of files) {
    size += f.size;
    const s = f.sample;
    if (s?.classification) {
      records += s.records;
      recordBytes += s.recordBytes;
      estimated += s.estimatedRecords;
      sampledRecords += s.estimatedRecords;
      sampledSize += f.size;
    }
  }
  // Files that were not read (beyond SampleSize): as many records per byte as the ones that were.
  const unsampledSize = size - sampledSize;
  if (unsampledSize > 0 && sampledSize > 0) estimated += Math.round((sampledRecords * unsampledSize) / sampledSize);
  return {
    objectCount: files.length,
    sizeKey: size,
    recordCount: estimated,
    averageRecordSize: records ? Math.round(recordBytes / records) : 0,
  };
}

export function crawlerParameters(format: StorageFormat, stats: DataStats, crawlerName: string, runId?: string): Record<string, string> {
  const params: Record<string, string> = {
    classification: format.classification,
    compressionType: format.compression,
    recordCount: String(stats.recordCount),
    averageRecordSize: String(stats.averageRecordSize),
    objectCount: String(stats.objectCount),
    sizeKey: String(stats.sizeKey),
    typeOfData: "file",
    UPDATED_BY_CRAWLER: crawlerName,
    CrawlerSchemaSerializerVersion: "1.0",
    CrawlerSchemaDeserializerVersion: "1.0",
  };
  if (format.csv) {
    params.delimiter = format.csv.delimiter;
    params.columnsOrdered = "true";
    params.areColumnsQuoted = String(format.csv.quoted);
    if (format.csv.header) params["skip.header.line.count"] = "1";
  }
  if (runId) params.CRAWL_RUN_ID = runId;
  return params;
}

function serdeOf(format: StorageFormat): SerDeInfo {
  switch (format.classification) {
    case "json":
      return { SerializationLibrary: JSON_SERDE, Parameters: { paths: [...(format.paths ?? [])].sort().join(",") } };
    case "parquet":
      return { SerializationLibrary: PARQUET_SERDE, Parameters: { "serialization.format": "1" } };
    case "csv":
      return { SerializationLibrary: LAZY_SIMPLE_SERDE, Parameters: { "field.delim": format.csv!.delimiter } };
  }
}

export function storageDescriptor(format: StorageFormat, columns: GlueColumn[], location: string, parameters: Record<string, string>): StorageDescriptor {
  const parquet = format.classification === "parquet";
  return {
    Columns: columns.map((c) => ({ Name: c.Name, Type: c.Type })),
    Location: location,
    InputFormat: parquet ? PARQUET_INPUT : TEXT_INPUT,
    OutputFormat: parquet ? PARQUET_OUTPUT : TEXT_OUTPUT,
    Compressed: false,
    NumberOfBuckets: -1,
    SerdeInfo: serdeOf(format),
    BucketColumns: [],
    SortColumns: [],
    Parameters: { ...parameters },
    StoredAsSubDirectories: false,
  };
}

export function tableInput(args: {
  name: string;
  location: string;
  format: StorageFormat;
  columns: GlueColumn[];
  partitionKeys: string[];
  stats: DataStats;
  crawlerName: string;
  runId: string;
}): TableInput {
  const params = crawlerParameters(args.format, args.stats, args.crawlerName, args.runId);
  return {
    Name: args.name,
    Owner: "owner",
    Retention: 0,
    StorageDescriptor: storageDescriptor(args.format, args.columns, args.location, params),
    PartitionKeys: args.partitionKeys.map((k) => ({ Name: k, Type: "string" })),
    TableType: "EXTERNAL_TABLE",
    Parameters: { ...params },
  };
}

export function partitionInput(args: {
  values: string[];
  location: string;
  format: StorageFormat;
  columns: GlueColumn[];
  stats: DataStats;
  crawlerName: string;
}): PartitionInput {
  const params = crawlerParameters(args.format, args.stats, args.crawlerName);
  return {
    Values: args.values,
    StorageDescriptor: storageDescriptor(args.format, args.columns, args.location, params),
    Parameters: { ...params },
  };
}
