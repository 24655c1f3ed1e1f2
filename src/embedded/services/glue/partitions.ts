import type { Partition } from "@aws-sdk/client-glue";
import type { JsonHandler } from "../../protocols/json.js";
import { writeTransaction } from "../../store/db.js";
import { decodeToken, encodeToken, invalidInput, pageSize } from "./api-common.js";
import { compilePartitionExpression } from "./expression.js";
import { partitionBatchHandlers } from "./partition-batch.js";
import {
  checkValues,
  deletePartitionRow,
  insertPartition,
  partitionInput,
  partitionKeyCount,
  partitionKeys,
  partitionShape,
  replacePartition,
  requirePartition,
  scanPartitions,
  tableFor,
} from "./partition-rows.js";

/** Partitions: CreatePartition, GetPartition, GetPartitions, UpdatePartition, DeletePartition (+ batch calls). */

/** GetPartitions' largest page. */
const GLUE_PAGE = 1000;

const CreatePartition: JsonHandler = (input, ctx) => {
  writeTransaction(ctx.db, () => {
    const table = tableFor(input, ctx.db);
    insertPartition(ctx.db, table, partitionInput(input.PartitionInput, partitionKeyCount(table)), ctx.now().getTime() / 1000);
  });
  return {};
};

const GetPartition: JsonHandler = (input, ctx) => {
  const table = tableFor(input, ctx.db);
  const row = requirePartition(ctx.db, table, checkValues(input.PartitionValues, partitionKeyCount(table)));
  return { Partition: partitionShape(row, ctx.accountId) };
};

/** FNV-1a: a stable hash that spreads partitions over Segments independently of their order. */
function segmentOf(key: string, total: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return (h >>> 0) % total;
}

function segmentFilter(value: unknown): ((key: string) => boolean) | undefined {
  if (value === undefined || value === null) return undefined;
  const { SegmentNumber, TotalSegments } = value as { SegmentNumber?: unknown; TotalSegments?: unknown };
  if (typeof TotalSegments !== "number" || !Number.isInteger(TotalSegments) || TotalSegments < 1 || TotalSegments > 10) {
    throw invalidInput("Segment.TotalSegments must be an integer from 1 to 10.");
  }
  if (typeof SegmentNumber !== "number" || !Number.isInteger(SegmentNumber) || SegmentNumber < 0 || SegmentNumber >= TotalSegments) {
    throw invalidInput("Segment.SegmentNumber must be from 0 to TotalSegments - 1.");
  }
  return (key) => segmentOf(key, TotalSegments) === SegmentNumber;
}

/** GetPartitions: in key order, filtered by Expression and Segment, paged by the key of the last one returned. */
const GetPartitions: JsonHandler = (input, ctx) => {
  const table = tableFor(input, ctx.db);
  const max = pageSize(input.MaxResults, GLUE_PAGE);
  const matches = compilePartitionExpression(typeof input.Expression === "string" ? input.Expression : "", partitionKeys(table));
  const inSegment = segmentFilter(input.Segment);
  const exclude = input.ExcludeColumnSchema === true;
  const Partitions: Partition[] = [];
  let lastKey: string | undefined;
  let more = false;
  for (const row of scanPartitions(ctx.db, table, decodeToken<string>(input.NextToken))) {
    if (inSegment && !inSegment(row.values_key)) continue;
    if (!matches(JSON.parse(row.values_key) as string[])) continue;
    if (Partitions.length === max) {
      more = true;
      break;
    }
    Partitions.push(partitionShape(row, ctx.accountId, exclude));
    lastKey = row.values_key;
  }
  return { Partitions, NextToken: more && lastKey !== undefined ? encodeToken(lastKey) : undefined };
};

/** UpdatePartition: PartitionInput replaces the partition named by PartitionValueList (its Values may change). */
const UpdatePartition: JsonHandler = (input, ctx) => {
  writeTransaction(ctx.db, () => {
    const table = tableFor(input, ctx.db);
    const keys = partitionKeyCount(table);
    const current = requirePartition(ctx.db, table, checkValues(input.PartitionValueList, keys));
    replacePartition(ctx.db, table, current, partitionInput(input.PartitionInput, keys));
  });
  return {};
};

const DeletePartition: JsonHandler = (input, ctx) => {
  writeTransaction(ctx.db, () => {
    const table = tableFor(input, ctx.db);
    const values = checkValues(input.PartitionValues, partitionKeyCount(table));
    requirePartition(ctx.db, table, values);
    deletePartitionRow(ctx.db, table, values);
  });
  return {};
};

export const partitionHandlers: Record<string, JsonHandler> = {
  CreatePartition,
  GetPartition,
  GetPartitions,
  UpdatePartition,
  DeletePartition,
  ...partitionBatchHandlers,
};
