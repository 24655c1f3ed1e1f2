import type { Partition, PartitionInput, Table, TableInput } from "@aws-sdk/client-glue";

/**
 * The Data Catalog as the crawler (and later Athena DDL) changes it, without going through the API: one
 * implementation over the Glue tables in SQLite (catalog-store.ts). Shapes are the Glue API's own.
 * Every method runs synchronously inside the caller's transaction when there is one.
 */
export interface Catalog {
  databaseExists(database: string): boolean;
  getTable(database: string, table: string): Table | undefined;
  listTables(database: string): Table[];
  /** Creates the table, or updates it keeping the previous definition as a version (as UpdateTable does). */
  putTable(database: string, input: TableInput, options?: { skipArchive?: boolean }): { created: boolean };
  deleteTable(database: string, table: string): boolean;
  getPartitions(database: string, table: string): Partition[];
  /** Each partition's Values and location only: what a query plans its reads with, without the full definitions. */
  getPartitionLocations(database: string, table: string): { values: string[]; location?: string }[];
  /** Creates or replaces partitions by their Values. */
  putPartitions(database: string, table: string, inputs: PartitionInput[]): { created: number; updated: number };
  deletePartitions(database: string, table: string, values: string[][]): number;
}
