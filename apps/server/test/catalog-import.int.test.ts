// Import Updates (catalog import issue): search the upstream's catalog, import a basket with a run (trigger import),
// catalog-only updates reach every site's catalog, bundled updates come along, imported updates keep receiving later
// revisions outside the selection and survive a full sync; errors are specific and change nothing.
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  hierarchySettled,
  readJson,
  startSyncTestbed,
  syncAndWait,
  type Browser,
  type SyncTestbed,
} from "./harness.ts";
import { waitFor } from "./processes.ts";

let testbed: SyncTestbed;
let admin: Browser;

beforeAll(async () => {
  testbed = await startSyncTestbed({ upstreamEnv: { UPSTREAM_UPDATES: "300" } });
  admin = testbed.admin;
  const first = await syncAndWait(admin);
  expect(first.run.state).toBe("succeeded");
});
afterAll(() => testbed?.stop());

interface Hit {
  updateId: string;
  revisionNumber: number;
  title: string;
  kbArticleIds: string[];
  catalogOnly: boolean;
  productTitles: string[];
  classificationTitles: string[];
  inCatalogRevision: number | null;
  importState: string | null;
}
interface Imported {
  updateId: string;
  state: string;
  reason: string;
  requiredBy: string | null;
  importedRevision: number | null;
  revisionNumber: number;
  errorCode: string | null;
  runId: string | null;
}

const search = async (q: string) => {
  const response = await admin.request("GET", `/api/catalog/search?q=${encodeURIComponent(q)}`);
  expect(response.status).toBe(200);
  return (await readJson(response)) as { items: Hit[]; source: string };
};
const importedList = async () =>
  (await readJson(await admin.request("GET", "/api/imported-updates?pageSize=500"))).items as Imported[];

async function runToEnd(runId: string) {
  let run = await readJson(await admin.request("GET", `/api/sync-runs/${runId}`));
  await waitFor(
    async () => {
      run = await readJson(await admin.request("GET", `/api/sync-runs/${runId}`));
      return ["succeeded", "failed", "canceled"].includes(run.state);
    },
    60_000,
    `run ${runId} ended`,
  );
  const log = await (await admin.request("GET", `/api/sync-runs/${runId}/log`)).text();
  return { run, log };
}

async function importBasket(updates: { updateId: string; revisionNumber: number; title?: string }[]) {
  const response = await admin.request("POST", "/api/imported-updates", { updates });
  expect(response.status).toBe(202);
  const body = await readJson(response);
  expect(body.runId).toEqual(expect.any(String));
  return { ...body, ...(await runToEnd(body.runId)) };
}

const catalogHas = async (site: string, kb: string) =>
  (await readJson(await admin.request("GET", `/api/software-updates?site=${site}&search=${kb}`))).items as {
    updateId: string;
    revisionNumber: number;
  }[];

