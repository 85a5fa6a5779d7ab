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

const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });

describe("API tokens", () => {
  it("are shown once, stored hashed, work as Bearer with the user's role, record last use, and can be revoked", async () => {
    const created = await admin.request("POST", "/api/tokens", { name: "nightly export", expiresInDays: 30 });
    expect(created.status).toBe(201);
    const { token, secret } = await readJson(created);
    expect(secret).toMatch(/^spt_[A-Za-z0-9_-]{43}$/);
    expect(token).toMatchObject({ name: "nightly export", username: "admin", lastUsedAt: null, revokedAt: null });
    expect(secret.startsWith(token.prefix)).toBe(true);
    const stored = await server.db.prisma.apiToken.findUniqueOrThrow({ where: { id: token.id } });
    expect(stored.tokenHash).not.toContain(secret);
    expect(JSON.stringify(stored)).not.toContain(secret);

    // The list never shows the secret again.
    const list = await readJson(await admin.request("GET", "/api/tokens"));
    expect(JSON.stringify(list)).not.toContain(secret);

    const me = await fetch(`${server.url}/api/auth/me`, { headers: bearer(secret) });
    expect(me.status).toBe(200);
    expect(await readJson(me)).toMatchObject({ username: "admin", role: "full-administrator" });
    const used = await server.db.prisma.apiToken.findUniqueOrThrow({ where: { id: token.id } });
    expect(used.lastUsedAt).toBeInstanceOf(Date);

    // Bearer requests are exempt from the JSON/Origin rules: a browser never sends them on its own.
    const created2 = await fetch(`${server.url}/api/tokens`, {
      method: "POST",
      headers: { ...bearer(secret), "content-type": "application/json", origin: "https://elsewhere.example" },
      body: JSON.stringify({ name: "made by a script" }),
    });
    expect(created2.status).toBe(201);
    const audit = await server.db.prisma.auditEvent.findFirstOrThrow({
      where: { action: "token.create", authMethod: "token" },
    });
    expect(audit.actorUsername).toBe("admin");

    const revoke = await admin.request("DELETE", `/api/tokens/${token.id}`);
    expect(revoke.status).toBe(200);
    expect((await readJson(revoke)).revokedAt).not.toBeNull();
    const after = await fetch(`${server.url}/api/auth/me`, { headers: bearer(secret) });
    expect(after.status).toBe(401);
    expect((await readJson(after)).error.code).toBe("INVALID_TOKEN");
  });

  it("refuses expired, malformed and unknown tokens with 401 INVALID_TOKEN", async () => {
    const { secret, token } = await readJson(
      await admin.request("POST", "/api/tokens", { name: "short-lived", expiresInDays: 1 }),
    );
    await server.db.prisma.apiToken.update({
      where: { id: token.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    for (const authorization of [`Bearer ${secret}`, "Bearer spt_unknown", "Basic YWRtaW46YWRtaW4=", "Bearer"]) {
      const r = await fetch(`${server.url}/api/sites`, { headers: { authorization } });
      expect(r.status, authorization).toBe(401);
      expect((await readJson(r)).error.code).toBe("INVALID_TOKEN");
    }
  });

  it("follows the user's current role, not the role at creation", async () => {
    const created = await readJson(
      await admin.request("POST", "/api/users", {
        username: "automation",
        role: "full-administrator",
        password: "automation password",
      }),
    );
    const automation = new Browser(server.url);
    await automation.login("automation", "automation password");
    await automation.request("POST", "/api/auth/change-password", {
      currentPassword: "automation password",
      newPassword: "automation password 2",
    });
    const { secret } = await readJson(await automation.request("POST", "/api/tokens", { name: "ci" }));
    const create = () =>
      fetch(`${server.url}/api/users`, {
        method: "POST",
        headers: { ...bearer(secret), "content-type": "application/json" },
        body: JSON.stringify({ username: `x${Date.now()}`, role: "read-only-analyst" }),
      });
    expect((await create()).status).toBe(201);
    await admin.request("PATCH", `/api/users/${created.user.id}`, { role: "read-only-analyst" });
    expect((await create()).status).toBe(403);
  });

  it("lets a user revoke only their own tokens, and a user manager anyone's", async () => {
    const { user } = await readJson(
      await admin.request("POST", "/api/users", {
        username: "analyst",
        role: "read-only-analyst",
        password: "analyst password 1",
      }),
    );
    const analyst = new Browser(server.url);
    await analyst.login("analyst", "analyst password 1");
    await analyst.request("POST", "/api/auth/change-password", {
      currentPassword: "analyst password 1",
      newPassword: "analyst password 2",
    });
    const adminToken = (await readJson(await admin.request("POST", "/api/tokens", { name: "admin's" }))).token;
    const analystToken = (await readJson(await analyst.request("POST", "/api/tokens", { name: "analyst's" }))).token;

    const mine = await readJson(await analyst.request("GET", "/api/tokens"));
    expect(mine.items.map((t: { name: string }) => t.name)).toEqual(["analyst's"]);
    expect((await analyst.request("DELETE", `/api/tokens/${adminToken.id}`)).status).toBe(404);
    expect((await admin.request("DELETE", `/api/tokens/${analystToken.id}`)).status).toBe(200);
    expect(user.role).toBe("read-only-analyst");
  });

  it("validates the request, naming the field", async () => {
    const r = await admin.request("POST", "/api/tokens", { name: "", expiresInDays: 0 });
    expect(r.status).toBe(400);
    const fields = (await readJson(r)).error.details.fields.map((f: { field: string }) => f.field);
    expect(fields).toEqual(["body.name", "body.expiresInDays"]);
  });
});
