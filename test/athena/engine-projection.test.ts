import type { Table } from "@aws-sdk/client-glue";
import { describe, expect, it } from "vitest";
import { formatDate, parseDate, projectedPartitions } from "../../src/embedded/services/athena/engine/partition-projection.js";
import type { AstNode } from "../../src/embedded/services/athena/engine/query-ast.js";
import { tableModel } from "../../src/embedded/services/athena/engine/table-model.js";
import { AthenaQueryError } from "../../src/embedded/services/athena/engine/types.js";

/** Partition projection's computed partitions (the queries over them are in ddl.test.ts). */

function model(keys: string[], parameters: Record<string, string>) {
  const table: Table = {
    Name: "t",
    DatabaseName: "db",
    Parameters: { "projection.enabled": "true", ...parameters },
    PartitionKeys: keys.map((Name) => ({ Name, Type: "string" })),
    StorageDescriptor: { Columns: [{ Name: "v", Type: "string" }], Location: "s3://b/t", SerdeInfo: { SerializationLibrary: "org.openx.data.jsonserde.JsonSerDe" } },
  };
  return tableModel(table);
}

/** `column = 'value'` as DuckDB's parse tree has it. */
const equals = (column: string, value: string): AstNode => ({
  class: "COMPARISON",
  type: "COMPARE_EQUAL",
  left: { class: "COLUMN_REF", column_names: [column] },
  right: { class: "CONSTANT", value: { value } },
});

describe("partition projection", () => {
  it("integer ranges with digits and interval, and Hive-style locations without a template", () => {
    const parts = projectedPartitions(model(["n"], { "projection.n.type": "integer", "projection.n.range": "1,9", "projection.n.interval": "4", "projection.n.digits": "2" }), [], new Date());
    expect(parts.map((p) => p.values)).toEqual([["01"], ["05"], ["09"]]);
    expect(parts[0]!.location).toEqual({ bucket: "b", prefix: "t/n=01/" });
  });

  it("dates relative to now, stepped by the format's finest unit or the interval unit", () => {
    const now = new Date(Date.UTC(2025, 5, 24, 13, 30));
    const days = projectedPartitions(model(["dt"], { "projection.dt.type": "date", "projection.dt.range": "NOW-2DAYS,NOW", "projection.dt.format": "yyyy-MM-dd" }), [], now);
    expect(days.map((p) => p.values[0])).toEqual(["2025-06-22", "2025-06-23", "2025-06-24"]);
    const hours = projectedPartitions(
      model(["h"], { "projection.h.type": "date", "projection.h.range": "2025/06/24/10,2025/06/24/16", "projection.h.format": "yyyy/MM/dd/HH", "projection.h.interval": "3", "projection.h.interval.unit": "HOURS" }),
      [],
      now,
    );
    expect(hours.map((p) => p.values[0])).toEqual(["2025/06/24/10", "2025/06/24/13", "2025/06/24/16"]);
  });

  it("injected values come from the query's equality predicates, and are required", () => {
    const m = model(["tenant", "dt"], {
      "projection.tenant.type": "injected",
      "projection.dt.type": "enum",
      "projection.dt.values": "a,b",
      "storage.location.template": "s3://b/data/${tenant}/x/${dt}",
    });
    const parts = projectedPartitions(m, [equals("tenant", "acme")], new Date());
    expect(parts.map((p) => [p.values, p.location])).toEqual([
      [["acme", "a"], { bucket: "b", prefix: "data/acme/x/a/" }],
      [["acme", "b"], { bucket: "b", prefix: "data/acme/x/b/" }],
    ]);
    expect(() => projectedPartitions(m, [], new Date())).toThrow(AthenaQueryError);
  });

  it("formats and parses Java date patterns", () => {
    const date = new Date(Date.UTC(2025, 0, 5, 7, 8, 9));
    expect(formatDate(date, "yyyy/MM/dd 'at' HH:mm:ss")).toBe("2025/01/05 at 07:08:09");
    expect(parseDate("2025/01/05 at 07:08:09", "yyyy/MM/dd 'at' HH:mm:ss")?.toISOString()).toBe("2025-01-05T07:08:09.000Z");
    expect(parseDate("2025-01", "yyyy/MM")).toBeUndefined();
  });
});
