import { execFile } from "node:child_process";

/** Runs the git CLI; never prompts (no terminal), gives up after `timeoutMs`, rejects with git's own message. */
export function git(args: string[], options: { cwd?: string; timeoutMs?: number } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      "git",
      args,
      {
        cwd: options.cwd,
        timeout: options.timeoutMs ?? 120_000,
        maxBuffer: 16 * 1024 * 1024,
        env: { ...process.env, GIT_TERMINAL_PROMPT: "0", GIT_ASKPASS: "", LC_ALL: "C" },
      },
      (err, stdout, stderr) => {
        if (err) {
          const detail = stderr.trim().split("\n").filter(Boolean).slice(-3).join("; ") || err.message;
          reject(new Error(redactUrl(`git ${args[0] === "--git-dir" ? args.slice(2).join(" ") : args.join(" ")}: ${detail}`)));
        } else resolve(stdout.trim());
      },
    );
  });
}

/** Hides the credentials a repository URL may carry (`https://user:token@host/…`) before it is logged or shown. */
export function redactUrl(text: string): string {
  return text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^/@\s]+@/gi, "$1***@");
}
