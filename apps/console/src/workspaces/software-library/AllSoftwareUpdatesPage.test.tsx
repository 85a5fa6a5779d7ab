import type { SoftwareUpdateItem, SoftwareUpdatePage } from "@syncpoint/contracts";
import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { softwareUpdatesQueryString } from "../../api/software-updates.ts";
import { adminMe, analystMe, descriptionOf, managerMe } from "../../test-utils/fixtures.ts";
import { errorEnvelope, json, mockApi, type ApiCall, type Handler } from "../../test-utils/mock-api.ts";
import { fakeLayout, scrollFrame } from "../../test-utils/layout.ts";
import { renderApp } from "../../test-utils/render-app.tsx";
import { RUN_ID, OTHER_RUN_ID, softwareUpdate } from "../../test-utils/sync-fixtures.ts";
import {
  nextSort,
  readUpdatesView,
  sortDirection,
  updatesRequest,
  updatesViewParams,
} from "./software-updates-view.ts";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const PATH = "/software-library/software-updates/all";
const TABLE = "All Software Updates";

/** Serves GET /api/software-updates: `total` updates, the page asked for. */
function serveUpdates(
  total: number,
  { me = adminMe, routes = {}, make = (n: number) => softwareUpdate(n) } = {} as {
    me?: typeof adminMe;
    routes?: Record<string, Handler>;
    make?: (n: number) => SoftwareUpdateItem;
  },
) {
  return mockApi({
    ...routes,
    "GET /api/auth/me": () => json(200, me),
    "GET /api/software-updates": ({ url }) => {
      const page = Number(url.searchParams.get("page"));
      const pageSize = Number(url.searchParams.get("pageSize"));
      const first = (page - 1) * pageSize + 1;
      const count = Math.max(0, Math.min(pageSize, total - first + 1));
      const items = Array.from({ length: count }, (_, i) => make(first + i));
      return json(200, { items, total, page, pageSize } satisfies SoftwareUpdatePage);
    },
  });
}

const updateCalls = (calls: ApiCall[]) =>
  calls.filter((c) => c.path.startsWith("/api/software-updates")).map((c) => c.path.split("?")[1]);

describe("All Software Updates view (URL state)", () => {
  it("builds the API query from the URL: page, sort, search and severity, with 50 updates a page", () => {
    const view = readUpdatesView(new URLSearchParams("page=3&sort=title&search= KB5044285 &severity=Critical"));
    expect(softwareUpdatesQueryString(updatesRequest(view))).toBe(
      "page=3&pageSize=50&sort=title&search=KB5044285&severity=Critical",
    );
    expect(updatesViewParams(view).toString()).toBe("search=KB5044285&severity=Critical&sort=title&page=3");
  });

  it("falls back to the defaults for values the API would refuse, and writes nothing for them", () => {
    const view = readUpdatesView(new URLSearchParams("page=0&pageSize=77&sort=size&severity=Urgent"));
    expect(view).toEqual({
      page: 1,
      pageSize: 50,
      sort: "-releaseDate",
      search: "",
      severity: "",
      classification: "",
      product: "",
      expired: "",
      superseded: "",
      releasedFrom: "",
      releasedTo: "",
      update: "",
    });
    expect(softwareUpdatesQueryString(updatesRequest(view))).toBe("page=1&pageSize=50&sort=-releaseDate");
    expect(updatesViewParams(view).toString()).toBe("");
  });

  it("sorts a column first in its natural direction, then the other way", () => {
    expect(nextSort("-releaseDate", "title")).toBe("title");
    expect(nextSort("title", "title")).toBe("-title");
    expect(nextSort("-title", "title")).toBe("title");
    expect(nextSort("title", "releaseDate")).toBe("-releaseDate");
    expect(nextSort("title", "severity")).toBe("-severity");
    expect(nextSort("-releaseDate", "kb")).toBe("kb");
    expect(sortDirection("-severity", "severity")).toBe("descending");
    expect(sortDirection("-severity", "title")).toBeUndefined();
  });
});

