import type { SupSyncStatusRow } from "@syncpoint/contracts";
import { act, cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { analystMe } from "../../test-utils/fixtures.ts";
import { json, mockApi, type ApiCall } from "../../test-utils/mock-api.ts";
import { fakeRealtime, pushEvent } from "../../test-utils/fake-realtime.ts";
import { fakeLayout, scrollFrame } from "../../test-utils/layout.ts";
import { renderApp } from "../../test-utils/render-app.tsx";
import { RUN_ID, statusRow } from "../../test-utils/sync-fixtures.ts";
import { summarize } from "./SupSyncStatusPage.tsx";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const TABLE = "Software Update Point Synchronization Status";
const statusCalls = (calls: ApiCall[]) => calls.filter((c) => c.path === "/api/sup-sync-status");

function serveStatus(items: SupSyncStatusRow[]) {
  return mockApi({
    "GET /api/auth/me": () => json(200, analystMe),
    "GET /api/sup-sync-status": () => json(200, { items }),
  });
}

const rowOf = (site: string) => document.querySelector<HTMLTableRowElement>(`tr[data-site-code="${site}"]`)!;
const cellTexts = (row: HTMLTableRowElement) => [...row.cells].map((cell) => cell.textContent);

describe("Software Update Point Synchronization Status", () => {
  it("labels every state, Never synchronized included, with the status ID and the error code's meaning", async () => {
    const states = [
      ["CAS", "never", "Never synchronized"],
      ["P01", "queued", "Queued"],
      ["P02", "running", "In progress"],
      ["P03", "canceling", "Canceling"],
      ["S01", "succeeded", "Completed"],
      ["S02", "failed", "Failed"],
      ["S03", "canceled", "Canceled"],
    ] as const;
    serveStatus(
      states.map(([siteCode, state]) =>
        statusRow({
          siteCode,
          supServer: `${siteCode.toLowerCase()}-sup01.corp.contoso.com`,
          state,
          ...(state === "failed"
            ? { lastErrorCode: "UPSTREAM_UNREACHABLE", lastSyncStateId: 6703, linkState: "error", runId: RUN_ID }
            : {}),
          ...(state === "succeeded"
            ? {
                lastSyncStateId: 6702,
                catalogVersion: 34,
                lastSyncTime: "2025-05-01T10:03:53.000Z",
                lastSuccessfulSyncTime: "2025-05-01T10:03:53.000Z",
              }
            : {}),
        }),
      ),
    );
    renderApp("/monitoring/sup-sync-status");
    const table = await screen.findByRole("table", { name: TABLE });
    expect(
      within(table)
        .getAllByRole("columnheader")
        .map((th) => th.textContent),
    ).toEqual([
      "Site Code",
      "Software Update Point",
      "Synchronization Source",
      "Synchronization Status",
      "Progress",
      "Last Synchronization Time",
      "Last Synchronization Error Code",
      "Catalog Version · Link State",
    ]);
    for (const [site, , label] of states) {
      expect(rowOf(site).cells[3]!.querySelector(".sync-state")!.textContent, site).toBe(label);
    }
    const never = cellTexts(rowOf("CAS"));
    expect(never[2]).toBe("Upstream data sourcehttp://upstream.test:8530");
    expect(never[5]).toBe("Never");
    expect(never[7]).toBe("0Healthy");

    const done = cellTexts(rowOf("S01"));
    expect(done[3]).toBe("CompletedStatus 6702");
    expect(done[5]).not.toContain("Last success");
    expect(within(rowOf("S01")).getByText("Status 6702").title).toBe("WSUS synchronization done.");
    expect(done[7]).toBe("34Healthy");

    const failed = rowOf("S02");
    expect(within(failed).getByText("UPSTREAM_UNREACHABLE").title).toBe(
      "The upstream update server could not be reached (connection refused, reset or timed out).",
    );
    expect(failed.textContent).toContain("The upstream update server could not be reached");
    expect(cellTexts(failed)[7]).toBe("0Error");
    // The site code leads to the site's page, "Latest run" to its latest run.
    expect(within(failed).getByRole("link", { name: "S02" }).getAttribute("href")).toBe("/monitoring/sites/S02");
    expect(within(failed).getByRole("link", { name: "Latest run" }).getAttribute("href")).toBe(
      `/monitoring/sync-runs/${RUN_ID}`,
    );
    expect(within(rowOf("CAS")).queryByRole("link", { name: "Latest run" })).toBeNull();

    const tiles = screen.getByRole("list", { name: "Software update points by state" });
    expect(
      within(tiles)
        .getAllByRole("listitem")
        .map((li) => li.textContent),
    ).toEqual(["2In sync", "3In progress", "1Failed", "0Behind", "1Never synchronized"]);
  });

  it("shows the phase, a progress bar, processed X of Y and the time left while a synchronization runs", async () => {
    serveStatus([
      statusRow({ state: "running", phase: "updates", percent: 62, processed: 1234, total: 3000, etaSeconds: 83 }),
      statusRow({ siteCode: "P01", supServer: "p01", state: "queued", phase: null, waitingReason: "no-worker" }),
      statusRow({ siteCode: "P02", supServer: "p02", state: "succeeded" }),
      statusRow({ siteCode: "S01", supServer: "s01", state: "queued", phase: null, waitingReason: "resume" }),
    ]);
    renderApp("/monitoring/sup-sync-status");
    await screen.findByRole("table", { name: TABLE });
    const running = rowOf("CAS");
    const bar = within(running).getByRole("progressbar", { name: "Synchronization progress of CAS" });
    expect(bar.getAttribute("aria-valuenow")).toBe("62");
    expect(bar.getAttribute("aria-valuemin")).toBe("0");
    expect(bar.getAttribute("aria-valuemax")).toBe("100");
    expect(bar.getAttribute("aria-valuetext")).toBe("62%, Synchronizing updates");
    expect(running.cells[4]!.textContent).toBe(
      "Synchronizing updates62% · processed 1,234 of 3,000 · about 1 min 23 sec left",
    );
    const queued = rowOf("P01");
    expect(within(queued).getByRole("progressbar").getAttribute("aria-valuenow")).toBe("0");
    expect(queued.cells[4]!.textContent).toContain("Waiting to start");
    expect(queued.cells[4]!.textContent).toContain(
      "No worker process is running: nothing will start it until one does",
    );
    expect(rowOf("S01").cells[4]!.textContent).toContain("Its worker stopped: waiting for another worker to resume it");
    expect(within(rowOf("P02")).queryByRole("progressbar")).toBeNull();
  });

  it("changes rows by socket events alone: the list is fetched once, also when the page is shown again", async () => {
    const calls = serveStatus([statusRow(), statusRow({ siteCode: "P01", supServer: "p01", parentCode: "CAS" })]);
    const app = renderApp("/monitoring/sup-sync-status");
    await screen.findByRole("table", { name: TABLE });
    expect(rowOf("CAS").textContent).toContain("Never synchronized");

    await pushEvent(app.realtime, "sup-status", { ...statusRow({ state: "queued", runId: RUN_ID }), seq: 1 });
    expect(rowOf("CAS").cells[3]!.textContent).toBe("QueuedLatest run");
    await pushEvent(app.realtime, "sup-status", {
      ...statusRow({ state: "running", phase: "categories", percent: 12, runId: RUN_ID, lastSyncStateId: 6704 }),
      seq: 3,
    });
    expect(rowOf("CAS").cells[3]!.textContent).toBe("In progressStatus 6704Latest run");
    expect(within(rowOf("CAS")).getByRole("progressbar").getAttribute("aria-valuenow")).toBe("12");
    // A late event from before is ignored.
    await pushEvent(app.realtime, "sup-status", { ...statusRow({ state: "queued", runId: RUN_ID }), seq: 2 });
    expect(rowOf("CAS").cells[3]!.textContent).toBe("In progressStatus 6704Latest run");
    expect(rowOf("P01").textContent).toContain("Never synchronized");

    // Away to another workspace and back: still no second request.
    fireEvent.click(screen.getByRole("link", { name: "Software Library" }));
    await screen.findByRole("heading", { level: 1, name: "Overview" });
    await pushEvent(app.realtime, "sup-status", {
      ...statusRow({ state: "succeeded", catalogVersion: 1, runId: RUN_ID, lastSyncStateId: 6702 }),
      seq: 4,
    });
    fireEvent.click(screen.getByRole("link", { name: "Monitoring" }));
    fireEvent.click(await screen.findByRole("link", { name: TABLE }));
    await screen.findByRole("table", { name: TABLE });
    expect(rowOf("CAS").cells[3]!.textContent).toBe("CompletedStatus 6702Latest run");
    expect(rowOf("CAS").cells[7]!.textContent).toBe("1Healthy");
    expect(statusCalls(calls)).toHaveLength(1);
  });

  it("says Reconnecting… in the top bar while the socket is lost, and refetches the list when it is back", async () => {
    const calls = serveStatus([statusRow()]);
    const app = renderApp("/monitoring/sup-sync-status");
    await screen.findByRole("table", { name: TABLE });
    const banner = screen.getByRole("banner");
    expect(within(banner).queryByRole("status")).toBeNull();
    act(() => app.realtime.drop());
    expect(within(banner).getByRole("status").textContent).toBe("Reconnecting…");
    expect(statusCalls(calls)).toHaveLength(1);
    act(() => app.realtime.connect());
    expect(within(banner).queryByRole("status")).toBeNull();
    await waitFor(() => expect(statusCalls(calls)).toHaveLength(2));
  });

  it("waits for the socket's first connection before it loads, so that no event falls in between", async () => {
    const calls = serveStatus([statusRow()]);
    const app = renderApp("/monitoring/sup-sync-status", { realtime: fakeRealtime({ autoConnect: false }) });
    await screen.findByRole("heading", { level: 1, name: TABLE });
    expect(screen.getByRole("status").textContent).toBe("Loading the synchronization status…");
    expect(statusCalls(calls)).toHaveLength(0);
    act(() => app.realtime.connect());
    await screen.findByRole("table", { name: TABLE });
    expect(statusCalls(calls)).toHaveLength(1);
  });

  it("says when a failed synchronization is retried, until the retry runs", async () => {
    const retryAt = "2026-11-24T10:00:00.000Z";
    serveStatus([
      statusRow({ state: "failed", lastErrorCode: "UPSTREAM_UNREACHABLE", retryAt }),
      statusRow({ siteCode: "P01", supServer: "p01", state: "queued", retryAt }),
      statusRow({ siteCode: "P02", supServer: "p02", state: "succeeded" }),
    ]);
    renderApp("/monitoring/sup-sync-status");
    await screen.findByRole("table", { name: TABLE });
    const at = new Intl.DateTimeFormat("en-US", { dateStyle: "short", timeStyle: "short" }).format(new Date(retryAt));
    expect(rowOf("CAS").cells[3]!.textContent).toBe(`FailedRetry at ${at}`);
    expect(rowOf("P01").cells[3]!.textContent).toBe("Queued");
    expect(rowOf("P02").cells[3]!.textContent).toBe("Completed");
  });

  it("counts the tiles from the rows", () => {
    expect(
      summarize([
        { state: "succeeded" },
        { state: "running" },
        { state: "queued" },
        { state: "canceling" },
        { state: "failed" },
        { state: "canceled" },
        { state: "never" },
        { state: "never" },
      ]),
      // As the server's summary counts: canceled is neither in progress, failed nor never, so in sync.
    ).toEqual({ inSync: 2, inProgress: 3, failed: 1, behind: 0, never: 2 });
    // Behind: a completed site whose catalog is older than its parent's.
    expect(
      summarize([
        { siteCode: "CAS", parentCode: null, state: "succeeded", catalogVersion: 5 },
        { siteCode: "P01", parentCode: "CAS", state: "succeeded", catalogVersion: 4 },
        { siteCode: "P02", parentCode: "CAS", state: "succeeded", catalogVersion: 5 },
      ]),
    ).toEqual({ inSync: 2, inProgress: 0, failed: 0, behind: 1, never: 0 });
  });

  it("filters by tile, state, parent and search on the server, keeps the filters in the URL, and drops removed sites", async () => {
    const cas = statusRow({ state: "failed", lastErrorCode: "UPSTREAM_UNREACHABLE", catalogVersion: 3 });
    const p01 = statusRow({
      siteCode: "P01",
      parentCode: "CAS",
      supServer: "p01",
      state: "succeeded",
      catalogVersion: 2,
    });
    const p02 = statusRow({ siteCode: "P02", parentCode: "CAS", supServer: "p02", state: "never" });
    const queries: string[] = [];
    mockApi({
      "GET /api/auth/me": () => json(200, analystMe),
      "GET /api/sup-sync-status": (call) => {
        const query = call.url.searchParams;
        queries.push(call.url.search);
        let items = [cas, p01, p02];
        if (query.get("state")) items = items.filter((row) => row.state === query.get("state"));
        if (query.get("parent")) items = items.filter((row) => row.parentCode === query.get("parent"));
        if (query.get("search"))
          items = items.filter((row) => row.siteCode.toLowerCase().startsWith(query.get("search")!.toLowerCase()));
        return json(200, { items });
      },
    });
    const app = renderApp("/monitoring/sup-sync-status");
    await screen.findByRole("table", { name: TABLE });
    const tiles = screen.getByRole("list", { name: "Software update points by state" });
    expect(within(tiles).getByRole("button", { name: /Behind/ }).textContent).toBe("1Behind");

    fireEvent.click(within(tiles).getByRole("button", { name: /Failed/ }));
    await waitFor(() => expect(document.querySelectorAll("tbody tr")).toHaveLength(1));
    expect(rowOf("CAS")).toBeTruthy();
    expect(
      within(tiles)
        .getByRole("button", { name: /Failed/ })
        .getAttribute("aria-pressed"),
    ).toBe("true");
    expect(app.location().search).toBe("?state=failed");
    expect(queries).toContain("?state=failed");

    // Behind is decided here, from the parent's catalog version.
    fireEvent.click(within(tiles).getByRole("button", { name: /Behind/ }));
    await waitFor(() => expect(app.location().search).toBe("?state=behind"));
    await waitFor(() =>
      expect([...document.querySelectorAll("tbody tr")].map((r) => r.getAttribute("data-site-code"))).toEqual(["P01"]),
    );

    fireEvent.click(screen.getByRole("button", { name: "Clear filters" }));
    fireEvent.change(screen.getByLabelText("Parent site"), { target: { value: "CAS" } });
    await waitFor(() => expect(document.querySelectorAll("tbody tr")).toHaveLength(2));
    fireEvent.change(screen.getByLabelText("Search"), { target: { value: "p02" } });
    await waitFor(() => expect(app.location().search).toBe("?parent=CAS&search=p02"));
    await waitFor(() => expect(document.querySelectorAll("tbody tr")).toHaveLength(1));
    expect(rowOf("P02")).toBeTruthy();

    // The site is deleted: its last row says so, and it leaves every list.
    await pushEvent(app.realtime, "sup-status", { ...p02, removed: true, seq: 9 });
    await waitFor(() => expect(document.querySelector('tr[data-site-code="P02"]')).toBeNull());
    expect(screen.getByText("No software update point matches these filters.")).toBeTruthy();
  });
});

/** The largest hierarchy: 1 central site, 25 primaries, 250 secondaries under each = 6 276 sites. */
function largestHierarchy(): SupSyncStatusRow[] {
  const rows = [statusRow({ state: "succeeded", catalogVersion: 7 })];
  let n = 0;
  for (let p = 1; p <= 25; p += 1) {
    const primary = `P${String(p).padStart(2, "0")}`;
    rows.push(statusRow({ siteCode: primary, parentCode: "CAS", supServer: `${primary.toLowerCase()}-sup01` }));
    for (let s = 0; s < 250; s += 1, n += 1) {
      // 000…4TL in base 36: no clash with CAS or P01–P25.
      const siteCode = n.toString(36).padStart(3, "0").toUpperCase();
      rows.push(
        statusRow({
          siteCode,
          parentCode: primary,
          supServer: `${siteCode.toLowerCase()}-sup01`,
          ...(n % 7 === 0 ? { state: "failed", lastErrorCode: "UPSTREAM_UNREACHABLE", linkState: "error" } : {}),
        }),
      );
    }
  }
  return rows;
}

describe("Software Update Point Synchronization Status with the largest hierarchy (virtual rows)", () => {
  // A browser's heights: a 600 px frame; a failed row (error code and meaning) is taller than the others.
  const layout = () =>
    fakeLayout({
      frameHeight: 600,
      headHeight: 32,
      rowHeight: (row) => (row.dataset.state === "failed" ? 96 : 52),
    });
  const siteRows = () => document.querySelectorAll<HTMLTableRowElement>("tbody tr[data-site-code]");

  it("renders only the rows in view of 6 276, tells assistive technology the whole count, and scrolls to the last", async () => {
    layout();
    const rows = largestHierarchy();
    expect(rows).toHaveLength(6276);
    const last = rows.at(-1)!;
    const app = (serveStatus(rows), renderApp("/monitoring/sup-sync-status"));
    const table = await screen.findByRole("table", { name: TABLE });
    await waitFor(() => expect(rowOf("CAS")).toBeTruthy());
    expect(table.getAttribute("aria-rowcount")).toBe("6277");
    expect(within(table).getAllByRole("row")[0]!.getAttribute("aria-rowindex")).toBe("1");
    expect(rowOf("CAS").getAttribute("aria-rowindex")).toBe("2");
    expect(rowOf("P01").getAttribute("aria-rowindex")).toBe("3");
    expect(siteRows().length).toBeGreaterThan(10);
    expect(siteRows().length).toBeLessThan(100);
    expect(rowOf(last.siteCode)).toBeNull();
    // The rows not rendered are a spacer row, hidden from assistive technology, as high as they would be.
    const spacer = table.querySelector<HTMLTableRowElement>("tr.virtual-rows__spacer")!;
    expect(spacer.getAttribute("aria-hidden")).toBe("true");
    expect(parseInt(spacer.cells[0]!.style.height)).toBeGreaterThan(6000 * 52);
    // The tiles count every site, not only those rendered.
    const tiles = screen.getByRole("list", { name: "Software update points by state" });
    expect(within(tiles).getByRole("button", { name: /Failed/ }).textContent).toBe(`${Math.ceil(6250 / 7)}Failed`);

    const frame = table.closest<HTMLElement>(".table-frame")!;
    scrollFrame(frame, 10_000_000);
    await waitFor(() => expect(rowOf(last.siteCode)).toBeTruthy());
    expect(rowOf(last.siteCode).getAttribute("aria-rowindex")).toBe("6277");
    expect(rowOf("CAS")).toBeNull();
    expect(siteRows().length).toBeLessThan(100);
    // Live: an event changes a row down there.
    await pushEvent(app.realtime, "sup-status", { ...last, state: "running", percent: 40, seq: 1 });
    expect(rowOf(last.siteCode).getAttribute("data-state")).toBe("running");
    expect(within(rowOf(last.siteCode)).getByRole("progressbar").getAttribute("aria-valuenow")).toBe("40");

    // Halfway: the rows there, and spacers above and below.
    scrollFrame(frame, 3000 * 60);
    await waitFor(() => expect(rowOf(last.siteCode)).toBeNull());
    const shown = [...siteRows()].map((row) => Number(row.getAttribute("aria-rowindex")));
    expect(shown.length).toBeLessThan(100);
    expect(shown[0]).toBeGreaterThan(2000);
    expect(shown).toEqual(shown.map((_, i) => shown[0]! + i));
    expect(table.querySelectorAll("tr.virtual-rows__spacer")).toHaveLength(2);
  });

  it("keeps the row that holds focus while the frame scrolls away from it", async () => {
    layout();
    serveStatus(largestHierarchy());
    renderApp("/monitoring/sup-sync-status");
    const table = await screen.findByRole("table", { name: TABLE });
    await waitFor(() => expect(rowOf("P01")).toBeTruthy());
    const link = within(rowOf("P01")).getByRole("link", { name: "P01" });
    act(() => link.focus());
    scrollFrame(table.closest<HTMLElement>(".table-frame")!, 10_000_000);
    await waitFor(() => expect(rowOf("4TL")).toBeTruthy());
    expect(rowOf("P01")).toBeTruthy();
    expect(document.activeElement).toBe(link);
    expect(rowOf("CAS")).toBeNull();
  });

  it("renders every row of a small hierarchy", async () => {
    layout();
    serveStatus(largestHierarchy().slice(0, 100));
    renderApp("/monitoring/sup-sync-status");
    const table = await screen.findByRole("table", { name: TABLE });
    await waitFor(() => expect(siteRows()).toHaveLength(100));
    expect(table.getAttribute("aria-rowcount")).toBe("101");
    expect(table.querySelector("tr.virtual-rows__spacer")).toBeNull();
  });
});
