import http from "node:http";
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { startHttpProxy, startTcpProxy, type Proxy } from "./proxy.ts";

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/** A backend answering with its name, the forwarding headers it got and the request body; upgrades echo bytes. */
async function backend(name: string): Promise<{ port: number; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      res.setHeader("set-cookie", ["a=1", "b=2"]);
      res.end(
        JSON.stringify({
          name,
          body,
          host: req.headers.host,
          forwardedFor: req.headers["x-forwarded-for"],
          proto: req.headers["x-forwarded-proto"],
        }),
      );
    });
  });
  server.on("upgrade", (req, socket) => {
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: test\r\nConnection: Upgrade\r\nX-Name: ${name}\r\n\r\n`);
    socket.on("data", (data: Buffer) => socket.write(`${name}:${data.toString()}`));
    socket.on("end", () => socket.end());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  closers.push(close);
  return { port: (server.address() as net.AddressInfo).port, close };
}

async function proxyOver(ports: number[]): Promise<Proxy> {
  const proxy = await startHttpProxy({ port: 0, host: "127.0.0.1" });
  proxy.setTargets(ports);
  closers.push(() => proxy.close());
  return proxy;
}

const get = async (proxy: Proxy, path = "/", init: RequestInit = {}) => {
  const response = await fetch(`http://127.0.0.1:${proxy.port}${path}`, init);
  // What the test back ends answer: which one (name) and what they saw of the request.
  const body = (await response.json()) as {
    name: string;
    body: string;
    host: string;
    proto: string;
    forwardedFor: string;
  };
  return { status: response.status, cookies: response.headers.getSetCookie(), body };
};

describe("the cluster's reverse proxy", () => {
  it("spreads requests round-robin and sets the forwarding headers, keeping Host and every Set-Cookie", async () => {
    const [a, b] = [await backend("a"), await backend("b")];
    const proxy = await proxyOver([a.port, b.port]);
    const names = [];
    for (let i = 0; i < 4; i++) names.push((await get(proxy)).body.name);
    expect(names).toEqual(["a", "b", "a", "b"]);
    const answer = await get(proxy, "/x", { method: "POST", body: "hello", headers: { "x-forwarded-proto": "https" } });
    expect(answer.body).toMatchObject({ body: "hello", host: `127.0.0.1:${proxy.port}`, proto: "http" });
    expect(answer.body.forwardedFor).toMatch(/127\.0\.0\.1/);
    expect(answer.cookies).toEqual(["a=1", "b=2"]);
  });

  it("skips a process that refuses connections, even for a request with a body", async () => {
    const [a, b] = [await backend("a"), await backend("b")];
    const proxy = await proxyOver([a.port, b.port]);
    await b.close();
    for (let i = 0; i < 3; i++) {
      expect((await get(proxy, "/", { method: "POST", body: `n${i}` })).body).toMatchObject({
        name: "a",
        body: `n${i}`,
      });
    }
    await a.close();
    expect((await get(proxy)).status).toBe(502);
  });

  it("answers 503 before it has targets", async () => {
    expect((await get(await proxyOver([]))).status).toBe(503);
  });

  it("keeps socket.io long-polling on one process and passes WebSocket upgrades through", async () => {
    const [a, b] = [await backend("a"), await backend("b")];
    const proxy = await proxyOver([a.port, b.port]);
    const polled = new Set<string>();
    for (let i = 0; i < 4; i++) polled.add((await get(proxy, "/socket.io/?EIO=4&transport=polling")).body.name);
    expect(polled.size).toBe(1);

    const socket = net.connect(proxy.port, "127.0.0.1");
    let received = "";
    socket.on("data", (d: Buffer) => (received += d.toString()));
    await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
    socket.write(
      "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: console\r\nConnection: Upgrade\r\nUpgrade: test\r\n\r\n",
    );
    await expect.poll(() => received).toMatch(/^HTTP\/1.1 101 Switching Protocols\r\n[\s\S]*X-Name: [ab]\r\n\r\n$/);
    socket.write("ping");
    await expect.poll(() => received).toMatch(/[ab]:ping$/);
    socket.destroy();
  });

  it("forwards raw TCP round-robin (the SUP endpoints over SSL)", async () => {
    const echo = (name: string) =>
      new Promise<{ port: number; server: net.Server }>((resolve) => {
        const server = net.createServer((s) => s.on("data", (d: Buffer) => s.end(`${name}:${d.toString()}`)));
        server.listen(0, "127.0.0.1", () => resolve({ port: (server.address() as net.AddressInfo).port, server }));
        closers.push(() => new Promise((r) => server.close(() => r())));
      });
    const [a, b] = [await echo("a"), await echo("b")];
    const proxy = await startTcpProxy({ port: 0, host: "127.0.0.1" });
    closers.push(() => proxy.close());
    proxy.setTargets([a.port, b.port]);
    const say = (text: string) =>
      new Promise<string>((resolve) => {
        const s = net.connect(proxy.port, "127.0.0.1", () => s.write(text));
        let got = "";
        s.on("data", (d: Buffer) => (got += d.toString()));
        s.on("close", () => resolve(got));
      });
    expect([await say("1"), await say("2")]).toEqual(["a:1", "b:2"]);
  });
});
