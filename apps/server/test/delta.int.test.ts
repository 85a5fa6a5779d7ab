// Full vs delta (sync-engine issue): a delta after the upstream publishes a period fetches exactly the changed
// revisions; a newly selected product is fetched in full for that product only; a rejected anchor falls back to a
// full sync with status message 6712; digests match the upstream's after each.
import { WsusssClient } from "@syncpoint/wsusss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SUP_SETTINGS } from "../src/services/seed.ts";
import type { Browser } from "./harness.ts";
import { readJson, syncAndWait, type TestServer, startSyncTestbed, type SyncTestbed } from "./harness.ts";
import type { UpstreamProcess } from "./upstream-process.ts";

let upstream: UpstreamProcess;
let server: TestServer;
let admin: Browser;
let testbed: SyncTestbed | undefined;

beforeAll(async () => {
  testbed = await startSyncTestbed({ upstreamEnv: { UPSTREAM_UPDATES: "600" } });
  ({ upstream, server, admin } = testbed);
});
afterAll(() => testbed?.stop());

const sync = (body: Record<string, unknown> = {}) => syncAndWait(admin, body);

/** How many update bodies a run fetched, from its own log. */
const fetched = (log: string) =>
  Number(/sync: WSUS synchronizing updates, processed (\d+) out of \1 items/.exec(log)?.[1] ?? NaN);

async function digestsMatch(products: string[], classifications: string[]) {
  const q = `products=${products.join(",")}&classifications=${classifications.join(",")}`;
  const ours = await readJson(await admin.request("GET", `/api/sites/CAS/catalog/digest?${q}`));
  const theirs = await upstream.admin<{ count: number; digest: string }>("GET", `/admin/digest?${q}`);
  expect(ours).toEqual(theirs);
  // And nothing beyond the selection.
  expect((await readJson(await admin.request("GET", "/api/sites/CAS/catalog/digest"))).count).toBe(theirs.count);
  return theirs;
}

const { products, classifications } = DEFAULT_SUP_SETTINGS;

describe("delta synchronization", () => {
  it("a first sync is full; a delta after /admin/advance fetches exactly the changed revisions", async () => {
    const first = await sync();
    expect(first.run.state).toBe("succeeded");
    await digestsMatch(products, classifications);
    const sup = await server.db.prisma.softwareUpdatePoint.findFirstOrThrow({ where: { siteCode: "CAS" } });

    // What the upstream will list for our filter since our anchor, asked the way the engine asks.
    await upstream.admin("POST", "/admin/advance", { periods: 1 });
    const client = new WsusssClient({ baseUrl: upstream.url });
    const changed = await client.getRevisionIdList({
      getConfig: false,
      anchor: sup.anchor!,
      categories: products.map((id) => ({ id, delta: true })),
      classifications: classifications.map((id) => ({ id, delta: true })),
    });
    expect(changed.revisions.length).toBeGreaterThan(3);

    const second = await sync();
    expect(second.run.state).toBe("succeeded");
    expect(second.log).toContain("changed update revisions since the last synchronization");
    expect(fetched(second.log)).toBe(changed.revisions.length);
    const counts = second.run.counts as { new: number; revised: number; expired: number };
    expect(counts.new + counts.revised + counts.expired).toBeGreaterThan(0);
    expect(second.run.catalogVersionAfter).toBe(2);
    await digestsMatch(products, classifications);
  });

  it("an incremental apply leaves exactly the catalog a full recomputation would", async () => {
    // Several periods: new cumulative updates supersede earlier ones, revisions replace revisions, some expire.
    await upstream.admin("POST", "/admin/advance", { periods: 4 });
    const delta = await sync();
    expect(delta.run.state).toBe("succeeded");
    expect(delta.log).toContain("changed update revisions since the last synchronization");
    expect((delta.run.counts as Record<string, number>).superseded).toBeGreaterThan(0);
    const entries = () =>
      server.db.prisma.siteCatalogEntry.findMany({
        where: { siteCode: "CAS" },
        select: { updateId: true, revisionNumber: true, isExpired: true, isSuperseded: true },
        orderBy: { updateId: "asc" },
      });
    const afterDelta = await entries();
    expect(afterDelta.filter((e) => e.isSuperseded).length).toBeGreaterThan(0);

    // A full sync recomputes every entry from scratch: it must find nothing to change.
    const full = await sync({ fullSync: true });
    expect(full.run.state).toBe("succeeded");
    expect(full.run.counts).toEqual({ new: 0, revised: 0, expired: 0, superseded: 0, removed: 0 });
    expect(await entries()).toEqual(afterDelta);
    await digestsMatch(products, classifications);
  });

  it("fetches a newly selected product in full for that product only, and removes a deselected one", async () => {
    const defender = "8c3fcc84-7410-4a95-8b89-a166a0190486";
    const definitionUpdates = "e0789628-ce08-4437-be74-2495b842f43b";
    const windows10 = products[0]!;
    const newProducts = [...products.filter((p) => p !== windows10), defender];
    const newClassifications = [...classifications, definitionUpdates];
    await server.db.prisma.supSettings.update({
      where: { id: 1 },
      data: { products: newProducts, classifications: newClassifications },
    });
    const stats = await upstream.admin<{ byProduct: Record<string, number> }>("GET", "/admin/stats");

    const run = await sync();
    expect(run.run.state).toBe("succeeded");
    expect(run.log).toContain(
      `Newly selected since the last synchronization, fetched in full: ${defender}, ${definitionUpdates}`,
    );
    // Only Defender's updates were fetched (nothing else changed upstream).
    expect(fetched(run.log)).toBe(stats.byProduct[defender]);
    expect((run.run.counts as Record<string, number>).removed).toBeGreaterThan(0);
    await digestsMatch(newProducts, newClassifications);
  });

  it("falls back to a full sync with status message 6712 when the upstream rejects the anchor", async () => {
    await server.db.prisma.softwareUpdatePoint.updateMany({
      where: { siteCode: "CAS" },
      data: { anchor: "0,not-an-anchor" },
    });
    const run = await sync();
    expect(run.run.state).toBe("succeeded");
    const messages = await readJson(await admin.request("GET", `/api/status-messages?runId=${run.runId}&sort=time`));
    expect(messages.items.map((m: { messageId: number }) => m.messageId)).toEqual([6701, 6704, 6712, 6705, 6702]);
    expect(run.log).toContain("performing a full synchronization instead");
    const settings = await server.db.prisma.supSettings.findUniqueOrThrow({ where: { id: 1 } });
    await digestsMatch(settings.products, settings.classifications);
  });

  it("a full sync ignores the anchor", async () => {
    const run = await sync({ fullSync: true });
    expect(run.run).toMatchObject({ state: "succeeded", fullSync: true });
    expect(run.log).toContain("Performing sync on local request (full sync)");
    expect(run.log).toContain("update revisions for the selected products and classifications");
    expect(fetched(run.log)).toBe(0); // everything listed is already stored
  });
});
