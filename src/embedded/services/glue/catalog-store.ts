import type { Partition, PartitionInput, Table, TableInput } from "@aws-sdk/client-glue";
import type Database from "better-sqlite3";
import type { Catalog } from "./catalog.js";
import {
  deleteTableRows,
  findDatabase,
  findTable,
  insertTable,
  listTableRows,
  replaceTable,
  requireTable,
  tableInput,
  tableShape,
  type Account,
} from "./catalog-rows.js";
import {
  deletePartitionRow,
  findPartition,
  insertPartition,
  partitionInput,
  partitionKeyCount,
  partitionLocations,
  partitionShape,
  replacePartition,
  scanPartitions,
} from "./partition-rows.js";

/**
 * The Data Catalog over SQLite, for the crawler and Athena DDL: the same rows, checks and shapes as the API
 * handlers (catalog-rows.ts, partition-rows.ts), so what a crawler writes reads back through GetTable exactly as if
 * a client had written it. Methods are synchronous and join the caller's transaction; writes outside one run in
 * their own (better-sqlite3 nests a transaction as a savepoint).
 */
export class SqliteCatalog implements Catalog {
  private readonly account: Account;

  constructor(
    private readonly db: Database.Database,
    accountId: string,
    region: string,
    /** The clock; seconds since the epoch. */
    private readonly now: () => number = () => Date.now() / 1000,
  ) {
    this.account = { accountId, region };
  }

  databaseExists(database: string): boolean {
    return findDatabase(this.db, database) !== undefined;
  }

  getTable(database: string, table: string): Table | undefined {
    const row = findTable(this.db, database, table);
    return row && tableShape(row, this.account.accountId);
  }

  listTables(database: string): Table[] {
    return listTableRows(this.db, database).map((row) => tableShape(row, this.account.accountId));
  }

  putTable(database: string, input: TableInput, options: { skipArchive?: boolean } = {}): { created: boolean } {
    const checked = tableInput(input);
    return this.write(() => {
      const row = findTable(this.db, database, checked.Name!);
      if (row) {
        replaceTable(this.db, row, checked, this.now(), options);
        return { created: false };
      }
      insertTable(this.db, this.account, database, checked, this.now());
      return { created: true };
    });
  }

  deleteTable(database: string, table: string): boolean {
    return this.write(() => {
      const row = findTable(this.db, database, table);
      if (row) deleteTableRows(this.db, this.account, row);
      return row !== undefined;
    });
  }

  getPartitions(database: string, table: string): Partition[] {
    const row = requireTable(this.db, database, table);
    return [...scanPartitions(this.db, row)].map((p) => partitionShape(p, this.account.accountId));
  }

  getPartitionLocations(database: string, table: string): { values: string[]; location?: string }[] {
    const row = requireTable(this.db, database, table);
    return partitionLocations(this.db, row).map((p) => ({ values: JSON.parse(p.values_key) as string[], ...(p.location ? { location: p.location } : {}) }));
  }

  putPartitions(database: string, table: string, inputs: PartitionInput[]): { created: number; updated: number } {
    return this.write(() => {
      const row = requireTable(this.db, database, table);
      const keys = partitionKeyCount(row);
      let created = 0;
      let updated = 0;
      for (const raw of inputs) {
        const input = partitionInput(raw, keys);
        const current = findPartition(this.db, row, input.Values!);
        if (current) {
          replacePartition(this.db, row, current, input);
          updated++;
        } else {
          insertPartition(this.db, row, input, this.now());
          created++;
        }
      }
      return { created, updated };
    });
  }

  deletePartitions(database: string, table: string, values: string[][]): number {
    return this.write(() => {
      const row = findTable(this.db, database, table);
      if (!row) return 0;
      return values.filter((v) => deletePartitionRow(this.db, row, v)).length;
    });
  }

  /** Joins the caller's transaction, or takes the write lock up front (IMMEDIATE) when there is none. */
  private write<T>(fn: () => T): T {
    const tx = this.db.transaction(fn);
    return this.db.inTransaction ? tx() : tx.immediate();
  }
}
