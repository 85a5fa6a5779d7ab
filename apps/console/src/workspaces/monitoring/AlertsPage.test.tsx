import type { AlertDto, Me } from "@syncpoint/contracts";
import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { adminMe, analystMe, descriptionOf } from "../../test-utils/fixtures.ts";
import { pushEvent } from "../../test-utils/fake-realtime.ts";
import { errorEnvelope, json, mockApi, type ApiCall } from "../../test-utils/mock-api.ts";
import { renderApp } from "../../test-utils/render-app.tsx";
import { alert } from "../../test-utils/settings-fixtures.ts";
import { alertsViewParams, readAlertsView } from "./AlertsPage.tsx";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const page = (items: AlertDto[], total = items.length) => ({ items, total, page: 1, pageSize: 500 });

/** A server with these alerts: lists filter by state, as GET /api/alerts does. */
function serve(me: Me, alerts: AlertDto[], extra: Parameters<typeof mockApi>[0] = {}) {
  return mockApi({
    "GET /api/auth/me": () => json(200, me),
    "GET /api/alerts": ({ url }) => {
      const state = url.searchParams.get("state");
      const items = alerts.filter((a) => !state || a.state === state);
      const size = Number(url.searchParams.get("pageSize"));
      const number = Number(url.searchParams.get("page"));
      const shown = items.slice((number - 1) * size, number * size);
      return json(200, { items: shown, total: items.length, page: number, pageSize: size });
    },
    ...extra,
  });
}

const alertLists = (calls: ApiCall[]) =>
  calls.filter((c) => c.path.startsWith("/api/alerts?") && !c.path.includes("pageSize=1&")).map((c) => c.path);
const grid = () => screen.getByRole("grid");
const rowOf = (id: string) => document.querySelector<HTMLTableRowElement>(`tr[data-alert-id="${id}"]`)!;
const acknowledgeButton = () =>
  within(screen.getByRole("toolbar", { name: "Alert actions" })).getByRole("button", {
    name: "Acknowledge",
  }) as HTMLButtonElement;

const failed = alert(1);
const stalled = alert(2, {
  type: "sync-stalled",
  severity: "warning",
  siteCode: "P01",
  title: "P01: synchronization makes no progress",
  message: "The synchronization of P01 has made no progress for 30 minutes.",
  state: "acknowledged",
  acknowledgedAt: "2026-11-24T02:30:00.000Z",
  acknowledgedBy: "mona",
  details: null,
});
const categories = alert(3, {
  type: "new-categories",
  severity: "info",
  siteCode: null,
  title: "New products or classifications are available",
  message: "Windows 12 is new since the last synchronization.",
  details: null,
});
const cleared = alert(4, { state: "canceled", canceledAt: "2026-11-24T05:00:00.000Z", siteCode: "P02" });

