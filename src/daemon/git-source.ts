import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { loadConfig } from "../config/load.js";
import type { ConfigSource, LoadedConfig } from "./config-source.js";
import { git, redactUrl } from "./git.js";

export interface GitSourceOptions {
  url: string;
  branch: string;
  /** Path of the configuration inside the repository. */
  path: string;
  /** The daemon's state directory: the repository is fetched under `<stateDir>/git/`. */
  stateDir: string;
  /** Anchors a relative repository path (the folder of the file that declared the source). */
  baseDir: string;
}

/**
 * The committed configuration of a branch: fetched with the git CLI (shallow) into a bare repository under the
 * state directory, each revision checked out in a worktree of its own so that the last valid configuration keeps
 * its files (SQL, scripts, data) while a broken newer commit is rejected. Relative paths of the configuration
 * resolve inside its checkout.
 */
export class GitSource implements ConfigSource {
  readonly kind = "git";
  readonly description: string;
  private readonly url: string;
  private readonly root: string;
  private readonly repo: string;
  private readonly trees: string;
  private head: string | undefined;
  private good: string | undefined;
  private prepared = false;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: GitSourceOptions) {
    this.url = isLocalPath(options.url) ? resolve(options.baseDir, options.url) : options.url;
    this.description = `git ${redactUrl(this.url)}#${options.branch}:${options.path}`;
    this.root = join(options.stateDir, "git", createHash("sha256").update(`${this.url}\u0000${options.branch}`).digest("hex").slice(0, 16));
    this.repo = join(this.root, "repo.git");
    this.trees = join(this.root, "trees");
  }

  refresh(): Promise<boolean> {
    return this.serial(async () => {
      await this.prepare();
      await git(["--git-dir", this.repo, "fetch", "--quiet", "--no-tags", "--depth", "1", "--force", "--", this.url, `+refs/heads/${this.options.branch}:refs/lakewarden/head`]);
      const sha = await git(["--git-dir", this.repo, "rev-parse", "--verify", "refs/lakewarden/head^{commit}"]);
      if (sha === this.head) return false;
      await this.checkout(sha);
      this.head = sha;
      await this.prune();
      return true;
    });
  }

  load(): Promise<LoadedConfig> {
    return this.serial(async () => {
      const head = this.head;
      if (!head) throw new Error(`nothing fetched yet from ${this.description}`);
      const config = loadConfig(join(this.trees, head, this.options.path));
      config.local.stateDir = this.options.stateDir;
      if (this.good !== head) {
        this.good = head;
        await this.prune();
      }
      return { config, revision: head };
    });
  }

  currentRevision(): string | undefined {
    return this.head;
  }

  displayPath(file: string): string {
    const inTrees = relative(this.trees, file);
    if (inTrees.startsWith("..") || isAbsolute(inTrees)) return file;
    const [, ...rest] = inTrees.split(sep);
    return rest.join("/");
  }

  async close(): Promise<void> {
    await this.queue.catch(() => {});
  }

  /** git commands on one repository must not overlap (a poll and a cycle may both refresh). */
  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => {});
    return next;
  }

  /** Once per process: an empty bare repository, and no worktree left over from a previous (maybe killed) run. */
  private async prepare(): Promise<void> {
    if (this.prepared) return;
    mkdirSync(this.root, { recursive: true });
    if (!existsSync(join(this.repo, "HEAD"))) await git(["init", "--bare", "--quiet", this.repo]);
    rmSync(this.trees, { recursive: true, force: true });
    await git(["--git-dir", this.repo, "worktree", "prune"]);
    mkdirSync(this.trees, { recursive: true });
    this.prepared = true;
  }

  private async checkout(sha: string): Promise<void> {
    const tree = join(this.trees, sha);
    if (existsSync(tree)) return;
    await git(["--git-dir", this.repo, "worktree", "add", "--detach", "--force", "--quiet", tree, sha]);
  }

  /** Keeps the checkouts of the last valid revision and of the newest one; removes the others. */
  private async prune(): Promise<void> {
    const keep = new Set([this.head, this.good].filter(Boolean));
    let removed = false;
    for (const entry of readdirSync(this.trees)) {
      if (keep.has(entry)) continue;
      rmSync(join(this.trees, entry), { recursive: true, force: true });
      removed = true;
    }
    if (removed) await git(["--git-dir", this.repo, "worktree", "prune"]);
  }
}

/** A plain path (not `scheme://…` nor scp-like `host:path`), resolved against the declaring file's folder. */
function isLocalPath(url: string): boolean {
  return !/^[a-z][a-z0-9+.-]*:\/\//i.test(url) && !/^[^/]+:/.test(url);
}
