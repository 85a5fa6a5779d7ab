import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SiteTree } from "@syncpoint/contracts";
import { Browser, startTestServer, type TestServer, readJson } from "./harness.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe("GET /api/sites", () => {
  it("needs a session", async () => {
    expect((await fetch(`${server.url}/api/sites`)).status).toBe(401);
  });

  it("returns the hierarchy as a tree rooted at the central site", async () => {
    const browser = new Browser(server.url);
    await browser.login();
    const response = await browser.request("GET", "/api/sites");
    expect(response.status).toBe(200);
    const tree = SiteTree.parse(await readJson(response));
    expect(tree.items).toHaveLength(1);
    const cas = tree.items[0]!;
    expect(cas).toMatchObject({ code: "CAS", type: "central", parentCode: null });
    expect(cas.sups).toEqual([
      {
        serverName: "cas-sup01.corp.contoso.com",
        syncSource: "microsoft-update",
        catalogVersion: 0,
        port: 8530,
        sslPort: 8531,
        useSsl: false,
      },
    ]);
    expect(cas.children.map((c) => c.code)).toEqual(["P01", "P02"]);
    expect(cas.children.map((p) => p.children.map((s) => [s.code, s.type, s.parentCode]))).toEqual([
      [["S01", "secondary", "P01"]],
      [["S02", "secondary", "P02"]],
    ]);
    expect(cas.children[0]!.sups[0]!.syncSource).toBe("parent");
  });
});
