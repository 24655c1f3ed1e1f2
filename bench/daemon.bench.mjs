// The daemon on the seed lake (embedded target), as a real process: idle RSS; RSS growth over 500 fast cycles (leak
// check: cycles triggered by SIGHUP one after another, RSS compared once settled, 20-30 s after a warm-up and after
// the last cycle, and the live JS heap from /metrics); CPU
// per idle minute (measured over BENCH_IDLE_SECONDS and scaled); the time from a pushed commit to the lake
// converged with source.git polling every POLL_SECONDS. Goals: idle RSS ≤ 150 MB, growth ≤ 10 %, no measurable idle
// CPU, a commit converged within one poll interval plus the reconcile's own time.
import { execFileSync, spawn } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = join(import.meta.dirname, "..");
const BIN = join(ROOT, "dist", "cli", "bin.js");
const CYCLES = Number(process.env.BENCH_DAEMON_CYCLES ?? 500);
const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 25);
const SETTLE_SECONDS = 20;
const START_SETTLE_SECONDS = 45;
const POLL_SECONDS = 5;
const COMMITS = 3;
const NEVER = "0 0 1 1 *"; // once a year: nothing but what the bench triggers

function seedCopy(dir) {
  for (const part of ["data", "sql", "glue_scripts", "lake.config.yaml"]) cpSync(join(ROOT, part), join(dir, part), { recursive: true });
}

/** Starts `lakewarden daemon` with JSON logs; lines are parsed as they come. */
function startDaemon(cwd, args = [], env = {}) {
  const child = spawn(process.execPath, [BIN, "daemon", ...args], {
    cwd,
    env: { ...process.env, LAKEWARDEN_LOG_FORMAT: "json", LAKEWARDEN_HTTP_PORT: "0", LAKEWARDEN_ENDPOINT_PORT: "0", ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines = [];
  const waiters = [];
  let pending = "";
  child.stdout.setEncoding("utf8").on("data", (chunk) => {
    pending += chunk;
    const parts = pending.split("\n");
    pending = parts.pop();
    for (const part of parts) if (part.trim()) lines.push(JSON.parse(part));
    for (const w of [...waiters]) w();
  });
  const exited = new Promise((resolve) => child.once("exit", (code) => resolve(code)));
  const waitFor = (match, from = 0, timeoutMs = 120_000) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("timed out waiting for the daemon")), timeoutMs);
      const check = () => {
        const found = lines.slice(from).find(match);
        if (!found) return;
        clearTimeout(timer);
        waiters.splice(waiters.indexOf(check), 1);
        resolve(found);
      };
      waiters.push(check);
      check();
    });
  return { child, lines, waitFor, stop: () => (child.kill("SIGTERM"), exited) };
}

const isSummary = (l) => l.event === "reconcile";
const rssMb = (pid) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))[1]) / 1024;
/** CPU seconds the process's threads spent on a CPU so far (schedstat: nanoseconds, unlike the 10 ms ticks of stat). */
function cpuSeconds(pid) {
  let ns = 0;
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, "utf8").split(" ")[0]);
    } catch {
      // a thread that ended meanwhile
    }
  }
  return ns / 1e9;
}
/** RSS once idle: the lowest of samples taken 20 to 30 s after the last cycle (V8 hands pages back lazily). */
async function settledRss(pid) {
  await sleep(SETTLE_SECONDS * 1000);
  let lowest = rssMb(pid);
  for (let i = 0; i < 5; i++) {
    await sleep(2000);
    lowest = Math.min(lowest, rssMb(pid));
  }
  return lowest;
}
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function idleAndCycles(dir) {
  const d = startDaemon(dir, ["--schedule", NEVER]);
  const pid = d.child.pid;
  await d.waitFor(isSummary);
  // The first crawl (runOn: create) ends, and V8's own work after start-up (concurrent compilation and
  // collection) dies down within about 40 s.
  await sleep(START_SETTLE_SECONDS * 1000);
  const idleRss = rssMb(pid);
  const cpu0 = cpuSeconds(pid);
  await sleep(IDLE_SECONDS * 1000);
  const idleCpu = cpuSeconds(pid) - cpu0;
  console.log(`idle RSS on the seed lake: ${idleRss.toFixed(1)} MB (goal ≤ 150 MB)`);
  console.log(
    `idle CPU (${START_SETTLE_SECONDS} s after start): ${(idleCpu * 1000).toFixed(1)} ms over ${IDLE_SECONDS} s → ` +
      `${((idleCpu * 60) / IDLE_SECONDS).toFixed(3)} s per idle minute (${((idleCpu / IDLE_SECONDS) * 100).toFixed(3)} % of a core)`,
  );

  const cycle = async () => {
    const from = d.lines.length;
    d.child.kill("SIGHUP");
    return d.waitFor(isSummary, from);
  };
  const http = d.lines.find((l) => l.http).http;
  const heapUsedMb = async () => Number(/^nodejs_heap_size_used_bytes (\S+)/m.exec(await (await fetch(`${http}/metrics`)).text())[1]) / 1048576;
  for (let i = 0; i < 20; i++) await cycle(); // warm-up: JIT, caches, the first allocations of every path
  const warmRss = await settledRss(pid);
  const warmHeap = await heapUsedMb();
  const started = performance.now();
  const seconds = [];
  let failures = 0;
  for (let i = 0; i < CYCLES; i++) {
    const summary = await cycle();
    seconds.push(summary.seconds);
    if (summary.result !== "success") failures++;
  }
  const wall = (performance.now() - started) / 1000;
  const burstRss = rssMb(pid);
  const endRss = await settledRss(pid);
  const endHeap = await heapUsedMb();
  console.log(
    `${CYCLES} no-op cycles back to back in ${wall.toFixed(1)} s (reconcile median ${median(seconds).toFixed(3)} s, ${failures} failed); ` +
      `RSS ${burstRss.toFixed(1)} MB right after the last one`,
  );
  console.log(
    `RSS settled after 20 warm-up cycles ${warmRss.toFixed(1)} MB → settled after ${CYCLES} more ${endRss.toFixed(1)} MB: ` +
      `growth ${(((endRss - warmRss) / warmRss) * 100).toFixed(1)} % (goal ≤ 10 %); ` +
      `live JS heap ${warmHeap.toFixed(1)} MB → ${endHeap.toFixed(1)} MB (${(((endHeap - warmHeap) / warmHeap) * 100).toFixed(1)} %)`,
  );
  const code = await d.stop();
  if (code !== 0) throw new Error(`the daemon exited ${code} on SIGTERM`);
}

