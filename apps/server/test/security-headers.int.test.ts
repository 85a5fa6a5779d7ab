// Security headers on every answer (issue #9), over real HTTP: the console page and its files, an API answer, an API
// error, 404s inside and outside /api, the SUP SOAP endpoint, /metrics, socket.io's polling transport, a request Node's
// parser refuses — and HSTS only when the request arrived over HTTPS (the SUP TLS port, or X-Forwarded-Proto from a
// proxy on loopback).
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import type { Server } from "node:https";
import { tmpdir } from "node:os";
import path from "node:path";
import { Agent, fetch as undiciFetch } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listenSupTls } from "../src/sup-endpoint/tls.ts";
import { Browser, readJson, startTestServer, type TestServer } from "./harness.ts";

let server: TestServer;
let admin: Browser;
let tls: Server;
let tlsUrl: string;

beforeAll(async () => {
  // A console build of our own, so that the test does not depend on `pnpm --filter @syncpoint/console build`.
  const dist = mkdtempSync(path.join(tmpdir(), "console-dist-"));
  mkdirSync(path.join(dist, "assets"));
  writeFileSync(
    path.join(dist, "index.html"),
    '<!doctype html><html><head><script type="module" src="/assets/app.js"></script></head><body><div id="root"></div></body></html>',
  );
  writeFileSync(path.join(dist, "assets", "app.js"), "console.log('console');\n");
  server = await startTestServer({ serveConsole: true, env: { CONSOLE_DIST: dist } });
  admin = new Browser(server.url);
  await admin.login();

  const dir = mkdtempSync(path.join(tmpdir(), "headers-tls-"));
  const [certFile, keyFile] = [path.join(dir, "cert.pem"), path.join(dir, "key.pem")];
  execFileSync(
    "openssl",
    ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1"].concat([
      "-addext",
      "subjectAltName=IP:127.0.0.1",
      "-keyout",
      keyFile,
      "-out",
      certFile,
    ]),
    { stdio: "ignore" },
  );
  tls = await listenSupTls(server.ctx, { certFile, keyFile, port: 0, host: "127.0.0.1" });
  tlsUrl = `https://127.0.0.1:${(tls.address() as { port: number }).port}`;
});
afterAll(async () => {
  tls?.closeAllConnections();
  tls?.close();
  await server?.close();
});

function expectProtected(response: { headers: Headers }, what: string): void {
  const h = response.headers;
  const csp = h.get("content-security-policy") ?? "";
  expect(csp, what).toMatch(/default-src 'none'|default-src 'self'/);
  expect(csp, what).toContain("frame-ancestors 'none'");
  expect(csp, what).not.toContain("unsafe-inline");
  expect(csp, what).not.toContain("unsafe-eval");
  expect(h.get("x-content-type-options"), what).toBe("nosniff");
  expect(h.get("x-frame-options"), what).toBe("DENY");
  expect(h.get("referrer-policy"), what).toBe("no-referrer");
  expect(h.get("x-powered-by"), what).toBeNull();
}

/** The console's policy: its own scripts and styles only, socket.io on the same host, nothing framing it. */
function directives(response: { headers: Headers }): Map<string, string> {
  const csp = response.headers.get("content-security-policy") ?? "";
  return new Map(
    csp
      .split(";")
      .map((d) => d.trim())
      .filter(Boolean)
      .map((d) => [d.split(/\s+/)[0]!, d.slice(d.indexOf(" ") + 1)]),
  );
}

const expectNoHsts = (response: { headers: Headers }) =>
  expect(response.headers.get("strict-transport-security")).toBeNull();

