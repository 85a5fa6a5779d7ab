import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser, startTestServer, TEST_ADMIN_PASSWORD, type TestServer, readJson } from "./harness.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ env: { SESSION_IDLE_MINUTES: "1" } });
});
afterAll(() => server.close());

describe("sign-in", () => {
  it("signs in, sets an httpOnly SameSite=Lax cookie and returns the user", async () => {
    const browser = new Browser(server.url);
    const response = await browser.login();
    expect(response.status).toBe(200);
    expect(await readJson(response)).toEqual({
      username: "admin",
      role: "full-administrator",
      permissions: expect.arrayContaining(["read", "sync.run", "users.manage"]),
      mustChangePassword: false,
      locale: "en-US",
      localeChosen: false,
    });
    const cookie = response.headers.getSetCookie()[0]!;
    expect(cookie).toMatch(/^syncpoint_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Lax");
    expect(cookie).not.toContain("Secure"); // plain HTTP here; Secure under HTTPS

    const me = await browser.request("GET", "/api/auth/me");
    expect(me.status).toBe(200);
    expect((await readJson(me)).username).toBe("admin");
  });

  it("stores only a hash of the session token", async () => {
    const browser = new Browser(server.url);
    await browser.login();
    const token = browser.sessionCookie!.split("=")[1]!;
    const sessions = await server.db.prisma.session.findMany();
    expect(sessions.length).toBeGreaterThan(0);
    expect(sessions.some((s) => s.id === token)).toBe(false);
  });

  it("answers a wrong password and an unknown user the same way", async () => {
    const wrong = await new Browser(server.url).login("admin", "not the password");
    const unknown = await new Browser(server.url).login("nobody", TEST_ADMIN_PASSWORD);
    for (const response of [wrong, unknown]) {
      expect(response.status).toBe(401);
      expect(response.headers.getSetCookie()).toEqual([]);
      expect(await readJson(response)).toEqual({
        error: { code: "INVALID_CREDENTIALS", message: "The user name or password is incorrect." },
      });
    }
  });

  it("names the missing field", async () => {
    const response = await new Browser(server.url).request("POST", "/api/auth/login", { username: "admin" });
    expect(response.status).toBe(400);
    const body = await readJson(response);
    expect(body.error.code).toBe("VALIDATION_FAILED");
    expect(body.error.message).toMatch(/^body\.password: /);
    expect(body.error.details.fields).toEqual([
      { field: "body.password", message: expect.any(String), code: "required" },
    ]);
  });

  it("answers 401 to /me without a session, and with a forged cookie", async () => {
    const anonymous = await new Browser(server.url).request("GET", "/api/auth/me");
    expect(anonymous.status).toBe(401);
    expect((await readJson(anonymous)).error.code).toBe("UNAUTHENTICATED");
    const forged = await new Browser(server.url).request("GET", "/api/auth/me", undefined, {
      cookie: "syncpoint_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    });
    expect(forged.status).toBe(401);
  });

  it("logs out: the cookie is cleared and the session no longer works", async () => {
    const browser = new Browser(server.url);
    await browser.login();
    const cookie = browser.sessionCookie!;
    const logout = await browser.request("POST", "/api/auth/logout", {});
    expect(logout.status).toBe(204);
    expect(logout.headers.getSetCookie()[0]).toMatch(/^syncpoint_session=;/);
    const replay = await new Browser(server.url).request("GET", "/api/auth/me", undefined, { cookie });
    expect(replay.status).toBe(401);
  });

  it("ends a session that was idle longer than the idle timeout", async () => {
    const browser = new Browser(server.url);
    await browser.login();
    await server.db.prisma.session.updateMany({ data: { lastSeenAt: new Date(Date.now() - 2 * 60_000) } });
    expect((await browser.request("GET", "/api/auth/me")).status).toBe(401);
    const token = browser.sessionCookie!.split("=")[1]!;
    const id = createHash("sha256").update(token).digest("hex");
    expect(await server.db.prisma.session.findUnique({ where: { id } })).toBeNull();
  });

  it("ends a session past its absolute end, however active", async () => {
    const browser = new Browser(server.url);
    await browser.login();
    await server.db.prisma.session.updateMany({ data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await browser.request("GET", "/api/auth/me")).status).toBe(401);
  });
});

describe("request rules every route shares", () => {
  it("refuses a mutation that is not JSON (a cross-site form cannot send JSON)", async () => {
    const response = await fetch(`${server.url}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: JSON.stringify({ username: "admin", password: TEST_ADMIN_PASSWORD }),
    });
    expect(response.status).toBe(415);
    expect((await readJson(response)).error.code).toBe("UNSUPPORTED_MEDIA_TYPE");
  });

  it("refuses a mutation from another origin", async () => {
    const response = await new Browser(server.url).request(
      "POST",
      "/api/auth/login",
      { username: "admin", password: TEST_ADMIN_PASSWORD },
      { origin: "https://evil.example" },
    );
    expect(response.status).toBe(403);
    expect((await readJson(response)).error.code).toBe("FORBIDDEN");
  });

  it("accepts a mutation from its own origin", async () => {
    const response = await new Browser(server.url).request(
      "POST",
      "/api/auth/login",
      { username: "admin", password: TEST_ADMIN_PASSWORD },
      { origin: server.url },
    );
    expect(response.status).toBe(200);
  });

  it("answers malformed JSON with a 400 naming the body", async () => {
    const response = await new Browser(server.url).request("POST", "/api/auth/login", '{"username": ');
    expect(response.status).toBe(400);
    expect(await readJson(response)).toMatchObject({
      error: { code: "VALIDATION_FAILED", message: "body: the JSON is malformed." },
    });
  });

  it("refuses a body over the size limit with 413", async () => {
    const response = await new Browser(server.url).request("POST", "/api/auth/login", {
      username: "admin",
      password: "x".repeat(2 * 1024 * 1024),
    });
    expect(response.status).toBe(413);
    expect((await readJson(response)).error.code).toBe("PAYLOAD_TOO_LARGE");
  });

  it("answers an unknown API path with a 404 envelope", async () => {
    const response = await fetch(`${server.url}/api/no-such-thing`);
    expect(response.status).toBe(404);
    expect((await readJson(response)).error.code).toBe("NOT_FOUND");
  });

  it("gives every response a request id", async () => {
    const response = await fetch(`${server.url}/api/health/live`, { headers: { "x-request-id": "trace-123" } });
    expect(response.headers.get("x-request-id")).toBe("trace-123");
    const generated = await fetch(`${server.url}/api/health/live`, {
      headers: { "x-request-id": "bad id with spaces" },
    });
    expect(generated.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("the console language", () => {
  it("is remembered per user once chosen, and a language the console lacks changes nothing", async () => {
    const browser = new Browser(server.url);
    await browser.login();
    const refused = await browser.request("PUT", "/api/auth/locale", { locale: "fr-FR" });
    expect(refused.status).toBe(400);
    expect((await readJson(refused)).error.message).toMatch(/^body\.locale: the console's languages are en-US, sv-SE/);
    expect((await server.db.prisma.user.findUnique({ where: { username: "admin" } }))?.locale).toBeNull();

    const chosen = await browser.request("PUT", "/api/auth/locale", { locale: "de-DE" });
    expect(chosen.status).toBe(200);
    expect(await readJson(chosen)).toMatchObject({ locale: "de-DE", localeChosen: true });
    // Another browser, another session: the same language.
    const other = new Browser(server.url);
    expect(await readJson(await other.login())).toMatchObject({ locale: "de-DE", localeChosen: true });
    expect(await readJson(await other.request("GET", "/api/auth/me"))).toMatchObject({ locale: "de-DE" });

    const back = await browser.request("PUT", "/api/auth/locale", { locale: "en-US" });
    expect(await readJson(back)).toMatchObject({ locale: "en-US", localeChosen: true });
  });
});
