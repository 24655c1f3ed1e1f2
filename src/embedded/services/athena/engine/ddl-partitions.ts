import type { PartitionInput, Table } from "@aws-sdk/client-glue";
import { ddlDone, requireTable, stringColumn, targetOf, type TableTarget } from "./ddl-common.js";
import { userError } from "./errors.js";
import { listDataFiles, parseS3Location, s3Url } from "./s3-files.js";
import type { Session } from "./session.js";
import type { PartitionSpec, Statement } from "./statement.js";
import type { QualifiedName } from "./token-cursor.js";
import type { StatementResult } from "./types.js";

/** ALTER TABLE ADD / DROP PARTITION and MSCK REPAIR TABLE: the catalog's partitions of a table. */

function partitionedTable(session: Session, sql: string, name: QualifiedName): { target: TableTarget; table: Table; keys: string[] } {
  const target = targetOf(session, sql, name);
  const table = requireTable(session, sql, target);
  const keys = (table.PartitionKeys ?? []).map((k) => (k.Name ?? "").toLowerCase());
  if (keys.length === 0) throw userError("NOT_SUPPORTED", `Table '${target.database}.${target.table}' is not partitioned`);
  return { target, table, keys };
}

/** Hive-style folder of a partition below the table's location: `year=2025/month=06/`. */
export function partitionPath(keys: string[], values: string[]): string {
  return keys.map((k, i) => `${k}=${escapePathValue(values[i]!)}`).join("/") + "/";
}

// Hive escapes these characters of partition values in paths.
const ESCAPED = /[\u0000-\u001f"#%'*/:=?\\\u007f{[\]^]/g;

function escapePathValue(value: string): string {
  return value.replace(ESCAPED, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
}

export function tableLocation(table: Table): string {
  const location = table.StorageDescriptor?.Location ?? "";
  return location.endsWith("/") || location === "" ? location : `${location}/`;
}

/** A partition as Athena registers it: the table's storage descriptor at the partition's location. */
export function partitionInput(table: Table, values: string[], location: string): PartitionInput {
  return { Values: values, StorageDescriptor: { ...table.StorageDescriptor, Location: location }, Parameters: {} };
}

function valuesOf(keys: string[], spec: PartitionSpec, tableName: string): string[] {
  const given = new Map(spec.map(([k, v]) => [k.toLowerCase(), v]));
  if (given.size !== keys.length || keys.some((k) => !given.has(k))) {
    throw userError("HIVE_METASTORE_ERROR", `Partition spec (${spec.map(([k, v]) => `${k}=${v}`).join(", ")}) does not match the partition keys (${keys.join(", ")}) of table '${tableName}'`);
  }
  return keys.map((k) => given.get(k)!);
}

export function addPartitions(session: Session, sql: string, statement: Extract<Statement, { kind: "addPartitions" }>): StatementResult {
  const { target, table, keys } = partitionedTable(session, sql, statement.table);
  const existing = new Set(session.catalog.getPartitions(target.database, target.table).map((p) => JSON.stringify(p.Values)));
  const inputs: PartitionInput[] = [];
  for (const { spec, location } of statement.partitions) {
    const values = valuesOf(keys, spec, `${target.database}.${target.table}`);
    if (existing.has(JSON.stringify(values))) {
      if (statement.ifNotExists) continue;
      throw userError("HIVE_METASTORE_ERROR", `AlreadyExistsException: Partition already exists: ${partitionPath(keys, values).slice(0, -1)}`);
    }
    existing.add(JSON.stringify(values));
    inputs.push(partitionInput(table, values, location ?? tableLocation(table) + partitionPath(keys, values)));
  }
  if (inputs.length > 0) session.catalog.putPartitions(target.database, target.table, inputs);
  return ddlDone("ALTER_TABLE_ADD_PARTITION");
}

/** A spec may name some of the keys: every partition with those values is dropped (Hive's partial spec). */
export function dropPartitions(session: Session, sql: string, statement: Extract<Statement, { kind: "dropPartitions" }>): StatementResult {
  const { target, keys } = partitionedTable(session, sql, statement.table);
  const partitions = session.catalog.getPartitions(target.database, target.table).map((p) => p.Values ?? []);
  const drop: string[][] = [];
  for (const spec of statement.partitions) {
    const wanted = spec.map(([k, v]) => [keys.indexOf(k.toLowerCase()), v] as const);
    const unknown = spec.find(([k]) => !keys.includes(k.toLowerCase()));
    if (unknown) throw userError("HIVE_METASTORE_ERROR", `Partition key '${unknown[0]}' is not a partition key of table '${target.database}.${target.table}'`);
    const matches = partitions.filter((values) => wanted.every(([i, v]) => values[i] === v));
    if (matches.length === 0 && !statement.ifExists) {
      throw userError("HIVE_METASTORE_ERROR", `Partition not found: (${spec.map(([k, v]) => `${k}=${v}`).join(", ")})`);
    }
    drop.push(...matches);
  }
  if (drop.length > 0) session.catalog.deletePartitions(target.database, target.table, drop);
  return ddlDone("ALTER_TABLE_DROP_PARTITION");
}

/**
 * MSCK REPAIR TABLE: registers the Hive-style folders (`k1=v1/k2=v2/`, keys in the table's order) under the table's
 * location that hold data files and are not partitions yet. Registered partitions are left alone.
 */
export function repairTable(session: Session, sql: string, name: QualifiedName): StatementResult {
  const { target, table, keys } = partitionedTable(session, sql, name);
  const root = parseS3Location(table.StorageDescriptor?.Location);
  if (!root) throw userError("HIVE_METASTORE_ERROR", `Table '${target.database}.${target.table}' has no S3 location`);
  const known = new Set(session.catalog.getPartitions(target.database, target.table).map((p) => JSON.stringify(p.Values)));
  const found = new Map<string, string[]>();
  for (const file of listDataFiles(session.ctx, root)) {
    const segments = file.key.slice(root.prefix.length).split("/");
    if (segments.length <= keys.length) continue;
    const values: string[] = [];
    for (let i = 0; i < keys.length; i++) {
      const eq = segments[i]!.indexOf("=");
      if (eq < 0 || segments[i]!.slice(0, eq).toLowerCase() !== keys[i]) break;
      values.push(unescapePathValue(segments[i]!.slice(eq + 1)));
    }
    if (values.length !== keys.length) continue;
    const id = JSON.stringify(values);
    if (!known.has(id)) found.set(id, values);
  }
  const added = [...found.values()].sort((a, b) => partitionPath(keys, a).localeCompare(partitionPath(keys, b)));
  if (added.length > 0) {
    const base = s3Url(root);
    session.catalog.putPartitions(target.database, target.table, added.map((values) => partitionInput(table, values, base + partitionPath(keys, values))));
  }
  const label = (values: string[]) => `${target.table}:${partitionPath(keys, values).slice(0, -1)}`;
  const rows = added.length === 0 ? [] : [[`Partitions not in metastore:\t${added.map(label).join("\t")}`], ...added.map((v) => [`Repair: Added partition to metastore ${label(v)}`])];
  return { ...ddlDone("MSCK_REPAIR_TABLE"), columns: rows.length > 0 ? [stringColumn("result")] : [], rows };
}

function unescapePathValue(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
