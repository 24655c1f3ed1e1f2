import type { BatchUpdatePartitionFailureEntry, Partition, PartitionError, PartitionValueList } from "@aws-sdk/client-glue";
import type { JsonHandler } from "../../protocols/json.js";
import { AwsError } from "../../protocols/types.js";
import { writeTransaction } from "../../store/db.js";
import { asList } from "./api-common.js";
import {
  checkValues,
  deletePartitionRow,
  findPartition,
  insertPartition,
  partitionInput,
  partitionKeyCount,
  partitionShape,
  replacePartition,
  requirePartition,
  tableFor,
} from "./partition-rows.js";

/**
 * Batch partition calls. The table must exist (else the whole call fails); each entry that fails is reported in
 * Errors with Glue's error code, and the others are applied.
 */

/**
 * BatchGetPartition answers at most this many bytes of partitions; the keys left over come back in UnprocessedKeys
 * for the caller to ask again, as Glue does when a response would be too large (its exact limit is not published).
 */
export const BATCH_GET_RESPONSE_BYTES = 5 * 1024 * 1024;

const detail = (err: unknown) => {
  if (err instanceof AwsError) return { ErrorCode: err.code, ErrorMessage: err.message };
  throw err;
};

const valuesOf = (entry: unknown): unknown => (entry as { Values?: unknown } | null)?.Values;

const BatchCreatePartition: JsonHandler = (input, ctx) => {
  const inputs = asList(input.PartitionInputList, "partitionInputList", 100);
  const Errors: PartitionError[] = [];
  writeTransaction(ctx.db, () => {
    const table = tableFor(input, ctx.db);
    const keys = partitionKeyCount(table);
    const now = ctx.now().getTime() / 1000;
    for (const raw of inputs) {
      try {
        insertPartition(ctx.db, table, partitionInput(raw, keys), now);
      } catch (err) {
        Errors.push({ PartitionValues: valuesOf(raw) as string[], ErrorDetail: detail(err) });
      }
    }
  });
  return { Errors };
};

const BatchGetPartition: JsonHandler = (input, ctx) => {
  const wanted = asList<PartitionValueList>(input.PartitionsToGet, "partitionsToGet", 1000);
  const table = tableFor(input, ctx.db);
  const keys = partitionKeyCount(table);
  const Partitions: Partition[] = [];
  const UnprocessedKeys: PartitionValueList[] = [];
  let bytes = 0;
  for (const entry of wanted) {
    if (bytes >= BATCH_GET_RESPONSE_BYTES) {
      UnprocessedKeys.push(entry);
      continue;
    }
    const row = findPartition(ctx.db, table, checkValues(valuesOf(entry), keys));
    if (!row) continue; // a missing partition is simply not returned
    Partitions.push(partitionShape(row, ctx.accountId));
    bytes += row.definition.length;
  }
  return { Partitions, UnprocessedKeys };
};

const BatchDeletePartition: JsonHandler = (input, ctx) => {
  const entries = asList<PartitionValueList>(input.PartitionsToDelete, "partitionsToDelete", 25);
  const Errors: PartitionError[] = [];
  writeTransaction(ctx.db, () => {
    const table = tableFor(input, ctx.db);
    const keys = partitionKeyCount(table);
    for (const entry of entries) {
      try {
        const values = checkValues(valuesOf(entry), keys);
        requirePartition(ctx.db, table, values);
        deletePartitionRow(ctx.db, table, values);
      } catch (err) {
        Errors.push({ PartitionValues: valuesOf(entry) as string[], ErrorDetail: detail(err) });
      }
    }
  });
  return { Errors };
};

const BatchUpdatePartition: JsonHandler = (input, ctx) => {
  const entries = asList<{ PartitionValueList?: unknown; PartitionInput?: unknown }>(input.Entries, "entries", 100);
  const Errors: BatchUpdatePartitionFailureEntry[] = [];
  writeTransaction(ctx.db, () => {
    const table = tableFor(input, ctx.db);
    const keys = partitionKeyCount(table);
    for (const entry of entries) {
      try {
        const current = requirePartition(ctx.db, table, checkValues(entry.PartitionValueList, keys));
        replacePartition(ctx.db, table, current, partitionInput(entry.PartitionInput, keys));
      } catch (err) {
        Errors.push({ PartitionValueList: entry.PartitionValueList as string[], ErrorDetail: detail(err) });
      }
    }
  });
  return { Errors };
};

export const partitionBatchHandlers: Record<string, JsonHandler> = { BatchCreatePartition, BatchGetPartition, BatchDeletePartition, BatchUpdatePartition };
