import { existsSync, readdirSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve } from "node:path";
import type { Issue } from "../issues.js";
import type { NameProblem } from "../names.js";
import type { ConfigPath, YamlSource } from "../source.js";
import { didYouMean } from "../suggest.js";
import type { BucketRef, RoleRef } from "../types.js";

/* eslint-disable @typescript-eslint/no-explicit-any -- items are schema-validated YAML data */
/** What the resolvers of each section share: where to report, the config's folder, and the declared names. */
export class ResolveContext {
  readonly issues: Issue[] = [];

  constructor(
    readonly source: YamlSource,
    /** Absolute folder of the config file. */
    readonly dir: string,
    readonly bucketKeys: string[],
    readonly roleKeys: string[],
    readonly databaseNames: string[],
    readonly workgroupNames: string[],
    readonly defaultRole: string | undefined,
    /** The schema rejected the document: skip what does not have the expected shape instead of failing. */
    readonly tolerant: boolean,
  ) {}

  /**
   * Maps the items of a list section. On a document the schema rejected, an item whose resolver throws (its shape
   * is wrong, which the schema already reported) is skipped so that the other items are still checked.
   */
  items<T>(list: unknown, build: (item: any, index: number) => T): T[] {
    if (!Array.isArray(list)) return [];
    return list.flatMap((item, index) => {
      try {
        return [build(item, index)];
      } catch (err) {
        if (this.tolerant) return [];
        throw err;
      }
    });
  }

  report(path: ConfigPath, problem: NameProblem, onKey = false): void {
    this.issues.push({ file: this.source.file, pos: this.source.locate(path, onKey), path, ...problem });
  }

  /** Reports a failed name rule; returns whether the name is valid. */
  checkName(path: ConfigPath, problem: NameProblem | undefined): boolean {
    if (problem) this.report(path, problem);
    return problem === undefined;
  }

  /** `raw:data/raw/` → { bucket: "raw", prefix: "data/raw/" }, reporting an undeclared bucket. */
  bucketRef(path: ConfigPath, ref: string, onKey = false): BucketRef {
    const at = ref.indexOf(":");
    const bucket = at < 0 ? ref : ref.slice(0, at);
    const prefix = at < 0 ? "" : ref.slice(at + 1);
    if (!this.bucketKeys.includes(bucket)) {
      this.report(
        path,
        {
          problem: `bucket "${bucket}" is not declared`,
          expected: this.bucketKeys.length
            ? `expected a key of buckets: ${this.bucketKeys.join(", ")}${didYouMean(bucket, this.bucketKeys)}`
            : "expected a bucket declared under buckets",
        },
        onKey,
      );
    }
    return { bucket, prefix };
  }

  /** A declared database, reporting one that is not. */
  database(path: ConfigPath, name: string): string {
    if (!this.databaseNames.includes(name)) {
      this.report(path, {
        problem: `database "${name}" is not declared`,
        expected: this.databaseNames.length
          ? `expected one of databases: ${this.databaseNames.join(", ")}${didYouMean(name, this.databaseNames)}`
          : "expected a database declared under databases",
      });
    }
    return name;
  }

  /** A declared workgroup, or the only declared one when none is named. */
  workgroup(path: ConfigPath, name: string | undefined): string | undefined {
    if (name === undefined) return this.workgroupNames.length === 1 ? this.workgroupNames[0] : undefined;
    if (!this.workgroupNames.includes(name)) {
      this.report(path, {
        problem: `workgroup "${name}" is not declared`,
        expected: this.workgroupNames.length
          ? `expected one of workgroups: ${this.workgroupNames.join(", ")}${didYouMean(name, this.workgroupNames)}`
          : "expected a workgroup declared under workgroups",
      });
    }
    return name;
  }

  /**
   * A crawler's or job's role: a key of `roles`, an IAM role ARN, or — when none is given — defaults.role, or the
   * only declared role.
   */
  role(path: ConfigPath, given: string | undefined): RoleRef | undefined {
    const name = given ?? this.defaultRole;
    if (name === undefined) {
      if (this.roleKeys.length === 1) return { kind: "declared", key: this.roleKeys[0]! };
      const parent = path.slice(0, -1);
      this.report(parent, {
        problem: this.roleKeys.length === 0 ? "has no role and no role is declared" : `has no role and ${this.roleKeys.length} roles are declared`,
        expected: this.roleKeys.length === 0
          ? "expected role: <IAM role ARN>, or a role declared under roles"
          : `expected role: one of ${this.roleKeys.join(", ")} (or set defaults.role)`,
      });
      return undefined;
    }
    if (/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/.test(name)) return { kind: "external", arn: name };
    if (this.roleKeys.includes(name)) return { kind: "declared", key: name };
    const reportAt = given === undefined ? ["defaults", "role"] : path;
    this.report(reportAt, {
      problem: name.startsWith("arn:") ? `"${name}" is not an IAM role ARN` : `role "${name}" is not declared`,
      expected: this.roleKeys.length
        ? `expected a key of roles: ${this.roleKeys.join(", ")}${didYouMean(name, this.roleKeys)}, or an IAM role ARN`
        : "expected a role declared under roles, or an IAM role ARN (arn:aws:iam::123456789012:role/Name)",
    });
    return undefined;
  }

  /** A file beside the config, shown the way the config file itself was named (relative stays relative). */
  displayPath(absolute: string): string {
    return join(dirname(this.source.file), relative(this.dir, absolute));
  }

  /** A local path relative to the config's folder that must exist; returns it absolute. */
  localPath(path: ConfigPath, given: string, kind: "file" | "folder or file"): string {
    const absolute = isAbsolute(given) ? given : resolve(this.dir, given);
    if (!existsSync(absolute)) {
      const shown = relative(this.dir, absolute) || ".";
      this.report(path, {
        problem: `"${given}" does not exist`,
        expected: `expected a ${kind} relative to ${basename(this.source.file)}${nearbyName(absolute, shown)}`,
      });
    }
    return absolute;
  }

  /** Reports names used twice in a list; `names` holds [path, name] pairs in document order. */
  unique(kind: string, names: [ConfigPath, string][]): void {
    const first = new Map<string, ConfigPath>();
    for (const [path, name] of names) {
      const earlier = first.get(name);
      if (earlier) {
        const { line } = this.source.locate(earlier);
        this.report(path, { problem: `${kind} "${name}" is declared twice`, expected: `expected each ${kind} once (first declared on line ${line})` });
      } else first.set(name, path);
    }
  }
}

/** ` (did you mean "data/raw"?)` when a sibling of the missing path has a similar name. */
function nearbyName(absolute: string, shown: string): string {
  const parent = dirname(absolute);
  if (!existsSync(parent)) return "";
  const hint = didYouMean(basename(absolute), readdirSync(parent));
  return hint ? hint.replace(/"([^"]*)"/, (_m, name: string) => `"${joinShown(shown, name)}"`) : "";
}

function joinShown(shown: string, sibling: string): string {
  const at = shown.lastIndexOf("/");
  return at < 0 ? sibling : `${shown.slice(0, at + 1)}${sibling}`;
}
