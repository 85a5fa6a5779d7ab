import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser, readJson, startTestServer, TEST_ADMIN_PASSWORD, type TestServer } from "./harness.ts";

let server: TestServer;
beforeAll(async () => {
  // The pinned policy is 10 in 15 minutes for 15 minutes; a threshold of 3 keeps the test short, same code path.
  server = await startTestServer({
    env: { LOCKOUT_THRESHOLD: "3", LOCKOUT_WINDOW_MINUTES: "15", LOCKOUT_MINUTES: "15" },
  });
});
afterAll(() => server.close());

const fromAddress = (address: string) => ({ "x-forwarded-for": address });

describe("sign-in lockout", () => {
  it("locks the user and address pair after the threshold, even for the right password, and audits it", async () => {
    const browser = new Browser(server.url);
    for (let i = 0; i < 3; i++) {
      const r = await browser.request(
        "POST",
        "/api/auth/login",
        { username: "admin", password: "wrong" },
        fromAddress("10.1.1.1"),
      );
      expect(r.status).toBe(401);
    }
    const locked = await browser.request(
      "POST",
      "/api/auth/login",
      { username: "admin", password: TEST_ADMIN_PASSWORD },
      fromAddress("10.1.1.1"),
    );
    expect(locked.status).toBe(429);
    const body = await readJson(locked);
    expect(body.error.code).toBe("LOGIN_LOCKED");
    expect(body.error.message).toMatch(/Try again in 15 minutes\./);
    expect(body.error.details.retryAfterSeconds).toBeGreaterThan(14 * 60);

    const audit = await server.db.prisma.auditEvent.findMany({
      where: { action: "auth.login" },
      orderBy: { id: "asc" },
    });
    expect(audit.map((a) => [a.actorUsername, a.outcome, a.errorCode])).toEqual([
      ["admin", "failure", "INVALID_CREDENTIALS"],
      ["admin", "failure", "INVALID_CREDENTIALS"],
      ["admin", "failure", "INVALID_CREDENTIALS"],
      ["admin", "failure", "LOGIN_LOCKED"],
    ]);
    expect(audit[2]!.details).toEqual({ lockedUntil: expect.any(String) });
    expect(audit[0]!.sourceAddress).toBe("10.1.1.1");
  });

  it("does not lock the same user at another address", async () => {
    const r = await new Browser(server.url).request(
      "POST",
      "/api/auth/login",
      { username: "admin", password: TEST_ADMIN_PASSWORD },
      fromAddress("10.2.2.2"),
    );
    expect(r.status).toBe(200);
  });

  it("unlocks when the lock time has passed", async () => {
    await server.db.prisma.loginLockout.updateMany({ data: { lockedUntil: new Date(Date.now() - 1000) } });
    const r = await new Browser(server.url).request(
      "POST",
      "/api/auth/login",
      { username: "admin", password: TEST_ADMIN_PASSWORD },
      fromAddress("10.1.1.1"),
    );
    expect(r.status).toBe(200);
  });

  it("forgets failures older than the window and clears them on success", async () => {
    const browser = new Browser(server.url);
    const fail = () =>
      browser.request("POST", "/api/auth/login", { username: "admin", password: "nope" }, fromAddress("10.3.3.3"));
    await fail();
    await fail();
    await server.db.prisma.loginFailure.updateMany({ data: { at: new Date(Date.now() - 16 * 60_000) } });
    await fail();
    await fail();
    // Two old (outside the window) + two new: under the threshold of three.
    expect(
      (
        await browser.request(
          "POST",
          "/api/auth/login",
          { username: "admin", password: TEST_ADMIN_PASSWORD },
          fromAddress("10.3.3.3"),
        )
      ).status,
    ).toBe(200);
    expect(await server.db.prisma.loginFailure.count({ where: { sourceAddress: "10.3.3.3" } })).toBe(0);
  });

  it("counts failures for user names that do not exist, without revealing that", async () => {
    const browser = new Browser(server.url);
    const statuses = [];
    for (let i = 0; i < 4; i++) {
      statuses.push(
        (
          await browser.request(
            "POST",
            "/api/auth/login",
            { username: "ghost", password: "x" },
            fromAddress("10.4.4.4"),
          )
        ).status,
      );
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
  });
});
