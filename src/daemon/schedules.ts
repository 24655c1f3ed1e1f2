import cron, { type ScheduledTask } from "node-cron";
import type { LakeConfig } from "../config/types.js";
import { fromGlueCron, type GlueCron } from "./glue-cron.js";

export interface ScheduleHandlers {
  reconcile(): void;
  crawler(name: string): void;
  job(name: string): void;
}

export interface ScheduleSet {
  /** node-cron expression of the reconcile (5 fields, or 6 with seconds first) and its time zone. */
  reconcile: string;
  timezone: string;
  /** Crawlers the daemon starts itself (embedded target: AWS runs crawler schedules on its own), Glue cron each. */
  crawlers: Record<string, string>;
  /** Jobs the daemon starts (glueetl, pythonshell and athena), Glue cron each. */
  jobs: Record<string, string>;
}

/** The schedules a configuration asks the daemon to keep. `runs: false` (observe mode) leaves runs out. */
export function scheduleSet(config: LakeConfig, options: { reconcile?: string; crawlers: boolean; runs: boolean }): ScheduleSet {
  const scheduled = <T extends { name: string; schedule?: string }>(items: T[]) => Object.fromEntries(items.filter((i) => i.schedule).map((i) => [i.name, i.schedule!]));
  return {
    reconcile: options.reconcile ?? config.schedule.reconcile,
    timezone: config.schedule.timezone,
    crawlers: options.runs && options.crawlers ? scheduled(config.crawlers) : {},
    jobs: options.runs ? scheduled(config.jobs) : {},
  };
}

interface Entry {
  task: ScheduledTask;
  glue?: GlueCron;
}

/**
 * The daemon's timers: the reconcile on its node-cron schedule (seconds supported, in the configured time zone),
 * crawler and job runs on their Glue cron schedules (UTC). Replaced whole when a reloaded configuration changes
 * them; a task only arms a timer for its next time, so an idle daemon does no work.
 */
export class Schedules {
  private entries = new Map<string, Entry>();
  private signature = "";

  constructor(private readonly handlers: ScheduleHandlers) {}

  /** Applies a set; true when it differed from the one in force. */
  apply(set: ScheduleSet): boolean {
    const signature = JSON.stringify(set);
    if (signature === this.signature) return false;
    this.stop();
    this.signature = signature;
    this.add("reconcile", set.reconcile, set.timezone, () => this.handlers.reconcile());
    for (const [name, schedule] of Object.entries(set.crawlers)) this.addGlue(`crawler:${name}`, schedule, () => this.handlers.crawler(name));
    for (const [name, schedule] of Object.entries(set.jobs)) this.addGlue(`job:${name}`, schedule, () => this.handlers.job(name));
    return true;
  }

  /** Next times, for /status: `reconcile`, `crawler:NAME`, `job:NAME` → ISO time (absent: never). */
  next(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [key, entry] of this.entries) {
      const next = nextTime(entry);
      if (next) out[key] = next.toISOString();
    }
    return out;
  }

  /** Seconds between the next two reconciles: what /readyz calls an interval. */
  reconcileIntervalSeconds(): number | undefined {
    const runs = this.entries.get("reconcile")?.task.getNextRuns(2);
    return runs && runs.length === 2 ? (runs[1]!.getTime() - runs[0]!.getTime()) / 1000 : undefined;
  }

  stop(): void {
    for (const entry of this.entries.values()) void entry.task.destroy();
    this.entries.clear();
    this.signature = "";
  }

  private add(key: string, expression: string, timezone: string, fire: (date: Date) => void, glue?: GlueCron): void {
    const task = cron.createTask(expression, (context) => fire(context.date), { timezone, name: `lakewarden:${key}` });
    void task.start();
    this.entries.set(key, { task, ...(glue ? { glue } : {}) });
  }

  private addGlue(key: string, schedule: string, fire: () => void): void {
    const glue = fromGlueCron(schedule);
    this.add(key, glue.expression, "UTC", (date) => glue.year(date.getUTCFullYear()) && fire(), glue);
  }
}

/** The next time a task fires, skipping years a Glue schedule excludes (looked ahead a bounded number of runs). */
function nextTime(entry: Entry): Date | undefined {
  if (!entry.glue || entry.glue.everyYear) return entry.task.getNextRun() ?? undefined;
  return entry.task.getNextRuns(16).find((d) => entry.glue!.year(d.getUTCFullYear()));
}
