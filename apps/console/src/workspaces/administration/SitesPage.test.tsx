import type { Me, SiteNode } from "@syncpoint/contracts";
import { cleanup, fireEvent, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { json, mockApi } from "../../test-utils/mock-api.ts";
import { renderApp } from "../../test-utils/render-app.tsx";
import { flattenSites } from "./SitesPage.tsx";

const me: Me = {
  username: "ana",
  role: "read-only-analyst",
  permissions: ["read"],
  mustChangePassword: false,
  locale: "en-US",
};

const site = (
  code: string,
  type: SiteNode["type"],
  parentCode: string | null,
  children: SiteNode[] = [],
  sups?: SiteNode["sups"],
): SiteNode => ({
  code,
  name: `Site ${code}`,
  type,
  parentCode,
  sups: sups ?? [
    {
      serverName: `${code.toLowerCase()}.contoso.com`,
      syncSource: parentCode ? "parent" : "microsoft-update",
      catalogVersion: 3,
    },
  ],
  children,
});

const hierarchy: SiteNode[] = [
  site("CAS", "central", null, [
    site("P01", "primary", "CAS", [site("S01", "secondary", "P01")]),
    site("P02", "primary", "CAS", [site("S02", "secondary", "P02", [], [])]),
  ]),
];

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe("Sites", () => {
  it("flattens the tree depth first, children after their parent", () => {
    expect(flattenSites(hierarchy).map(({ site, depth }) => `${site.code}@${depth}`)).toEqual([
      "CAS@0",
      "P01@1",
      "S01@2",
      "P02@1",
      "S02@2",
    ]);
  });

  it("shows the hierarchy as an indented table with labels for types and sources", async () => {
    mockApi({ "GET /api/auth/me": () => json(200, me), "GET /api/sites": () => json(200, { items: hierarchy }) });
    renderApp("/administration/sites");
    const table = await screen.findByRole("table", { name: "5 sites" });
    const codes = within(table).getAllByRole("rowheader");
    expect(codes.map((c) => c.textContent)).toEqual(["CAS", "P01", "S01", "P02", "S02"]);
    expect(codes.map((c) => c.style.getPropertyValue("--depth"))).toEqual(["0", "1", "2", "1", "2"]);
    const row = (code: string) =>
      [
        ...codes
          .find((c) => c.textContent === code)!
          .closest("tr")!
          .querySelectorAll("td"),
      ].map((td) => td.textContent);
    expect(row("S01")).toEqual(["Site S01", "Secondary site", "P01", "s01.contoso.com", "Parent site", "3"]);
    expect(row("S02")).toEqual(["Site S02", "Secondary site", "P02", "No software update point", "—", "—"]);
    expect(
      screen.getByRole("navigation", { name: "Navigation pane" }).querySelector('[aria-current="page"]')?.textContent,
    ).toBe("Sites");
  });

  it("says so when there is exactly one site", async () => {
    mockApi({
      "GET /api/auth/me": () => json(200, me),
      "GET /api/sites": () => json(200, { items: [site("CAS", "central", null)] }),
    });
    renderApp("/administration/sites");
    expect(await screen.findByRole("table", { name: "1 site" })).toBeTruthy();
  });

  it("shows a loading state, then an error with a retry that works", async () => {
    let fail = true;
    mockApi({
      "GET /api/auth/me": () => json(200, me),
      "GET /api/sites": () => (fail ? new Response("upstream down", { status: 503 }) : json(200, { items: hierarchy })),
    });
    renderApp("/administration/sites");
    expect((await screen.findByText("Loading the sites…")).getAttribute("role")).toBe("status");
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("The sites could not be loaded.");
    expect(alert.textContent).toContain("The Syncpoint server is not available right now (HTTP 503).");
    fail = false;
    fireEvent.click(within(alert).getByRole("button", { name: "Try again" }));
    expect(await screen.findByRole("table", { name: "5 sites" })).toBeTruthy();
  });
});
