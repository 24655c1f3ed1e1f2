import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  athenaError,
  describeColumn,
  prepareConnection,
  readRows,
  renderValue,
  translateQuery,
} from "../../src/embedded/services/athena/engine/dialect/index.js";
import { AthenaQueryError } from "../../src/embedded/services/athena/engine/types.js";
import { CASES, type ConformanceCase, type ErrorCase, type ResultCase } from "./conformance-cases.js";

/**
 * Athena (Trino) SQL through the dialect layer on DuckDB, exactly as the executor runs it: prepareConnection,
 * translateQuery, DuckDB, then readRows (renderValue + describeColumn) or athenaError.
 */

let instance: DuckDBInstance;
let connection: DuckDBConnection;

beforeAll(async () => {
  instance = await DuckDBInstance.create(":memory:");
  connection = await instance.connect();
  await prepareConnection(connection);
});

afterAll(() => {
  connection?.closeSync();
  instance?.closeSync();
});

async function run(sql: string): Promise<{ columns: ReturnType<typeof describeColumn>[]; rows: (string | null)[][] }> {
  try {
    const reader = await connection.runAndReadAll(translateQuery(sql));
    return readRows(reader);
  } catch (err) {
    throw athenaError(err, sql) ?? err;
  }
}

const isError = (c: ConformanceCase): c is ErrorCase => "error" in c;

describe("Athena SQL conformance", () => {
  it("has at least 80 cases", () => {
    expect(CASES.length).toBeGreaterThanOrEqual(80);
  });

  for (const testCase of CASES.filter((c): c is ResultCase => !isError(c))) {
    it(testCase.name, async () => {
      const result = await run(testCase.sql);
      const sort = (rows: (string | null)[][]) => [...rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
      expect(testCase.unordered ? sort(result.rows) : result.rows).toEqual(testCase.unordered ? sort(testCase.rows) : testCase.rows);
      if (testCase.types) expect(result.columns.map((c) => c.type)).toEqual(testCase.types);
      if (testCase.columns) expect(result.columns.map((c) => c.name)).toEqual(testCase.columns);
    });
  }

  for (const testCase of CASES.filter(isError)) {
    it(`error: ${testCase.name}`, async () => {
      const failure = await run(testCase.sql).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(failure).toBeInstanceOf(AthenaQueryError);
      const message = (failure as AthenaQueryError).message;
      if (typeof testCase.error === "string") expect(message).toBe(testCase.error);
      else expect(message).toMatch(testCase.error);
      expect(message.startsWith(`${(failure as AthenaQueryError).errorName}: `)).toBe(true);
    });
  }
});

describe("ColumnInfo", () => {
  it.each([
    ["VARCHAR", "varchar", 2147483647, 0],
    ["BIGINT", "bigint", 19, 0],
    ["HUGEINT", "bigint", 19, 0],
    ["UBIGINT", "bigint", 19, 0],
    ["INTEGER", "integer", 10, 0],
    ["SMALLINT", "smallint", 5, 0],
    ["TINYINT", "tinyint", 3, 0],
    ["DOUBLE", "double", 17, 0],
    ["FLOAT", "real", 7, 0],
    ["BOOLEAN", "boolean", 0, 0],
    ["DATE", "date", 0, 0],
    ["TIMESTAMP", "timestamp", 3, 0],
    ["TIMESTAMP WITH TIME ZONE", "timestamp with time zone", 3, 0],
    ["DECIMAL(10,2)", "decimal", 10, 2],
    ["INTEGER[]", "array", 0, 0],
    ['STRUCT("a" INTEGER, "b" VARCHAR[])', "row", 0, 0],
    ["MAP(VARCHAR, BIGINT)", "map", 0, 0],
    ["JSON", "json", 0, 0],
  ])("%s is %s(%i, %i)", (duck, type, precision, scale) => {
    expect(describeColumn("c", duck)).toEqual({ name: "c", type, precision, scale, nullable: "UNKNOWN" });
  });
});

describe("rendering", () => {
  it("prints doubles as Java does", () => {
    const cases: [number, string][] = [
      [1, "1.0"],
      [3.5, "3.5"],
      [1e7, "1.0E7"],
      [12345678.9, "1.23456789E7"],
      [0.001, "0.001"],
      [0.0001, "1.0E-4"],
      [-2.5e-7, "-2.5E-7"],
      [NaN, "NaN"],
      [Infinity, "Infinity"],
      [-Infinity, "-Infinity"],
      [9999999.999, "9999999.999"],
      [1e21, "1.0E21"],
    ];
    for (const [value, text] of cases) expect(renderValue(value, "DOUBLE")).toBe(text);
    expect(renderValue(Math.fround(1.1), "FLOAT")).toBe("1.1");
    expect(renderValue(null, "DOUBLE")).toBeNull();
  });

  it("prints values of every type as Athena does", async () => {
    const result = await run(
      "SELECT true, DATE '2025-06-23', TIMESTAMP '2025-06-23 10:00:00', from_iso8601_timestamp('2025-06-23T10:00:00Z'), DECIMAL '12.30', ARRAY['a', 'b'], MAP(ARRAY['k'], ARRAY['v']), CAST(ROW(1, 'x') AS ROW(f1 integer, f2 varchar)), CAST(NULL AS varchar), ARRAY[CAST(NULL AS double), 1.5E0]",
    );
    expect(result.rows).toEqual([
      ["true", "2025-06-23", "2025-06-23 10:00:00.000", "2025-06-23 10:00:00.000 UTC", "12.30", "[a, b]", "{k=v}", "{f1=1, f2=x}", null, "[null, 1.5]"],
    ]);
  });

  it("prepareConnection is idempotent and shares the macros between connections", async () => {
    const second = await instance.connect();
    try {
      await prepareConnection(second);
      await prepareConnection(second);
      const reader = await second.runAndReadAll(translateQuery("SELECT 7 / 2, approx_distinct(1)"));
      expect(readRows(reader).rows).toEqual([["3", "1"]]);
    } finally {
      second.closeSync();
    }
  });
});
