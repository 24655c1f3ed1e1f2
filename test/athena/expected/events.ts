import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

/**
 * One raw clickstream line as the crawled table `raw` exposes it: every column the crawler found, a key missing from
 * the line (or JSON null) as null — which is what the OpenX SerDe gives Athena for an absent key.
 */
export interface RawEvent {
  event_id: string | null;
  event_type: string | null;
  timestamp: string | null;
  user_id: string | null;
  session_id: string | null;
  product: { id: string | null; name: string | null; category: string | null; price: number | null } | null;
  quantity: number | null;
  device: { type: string | null } | null;
  geo: { country: string | null } | null;
  order_id: string | null;
  search_query: string | null;
  coupon_code: string | null;
}

/** Every line of every file under `dir` (the seed lake's data/raw), parsed; empty lines skipped as the SerDe does. */
export function readRawEvents(dir: string): RawEvent[] {
  const events: RawEvent[] = [];
  for (const file of filesUnder(dir)) {
    for (const line of readFileSync(file, "utf8").split("\n")) {
      if (line.trim()) events.push(toRawEvent(JSON.parse(line) as Record<string, unknown>));
    }
  }
  return events;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? filesUnder(path) : [path];
    });
}

function toRawEvent(o: Record<string, unknown>): RawEvent {
  const product = record(o.product);
  const device = record(o.device);
  const geo = record(o.geo);
  return {
    event_id: text(o.event_id),
    event_type: text(o.event_type),
    timestamp: text(o.timestamp),
    user_id: text(o.user_id),
    session_id: text(o.session_id),
    product: product ? { id: text(product.id), name: text(product.name), category: text(product.category), price: num(product.price) } : null,
    quantity: num(o.quantity),
    device: device ? { type: text(device.type) } : null,
    geo: geo ? { country: text(geo.country) } : null,
    order_id: text(o.order_id),
    search_query: text(o.search_query),
    coupon_code: text(o.coupon_code),
  };
}

const text = (v: unknown): string | null => (typeof v === "string" ? v : null);
const num = (v: unknown): number | null => (typeof v === "number" ? v : null);
const record = (v: unknown): Record<string, unknown> | null => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : null);
