/**
 * Crawler exclusion patterns, as Glue reads them: globs matched against the object's key relative to the include
 * path. `/` separates folders; `*` matches within one name (never across `/`); `**` matches across folders, also
 * inside a name (`myfolder**` matches the folder and everything below it); `?` one character; `[abc]`, `[a-z]`,
 * `[!a]` character classes; `{a,b}` alternatives; `\` escapes. A pattern that matches a folder excludes everything
 * in it.
 *
 * picomatch treats `**` only as a whole path segment (`**.csv` would not cross folders), so the patterns are
 * compiled here into regular expressions with Glue's meaning.
 */

export function globToRegExp(glob: string): RegExp {
  let out = "";
  let i = 0;
  let braces = 0;
  while (i < glob.length) {
    const c = glob[i]!;
    if (c === "\\" && i + 1 < glob.length) {
      out += escapeRegExp(glob[i + 1]!);
      i += 2;
    } else if (c === "*") {
      if (glob[i + 1] === "*") {
        out += ".*";
        i += 2;
        while (glob[i] === "*") i++;
      } else {
        out += "[^/]*";
        i++;
      }
    } else if (c === "?") {
      out += "[^/]";
      i++;
    } else if (c === "[") {
      const close = glob.indexOf("]", i + 2);
      if (close < 0) {
        out += "\\[";
        i++;
        continue;
      }
      let body = glob.slice(i + 1, close);
      const negated = body.startsWith("!") || body.startsWith("^");
      if (negated) body = body.slice(1);
      body = body.replace(/[\\\]^]/g, (m) => `\\${m}`);
      out += negated ? `[^/${body}]` : `[${body}]`;
      i = close + 1;
    } else if (c === "{") {
      braces++;
      out += "(?:";
      i++;
    } else if (c === "}" && braces > 0) {
      braces--;
      out += ")";
      i++;
    } else if (c === "," && braces > 0) {
      out += "|";
      i++;
    } else {
      out += escapeRegExp(c);
      i++;
    }
  }
  while (braces-- > 0) out += ")";
  return new RegExp(`^${out}$`, "s");
}

function escapeRegExp(c: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(c) ? `\\${c}` : c;
}

/** Whether a key (relative to the include path) is excluded: the key itself or one of its folders matches. */
export class Exclusions {
  private readonly patterns: RegExp[];
  private readonly folderCache = new Map<string, boolean>();

  constructor(globs: readonly string[]) {
    this.patterns = globs.filter((g) => g.length > 0).map(globToRegExp);
  }

  get empty(): boolean {
    return this.patterns.length === 0;
  }

  excludes(relativeKey: string): boolean {
    if (!this.patterns.length) return false;
    if (this.matches(relativeKey)) return true;
    // Folders, outermost first; cached because many keys share them.
    let slash = relativeKey.indexOf("/");
    while (slash >= 0) {
      const folder = relativeKey.slice(0, slash);
      let hit = this.folderCache.get(folder);
      if (hit === undefined) {
        hit = this.matches(folder) || this.matches(`${folder}/`);
        this.folderCache.set(folder, hit);
      }
      if (hit) return true;
      slash = relativeKey.indexOf("/", slash + 1);
    }
    return false;
  }

  private matches(path: string): boolean {
    for (const p of this.patterns) if (p.test(path)) return true;
    return false;
  }
}
