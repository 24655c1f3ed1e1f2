import type { ServiceContext } from "../../service.js";
import { alignedStart } from "./aggregate.js";
import { invalidValue } from "./errors.js";
import { requiredTime, type Input } from "./input.js";

/** StartTime (inclusive, rounded down as CloudWatch rounds it) and EndTime (exclusive), in epoch seconds. */
export function timeRangeOf(input: Input, period: number, ctx: ServiceContext): { start: number; end: number } {
  const start = requiredTime(input.StartTime, "StartTime");
  const end = requiredTime(input.EndTime, "EndTime");
  if (start.getTime() >= end.getTime()) throw invalidValue("The parameter StartTime must be less than the parameter EndTime.");
  return { start: alignedStart(start, period, ctx.now()), end: Math.ceil(end.getTime() / 1000) };
}