describe("All Software Updates", () => {
  it("lists the updates with the count, the columns and the page the URL names", async () => {
    const calls = serveUpdates(1234);
    renderApp(`${PATH}?page=2&severity=Important`);
    const table = await screen.findByRole("table", { name: TABLE });
    expect(updateCalls(calls)).toEqual(["page=2&pageSize=50&sort=-releaseDate&severity=Important"]);
    // The raw count: "1234 software updates", no grouping separator.
    expect(screen.getByText("1234 software updates")).toBeTruthy();
    expect(screen.getByText("Page 2 of 25")).toBeTruthy();
    expect(
      within(table)
        .getAllByRole("columnheader")
        .map((th) => th.textContent),
    ).toEqual([
      "Title",
      "Article ID",
      "Classification",
      "Product",
      "Severity",
      "Date Released▼",
      "Expired",
      "Superseded",
    ]);
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows).toHaveLength(50);
    expect([...rows[0]!.querySelectorAll("td")].map((td) => td.textContent)).toEqual([
      softwareUpdate(51).title,
      "KB5000051",
      "Security Updates",
      "Windows 11",
      "Important",
      "May 13, 2025",
      "No",
      "No",
    ]);
    expect(within(table).getByRole("columnheader", { name: "Date Released" }).getAttribute("aria-sort")).toBe(
      "descending",
    );
    expect(within(table).getByRole("columnheader", { name: "Title" }).getAttribute("aria-sort")).toBeNull();
  });

  it("pages with Next page and Previous page through the URL", async () => {
    const calls = serveUpdates(120);
    const app = renderApp(PATH);
    const table = await screen.findByRole("table", { name: TABLE });
    const previous = screen.getByRole("button", { name: "Previous page" }) as HTMLButtonElement;
    const next = screen.getByRole("button", { name: "Next page" }) as HTMLButtonElement;
    expect(previous.disabled).toBe(true);
    expect(screen.getByText("Page 1 of 3")).toBeTruthy();

    fireEvent.click(next);
    await screen.findByText("Page 2 of 3");
    expect(app.location().search).toBe("?page=2");
    await waitFor(() => expect(within(table).getAllByRole("row")[1]?.textContent).toContain(softwareUpdate(51).title));
    fireEvent.click(next);
    await screen.findByText("Page 3 of 3");
    expect(next.disabled).toBe(true);
    await waitFor(() => expect(within(table).getAllByRole("row")).toHaveLength(21));
    fireEvent.click(previous);
    await screen.findByText("Page 2 of 3");
    expect(updateCalls(calls)).toEqual([
      "page=1&pageSize=50&sort=-releaseDate",
      "page=2&pageSize=50&sort=-releaseDate",
      "page=3&pageSize=50&sort=-releaseDate",
    ]);
  });

  it("sorts by a column header, back on the first page, and says so with aria-sort", async () => {
    const calls = serveUpdates(80);
    const app = renderApp(`${PATH}?page=2`);
    await screen.findByRole("table", { name: TABLE });
    fireEvent.click(screen.getByRole("button", { name: "Article ID" }));
    await waitFor(() => expect(app.location().search).toBe("?sort=kb"));
    await waitFor(() =>
      expect(screen.getByRole("columnheader", { name: /Article ID/ }).getAttribute("aria-sort")).toBe("ascending"),
    );
    fireEvent.click(screen.getByRole("button", { name: /Article ID/ }));
    await waitFor(() => expect(app.location().search).toBe("?sort=-kb"));
    fireEvent.click(screen.getByRole("button", { name: /Severity/ }));
    await waitFor(() => expect(app.location().search).toBe("?sort=-severity"));
    await waitFor(() => expect(updateCalls(calls).at(-1)).toBe("page=1&pageSize=50&sort=-severity"));
    expect(updateCalls(calls)).toContain("page=1&pageSize=50&sort=kb");
  });

  it("searches a moment after typing stops, and filters by severity at once", async () => {
    const calls = serveUpdates(80);
    const app = renderApp(`${PATH}?page=2`);
    await screen.findByRole("table", { name: TABLE });
    const search = screen.getByRole("search", { name: "Search software updates" });
    const box = within(search).getByLabelText("Search") as HTMLInputElement;
    fireEvent.change(box, { target: { value: "CVE-2025" } });
    fireEvent.change(box, { target: { value: "CVE-2025-21" } });
    expect(app.location().search).toBe("?page=2");
    await waitFor(() => expect(app.location().search).toBe("?search=CVE-2025-21"));
    await waitFor(() =>
      expect(updateCalls(calls).at(-1)).toBe("page=1&pageSize=50&sort=-releaseDate&search=CVE-2025-21"),
    );
    // One request for the finished word, none for the keystrokes before it.
    expect(updateCalls(calls).filter((q) => q?.includes("search="))).toHaveLength(1);

    fireEvent.change(within(search).getByLabelText("Severity"), { target: { value: "Critical" } });
    await waitFor(() => expect(app.location().search).toBe("?search=CVE-2025-21&severity=Critical"));
    expect(box.value).toBe("CVE-2025-21");
  });

  it("says there are no updates yet, and how to get them", async () => {
    serveUpdates(0);
    renderApp(PATH);
    expect(
      await screen.findByText(
        "No software updates yet. Synchronize Software Updates to get them from the update source.",
      ),
    ).toBeTruthy();
    expect(screen.queryByRole("table")).toBeNull();
    expect(screen.queryByRole("navigation", { name: "Pages of software updates" })).toBeNull();
  });

  it("says when the list could not be loaded, and tries again", async () => {
    let fail = true;
    mockApi({
      "GET /api/auth/me": () => json(200, adminMe),
      "GET /api/software-updates": () =>
        fail
          ? errorEnvelope(503, "SERVICE_UNAVAILABLE", "The service is not ready.")
          : json(200, { items: [], total: 0, page: 1, pageSize: 50 }),
    });
    renderApp(PATH);
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("The software updates could not be loaded.");
    expect(alert.textContent).toContain("The service is not ready.");
    fail = false;
    fireEvent.click(within(alert).getByRole("button", { name: "Try again" }));
    await screen.findByText(/No software updates yet/);
  });
});

