import type Database from "better-sqlite3";
import { AwsError } from "../../protocols/types.js";
import { sql } from "./sql.js";

/** The s3_uploads and s3_parts tables: multipart uploads in progress. */

export interface UploadRow {
  upload_id: string;
  bucket: string;
  key: string;
  initiated: string;
  content_type: string | null;
  headers: string;
  user_metadata: string;
  checksum_algorithm: string | null;
  checksum_type: string | null;
  storage_class: string;
  sse: string | null;
}

export interface PartRow {
  upload_id: string;
  part_number: number;
  size: number;
  etag: string;
  last_modified: string;
  checksum_algorithm: string | null;
  checksum_value: string | null;
  path: string;
}

export function insertUpload(db: Database.Database, row: UploadRow): void {
  sql(db, 
    `INSERT INTO s3_uploads (upload_id, bucket, key, initiated, content_type, headers, user_metadata, checksum_algorithm, checksum_type, storage_class, sse)
     VALUES (@upload_id, @bucket, @key, @initiated, @content_type, @headers, @user_metadata, @checksum_algorithm, @checksum_type, @storage_class, @sse)`,
  ).run(row);
}

/** The upload, checked to belong to the bucket and key of the request: NoSuchUpload otherwise. */
export function requireUpload(db: Database.Database, bucket: string, key: string, uploadId: string): UploadRow {
  const row = sql(db, "SELECT * FROM s3_uploads WHERE upload_id = ?").get(uploadId) as UploadRow | undefined;
  if (!row || row.bucket !== bucket || row.key !== key) {
    throw new AwsError("NoSuchUpload", "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.", 404, { UploadId: uploadId });
  }
  return row;
}

export function uploadsOfBucket(db: Database.Database, bucket: string): UploadRow[] {
  return sql(db, "SELECT * FROM s3_uploads WHERE bucket = ? ORDER BY key, initiated, upload_id").all(bucket) as UploadRow[];
}

export function deleteUpload(db: Database.Database, uploadId: string): void {
  sql(db, "DELETE FROM s3_parts WHERE upload_id = ?").run(uploadId);
  sql(db, "DELETE FROM s3_uploads WHERE upload_id = ?").run(uploadId);
}

export function upsertPart(db: Database.Database, row: PartRow): void {
  sql(db, 
    `INSERT OR REPLACE INTO s3_parts (upload_id, part_number, size, etag, last_modified, checksum_algorithm, checksum_value, path)
     VALUES (@upload_id, @part_number, @size, @etag, @last_modified, @checksum_algorithm, @checksum_value, @path)`,
  ).run(row);
}

export function partsOf(db: Database.Database, uploadId: string): PartRow[] {
  return sql(db, "SELECT * FROM s3_parts WHERE upload_id = ? ORDER BY part_number").all(uploadId) as PartRow[];
}

export function getPart(db: Database.Database, uploadId: string, partNumber: number): PartRow | undefined {
  return sql(db, "SELECT * FROM s3_parts WHERE upload_id = ? AND part_number = ?").get(uploadId, partNumber) as PartRow | undefined;
}
