// Throughput of `gen-data` against the disk's own write speed measured in the same run (same bytes, same chunking).
import { createWriteStream, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { once } from "node:events";
import { generateData } from "../dist/datagen/generate.js";

const DAYS = Number(process.env.BENCH_DAYS ?? 30);
const EVENTS_PER_DAY = Number(process.env.BENCH_EVENTS_PER_DAY ?? 10000);

async function writeBytes(path, total) {
  const chunk = Buffer.alloc(64 * 1024, '{"event_id":"00000000-0000-4000-8000-000000000000"}\n');
  const out = createWriteStream(path);
  for (let written = 0; written < total; written += chunk.length) {
    if (!out.write(chunk)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
}

export default async function bench() {
  const dir = mkdtempSync(join(tmpdir(), "lakewarden-bench-"));
  try {
    const summary = await generateData({ out: join(dir, "gen"), days: DAYS, eventsPerDay: EVENTS_PER_DAY, seed: 1 });
    const start = process.hrtime.bigint();
    await writeBytes(join(dir, "baseline.bin"), summary.bytes);
    const baselineSeconds = Number(process.hrtime.bigint() - start) / 1e9;
    const mb = summary.bytes / 1e6;
    console.log(`gen-data: ${DAYS} days × ${EVENTS_PER_DAY} events = ${summary.events} events, ${mb.toFixed(1)} MB in ${summary.seconds.toFixed(2)} s → ${(mb / summary.seconds).toFixed(1)} MB/s`);
    console.log(`baseline (plain stream write of the same bytes): ${baselineSeconds.toFixed(2)} s → ${(mb / baselineSeconds).toFixed(1)} MB/s`);
    console.log(`ratio gen-data / baseline time: ${(summary.seconds / baselineSeconds).toFixed(2)}×`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