describe("security headers", () => {
  it("on the console page: a CSP without inline scripts, frame-ancestors 'none', socket.io on the same host", async () => {
    const response = await fetch(`${server.url}/sites/CAS`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<div id="root">');
    expectProtected(response, "console page");
    const csp = directives(response);
    expect(csp.get("default-src")).toBe("'self'");
    expect(csp.get("script-src")).toBe("'self'");
    expect(csp.get("style-src")).toBe("'self'");
    expect(csp.get("object-src")).toBe("'none'");
    expect(csp.get("frame-ancestors")).toBe("'none'");
    const host = new URL(server.url).host;
    expect(csp.get("connect-src")).toBe(`'self' ws://${host} wss://${host}`);
    expectNoHsts(response);
  });

  it("on the console's files, and a 404 in the error envelope for a missing one", async () => {
    const asset = await fetch(`${server.url}/assets/app.js`);
    expect(asset.status).toBe(200);
    expectProtected(asset, "asset");
    const missing = await fetch(`${server.url}/assets/missing.js`);
    expect(missing.status).toBe(404);
    expect((await readJson(missing)).error.code).toBe("NOT_FOUND");
    expectProtected(missing, "missing asset");
    const post = await fetch(`${server.url}/assets/app.js`, { method: "POST" });
    expect(post.status).toBe(405);
    expect((await readJson(post)).error.code).toBe("METHOD_NOT_ALLOWED");
    expectProtected(post, "POST to an asset");
  });

  it("on an API answer, which no cache may keep", async () => {
    const response = await admin.request("GET", "/api/auth/me");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expectProtected(response, "API answer");
    expectNoHsts(response);
  });

  it("on API errors: 401, 400 and a malformed path", async () => {
    const unauthenticated = await fetch(`${server.url}/api/users`);
    expect(unauthenticated.status).toBe(401);
    expectProtected(unauthenticated, "401");
    const invalid = await admin.request("POST", "/api/users", { username: "" });
    expect(invalid.status).toBe(400);
    expectProtected(invalid, "400");
    const malformed = await admin.request("GET", "/api/sync-runs/%E0%A4%A");
    expect(malformed.status).toBe(400);
    expect((await readJson(malformed)).error).toMatchObject({ code: "VALIDATION_FAILED" });
    expectProtected(malformed, "malformed path");
  });

  it("on 404s inside and outside /api", async () => {
    const api = await fetch(`${server.url}/api/no-such-route`);
    expect(api.status).toBe(404);
    expect((await readJson(api)).error.code).toBe("NOT_FOUND");
    expectProtected(api, "API 404");
    const outside = await fetch(`${server.url}/no-such-thing`, { method: "POST" });
    expect(outside.status).toBe(404);
    expect((await readJson(outside)).error.code).toBe("NOT_FOUND");
    expectProtected(outside, "404 outside /api");
  });

  it("on the SUP SOAP endpoint, faults included", async () => {
    const response = await fetch(`${server.url}/sup/CAS/ServerSyncWebService/ServerSyncWebService.asmx`, {
      method: "POST",
      headers: { "content-type": "text/xml; charset=utf-8" },
      body: "<not-soap/>",
    });
    expect(response.status).toBe(500);
    expect(response.headers.get("content-type")).toMatch(/xml/);
    expect(await response.text()).toContain("Fault");
    expectProtected(response, "SOAP fault");
    expectNoHsts(response);
  });

  it("on /metrics", async () => {
    const response = await fetch(`${server.url}/metrics`);
    expect(response.status).toBe(200);
    expectProtected(response, "/metrics");
  });

  it("on socket.io's polling transport", async () => {
    const response = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`, {
      headers: { cookie: admin.sessionCookie! },
    });
    expect(response.status).toBe(200);
    expectProtected(response, "socket.io polling");
  });

  it("on a request Node's parser refuses (a URL over the header limit): 431 in the error envelope", async () => {
    const response = await fetch(`${server.url}/api/software-updates?search=${"x".repeat(20_000)}`);
    expect(response.status).toBe(431);
    expect((await readJson(response)).error.code).toBe("BAD_REQUEST");
    expectProtected(response, "431");
  });
});

describe("HSTS", () => {
  it("is sent when a proxy on loopback says the request came over HTTPS, not over plain HTTP", async () => {
    const proxied = await fetch(`${server.url}/api/health/live`, { headers: { "x-forwarded-proto": "https" } });
    expect(proxied.headers.get("strict-transport-security")).toBe("max-age=15552000");
    const polling = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`, {
      headers: { cookie: admin.sessionCookie!, "x-forwarded-proto": "https" },
    });
    expect(polling.headers.get("strict-transport-security")).toBe("max-age=15552000");
    expectNoHsts(await fetch(`${server.url}/api/health/live`));
    expectNoHsts(await fetch(`${server.url}/api/health/live`, { headers: { "x-forwarded-proto": "http" } }));
  });

  it("is sent on the SUP TLS port, with the other headers", async () => {
    const dispatcher = new Agent({ connect: { rejectUnauthorized: false } });
    try {
      const response = await undiciFetch(`${tlsUrl}/sup/CAS/ServerSyncWebService/ServerSyncWebService.asmx`, {
        method: "POST",
        headers: { "content-type": "text/xml; charset=utf-8" },
        body: "<not-soap/>",
        dispatcher,
      });
      expect(response.status).toBe(500);
      expect(response.headers.get("strict-transport-security")).toBe("max-age=15552000");
      expectProtected(response as unknown as Response, "SOAP over TLS");
      const notFound = await undiciFetch(`${tlsUrl}/sites`, { dispatcher });
      expect(notFound.status).toBe(404);
      expect(notFound.headers.get("strict-transport-security")).toBe("max-age=15552000");
    } finally {
      await dispatcher.close();
    }
  });
});
