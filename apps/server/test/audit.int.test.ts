import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser, readJson, startTestServer, type TestServer } from "./harness.ts";

let server: TestServer;
let admin: Browser;
beforeAll(async () => {
  server = await startTestServer();
  admin = new Browser(server.url);
  await admin.login();
  await new Browser(server.url).login("admin", "wrong password");
  await admin.request("POST", "/api/users", { username: "dora", role: "read-only-analyst" });
  await admin.request("POST", "/api/users", { username: "dora", role: "read-only-analyst" }); // 409
  await admin.request("POST", "/api/tokens", { name: "t1" });
});
afterAll(() => server.close());

describe("GET /api/audit", () => {
  it("lists every mutating request newest first, with who, what, outcome, address and request id", async () => {
    const page = await readJson(await admin.request("GET", "/api/audit"));
    expect(page.total).toBe(5);
    expect(page.items.map((e: { action: string; outcome: string }) => `${e.action}:${e.outcome}`)).toEqual([
      "token.create:success",
      "user.create:failure",
      "user.create:success",
      "auth.login:failure",
      "auth.login:success",
    ]);
    const login = page.items[4];
    expect(login).toMatchObject({
      actor: "admin",
      actorRole: "full-administrator",
      authMethod: "session",
      outcome: "success",
    });
    expect(login.sourceAddress).toMatch(/127\.0\.0\.1/);
    expect(login.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(page.items[3]).toMatchObject({ actor: "admin", authMethod: "anonymous", errorCode: "INVALID_CREDENTIALS" });
  });

  it("filters by action prefix, outcome, actor and time, and pages", async () => {
    const q = async (query: string) => readJson(await admin.request("GET", `/api/audit?${query}`));
    expect((await q("action=user.")).total).toBe(2);
    expect((await q("outcome=failure")).items.map((e: { action: string }) => e.action)).toEqual([
      "user.create",
      "auth.login",
    ]);
    expect((await q("actor=ADMIN")).total).toBe(5);
    expect((await q(`from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).total).toBe(0);
    const paged = await q("pageSize=2&page=2&sort=at");
    expect(paged).toMatchObject({ total: 5, page: 2, pageSize: 2 });
    expect(paged.items.map((e: { action: string }) => e.action)).toEqual(["user.create", "user.create"]);
  });

  it("names a bad filter", async () => {
    const r = await admin.request("GET", "/api/audit?pageSize=501&outcome=maybe");
    expect(r.status).toBe(400);
    expect((await readJson(r)).error.details.fields.map((f: { field: string }) => f.field)).toEqual([
      "query.pageSize",
      "query.outcome",
    ]);
  });
});
