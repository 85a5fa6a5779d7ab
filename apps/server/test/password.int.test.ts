import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seed } from "../src/services/seed.ts";
import { Browser, startTestServer, type TestServer, readJson } from "./harness.ts";

let server: TestServer;
let generated: string;

beforeAll(async () => {
  server = await startTestServer({ seed: false });
  const result = await seed(server.db.prisma, {});
  generated = result.generatedAdminPassword!;
});
afterAll(() => server.close());

describe("the generated initial admin password", () => {
  it("is generated once, long, and must be changed at first sign-in", async () => {
    expect(generated).toMatch(/^[A-Za-z0-9]{20}$/);
    const browser = new Browser(server.url);
    const login = await browser.login("admin", generated);
    expect(login.status).toBe(200);
    expect((await readJson(login)).mustChangePassword).toBe(true);
  });

  it("rejects a short new password naming the field, and a wrong current one", async () => {
    const browser = new Browser(server.url);
    await browser.login("admin", generated);
    const short = await browser.request("POST", "/api/auth/change-password", {
      currentPassword: generated,
      newPassword: "short",
    });
    expect(short.status).toBe(400);
    expect((await readJson(short)).error.details.fields[0].field).toBe("body.newPassword");
    const wrong = await browser.request("POST", "/api/auth/change-password", {
      currentPassword: "not-the-password",
      newPassword: "a brand new passphrase",
    });
    expect(wrong.status).toBe(400);
    expect((await readJson(wrong)).error.details.fields[0].field).toBe("body.currentPassword");
  });

  it("changes it: the flag clears, other sessions end, this one stays, the new password works", async () => {
    const other = new Browser(server.url);
    await other.login("admin", generated);
    const browser = new Browser(server.url);
    await browser.login("admin", generated);
    const change = await browser.request("POST", "/api/auth/change-password", {
      currentPassword: generated,
      newPassword: "a brand new passphrase",
    });
    expect(change.status).toBe(200);
    expect((await readJson(change)).mustChangePassword).toBe(false);
    expect((await browser.request("GET", "/api/auth/me")).status).toBe(200);
    expect((await other.request("GET", "/api/auth/me")).status).toBe(401);
    expect((await new Browser(server.url).login("admin", generated)).status).toBe(401);
    const fresh = await new Browser(server.url).login("admin", "a brand new passphrase");
    expect((await readJson(fresh)).mustChangePassword).toBe(false);
  });
});
