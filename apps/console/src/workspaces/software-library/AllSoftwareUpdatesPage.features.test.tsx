// All Software Updates: the filters in the URL, the details pane, the column chooser and Export to CSV.
import type { CategoryDto, SoftwareUpdateDetails, SoftwareUpdateItem, SoftwareUpdatePage } from "@syncpoint/contracts";
import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { softwareUpdatesExportUrl, softwareUpdatesQueryString } from "../../api/software-updates.ts";
import { adminMe } from "../../test-utils/fixtures.ts";
import { errorEnvelope, json, mockApi, type ApiCall, type Handler } from "../../test-utils/mock-api.ts";
import { renderApp } from "../../test-utils/render-app.tsx";
import { softwareUpdate } from "../../test-utils/sync-fixtures.ts";
import {
  COLUMNS_STORAGE_KEY,
  DEFAULT_COLUMNS,
  readColumns,
  readUpdatesView,
  updatesRequest,
  updatesViewParams,
} from "./software-updates-view.ts";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  window.localStorage.clear();
});

const PATH = "/software-library/software-updates/all";
const TABLE = "All Software Updates";
const SECURITY = "0fa1201d-4330-4fa8-8ae9-b877473b6441";
const CRITICAL = "e6cf1350-c01b-414d-a61f-263d14d133b4";
const WINDOWS_11 = "72e7624a-5b00-45d2-b92f-e561c0a6a160";

const category = (id: string, type: CategoryDto["type"], title: string): CategoryDto => ({
  id,
  type,
  title,
  parentIds: [],
  firstSeenAt: "2025-01-01T00:00:00.000Z",
  isNew: false,
});

function details(n: number, overrides: Partial<SoftwareUpdateDetails> = {}): SoftwareUpdateDetails {
  return {
    ...softwareUpdate(n),
    siteCode: "CAS",
    description: `Install this update to resolve issues in Windows (${n}).`,
    updateType: "Software",
    supportUrl: null,
    moreInfoUrl: null,
    languages: ["en"],
    maxDownloadSize: 1_000_000,
    isBundle: false,
    supersedes: [],
    supersededBy: [],
    bundledUpdates: [],
    revisions: [
      {
        revisionNumber: 200 + n,
        title: softwareUpdate(n).title,
        storedAt: "2025-05-14T00:00:00.000Z",
        isCurrent: true,
      },
    ],
    files: [],
    ...overrides,
  };
}

/** Serves the list (`total` updates), the categories, and the details in `detailsOf`. */
function serve({
  total = 3,
  make = (n: number) => softwareUpdate(n),
  detailsOf = {} as Record<number, Handler>,
} = {}): ApiCall[] {
  const routes: Record<string, Handler> = {
    "GET /api/auth/me": () => json(200, adminMe),
    "GET /api/categories": ({ url }) =>
      json(200, {
        items:
          url.searchParams.get("type") === "classification"
            ? [
                category(SECURITY, "UpdateClassification", "Security Updates"),
                category(CRITICAL, "UpdateClassification", "Critical Updates"),
              ]
            : [category(WINDOWS_11, "Product", "Windows 11")],
      }),
    "GET /api/software-updates": ({ url }) => {
      const page = Number(url.searchParams.get("page"));
      const pageSize = Number(url.searchParams.get("pageSize"));
      const first = (page - 1) * pageSize + 1;
      const count = Math.max(0, Math.min(pageSize, total - first + 1));
      const items: SoftwareUpdateItem[] = Array.from({ length: count }, (_, i) => make(first + i));
      return json(200, { items, total, page, pageSize } satisfies SoftwareUpdatePage);
    },
  };
  for (const [n, handler] of Object.entries(detailsOf)) {
    routes[`GET /api/software-updates/${softwareUpdate(Number(n)).updateId}`] = handler;
  }
  return mockApi(routes);
}

const listCalls = (calls: ApiCall[]) =>
  calls.filter((c) => c.path.startsWith("/api/software-updates?")).map((c) => c.path.split("?")[1]);