async function commitToConverged(root) {
  const git = (cwd, ...args) => execFileSync("git", ["-c", "user.name=bench", "-c", "user.email=bench@example.com", "-c", "init.defaultBranch=main", ...args], { cwd, encoding: "utf8" }).trim();
  mkdirSync(root, { recursive: true });
  git(root, "init", "-q", "--bare", "remote.git");
  const work = join(root, "work");
  seedCopy(work);
  const config = join(work, "lake.config.yaml");
  writeFileSync(config, readFileSync(config, "utf8").replace('reconcile: "*/5 * * * *"', `reconcile: "${NEVER}"`));
  git(work, "init", "-q");
  git(work, "remote", "add", "origin", join(root, "remote.git"));
  git(work, "add", "-A");
  git(work, "commit", "-q", "-m", "seed");
  git(work, "push", "-q", "origin", "main");
  const boot = join(root, "boot");
  mkdirSync(boot);
  writeFileSync(join(boot, "lake.config.yaml"), `version: 1\nlake: ecomm\nsource: { git: { url: ../remote.git, interval: ${POLL_SECONDS}s } }\n`);
  const d = startDaemon(boot);
  await d.waitFor((l) => isSummary(l) && l.result === "success");
  const results = [];
  for (let i = 0; i < COMMITS; i++) {
    await sleep(Math.random() * POLL_SECONDS * 1000); // commits land anywhere in the poll cycle
    writeFileSync(config, readFileSync(config, "utf8").replace("tags:\n", `tags:\n  bench-${i}: "yes"\n`));
    git(work, "commit", "-q", "-am", `tag ${i}`);
    const pushed = performance.now();
    git(work, "push", "-q", "origin", "main");
    const sha = git(work, "rev-parse", "HEAD");
    const summary = await d.waitFor((l) => isSummary(l) && l.revision === sha);
    results.push({ seconds: (performance.now() - pushed) / 1000, reconcile: summary.seconds, changes: summary.changes, result: summary.result });
  }
  await d.stop();
  for (const r of results) {
    console.log(
      `commit → converged: ${r.seconds.toFixed(2)} s (${r.result}, ${r.changes} changes; reconcile ${r.reconcile.toFixed(2)} s; ` +
        `bound: poll ${POLL_SECONDS} s + reconcile = ${(POLL_SECONDS + r.reconcile).toFixed(2)} s)`,
    );
  }
  console.log(`commit → converged, median of ${COMMITS}: ${median(results.map((r) => r.seconds)).toFixed(2)} s`);
}

export default async function bench() {
  const dir = mkdtempSync(join(tmpdir(), "lakewarden-bench-daemon-"));
  try {
    const seed = join(dir, "seed");
    seedCopy(seed);
    await idleAndCycles(seed);
    await commitToConverged(join(dir, "git"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
