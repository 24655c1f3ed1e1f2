import { afterAll, describe, expect, it, vi } from "vitest";
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { PRODUCTS } from "../src/datagen/catalog.js";
import { EVENT_FIELDS, EVENT_TYPES, generateDayEvents, serializeEvent, type ClickEvent } from "../src/datagen/events.js";
import { SEED_DATA, generateData, writeSeedData } from "../src/datagen/generate.js";
import { Rng, WeightedTable } from "../src/datagen/random.js";
import { main } from "../src/cli/main.js";

const root = mkdtempSync(join(tmpdir(), "lakewarden-datagen-"));
let counter = 0;
const tempDir = (): string => join(root, `run${++counter}`);
afterAll(() => rmSync(root, { recursive: true, force: true }));

const REPO = fileURLToPath(new URL("..", import.meta.url));
const SHOP = "https://shop.example.com/";

/** Every file under dir, as sorted paths relative to dir with forward slashes. */
function listFiles(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[])
    .filter((p) => statSync(join(dir, p)).isFile())
    .map((p) => p.split(sep).join("/"))
    .sort();
}

function readLines(path: string): string[] {
  const buf = readFileSync(path);
  const text = (path.endsWith(".gz") ? gunzipSync(buf) : buf).toString("utf8");
  expect(text.endsWith("\n")).toBe(true);
  return text.slice(0, -1).split("\n");
}

function isMalformed(line: string): boolean {
  try {
    const v: unknown = JSON.parse(line);
    return typeof v !== "object" || v === null || Array.isArray(v);
  } catch {
    return true;
  }
}

const KEY_ORDER = [
  "event_id",
  "event_type",
  "timestamp",
  "user_id",
  "session_id",
  "product",
  "quantity",
  "page",
  "device",
  "geo",
  "search_query",
  "coupon_code",
  "order_id",
];

