// The hierarchy cascade (sync-engine issue): a top-level commit makes each child sync from its parent's SUP endpoint
// over MS-WSUSSS, secondaries after their primary, until every site holds the same catalog version and digest.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SUP_SETTINGS } from "../src/services/seed.ts";
import { queueParentRun } from "../src/sync/cascade.ts";
import { Browser, readJson, startTestServer, startWorker, type TestServer } from "./harness.ts";
import { waitFor } from "./processes.ts";
import { startUpstream, type UpstreamProcess } from "./upstream-process.ts";

let upstream: UpstreamProcess;
let server: TestServer;
let stopWorker: () => Promise<void>;
let admin: Browser;
const SITES = ["CAS", "P01", "P02", "S01", "S02"];
const filter = `products=${DEFAULT_SUP_SETTINGS.products.join(",")}&classifications=${DEFAULT_SUP_SETTINGS.classifications.join(",")}`;

beforeAll(async () => {
  upstream = await startUpstream({ UPSTREAM_UPDATES: "300" });
  // Four run slots: a parent's children sync at once (the default is one; see "one worker process syncs…").
  server = await startTestServer({ env: { MICROSOFT_UPDATE_URL: upstream.url, WORKER_CONCURRENCY: "4" } });
  stopWorker = await startWorker(server);
  admin = new Browser(server.url);
  await admin.login();
});
afterAll(async () => {
  await stopWorker?.();
  await server?.close();
  await upstream?.stop();
});

async function statusRows() {
  return (await readJson(await admin.request("GET", "/api/sup-sync-status"))).items as {
    siteCode: string;
    state: string;
    catalogVersion: number;
    linkState: string;
  }[];
}

async function waitForHierarchyAt(version: number) {
  await waitFor(
    async () => (await statusRows()).every((r) => r.state === "succeeded" && r.catalogVersion === version),
    60_000,
    `every site at catalog version ${version}`,
  );
}

