// PUT /api/sup-settings (the Software Update Point Component Properties): validation that names the field and
// changes nothing, the schedule's next times recomputed on change, write-only encrypted secrets, the pause switch,
// and "Test connection" against the real upstream — healthy, faulted, through a proxy and disconnected.
import { connect, createServer, type Server, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser, readJson, startTestServer, type TestServer } from "./harness.ts";
import { startUpstream, type UpstreamProcess } from "./upstream-process.ts";

let upstream: UpstreamProcess;
let server: TestServer;
let admin: Browser;

beforeAll(async () => {
  upstream = await startUpstream({ UPSTREAM_UPDATES: "100" });
  server = await startTestServer({ env: { MICROSOFT_UPDATE_URL: upstream.url } });
  admin = new Browser(server.url);
  await admin.login();
});
afterAll(async () => {
  await server?.close();
  await upstream?.stop();
});

const put = (body: unknown) => admin.request("PUT", "/api/sup-settings", body);
const settings = async () => readJson(await admin.request("GET", "/api/sup-settings"));
const row = () => server.db.prisma.supSettings.findUniqueOrThrow({ where: { id: 1 } });

describe("PUT /api/sup-settings", () => {
  it("has ConfigMgr's defaults: every 7 days, alert on failure, retry after 60 minutes", async () => {
    const s = await settings();
    expect(s).toMatchObject({
      scheduleEnabled: true,
      schedule: { kind: "simple", every: 7, unit: "days" },
      syncFailureAlert: true,
      retryMinutes: 60,
      schedulesPaused: false,
      proxy: null,
      smtp: null,
    });
  });

  it.each([
    [{ schedule: { kind: "simple", every: 40, unit: "days", timeZone: "UTC" } }, "body.schedule"],
    [{ schedule: { kind: "monthly", week: 2, dayOfWeek: 2, time: "25:00", timeZone: "UTC" } }, "body.schedule"],
    [{ schedule: { kind: "weekly", dayOfWeek: 2, time: "02:00", timeZone: "Mars/Olympus" } }, "body.schedule"],
    [{ syncSource: "upstream-url", upstreamUrl: null }, "body.upstreamUrl"],
    [{ upstreamCaBundle: "not a certificate" }, "body.upstreamCaBundle"],
    [{ retryMinutes: 0 }, "body.retryMinutes"],
    [{ proxy: { url: "ftp://proxy" } }, "body.proxy.url"],
    [{ products: ["not-a-guid"] }, "body.products.0"],
    [{ maintenance: { removeObsoleteRevisions: "yes" } }, "body.maintenance.removeObsoleteRevisions"],
    [{ maintenance: { removeObsoleteRevisions: true, declineExpiredUpdates: true } }, "body.maintenance"],
    [{ maintenance: {} }, "body.maintenance.removeObsoleteRevisions"],
    [{ unknownSetting: true }, "body"],
    [{}, "body"],
  ])("refuses %j with 400 naming %s, changing nothing", async (body, field) => {
    const before = await row();
    const response = await put(body);
    expect(response.status).toBe(400);
    const error = (await readJson(response)).error;
    expect(error.code).toBe("VALIDATION_FAILED");
    expect(JSON.stringify(error.details)).toContain(field);
    expect(await row()).toEqual(before);
  });

  it("a new schedule gets its next times at once, in its time zone (second Tuesday at 02:00 Berlin)", async () => {
    const response = await put({
      schedule: { kind: "monthly", week: 2, dayOfWeek: 2, time: "02:00", timeZone: "Europe/Berlin" },
    });
    expect(response.status).toBe(200);
    const s = await readJson(response);
    expect(s.upcomingSyncs).toHaveLength(5);
    expect(s.nextSyncAt).toBe(s.upcomingSyncs[0]);
    for (const time of s.upcomingSyncs) {
      const local = new Date(time).toLocaleString("en-GB", {
        timeZone: "Europe/Berlin",
        weekday: "short",
        hour: "2-digit",
        minute: "2-digit",
        day: "numeric",
      });
      expect(local).toMatch(/^Tue \d+, 02:00$/);
      const day = Number(/\d+/.exec(local)![0]);
      expect(day).toBeGreaterThanOrEqual(8);
      expect(day).toBeLessThanOrEqual(14);
    }
    expect(new Date(s.nextSyncAt).getTime()).toBeGreaterThan(Date.now());
    expect((await row()).nextSyncAt?.toISOString()).toBe(s.nextSyncAt);
  });

  it("turning the schedule off clears the next time; a simple schedule counts from when it was saved", async () => {
    expect((await readJson(await put({ scheduleEnabled: false }))).nextSyncAt).toBeNull();
    const saved = Date.now();
    const s = await readJson(
      await put({ scheduleEnabled: true, schedule: { kind: "simple", every: 6, unit: "hours", timeZone: "UTC" } }),
    );
    expect(Math.abs(new Date(s.nextSyncAt).getTime() - (saved + 6 * 3_600_000))).toBeLessThan(5_000);
    expect(s.schedule.startAt).toBeDefined();
  });

  it("previews a schedule's next times as saving it would give them, without storing anything", async () => {
    const preview = (query: string) => admin.request("GET", `/api/sup-settings/schedule-preview?${query}`);
    const monthly = { kind: "monthly", week: 2, dayOfWeek: 2, time: "02:00", timeZone: "Europe/Berlin" };
    const before = await row();
    const response = await preview(`schedule=${encodeURIComponent(JSON.stringify(monthly))}&count=3`);
    expect(response.status).toBe(200);
    const { times } = await readJson(response);
    expect(times).toHaveLength(3);
    expect(await row()).toEqual(before);
    // What a save of the same schedule then lists.
    const saved = await readJson(await put({ scheduleEnabled: true, schedule: monthly }));
    expect(saved.upcomingSyncs.slice(0, 3)).toEqual(times);

    // A simple schedule without a start counts from now, as when it is saved.
    const asked = Date.now();
    const simple = await readJson(
      await preview(
        `schedule=${encodeURIComponent(JSON.stringify({ kind: "simple", every: 6, unit: "hours", timeZone: "UTC" }))}`,
      ),
    );
    expect(simple.times).toHaveLength(5);
    expect(Math.abs(new Date(simple.times[0]).getTime() - (asked + 6 * 3_600_000))).toBeLessThan(5_000);
    expect(new Date(simple.times[1]).getTime() - new Date(simple.times[0]).getTime()).toBe(6 * 3_600_000);
  });

  it.each([
    ["schedule=not-json", "query.schedule"],
    [
      `schedule=${encodeURIComponent(JSON.stringify({ kind: "simple", every: 40, unit: "days", timeZone: "UTC" }))}`,
      "query.schedule.every",
    ],
    [
      `schedule=${encodeURIComponent(JSON.stringify({ kind: "weekly", dayOfWeek: 2, time: "02:00", timeZone: "Mars/Olympus" }))}`,
      "query.schedule.timeZone",
    ],
    [
      `schedule=${encodeURIComponent(JSON.stringify({ kind: "monthly", week: 2, dayOfWeek: 2, time: "02:00", timeZone: "UTC" }))}&count=11`,
      "query.count",
    ],
    ["count=3", "query.schedule"],
  ])("refuses a preview of %s with 400 naming %s", async (query, field) => {
    const response = await admin.request("GET", `/api/sup-settings/schedule-preview?${query}`);
    expect(response.status).toBe(400);
    const error = (await readJson(response)).error;
    expect(error.code).toBe("VALIDATION_FAILED");
    expect(error.details.fields.map((f: { field: string }) => f.field)).toContain(field);
  });

  it("WSUS Maintenance is off by default, as in ConfigMgr, and stored and audited when changed", async () => {
    expect((await settings()).maintenance).toEqual({ removeObsoleteRevisions: false });
    const on = await readJson(await put({ maintenance: { removeObsoleteRevisions: true } }));
    expect(on.maintenance).toEqual({ removeObsoleteRevisions: true });
    expect((await row()).removeObsoleteRevisions).toBe(true);
    const audit = await readJson(await admin.request("GET", "/api/audit?action=sup-settings.update"));
    expect(audit.items[0]).toMatchObject({
      before: { maintenance: { removeObsoleteRevisions: false } },
      after: { maintenance: { removeObsoleteRevisions: true } },
    });
    await put({ maintenance: { removeObsoleteRevisions: false } });
    expect((await row()).removeObsoleteRevisions).toBe(false);
  });

  it("stores proxy and SMTP passwords encrypted and never returns or audits them", async () => {
    const response = await put({
      proxy: { url: "http://proxy.corp.contoso.com:8080", username: "svc-sup", password: "Pr0xy-S3cret!" },
      smtp: {
        host: "smtp.contoso.com",
        port: 587,
        secure: false,
        username: "mailer",
        password: "M@il-S3cret!",
        from: "sup@contoso.com",
      },
    });
    expect(response.status).toBe(200);
    const text = JSON.stringify(await readJson(response));
    expect(text).not.toContain("S3cret");
    expect(JSON.parse(text)).toMatchObject({
      proxy: { url: "http://proxy.corp.contoso.com:8080", username: "svc-sup", hasPassword: true },
      smtp: { host: "smtp.contoso.com", hasPassword: true, from: "sup@contoso.com" },
    });
    const stored = await row();
    expect(stored.proxyPasswordEncrypted).toMatch(/^v1:/);
    expect(server.ctx.secrets.decrypt(stored.proxyPasswordEncrypted!)).toBe("Pr0xy-S3cret!");
    const audit = await readJson(await admin.request("GET", "/api/audit?action=sup-settings.update"));
    expect(JSON.stringify(audit)).not.toContain("S3cret");
    // Omitting the password keeps it; null clears the whole group.
    await put({ proxy: { url: "http://proxy2.corp.contoso.com:8080" } });
    expect((await row()).proxyPasswordEncrypted).toBe(stored.proxyPasswordEncrypted);
    expect((await readJson(await put({ proxy: null, smtp: null }))).proxy).toBeNull();
    expect((await row()).proxyPasswordEncrypted).toBeNull();
  });

  it("pausing all schedules records who and when; saving the products marks new ones as reviewed", async () => {
    const paused = await readJson(await put({ schedulesPaused: true }));
    expect(paused).toMatchObject({ schedulesPaused: true, schedulesPausedBy: "admin" });
    expect(paused.schedulesPausedAt).not.toBeNull();
    expect((await readJson(await put({ schedulesPaused: false }))).schedulesPausedAt).toBeNull();

    await server.db.prisma.category.create({
      data: {
        id: "0f8e0f3a-1d4b-4f6e-9d6a-8a8e9d1c2b3a",
        revisionNumber: 1,
        categoryType: "Product",
        title: "New",
        parentIds: [],
        isNew: true,
      },
    });
    const { products } = await settings();
    expect((await put({ products })).status).toBe(200);
    expect(await server.db.prisma.category.count({ where: { isNew: true } })).toBe(0);
  });

  it("a read-only analyst may read but not change the settings", async () => {
    const hash = (await server.db.prisma.user.findFirstOrThrow({ where: { username: "admin" } })).passwordHash;
    await server.db.prisma.user.create({
      data: { username: "analyst", role: "read_only_analyst", passwordHash: hash, mustChangePassword: false },
    });
    const analyst = new Browser(server.url);
    await analyst.login("analyst");
    expect((await analyst.request("GET", "/api/sup-settings")).status).toBe(200);
    expect((await analyst.request("PUT", "/api/sup-settings", { retryMinutes: 5 })).status).toBe(403);
  });
});

