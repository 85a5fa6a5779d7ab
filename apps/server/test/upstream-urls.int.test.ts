// Upstream URLs (issue #9): http or https only, no user name or password in the URL, and — with
// UPSTREAM_ALLOWED_HOSTS — only the listed hosts. The settings API refuses such a URL with a code that names the field
// and changes nothing; a URL stored before the rules changed is refused again when a run starts (the run fails with
// UPSTREAM_URL_NOT_ALLOWED) and by Test connection, without any request to it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.ts";
import { Browser, readJson, startTestServer, startWorker, syncAndWait, type TestServer } from "./harness.ts";

let server: TestServer;
let admin: Browser;
let stopWorker: () => Promise<void>;

beforeAll(async () => {
  server = await startTestServer({
    env: { UPSTREAM_ALLOWED_HOSTS: "127.0.0.1:9, *.corp.example", UPSTREAM_TIMEOUT_MS: "1000" },
  });
  stopWorker = await startWorker(server);
  admin = new Browser(server.url);
  await admin.login();
});
afterAll(async () => {
  await stopWorker?.();
  await server?.close();
});

const put = (body: unknown) => admin.request("PUT", "/api/sup-settings", body);
const row = () => server.db.prisma.supSettings.findUniqueOrThrow({ where: { id: 1 } });

describe("the settings API", () => {
  it.each([
    ["http://user:secret@wsus.corp.example/", "VALIDATION_FAILED"],
    ["http://user@wsus.corp.example/", "VALIDATION_FAILED"],
    ["ftp://wsus.corp.example/", "VALIDATION_FAILED"],
    ["http://wsus.other.example/", "UPSTREAM_URL_NOT_ALLOWED"],
    ["http://corp.example/", "UPSTREAM_URL_NOT_ALLOWED"],
    ["http://127.0.0.1:8530/", "UPSTREAM_URL_NOT_ALLOWED"],
    ["http://127.0.0.1/", "UPSTREAM_URL_NOT_ALLOWED"],
    ["http://[::1]:9/", "UPSTREAM_URL_NOT_ALLOWED"],
  ])("refuses %s with %s naming body.upstreamUrl, changing nothing", async (url, code) => {
    const before = await row();
    const response = await put({ syncSource: "upstream-url", upstreamUrl: url });
    expect(response.status).toBe(400);
    const { error } = await readJson(response);
    expect(error.code).toBe(code);
    expect(error.details.fields[0].field).toBe("body.upstreamUrl");
    expect(await row()).toEqual(before);
  });

  it.each(["https://wsus.corp.example:8531/", "http://WSUS.Corp.Example/", "http://127.0.0.1:9/"])(
    "accepts %s",
    async (url) => {
      const response = await put({ syncSource: "upstream-url", upstreamUrl: url });
      expect(response.status, await response.clone().text()).toBe(200);
      expect((await readJson(response)).upstreamUrl).toBe(url);
    },
  );

  it("refuses to switch back to a stored URL that the rules no longer allow", async () => {
    await server.db.prisma.supSettings.update({
      where: { id: 1 },
      data: { syncSource: "microsoft_update", upstreamUrl: "http://old.example:8530/" },
    });
    const response = await put({ syncSource: "upstream-url" });
    expect(response.status).toBe(400);
    expect((await readJson(response)).error.code).toBe("UPSTREAM_URL_NOT_ALLOWED");
    // Other settings still save.
    expect((await put({ retryMinutes: 45 })).status).toBe(200);
  });

  it("refuses credentials in the proxy URL and in a webhook URL", async () => {
    const proxy = await put({ proxy: { url: "http://user:pass@proxy.corp.example:3128" } });
    expect(proxy.status).toBe(400);
    expect((await readJson(proxy)).error.details.fields[0].field).toBe("body.proxy.url");
    const hook = await admin.request("POST", "/api/notification-subscriptions", {
      kind: "webhook",
      name: "hook",
      targets: ["https://user:pass@hooks.example/x"],
      events: ["sync-failed"],
    });
    expect(hook.status).toBe(400);
    expect((await readJson(hook)).error.details.fields[0].field).toBe("body.targets.0");
  });
});

describe("at run time", () => {
  it.each([
    ["a host not in the list", "http://old.example:8530/"],
    ["credentials in the URL", "http://user:secret@wsus.corp.example/"],
    ["another scheme", "file:///etc/passwd"],
  ])("a stored URL with %s fails the run with UPSTREAM_URL_NOT_ALLOWED", async (_what, url) => {
    await server.db.prisma.supSettings.update({
      where: { id: 1 },
      data: { syncSource: "upstream_url", upstreamUrl: url },
    });
    const { run, log } = await syncAndWait(admin, {}, 30_000);
    expect(run.state).toBe("failed");
    expect(run.errorCode).toBe("UPSTREAM_URL_NOT_ALLOWED");
    expect(log).not.toContain("secret");
    const connection = await readJson(await admin.request("POST", "/api/sup-settings/test-connection", {}));
    expect(connection).toMatchObject({ ok: false, errorCode: "UPSTREAM_URL_NOT_ALLOWED", steps: [] });
  });

  it("a stored proxy URL with credentials is refused too", async () => {
    await server.db.prisma.supSettings.update({
      where: { id: 1 },
      data: { syncSource: "upstream_url", upstreamUrl: "http://127.0.0.1:9/", proxyUrl: "http://u:p@127.0.0.1:3128" },
    });
    const connection = await readJson(await admin.request("POST", "/api/sup-settings/test-connection", {}));
    expect(connection).toMatchObject({ ok: false, errorCode: "UPSTREAM_URL_NOT_ALLOWED" });
    expect(connection.message).toMatch(/proxy/);
    await server.db.prisma.supSettings.update({ where: { id: 1 }, data: { proxyUrl: null } });
  });

  it("an allowed URL is contacted (and here, refused by the network)", async () => {
    await server.db.prisma.supSettings.update({
      where: { id: 1 },
      data: { syncSource: "upstream_url", upstreamUrl: "http://127.0.0.1:9/" },
    });
    const connection = await readJson(await admin.request("POST", "/api/sup-settings/test-connection", {}));
    expect(connection).toMatchObject({ ok: false, errorCode: "UPSTREAM_UNREACHABLE" });
  });
});

describe("UPSTREAM_ALLOWED_HOSTS", () => {
  it("must be host or host:port patterns", () => {
    expect(() => loadConfig({ UPSTREAM_ALLOWED_HOSTS: "http://wsus.example/" })).toThrow(/UPSTREAM_ALLOWED_HOSTS/);
    expect(() => loadConfig({ UPSTREAM_ALLOWED_HOSTS: "wsus.example:99999" })).toThrow(/UPSTREAM_ALLOWED_HOSTS/);
    expect(loadConfig({ UPSTREAM_ALLOWED_HOSTS: "wsus.example:8531, *.corp.example" }).UPSTREAM_ALLOWED_HOSTS).toBe(
      "wsus.example:8531, *.corp.example",
    );
  });
});