describe("the hierarchy cascade", () => {
  it("brings CAS, P01, P02, S01 and S02 to the same catalog version and digest", async () => {
    await admin.request("POST", "/api/sync", {});
    await waitForHierarchyAt(1);
    const digests = await Promise.all(
      SITES.map(async (s) => readJson(await admin.request("GET", `/api/sites/${s}/catalog/digest?${filter}`))),
    );
    const theirs = await upstream.admin("GET", `/admin/digest?${filter}`);
    for (const d of digests) expect(d).toEqual(theirs);
    expect((await statusRows()).every((r) => r.linkState === "healthy")).toBe(true);
  });

  it("ran each child with trigger parent from its parent's SUP endpoint, secondaries after their primary", async () => {
    const runs = (await readJson(await admin.request("GET", "/api/sync-runs?pageSize=50"))).items as {
      id: string;
      siteCode: string;
      trigger: string;
      queuedAt: string;
      finishedAt: string;
      catalogVersionAfter: number;
    }[];
    const bySite = new Map(runs.map((r) => [r.siteCode, r]));
    for (const child of ["P01", "P02", "S01", "S02"])
      expect(bySite.get(child)).toMatchObject({ trigger: "parent", catalogVersionAfter: 1 });
    expect(bySite.get("CAS")).toMatchObject({ trigger: "manual" });
    // S01 was queued by P01's notification, i.e. after P01 had committed.
    const p01Log = await (await admin.request("GET", `/api/sync-runs/${bySite.get("P01")!.id}/log`)).text();
    expect(p01Log).toContain("Sending sync notification to child site(s): S01");
    expect(p01Log).toMatch(/sup\/CAS/);
    expect(p01Log).toContain("Successfully synced site with parent CAS, version 1");
    const s01Log = await (await admin.request("GET", `/api/sync-runs/${bySite.get("S01")!.id}/log`)).text();
    expect(s01Log).toMatch(/sup\/P01/);
    // Bodies are stored once for the hierarchy: a child fetches none.
    expect(s01Log).toContain("sync: WSUS synchronizing updates, processed 0 out of 0 items (100%)");
    const casLog = await (await admin.request("GET", `/api/sync-runs/${bySite.get("CAS")!.id}/log`)).text();
    expect(casLog).toContain("Sending sync notification to child site(s): P01, P02");
  });

  it("one worker process syncs sibling sites at once (WORKER_CONCURRENCY)", async () => {
    expect(server.ctx.config.WORKER_CONCURRENCY).toBeGreaterThan(1);
    const [p01, p02] = await Promise.all(
      ["P01", "P02"].map((siteCode) =>
        server.db.prisma.syncRun.findFirstOrThrow({ where: { siteCode, state: "succeeded" } }),
      ),
    );
    // Both were queued by CAS's commit; with one run at a time, the second would start after the first finished.
    expect(p01!.startedAt!.getTime()).toBeLessThan(p02!.finishedAt!.getTime());
    expect(p02!.startedAt!.getTime()).toBeLessThan(p01!.finishedAt!.getTime());
  });

  it("after an upstream period, a delta at the top cascades to version 2 everywhere", async () => {
    await upstream.admin("POST", "/admin/advance", { periods: 1 });
    await admin.request("POST", "/api/sync", {});
    await waitForHierarchyAt(2);
    const theirs = await upstream.admin("GET", `/admin/digest?${filter}`);
    for (const site of SITES) {
      expect(await readJson(await admin.request("GET", `/api/sites/${site}/catalog/digest?${filter}`))).toEqual(theirs);
    }
  });

  it("a child's delta moves only what changed at its parent since the child's anchor", async () => {
    // What changed at version 2 in each parent's catalog: exactly what its children are listed.
    const changedAt = async (site: string) =>
      server.db.prisma.siteCatalogEntry.count({ where: { siteCode: site, version: 2 } });
    const [atCas, atP01, total] = await Promise.all([
      changedAt("CAS"),
      changedAt("P01"),
      server.db.prisma.siteCatalogEntry.count({ where: { siteCode: "CAS" } }),
    ]);
    expect(atCas).toBeGreaterThan(0);
    expect(atCas).toBeLessThan(total / 2);
    for (const [site, listed] of [
      ["P01", atCas],
      ["S01", atP01],
    ] as const) {
      const run = await server.db.prisma.syncRun.findFirstOrThrow({
        where: { siteCode: site, state: "succeeded" },
        orderBy: { queuedAt: "desc" },
      });
      const log = await (await admin.request("GET", `/api/sync-runs/${run.id}/log`)).text();
      expect(log).toContain(`Found ${listed} changed update revisions since the last synchronization`);
    }
  });

  it("a removal at a parent reaches its children: their older anchor is refused and they list everything (6712)", async () => {
    const search = async (q: string) =>
      (await readJson(await admin.request("GET", `/api/catalog/search?q=${encodeURIComponent(q)}`))).items as {
        updateId: string;
        revisionNumber: number;
        catalogOnly: boolean;
      }[];
    const inCatalog = async (site: string, updateId: string) =>
      (await server.db.prisma.siteCatalogEntry.count({ where: { siteCode: site, updateId } })) === 1;
    // An imported catalog-only update reaches every site; once no longer imported, the top's next full sync removes
    // it, and only a full list at each child can tell the child so.
    const oob = (await search("out-of-band")).find((h) => h.catalogOnly)!;
    const imported = await admin.request("POST", "/api/imported-updates", {
      updates: [{ updateId: oob.updateId, revisionNumber: oob.revisionNumber }],
    });
    expect(imported.status).toBe(202);
    await waitForHierarchyAt(3);
    for (const site of SITES) expect(await inCatalog(site, oob.updateId)).toBe(true);

    expect((await admin.request("DELETE", `/api/imported-updates/${oob.updateId}`)).status).toBe(204);
    await admin.request("POST", "/api/sync", { fullSync: true });
    await waitForHierarchyAt(4);
    for (const site of SITES) expect(await inCatalog(site, oob.updateId)).toBe(false);
    const cas = await server.db.prisma.softwareUpdatePoint.findFirstOrThrow({ where: { siteCode: "CAS" } });
    expect(cas.entriesRemovedInVersion).toBe(4);
    const p01Run = await server.db.prisma.syncRun.findFirstOrThrow({
      where: { siteCode: "P01", state: "succeeded" },
      orderBy: { queuedAt: "desc" },
    });
    const log = await (await admin.request("GET", `/api/sync-runs/${p01Run.id}/log`)).text();
    expect(log).toContain(
      "The upstream rejected the synchronization anchor; performing a full synchronization instead",
    );
    const theirs = await upstream.admin("GET", `/admin/digest?${filter}`);
    for (const site of SITES) {
      expect(await readJson(await admin.request("GET", `/api/sites/${site}/catalog/digest?${filter}`))).toEqual(theirs);
    }
  });

  it("serves MS-WSUSSS at /sup/<SITE>/ with SOAP faults for malformed input and 404 for an unknown site", async () => {
    const fault = await fetch(`${server.url}/sup/CAS/ServerSyncWebService/ServerSyncWebService.asmx`, {
      method: "POST",
      headers: {
        "content-type": "text/xml",
        soapaction: '"http://www.microsoft.com/SoftwareDistribution/GetConfigData"',
      },
      body: "<not-soap",
    });
    expect(fault.status).toBe(500);
    expect(await fault.text()).toContain("<soap:Fault>");
    const unknown = await fetch(`${server.url}/sup/ZZZ/ServerSyncWebService/ServerSyncWebService.asmx`, {
      method: "POST",
      body: "",
    });
    expect(unknown.status).toBe(404);
  });

  it("coalesces parent commits: one queued child run at most, a running one flagged to sync once more", async () => {
    await stopWorker();
    expect(await queueParentRun(server.ctx, "P02")).toBe("queued");
    expect(await queueParentRun(server.ctx, "P02")).toBe("coalesced");
    expect(await server.db.prisma.syncRun.count({ where: { siteCode: "P02", state: "queued" } })).toBe(1);
    await server.db.prisma.syncRun.updateMany({
      where: { siteCode: "P02", state: "queued" },
      data: { state: "running", workerId: "elsewhere" },
    });
    expect(await queueParentRun(server.ctx, "P02")).toBe("flagged");
    const sup = await server.db.prisma.softwareUpdatePoint.findFirstOrThrow({ where: { siteCode: "P02" } });
    expect(sup.resyncRequested).toBe(true);
    await server.db.prisma.syncRun.updateMany({
      where: { siteCode: "P02", state: "running" },
      data: { state: "canceled", finishedAt: new Date() },
    });
    stopWorker = await startWorker(server);
  });

  it("a child's later runs reuse their parent endpoint's session cookie: no second authorization chain", async () => {
    // Requests per SUP endpoint route, from this process's /metrics (the test server runs the worker too).
    const calls = async (service: "DssAuthWebService" | "ServerSyncWebService") => {
      const text = await (await fetch(`${server.url}/metrics`)).text();
      const pattern = new RegExp(
        `^syncpoint_http_request_duration_seconds_count\\{[^}]*route="/sup/:site/${service}/${service}\\.asmx"[^}]*\\} (\\d+)$`,
        "gm",
      );
      return [...text.matchAll(pattern)].reduce((sum, m) => sum + Number(m[1]), 0);
    };
    // Every child has synced from its parent before (the tests above): each parent's cookie is kept by this worker.
    const [authBefore, syncBefore] = [await calls("DssAuthWebService"), await calls("ServerSyncWebService")];
    expect(authBefore).toBeGreaterThan(0);
    const version = (await server.db.prisma.softwareUpdatePoint.findFirstOrThrow({ where: { siteCode: "CAS" } }))
      .catalogVersion;
    await upstream.admin("POST", "/admin/advance", { periods: 1 });
    await admin.request("POST", "/api/sync", {});
    await waitForHierarchyAt(version + 1);
    // Four child runs talked to their parents (config, lists) without GetAuthorizationCookie (the DSS auth service).
    expect(await calls("ServerSyncWebService")).toBeGreaterThanOrEqual(syncBefore + 4 * 3);
    expect(await calls("DssAuthWebService")).toBe(authBefore);
  });
});
