import type { ServiceContext } from "../../service.js";
import type { Input } from "./input.js";

/**
 * One CloudWatch operation, whichever protocol carried it: members read with input.ts, the answer as plain data
 * (Dates for timestamps, arrays for lists, plain objects for structures and maps); undefined when it has none.
 */
export type CloudWatchHandler = (input: Input, ctx: ServiceContext) => Record<string, unknown> | undefined;
