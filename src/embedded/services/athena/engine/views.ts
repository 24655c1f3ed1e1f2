import type { Table, TableInput } from "@aws-sdk/client-glue";
import { userError } from "./errors.js";

/**
 * Athena views as Glue stores them: TableType VIRTUAL_VIEW, ViewOriginalText `/* Presto View: <base64 JSON> *\/`
 * (the JSON holds the SQL, the catalog and schema it resolves in, and the output columns with Trino types),
 * ViewExpandedText `/* Presto View *\/`, parameter `presto_view=true`, and the columns again in Hive types.
 */

export interface ViewDefinition {
  sql: string;
  catalog: string;
  schema: string;
  columns: { name: string; type: string }[];
}

const PREFIX = "/* Presto View: ";
const SUFFIX = " */";

export function decodeView(table: Table): ViewDefinition {
  const text = (table.ViewOriginalText ?? "").trim();
  if (text.startsWith(PREFIX) && text.endsWith(SUFFIX)) {
    try {
      const json = JSON.parse(Buffer.from(text.slice(PREFIX.length, -SUFFIX.length), "base64").toString("utf8")) as Partial<{
        originalSql: string;
        catalog: string;
        schema: string;
        columns: { name: string; type: string }[];
      }>;
      if (typeof json.originalSql === "string") {
        return { sql: json.originalSql, catalog: json.catalog ?? "awsdatacatalog", schema: json.schema ?? table.DatabaseName ?? "default", columns: json.columns ?? [] };
      }
    } catch {
      // not Athena's encoding: reported below
    }
  }
  throw userError("HIVE_INVALID_VIEW_DATA", `Invalid view JSON: view '${table.DatabaseName}.${table.Name}' is not an Athena (Presto) view`);
}

export function viewTableInput(name: string, view: ViewDefinition, hiveColumns: { name: string; type: string }[], owner: string): TableInput {
  const json = { originalSql: view.sql, catalog: view.catalog, schema: view.schema, columns: view.columns, owner, runAsInvoker: false, properties: {} };
  return {
    Name: name,
    TableType: "VIRTUAL_VIEW",
    Owner: owner,
    Parameters: { presto_view: "true", comment: "Presto View" },
    ViewOriginalText: `${PREFIX}${Buffer.from(JSON.stringify(json), "utf8").toString("base64")}${SUFFIX}`,
    ViewExpandedText: "/* Presto View */",
    PartitionKeys: [],
    StorageDescriptor: {
      Columns: hiveColumns.map((c) => ({ Name: c.name, Type: c.type })),
      SerdeInfo: {},
      Location: "",
      Compressed: false,
      NumberOfBuckets: 0,
      StoredAsSubDirectories: false,
    },
  };
}
