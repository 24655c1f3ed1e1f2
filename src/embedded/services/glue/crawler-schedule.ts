/**
 * Crawler schedules: `cron(Minutes Hours Day-of-month Month Day-of-week Year)` as Glue (and EventBridge) read them:
 * six fields; `,` `-` `*` `/` everywhere; `?` in one of day-of-month / day-of-week (one of them must be `?`);
 * `L` `W` in day-of-month, `L` `#` in day-of-week; month names JAN–DEC, day names SUN–SAT.
 * Returns the reason an expression is not valid, or undefined.
 */

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: string[];
}

const FIELDS: FieldSpec[] = [
  { name: "minutes", min: 0, max: 59 },
  { name: "hours", min: 0, max: 23 },
  { name: "day-of-month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12, names: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"] },
  { name: "day-of-week", min: 1, max: 7, names: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"] },
  { name: "year", min: 1970, max: 2199 },
];

export function cronProblem(expression: string): string | undefined {
  const m = /^cron\((.*)\)$/.exec(expression.trim());
  if (!m) return "a schedule must be a cron expression: cron(Minutes Hours Day-of-month Month Day-of-week Year)";
  const fields = m[1]!.trim().split(/\s+/);
  if (fields.length !== 6) return `a cron expression has 6 fields, this one has ${fields.length}`;
  const [, , dom, , dow] = fields as [string, string, string, string, string, string];
  if ((dom === "?") === (dow === "?")) return "exactly one of day-of-month and day-of-week must be '?'";
  for (let i = 0; i < 6; i++) {
    const problem = fieldProblem(fields[i]!, FIELDS[i]!, i);
    if (problem) return problem;
  }
  return undefined;
}

function fieldProblem(field: string, spec: FieldSpec, index: number): string | undefined {
  if (field === "?") return index === 2 || index === 4 ? undefined : `'?' is only allowed in day-of-month and day-of-week`;
  for (const item of field.split(",")) {
    if (!itemValid(item.toUpperCase(), spec, index)) return `'${item}' is not a valid ${spec.name} value`;
  }
  return undefined;
}

function itemValid(item: string, spec: FieldSpec, index: number): boolean {
  if (item === "") return false;
  const value = (text: string): number | undefined => {
    if (/^\d+$/.test(text)) {
      const n = Number(text);
      return n >= spec.min && n <= spec.max ? n : undefined;
    }
    const named = spec.names?.indexOf(text) ?? -1;
    return named >= 0 ? named + spec.min : undefined;
  };
  if (index === 2) {
    if (item === "L" || item === "LW") return true;
    if (/^L-\d+$/.test(item)) return Number(item.slice(2)) <= 30;
    if (/^\d+W$/.test(item)) return value(item.slice(0, -1)) !== undefined;
  }
  if (index === 4) {
    if (item === "L") return true;
    if (/^[^#]+L$/.test(item)) return value(item.slice(0, -1)) !== undefined;
    const hash = /^([^#]+)#([1-5])$/.exec(item);
    if (hash) return value(hash[1]!) !== undefined;
  }
  const [range, step, ...extra] = item.split("/");
  if (extra.length) return false;
  if (step !== undefined && !(/^\d+$/.test(step) && Number(step) > 0)) return false;
  if (range === "*") return true;
  const bounds = range!.split("-");
  if (bounds.length > 2) return false;
  return bounds.every((b) => value(b) !== undefined);
}
