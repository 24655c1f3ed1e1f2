import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";

/** A moto_server (moto, from this machine's Python) on a free loopback port: a third-party AWS for the AWS path. */
export async function startMoto(): Promise<{ endpoint: string; stop(): Promise<void> }> {
  const port = await freePort();
  // AWS managed policies (AWSGlueServiceRole …) exist on AWS; moto loads its copy of them only when asked.
  const env = { ...process.env, MOTO_IAM_LOAD_MANAGED_POLICIES: "true" };
  const child: ChildProcess = spawn("moto_server", ["-H", "127.0.0.1", "-p", String(port)], { stdio: ["ignore", "ignore", "pipe"], env });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`moto_server exited ${child.exitCode}: ${stderr}`);
    try {
      const res = await fetch(`${endpoint}/moto-api/`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`moto_server did not start on ${endpoint}: ${stderr}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    endpoint,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
