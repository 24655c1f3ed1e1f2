import type Database from "better-sqlite3";
import { writeTransaction } from "../../store/db.js";

/**
 * CloudWatch's state: metrics (namespace, name, dimension set) and the datapoints published to them, kept as
 * published — one row per datum, with its statistic set and, for raw values, the value distribution — and
 * aggregated by period when read. Times are epoch seconds.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS cw_metrics (
  id INTEGER PRIMARY KEY,
  namespace TEXT NOT NULL,
  name TEXT NOT NULL,
  dims_key TEXT NOT NULL,         -- the dimension set, sorted by name, as JSON [[name, value], ...]
  dimensions TEXT NOT NULL,       -- the same as JSON [{"Name", "Value"}, ...]
  last_published REAL NOT NULL,   -- when data last arrived (ListMetrics: two weeks; RecentlyActive: three hours)
  UNIQUE (namespace, name, dims_key)
);

CREATE TABLE IF NOT EXISTS cw_metric_dimensions (
  metric_id INTEGER NOT NULL REFERENCES cw_metrics(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (metric_id, name)
);
CREATE INDEX IF NOT EXISTS cw_metric_dimensions_by_name ON cw_metric_dimensions (name, value);

CREATE TABLE IF NOT EXISTS cw_datapoints (
  metric_id INTEGER NOT NULL REFERENCES cw_metrics(id) ON DELETE CASCADE,
  ts INTEGER NOT NULL,            -- epoch seconds, truncated to the storage resolution (1 s or 60 s)
  unit TEXT NOT NULL,
  sample_count REAL NOT NULL,
  sum REAL NOT NULL,
  minimum REAL NOT NULL,
  maximum REAL NOT NULL,
  distribution TEXT,              -- raw values as JSON [[value, count], ...]; NULL for a statistic set
  storage_resolution INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS cw_datapoints_by_metric_time ON cw_datapoints (metric_id, ts);
`;

export function migrateCloudWatch(db: Database.Database): void {
  writeTransaction(db, () => db.exec(SCHEMA));
}
