// The small reverse proxy `pnpm start:cluster` puts in front of its API processes (a stand-in for any HTTP load
// balancer with WebSocket support): requests and WebSocket upgrades go round-robin to the API processes; a process
// that refuses connections is skipped for a while. The console's socket.io client uses the WebSocket transport only,
// so one upgraded connection stays on one process and needs no sticky session; socket.io's long-polling (other
// clients) is kept on one process by hashing the client's address. It sets X-Forwarded-For/-Proto/-Host, which the
// API trusts from a loopback proxy (app.ts `trust proxy`). `startTcpProxy` does the same for raw TCP (the SUP
// endpoints over SSL, passed through encrypted).
import { createHash } from "node:crypto";
import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import net, { type Socket } from "node:net";
import type { Duplex } from "node:stream";

/** How long a process that refused a connection is left out of the rotation (ms). */
const DOWN_FOR_MS = 2_000;
const TARGET_HOST = "127.0.0.1";
/** Hop-by-hop headers (RFC 9110 §7.6.1) are not forwarded; X-Forwarded-* are ours to set. */
const NOT_FORWARDED = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "proxy-authorization",
  "upgrade",
  "x-forwarded-for",
  "x-forwarded-proto",
  "x-forwarded-host",
]);

export interface Proxy {
  port: number;
  /** The internal ports of the processes behind it; until set, every request gets a 503. */
  setTargets(ports: readonly number[]): void;
  /** Stops listening and cuts every connection, upgraded ones included. */
  close(): Promise<void>;
}

/** Round-robin over the targets, skipping those recently found down (unless all are). */
class Rotation {
  private ports: readonly number[] = [];
  private next = 0;
  private readonly downUntil = new Map<number, number>();

  set(ports: readonly number[]): void {
    this.ports = [...ports];
    this.downUntil.clear();
  }

  get size(): number {
    return this.ports.length;
  }

  private up(): number[] {
    const now = Date.now();
    const up = this.ports.filter((p) => (this.downUntil.get(p) ?? 0) <= now);
    return up.length > 0 ? up : [...this.ports];
  }

  /** The next target, or — with `key` — always the same one for the same key while the targets stay up. */
  pick(key?: string): number | undefined {
    const up = this.up();
    if (up.length === 0) return undefined;
    if (key !== undefined) return up[createHash("sha1").update(key).digest().readUInt32BE(0) % up.length];
    return up[this.next++ % up.length];
  }

  down(port: number): void {
    this.downUntil.set(port, Date.now() + DOWN_FOR_MS);
  }
}

const refused = (error: NodeJS.ErrnoException) => error.code === "ECONNREFUSED";

function forwardedHeaders(req: IncomingMessage, headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const named = new Set((String(headers.connection ?? "").match(/[^\s,]+/g) ?? []).map((h) => h.toLowerCase()));
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || NOT_FORWARDED.has(name) || named.has(name)) continue;
    out[name] = value;
  }
  const prior = req.headers["x-forwarded-for"];
  const client = req.socket.remoteAddress ?? "";
  out["x-forwarded-for"] = prior ? `${String(prior)}, ${client}` : client;
  out["x-forwarded-proto"] = "http";
  if (req.headers.host) out["x-forwarded-host"] = req.headers.host;
  return out;
}

/**
 * socket.io's long-polling needs every request of a session on one process: such requests (and the upgrade of a
 * polling session, which names its `sid`) are placed by the client's address. A WebSocket-only connection is one
 * request: round-robin.
 */
function stickyKey(req: IncomingMessage): string | undefined {
  const url = req.url ?? "";
  if (!url.startsWith("/socket.io/")) return undefined;
  const query = new URLSearchParams(url.slice(url.indexOf("?") + 1));
  if (query.get("transport") === "polling" || query.has("sid")) return req.socket.remoteAddress ?? "";
  return undefined;
}

function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify({ error: { code, message } });
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(body),
  });
  res.end(body);
}