describe("All Software Updates filters (URL state)", () => {
  it("reads every filter from the URL, writes it back, and sends it to the API and the export", () => {
    const url =
      `search=CVE-2025-21204&severity=Critical&classification=${SECURITY.toUpperCase()}&product=${WINDOWS_11}` +
      `&expired=false&superseded=true&releasedFrom=2025-01-01&releasedTo=2025-06-30&sort=title&page=2`;
    const view = readUpdatesView(new URLSearchParams(url));
    expect(view).toMatchObject({ classification: SECURITY, expired: "false", superseded: "true" });
    expect(updatesViewParams(view).toString()).toBe(
      `search=CVE-2025-21204&severity=Critical&classification=${SECURITY}&product=${WINDOWS_11}` +
        `&expired=false&superseded=true&releasedFrom=2025-01-01&releasedTo=2025-06-30&sort=title&page=2`,
    );
    const request = updatesRequest(view);
    expect(softwareUpdatesQueryString(request)).toBe(
      `page=2&pageSize=50&sort=title&search=CVE-2025-21204&severity=Critical&classification=${SECURITY}` +
        `&product=${WINDOWS_11}&expired=false&superseded=true&releasedFrom=2025-01-01&releasedTo=2025-06-30`,
    );
    const { page: _p, pageSize: _s, ...rest } = request;
    expect(softwareUpdatesExportUrl(rest)).toBe(
      `/api/software-updates/export.csv?sort=title&search=CVE-2025-21204&severity=Critical&classification=${SECURITY}` +
        `&product=${WINDOWS_11}&expired=false&superseded=true&releasedFrom=2025-01-01&releasedTo=2025-06-30`,
    );
  });

  it("drops filter values the API would refuse", () => {
    const view = readUpdatesView(
      new URLSearchParams(
        "classification=security&product=1&expired=maybe&releasedFrom=2025-13-45&releasedTo=May&update=x",
      ),
    );
    expect(updatesViewParams(view).toString()).toBe("");
  });

  it("filters by classification, product, dates, expired and superseded through the URL, and clears them", async () => {
    const calls = serve({ total: 3 });
    const app = renderApp(`${PATH}?page=2&search=KB5000001`);
    const form = await screen.findByRole("search", { name: "Search software updates" });
    const classification = within(form).getByLabelText("Classification") as HTMLSelectElement;
    await waitFor(() => expect(within(classification).getByRole("option", { name: "Critical Updates" })).toBeTruthy());

    fireEvent.change(classification, { target: { value: CRITICAL } });
    await waitFor(() => expect(app.location().search).toBe(`?search=KB5000001&classification=${CRITICAL}`));
    await waitFor(() => expect(within(form).getByRole("option", { name: "Windows 11" })).toBeTruthy());
    fireEvent.change(within(form).getByLabelText("Product"), { target: { value: WINDOWS_11 } });
    fireEvent.change(within(form).getByLabelText("Released from"), { target: { value: "2025-01-01" } });
    fireEvent.change(within(form).getByLabelText("Released to"), { target: { value: "2025-06-30" } });
    fireEvent.change(within(form).getByLabelText("Expired"), { target: { value: "false" } });
    fireEvent.change(within(form).getByLabelText("Superseded"), { target: { value: "true" } });
    await waitFor(() =>
      expect(listCalls(calls).at(-1)).toBe(
        `page=1&pageSize=50&sort=-releaseDate&search=KB5000001&classification=${CRITICAL}&product=${WINDOWS_11}` +
          `&expired=false&superseded=true&releasedFrom=2025-01-01&releasedTo=2025-06-30`,
      ),
    );

    fireEvent.click(within(form).getByRole("button", { name: "Clear filters" }));
    await waitFor(() => expect(app.location().search).toBe(""));
    expect((within(form).getByLabelText("Search") as HTMLInputElement).value).toBe("");
    expect((within(form).getByLabelText("Superseded") as HTMLSelectElement).value).toBe("");
    await waitFor(() => expect(listCalls(calls).at(-1)).toBe("page=1&pageSize=50&sort=-releaseDate"));
    expect((within(form).getByRole("button", { name: "Clear filters" }) as HTMLButtonElement).disabled).toBe(true);
  });

  it("says when nothing matches the filters", async () => {
    serve({ total: 0 });
    renderApp(`${PATH}?superseded=true`);
    expect(await screen.findByText("No software updates match this search and filter.")).toBeTruthy();
  });
});

