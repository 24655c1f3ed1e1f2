import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { failure, RAW_BUCKET, seededLake, type SeededLake } from "./helpers.js";

/** How tables are read: the SerDe and its properties, the declared types, the files under the location. */

let lake: SeededLake;

beforeAll(async () => {
  lake = await seededLake();
  await lake.put(RAW_BUCKET, "serde/mixed/part-0.json", '{"ID":1,"Name":"a","Nested":{"x":1}}\n{"id":2,"name":"b"}\n');
  await lake.put(RAW_BUCKET, "serde/mixed/_SUCCESS", "");
  await lake.put(RAW_BUCKET, "serde/mixed/.hidden.json", '{"id":99}\n');
  await lake.put(RAW_BUCKET, "serde/malformed/part-0.json", '{"id":1,"name":"a"}\n{"id":2,"name":\n[1,2]\n{"id":3,"name":"c"}\n');
  await lake.put(RAW_BUCKET, "serde/gz/part-0.json.gz", gzipSync('{"id":7,"name":"g"}\n{"id":8,"name":"h"}\n'));
  await lake.put(RAW_BUCKET, "serde/badint/part-0.json", '{"id":"abc","name":"x"}\n');
  await lake.put(RAW_BUCKET, "serde/csv/a.csv", "id|name|price\n1|apple|1.5\n2|pear|oops\n3|\\N|2\n");
  await lake.put(RAW_BUCKET, "serde/csv/sub/b.csv", "id|name|price\n4|plum|3.25\n");
});

afterAll(async () => {
  await lake?.close();
});


describe("OpenX JSON SerDe", () => {
  it("matches keys to columns whatever their case (case.insensitive defaults to true) and skips hidden files", async () => {
    await lake.query(`CREATE EXTERNAL TABLE mixed (id int, name string, nested struct<x:int>)
      ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION 's3://${RAW_BUCKET}/serde/mixed/'`);
    const result = await lake.query("SELECT id, name FROM mixed ORDER BY id");
    expect(result.rows).toEqual([
      ["1", "a"],
      ["2", "b"],
    ]);
    expect(result.dataScannedBytes).toBe(Buffer.byteLength('{"ID":1,"Name":"a","Nested":{"x":1}}\n{"id":2,"name":"b"}\n'));
  });

  it("matches keys exactly when case.insensitive is false", async () => {
    await lake.query(`CREATE EXTERNAL TABLE mixed_exact (id int, name string)
      ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' WITH SERDEPROPERTIES ('case.insensitive'='false')
      LOCATION 's3://${RAW_BUCKET}/serde/mixed/'`);
    const result = await lake.query("SELECT id, name FROM mixed_exact ORDER BY id NULLS FIRST");
    expect(result.rows).toEqual([
      [null, null],
      ["2", "b"],
    ]);
  });

  it("fails a query over a malformed row with HIVE_CURSOR_ERROR by default", async () => {
    await lake.query(`CREATE EXTERNAL TABLE malformed (id int, name string)
      ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION 's3://${RAW_BUCKET}/serde/malformed/'`);
    const err = await failure(lake.query("SELECT count(*) FROM malformed"));
    expect(err.errorName).toBe("HIVE_CURSOR_ERROR");
    expect(err.message).toMatch(/^HIVE_CURSOR_ERROR: Row is not a valid JSON Object - JSONException: /);
    expect(err.message).toContain(`s3://${RAW_BUCKET}/serde/malformed/part-0.json`);
  });

  it("fails on a malformed row also when the keys are known lower case (the crawler's paths)", async () => {
    await lake.query(`CREATE EXTERNAL TABLE malformed_paths (id int, name string)
      ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' WITH SERDEPROPERTIES ('paths'='id,name')
      LOCATION 's3://${RAW_BUCKET}/serde/malformed/'`);
    const err = await failure(lake.query("SELECT count(*) FROM malformed_paths"));
    expect(err.message).toMatch(/^HIVE_CURSOR_ERROR: Row is not a valid JSON Object - JSONException: /);
  });

  it("reads malformed rows as NULLs with ignore.malformed.json", async () => {
    await lake.query(`CREATE EXTERNAL TABLE malformed_ok (id int, name string)
      ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' WITH SERDEPROPERTIES ('ignore.malformed.json'='true')
      LOCATION 's3://${RAW_BUCKET}/serde/malformed/'`);
    const result = await lake.query("SELECT id, name FROM malformed_ok WHERE id IS NOT NULL ORDER BY id");
    expect(result.rows).toEqual([
      ["1", "a"],
      ["3", "c"],
    ]);
  });

  it("reads gzip-compressed files by their extension", async () => {
    await lake.query(`CREATE EXTERNAL TABLE gz (id int, name string)
      ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION 's3://${RAW_BUCKET}/serde/gz/'`);
    const result = await lake.query("SELECT sum(id) FROM gz");
    expect(result.rows).toEqual([["15"]]);
  });

  it("reports a value that does not parse as the column's type as HIVE_BAD_DATA, with or without known keys", async () => {
    for (const [name, properties] of [["badint", "'paths'='id,name'"], ["badint_keys", "'case.insensitive'='true'"]]) {
      await lake.query(`CREATE EXTERNAL TABLE ${name} (id int, name string)
        ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' WITH SERDEPROPERTIES (${properties})
        LOCATION 's3://${RAW_BUCKET}/serde/badint/'`);
      const err = await failure(lake.query(`SELECT * FROM ${name}`));
      expect(err.errorName).toBe("HIVE_BAD_DATA");
      expect(err.message).toContain(`Error parsing field value 'abc'`);
      expect(err.message).toContain(`s3://${RAW_BUCKET}/serde/badint/part-0.json`);
    }
  });
});

describe("delimited text (LazySimpleSerDe)", () => {
  it("reads fields by position with the delimiter, skips header lines, reads sub-folders, and NULLs what does not parse", async () => {
    await lake.query(`CREATE EXTERNAL TABLE fruit (id int, name string, price double)
      ROW FORMAT DELIMITED FIELDS TERMINATED BY '|' STORED AS TEXTFILE
      LOCATION 's3://${RAW_BUCKET}/serde/csv/' TBLPROPERTIES ('skip.header.line.count'='1')`);
    const result = await lake.query("SELECT id, name, price FROM fruit ORDER BY id");
    expect(result.rows).toEqual([
      ["1", "apple", "1.5"],
      ["2", "pear", null],
      ["3", null, "2.0"],
      ["4", "plum", "3.25"],
    ]);
  });
});
