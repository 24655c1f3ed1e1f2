import { afterAll, describe, expect, it } from "vitest";
import { lakewarden } from "../helpers/cli.js";
import { SeedLake } from "../helpers/seed-lake.js";
import { isSummary, startDaemon } from "./daemon-process.js";

const seed = new SeedLake();
afterAll(() => seed.remove());

describe("lakewarden daemon shutdown", () => {
  it("exits 0 on SIGTERM in the middle of a reconcile, and the next start converges", async () => {
    // 100 ms per AWS call: the seed lake's first reconcile takes seconds, long enough to be interrupted.
    const d = await startDaemon({ cwd: seed.dir, env: { LAKEWARDEN_FAULTS: "*:*:latency:100ms" } });
    await d.waitFor("the first change applied", (l) => l.status === "done" && typeof l.address === "string");
    expect(d.lines().some(isSummary)).toBe(false); // the reconcile is still running
    d.signal("SIGTERM");
    expect(await d.exited()).toBe(0);
    expect(d.lines().map((l) => l.msg)).toContain("stopping: letting the reconcile in flight finish");
    expect(d.lines().at(-1)?.msg).toBe("stopped");

    const again = await startDaemon({ cwd: seed.dir, args: ["--once"], http: false });
    expect(await again.exited()).toBe(0);
    const summary = again.lines().find(isSummary);
    expect(summary).toMatchObject({ result: "success", failures: 0 });
    const plan = lakewarden(["plan", "--detailed-exitcode", "-c", seed.file]);
    expect(plan.stdout).toContain("No changes.");
    expect(plan.code).toBe(0);
  });

  it("stops scheduling on SIGINT while idle and exits 0", async () => {
    const d = await startDaemon({ cwd: seed.dir, args: ["--schedule", "0 0 1 1 *"] });
    await d.waitFor("the first reconcile", isSummary);
    d.signal("SIGINT");
    expect(await d.exited()).toBe(0);
    expect(d.lines().map((l) => l.msg)).toContain("SIGINT: stopping (a second signal exits at once)");
  });
});
