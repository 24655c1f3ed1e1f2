import type { StorageDescriptor, TableInput } from "@aws-sdk/client-glue";
import { deleteDatabaseRows, findDatabase, insertDatabase } from "../../glue/catalog-rows.js";
import { writeTransaction } from "../../../store/db.js";
import { ddlDone, requireDatabase, targetOf } from "./ddl-common.js";
import { userError, userErrorAt } from "./errors.js";
import { GlueTypeError, duckTypeOfGlue, glueTypeOfDuck, trinoTypeOfGlue } from "./glue-types.js";
import { planOnly } from "./select.js";
import type { Session } from "./session.js";
import type { CreateStatement, ExternalTableSpec } from "./statement-create.js";
import type { Statement } from "./statement.js";
import type { StatementResult } from "./types.js";
import { viewTableInput } from "./views.js";

/** CREATE EXTERNAL TABLE, CREATE VIEW, CREATE DATABASE, DROP TABLE / VIEW / DATABASE: catalog changes only. */

/** Owner Athena writes on the tables its DDL creates. */
export const DDL_OWNER = "hadoop";

export const FORMATS = {
  parquet: {
    serde: "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
    input: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
    output: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
  },
  text: {
    serde: "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe",
    input: "org.apache.hadoop.mapred.TextInputFormat",
    output: "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
  },
  json: {
    serde: "org.openx.data.jsonserde.JsonSerDe",
    input: "org.apache.hadoop.mapred.TextInputFormat",
    output: "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
  },
  orc: {
    serde: "org.apache.hadoop.hive.ql.io.orc.OrcSerde",
    input: "org.apache.hadoop.hive.ql.io.orc.OrcInputFormat",
    output: "org.apache.hadoop.hive.ql.io.orc.OrcOutputFormat",
  },
  avro: {
    serde: "org.apache.hadoop.hive.serde2.avro.AvroSerDe",
    input: "org.apache.hadoop.hive.ql.io.avro.AvroContainerInputFormat",
    output: "org.apache.hadoop.hive.ql.io.avro.AvroContainerOutputFormat",
  },
} as const;

function storageOf(spec: ExternalTableSpec): Pick<StorageDescriptor, "InputFormat" | "OutputFormat"> & { serde: string } {
  const stored = spec.storedAs;
  const known = stored === "PARQUET" ? FORMATS.parquet : stored === "ORC" ? FORMATS.orc : stored === "AVRO" ? FORMATS.avro : stored === "JSONFILE" ? FORMATS.json : FORMATS.text;
  if (stored && !["PARQUET", "ORC", "AVRO", "JSONFILE", "TEXTFILE", "SEQUENCEFILE", "RCFILE", "ION"].includes(stored)) {
    throw userError("SYNTAX_ERROR", `Unsupported file format: STORED AS ${stored}`);
  }
  return {
    InputFormat: spec.inputFormat ?? known.input,
    OutputFormat: spec.outputFormat ?? known.output,
    serde: spec.serde ?? known.serde,
  };
}

function checkType(sql: string, offset: number, column: string, type: string): void {
  try {
    duckTypeOfGlue(type);
  } catch (err) {
    if (err instanceof GlueTypeError) throw userErrorAt("SYNTAX_ERROR", sql, offset, `Unknown type '${type}' for column '${column}'`);
    throw err;
  }
}

export function createExternalTable(session: Session, sql: string, spec: ExternalTableSpec): StatementResult {
  const target = targetOf(session, sql, spec.name);
  requireDatabase(session, sql, target);
  for (const c of [...spec.columns, ...spec.partitionKeys]) checkType(sql, spec.name.offset, c.name, c.type);
  const dataNames = new Set(spec.columns.map((c) => c.name));
  const clash = spec.partitionKeys.find((k) => dataNames.has(k.name));
  if (clash) throw userError("HIVE_INVALID_METADATA", `Partition column name '${clash.name}' conflicts with table columns.`);
  if (session.catalog.getTable(target.database, target.table)) {
    if (spec.ifNotExists) return ddlDone("CREATE_TABLE");
    throw userError("ALREADY_EXISTS", `Table '${target.database}.${target.table}' already exists`);
  }
  const storage = storageOf(spec);
  const input: TableInput = {
    Name: target.table,
    Description: spec.comment,
    Owner: DDL_OWNER,
    TableType: "EXTERNAL_TABLE",
    Parameters: { EXTERNAL: "TRUE", ...spec.tableProperties },
    PartitionKeys: spec.partitionKeys.map((k) => ({ Name: k.name, Type: k.type, Comment: k.comment })),
    StorageDescriptor: {
      Columns: spec.columns.map((c) => ({ Name: c.name, Type: c.type, Comment: c.comment })),
      Location: spec.location,
      InputFormat: storage.InputFormat,
      OutputFormat: storage.OutputFormat,
      Compressed: false,
      NumberOfBuckets: -1,
      SerdeInfo: { SerializationLibrary: storage.serde, Parameters: spec.serdeProperties },
      BucketColumns: [],
      SortColumns: [],
      Parameters: {},
      StoredAsSubDirectories: false,
    },
  };
  session.catalog.putTable(target.database, input);
  return ddlDone("CREATE_TABLE");
}

