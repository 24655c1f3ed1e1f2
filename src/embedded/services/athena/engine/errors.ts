import { AwsError } from "../../../protocols/types.js";
import { athenaError, errorAt, userError } from "./dialect/index.js";
import { AthenaQueryError, QueryCancelledError, ScanLimitExceededError } from "./types.js";

/** Athena's errors as the engine raises them, and DuckDB's errors turned into Athena's. */

/** AthenaError.ErrorType of an engine failure. */
const INTERNAL_ERROR = 200;

export { userError };

/** An error at a position of the user's SQL: `NAME: line L:C: message` (the dialect layer's errorAt). */
export const userErrorAt = (name: string, sql: string, offset: number, message: string): AthenaQueryError => errorAt(sql, offset, name, message);

export function internalError(message: string): AthenaQueryError {
  return new AthenaQueryError("GENERIC_INTERNAL_ERROR", `GENERIC_INTERNAL_ERROR: ${message}`, 1, INTERNAL_ERROR);
}

/** Maps file paths in DuckDB's messages back to the objects' S3 URLs. */
export type FileNamer = (path: string) => string | undefined;

/**
 * What a failure while running a statement becomes: cancellation, Athena's own errors as they are, the SerDe's
 * errors for data DuckDB could not read, the dialect layer's mapping of everything else DuckDB says, and
 * GENERIC_INTERNAL_ERROR for the rest.
 */
export function toAthenaError(err: unknown, sql: string, signal: AbortSignal, nameFile: FileNamer): Error {
  if (signal.aborted) return new QueryCancelledError("Query cancelled by user");
  if (err instanceof AthenaQueryError || err instanceof ScanLimitExceededError || err instanceof QueryCancelledError) return err;
  if (err instanceof AwsError) return userError("HIVE_METASTORE_ERROR", `${err.code}: ${err.message}`);
  const message = err instanceof Error ? err.message : String(err);
  const reading = dataError(message, nameFile);
  if (reading) return reading;
  const mapped = athenaError(err, sql);
  if (mapped) return mapped;
  return internalError(message.split("\n")[0] ?? message);
}

function dataError(message: string, nameFile: FileNamer): AthenaQueryError | undefined {
  // A SerDe error the scan SQL raises itself: error('HIVE_…: … (file <path>)').
  const raised = /(HIVE_[A-Z_]+): ([^\n]*)/.exec(message);
  if (raised && message.startsWith("Invalid Input Error")) {
    return userError(raised[1]!, raised[2]!.replace(/\(file ([^)]+)\)/, (_whole, path: string) => `(file ${nameFile(path) ?? path})`));
  }
  // DuckDB's line numbers in these messages are not the file's: only the file is named.
  const malformed = /Malformed JSON in file "([^"]+)", at byte \d+ in line \d+: ([^\n]*)/.exec(message);
  if (malformed) {
    const [, path, detail] = malformed;
    return userError("HIVE_CURSOR_ERROR", `Row is not a valid JSON Object - JSONException: ${detail!.trim().replace(/\.$/, "")} (file ${nameFile(path!) ?? path})`);
  }
  const transform = /JSON transform error in file "([^"]+)", in line \d+: ([^\n]*)/.exec(message);
  if (transform) {
    const [, path, detail] = transform;
    const objectExpected = /expected OBJECT/i.test(detail!);
    if (objectExpected) return userError("HIVE_CURSOR_ERROR", `Row is not a valid JSON Object - JSONException: A JSONObject text must begin with '{' (file ${nameFile(path!) ?? path})`);
    const value = /"(.*)"$/.exec(detail!)?.[1] ?? detail;
    return userError("HIVE_BAD_DATA", `Error parsing field value '${value}': For input string: "${value}" (file ${nameFile(path!) ?? path})`);
  }
  return undefined;
}
