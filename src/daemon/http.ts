import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface StatusRoutes {
  /** The Prometheus exposition, or undefined when /metrics is turned off. */
  metrics(): Promise<{ contentType: string; body: string } | undefined>;
  ready(): { ready: boolean; reason: string };
  status(): unknown;
}

export interface StatusServer {
  url: string;
  close(): Promise<void>;
}

/** The daemon's HTTP endpoint: GET /metrics, /healthz, /readyz, /status. */
export async function startStatusServer(host: string, port: number, routes: StatusRoutes): Promise<StatusServer> {
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method !== "GET" && req.method !== "HEAD") return send(res, 405, "text/plain", "method not allowed\n", { allow: "GET, HEAD" });
    void (async () => {
      try {
        switch (path) {
          case "/metrics": {
            const metrics = await routes.metrics();
            return metrics ? send(res, 200, metrics.contentType, metrics.body) : send(res, 404, "text/plain", "metrics.prometheus.enabled is false\n");
          }
          case "/healthz":
            return send(res, 200, "text/plain", "ok\n");
          case "/readyz": {
            const { ready, reason } = routes.ready();
            return send(res, ready ? 200 : 503, "text/plain", `${reason}\n`);
          }
          case "/status":
            return send(res, 200, "application/json", `${JSON.stringify(routes.status(), null, 2)}\n`);
          default:
            return send(res, 404, "text/plain", "not found: try /metrics, /healthz, /readyz or /status\n");
        }
      } catch (err) {
        send(res, 500, "text/plain", `${(err as Error).message}\n`);
      }
    })();
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function send(res: ServerResponse, status: number, contentType: string, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": contentType, "content-length": String(Buffer.byteLength(body)), "cache-control": "no-store", ...headers });
  res.end(res.req.method === "HEAD" ? undefined : body);
}