describe("Monitoring › Alerts", () => {
  it("lists the active and acknowledged alerts, newest first, with severity, site, state and who acknowledged", async () => {
    const calls = serve(adminMe, [failed, stalled, categories, cleared]);
    renderApp("/monitoring/alerts");
    expect(await screen.findByRole("heading", { level: 1, name: "Alerts" })).toBeTruthy();
    await screen.findByRole("grid", { name: "3 active or acknowledged alerts" });
    expect(
      within(grid())
        .getAllByRole("columnheader")
        .map((h) => h.textContent),
    ).toEqual(["Severity", "Title", "Site", "State", "Raised", "Acknowledged by"]);
    const rows = within(grid()).getAllByRole("row").slice(1) as HTMLTableRowElement[];
    expect(rows.map((row) => [...row.cells].map((cell) => cell.textContent).filter((_, i) => i !== 4))).toEqual([
      ["iInformation", "New products or classifications are available", "—", "Active", "—"],
      ["!Warning", "P01: synchronization makes no progress", "P01", "Acknowledged", "mona"],
      ["✖Error", "CAS: software update synchronization failed", "CAS", "Active", "—"],
    ]);
    // Open = both states, fetched whole: the API filters by one state at a time.
    expect(alertLists(calls).sort()).toEqual([
      "/api/alerts?page=1&pageSize=500&sort=-raisedAt&state=acknowledged",
      "/api/alerts?page=1&pageSize=500&sort=-raisedAt&state=active",
    ]);
    // The navigation pane counts the active ones.
    const pane = screen.getByRole("navigation", { name: "Navigation pane" });
    expect(within(pane).getByRole("link", { name: "Alerts" })).toBeTruthy();
    expect((await within(pane).findByText("2 active alerts")).closest(".tree__badge")?.textContent).toContain("2");
  });

  it("shows the selected alert's message and details, with the run that raised it", async () => {
    serve(adminMe, [failed, stalled]);
    renderApp("/monitoring/alerts");
    await screen.findByRole("grid");
    const details = screen.getByRole("region", { name: "Alert details" });
    expect(details.textContent).toContain("Select an alert to see its message and details.");
    fireEvent.click(within(rowOf(failed.id)).getByText(failed.title));
    const selected = screen.getByRole("region", { name: `Details of ${failed.title}` });
    expect(selected.textContent).toContain(failed.message);
    expect(selected.textContent).toContain("Synchronization failed");
    expect(within(selected).getByRole("link", { name: "View the synchronization run" }).getAttribute("href")).toBe(
      "/monitoring/sync-runs/3f2b9c1e-8a4d-4e2f-9b1a-0c5d7e6f8a90",
    );
    // Arrow keys move the selection.
    fireEvent.keyDown(rowOf(failed.id), { key: "ArrowUp" });
    expect(screen.getByRole("region", { name: `Details of ${stalled.title}` }).textContent).toContain("by mona");
  });

  it("acknowledges the selected active alert and keeps it listed as Acknowledged", async () => {
    const acknowledged = {
      ...failed,
      state: "acknowledged" as const,
      acknowledgedBy: "admin",
      acknowledgedAt: "2026-11-24T09:00:00.000Z",
      updatedAt: "2026-11-24T09:00:00.000Z",
    };
    const calls = serve(adminMe, [failed, stalled], {
      "POST /api/alerts/a1e2c3d4-0000-4000-8000-000000000001/acknowledge": () => json(200, acknowledged),
    });
    renderApp("/monitoring/alerts");
    await screen.findByRole("grid");
    expect(acknowledgeButton().disabled).toBe(true);
    expect(descriptionOf(acknowledgeButton())).toBe("Select an alert in the list to acknowledge it.");
    fireEvent.click(within(rowOf(stalled.id)).getByText(stalled.title));
    expect(descriptionOf(acknowledgeButton())).toBe("The selected alert is already acknowledged.");

    fireEvent.click(within(rowOf(failed.id)).getByText(failed.title));
    expect(acknowledgeButton().disabled).toBe(false);
    fireEvent.click(acknowledgeButton());
    await screen.findByText(`The alert “${failed.title}” was acknowledged.`);
    const posts = calls.filter((c) => c.method === "POST");
    expect(posts.map((c) => [c.path, c.body])).toEqual([[`/api/alerts/${failed.id}/acknowledge`, {}]]);
    expect(rowOf(failed.id).cells[3]!.textContent).toBe("Acknowledged");
    expect(rowOf(failed.id).cells[5]!.textContent).toBe("admin");
    expect(descriptionOf(acknowledgeButton())).toBe("The selected alert is already acknowledged.");
    expect(document.activeElement).toBe(rowOf(failed.id));
  });

  it("says why an acknowledgement was refused", async () => {
    serve(adminMe, [failed], {
      "POST /api/alerts/a1e2c3d4-0000-4000-8000-000000000001/acknowledge": () =>
        errorEnvelope(409, "ALERT_NOT_ACTIVE", "The alert is canceled; only an active alert can be acknowledged."),
    });
    renderApp("/monitoring/alerts");
    await screen.findByRole("grid");
    fireEvent.click(within(rowOf(failed.id)).getByText(failed.title));
    fireEvent.click(acknowledgeButton());
    expect((await screen.findByRole("alert")).textContent).toBe(
      "The alert is canceled; only an active alert can be acknowledged.",
    );
  });

  it("shows a Read-only Analyst Acknowledge disabled with the reason", async () => {
    serve(analystMe, [failed]);
    renderApp("/monitoring/alerts");
    await screen.findByRole("grid");
    fireEvent.click(within(rowOf(failed.id)).getByText(failed.title));
    expect(acknowledgeButton().disabled).toBe(true);
    expect(descriptionOf(acknowledgeButton())).toBe("Your role (Read-only Analyst) cannot acknowledge alerts.");
  });

  it("filters by state through the URL, and pages the lists of one state", async () => {
    const many = Array.from({ length: 60 }, (_, i) =>
      alert(5, {
        id: `c0000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
        state: "canceled",
        raisedAt: new Date(Date.UTC(2026, 10, 1, 0, i)).toISOString(),
      }),
    );
    const calls = serve(adminMe, [failed, ...many]);
    const app = renderApp("/monitoring/alerts");
    await screen.findByRole("grid", { name: "1 active or acknowledged alert" });
    fireEvent.change(screen.getByLabelText("State"), { target: { value: "canceled" } });
    await screen.findByRole("grid", { name: "60 alerts" });
    expect(app.location().search).toBe("?state=canceled");
    expect(alertLists(calls).at(-1)).toBe("/api/alerts?page=1&pageSize=50&sort=-raisedAt&state=canceled");
    fireEvent.click(screen.getByRole("button", { name: "Next page" }));
    await waitFor(() => expect(app.location().search).toBe("?state=canceled&page=2"));
    await waitFor(() => expect(within(grid()).getAllByRole("row")).toHaveLength(11));

    fireEvent.change(screen.getByLabelText("State"), { target: { value: "open" } });
    await screen.findByRole("grid", { name: "1 active or acknowledged alert" });
    expect(app.location().search).toBe("");
  });

  it("reads and writes the view in the URL", () => {
    expect(readAlertsView(new URLSearchParams(""))).toEqual({ filter: "open", page: 1 });
    expect(readAlertsView(new URLSearchParams("state=active&page=3"))).toEqual({ filter: "active", page: 3 });
    expect(readAlertsView(new URLSearchParams("state=bogus&page=-1"))).toEqual({ filter: "open", page: 1 });
    expect(readAlertsView(new URLSearchParams("page=4"))).toEqual({ filter: "open", page: 1 });
    expect(alertsViewParams({ filter: "all", page: 2 }).toString()).toBe("state=all&page=2");
    expect(alertsViewParams({ filter: "open", page: 1 }).toString()).toBe("");
  });

  it("says when there is nothing to see", async () => {
    serve(adminMe, []);
    renderApp("/monitoring/alerts");
    expect(await screen.findByText("There are no active or acknowledged alerts.")).toBeTruthy();
    const pane = screen.getByRole("navigation", { name: "Navigation pane" });
    expect(within(pane).queryByText(/active alert/)).toBeNull();
  });

  it("follows alert events: a new alert appears, a cleared one leaves the open list, the count follows", async () => {
    let alerts = [stalled];
    const calls = mockApi({
      "GET /api/auth/me": () => json(200, adminMe),
      "GET /api/alerts": ({ url }) => {
        const state = url.searchParams.get("state");
        return json(200, page(alerts.filter((a) => !state || a.state === state)));
      },
    });
    const app = renderApp("/monitoring/alerts");
    await screen.findByRole("grid", { name: "1 active or acknowledged alert" });
    const lists = alertLists(calls).length;

    alerts = [failed, stalled];
    await pushEvent(app.realtime, "alert", { ...failed, seq: 1 });
    expect(screen.getByRole("grid", { name: "2 active or acknowledged alerts" })).toBeTruthy();
    expect(rowOf(failed.id).cells[3]!.textContent).toBe("Active");
    const pane = screen.getByRole("navigation", { name: "Navigation pane" });
    expect(await within(pane).findByText("1 active alert")).toBeTruthy();

    const canceled = {
      ...stalled,
      state: "canceled" as const,
      canceledAt: "2026-11-24T06:00:00.000Z",
      updatedAt: "2026-11-24T06:00:00.000Z",
    };
    alerts = [failed, canceled];
    await pushEvent(app.realtime, "alert", { ...canceled, seq: 2 });
    expect(screen.getByRole("grid", { name: "1 active or acknowledged alert" })).toBeTruthy();
    expect(rowOf(stalled.id)).toBeNull();
    // An older event changes nothing.
    await pushEvent(app.realtime, "alert", { ...stalled, seq: 0 });
    expect(rowOf(stalled.id)).toBeNull();
    // The events patched the list: no list was fetched again (only the count).
    expect(alertLists(calls)).toHaveLength(lists);
  });
});
