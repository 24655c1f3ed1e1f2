import { paginateGetPartitions, paginateGetTables, type GlueClient } from "@aws-sdk/client-glue";

/**
 * Partitions of each partitioned table of a database, counted from GetPartitions without column schemas (the
 * cheapest read the catalog offers). A database that does not exist (yet) has no tables.
 */
export async function countPartitions(glue: GlueClient, database: string): Promise<{ table: string; partitions: number }[]> {
  const counts: { table: string; partitions: number }[] = [];
  try {
    for await (const page of paginateGetTables({ client: glue }, { DatabaseName: database })) {
      for (const table of page.TableList ?? []) {
        if (!table.Name || !table.PartitionKeys?.length) continue;
        let partitions = 0;
        for await (const p of paginateGetPartitions({ client: glue }, { DatabaseName: database, TableName: table.Name, ExcludeColumnSchema: true })) {
          partitions += p.Partitions?.length ?? 0;
        }
        counts.push({ table: table.Name, partitions });
      }
    }
  } catch (err) {
    if ((err as Error).name !== "EntityNotFoundException") throw err;
  }
  return counts;
}
