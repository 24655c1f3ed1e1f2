// No-op `plan` (= reconcile --dry-run) as a cold CLI run: wall time and API calls, against the lower bound of
// reads the desired state requires (bucket: 6 reads, upload: 1 list page per 1000 objects, role: 3 reads; Glue:
// 1 GetDatabases + 1 BatchGetCrawlers + 1 BatchGetJobs, tags of each database, crawler and job, the job's script
// object, and the account id once for the Glue tag ARNs), with
// 0 ms and 50 ms of latency injected per call into the embedded AWS. Lower bound time = reads ÷ concurrency × latency.
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = join(import.meta.dirname, "..");
const BIN = join(ROOT, "dist", "cli", "bin.js");
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const LATENCY_MS = 50;
const CONCURRENCY = 8;

function cli(args, env = {}) {
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1", ...env } });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (r.status !== 0) throw new Error(`lakewarden ${args.join(" ")} exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  const [, calls, reconcileSeconds] = /(\d+) API calls to \S+ in ([\d.]+)s/.exec(r.stdout) ?? [];
  return { seconds, calls: Number(calls), reconcileSeconds: Number(reconcileSeconds), stdout: r.stdout };
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function countFiles(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;
}

function measure(name, config, lowerBoundReads) {
  cli(["reconcile", "-c", config]);
  for (const latency of [0, LATENCY_MS]) {
    const env = latency ? { LAKEWARDEN_FAULTS: `*:*:latency:${latency}ms` } : {};
    const runs = Array.from({ length: latency ? Math.min(RUNS, 3) : RUNS }, () => cli(["plan", "-c", config, "--detailed-exitcode"], env));
    const wall = median(runs.map((r) => r.seconds));
    const inner = median(runs.map((r) => r.reconcileSeconds));
    const calls = runs[0].calls;
    const bound = latency ? (lowerBoundReads / CONCURRENCY) * (latency / 1000) : undefined;
    console.log(
      `${name}, ${latency} ms/call: no-op plan ${wall.toFixed(2)} s cold CLI (median of ${runs.length}), of which observe+plan ${inner.toFixed(2)} s;` +
        ` ${calls} API calls vs ${lowerBoundReads} required reads (${(calls / lowerBoundReads).toFixed(2)}×)` +
        (bound ? `; lower bound ${bound.toFixed(2)} s → observe+plan ${(inner / bound).toFixed(2)}×, cold CLI ${(wall / bound).toFixed(2)}× the bound` : ""),
    );
  }
}

export default async function bench() {
  const dir = mkdtempSync(join(tmpdir(), "lakewarden-bench-reconcile-"));
  try {
    // The seed lake, as shipped.
    const seed = join(dir, "seed");
    for (const part of ["data", "sql", "glue_scripts", "lake.config.yaml"]) cpSync(join(ROOT, part), join(seed, part), { recursive: true });
    const objects = countFiles(join(seed, "data", "raw"));
    const glueReads = 1 + 2 + (1 + 2) + (1 + 1 + 1) + 1; // databases, crawlers, job (+ script), account id
    measure("seed lake (4 buckets, 1 upload, 1 role, 2 databases, 2 crawlers, 1 job)", join(seed, "lake.config.yaml"), 4 * 6 + Math.ceil(objects / 1000) + 3 + glueReads);

    // 200 buckets.
    const big = join(dir, "big");
    const buckets = Array.from({ length: 200 }, (_, i) => `  b${i}: { name: bench-bucket-${String(i).padStart(3, "0")} }`).join("\n");
    cpSync(join(ROOT, "data"), join(big, "data"), { recursive: true });
    writeFileSync(join(big, "lake.config.yaml"), `version: 1\nlake: bench\napply: { concurrency: ${CONCURRENCY} }\nbuckets:\n${buckets}\n`);
    measure("200 buckets", join(big, "lake.config.yaml"), 200 * 6);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