describe("Test connection", () => {
  const test = async () => {
    const response = await admin.request("POST", "/api/sup-settings/test-connection", {});
    expect(response.status).toBe(200);
    return readJson(response);
  };

  it("runs the authorization chain and GetConfigData against the upstream", async () => {
    const result = await test();
    expect(result).toMatchObject({ ok: true, url: upstream.url, errorCode: null, protocolVersion: "1.20" });
    expect(result.steps.map((s: { step: string; ok: boolean }) => [s.step, s.ok])).toEqual([
      ["GetAuthConfig", true],
      ["GetAuthorizationCookie", true],
      ["GetCookie", true],
      ["GetConfigData", true],
    ]);
    expect(result.message).toContain("Connected to");
  });

  it("says which step failed and why when the upstream faults", async () => {
    await upstream.admin("POST", "/admin/faults", { operation: "GetConfigData", kind: "http-5xx", rate: 1 });
    try {
      const result = await test();
      expect(result).toMatchObject({ ok: false, errorCode: "UPSTREAM_HTTP_ERROR" });
      expect(result.steps.at(-1)).toMatchObject({ step: "GetConfigData", ok: false });
      expect(result.message).toMatch(/^GetConfigData failed: .*HTTP 5\d\d/);
    } finally {
      await upstream.admin("DELETE", "/admin/faults");
    }
  });

  it("goes through the configured proxy with its credentials, and says so when the proxy is down", async () => {
    const proxy = await startConnectProxy();
    try {
      await put({ proxy: { url: `http://127.0.0.1:${proxy.port}`, username: "svc-sup", password: "proxy pass" } });
      const result = await test();
      expect(result.ok).toBe(true);
      expect(proxy.tunnels).toContain(new URL(upstream.url).host);
      expect(proxy.credentials).toContain(`Basic ${Buffer.from("svc-sup:proxy pass").toString("base64")}`);
    } finally {
      await proxy.close();
    }
    const down = await test();
    expect(down).toMatchObject({ ok: false, errorCode: "UPSTREAM_UNREACHABLE" });
    expect(down.message).toMatch(/^GetAuthConfig failed:/);
    await put({ proxy: null });
  });

  it("explains a source set not to synchronize", async () => {
    await put({ syncSource: "disconnected" });
    const result = await test();
    expect(result).toMatchObject({ ok: false, errorCode: "SYNC_SOURCE_DISCONNECTED", steps: [] });
    await put({ syncSource: "microsoft-update" });
  });
});