export async function createView(session: Session, sql: string, statement: Extract<CreateStatement, { kind: "createView" }>): Promise<StatementResult> {
  const target = targetOf(session, sql, statement.name);
  requireDatabase(session, sql, target);
  const existing = session.catalog.getTable(target.database, target.table);
  if (existing && existing.TableType !== "VIRTUAL_VIEW") throw userError("ALREADY_EXISTS", `Table '${target.database}.${target.table}' already exists and is not a view`);
  if (existing && !statement.orReplace) throw userErrorAt("ALREADY_EXISTS", sql, target.offset, `View 'awsdatacatalog.${target.database}.${target.table}' already exists`);
  // The view's columns are its query's: plan it (resolving every table, reading nothing) and ask DuckDB for the types.
  const planned = await planOnly(session, statement.query);
  const reader = await session.con.runAndReadAll(`SELECT * FROM (${planned}) AS __lw_view LIMIT 0`);
  const names = reader.columnNames();
  const hiveColumns = reader.columnTypes().map((t, i) => ({ name: names[i]!.toLowerCase(), type: glueTypeOfDuck(t) }));
  const trinoColumns = hiveColumns.map((c) => ({ name: c.name, type: trinoTypeOfGlue(c.type) }));
  const view = { sql: statement.query.trim(), catalog: "awsdatacatalog", schema: session.database, columns: trinoColumns };
  session.catalog.putTable(target.database, viewTableInput(target.table, view, hiveColumns, DDL_OWNER));
  return ddlDone("CREATE_VIEW");
}

export function createDatabase(session: Session, statement: Extract<CreateStatement, { kind: "createDatabase" }>): StatementResult {
  const { db } = session.ctx;
  if (findDatabase(db, statement.name)) {
    if (statement.ifNotExists) return ddlDone("CREATE_DATABASE");
    throw userError("ALREADY_EXISTS", `Database ${statement.name} already exists`);
  }
  const input = {
    Name: statement.name,
    Description: statement.comment,
    LocationUri: statement.location,
    Parameters: Object.keys(statement.properties).length > 0 ? statement.properties : undefined,
  };
  writeTransaction(db, () => insertDatabase(db, JSON.parse(JSON.stringify(input)), session.ctx.now().getTime() / 1000));
  return ddlDone("CREATE_DATABASE");
}

export function dropDatabase(session: Session, statement: Extract<Statement, { kind: "dropDatabase" }>): StatementResult {
  const { db } = session.ctx;
  const row = findDatabase(db, statement.name);
  if (!row) {
    if (statement.ifExists) return ddlDone("DROP_DATABASE");
    throw userError("SCHEMA_NOT_FOUND", `Schema '${statement.name}' does not exist`);
  }
  if (!statement.cascade && session.catalog.listTables(row.name).length > 0) {
    throw userError("HIVE_METASTORE_ERROR", `InvalidOperationException: Database ${row.name} is not empty. One or more tables exist.`);
  }
  writeTransaction(db, () => deleteDatabaseRows(db, { accountId: session.ctx.accountId, region: session.ctx.region }, row.name));
  return ddlDone("DROP_DATABASE");
}

/** DROP TABLE leaves the data where it is (external tables), as Athena does; DROP VIEW only takes views. */
export function dropTable(session: Session, sql: string, statement: Extract<Statement, { kind: "dropTable" }>): StatementResult {
  const substatement = statement.view ? "DROP_VIEW" : "DROP_TABLE";
  const target = targetOf(session, sql, statement.name);
  const table = session.catalog.databaseExists(target.database) ? session.catalog.getTable(target.database, target.table) : undefined;
  if (!table) {
    if (statement.ifExists) return ddlDone(substatement);
    requireDatabase(session, sql, target);
    const what = statement.view ? "View" : "Table";
    throw userErrorAt(statement.view ? "VIEW_NOT_FOUND" : "TABLE_NOT_FOUND", sql, target.offset, `${what} 'awsdatacatalog.${target.database}.${target.table}' does not exist`);
  }
  const isView = table.TableType === "VIRTUAL_VIEW";
  if (statement.view && !isView) throw userErrorAt("NOT_SUPPORTED", sql, target.offset, `'awsdatacatalog.${target.database}.${target.table}' is a table, not a view: use DROP TABLE`);
  if (!statement.view && isView) throw userErrorAt("NOT_SUPPORTED", sql, target.offset, `'awsdatacatalog.${target.database}.${target.table}' is a view, not a table: use DROP VIEW`);
  session.catalog.deleteTable(target.database, target.table);
  return ddlDone(substatement);
}