/** Checks one event against the model; `date` is the partition's day. */
function checkEvent(e: ClickEvent, date: string): void {
  const keys = Object.keys(e);
  expect(keys).toEqual(KEY_ORDER.filter((k) => keys.includes(k)));
  expect(e.event_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  expect(EVENT_TYPES).toContain(e.event_type);
  expect(e.timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  expect(e.timestamp.slice(0, 10)).toBe(date);
  expect(e.user_id).toMatch(/^u_\d{6,}$/);
  expect(e.session_id).toMatch(/^s_[0-9a-f]{16}$/);
  const fields = EVENT_FIELDS[e.event_type];
  expect("product" in e).toBe(fields.product);
  expect("quantity" in e).toBe(fields.quantity);
  expect("search_query" in e).toBe(fields.search_query);
  expect("order_id" in e).toBe(fields.order_id);
  if ("coupon_code" in e) {
    expect(fields.coupon_code).toBe(true);
    expect(e.coupon_code).toMatch(/^[A-Z]+\d*$/);
  }
  if (e.product) {
    expect(Object.keys(e.product)).toEqual(["id", "name", "category", "price"]);
    expect(e.product).toEqual(PRODUCTS.find((p) => p.id === e.product!.id));
  }
  if (e.quantity !== undefined) expect([1, 2, 3, 4]).toContain(e.quantity);
  if (e.order_id !== undefined) expect(e.order_id).toMatch(/^o_[0-9a-f]{12}$/);
  if (e.search_query !== undefined) expect(e.search_query.length).toBeGreaterThan(0);
  expect(Object.keys(e.page)).toEqual(["url", "referrer"]);
  expect(e.page.url.startsWith(SHOP)).toBe(true);
  expect(Object.keys(e.device)).toEqual(["type", "os", "browser"]);
  expect(["desktop", "mobile", "tablet"]).toContain(e.device.type);
  expect(Object.keys(e.geo)).toEqual(["country", "city"]);
  expect(e.geo.country).toMatch(/^[A-Z]{2}$/);
}

/** Checks the sessions of a day: funnel order, constant attributes, navigation, cart arithmetic. */
function checkSessions(events: readonly ClickEvent[]): void {
  const sessions = new Map<string, ClickEvent[]>();
  const userGeo = new Map<string, string>();
  for (const e of events) {
    let list = sessions.get(e.session_id);
    if (!list) sessions.set(e.session_id, (list = []));
    list.push(e);
    const geo = JSON.stringify(e.geo);
    expect(userGeo.get(e.user_id) ?? geo).toBe(geo);
    userGeo.set(e.user_id, geo);
  }
  for (const list of sessions.values()) {
    const first = list[0]!;
    expect(first.event_type).toBe("page_view");
    expect(first.page.referrer === null || !first.page.referrer.startsWith(SHOP)).toBe(true);
    const cart = new Map<string, number>();
    let checkedOut = false;
    const orderLines: ClickEvent[] = [];
    list.forEach((e, i) => {
      expect(e.user_id).toBe(first.user_id);
      expect(e.device).toEqual(first.device);
      if (i > 0) {
        expect(e.timestamp > list[i - 1]!.timestamp).toBe(true);
        if (e.page !== list[i - 1]!.page && e.page.url !== list[i - 1]!.page.url) {
          expect(e.page.referrer).toBe(list[i - 1]!.page.url);
        }
      }
      const id = e.product?.id ?? "";
      switch (e.event_type) {
        case "add_to_cart":
          expect(list.slice(0, i).some((v) => v.event_type === "product_view" && v.product!.id === id)).toBe(true);
          cart.set(id, (cart.get(id) ?? 0) + e.quantity!);
          break;
        case "remove_from_cart":
          expect(cart.get(id) ?? 0).toBeGreaterThanOrEqual(e.quantity!);
          cart.set(id, cart.get(id)! - e.quantity!);
          if (cart.get(id) === 0) cart.delete(id);
          break;
        case "checkout_start":
          expect(cart.size).toBeGreaterThan(0);
          checkedOut = true;
          break;
        case "purchase":
          expect(checkedOut).toBe(true);
          orderLines.push(e);
          break;
      }
    });
    if (orderLines.length > 0) {
      // An order is the cart's remaining lines, one purchase event each, sharing one order_id and coupon.
      expect(new Set(orderLines.map((e) => e.order_id)).size).toBe(1);
      expect(new Map(orderLines.map((e) => [e.product!.id, e.quantity!]))).toEqual(cart);
      const checkout = list.find((e) => e.event_type === "checkout_start")!;
      for (const e of orderLines) expect(e.coupon_code).toBe(checkout.coupon_code);
    }
  }
}

describe("random", () => {
  it("is deterministic per seed, and 42 and '42' agree", () => {
    const a = new Rng(42);
    const b = new Rng("42");
    const c = new Rng(43);
    const xs = Array.from({ length: 5 }, () => a.u32());
    expect(Array.from({ length: 5 }, () => b.u32())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.u32())).not.toEqual(xs);
  });

  it("draws in range and produces v4 UUIDs", () => {
    const rng = new Rng("range");
    for (let i = 0; i < 2000; i++) {
      const n = rng.int(1, 4);
      expect(n >= 1 && n <= 4 && Number.isInteger(n)).toBe(true);
      const x = rng.next();
      expect(x >= 0 && x < 1).toBe(true);
    }
    expect(rng.hex(12)).toMatch(/^[0-9a-f]{12}$/);
    expect(rng.uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("weights its picks", () => {
    const rng = new Rng("weights");
    const table = new WeightedTable([
      ["a", 3],
      ["b", 1],
      ["never", 0],
    ] as const);
    const counts = { a: 0, b: 0, never: 0 };
    for (let i = 0; i < 20_000; i++) counts[table.pick(rng)]++;
    expect(counts.never).toBe(0);
    expect(counts.a / counts.b).toBeGreaterThan(2.7);
    expect(counts.a / counts.b).toBeLessThan(3.3);
  });
});

describe("event model", () => {
  const day = [...generateDayEvents({ seed: "model", date: "2025-06-23", events: 6000 })];

  it("produces exactly the requested number of events, in time order, inside the day", () => {
    expect(day).toHaveLength(6000);
    for (let i = 1; i < day.length; i++) expect(day[i]!.timestamp >= day[i - 1]!.timestamp).toBe(true);
    expect(day[0]!.timestamp >= "2025-06-23T00:00:00.000Z").toBe(true);
    expect(day.at(-1)!.timestamp <= "2025-06-23T23:59:59.999Z").toBe(true);
    for (const n of [1, 2, 7]) expect([...generateDayEvents({ seed: 1, date: "2025-06-23", events: n })]).toHaveLength(n);
  });

  it("follows the model for every event and every session", () => {
    for (const e of day) checkEvent(e, "2025-06-23");
    checkSessions(day);
    const types = new Set(day.map((e) => e.event_type));
    expect([...types].sort()).toEqual([...EVENT_TYPES].sort());
    expect(day.some((e) => e.coupon_code !== undefined && e.event_type === "purchase")).toBe(true);
    expect(day.some((e) => (e.event_type === "purchase" ? day.filter((o) => o.order_id === e.order_id).length > 1 : false))).toBe(
      true,
    );
  });

  it("serializes exactly like JSON.stringify", () => {
    for (const e of day) expect(serializeEvent(e)).toBe(JSON.stringify(e));
    const whole = PRODUCTS.find((p) => Number.isInteger(p.price))!;
    expect(JSON.stringify(whole)).toContain(`"price":${whole.price}}`);
  });

  it("is funnel-shaped: rates near the targets, desktop converts better than mobile, evening peak", () => {
    const big = [...generateDayEvents({ seed: "funnel", date: "2025-07-01", events: 60_000 })];
    const sessions = new Map<string, { device: string; types: Set<string> }>();
    const hours = new Array<number>(24).fill(0);
    for (const e of big) {
      const s = sessions.get(e.session_id) ?? { device: e.device.type, types: new Set<string>() };
      s.types.add(e.event_type);
      sessions.set(e.session_id, s);
      hours[Number(e.timestamp.slice(11, 13))]!++;
    }
    const all = [...sessions.values()];
    const count = (type: string, list = all) => list.filter((s) => s.types.has(type)).length;
    expect(count("add_to_cart") / all.length).toBeCloseTo(0.3, 1);
    expect(count("checkout_start") / count("add_to_cart")).toBeCloseTo(0.6, 1);
    expect(count("purchase") / count("checkout_start")).toBeCloseTo(0.7, 1);
    expect(count("search") / all.length).toBeGreaterThan(0.1);
    const conversion = (device: string) => {
      const list = all.filter((s) => s.device === device);
      return count("purchase", list) / list.length;
    };
    expect(conversion("desktop")).toBeGreaterThan(conversion("mobile") * 1.3);
    const peak = hours.indexOf(Math.max(...hours));
    const trough = hours.indexOf(Math.min(...hours));
    expect(peak).toBeGreaterThanOrEqual(17);
    expect(peak).toBeLessThanOrEqual(22);
    expect(trough).toBeGreaterThanOrEqual(2);
    expect(trough).toBeLessThanOrEqual(7);
    // Users come back: some have several sessions in a day.
    const perUser = new Map<string, number>();
    for (const e of big) if (e.event_type === "page_view") perUser.set(e.user_id, (perUser.get(e.user_id) ?? 0) + 1);
    expect([...perUser.values()].some((n) => n > 1)).toBe(true);
  });
});

describe("generateData", () => {
  it("writes the Hive layout, each day complete, split in time order over its files", async () => {
    const out = tempDir();
    const summary = await generateData({ out, days: 3, eventsPerDay: 1500, seed: "layout", startDate: "2025-06-30", filesPerDay: 3 });
    const expected = ["2025/06/30", "2025/07/01", "2025/07/02"].flatMap((d) => {
      const [y, m, dd] = d.split("/");
      return [1, 2, 3].map((k) => `year=${y}/month=${m}/day=${dd}/events_${k}.json`);
    });
    expect(listFiles(out)).toEqual(expected);
    expect(summary.files).toBe(9);
    expect(summary.events).toBe(4500);
    expect(summary.malformedLines).toBe(0);
    expect(summary.fileList.map((f) => relative(out, f.path).split(sep).join("/"))).toEqual(expected);
    let bytes = 0;
    for (const f of summary.fileList) {
      expect(statSync(f.path).size).toBe(f.bytes);
      bytes += f.bytes;
    }
    expect(summary.bytes).toBe(bytes);
    expect(summary.uncompressedBytes).toBe(bytes);
    expect(summary.seconds).toBeGreaterThan(0);

    for (const date of ["2025-06-30", "2025-07-01", "2025-07-02"]) {
      const files = summary.fileList.filter((f) => f.date === date);
      const perFile = files.map((f) => readLines(f.path));
      expect(perFile.map((l) => l.length)).toEqual([500, 500, 500]);
      const events = perFile.flat().map((line) => {
        const e = JSON.parse(line) as ClickEvent;
        expect(JSON.stringify(e)).toBe(line);
        checkEvent(e, date);
        return e;
      });
      for (let i = 1; i < events.length; i++) expect(events[i]!.timestamp >= events[i - 1]!.timestamp).toBe(true);
      checkSessions(events);
    }
  });

  it("is deterministic: same options, same bytes; another seed, other bytes", async () => {
    const opts = { days: 2, eventsPerDay: 800, filesPerDay: 2, startDate: "2025-06-23" };
    const a = await generateData({ ...opts, out: tempDir(), seed: 7 });
    const b = await generateData({ ...opts, out: tempDir(), seed: "7" });
    const c = await generateData({ ...opts, out: tempDir(), seed: 8 });
    a.fileList.forEach((f, i) => {
      expect(readFileSync(b.fileList[i]!.path).equals(readFileSync(f.path))).toBe(true);
      expect(readFileSync(c.fileList[i]!.path).equals(readFileSync(f.path))).toBe(false);
    });
  });

  it("gives a day the same data whichever run it is part of", async () => {
    const two = await generateData({ out: tempDir(), days: 2, eventsPerDay: 400, seed: 5, startDate: "2025-06-23" });
    const one = await generateData({ out: tempDir(), days: 1, eventsPerDay: 400, seed: 5, startDate: "2025-06-24" });
    expect(readFileSync(one.fileList[0]!.path).equals(readFileSync(two.fileList[1]!.path))).toBe(true);
  });

  it("breaks exactly the requested fraction of lines, leaving the others intact", async () => {
    const opts = { days: 2, eventsPerDay: 1000, filesPerDay: 2, seed: "broken" };
    const clean = await generateData({ ...opts, out: tempDir() });
    const summary = await generateData({ ...opts, out: tempDir(), malformed: 0.05 });
    expect(summary.malformedLines).toBe(100);
    expect(summary.events).toBe(1900);
    let malformed = 0;
    summary.fileList.forEach((f, i) => {
      const lines = readLines(f.path);
      const cleanLines = readLines(clean.fileList[i]!.path);
      expect(lines).toHaveLength(cleanLines.length);
      let inFile = 0;
      lines.forEach((line, j) => {
        expect(line.trim()).not.toBe("");
        if (isMalformed(line)) inFile++;
        else expect(line).toBe(cleanLines[j]);
      });
      expect(inFile).toBe(f.malformedLines);
      expect(lines.length - inFile).toBe(f.events);
      malformed += inFile;
    });
    expect(malformed).toBe(summary.malformedLines);
    const kinds = summary.fileList.flatMap((f) => readLines(f.path).filter(isMalformed));
    expect(kinds.some((l) => l.startsWith("[{"))).toBe(true);
    expect(kinds.some((l) => !l.startsWith("{") && !l.startsWith("["))).toBe(true);
  });

  it("writes gzip files that gunzip to the same lines", async () => {
    const opts = { days: 2, eventsPerDay: 700, filesPerDay: 2, seed: "zip" };
    const plain = await generateData({ ...opts, out: tempDir() });
    const out = tempDir();
    const zipped = await generateData({ ...opts, out, gzip: true });
    expect(listFiles(out).every((p) => p.endsWith(".json.gz"))).toBe(true);
    zipped.fileList.forEach((f, i) => {
      expect(gunzipSync(readFileSync(f.path)).equals(readFileSync(plain.fileList[i]!.path))).toBe(true);
      expect(f.bytes).toBe(statSync(f.path).size);
      expect(f.uncompressedBytes).toBe(plain.fileList[i]!.bytes);
    });
    expect(zipped.bytes).toBeLessThan(plain.bytes / 3);
  });

  it("rejects bad options", async () => {
    await expect(generateData({ out: tempDir(), days: 0 })).rejects.toThrow(/days must be a positive integer/);
    await expect(generateData({ out: tempDir(), malformed: 2 })).rejects.toThrow(/malformed/);
    await expect(generateData({ out: tempDir(), startDate: "2025-02-30" })).rejects.toThrow(/invalid date/);
    await expect(generateData({ out: tempDir(), eventsPerDay: 2, filesPerDay: 3 })).rejects.toThrow(/filesPerDay/);
  });
});

describe("seed data (data/raw)", () => {
  const raw = join(REPO, "data", "raw");
  const names = SEED_DATA.days.flatMap((d) =>
    d.files.map((f) => `year=${d.date.slice(0, 4)}/month=${d.date.slice(5, 7)}/day=${d.date.slice(8)}/${f.name}`),
  );

  it("is exactly the committed files, regenerated byte for byte by writeSeedData", async () => {
    expect(names).toEqual([
      "year=2025/month=06/day=23/events_1.json",
      "year=2025/month=06/day=23/events_2.json",
      "year=2025/month=06/day=24/events_today.json",
    ]);
    expect(listFiles(raw)).toEqual([...names].sort());
    const out = tempDir();
    const summary = await writeSeedData(out);
    expect(summary.malformedLines).toBe(0);
    for (const name of names) expect(readFileSync(join(out, name)).equals(readFileSync(join(raw, name)))).toBe(true);
  });

  it("holds whole, realistic sessions with searches and coupon purchases on each day", () => {
    const sessionsByFile: Set<string>[] = [];
    for (const day of SEED_DATA.days) {
      const events: ClickEvent[] = [];
      for (const f of day.files) {
        const lines = readLines(join(raw, `year=2025/month=06/day=${day.date.slice(8)}`, f.name));
        expect(lines.length).toBeGreaterThanOrEqual(150);
        expect(lines.length).toBeLessThanOrEqual(250);
        const fileEvents = lines.map((l) => JSON.parse(l) as ClickEvent);
        sessionsByFile.push(new Set(fileEvents.map((e) => e.session_id)));
        events.push(...fileEvents);
      }
      for (const e of events) checkEvent(e, day.date);
      for (let i = 1; i < events.length; i++) expect(events[i]!.timestamp >= events[i - 1]!.timestamp).toBe(true);
      checkSessions(events);
      expect(events.some((e) => e.event_type === "search")).toBe(true);
      expect(events.some((e) => e.event_type === "purchase" && e.coupon_code !== undefined)).toBe(true);
    }
    // No session straddles two files.
    const all = sessionsByFile.flatMap((s) => [...s]);
    expect(new Set(all).size).toBe(all.length);
  });
});

describe("lakewarden gen-data (CLI)", () => {
  async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = "";
    let stderr = "";
    const out = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      stdout += String(chunk);
      return true;
    });
    const err = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      stderr += String(chunk);
      return true;
    });
    const saved = process.exitCode;
    try {
      const code = await main(args);
      return { code, stdout, stderr };
    } finally {
      out.mockRestore();
      err.mockRestore();
      process.exitCode = saved;
    }
  }

  it("generates files and prints one summary line", async () => {
    const out = tempDir();
    const r = await run(["gen-data", "--days", "2", "--events-per-day", "300", "--seed", "cli", "--out", out, "--files-per-day", "2", "--malformed", "0.01"]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split("\n")).toHaveLength(1);
    expect(r.stdout).toMatch(/^gen-data: 4 files, 594 events, 6 malformed lines, [\d.]+ MB \(\d+ bytes\) in [\d.]+ s, [\d.]+ MB\/s/);
    expect(r.stderr).toContain("2025-06-24: 2 files");
    expect(listFiles(out)).toEqual([
      "year=2025/month=06/day=23/events_1.json",
      "year=2025/month=06/day=23/events_2.json",
      "year=2025/month=06/day=24/events_1.json",
      "year=2025/month=06/day=24/events_2.json",
    ]);
    // Same as the library call with the same options.
    const lib = await generateData({ out: tempDir(), days: 2, eventsPerDay: 300, seed: "cli", filesPerDay: 2, malformed: 0.01 });
    expect(readFileSync(join(out, "year=2025/month=06/day=24/events_2.json")).equals(readFileSync(lib.fileList[3]!.path))).toBe(true);
  });

  it("writes gzip and stays quiet with --quiet", async () => {
    const out = tempDir();
    const r = await run(["gen-data", "--out", out, "--gzip", "--quiet", "--start-date", "2024-02-29", "--events-per-day", "100"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/^gen-data: 1 file, 100 events, 0 malformed lines, .*uncompressed/);
    expect(listFiles(out)).toEqual(["year=2024/month=02/day=29/events_1.json.gz"]);
  });

  it("rejects bad options with a clear message and exit code 1", async () => {
    const cases: [string[], string][] = [
      [["--days", "x"], `lakewarden gen-data: --days must be a positive integer, got "x"`],
      [["--days", "0"], `lakewarden gen-data: --days must be a positive integer, got "0"`],
      [["--events-per-day", "1.5"], `--events-per-day must be a positive integer, got "1.5"`],
      [["--files-per-day", "-1"], `--files-per-day must be a positive integer, got "-1"`],
      [["--malformed", "1.5"], `--malformed must be a fraction between 0 and 1`],
      [["--malformed", "abc"], `--malformed must be a fraction between 0 and 1`],
      [["--start-date", "2025-13-01"], `--start-date must be a calendar date as YYYY-MM-DD, got "2025-13-01"`],
      [["--events-per-day", "2", "--files-per-day", "3"], `--files-per-day (3) must not exceed --events-per-day (2)`],
    ];
    for (const [args, message] of cases) {
      const out = tempDir();
      const r = await run(["gen-data", "--out", out, ...args]);
      expect(r.code, args.join(" ")).toBe(1);
      expect(r.stderr).toContain(message);
      expect(r.stdout).toBe("");
    }
  });
});
