/**
 * A Glue schedule, `cron(Minutes Hours Day-of-month Month Day-of-week Year)` in UTC, as a node-cron expression plus
 * a year filter (node-cron has no year field). Glue numbers days of the week 1-7 from Sunday, node-cron 0-6; `?`
 * is `*` (Glue requires it in one of the two day fields, so node-cron's AND of both is Glue's meaning); a lone `L`
 * in day-of-week is Saturday. The expression is assumed valid (the config loader checked it).
 */
export interface GlueCron {
  /** Six node-cron fields, seconds first. */
  expression: string;
  /** Whether the schedule fires in this (UTC) year. */
  year(year: number): boolean;
  /** The year field is `*`: every year. */
  everyYear: boolean;
}

export function fromGlueCron(schedule: string): GlueCron {
  const inner = /^cron\((.*)\)$/.exec(schedule.trim())?.[1];
  const fields = inner?.trim().split(/\s+/) ?? [];
  if (fields.length !== 6) throw new Error(`not a Glue cron expression: ${schedule}`);
  const [minutes, hours, dom, month, dow, year] = fields as [string, string, string, string, string, string];
  return {
    expression: ["0", steps(minutes, "59"), steps(hours, "23"), dom === "?" ? "*" : steps(dom, "31"), steps(month, "12"), steps(dayOfWeek(dow), "6")].join(" "),
    year: yearMatcher(year),
    everyYear: year === "*" || year === "?",
  };
}

function dayOfWeek(field: string): string {
  if (field === "?" || field === "*") return "*";
  if (field.toUpperCase() === "L") return "6";
  // Every number in the field is a day number (ranges, steps' starts, nL, n#k), except a step's size after `/`.
  return field
    .split(",")
    .map((item) => {
      const [range, step] = item.split("/");
      const shifted = range!.replace(/\d+/g, (n, offset: number, whole: string) => (whole[offset - 1] === "#" ? n : String(Number(n) - 1)));
      return step === undefined ? shifted : `${shifted}/${step}`;
    })
    .join(",");
}

/** `5/15` (from 5, every 15) is Glue's; node-cron wants the range spelled out: `5-59/15`. */
function steps(field: string, max: string): string {
  return field
    .split(",")
    .map((item) => item.replace(/^(\w+)\/(\d+)$/, (whole, start: string, step: string) => (start === "*" ? whole : `${start}-${max}/${step}`)))
    .join(",");
}

function yearMatcher(field: string): (year: number) => boolean {
  if (field === "*" || field === "?") return () => true;
  const items = field.split(",").map((item) => {
    const [range, stepText] = item.split("/");
    const step = stepText === undefined ? 1 : Number(stepText);
    const [from, to] = range === "*" ? [1970, 2199] : range!.includes("-") ? range!.split("-").map(Number) : [Number(range), stepText === undefined ? Number(range) : 2199];
    return (year: number) => year >= from! && year <= to! && (year - from!) % step === 0;
  });
  return (year) => items.some((matches) => matches(year));
}
