import type { Column, Partition, PartitionInput, Table, TableInput } from "@aws-sdk/client-glue";
import type { Catalog } from "../catalog.js";

/**
 * From what a crawl found to catalog changes, by the crawler's SchemaChangePolicy:
 * - new tables and new partitions are always created (the policy does not govern additions);
 * - UpdateBehavior UPDATE_IN_DATABASE rewrites a changed table (all columns as crawled, or with
 *   `MergeNewColumns` the existing columns kept and new ones appended) and changed partitions; LOG leaves existing
 *   tables and partitions as they are (and says what it would have changed);
 * - DeleteBehavior, for this crawler's tables whose data is gone: DELETE_FROM_DATABASE deletes them,
 *   DEPRECATE_IN_DATABASE marks them (`DEPRECATED_BY_CRAWLER` = epoch milliseconds), LOG only says so; with
 *   DELETE_FROM_DATABASE the partitions whose folder is gone are deleted too;
 * - partitions take the table's columns with `InheritFromTable`, their own otherwise.
 * Nothing is written here: applyPlan does it, in one transaction, at the end of the crawl.
 */

export type UpdateBehavior = "UPDATE_IN_DATABASE" | "LOG";
export type DeleteBehavior = "DEPRECATE_IN_DATABASE" | "DELETE_FROM_DATABASE" | "LOG";

/**
 * Optional on a Catalog: one partition by its values. Incremental crawls then look up their few new partitions
 * instead of reading all of a table's.
 */
export interface PartitionLookup {
  getPartition(database: string, table: string, values: string[]): Partition | undefined;
}

export interface DesiredTable {
  input: TableInput;
  /** Partitions as found, with their own columns. */
  partitions: PartitionInput[];
  /** Whether every partition of the table was seen (false on an incremental crawl: nothing is deleted). */
  complete: boolean;
}

export interface PlanOptions {
  crawlerName: string;
  updateBehavior: UpdateBehavior;
  deleteBehavior: DeleteBehavior;
  mergeNewColumns: boolean;
  inheritFromTable: boolean;
  /** Locations (`s3://bucket/prefix/`) the crawler covers: its tables there whose data is gone are "deleted". */
  coveredLocations: string[];
  /** False on incremental crawls: no table is deleted. */
  detectDeletions: boolean;
  now: Date;
}

export interface ColumnAdded {
  table: string;
  column: string;
  type: string;
}

export interface PartitionChanges {
  table: string;
  put: PartitionInput[];
  delete: string[][];
}

export interface CatalogPlan {
  database: string;
  createTables: TableInput[];
  updateTables: TableInput[];
  deleteTables: string[];
  deprecateTables: TableInput[];
  partitions: PartitionChanges[];
  columnsAdded: ColumnAdded[];
  counts: {
    tablesCreated: number;
    tablesUpdated: number;
    tablesDeleted: number;
    partitionsAdded: number;
    partitionsUpdated: number;
    partitionsDeleted: number;
  };
  messages: string[];
}

const VOLATILE = new Set(["CRAWL_RUN_ID"]);

export function normalizeLocation(location: string | undefined): string {
  if (!location) return "";
  return location.replace(/\/+$/, "");
}

/** The TableInput that recreates a table as the catalog holds it. */
export function tableToInput(table: Table): TableInput {
  const input: TableInput = {
    Name: table.Name,
    Description: table.Description,
    Owner: table.Owner,
    LastAccessTime: table.LastAccessTime,
    LastAnalyzedTime: table.LastAnalyzedTime,
    Retention: table.Retention,
    StorageDescriptor: table.StorageDescriptor,
    PartitionKeys: table.PartitionKeys,
    ViewOriginalText: table.ViewOriginalText,
    ViewExpandedText: table.ViewExpandedText,
    TableType: table.TableType,
    Parameters: table.Parameters,
    TargetTable: table.TargetTable,
  };
  for (const k of Object.keys(input) as (keyof TableInput)[]) if (input[k] === undefined) delete input[k];
  return input;
}

