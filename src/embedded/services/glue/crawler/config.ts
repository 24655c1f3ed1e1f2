/**
 * The crawler's `Configuration` (a JSON string), the parts the crawl acts on:
 * `{"Version":1.0,"Grouping":{"TableGroupingPolicy":"CombineCompatibleSchemas","TableLevelConfiguration":N},
 *   "CrawlerOutput":{"Partitions":{"AddOrUpdateBehavior":"InheritFromTable"},
 *                    "Tables":{"AddOrUpdateBehavior":"MergeNewColumns","TableThreshold":N}}}`.
 */

export interface CrawlerConfig {
  /** Grouping.TableGroupingPolicy = CombineCompatibleSchemas: one table per include path when compatible. */
  combineCompatibleSchemas: boolean;
  /** Grouping.TableLevelConfiguration: absolute folder level of the tables (the bucket's top-level folder is 1). */
  tableLevel?: number;
  /** CrawlerOutput.Tables.TableThreshold: more tables than this fails the crawl. */
  tableThreshold?: number;
  /** CrawlerOutput.Tables.AddOrUpdateBehavior = MergeNewColumns: add columns, never change or drop existing ones. */
  mergeNewColumns: boolean;
  /** CrawlerOutput.Partitions.AddOrUpdateBehavior = InheritFromTable: partitions take the table's schema. */
  inheritFromTable: boolean;
}

export const DEFAULT_CONFIG: CrawlerConfig = { combineCompatibleSchemas: false, mergeNewColumns: false, inheritFromTable: false };

export class ConfigurationError extends Error {}

/** Parses and validates; throws ConfigurationError with the reason Glue would give. */
export function parseCrawlerConfiguration(text: string | undefined): CrawlerConfig {
  if (text === undefined || text.trim() === "") return { ...DEFAULT_CONFIG };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new ConfigurationError("Crawler configuration not valid: it is not a JSON document.");
  }
  if (!isObject(raw)) throw new ConfigurationError("Crawler configuration not valid: it must be a JSON object.");
  if (raw.Version !== undefined && raw.Version !== 1 && raw.Version !== 1.0) {
    throw new ConfigurationError(`Crawler configuration not valid: unsupported Version ${JSON.stringify(raw.Version)} (1.0 is supported).`);
  }
  const config: CrawlerConfig = { ...DEFAULT_CONFIG };
  const grouping = raw.Grouping;
  if (grouping !== undefined) {
    if (!isObject(grouping)) throw new ConfigurationError("Crawler configuration not valid: Grouping must be an object.");
    if (grouping.TableGroupingPolicy !== undefined) {
      if (grouping.TableGroupingPolicy !== "CombineCompatibleSchemas") {
        throw new ConfigurationError(`Crawler configuration not valid: TableGroupingPolicy must be CombineCompatibleSchemas, got ${JSON.stringify(grouping.TableGroupingPolicy)}.`);
      }
      config.combineCompatibleSchemas = true;
    }
    if (grouping.TableLevelConfiguration !== undefined) config.tableLevel = positiveInteger(grouping.TableLevelConfiguration, "TableLevelConfiguration");
  }
  const output = raw.CrawlerOutput;
  if (output !== undefined) {
    if (!isObject(output)) throw new ConfigurationError("Crawler configuration not valid: CrawlerOutput must be an object.");
    const partitions = output.Partitions;
    if (partitions !== undefined) {
      if (!isObject(partitions)) throw new ConfigurationError("Crawler configuration not valid: CrawlerOutput.Partitions must be an object.");
      if (partitions.AddOrUpdateBehavior !== undefined) {
        if (partitions.AddOrUpdateBehavior !== "InheritFromTable") {
          throw new ConfigurationError(`Crawler configuration not valid: Partitions.AddOrUpdateBehavior must be InheritFromTable, got ${JSON.stringify(partitions.AddOrUpdateBehavior)}.`);
        }
        config.inheritFromTable = true;
      }
    }
    const tables = output.Tables;
    if (tables !== undefined) {
      if (!isObject(tables)) throw new ConfigurationError("Crawler configuration not valid: CrawlerOutput.Tables must be an object.");
      if (tables.AddOrUpdateBehavior !== undefined) {
        if (tables.AddOrUpdateBehavior !== "MergeNewColumns") {
          throw new ConfigurationError(`Crawler configuration not valid: Tables.AddOrUpdateBehavior must be MergeNewColumns, got ${JSON.stringify(tables.AddOrUpdateBehavior)}.`);
        }
        config.mergeNewColumns = true;
      }
      if (tables.TableThreshold !== undefined) config.tableThreshold = positiveInteger(tables.TableThreshold, "TableThreshold");
    }
  }
  return config;
}

function positiveInteger(value: unknown, name: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw new ConfigurationError(`Crawler configuration not valid: ${name} must be an integer greater than 0, got ${JSON.stringify(value)}.`);
  }
  return value;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
