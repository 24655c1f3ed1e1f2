import { Option, type Command } from "commander";
import { parseDate } from "../datagen/events.js";
import { GEN_DATA_DEFAULTS, generateData, type GenDataOptions, type GeneratedFile } from "../datagen/generate.js";

interface RawOptions {
  days: string;
  eventsPerDay: string;
  seed: string;
  out: string;
  startDate: string;
  filesPerDay: string;
  malformed: string;
  gzip?: boolean;
  quiet?: boolean;
}

export function registerGenData(program: Command): void {
  program
    .command("gen-data")
    .description(
      "generate a deterministic e-commerce clickstream (JSON Lines) in the lake's Hive layout: " +
        "<out>/year=YYYY/month=MM/day=DD/events_K.json",
    )
    .addOption(withDefault("--days <n>", "number of days, from --start-date", String(GEN_DATA_DEFAULTS.days)))
    .addOption(withDefault("--events-per-day <n>", "lines per day (malformed ones included)", String(GEN_DATA_DEFAULTS.eventsPerDay)))
    .addOption(withDefault("--seed <s>", "seed (any string or number): same options, same bytes", String(GEN_DATA_DEFAULTS.seed)))
    .addOption(withDefault("--out <dir>", "output directory", "data/generated"))
    .addOption(withDefault("--start-date <YYYY-MM-DD>", "first day (UTC)", GEN_DATA_DEFAULTS.startDate))
    .addOption(
      withDefault("--files-per-day <n>", "split each day over this many files, in time order", String(GEN_DATA_DEFAULTS.filesPerDay)),
    )
    .addOption(withDefault("--malformed <fraction>", "fraction of lines to break, e.g. 0.01 for 1%", String(GEN_DATA_DEFAULTS.malformed)))
    .option("--gzip", "write .json.gz files")
    .option("--quiet", "no per-day progress on stderr (the summary line is still printed)")
    .action(async (raw: RawOptions, cmd: Command) => {
      const fail = (message: string): never => cmd.error(`lakewarden gen-data: ${message}`);
      const opts = parseOptions(raw, fail);
      const summary = await generateData({
        ...opts,
        onDay: raw.quiet ? undefined : (files) => process.stderr.write(describeDay(files)),
      });
      const mb = (bytes: number): string => (bytes / 1e6).toFixed(2);
      const uncompressed = opts.gzip ? `, ${mb(summary.uncompressedBytes)} MB uncompressed` : "";
      process.stdout.write(
        `gen-data: ${plural(summary.files, "file")}, ${plural(summary.events, "event")}, ` +
          `${plural(summary.malformedLines, "malformed line")}, ${mb(summary.bytes)} MB (${summary.bytes} bytes${uncompressed}) ` +
          `in ${summary.seconds.toFixed(2)} s, ${summary.mbPerSecond.toFixed(1)} MB/s → ${opts.out}\n`,
      );
    });
}

/** Values stay strings (validated in the action, with our messages); help shows them unquoted. */
function withDefault(flags: string, description: string, value: string): Option {
  return new Option(flags, description).default(value, value);
}

function parseOptions(raw: RawOptions, fail: (message: string) => never): GenDataOptions {
  const positive = (flag: string, v: string): number => {
    const n = /^\d+$/.test(v.trim()) ? Number(v) : NaN;
    if (!Number.isSafeInteger(n) || n < 1) fail(`${flag} must be a positive integer, got "${v}"`);
    return n;
  };
  const days = positive("--days", raw.days);
  const eventsPerDay = positive("--events-per-day", raw.eventsPerDay);
  const filesPerDay = positive("--files-per-day", raw.filesPerDay);
  if (filesPerDay > eventsPerDay) {
    fail(`--files-per-day (${filesPerDay}) must not exceed --events-per-day (${eventsPerDay})`);
  }
  const malformed = raw.malformed.trim() === "" ? NaN : Number(raw.malformed);
  if (!(malformed >= 0 && malformed <= 1)) {
    fail(`--malformed must be a fraction between 0 and 1 (e.g. 0.01 for 1%), got "${raw.malformed}"`);
  }
  try {
    parseDate(raw.startDate);
  } catch {
    fail(`--start-date must be a calendar date as YYYY-MM-DD, got "${raw.startDate}"`);
  }
  if (raw.seed === "") fail(`--seed must not be empty`);
  if (raw.out.trim() === "") fail(`--out must not be empty`);
  return {
    out: raw.out,
    days,
    eventsPerDay,
    seed: raw.seed,
    startDate: raw.startDate,
    filesPerDay,
    malformed,
    gzip: raw.gzip === true,
  };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function describeDay(files: readonly GeneratedFile[]): string {
  let events = 0;
  let malformed = 0;
  let bytes = 0;
  for (const f of files) {
    events += f.events;
    malformed += f.malformedLines;
    bytes += f.bytes;
  }
  const broken = malformed > 0 ? `, ${plural(malformed, "malformed line")}` : "";
  return `${files[0]?.date ?? "?"}: ${plural(files.length, "file")}, ${plural(events, "event")}${broken}, ${bytes} bytes\n`;
}