export async function startHttpProxy(options: { port: number; host: string }): Promise<Proxy> {
  const rotation = new Rotation();
  // Idle connections are dropped before the API's keep-alive timeout (5 s) would close them under a new request.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256, timeout: 4_000 });
  const upgraded = new Set<Duplex>();

  const forward = (req: IncomingMessage, res: ServerResponse, tried: Set<number>) => {
    const target = rotation.pick(stickyKey(req));
    if (target === undefined) return sendError(res, 503, "SERVICE_UNAVAILABLE", "No API process is running yet.");
    const upstream = http.request({
      host: TARGET_HOST,
      port: target,
      method: req.method,
      path: req.url,
      headers: forwardedHeaders(req, req.headers),
      agent,
    });
    // The body is sent once the connection is up: a refused connection has consumed nothing, so the next process
    // can take the request.
    upstream.once("socket", (socket: Socket) => {
      if (socket.connecting) socket.once("connect", () => req.pipe(upstream));
      else req.pipe(upstream);
    });
    upstream.on("response", (answer) => {
      const headers: Record<string, string | string[]> = {};
      for (const [name, value] of Object.entries(answer.headers)) {
        if (value !== undefined && name !== "connection" && name !== "keep-alive") headers[name] = value;
      }
      res.writeHead(answer.statusCode ?? 502, answer.statusMessage, headers);
      answer.pipe(res);
      answer.on("error", () => res.destroy());
    });
    upstream.on("error", (error: NodeJS.ErrnoException) => {
      if (refused(error)) {
        rotation.down(target);
        tried.add(target);
        if (tried.size < rotation.size) return forward(req, res, tried);
      }
      sendError(res, 502, "BAD_GATEWAY", "The API process did not answer.");
    });
    res.on("close", () => {
      if (!res.writableFinished) upstream.destroy();
    });
  };

  const forwardUpgrade = (req: IncomingMessage, client: Duplex, head: Buffer, tried: Set<number>) => {
    const target = rotation.pick(stickyKey(req));
    if (target === undefined) {
      client.end("HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
      return;
    }
    const upstream = net.connect(target, TARGET_HOST);
    let connected = false;
    upstream.once("connect", () => {
      connected = true;
      upgraded.add(upstream).add(client);
      const headers = forwardedHeaders(req, req.headers);
      // An upgrade keeps its Connection and Upgrade headers.
      headers.connection = "Upgrade";
      if (req.headers.upgrade) headers.upgrade = req.headers.upgrade;
      const lines = [`${req.method} ${req.url} HTTP/${req.httpVersion}`];
      for (const [name, value] of Object.entries(headers)) {
        for (const v of Array.isArray(value) ? value : [value]) lines.push(`${name}: ${v}`);
      }
      upstream.write(`${lines.join("\r\n")}\r\n\r\n`);
      if (head.length > 0) upstream.write(head);
      client.pipe(upstream).pipe(client);
    });
    upstream.on("error", (error: NodeJS.ErrnoException) => {
      if (!connected && refused(error)) {
        rotation.down(target);
        tried.add(target);
        if (tried.size < rotation.size) return forwardUpgrade(req, client, head, tried);
      }
      client.destroy();
    });
    client.on("error", () => upstream.destroy());
    upstream.on("close", () => {
      upgraded.delete(upstream);
      client.destroy();
    });
    client.on("close", () => {
      upgraded.delete(client);
      upstream.destroy();
    });
  };

  const server = http.createServer((req, res) => forward(req, res, new Set()));
  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) =>
    forwardUpgrade(req, socket, head, new Set()),
  );
  server.on("clientError", (_error, socket: Duplex) => {
    if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
    else socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return {
    port: (server.address() as net.AddressInfo).port,
    setTargets: (ports) => rotation.set(ports),
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      for (const socket of upgraded) socket.destroy();
      agent.destroy();
      await closed;
    },
  };
}

/** Raw TCP round-robin (TLS passes through: each process presents its own certificate). */
export async function startTcpProxy(options: { port: number; host: string }): Promise<Proxy> {
  const rotation = new Rotation();
  const open = new Set<Socket>();
  const connect = (client: Socket, tried: Set<number>) => {
    const target = rotation.pick();
    if (target === undefined) return client.destroy();
    const upstream = net.connect(target, TARGET_HOST);
    let connected = false;
    upstream.once("connect", () => {
      connected = true;
      open.add(upstream);
      client.pipe(upstream).pipe(client);
      client.resume();
    });
    upstream.on("error", (error: NodeJS.ErrnoException) => {
      if (!connected && refused(error)) {
        rotation.down(target);
        tried.add(target);
        if (tried.size < rotation.size) return connect(client, tried);
      }
      client.destroy();
    });
    upstream.on("close", () => {
      open.delete(upstream);
      client.destroy();
    });
    client.on("close", () => upstream.destroy());
  };
  const server = net.createServer({ pauseOnConnect: true }, (client) => {
    open.add(client);
    client.on("error", () => client.destroy());
    client.on("close", () => open.delete(client));
    connect(client, new Set());
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return {
    port: (server.address() as net.AddressInfo).port,
    setTargets: (ports) => rotation.set(ports),
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of open) socket.destroy();
      await closed;
    },
  };
}
