import cron from "node-cron";
import { describe, expect, it } from "vitest";
import { fromGlueCron } from "../../src/daemon/glue-cron.js";

/** Whether a Glue schedule fires at an instant (UTC), through node-cron as the daemon runs it. */
function fires(schedule: string, iso: string): boolean {
  const glue = fromGlueCron(schedule);
  const task = cron.createTask(glue.expression, () => {}, { timezone: "UTC" });
  try {
    const at = new Date(iso);
    return task.match(at) && glue.year(at.getUTCFullYear());
  } finally {
    void task.destroy();
  }
}

describe("Glue cron schedules run by the daemon", () => {
  it("translates to node-cron fields (seconds first, day-of-week from 0, ? as *, steps as ranges)", () => {
    expect(fromGlueCron("cron(30 3 * * ? *)").expression).toBe("0 30 3 * * *");
    expect(fromGlueCron("cron(0/15 * * * ? *)").expression).toBe("0 0-59/15 * * * *");
    expect(fromGlueCron("cron(0 12 ? * 2-6 *)").expression).toBe("0 0 12 * * 1-5");
    expect(fromGlueCron("cron(0 10 ? * 6L *)").expression).toBe("0 0 10 * * 5L");
    expect(fromGlueCron("cron(0 10 ? * 2#1 *)").expression).toBe("0 0 10 * * 1#1");
    expect(fromGlueCron("cron(15 10 ? * L *)").expression).toBe("0 15 10 * * 6");
    expect(() => fromGlueCron("0 3 * * *")).toThrow(/not a Glue cron/);
  });

  it("fires when Glue would", () => {
    expect(fires("cron(30 3 * * ? *)", "2026-11-26T03:30:00Z")).toBe(true);
    expect(fires("cron(30 3 * * ? *)", "2026-11-26T03:31:00Z")).toBe(false);
    // 1 = Sunday in Glue: 2-6 is Monday to Friday.
    expect(fires("cron(0 12 ? * 2-6 *)", "2026-11-27T12:00:00Z")).toBe(true); // a Friday
    expect(fires("cron(0 12 ? * 2-6 *)", "2026-11-28T12:00:00Z")).toBe(false); // a Saturday
    expect(fires("cron(0 12 ? * MON-FRI *)", "2026-11-30T12:00:00Z")).toBe(true); // a Monday
    expect(fires("cron(0 10 ? * 6L *)", "2026-11-27T10:00:00Z")).toBe(true); // the last Friday of November 2026
    expect(fires("cron(0 10 ? * 6L *)", "2026-11-20T10:00:00Z")).toBe(false);
    expect(fires("cron(0 10 ? * 2#1 *)", "2026-12-07T10:00:00Z")).toBe(true); // the first Monday of December
    expect(fires("cron(0 8 L * ? *)", "2026-02-28T08:00:00Z")).toBe(true);
    expect(fires("cron(0/15 * * * ? *)", "2026-01-01T05:45:00Z")).toBe(true);
    expect(fires("cron(5/15 * * * ? *)", "2026-01-01T05:50:00Z")).toBe(true);
    expect(fires("cron(5/15 * * * ? *)", "2026-01-01T05:45:00Z")).toBe(false);
  });

  it("honours the year field, which node-cron lacks", () => {
    expect(fires("cron(0 0 1 JAN ? 2027-2030)", "2027-01-01T00:00:00Z")).toBe(true);
    expect(fires("cron(0 0 1 JAN ? 2027-2030)", "2026-01-01T00:00:00Z")).toBe(false);
    expect(fires("cron(0 0 1 JAN ? 2026,2028)", "2028-01-01T00:00:00Z")).toBe(true);
    expect(fires("cron(0 0 1 JAN ? 2026/2)", "2027-01-01T00:00:00Z")).toBe(false);
    expect(fires("cron(0 0 1 JAN ? 2026/2)", "2030-01-01T00:00:00Z")).toBe(true);
    expect(fromGlueCron("cron(0 0 1 JAN ? *)").everyYear).toBe(true);
  });
});