/** A minimal HTTP CONNECT proxy that records the tunnels it opened and the credentials it was given. */
async function startConnectProxy(): Promise<{
  port: number;
  tunnels: string[];
  credentials: string[];
  close(): Promise<void>;
}> {
  const tunnels: string[] = [];
  const credentials: string[] = [];
  const sockets = new Set<Socket>();
  const proxy: Server = createServer((client) => {
    sockets.add(client);
    client.once("data", (head) => {
      const text = head.toString("latin1");
      const target = /^CONNECT (\S+) HTTP/.exec(text)?.[1];
      const auth = /^proxy-authorization: (.+)$/im.exec(text)?.[1]?.trim();
      if (auth) credentials.push(auth);
      if (!target) return client.end("HTTP/1.1 405 Method Not Allowed\r\n\r\n");
      tunnels.push(target);
      const [host, port] = target.split(":");
      const upstreamSocket = connect(Number(port), host!, () => {
        client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
        upstreamSocket.pipe(client);
        client.pipe(upstreamSocket);
      });
      sockets.add(upstreamSocket);
      upstreamSocket.on("error", () => client.destroy());
      client.on("error", () => upstreamSocket.destroy());
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  return {
    port: (proxy.address() as { port: number }).port,
    tunnels,
    credentials,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        proxy.close(() => resolve());
      }),
  };
}
