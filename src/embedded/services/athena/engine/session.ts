import type { DuckDBConnection } from "@duckdb/node-api";
import type { SqliteCatalog } from "../../glue/catalog-store.js";
import type { DuckHost } from "./duck-host.js";
import type { DataFile } from "./s3-files.js";
import type { EngineContext, StatementRequest } from "./types.js";

/** One statement's run: its connection, the catalog, and what it has read so far. */
export class Session {
  /** Bytes of the data files the statement's scans read (DataScannedInBytes). */
  scannedBytes = 0;
  private readonly fileUrls = new Map<string, string>();

  constructor(
    readonly ctx: EngineContext,
    readonly catalog: SqliteCatalog,
    readonly host: DuckHost,
    readonly con: DuckDBConnection,
    readonly request: StatementRequest,
  ) {}

  /** The database unqualified names resolve in. */
  get database(): string {
    return (this.request.database ?? "default").toLowerCase();
  }

  /** Counts files a scan will read, and remembers their S3 URLs for error messages. */
  addScanned(files: DataFile[]): void {
    for (const f of files) {
      this.scannedBytes += f.size;
      this.fileUrls.set(f.path, `s3://${f.bucket}/${f.key}`);
    }
  }

  urlOf(path: string): string | undefined {
    return this.fileUrls.get(path);
  }
}