function withoutVolatile(params: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params ?? {})) if (!VOLATILE.has(k)) out[k] = v;
  return out;
}

/** Stable JSON (sorted object keys) of what matters in a definition, for change detection. */
function fingerprint(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v && typeof v === "object" && !Array.isArray(v) && !(v instanceof Date)) {
      const sorted: Record<string, unknown> = {};
      for (const k of Object.keys(v as object).sort()) {
        const x = (v as Record<string, unknown>)[k];
        if (x !== undefined) sorted[k] = x;
      }
      return sorted;
    }
    return v;
  });
}

function tableFingerprint(t: TableInput | Table): string {
  const sd = t.StorageDescriptor;
  return fingerprint({
    columns: sd?.Columns?.map((c) => [c.Name, c.Type]),
    keys: t.PartitionKeys?.map((c) => [c.Name, c.Type]),
    location: sd?.Location,
    input: sd?.InputFormat,
    output: sd?.OutputFormat,
    serde: sd?.SerdeInfo,
    sdParams: withoutVolatile(sd?.Parameters),
    params: withoutVolatile(t.Parameters),
    type: t.TableType,
  });
}

/** Whether a partition as crawled differs from the catalog's in what the crawler writes (cheap: many partitions). */
function samePartition(want: PartitionInput, have: Partition): boolean {
  const a = want.StorageDescriptor;
  const b = have.StorageDescriptor;
  if (!a || !b) return a === b;
  if (a.Location !== b.Location || a.InputFormat !== b.InputFormat || a.OutputFormat !== b.OutputFormat) return false;
  const ca = a.Columns ?? [];
  const cb = b.Columns ?? [];
  if (ca.length !== cb.length) return false;
  for (let i = 0; i < ca.length; i++) if (ca[i]!.Name !== cb[i]!.Name || ca[i]!.Type !== cb[i]!.Type) return false;
  if (a.SerdeInfo?.SerializationLibrary !== b.SerdeInfo?.SerializationLibrary) return false;
  return sameParams(a.SerdeInfo?.Parameters, b.SerdeInfo?.Parameters) && sameParams(a.Parameters, b.Parameters) && sameParams(want.Parameters, have.Parameters);
}

function sameParams(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  const x = a ?? {};
  const y = b ?? {};
  let n = 0;
  for (const k in x) {
    if (VOLATILE.has(k)) continue;
    if (x[k] !== y[k]) return false;
    n++;
  }
  for (const k in y) if (!VOLATILE.has(k)) n--;
  return n === 0;
}

const valuesKey = (values: readonly string[] | undefined) => JSON.stringify(values ?? []);

export function emptyPlan(database: string): CatalogPlan {
  return {
    database,
    createTables: [],
    updateTables: [],
    deleteTables: [],
    deprecateTables: [],
    partitions: [],
    columnsAdded: [],
    counts: { tablesCreated: 0, tablesUpdated: 0, tablesDeleted: 0, partitionsAdded: 0, partitionsUpdated: 0, partitionsDeleted: 0 },
    messages: [],
  };
}

/**
 * Plans the changes for the tables a crawl found. `desired` names are final (prefix and collisions resolved by
 * resolveNames); `existing` maps each desired table to the catalog table it updates, if any.
 */
