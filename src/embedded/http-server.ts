import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Dispatcher } from "./dispatcher.js";
import type { WireRequest } from "./protocols/types.js";

/** Serves the embedded AWS over HTTP, for the aws CLI, boto3 and any SDK pointed at it with AWS_ENDPOINT_URL. */
export async function startHttpServer(dispatcher: Dispatcher, host: string, port: number): Promise<{ server: Server; url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    void (async () => {
      try {
        const response = await dispatcher.dispatch(await toWireRequest(req));
        const body = response.body;
        if (Buffer.isBuffer(body)) {
          res.writeHead(response.status, { ...response.headers, "content-length": String(body.length) });
          res.end(req.method === "HEAD" ? undefined : body);
        } else {
          res.writeHead(response.status, response.headers);
          if (req.method === "HEAD") {
            body.destroy();
            res.end();
          } else body.pipe(res);
        }
      } catch (err) {
        res.writeHead(500, { "content-type": "text/plain" });
        res.end(`lakewarden: ${err instanceof Error ? err.message : String(err)}\n`);
      }
    })();
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    server,
    url: `http://${shownHost}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function toWireRequest(req: IncomingMessage): Promise<WireRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const url = req.url ?? "/";
  const at = url.indexOf("?");
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[key] = Array.isArray(value) ? value.join(",") : value;
  }
  return {
    method: req.method ?? "GET",
    path: at < 0 ? url : url.slice(0, at),
    query: new URLSearchParams(at < 0 ? "" : url.slice(at + 1)),
    headers,
    body: Buffer.concat(chunks),
    host: headers.host ?? "",
  };
}
