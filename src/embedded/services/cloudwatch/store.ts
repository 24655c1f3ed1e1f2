import type Database from "better-sqlite3";
import { sql } from "../../store/db.js";
import { dimensionsKey, type Dimension, type MetricId } from "./metric.js";

/** Reading and writing the metric and datapoint rows (schema.ts). */

/** One published datum, ready to store: a statistic set, plus the raw distribution when values were published. */
export interface DatapointRow {
  ts: number;
  unit: string;
  sampleCount: number;
  sum: number;
  minimum: number;
  maximum: number;
  /** [value, count] pairs; undefined for a statistic set. */
  distribution?: [number, number][];
  storageResolution: 1 | 60;
}

export interface MetricRow {
  id: number;
  namespace: string;
  name: string;
  dimensions: string;
  last_published: number;
}

/** Creates the metric on first use and marks it published now; returns its id. Call inside a write transaction. */
export function touchMetric(db: Database.Database, metric: MetricId, nowSeconds: number): number {
  const { id } = sql(
    db,
    `INSERT INTO cw_metrics (namespace, name, dims_key, dimensions, last_published) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (namespace, name, dims_key) DO UPDATE SET last_published = MAX(last_published, excluded.last_published)
     RETURNING id`,
  ).get(metric.Namespace, metric.MetricName, dimensionsKey(metric.Dimensions), JSON.stringify(metric.Dimensions), nowSeconds) as { id: number };
  const insert = sql(db, "INSERT OR IGNORE INTO cw_metric_dimensions (metric_id, name, value) VALUES (?, ?, ?)");
  for (const d of metric.Dimensions) insert.run(id, d.Name, d.Value);
  return id;
}

export function insertDatapoint(db: Database.Database, metricId: number, row: DatapointRow): void {
  sql(
    db,
    `INSERT INTO cw_datapoints (metric_id, ts, unit, sample_count, sum, minimum, maximum, distribution, storage_resolution)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(metricId, row.ts, row.unit, row.sampleCount, row.sum, row.minimum, row.maximum, row.distribution ? JSON.stringify(row.distribution) : null, row.storageResolution);
}

/** The metric with exactly this namespace, name and dimension set, if any data was ever published to it. */
export function findMetricId(db: Database.Database, metric: MetricId): number | undefined {
  const row = sql(db, "SELECT id FROM cw_metrics WHERE namespace = ? AND name = ? AND dims_key = ?").get(metric.Namespace, metric.MetricName, dimensionsKey(metric.Dimensions)) as { id: number } | undefined;
  return row?.id;
}

export const metricShape = (row: MetricRow): MetricId => ({ Namespace: row.namespace, MetricName: row.name, Dimensions: JSON.parse(row.dimensions) as Dimension[] });