describe("All Software Updates details pane", () => {
  it("shows the Summary with KB and CVE links, supersedence, bundled updates, revisions and files", async () => {
    const other = softwareUpdate(3);
    const calls = serve({
      detailsOf: {
        2: () =>
          json(
            200,
            details(2, {
              cveIds: ["CVE-2025-21204"],
              bulletinIds: ["MS25-001"],
              isSuperseded: true,
              supersedes: [
                { updateId: softwareUpdate(1).updateId, title: softwareUpdate(1).title, inCatalog: true },
                { updateId: "00000000-0000-4000-8000-00000000ffff", title: null, inCatalog: false },
              ],
              supersededBy: [
                {
                  updateId: other.updateId,
                  revisionNumber: 203,
                  title: other.title,
                  releaseDate: "2025-06-10T17:00:00.000Z",
                },
              ],
              bundledUpdates: [
                {
                  updateId: "00000000-0000-4000-8000-00000000aaaa",
                  title: "Leaf for x64",
                  inCatalog: false,
                  revisionNumber: 5,
                },
              ],
              revisions: [
                {
                  revisionNumber: 202,
                  title: softwareUpdate(2).title,
                  storedAt: "2025-05-14T00:00:00.000Z",
                  isCurrent: true,
                },
                { revisionNumber: 201, title: "Older title", storedAt: "2025-05-01T00:00:00.000Z", isCurrent: false },
              ],
              files: [
                {
                  fileName: "windows11.0-kb5000002-x64.msu",
                  size: 1_572_864,
                  sha1Digest: "q83vEjRWeJq83vEjRWeJq83vEjQ=",
                  sha256Digest: null,
                  modified: null,
                },
              ],
            }),
          ),
        3: () => json(200, details(3)),
      },
    });
    const app = renderApp(PATH);
    const table = await screen.findByRole("table", { name: TABLE });
    expect(screen.getByText("Select a software update to see its details.")).toBeTruthy();
    fireEvent.click(within(table).getAllByRole("row")[2]!);
    expect(app.location().search).toBe(`?update=${softwareUpdate(2).updateId}`);
    const pane = screen.getByRole("region", { name: softwareUpdate(2).title });
    await within(pane).findByRole("region", { name: "Summary" });

    const summary = within(pane).getByRole("region", { name: "Summary" });
    expect(within(summary).getByRole("link", { name: "KB5000002" }).getAttribute("href")).toBe(
      "https://support.microsoft.com/kb/5000002",
    );
    expect(within(summary).getByRole("link", { name: "CVE-2025-21204" }).getAttribute("href")).toBe(
      "https://www.cve.org/CVERecord?id=CVE-2025-21204",
    );
    expect(summary.textContent).toContain("Install this update to resolve issues in Windows (2).");
    expect(summary.textContent).toContain(softwareUpdate(2).updateId);
    expect(summary.textContent).toContain("MS25-001");
    expect(summary.textContent).toContain("Security Updates");
    expect(summary.textContent).toContain("Windows 11");
    expect(summary.textContent).toContain("May 13, 2025");
    expect(summary.textContent).toMatch(/Maximum run time\s*60 minutes/);
    expect(summary.textContent).toMatch(/Superseded\s*Yes/);
    expect(summary.textContent).toMatch(/Expired\s*No/);

    const supersedence = within(pane).getByRole("region", { name: "Supersedence" });
    expect(within(supersedence).getByRole("button", { name: softwareUpdate(1).title })).toBeTruthy();
    expect(supersedence.textContent).toContain("00000000-0000-4000-8000-00000000ffff (not in the catalog)");
    expect(within(supersedence).queryByRole("button", { name: /ffff/ })).toBeNull();
    const bundled = within(pane).getByRole("region", { name: "Bundled updates" });
    expect(bundled.textContent).toContain("Leaf for x64 (not in the catalog) revision 5");
    const revisions = within(pane).getByRole("table", { name: "Revisions" });
    expect(within(revisions).getAllByRole("row")).toHaveLength(3);
    expect(revisions.textContent).toContain("Older title");
    const files = within(pane).getByRole("table", { name: "Files" });
    expect(files.textContent).toContain("windows11.0-kb5000002-x64.msu");
    expect(files.textContent).toContain("1.5 MB");
    expect(files.textContent).toContain("q83vEjRWeJq83vEjRWeJq83vEjQ=");

    // Superseded by: the newer update opens in the pane, and its row is selected.
    fireEvent.click(within(supersedence).getByRole("button", { name: other.title }));
    await waitFor(() => expect(app.location().search).toBe(`?update=${other.updateId}`));
    await screen.findByRole("region", { name: other.title });
    await waitFor(() => expect(screen.getByText("Install this update to resolve issues in Windows (3).")).toBeTruthy());
    expect(within(table).getAllByRole("row")[3]!.getAttribute("aria-selected")).toBe("true");
    expect(calls.some((c) => c.path === `/api/software-updates/${other.updateId}`)).toBe(true);
  });

  it("opens the update the URL names, even when it is not on the page shown", async () => {
    serve({ total: 1, detailsOf: { 2: () => json(200, details(2)) } });
    renderApp(`${PATH}?update=${softwareUpdate(2).updateId}`);
    expect(await screen.findByRole("region", { name: softwareUpdate(2).title })).toBeTruthy();
    expect(screen.getByText("This update supersedes no other update.")).toBeTruthy();
    expect(screen.getByText("No update in the catalog supersedes this update.")).toBeTruthy();
    expect(screen.getByText("This update is not a bundle.")).toBeTruthy();
    expect(screen.getByText("This update has no files.")).toBeTruthy();
  });

  it("says when the details could not be loaded, and tries again", async () => {
    let fail = true;
    serve({
      detailsOf: {
        1: () => (fail ? errorEnvelope(404, "NOT_FOUND", "No such software update.") : json(200, details(1))),
      },
    });
    renderApp(`${PATH}?update=${softwareUpdate(1).updateId}`);
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("The details of the software update could not be loaded.");
    expect(alert.textContent).toContain("No such software update.");
    fail = false;
    fireEvent.click(within(alert).getByRole("button", { name: "Try again" }));
    expect(await screen.findByRole("region", { name: "Summary" })).toBeTruthy();
  });
});

