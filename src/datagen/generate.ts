/**
 * Writes generated clickstream events as JSON Lines in the lake's Hive layout:
 * <out>/year=YYYY/month=MM/day=DD/events_K.json[.gz].
 *
 * Streaming: events come from a generator and go out in ~64 KB chunks with backpressure, so memory
 * stays flat whatever the volume. Deterministic: same options ⇒ byte-identical files.
 */
import { createWriteStream, type WriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { once } from "node:events";
import { finished, pipeline } from "node:stream/promises";
import { createGzip, type Gzip } from "node:zlib";
import { DAY_MS, generateDayEvents, parseDate, serializeEvent, type ClickEvent } from "./events.js";
import { Rng, WeightedTable } from "./random.js";

export interface GenDataOptions {
  /** Root of the Hive layout. */
  out: string;
  /** Number of consecutive days, from startDate. Default 1. */
  days?: number;
  /** Lines per day, malformed ones included. Default 1000. */
  eventsPerDay?: number;
  /** Default 42; 42 and "42" give the same data. */
  seed?: string | number;
  /** First day, YYYY-MM-DD (UTC). Default 2025-06-23. */
  startDate?: string;
  /** Each day's lines are split over this many files, in time order. Default 1. */
  filesPerDay?: number;
  /** Fraction of lines replaced by broken ones, in [0, 1]; round(lines × fraction) per day. Default 0. */
  malformed?: number;
  /** Write .json.gz instead of .json. */
  gzip?: boolean;
  /** Called after each day is written (progress reporting). */
  onDay?: (files: readonly GeneratedFile[]) => void;
}

export const GEN_DATA_DEFAULTS = {
  days: 1,
  eventsPerDay: 1000,
  seed: 42,
  startDate: "2025-06-23",
  filesPerDay: 1,
  malformed: 0,
  gzip: false,
} as const;

export interface GeneratedFile {
  path: string;
  /** The partition's day, YYYY-MM-DD. */
  date: string;
  /** Valid event lines in the file. */
  events: number;
  malformedLines: number;
  /** Size on disk (compressed size with gzip). */
  bytes: number;
  /** Size of the JSON Lines before compression (equals bytes without gzip). */
  uncompressedBytes: number;
}

export interface GenDataSummary {
  /** Number of files written. */
  files: number;
  /** Valid event lines written (malformed lines not included). */
  events: number;
  malformedLines: number;
  /** Bytes written to disk. */
  bytes: number;
  /** JSON Lines bytes before compression (equals bytes without gzip). */
  uncompressedBytes: number;
  seconds: number;
  /** Decimal megabytes (10^6 bytes) on disk per second. */
  mbPerSecond: number;
  fileList: GeneratedFile[];
}

interface DayJob {
  date: string;
  /** The day's lines go to these files in order, each taking the given number of lines. */
  files: { path: string; lines: number }[];
}

interface WriteSettings {
  seed: string | number;
  malformed: number;
  gzip: boolean;
  onDay?: ((files: readonly GeneratedFile[]) => void) | undefined;
}

/** Lines are joined into chunks of about this many characters before each write. */
const CHUNK_CHARS = 64 * 1024;

export function partitionDir(date: string): string {
  return `year=${date.slice(0, 4)}/month=${date.slice(5, 7)}/day=${date.slice(8, 10)}`;
}

function positiveInteger(name: string, v: number): number {
  if (!Number.isSafeInteger(v) || v < 1) throw new Error(`${name} must be a positive integer, got ${v}`);
  return v;
}

export async function generateData(opts: GenDataOptions): Promise<GenDataSummary> {
  const days = positiveInteger("days", opts.days ?? GEN_DATA_DEFAULTS.days);
  const eventsPerDay = positiveInteger("eventsPerDay", opts.eventsPerDay ?? GEN_DATA_DEFAULTS.eventsPerDay);
  const filesPerDay = positiveInteger("filesPerDay", opts.filesPerDay ?? GEN_DATA_DEFAULTS.filesPerDay);
  if (filesPerDay > eventsPerDay) {
    throw new Error(`filesPerDay (${filesPerDay}) must not exceed eventsPerDay (${eventsPerDay})`);
  }
  const malformed = opts.malformed ?? GEN_DATA_DEFAULTS.malformed;
  if (!(malformed >= 0 && malformed <= 1)) throw new Error(`malformed must be a fraction between 0 and 1, got ${malformed}`);
  const start = parseDate(opts.startDate ?? GEN_DATA_DEFAULTS.startDate);
  const gzip = opts.gzip ?? GEN_DATA_DEFAULTS.gzip;
  const ext = gzip ? ".json.gz" : ".json";

  const jobs: DayJob[] = [];
  for (let d = 0; d < days; d++) {
    const date = new Date(start + d * DAY_MS).toISOString().slice(0, 10);
    const dir = join(opts.out, partitionDir(date));
    const files = Array.from({ length: filesPerDay }, (_, k) => ({
      path: join(dir, `events_${k + 1}${ext}`),
      // Even split; the first files take the shorter share when it does not divide.
      lines: Math.floor(((k + 1) * eventsPerDay) / filesPerDay) - Math.floor((k * eventsPerDay) / filesPerDay),
    }));
    jobs.push({ date, files });
  }
  return writeDays(jobs, { seed: opts.seed ?? GEN_DATA_DEFAULTS.seed, malformed, gzip, onDay: opts.onDay });
}

/**
 * The committed seed data under data/raw: day 23 split over two files, day 24 in one file with a
 * different name, as the project's seed document lays it out. Regenerated by a test to prove the
 * committed files come from this code.
 *
 * The line counts are not round on purpose: each day's total ends exactly where a session ends (no
 * session is cut short by the day's budget) and day 23's split falls at a moment when no session is
 * active, so every file holds whole sessions.
 */
export const SEED_DATA: {
  readonly seed: string;
  readonly days: readonly { readonly date: string; readonly files: readonly { readonly name: string; readonly lines: number }[] }[];
} = {
  seed: "lakewarden-seed-21",
  days: [
    {
      date: "2025-06-23",
      files: [
        { name: "events_1.json", lines: 199 },
        { name: "events_2.json", lines: 201 },
      ],
    },
    { date: "2025-06-24", files: [{ name: "events_today.json", lines: 201 }] },
  ],
};

/** Writes the seed files under `dir` (normally data/raw). */
export async function writeSeedData(dir: string): Promise<GenDataSummary> {
  const jobs = SEED_DATA.days.map((d) => ({
    date: d.date,
    files: d.files.map((f) => ({ path: join(dir, partitionDir(d.date), f.name), lines: f.lines })),
  }));
  return writeDays(jobs, { seed: SEED_DATA.seed, malformed: 0, gzip: false });
}

async function writeDays(jobs: readonly DayJob[], settings: WriteSettings): Promise<GenDataSummary> {
  const started = performance.now();
  const fileList: GeneratedFile[] = [];
  for (const job of jobs) {
    const written = await writeDay(job, settings);
    fileList.push(...written);
    settings.onDay?.(written);
  }
  const seconds = (performance.now() - started) / 1000;
  let events = 0;
  let malformedLines = 0;
  let bytes = 0;
  let uncompressedBytes = 0;
  for (const f of fileList) {
    events += f.events;
    malformedLines += f.malformedLines;
    bytes += f.bytes;
    uncompressedBytes += f.uncompressedBytes;
  }
  return {
    files: fileList.length,
    events,
    malformedLines,
    bytes,
    uncompressedBytes,
    seconds,
    mbPerSecond: seconds > 0 ? bytes / 1e6 / seconds : 0,
    fileList,
  };
}

async function writeDay(job: DayJob, settings: WriteSettings): Promise<GeneratedFile[]> {
  const { date, files } = job;
  const lines = files.reduce((n, f) => n + f.lines, 0);
  const events = generateDayEvents({ seed: settings.seed, date, events: lines });
  // Its own generator, so the valid lines are the same whatever the malformed fraction.
  const breakRng = new Rng(`${String(settings.seed)}|${date}|malformed`);
  let toBreak = Math.round(lines * settings.malformed);
  const written: GeneratedFile[] = [];
  for (const dir of new Set(files.map((f) => dirname(f.path)))) await mkdir(dir, { recursive: true });

  let lineNo = 0;
  for (const { path, lines: fileLines } of files) {
    const end = lineNo + fileLines;
    const sink = openSink(path, settings.gzip);
    let good = 0;
    let bad = 0;
    let chunk = "";
    for (; lineNo < end; lineNo++) {
      const next = events.next();
      if (next.done) throw new Error(`internal: generator ended after ${lineNo} of ${lines} events for ${date}`);
      let line = serializeEvent(next.value);
      // Selection sampling (Knuth's algorithm S): exactly toBreak of the remaining lines, uniformly placed.
      if (toBreak > 0 && breakRng.next() * (lines - lineNo) < toBreak) {
        line = breakLine(breakRng, line, next.value);
        toBreak--;
        bad++;
      } else {
        good++;
      }
      chunk += line + "\n";
      if (chunk.length >= CHUNK_CHARS) {
        await sink.write(chunk);
        chunk = "";
      }
    }
    if (chunk.length > 0) await sink.write(chunk);
    const { bytes, uncompressedBytes } = await sink.close();
    written.push({ path, date, events: good, malformedLines: bad, bytes, uncompressedBytes });
  }
  if (!events.next().done) throw new Error(`internal: generator produced more than ${lines} events for ${date}`);
  return written;
}

interface Sink {
  /** Resolves at once unless the stream's buffer is full, then on 'drain'. */
  write(chunk: string): Promise<void> | void;
  /** Flushes and closes. */
  close(): Promise<{ bytes: number; uncompressedBytes: number }>;
}

function openSink(path: string, gzip: boolean): Sink {
  // A buffer well above the chunk size lets generation run ahead while the disk catches up.
  const file: WriteStream = createWriteStream(path, { highWaterMark: 1 << 20 });
  let target: WriteStream | Gzip = file;
  let done: Promise<void>;
  if (gzip) {
    const gz = createGzip();
    target = gz;
    done = pipeline(gz, file);
  } else {
    done = finished(file);
  }
  // Keep a failure (e.g. EACCES on open) from being an unhandled rejection before close() awaits it.
  done.catch(() => undefined);
  const stream = target;
  let uncompressedBytes = 0;
  return {
    write(chunk: string): Promise<void> | void {
      if (stream.errored) return Promise.reject(stream.errored);
      if (gzip) uncompressedBytes += Buffer.byteLength(chunk);
      if (!stream.write(chunk)) return once(stream, "drain").then(() => undefined);
    },
    async close() {
      stream.end();
      await done;
      return { bytes: file.bytesWritten, uncompressedBytes: gzip ? uncompressedBytes : file.bytesWritten };
    },
  };
}

type Breakage = "truncated" | "not_json" | "array" | "trailing_garbage";
const BREAKAGES = new WeightedTable<Breakage>([
  ["truncated", 40],
  ["not_json", 20],
  ["array", 15],
  ["trailing_garbage", 25],
]);
const TRAILING_GARBAGE = ["}", ",", "]", "}}", ',{"event_id":"', " \\"];

/** A realistic broken version of a line: never empty, never valid JSON for an object, never multi-line. */
function breakLine(rng: Rng, line: string, e: ClickEvent): string {
  switch (BREAKAGES.pick(rng)) {
    case "truncated":
      // A writer cut off mid-record; any proper prefix of an object's JSON fails to parse.
      return line.slice(0, rng.int(Math.min(8, line.length - 1), line.length - 2));
    case "not_json":
      switch (rng.int(0, 3)) {
        case 0:
          return "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>";
        case 1:
          return `${e.timestamp} ERROR collector: upstream timeout after 30000ms (session=${e.session_id})`;
        case 2:
          return `event_id=${e.event_id} event_type=${e.event_type} user_id=${e.user_id} ts=${e.timestamp}`;
        default:
          return "[object Object]";
      }
    case "array":
      // A batching client that wrote its buffer as a JSON array.
      return "[" + line + "]";
    case "trailing_garbage":
      return line + rng.pick(TRAILING_GARBAGE);
  }
}
