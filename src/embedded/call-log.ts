/** Every call the embedded AWS answered: tests check that a dry run wrote nothing, benchmarks count calls. */
export interface CallRecord {
  service: string;
  operation: string;
  status: number;
  /** Error code when the call failed. */
  error?: string;
  ms: number;
}

const WRITE_PREFIXES = ["Put", "Create", "Delete", "Update", "Attach", "Detach", "Tag", "Untag", "Copy", "Upload", "Complete", "Abort", "Start", "Stop", "Batch", "Restore", "Set", "Add", "Remove"];
const READ_BATCH = ["BatchGetCrawlers", "BatchGetJobs", "BatchGetNamedQuery", "BatchGetQueryExecution", "BatchGetPartition", "BatchGetTableOptimizer"];

/** Whether an operation changes state (by AWS's naming conventions). */
export function isWriteOperation(operation: string): boolean {
  if (READ_BATCH.includes(operation)) return false;
  return WRITE_PREFIXES.some((p) => operation.startsWith(p));
}

export class CallLog {
  private records: CallRecord[] = [];

  constructor(private readonly limit = 100_000) {}

  add(record: CallRecord): void {
    if (this.records.length >= this.limit) this.records.splice(0, this.records.length - this.limit + 1);
    this.records.push(record);
  }

  all(): readonly CallRecord[] {
    return this.records;
  }

  writes(): CallRecord[] {
    return this.records.filter((r) => isWriteOperation(r.operation));
  }

  clear(): void {
    this.records = [];
  }
}