describe("All Software Updates column chooser", () => {
  const headers = (table: HTMLElement) =>
    within(table)
      .getAllByRole("columnheader")
      .map((th) => th.textContent?.replace(/[▲▼]/g, ""));

  it("shows and hides columns, and keeps the choice in localStorage across a reload", async () => {
    serve({ total: 2, make: (n) => softwareUpdate(n, { bulletinIds: ["MS25-00" + n] }) });
    renderApp(PATH);
    let table = await screen.findByRole("table", { name: TABLE });
    expect(headers(table)).not.toContain("Maximum Run Time");
    fireEvent.click(screen.getByText("Columns"));
    const chooser = screen.getByRole("group", { name: "Show these columns" });
    expect((within(chooser).getByLabelText("Title") as HTMLInputElement).disabled).toBe(true);
    fireEvent.click(within(chooser).getByLabelText("Maximum Run Time"));
    fireEvent.click(within(chooser).getByLabelText("Expired"));
    fireEvent.click(within(chooser).getByLabelText("Bulletin ID"));
    expect(headers(table)).toEqual([
      "Title",
      "Article ID",
      "Bulletin ID",
      "Classification",
      "Product",
      "Severity",
      "Date Released",
      "Superseded",
      "Maximum Run Time",
    ]);
    expect(within(table).getAllByRole("row")[1]!.textContent).toContain("60 minutes");
    expect(within(table).getAllByRole("row")[1]!.textContent).toContain("MS25-001");
    expect(JSON.parse(window.localStorage.getItem(COLUMNS_STORAGE_KEY)!)).not.toContain("expired");
    // Escape closes the chooser.
    const disclosure = chooser.closest("details")!;
    await waitFor(() => expect(disclosure.open).toBe(true));
    fireEvent.keyDown(document, { key: "Escape" });
    await waitFor(() => expect(disclosure.open).toBe(false));

    cleanup();
    renderApp(PATH);
    table = await screen.findByRole("table", { name: TABLE });
    expect(headers(table)).toContain("Maximum Run Time");
    expect(headers(table)).not.toContain("Expired");
  });

  it("falls back to the default columns when the saved choice is unreadable", () => {
    expect(readColumns({ getItem: () => "{not json" })).toEqual(DEFAULT_COLUMNS);
    expect(readColumns({ getItem: () => JSON.stringify(["severity", "bogus"]) })).toEqual(["title", "severity"]);
  });
});

describe("All Software Updates export", () => {
  it("links Export to CSV to the export of the filtered, sorted view", async () => {
    serve({ total: 2 });
    const app = renderApp(`${PATH}?search=KB5000001&severity=Critical&superseded=false&sort=title&page=1`);
    await screen.findByRole("table", { name: TABLE });
    const link = screen.getByRole("link", { name: "Export to CSV" });
    expect(link.getAttribute("download")).toBe("software-updates.csv");
    expect(link.getAttribute("href")).toBe(
      "/api/software-updates/export.csv?sort=title&search=KB5000001&severity=Critical&superseded=false",
    );
    fireEvent.change(screen.getByLabelText("Released from"), { target: { value: "2025-02-01" } });
    await waitFor(() => expect(app.location().search).toContain("releasedFrom=2025-02-01"));
    expect(screen.getByRole("link", { name: "Export to CSV" }).getAttribute("href")).toBe(
      "/api/software-updates/export.csv?sort=title&search=KB5000001&severity=Critical&superseded=false&releasedFrom=2025-02-01",
    );
  });
});
