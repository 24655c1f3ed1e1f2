import type { AstNode } from "./query-ast.js";
import { projectedPartitions, projectionEnabled } from "./partition-projection.js";
import { listDataFiles, listDataFilesOf, parseS3Location, type DataFile, type S3Location } from "./s3-files.js";
import type { Session } from "./session.js";
import type { TableModel } from "./table-model.js";

/** The partitions a table may read: registered in the catalog, or computed by partition projection. */

export interface PartitionCandidate {
  values: string[];
  location: S3Location | undefined;
}

export function candidatePartitions(session: Session, model: TableModel, conjuncts: AstNode[]): PartitionCandidate[] {
  if (projectionEnabled(model)) return projectedPartitions(model, conjuncts, session.ctx.now());
  return session.catalog.getPartitionLocations(model.database, model.name).map((p) => ({ values: p.values, location: parseS3Location(p.location) }));
}

export function filesOf(session: Session, location: S3Location | undefined): DataFile[] {
  return location ? listDataFiles(session.ctx, location) : [];
}

/** The files of each candidate partition, in their order. */
export function filesOfPartitions(session: Session, candidates: PartitionCandidate[]): DataFile[][] {
  return listDataFilesOf(session.ctx, candidates.map((c) => c.location));
}
