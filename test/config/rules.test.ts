import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkDaemonCron, checkGlueSchedule } from "../../src/config/cron.js";
import { checkBucketName } from "../../src/config/names.js";
import { parseSavedQueries } from "../../src/config/saved-queries.js";
import { parseDuration, parseSize } from "../../src/config/units.js";

describe("Glue cron schedules", () => {
  it.each([
    "on-demand",
    "cron(15 12 * * ? *)",
    "cron(0 18 ? * MON-FRI *)",
    "cron(0/15 * * * ? *)",
    "cron(0 10 ? * 6L 2025-2030)",
    "cron(0 8 1W * ? *)",
    "cron(0 8 L * ? *)",
    "cron(0 9 ? * 2#1 *)",
    "cron(30 3 1,15 JAN,JUL ? *)",
  ])("accepts %s", (expr) => expect(checkGlueSchedule(expr)).toBeUndefined());

  it.each([
    ["cron(60 * * * ? *)", 'minutes field "60" is out of range'],
    ["cron(0 2 ? * ? *)", "day-of-month and day-of-week are both ?"],
    ["cron(0 2 1 * MON *)", "day-of-month and day-of-week are both set"],
    ["cron(0 2 * FOO ? *)", 'month field "FOO" is out of range'],
    ["cron(0 2 * * ? 1969)", 'year field "1969" is out of range'],
    ["cron(0/0 2 * * ? *)", 'minutes field "0/0" has an invalid step'],
    ["cron(0 2 ? * 1L#2 *)", 'day-of-week field "1L#2" is not valid'],
    ["rate(5 minutes)", '"rate(5 minutes)" is not a schedule'],
  ])("rejects %s", (expr, problem) => expect(checkGlueSchedule(expr)?.problem).toBe(problem));
});

describe("daemon cron schedules (node-cron)", () => {
  it("accepts 5 and 6 fields", () => {
    expect(checkDaemonCron("*/5 * * * *")).toBeUndefined();
    expect(checkDaemonCron("*/10 * * * * *")).toBeUndefined();
  });
  it("rejects the rest", () => expect(checkDaemonCron("every 5 minutes")).toBeDefined());
});

describe("S3 bucket names", () => {
  it.each(["shop-raw", "a1b", "my.bucket.name", "x".repeat(63)])("accepts %s", (name) => expect(checkBucketName(name)).toBeUndefined());
  it.each(["ab", "x".repeat(64), "Shop", "shop_raw", "-shop", "shop.", "a..b", "10.0.0.1", "sthree-x", "amzn-s3-demo-x", "x-s3alias", "x--ol-s3", "x.mrap", "x--x-s3"])(
    "rejects %s",
    (name) => expect(checkBucketName(name)).toBeDefined(),
  );
});

describe("sizes and durations", () => {
  it("reads decimal and binary units", () => {
    expect(parseSize("10GB")).toBe(10_000_000_000);
    expect(parseSize("1.5 MB")).toBe(1_500_000);
    expect(parseSize("512MiB")).toBe(536_870_912);
    expect(parseSize(2048)).toBe(2048);
    expect(() => parseSize("10 gigs")).toThrow();
  });
  it("reads durations in seconds", () => {
    expect(parseDuration("500ms")).toBe(0.5);
    expect(parseDuration("60m")).toBe(3600);
    expect(parseDuration("1d")).toBe(86400);
    expect(() => parseDuration("1 hour")).toThrow();
  });
});

describe("saved query files", () => {
  it("reads the seed's queries, each with its name, description and one statement", () => {
    const text = readFileSync(join(import.meta.dirname, "..", "..", "sql", "athena_raw_data_queries.sql"), "utf8");
    const { queries, problems } = parseSavedQueries(text);
    expect(problems).toEqual([]);
    expect(queries.length).toBeGreaterThanOrEqual(8);
    expect(new Set(queries.map((q) => q.name)).size).toBe(queries.length);
    for (const q of queries) {
      expect(q.description).toBeTruthy();
      expect(q.sql).not.toMatch(/;\s*$/);
      expect(q.sql).not.toMatch(/^--\s*(name|description):/m);
    }
  });

  it("keeps semicolons inside strings and comments, and refuses two statements in one block", () => {
    const { queries, problems } = parseSavedQueries(
      "-- name: a\n-- description: one\nSELECT ';' AS s -- trailing; comment\n;\n-- name: b\nSELECT 1; SELECT 2;\n",
    );
    expect(queries).toEqual([{ name: "a", description: "one", sql: "SELECT ';' AS s -- trailing; comment", line: 1 }]);
    expect(problems).toEqual([{ line: 5, col: 1, problem: 'saved query "b" holds more than one statement', expected: "expected one statement per -- name: block" }]);
  });
});
