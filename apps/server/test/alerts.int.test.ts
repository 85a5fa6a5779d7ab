// New products and classifications (sync-engine issue, "Categories"): stored with their first-seen time on every
// sync; ones that appear after the first sync are flagged and raise an alert naming them, which an administrator
// acknowledges (audited) — never silently ignored.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "./harness.ts";
import { readJson, syncAndWait, startSyncTestbed, type SyncTestbed } from "./harness.ts";
import type { UpstreamProcess } from "./upstream-process.ts";

let upstream: UpstreamProcess;
let admin: Browser;
let testbed: SyncTestbed | undefined;

beforeAll(async () => {
  testbed = await startSyncTestbed({ upstreamEnv: { UPSTREAM_UPDATES: "300" } });
  ({ upstream, admin } = testbed);
});
afterAll(() => testbed?.stop());

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- API JSON read field by field
const alerts = async (query = ""): Promise<any[]> =>
  (await readJson(await admin.request("GET", `/api/alerts${query}`))).items;

describe("new products and classifications", () => {
  it("the first sync stores every category with its first-seen time and flags none", async () => {
    expect((await syncAndWait(admin)).run.state).toBe("succeeded");
    const { items } = await readJson(await admin.request("GET", "/api/categories"));
    expect(items.length).toBeGreaterThan(20);
    expect(items.every((c: { isNew: boolean; firstSeenAt: string }) => !c.isNew && c.firstSeenAt)).toBe(true);
    expect(await alerts()).toEqual([]);
  });

  it("a product published later is flagged and raises one alert naming it", async () => {
    // The upstream publishes a product nobody selected every third period.
    const advanced = await upstream.admin<{ newProducts: string[] }>("POST", "/admin/advance", { periods: 3 });
    expect(advanced.newProducts).toHaveLength(1);
    const productId = advanced.newProducts[0]!;

    const run = await syncAndWait(admin);
    expect(run.run.state).toBe("succeeded");
    expect(run.log).toContain("Found 1 new categories (products or classifications)");
    const { items } = await readJson(await admin.request("GET", "/api/categories?type=product"));
    const product = items.find((c: { id: string }) => c.id === productId);
    expect(product).toMatchObject({ type: "Product", isNew: true });
    expect(items.filter((c: { isNew: boolean }) => c.isNew)).toHaveLength(1);

    const open = await alerts("?state=active");
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({
      type: "new-categories",
      severity: "warning",
      state: "active",
      siteCode: "CAS",
      title: "1 new product or classification available",
    });
    expect(open[0].message).toContain(`${product.title} (product)`);
    expect(open[0].details.categories).toEqual([{ id: productId, title: product.title, type: "product" }]);
  });

  it("acknowledging is audited; an alert that is not active cannot be acknowledged again", async () => {
    const [alert] = await alerts("?state=active");
    const acknowledged = await admin.request("POST", `/api/alerts/${alert.id}/acknowledge`, {});
    expect(acknowledged.status).toBe(200);
    expect(await readJson(acknowledged)).toMatchObject({ state: "acknowledged", acknowledgedBy: "admin" });

    const again = await admin.request("POST", `/api/alerts/${alert.id}/acknowledge`, {});
    expect(again.status).toBe(409);
    expect((await readJson(again)).error.code).toBe("ALERT_NOT_ACTIVE");
    const missing = await admin.request("POST", "/api/alerts/00000000-0000-4000-8000-000000000000/acknowledge", {});
    expect(missing.status).toBe(404);

    const audit = await readJson(await admin.request("GET", "/api/audit?action=alert.acknowledge"));
    expect(audit.items.map((e: { outcome: string }) => e.outcome).sort()).toEqual(["failure", "failure", "success"]);
    expect(audit.items.find((e: { outcome: string }) => e.outcome === "success")).toMatchObject({
      targetType: "alert",
      targetId: alert.id,
      before: { state: "active" },
      after: { state: "acknowledged" },
    });
  });

  it("a sync with nothing new leaves the acknowledged alert alone; the next new product reopens it with both", async () => {
    expect((await syncAndWait(admin)).run.state).toBe("succeeded");
    expect(await alerts("?state=active")).toEqual([]);
    expect(await alerts("?state=acknowledged")).toHaveLength(1);

    const advanced = await upstream.admin<{ newProducts: string[] }>("POST", "/admin/advance", { periods: 3 });
    expect(advanced.newProducts).toHaveLength(1);
    expect((await syncAndWait(admin)).run.state).toBe("succeeded");
    const all = await alerts();
    expect(all).toHaveLength(1); // the same alert, raised again
    expect(all[0]).toMatchObject({
      state: "active",
      acknowledgedBy: null,
      title: "2 new products or classifications available",
    });
    expect(all[0].details.categories.map((c: { id: string }) => c.id)).toContain(advanced.newProducts[0]);
  });

  it("rejects a malformed alert id and filter with 400 naming the field", async () => {
    const badId = await admin.request("POST", "/api/alerts/not-an-id/acknowledge", {});
    expect(badId.status).toBe(400);
    expect(JSON.stringify(await readJson(badId))).toContain("params.id");
    const badState = await admin.request("GET", "/api/alerts?state=open");
    expect(badState.status).toBe(400);
    expect(JSON.stringify(await readJson(badState))).toContain("query.state");
  });
});
