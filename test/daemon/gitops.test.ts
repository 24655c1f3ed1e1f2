import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { HeadBucketCommand, HeadObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { afterEach, describe, expect, it } from "vitest";
import { LOCAL_CREDENTIALS } from "../../src/embedded/index.js";
import { tmpLake } from "../helpers/tmp-lake.js";
import { isSummary, startDaemon, type DaemonProcess } from "./daemon-process.js";

const committed = (buckets: string[]) =>
  [
    "version: 1",
    "lake: gtest",
    "buckets:",
    ...buckets.map((b) => `  ${b}: { name: gtest-${b} }`),
    "uploads: [{ from: data, to: a:incoming/ }]", // relative: inside the checkout
    'schedule: { reconcile: "0 0 1 1 *" }', // only a new commit triggers a cycle in this test
  ].join("\n");

function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "user.name=test", "-c", "user.email=test@example.com", "-c", "init.defaultBranch=main", ...args], { cwd, encoding: "utf8" }).trim();
}

function commit(work: string, yaml: string, message: string): string {
  writeFileSync(join(work, "lake.config.yaml"), yaml);
  git(work, "add", "-A");
  git(work, "commit", "-q", "-m", message);
  git(work, "push", "-q", "origin", "main");
  return git(work, "rev-parse", "HEAD");
}

let daemon: DaemonProcess | undefined;
afterEach(async () => {
  await daemon?.stop();
  daemon = undefined;
});

describe("lakewarden daemon with source.git", () => {
  it("applies the committed configuration, follows new commits, and keeps the last valid commit when one is broken", async () => {
    const root = tmpLake({ "boot/": "", "work/data/x.json": '{"a":1}\n' });
    git(root, "init", "-q", "--bare", "remote.git");
    const work = join(root, "work");
    git(work, "init", "-q");
    git(work, "remote", "add", "origin", join(root, "remote.git"));
    const sha1 = commit(work, committed(["a"]), "first");
    // The local file says where the configuration lives; the repository path is relative to it.
    mkdirSync(join(root, "boot"), { recursive: true });
    writeFileSync(join(root, "boot", "lake.config.yaml"), "version: 1\nlake: gtest\nsource: { git: { url: ../remote.git, branch: main, interval: 1s } }\n");

    daemon = await startDaemon({ cwd: join(root, "boot") });
    const first = await daemon.waitFor("the first commit applied", (l) => isSummary(l) && l.revision === sha1);
    expect(first).toMatchObject({ result: "success", changes: 2 });
    const s3 = new S3Client({ endpoint: daemon.aws!, region: "us-east-1", credentials: LOCAL_CREDENTIALS, forcePathStyle: true });
    try {
      await s3.send(new HeadObjectCommand({ Bucket: "gtest-a", Key: "incoming/x.json" }));
      let status = JSON.parse((await daemon.get("/status")).body);
      expect(status.config.revision).toBe(sha1);
      expect(status.source).toMatch(/^git .*remote\.git#main:lake\.config\.yaml$/);
      expect((await daemon.metrics()).value("lakewarden_config_info", { revision: sha1 })).toBe(1);

      const sha2 = commit(work, committed(["a", "b"]), "second");
      const second = await daemon.waitFor("the second commit applied", (l) => isSummary(l) && l.revision === sha2);
      expect(second).toMatchObject({ result: "success", reason: "git", changes: 1 });
      await s3.send(new HeadBucketCommand({ Bucket: "gtest-b" }));

      const mark = daemon.lines().length;
      const sha3 = commit(work, committed(["a", "b"]).replace("lake: gtest", "lake: gtest\nbuckets_typo: {}"), "broken");
      await daemon.waitFor("the broken commit's error with its location", (l) => /^lake\.config\.yaml:\d+:\d+: buckets_typo: unknown key/.test(l.msg) && l.revision === sha3, { from: mark });
      await daemon.waitFor("the rejection", (l) => l.msg.includes(`configuration ${sha3} rejected`) && l.msg.includes(`still converging to ${sha2}`), { from: mark });
      const metrics = await daemon.metrics();
      expect(metrics.value("lakewarden_config_reloads_total", { result: "failure" })).toBeGreaterThanOrEqual(1);
      expect(metrics.value("lakewarden_config_info", { revision: sha2 })).toBe(1);
      status = JSON.parse((await daemon.get("/status")).body);
      expect(status.config).toMatchObject({ revision: sha2, latestRevision: sha3 });
      expect(status.lastReconcile.revision).toBe(sha2);
    } finally {
      s3.destroy();
    }
    expect(await daemon.stop()).toBe(0);
  });
});