export function planChanges(catalog: Catalog, database: string, desired: DesiredTable[], existing: Map<DesiredTable, Table>, options: PlanOptions): CatalogPlan {
  const plan = emptyPlan(database);
  const matched = new Set<string>();

  for (const want of desired) {
    const current = existing.get(want);
    if (!current) {
      plan.createTables.push(want.input);
      plan.counts.tablesCreated++;
      const put = want.partitions.map((p) => partitionFor(p, want.input.StorageDescriptor!.Columns ?? [], options));
      if (put.length) plan.partitions.push({ table: want.input.Name!, put, delete: [] });
      plan.counts.partitionsAdded += put.length;
      continue;
    }
    const name = current.Name!;
    matched.add(name);
    let effectiveColumns = current.StorageDescriptor?.Columns ?? [];
    const update = options.updateBehavior === "UPDATE_IN_DATABASE";
    const currentKeys = (current.PartitionKeys ?? []).map((k) => k.Name);
    const wantKeys = (want.input.PartitionKeys ?? []).map((k) => k.Name);
    const keysMatch = JSON.stringify(currentKeys) === JSON.stringify(wantKeys);
    const next = mergedTable(current, want.input, options);
    const added = (next.StorageDescriptor?.Columns ?? []).filter((c) => !effectiveColumns.some((e) => e.Name === c.Name));
    if (update) {
      if (tableFingerprint(next) !== tableFingerprint(current) || isDeprecated(current)) {
        plan.updateTables.push(next);
        plan.counts.tablesUpdated++;
        for (const c of added) plan.columnsAdded.push({ table: name, column: c.Name!, type: c.Type! });
      }
      effectiveColumns = next.StorageDescriptor?.Columns ?? [];
    } else if (tableFingerprint(next) !== tableFingerprint(current)) {
      const what = added.length ? `new columns ${added.map((c) => `${c.Name} ${c.Type}`).join(", ")}` : "a changed definition";
      plan.messages.push(`Table ${name}: ${what} not applied (UpdateBehavior LOG).`);
    }

    // Partitions.
    const keysUsable = update || keysMatch;
    if (!keysUsable) {
      plan.messages.push(`Table ${name}: partition keys changed (${currentKeys.join(",") || "none"} → ${wantKeys.join(",") || "none"}); partitions not added (UpdateBehavior LOG).`);
      continue;
    }
    // Under UPDATE_IN_DATABASE a change of partition keys makes the old partitions meaningless: they go.
    const stale = update && !keysMatch;
    const deleteGone = want.complete && options.deleteBehavior === "DELETE_FROM_DATABASE";
    const have = new Map<string, Partition>();
    const lookup = (catalog as Catalog & Partial<PartitionLookup>).getPartition;
    if (!want.complete && !deleteGone && !stale && lookup) {
      for (const p of want.partitions) {
        const found = lookup.call(catalog, database, name, p.Values ?? []);
        if (found) have.set(valuesKey(found.Values), found);
      }
    } else if (want.partitions.length || deleteGone || stale) {
      for (const p of catalog.getPartitions(database, name)) have.set(valuesKey(p.Values), p);
    }
    const del: string[][] = [];
    if (stale) {
      for (const p of have.values()) del.push(p.Values ?? []);
      plan.counts.partitionsDeleted += del.length;
      have.clear();
    }
    const put: PartitionInput[] = [];
    const seen = new Set<string>();
    for (const p of want.partitions) {
      const key = valuesKey(p.Values);
      seen.add(key);
      const wantPartition = partitionFor(p, effectiveColumns, options);
      const old = have.get(key);
      if (!old) {
        put.push(wantPartition);
        plan.counts.partitionsAdded++;
      } else if (update && !samePartition(wantPartition, old)) {
        put.push({ ...wantPartition, Parameters: { ...(old.Parameters ?? {}), ...(wantPartition.Parameters ?? {}) } });
        plan.counts.partitionsUpdated++;
      }
    }
    const gone = [...have.entries()].filter(([k]) => !seen.has(k));
    if (deleteGone) {
      for (const [, p] of gone) del.push(p.Values ?? []);
      plan.counts.partitionsDeleted += gone.length;
    } else if (want.complete && gone.length) {
      plan.messages.push(`Table ${name}: ${gone.length} partition(s) whose folder is gone left in place (DeleteBehavior ${options.deleteBehavior}).`);
    }
    if (put.length || del.length) plan.partitions.push({ table: name, put, delete: del });
  }

  if (options.detectDeletions) {
    for (const table of catalog.listTables(database)) {
      const name = table.Name!;
      if (matched.has(name) || table.Parameters?.UPDATED_BY_CRAWLER !== options.crawlerName) continue;
      const location = normalizeLocation(table.StorageDescriptor?.Location);
      const covered = options.coveredLocations.some((root) => {
        const r = normalizeLocation(root);
        return location === r || location.startsWith(`${r}/`);
      });
      if (!covered || desired.some((d) => d.input.Name === name)) continue;
      switch (options.deleteBehavior) {
        case "DELETE_FROM_DATABASE":
          plan.deleteTables.push(name);
          plan.counts.tablesDeleted++;
          break;
        case "DEPRECATE_IN_DATABASE":
          if (!isDeprecated(table)) {
            const stamp = String(options.now.getTime());
            const input = tableToInput(table);
            input.Parameters = { ...(input.Parameters ?? {}), DEPRECATED_BY_CRAWLER: stamp };
            if (input.StorageDescriptor) input.StorageDescriptor = { ...input.StorageDescriptor, Parameters: { ...(input.StorageDescriptor.Parameters ?? {}), DEPRECATED_BY_CRAWLER: stamp } };
            plan.deprecateTables.push(input);
            plan.counts.tablesDeleted++;
          }
          break;
        case "LOG":
          plan.messages.push(`Table ${name}: its data at ${table.StorageDescriptor?.Location ?? "?"} is gone; left in place (DeleteBehavior LOG).`);
          break;
      }
    }
  }
  return plan;
}