describe("Synchronize Software Updates", () => {
  it("asks first, then starts a delta synchronization and links to the run", async () => {
    const calls = serveUpdates(0, { routes: { "POST /api/sync": () => json(202, { runId: RUN_ID }) } });
    renderApp(PATH);
    fireEvent.click(await screen.findByRole("button", { name: "Synchronize Software Updates" }));
    const dialog = screen.getByRole("dialog", { name: "Synchronize Software Updates" });
    expect(dialog.textContent).toContain(
      "Do you want to initiate a site-wide synchronization of software updates? This process can take some time.",
    );
    expect(
      (within(dialog).getByLabelText("Full synchronization (ignore the last anchor)") as HTMLInputElement).checked,
    ).toBe(false);
    expect(calls.some((c) => c.method === "POST")).toBe(false);

    fireEvent.click(within(dialog).getByRole("button", { name: "Yes" }));
    const started = await screen.findByText(/Synchronization started/);
    expect(started.getAttribute("role")).toBe("status");
    expect(within(started).getByRole("link", { name: "View the run" }).getAttribute("href")).toBe(
      `/monitoring/sync-runs/${RUN_ID}`,
    );
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(calls.find((c) => c.path === "/api/sync")).toMatchObject({ method: "POST", body: { fullSync: false } });
  });

  it("asks for a full synchronization when it is ticked; No sends nothing", async () => {
    const calls = serveUpdates(0, { me: managerMe, routes: { "POST /api/sync": () => json(202, { runId: RUN_ID }) } });
    renderApp(PATH);
    fireEvent.click(await screen.findByRole("button", { name: "Synchronize Software Updates" }));
    fireEvent.click(within(screen.getByRole("dialog")).getByRole("button", { name: "No" }));
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(calls.some((c) => c.path === "/api/sync")).toBe(false);

    fireEvent.click(screen.getByRole("button", { name: "Synchronize Software Updates" }));
    const dialog = screen.getByRole("dialog", { name: "Synchronize Software Updates" });
    fireEvent.click(within(dialog).getByLabelText("Full synchronization (ignore the last anchor)"));
    fireEvent.click(within(dialog).getByRole("button", { name: "Yes" }));
    await screen.findByText(/Synchronization started/);
    expect(calls.find((c) => c.path === "/api/sync")?.body).toEqual({ fullSync: true });
  });

  it("says a synchronization is already active, with a link to that run, on 409 SYNC_ALREADY_ACTIVE", async () => {
    serveUpdates(0, {
      routes: {
        "POST /api/sync": () =>
          errorEnvelope(409, "SYNC_ALREADY_ACTIVE", "A synchronization is already queued or running for this site.", {
            runId: OTHER_RUN_ID,
          }),
      },
    });
    renderApp(PATH);
    fireEvent.click(await screen.findByRole("button", { name: "Synchronize Software Updates" }));
    fireEvent.click(within(screen.getByRole("dialog")).getByRole("button", { name: "Yes" }));
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("A synchronization is already queued or running.");
    expect(within(alert).getByRole("link", { name: "View the run" }).getAttribute("href")).toBe(
      `/monitoring/sync-runs/${OTHER_RUN_ID}`,
    );
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(screen.queryByText(/Synchronization started/)).toBeNull();
  });

  it("shows the server's message when the synchronization cannot start", async () => {
    serveUpdates(0, {
      routes: {
        "POST /api/sync": () =>
          errorEnvelope(
            409,
            "SYNC_SOURCE_DISCONNECTED",
            "The top-level site is set not to synchronize from Microsoft Update or an upstream source.",
          ),
      },
    });
    renderApp(PATH);
    fireEvent.click(await screen.findByRole("button", { name: "Synchronize Software Updates" }));
    fireEvent.click(within(screen.getByRole("dialog")).getByRole("button", { name: "Yes" }));
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("The synchronization could not be started.");
    expect(alert.textContent).toContain("The top-level site is set not to synchronize");
    expect(within(alert).queryByRole("link")).toBeNull();
  });

  it("is disabled for a Read-only Analyst, with the reason next to it", async () => {
    const calls = serveUpdates(0, { me: analystMe });
    renderApp(PATH);
    const button = (await screen.findByRole("button", { name: "Synchronize Software Updates" })) as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    const reason = "Your role (Read-only Analyst) cannot start, cancel or retry synchronizations.";
    expect(descriptionOf(button)).toBe(reason);
    expect(screen.getByText(reason).className).toBe("action-reason");
    fireEvent.click(button);
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(calls.some((c) => c.method === "POST")).toBe(false);
  });
});

