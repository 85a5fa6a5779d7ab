import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { analystMe } from "../../test-utils/fixtures.ts";
import { pushEvent } from "../../test-utils/fake-realtime.ts";
import { json, mockApi } from "../../test-utils/mock-api.ts";
import { renderApp } from "../../test-utils/render-app.tsx";
import { statusRow } from "../../test-utils/sync-fixtures.ts";
import { buildSiteTree, COLLAPSE_ABOVE } from "./HierarchyPage.tsx";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const secondaries = Array.from({ length: 25 }, (_, i) =>
  statusRow({
    siteCode: `S${String(i).padStart(2, "0")}`,
    parentCode: "P01",
    supServer: `s${i}`,
    state: "succeeded",
    catalogVersion: 3,
  }),
);
const rows = [
  statusRow({ state: "succeeded", catalogVersion: 4 }),
  statusRow({ siteCode: "P01", parentCode: "CAS", supServer: "p01", state: "succeeded", catalogVersion: 3 }),
  statusRow({ siteCode: "P02", parentCode: "CAS", supServer: "p02", state: "failed", lastErrorCode: "X" }),
  ...secondaries,
];
const site = (code: string) => document.querySelector<HTMLElement>(`.hierarchy-site[data-site-code="${code}"]`);

describe("Monitoring › Hierarchy", () => {
  it("draws the site tree colored by state, collapses large subtrees, and follows sup-status events", async () => {
    mockApi({
      "GET /api/auth/me": () => json(200, analystMe),
      "GET /api/sup-sync-status": () => json(200, { items: rows }),
    });
    const app = renderApp("/monitoring/hierarchy");
    const tree = await screen.findByRole("tree", { name: "Sites by synchronization state" });
    expect(site("CAS")!.getAttribute("data-tile")).toBe("inSync");
    expect(site("P01")!.getAttribute("data-tile")).toBe("behind");
    expect(site("P02")!.className).toContain("hierarchy-site--failed");
    expect(site("S00")).toBeTruthy();
    expect(site("S24")).toBeNull();
    fireEvent.click(within(tree).getByRole("button", { name: "Show 5 more child sites of P01" }));
    expect(site("S24")).toBeTruthy();
    fireEvent.click(within(tree).getByRole("button", { name: "Show fewer" }));
    expect(site("S24")).toBeNull();

    await pushEvent(app.realtime, "sup-status", { ...rows[0]!, state: "running", seq: 5 });
    await waitFor(() => expect(site("CAS")!.getAttribute("data-tile")).toBe("inProgress"));
    expect(within(site("CAS")!).getByRole("link", { name: "CAS" }).getAttribute("href")).toBe("/monitoring/sites/CAS");
  });

  it("builds roots from sites without a parent in the list", () => {
    const tree = buildSiteTree(rows);
    expect(tree.map((node) => node.row.siteCode)).toEqual(["CAS"]);
    expect(tree[0]!.children.map((node) => node.row.siteCode)).toEqual(["P01", "P02"]);
    expect(tree[0]!.children[0]!.children).toHaveLength(25);
    expect(COLLAPSE_ABOVE).toBe(20);
  });
});
