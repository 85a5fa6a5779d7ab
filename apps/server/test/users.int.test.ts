import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser, readJson, startTestServer, type TestServer } from "./harness.ts";

let server: TestServer;
let admin: Browser;
beforeAll(async () => {
  server = await startTestServer();
  admin = new Browser(server.url);
  await admin.login();
});
afterAll(() => server.close());

async function signInAs(username: string, initial: string, chosen: string): Promise<Browser> {
  const browser = new Browser(server.url);
  expect((await browser.login(username, initial)).status).toBe(200);
  expect(
    (await browser.request("POST", "/api/auth/change-password", { currentPassword: initial, newPassword: chosen }))
      .status,
  ).toBe(200);
  return browser;
}

describe("user management", () => {
  it("creates a user with a generated password that must be changed, and audits it without the password", async () => {
    const r = await admin.request("POST", "/api/users", { username: "sum1", role: "software-update-manager" });
    expect(r.status).toBe(201);
    const { user, initialPassword } = await readJson(r);
    expect(user).toMatchObject({
      username: "sum1",
      role: "software-update-manager",
      mustChangePassword: true,
      lastLoginAt: null,
    });
    expect(initialPassword).toMatch(/^[A-Za-z0-9]{20}$/);

    const fresh = new Browser(server.url);
    await fresh.login("sum1", initialPassword);
    const blocked = await fresh.request("GET", "/api/sites");
    expect(blocked.status).toBe(403);
    expect((await readJson(blocked)).error.code).toBe("PASSWORD_CHANGE_REQUIRED");

    const audit = await server.db.prisma.auditEvent.findFirstOrThrow({ where: { action: "user.create" } });
    expect(audit).toMatchObject({
      actorUsername: "admin",
      actorRole: "full-administrator",
      authMethod: "session",
      targetType: "user",
      targetId: user.id,
      outcome: "success",
    });
    expect(JSON.stringify({ ...audit, id: String(audit.id) })).not.toContain(initialPassword);
  });

  it("refuses a duplicate user name naming the field, and a bad one", async () => {
    const dup = await admin.request("POST", "/api/users", { username: "sum1", role: "read-only-analyst" });
    expect(dup.status).toBe(409);
    expect(await readJson(dup)).toMatchObject({
      error: { code: "USERNAME_TAKEN", details: { fields: [{ field: "body.username" }] } },
    });
    const bad = await admin.request("POST", "/api/users", { username: "has space", role: "boss" });
    expect(bad.status).toBe(400);
    expect((await readJson(bad)).error.details.fields.map((f: { field: string }) => f.field)).toEqual([
      "body.username",
      "body.role",
    ]);
    expect(await server.db.prisma.user.count({ where: { username: "has space" } })).toBe(0);
  });

  it("changes a role with before and after in the audit, effective on the user's next request", async () => {
    const { user } = await readJson(
      await admin.request("POST", "/api/users", {
        username: "ann",
        role: "read-only-analyst",
        password: "ann initial pw",
      }),
    );
    const ann = await signInAs("ann", "ann initial pw", "ann chosen pw 1");
    expect((await ann.request("POST", "/api/tokens", { name: "mine" })).status).toBe(201);
    expect((await ann.request("POST", "/api/users", { username: "zed", role: "read-only-analyst" })).status).toBe(403);

    const patch = await admin.request("PATCH", `/api/users/${user.id}`, { role: "full-administrator" });
    expect(patch.status).toBe(200);
    expect((await ann.request("POST", "/api/users", { username: "zed", role: "read-only-analyst" })).status).toBe(201);
    const audit = await server.db.prisma.auditEvent.findFirstOrThrow({
      where: { action: "user.update", targetId: user.id },
    });
    expect(audit.before).toMatchObject({ role: "read-only-analyst" });
    expect(audit.after).toMatchObject({ role: "full-administrator" });
  });

  it("never leaves the hierarchy without a Full Administrator", async () => {
    const users = (await readJson(await admin.request("GET", "/api/users"))).items as {
      id: string;
      username: string;
      role: string;
    }[];
    const adminId = users.find((u) => u.username === "admin")!.id;
    const annId = users.find((u) => u.username === "ann")!.id;
    // Two admins: demoting one is fine; the last one cannot be demoted or deleted.
    expect((await admin.request("PATCH", `/api/users/${annId}`, { role: "software-update-manager" })).status).toBe(200);
    const demote = await admin.request("PATCH", `/api/users/${adminId}`, { role: "read-only-analyst" });
    expect(demote.status).toBe(409);
    expect((await readJson(demote)).error.code).toBe("LAST_ADMINISTRATOR");
    const self = await admin.request("DELETE", `/api/users/${adminId}`);
    expect(self.status).toBe(409);
    expect((await readJson(self)).error.code).toBe("CANNOT_DELETE_SELF");
    expect((await server.db.prisma.user.findUniqueOrThrow({ where: { id: adminId } })).role).toBe("full_administrator");
    const failure = await server.db.prisma.auditEvent.findFirstOrThrow({
      where: { action: "user.update", targetId: adminId },
    });
    expect(failure).toMatchObject({ outcome: "failure", errorCode: "LAST_ADMINISTRATOR" });
  });

  it("resets a password: the user's sessions end and a new one must be chosen", async () => {
    const { user } = await readJson(
      await admin.request("POST", "/api/users", {
        username: "bob",
        role: "read-only-analyst",
        password: "bob initial pw",
      }),
    );
    const bob = await signInAs("bob", "bob initial pw", "bob chosen pw 1");
    const reset = await admin.request("POST", `/api/users/${user.id}/reset-password`, {});
    const { initialPassword } = await readJson(reset);
    expect((await bob.request("GET", "/api/auth/me")).status).toBe(401);
    const again = new Browser(server.url);
    expect((await readJson(await again.login("bob", initialPassword))).mustChangePassword).toBe(true);
  });

  it("deletes a user with their sessions and tokens", async () => {
    const { user } = await readJson(
      await admin.request("POST", "/api/users", {
        username: "carl",
        role: "read-only-analyst",
        password: "carl initial pw",
      }),
    );
    const carl = await signInAs("carl", "carl initial pw", "carl chosen pw 1");
    const { secret } = await readJson(await carl.request("POST", "/api/tokens", { name: "t" }));
    expect((await admin.request("DELETE", `/api/users/${user.id}`)).status).toBe(204);
    expect((await carl.request("GET", "/api/auth/me")).status).toBe(401);
    expect((await fetch(`${server.url}/api/auth/me`, { headers: { authorization: `Bearer ${secret}` } })).status).toBe(
      401,
    );
    const audit = await server.db.prisma.auditEvent.findFirstOrThrow({
      where: { action: "user.delete", targetId: user.id },
    });
    expect(audit.before).toMatchObject({ username: "carl" });
    expect((await admin.request("DELETE", `/api/users/${user.id}`)).status).toBe(404);
  });

  it("answers 400 for an id that is not a UUID", async () => {
    const r = await admin.request("DELETE", "/api/users/not-a-uuid");
    expect(r.status).toBe(400);
    expect((await readJson(r)).error.message).toMatch(/^params\.id: /);
  });
});

describe("sign out everywhere", () => {
  it("ends every session of the user, this one included, and leaves tokens working", async () => {
    const one = new Browser(server.url);
    const two = new Browser(server.url);
    await one.login();
    await two.login();
    const { secret } = await readJson(await one.request("POST", "/api/tokens", { name: "keeps working" }));
    const r = await one.request("POST", "/api/auth/logout-everywhere", {});
    expect(r.status).toBe(200);
    expect((await readJson(r)).sessionsEnded).toBeGreaterThanOrEqual(2);
    expect((await one.request("GET", "/api/auth/me")).status).toBe(401);
    expect((await two.request("GET", "/api/auth/me")).status).toBe(401);
    expect((await fetch(`${server.url}/api/auth/me`, { headers: { authorization: `Bearer ${secret}` } })).status).toBe(
      200,
    );
    await admin.login();
  });
});
