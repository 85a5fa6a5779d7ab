import type { Me, SiteNode } from "@syncpoint/contracts";
import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { adminMe, descriptionOf } from "../../test-utils/fixtures.ts";
import { errorEnvelope, json, mockApi } from "../../test-utils/mock-api.ts";
import { renderApp } from "../../test-utils/render-app.tsx";
import { flattenSites } from "./SitesPage.tsx";

const me: Me = {
  username: "ana",
  role: "read-only-analyst",
  permissions: ["read"],
  mustChangePassword: false,
  locale: "en-US",
  localeChosen: true,
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

describe("Sites actions", () => {
  const serve = (extra: Parameters<typeof mockApi>[0] = {}, items: SiteNode[] = hierarchy) =>
    mockApi({
      "GET /api/auth/me": () => json(200, adminMe),
      "GET /api/sites": () => json(200, { items }),
      ...extra,
    });
  const selectSite = async (code: string) => {
    const grid = await screen.findByRole("table", { name: /sites?$/ });
    fireEvent.click(within(grid).getByRole("rowheader", { name: code }).closest("tr")!);
  };
  const button = (name: string | RegExp) => screen.getByRole("button", { name }) as HTMLButtonElement;

  it("disables each action with the reason where it does not apply", async () => {
    serve();
    renderApp("/administration/sites");
    await screen.findByRole("table", { name: "5 sites" });
    expect(button("Add Primary Site").disabled).toBe(true);
    expect(descriptionOf(button("Add Primary Site"))).toBe("Select a site first.");

    await selectSite("S01");
    expect(descriptionOf(button("Add Secondary Site"))).toBe("A secondary site is added under a primary site.");
    expect(descriptionOf(button("Add Primary Site"))).toBe(
      "A primary site is added under the central administration site.",
    );
    expect(button("Delete").disabled).toBe(false);
    expect(descriptionOf(button(/Software Update Point/))).toBe(
      "Only the top-level site's software update point is configured here.",
    );

    await selectSite("P01");
    expect(button("Add Secondary Site").disabled).toBe(false);
    expect(descriptionOf(button("Delete"))).toBe("Delete the child sites of P01 first.");

    await selectSite("CAS");
    expect(button("Add Primary Site").disabled).toBe(false);
    expect(descriptionOf(button("Delete"))).toBe("The top-level site cannot be deleted.");
    expect(button(/Software Update Point/).disabled).toBe(false);
  });

  it("says 25 primaries is the limit when the central site has them all", async () => {
    const primaries = Array.from({ length: 25 }, (_, i) =>
      site(`P${String(i + 1).padStart(2, "0")}`, "primary", "CAS"),
    );
    serve({}, [site("CAS", "central", null, primaries)]);
    renderApp("/administration/sites");
    await selectSite("CAS");
    expect(button("Add Primary Site").disabled).toBe(true);
    expect(descriptionOf(button("Add Primary Site"))).toBe(
      "25 primaries is the limit for a central administration site.",
    );
  });

  it("a read-only analyst sees the actions disabled with the role's reason", async () => {
    mockApi({ "GET /api/auth/me": () => json(200, me), "GET /api/sites": () => json(200, { items: hierarchy }) });
    renderApp("/administration/sites");
    await selectSite("P01");
    expect(button("Add Secondary Site").disabled).toBe(true);
    expect(descriptionOf(button("Add Secondary Site"))).toMatch(/Read-only Analyst/);
  });

  it("adds a secondary site: checks the fields, sends the site, shows the server's field errors", async () => {
    let attempt = 0;
    const calls = serve({
      "POST /api/sites": () =>
        ++attempt === 1
          ? errorEnvelope(400, "VALIDATION_FAILED", "The request is not valid.", {
              fields: [
                { field: "body.sup.serverName", message: "enter a host name such as p03-sup01.corp.contoso.com" },
              ],
            })
          : attempt === 2
            ? errorEnvelope(409, "SITE_CODE_TAKEN", "body.code: a site with the code S03 already exists.", {
                fields: [{ field: "body.code", message: "a site with the code S03 already exists" }],
              })
            : json(201, { ...site("S03", "secondary", "P01"), createdAt: "2026-11-24T10:00:00.000Z" }),
    });
    renderApp("/administration/sites");
    await selectSite("P01");
    fireEvent.click(button("Add Secondary Site"));
    const dialog = await screen.findByRole("dialog", { name: "Add Secondary Site under P01" });
    const field = (label: string) => within(dialog).getByLabelText(label) as HTMLInputElement;
    fireEvent.change(field("Site code"), { target: { value: "S!" } });
    fireEvent.click(within(dialog).getByRole("button", { name: "Add" }));
    expect(descriptionOf(field("Site code"))).toContain("A site code is three letters or digits, e.g. P03.");
    expect(descriptionOf(field("Site name"))).toContain("Enter a site name.");
    expect(calls.some((c) => c.method === "POST")).toBe(false);

    fireEvent.change(field("Site code"), { target: { value: "s03" } });
    fireEvent.change(field("Site name"), { target: { value: "Stockholm" } });
    fireEvent.change(field("Server name"), { target: { value: "S03-SUP.contoso.com" } });
    fireEvent.click(within(dialog).getByRole("button", { name: "Add" }));
    await within(dialog).findByText("enter a host name such as p03-sup01.corp.contoso.com");
    expect(field("Server name").getAttribute("aria-invalid")).toBe("true");
    expect(calls.find((c) => c.method === "POST")?.body).toEqual({
      code: "S03",
      name: "Stockholm",
      type: "secondary",
      parentCode: "P01",
      sup: { serverName: "s03-sup.contoso.com", port: 8530, sslPort: 8531, useSsl: false },
    });
    // A taken code, which only the server can tell, in the console's words next to the code.
    fireEvent.click(within(dialog).getByRole("button", { name: "Add" }));
    await waitFor(() => expect(descriptionOf(field("Site code"))).toContain("A site with this code already exists."));
    fireEvent.click(within(dialog).getByRole("button", { name: "Add" }));
    expect(await screen.findByText("Site S03 was added.")).toBeTruthy();
    expect(screen.queryByRole("dialog")).toBeNull();
  });

  it("edits a site's properties and sends only what changed", async () => {
    const calls = serve({
      "PATCH /api/sites/S01": () =>
        json(200, { ...site("S01", "secondary", "P01"), createdAt: "2026-11-24T10:00:00.000Z" }),
    });
    renderApp("/administration/sites");
    await selectSite("S01");
    fireEvent.click(button("Properties"));
    const dialog = await screen.findByRole("dialog", { name: "S01 Properties" });
    expect(within(dialog).queryByLabelText("Site code")).toBeNull();
    fireEvent.change(within(dialog).getByLabelText("Site name"), { target: { value: "Stockholm branch" } });
    fireEvent.click(within(dialog).getByLabelText("Require SSL communication to the WSUS server"));
    fireEvent.click(within(dialog).getByRole("button", { name: "OK" }));
    expect(await screen.findByText("Site S01 was saved.")).toBeTruthy();
    expect(calls.find((c) => c.method === "PATCH")?.body).toEqual({
      name: "Stockholm branch",
      sup: { useSsl: true },
    });
  });

  it("deletes after a confirmation naming the site, and shows the server's refusal", async () => {
    serve({
      "DELETE /api/sites/S01": () =>
        errorEnvelope(409, "SYNC_ALREADY_ACTIVE", "A synchronization is already running for this site."),
    });
    renderApp("/administration/sites");
    await selectSite("S01");
    fireEvent.click(button("Delete"));
    const dialog = await screen.findByRole("alertdialog", { name: "Delete site" });
    expect(dialog.textContent).toContain("Delete site S01 (Site S01)");
    fireEvent.click(within(dialog).getByRole("button", { name: "Delete" }));
    expect((await within(dialog).findByRole("alert")).textContent).toMatch(/already running/);
  });
});
