// SSL for the SUP endpoints and a custom CA bundle for upstream TLS (operations issue, "Connections"): a downstream
// trusts a self-signed SUP certificate only through the CA bundle in the settings, and Test connection says what
// failed when it does not.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import type { Server } from "node:https";
import { tmpdir } from "node:os";
import path from "node:path";
import { WsusssClient } from "@syncpoint/wsusss";
import { toSyncError } from "@syncpoint/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listenSupTls } from "../src/sup-endpoint/tls.ts";
import { upstreamFetch } from "../src/sync/upstream-connection.ts";
import { Browser, readJson, startTestServer, type TestServer } from "./harness.ts";

let server: TestServer;
let tls: Server;
let admin: Browser;
let cert: string;
let supUrl: string;

beforeAll(async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "sup-tls-"));
  const [certFile, keyFile] = [path.join(dir, "cert.pem"), path.join(dir, "key.pem")];
  // A self-signed certificate for 127.0.0.1, as an administrator's internal CA would issue one.
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-days",
      "2",
      "-subj",
      "/CN=127.0.0.1",
      "-addext",
      "subjectAltName=IP:127.0.0.1",
      "-keyout",
      keyFile,
      "-out",
      certFile,
    ],
    { stdio: "ignore" },
  );
  cert = readFileSync(certFile, "utf8");
  server = await startTestServer();
  tls = await listenSupTls(server.ctx, { certFile, keyFile, port: 0, host: "127.0.0.1" });
  supUrl = `https://127.0.0.1:${(tls.address() as { port: number }).port}/sup/CAS`;
  admin = new Browser(server.url);
  await admin.login();
});
afterAll(async () => {
  tls?.closeAllConnections();
  tls?.close();
  await server?.close();
});

describe("SSL for the SUP endpoints", () => {
  it("serves MS-WSUSSS over HTTPS; a client trusting the certificate through the CA bundle syncs from it", async () => {
    const through = upstreamFetch(
      { proxyUrl: null, proxyUsername: null, proxyPasswordEncrypted: null, upstreamCaBundle: cert },
      server.ctx.secrets,
    );
    const client = new WsusssClient({ baseUrl: supUrl, fetch: through! });
    await client.authorize();
    const config = await client.getConfigData();
    expect(config.protocolVersion).toBe("1.20");
  });

  it("is refused without the CA bundle: the certificate is not trusted", async () => {
    const client = new WsusssClient({ baseUrl: supUrl, timeoutMs: 5_000 });
    const error = await client.getAuthConfig().then(
      () => undefined,
      (e: unknown) => toSyncError(e, supUrl),
    );
    expect(error?.code).toBe("UPSTREAM_UNREACHABLE");
    expect(error?.message).toMatch(/certificate/i);
  });

  it("serves only the SUP endpoints on the SSL port", async () => {
    const through = upstreamFetch(
      { proxyUrl: null, proxyUsername: null, proxyPasswordEncrypted: null, upstreamCaBundle: cert },
      server.ctx.secrets,
    )!;
    const response = await through(supUrl.replace("/sup/CAS", "/api/health"));
    expect(response.status).toBe(404);
  });

  it("Test connection against an HTTPS upstream uses the CA bundle from the settings", async () => {
    await admin.request("PUT", "/api/sup-settings", {
      syncSource: "upstream-url",
      upstreamUrl: supUrl,
      upstreamCaBundle: null,
    });
    const untrusted = await readJson(await admin.request("POST", "/api/sup-settings/test-connection", {}));
    expect(untrusted).toMatchObject({ ok: false, errorCode: "UPSTREAM_UNREACHABLE", url: supUrl });
    expect(untrusted.message).toMatch(/^GetAuthConfig failed: .*certificate/i);

    expect((await admin.request("PUT", "/api/sup-settings", { upstreamCaBundle: cert })).status).toBe(200);
    const trusted = await readJson(await admin.request("POST", "/api/sup-settings/test-connection", {}));
    expect(trusted).toMatchObject({ ok: true, url: supUrl });
  });
});