describe("Import Updates", () => {
  it("searches the catalog by words and by KB, catalog-only updates included, with where each stands", async () => {
    const { items, source } = await search("out-of-band");
    expect(source).toBe(testbed.upstream.url);
    const oob = items.find((h) => h.catalogOnly)!;
    expect(oob).toBeDefined();
    expect(oob).toMatchObject({ inCatalogRevision: null, importState: null });
    expect(oob.productTitles[0]).toMatch(/Windows/);
    expect(oob.classificationTitles).toEqual(["Updates"]);
    const byKb = await search(`KB${oob.kbArticleIds[0]}`);
    expect(byKb.items.map((h) => h.updateId)).toEqual([oob.updateId]);
    const byId = await search(oob.updateId.toUpperCase());
    expect(byId.items.map((h) => h.updateId)).toEqual([oob.updateId]);
  });

  it("imports a catalog-only update by KB in a run with trigger import; every site's catalog gets it", async () => {
    const oob = (await search("out-of-band")).items.find((h) => h.catalogOnly)!;
    const kb = oob.kbArticleIds[0]!;
    expect(await catalogHas("CAS", kb)).toEqual([]);
    const result = await importBasket([
      { updateId: oob.updateId, revisionNumber: oob.revisionNumber, title: oob.title },
    ]);
    expect(result.run).toMatchObject({ state: "succeeded", trigger: "import" });
    expect(result.run.counts.new).toBeGreaterThanOrEqual(1);
    expect(result.log).toContain("Performing sync on import request");
    expect(result.log).toContain(`Imported ${oob.title} (${oob.updateId} revision ${oob.revisionNumber})`);
    expect(await catalogHas("CAS", kb)).toEqual([
      expect.objectContaining({ updateId: oob.updateId, revisionNumber: oob.revisionNumber }),
    ]);
    const row = (await importedList()).find((i) => i.updateId === oob.updateId)!;
    expect(row).toMatchObject({ state: "imported", reason: "basket", importedRevision: oob.revisionNumber });
    expect(row.runId).toBe(result.runId);
    // Children list it from their parent whatever the selection, as WSUS flags an imported update.
    await hierarchySettled(admin);
    for (const site of ["P01", "S01"])
      expect((await catalogHas(site, kb)).map((u) => u.updateId)).toEqual([oob.updateId]);
    // The search now says so.
    expect((await search(`KB${kb}`)).items[0]).toMatchObject({
      inCatalogRevision: oob.revisionNumber,
      importState: "imported",
    });
    // And the import is audited with the basket.
    const audit = (await readJson(await admin.request("GET", "/api/audit?action=updates.import"))).items;
    expect(audit[0]).toMatchObject({ action: "updates.import", outcome: "success", actor: "admin" });
  });

  it("brings bundled updates along, recorded with the update that needs them", async () => {
    // The upstream publishes the month's definition updates with each period.
    await testbed.upstream.admin("POST", "/admin/advance", { periods: 1 });
    const bundles = (await search("security intelligence update defender")).items.slice(0, 6);
    expect(bundles.length).toBeGreaterThan(1);
    const result = await importBasket(bundles.map((b) => ({ updateId: b.updateId, revisionNumber: b.revisionNumber })));
    expect(result.run.state).toBe("succeeded");
    const rows = await importedList();
    const bundled = rows.filter((r) => r.reason === "bundled");
    expect(bundled.length).toBeGreaterThan(0);
    for (const leaf of bundled) {
      expect(bundles.map((b) => b.updateId)).toContain(leaf.requiredBy);
      expect(leaf.state).toBe("imported");
    }
    // The Defender product is not selected: they are in the catalog because they were imported.
    const leaf = await readJson(await admin.request("GET", `/api/software-updates/${bundled[0]!.updateId}?site=CAS`));
    expect(leaf.updateId).toBe(bundled[0]!.updateId);
  });

  it("an update the upstream does not know fails on its own; the rest of the basket is imported", async () => {
    const sql = (await search("sql server")).items[0]!;
    const unknown = "0badc0de-0000-4000-8000-000000000001";
    const result = await importBasket([
      { updateId: unknown, revisionNumber: 1 },
      { updateId: sql.updateId, revisionNumber: sql.revisionNumber },
    ]);
    expect(result.run.state).toBe("succeeded");
    const rows = await importedList();
    expect(rows.find((r) => r.updateId === unknown)).toMatchObject({ state: "failed", errorCode: "IMPORT_NOT_FOUND" });
    expect(rows.find((r) => r.updateId === sql.updateId)).toMatchObject({ state: "imported" });
    expect(result.log).toMatch(/Import of 0badc0de-0000-4000-8000-000000000001 failed: the upstream does not offer/);
  });

  it("imported updates outside the selection keep receiving later revisions, and a full sync keeps them", async () => {
    // Every SQL Server update the search shows (no SQL product is selected), so that the upstream's next revisions
    // are likely to touch one of them.
    const sql = (await search("sql server")).items;
    await importBasket(sql.map((h) => ({ updateId: h.updateId, revisionNumber: h.revisionNumber })));
    const before = new Map((await importedList()).map((r) => [r.updateId, r.importedRevision]));
    let revised: Imported | undefined;
    for (let period = 0; period < 12 && !revised; period++) {
      await testbed.upstream.admin("POST", "/admin/advance", { periods: 1 });
      const { run, log } = await syncAndWait(admin);
      expect(run.state).toBe("succeeded");
      expect(log).toContain("changed update revisions since the last synchronization");
      revised = (await importedList()).find(
        (r) => r.state === "imported" && before.has(r.updateId) && r.importedRevision !== before.get(r.updateId),
      );
    }
    expect(revised, "one of the imported SQL Server updates was revised upstream within 12 periods").toBeDefined();
    const entry = await readJson(await admin.request("GET", `/api/software-updates/${revised!.updateId}?site=CAS`));
    expect(entry.revisionNumber).toBe(revised!.importedRevision);
    expect(revised!.importedRevision).toBeGreaterThan(before.get(revised!.updateId)!);

    const full = await syncAndWait(admin, { fullSync: true });
    expect(full.run.state).toBe("succeeded");
    expect(full.run.counts.removed).toBe(0);
    const again = await readJson(await admin.request("GET", `/api/software-updates/${revised!.updateId}?site=CAS`));
    expect(again.revisionNumber).toBe(revised!.importedRevision);
  });

  it("refuses bad input with the field named and stores nothing", async () => {
    const count = (await importedList()).length;
    const bad = await admin.request("POST", "/api/imported-updates", {
      updates: [{ updateId: "not-a-guid", revisionNumber: 1 }],
    });
    expect(bad.status).toBe(400);
    expect((await readJson(bad)).error.message).toMatch(/updateId/);
    const empty = await admin.request("POST", "/api/imported-updates", { updates: [] });
    expect(empty.status).toBe(400);
    expect((await readJson(await admin.request("GET", "/api/catalog/search?q="))).error.code).toBe("VALIDATION_FAILED");
    expect((await importedList()).length).toBe(count);
  });

  it("removing an imported update stops following it (audited)", async () => {
    const failed = (await importedList()).find((r) => r.state === "failed")!;
    const removed = await admin.request("DELETE", `/api/imported-updates/${failed.updateId}`);
    expect(removed.status).toBe(204);
    expect((await importedList()).some((r) => r.updateId === failed.updateId)).toBe(false);
    const missing = await admin.request("DELETE", `/api/imported-updates/${failed.updateId}`);
    expect(missing.status).toBe(404);
  });
});

