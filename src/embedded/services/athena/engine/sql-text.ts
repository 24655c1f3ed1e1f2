/** Quoting for the DuckDB SQL the engine writes: every name and value it did not write itself goes through these. */

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export function quoteString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

export function stringList(values: readonly string[]): string {
  return `[${values.map(quoteString).join(", ")}]`;
}
