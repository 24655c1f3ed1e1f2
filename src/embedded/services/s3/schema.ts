import type Database from "better-sqlite3";
import { writeTransaction } from "../../store/db.js";

/**
 * S3's metadata tables. Object bytes live in files; a row says where (`path`, relative to the state directory) and
 * which file (`ino`), so a reader never pairs one version's metadata with another version's bytes.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS s3_buckets (
  name TEXT PRIMARY KEY,
  region TEXT NOT NULL,
  created TEXT NOT NULL,
  versioning TEXT,                -- NULL (never set) | Enabled | Suspended
  public_access_block TEXT,       -- JSON, NULL when deleted
  encryption TEXT NOT NULL,       -- JSON rules
  ownership TEXT,                 -- JSON rules, NULL when deleted
  tagging TEXT,                   -- JSON [{Key, Value}]
  lifecycle TEXT,                 -- JSON rules as given
  policy TEXT                     -- the policy document as given
);

CREATE TABLE IF NOT EXISTS s3_objects (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, -- order of versions of a key
  bucket TEXT NOT NULL,
  key TEXT NOT NULL,
  version_id TEXT NOT NULL,       -- 'null' for objects written while versioning was off or suspended
  is_latest INTEGER NOT NULL,
  delete_marker INTEGER NOT NULL DEFAULT 0,
  size INTEGER NOT NULL DEFAULT 0,
  etag TEXT,                      -- quoted
  last_modified TEXT NOT NULL,    -- ISO 8601, whole seconds as S3
  content_type TEXT,
  headers TEXT NOT NULL DEFAULT '{}',  -- stored system headers: cache-control, content-encoding …
  user_metadata TEXT NOT NULL DEFAULT '{}', -- x-amz-meta-* without the prefix
  checksum_algorithm TEXT,
  checksum_type TEXT,
  checksum_value TEXT,
  storage_class TEXT NOT NULL DEFAULT 'STANDARD',
  sse TEXT,                       -- AES256 | aws:kms | aws:kms:dsse
  part_sizes TEXT,                -- JSON sizes of a multipart object's parts (GetObject ?partNumber)
  path TEXT,                      -- file, relative to the state directory (NULL for delete markers)
  ino TEXT,
  UNIQUE (bucket, key, version_id)
);
CREATE INDEX IF NOT EXISTS s3_objects_current ON s3_objects (bucket, key) WHERE is_latest = 1 AND delete_marker = 0;
CREATE INDEX IF NOT EXISTS s3_objects_versions ON s3_objects (bucket, key, seq);

CREATE TABLE IF NOT EXISTS s3_uploads (
  upload_id TEXT PRIMARY KEY,
  bucket TEXT NOT NULL,
  key TEXT NOT NULL,
  initiated TEXT NOT NULL,
  content_type TEXT,
  headers TEXT NOT NULL DEFAULT '{}',
  user_metadata TEXT NOT NULL DEFAULT '{}',
  checksum_algorithm TEXT,
  checksum_type TEXT,
  storage_class TEXT NOT NULL DEFAULT 'STANDARD',
  sse TEXT
);
CREATE INDEX IF NOT EXISTS s3_uploads_key ON s3_uploads (bucket, key, initiated);

CREATE TABLE IF NOT EXISTS s3_parts (
  upload_id TEXT NOT NULL REFERENCES s3_uploads (upload_id) ON DELETE CASCADE,
  part_number INTEGER NOT NULL,
  size INTEGER NOT NULL,
  etag TEXT NOT NULL,
  last_modified TEXT NOT NULL,
  checksum_algorithm TEXT,
  checksum_value TEXT,
  path TEXT NOT NULL,
  PRIMARY KEY (upload_id, part_number)
);
`;

export function migrateS3(db: Database.Database): void {
  writeTransaction(db, () => db.exec(SCHEMA));
}