describe("Import Updates against an upstream without the catalog search", () => {
  let plain: Server;
  let answer: (res: ServerResponse) => void;

  beforeAll(async () => {
    plain = createServer((_req, res) => answer(res));
    await new Promise<void>((resolve) => plain.listen(0, "127.0.0.1", resolve));
  });
  afterAll(() => new Promise<void>((resolve) => plain.close(() => resolve())));

  async function searchThrough(url: string) {
    const put = await admin.request("PUT", "/api/sup-settings", { syncSource: "upstream-url", upstreamUrl: url });
    expect(put.status).toBe(200);
    return admin.request("GET", "/api/catalog/search?q=KB5000001");
  }

  it("says the upstream has no search (a real WSUS), malformed answers are the upstream's error", async () => {
    const url = `http://127.0.0.1:${(plain.address() as AddressInfo).port}`;
    answer = (res) => res.writeHead(404, { "content-type": "text/html" }).end("<html>Not found</html>");
    const none = await searchThrough(url);
    expect(none.status).toBe(409);
    const body = await readJson(none);
    expect(body.error.code).toBe("CATALOG_SEARCH_UNAVAILABLE");
    expect(body.error.message).toMatch(/import an update by its update id/);

    answer = (res) => res.writeHead(200, { "content-type": "application/json" }).end('{"items":[{"updateId":1}]}');
    const malformed = await searchThrough(url);
    expect(malformed.status).toBe(502);
    expect((await readJson(malformed)).error.code).toBe("UPSTREAM_PROTOCOL_ERROR");

    const disconnected = await admin.request("PUT", "/api/sup-settings", { syncSource: "disconnected" });
    expect(disconnected.status).toBe(200);
    const refused = await admin.request("POST", "/api/imported-updates", {
      updates: [{ updateId: "0badc0de-0000-4000-8000-000000000002", revisionNumber: 1 }],
    });
    expect(refused.status).toBe(409);
    expect((await readJson(refused)).error.code).toBe("SYNC_SOURCE_DISCONNECTED");
    expect((await importedList()).some((r) => r.updateId === "0badc0de-0000-4000-8000-000000000002")).toBe(false);
  });
});