function isDeprecated(table: Table | TableInput): boolean {
  return table.Parameters?.DEPRECATED_BY_CRAWLER !== undefined;
}

/** The table as the crawler rewrites it: crawled definition, existing columns kept with MergeNewColumns. */
function mergedTable(current: Table, want: TableInput, options: PlanOptions): TableInput {
  const base = tableToInput(current);
  const params: Record<string, string> = { ...(current.Parameters ?? {}) };
  delete params.DEPRECATED_BY_CRAWLER;
  Object.assign(params, want.Parameters ?? {});
  let columns: Column[] = want.StorageDescriptor?.Columns ?? [];
  if (options.mergeNewColumns) {
    const old = current.StorageDescriptor?.Columns ?? [];
    columns = [...old, ...columns.filter((c) => !old.some((o) => o.Name === c.Name))];
  }
  const sdParams = { ...(want.StorageDescriptor?.Parameters ?? {}) };
  return {
    ...base,
    Name: current.Name,
    StorageDescriptor: { ...want.StorageDescriptor, Columns: columns, Parameters: sdParams },
    PartitionKeys: want.PartitionKeys,
    TableType: want.TableType ?? base.TableType,
    Parameters: params,
  };
}

function partitionFor(p: PartitionInput, tableColumns: Column[], options: Pick<PlanOptions, "inheritFromTable">): PartitionInput {
  if (!options.inheritFromTable) return p;
  return { ...p, StorageDescriptor: { ...p.StorageDescriptor, Columns: tableColumns.map((c) => ({ Name: c.Name, Type: c.Type })) } };
}

/** Writes a plan through the catalog (call it inside one write transaction). */
export function applyPlan(catalog: Catalog, plan: CatalogPlan): void {
  const db = plan.database;
  for (const name of plan.deleteTables) catalog.deleteTable(db, name);
  for (const input of plan.createTables) catalog.putTable(db, input);
  for (const input of plan.updateTables) catalog.putTable(db, input);
  for (const input of plan.deprecateTables) catalog.putTable(db, input);
  for (const change of plan.partitions) {
    if (change.delete.length) catalog.deletePartitions(db, change.table, change.delete);
    if (change.put.length) catalog.putPartitions(db, change.table, change.put);
  }
}
