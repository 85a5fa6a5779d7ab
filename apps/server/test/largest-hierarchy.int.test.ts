// The largest hierarchy (SYNCPOINT_HIERARCHY=largest): 1 central site, 25 primaries, 250 secondaries under each,
// created on top of the demo hierarchy, idempotent, within the limits the Sites API enforces, and listed whole by the
// status API the console's Monitoring page reads.
import {
  MAX_PRIMARIES_PER_CENTRAL,
  MAX_SECONDARIES_PER_PRIMARY,
  SiteCode,
  SupSyncStatusList,
} from "@syncpoint/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureLargestHierarchy, largestHierarchyPlan } from "../src/services/largest-hierarchy.ts";
import { Browser, readJson, startTestServer, type TestServer } from "./harness.ts";

const TOTAL = 1 + MAX_PRIMARIES_PER_CENTRAL * (1 + MAX_SECONDARIES_PER_PRIMARY);

describe("the largest hierarchy's plan", () => {
  const plan = largestHierarchyPlan();

  it("has 6 276 sites with distinct, valid site codes, parents before children", () => {
    expect(TOTAL).toBe(6_276);
    expect(plan).toHaveLength(TOTAL);
    expect(new Set(plan.map((site) => site.code)).size).toBe(TOTAL);
    for (const site of plan) expect(SiteCode.safeParse(site.code).success, site.code).toBe(true);
    const seen = new Set<string>();
    for (const site of plan) {
      if (site.parentCode) expect(seen.has(site.parentCode), `${site.code} before ${site.parentCode}`).toBe(true);
      seen.add(site.code);
    }
  });

  it("never generates a code of the demo hierarchy or a reserved name", () => {
    const generated = plan.filter((site) => site.type === "secondary").map((site) => site.code);
    for (const code of ["CAS", "P01", "P02", "S01", "S02", "CON", "NUL", "AUX", "PRN", "SMS"]) {
      expect(generated).not.toContain(code);
    }
  });
});

describe("ensureLargestHierarchy", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it("fills the demo hierarchy up to the maximum, once", async () => {
    const { prisma } = server.ctx;
    const first = await ensureLargestHierarchy(prisma);
    expect(first).toEqual({ created: TOTAL - 5, sites: TOTAL });
    expect(await ensureLargestHierarchy(prisma)).toEqual({ created: 0, sites: TOTAL });

    expect(await prisma.site.count({ where: { type: "primary", parentCode: "CAS" } })).toBe(MAX_PRIMARIES_PER_CENTRAL);
    const perPrimary = await prisma.site.groupBy({
      by: ["parentCode"],
      where: { type: "secondary" },
      _count: { _all: true },
    });
    expect(perPrimary).toHaveLength(MAX_PRIMARIES_PER_CENTRAL);
    for (const group of perPrimary) expect(group._count._all, group.parentCode!).toBe(MAX_SECONDARIES_PER_PRIMARY);
    // The demo's own secondaries are kept and count against their primary's 250.
    expect(await prisma.site.findUnique({ where: { code: "S01" } })).toMatchObject({ parentCode: "P01" });
    expect(await prisma.softwareUpdatePoint.count()).toBe(TOTAL);
  });

  it("leaves the Sites API's limits in force, and the status API lists every site", async () => {
    const browser = new Browser(server.url);
    await browser.login();
    const refused = await browser.request("POST", "/api/sites", {
      code: "Q99",
      name: "One too many",
      type: "secondary",
      parentCode: "P07",
      sup: { serverName: "q99-sup01.corp.contoso.com" },
    });
    expect(refused.status).toBe(409);
    expect(await readJson(refused)).toMatchObject({ error: { code: "SITE_LIMIT_REACHED" } });

    const status = await browser.request("GET", "/api/sup-sync-status");
    expect(status.status).toBe(200);
    const list = SupSyncStatusList.parse(await readJson(status));
    expect(list.items).toHaveLength(TOTAL);
    expect(list.items.filter((row) => row.parentCode === "P25")).toHaveLength(MAX_SECONDARIES_PER_PRIMARY);
  });
});