describe("All Software Updates, 500 a page (virtual rows)", () => {
  const layout = () => fakeLayout({ frameHeight: 600, headHeight: 32, rowHeight: () => 44 });
  const updateRow = (n: number) =>
    document.querySelector<HTMLTableRowElement>(`tr[data-update-id="${softwareUpdate(n).updateId}"]`);
  const updateRows = () => document.querySelectorAll<HTMLTableRowElement>("tbody tr[data-update-id]");

  it("asks for 500 a page, renders only the rows in view, and the last one when scrolled to the end", async () => {
    layout();
    const calls = serveUpdates(1234);
    renderApp(`${PATH}?pageSize=500`);
    const table = await screen.findByRole("table", { name: TABLE });
    expect(updateCalls(calls)).toEqual(["page=1&pageSize=500&sort=-releaseDate"]);
    expect(screen.getByText("Page 1 of 3")).toBeTruthy();
    expect((screen.getByLabelText("Updates per page") as HTMLSelectElement).value).toBe("500");
    await waitFor(() => expect(updateRow(1)).toBeTruthy());
    expect(table.getAttribute("aria-rowcount")).toBe("501");
    expect(updateRows().length).toBeGreaterThan(10);
    expect(updateRows().length).toBeLessThan(100);
    expect(updateRow(500)).toBeNull();

    scrollFrame(table.closest<HTMLElement>(".table-frame")!, 10_000_000);
    await waitFor(() => expect(updateRow(500)).toBeTruthy());
    expect(updateRow(500)!.getAttribute("aria-rowindex")).toBe("501");
    expect(updateRows().length).toBeLessThan(100);
    // The first row is the list's tab stop while none is selected: it stays.
    expect(updateRow(1)!.tabIndex).toBe(0);
    expect(updateRow(2)).toBeNull();
  });

  it("keeps selection and the keyboard: End selects and focuses the last row, which stays while scrolled away", async () => {
    layout();
    serveUpdates(500);
    const app = renderApp(`${PATH}?pageSize=500`);
    const table = await screen.findByRole("table", { name: TABLE });
    await waitFor(() => expect(updateRow(2)).toBeTruthy());
    fireEvent.click(updateRow(2)!);
    await waitFor(() => expect(app.location().search).toBe(`?update=${softwareUpdate(2).updateId}&pageSize=500`));
    expect(updateRow(2)!.getAttribute("aria-selected")).toBe("true");

    fireEvent.keyDown(updateRow(2)!, { key: "End" });
    await waitFor(() => expect(app.location().search).toBe(`?update=${softwareUpdate(500).updateId}&pageSize=500`));
    await waitFor(() => expect(document.activeElement).toBe(updateRow(500)));
    expect(updateRow(500)!.getAttribute("aria-selected")).toBe("true");
    expect(updateRow(500)!.tabIndex).toBe(0);
    await screen.findByRole("region", { name: softwareUpdate(500).title });

    fireEvent.keyDown(updateRow(500)!, { key: "ArrowUp" });
    await waitFor(() => expect(document.activeElement).toBe(updateRow(499)));
    expect(app.location().search).toBe(`?update=${softwareUpdate(499).updateId}&pageSize=500`);

    // Scrolled back to the top, the selected row (the tab stop) is still there.
    scrollFrame(table.closest<HTMLElement>(".table-frame")!, 0);
    await waitFor(() => expect(updateRow(2)).toBeTruthy());
    expect(updateRow(499)!.getAttribute("aria-selected")).toBe("true");
    expect(updateRow(250)).toBeNull();
  });

  it("changes the page size from the pager, in the URL, keeping the first update shown on the page", async () => {
    const calls = serveUpdates(1234);
    const app = renderApp(`${PATH}?page=5`);
    await screen.findByRole("table", { name: TABLE });
    expect(screen.getByText("Page 5 of 25")).toBeTruthy();
    expect(
      within(screen.getByLabelText("Updates per page"))
        .getAllByRole("option")
        .map((o) => o.textContent),
    ).toEqual(["50", "100", "200", "500"]);
    // Update 201 is first on page 5 of 50, and on page 2 of 200.
    fireEvent.change(screen.getByLabelText("Updates per page"), { target: { value: "200" } });
    await waitFor(() => expect(app.location().search).toBe("?page=2&pageSize=200"));
    await screen.findByText("Page 2 of 7");
    expect(updateCalls(calls).at(-1)).toBe("page=2&pageSize=200&sort=-releaseDate");
    fireEvent.change(screen.getByLabelText("Updates per page"), { target: { value: "50" } });
    await waitFor(() => expect(app.location().search).toBe("?page=5"));
  });
});
