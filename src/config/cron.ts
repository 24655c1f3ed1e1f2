import cron from "node-cron";
import type { NameProblem } from "./names.js";

/** The daemon's schedule: a node-cron expression (5 fields, or 6 with seconds first). */
export function checkDaemonCron(expr: string): NameProblem | undefined {
  if (cron.validate(expr)) return undefined;
  return {
    problem: `"${expr}" is not a valid cron expression`,
    expected: 'expected 5 fields (minute hour day-of-month month day-of-week) or 6 with seconds first, e.g. "*/5 * * * *"',
  };
}

export function checkTimezone(zone: string): NameProblem | undefined {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return undefined;
  } catch {
    return { problem: `"${zone}" is not a time zone`, expected: "expected an IANA time zone such as UTC or Europe/Berlin" };
  }
}

interface Field {
  name: string;
  min: number;
  max: number;
  names?: string[];
  special: string[];
}

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

// Glue (and EventBridge) cron: cron(Minutes Hours Day-of-month Month Day-of-week Year).
const FIELDS: Field[] = [
  { name: "minutes", min: 0, max: 59, special: [] },
  { name: "hours", min: 0, max: 23, special: [] },
  { name: "day-of-month", min: 1, max: 31, special: ["?", "L", "W"] },
  { name: "month", min: 1, max: 12, names: MONTHS, special: [] },
  { name: "day-of-week", min: 1, max: 7, names: DAYS, special: ["?", "L", "#"] },
  { name: "year", min: 1970, max: 2199, special: [] },
];

const GLUE_EXAMPLE = "e.g. cron(0 2 * * ? *) for 02:00 UTC daily";

/** `on-demand` or a Glue `cron(...)` expression. */
export function checkGlueSchedule(schedule: string): NameProblem | undefined {
  if (schedule === "on-demand") return undefined;
  const m = /^cron\((.*)\)$/.exec(schedule.trim());
  if (!m) {
    return { problem: `"${schedule}" is not a schedule`, expected: `expected on-demand or a Glue cron(...) expression, ${GLUE_EXAMPLE}` };
  }
  const parts = m[1]!.trim().split(/\s+/);
  if (parts.length !== 6) {
    return {
      problem: `cron expression has ${parts.length} fields`,
      expected: `expected 6: cron(Minutes Hours Day-of-month Month Day-of-week Year), ${GLUE_EXAMPLE}`,
    };
  }
  for (let i = 0; i < FIELDS.length; i++) {
    const problem = checkField(parts[i]!, FIELDS[i]!);
    if (problem) return problem;
  }
  const [dom, dow] = [parts[2]!, parts[4]!];
  if ((dom === "?") === (dow === "?")) {
    return {
      problem: dom === "?" ? "day-of-month and day-of-week are both ?" : "day-of-month and day-of-week are both set",
      expected: `expected ? in exactly one of them, ${GLUE_EXAMPLE}`,
    };
  }
  return undefined;
}

function checkField(text: string, field: Field): NameProblem | undefined {
  const bad = (why: string) => ({
    problem: `${field.name} field "${text}" ${why}`,
    expected: `expected ${field.min}-${field.max}${field.names ? ` or ${field.names[0]}-${field.names[field.names.length - 1]}` : ""}, *, lists (a,b), ranges (a-b) and steps (*/n)${field.special.length ? `, or ${field.special.join(" ")}` : ""}`,
  });
  for (const part of text.split(",")) {
    if (part === "*" ) continue;
    if (part === "?") {
      if (!field.special.includes("?") || text !== "?") return bad("cannot use ? here");
      continue;
    }
    if (field.special.includes("L") && /^(L|LW|[1-7]L)$/.test(part)) {
      if (part === "LW" && field.name !== "day-of-month") return bad("cannot use LW here");
      if (/^[1-7]L$/.test(part) && field.name !== "day-of-week") return bad("cannot use nL here");
      continue;
    }
    if (field.special.includes("W") && /^\d+W$/.test(part)) {
      if (!inRange(part.slice(0, -1), field)) return bad("is out of range");
      continue;
    }
    if (field.special.includes("#") && /^([1-7]|[A-Za-z]{3})#[1-5]$/.test(part)) {
      if (!inRange(part.split("#")[0]!, field)) return bad("is out of range");
      continue;
    }
    const [base, step] = part.split("/");
    if (step !== undefined && !/^[1-9]\d*$/.test(step)) return bad("has an invalid step");
    if (base === "*" && step !== undefined) continue;
    const range = base!.split("-");
    if (range.length > 2 || range.some((v) => v === "")) return bad("is not valid");
    for (const v of range) {
      if (!/^(\d+|[A-Za-z]{3})$/.test(v)) return bad("is not valid");
      if (!inRange(v, field)) return bad("is out of range");
    }
  }
  return undefined;
}

function inRange(value: string, field: Field): boolean {
  if (/^\d+$/.test(value)) return Number(value) >= field.min && Number(value) <= field.max;
  return field.names?.includes(value.toUpperCase()) ?? false;
}
