import type { AlertDto, Me } from "@syncpoint/contracts";
import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { setLocale } from "../../i18n/index.ts";
import { adminMe, analystMe, descriptionOf } from "../../test-utils/fixtures.ts";
import { pushEvent } from "../../test-utils/fake-realtime.ts";
import { errorEnvelope, json, mockApi, type ApiCall } from "../../test-utils/mock-api.ts";
import { renderApp } from "../../test-utils/render-app.tsx";
import { alert } from "../../test-utils/settings-fixtures.ts";
import { alertsViewParams, readAlertsView } from "./AlertsPage.tsx";

afterEach(async () => {
  cleanup();
  vi.unstubAllGlobals();
  await setLocale("en-US");
});

/** An instant as the console shows it in `locale` (medium date, short time, the test machine's time zone). */
const shownAt = (locale: string, iso: string) =>
  new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" }).format(new Date(iso));

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
  title: "P01: synchronization stalled",
  message: "The synchronization of P01 has made no progress since 2026-11-24T01:30:00.000Z (phase updates).",
  state: "acknowledged",
  acknowledgedAt: "2026-11-24T02:30:00.000Z",
  acknowledgedBy: "mona",
  details: {
    runId: "5d1c2b3a-0000-4000-8000-000000000002",
    phase: "updates",
    lastProgressAt: "2026-11-24T01:30:00.000Z",
  },
});
// An alert without the details the console words its text from (as an older server may have raised it): shown as sent.
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
      ["!Warning", "P01: synchronization stalled", "P01", "Acknowledged", "mona"],
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
    serve(adminMe, [failed, stalled, categories]);
    renderApp("/monitoring/alerts");
    await screen.findByRole("grid");
    const details = screen.getByRole("region", { name: "Alert details" });
    expect(details.textContent).toContain("Select an alert to see its message and details.");
    fireEvent.click(within(rowOf(failed.id)).getByText(failed.title));
    const selected = screen.getByRole("region", { name: `Details of ${failed.title}` });
    // The console's words for the error code and the retry time, in local time; the run's own error text as detail.
    expect(selected.querySelector(".alert-message")?.textContent).toBe(
      `The upstream update server refused the authorization or cookie. A retry is scheduled for ${shownAt("en-US", "2026-11-24T10:00:00.000Z")}.`,
    );
    expect(selected.textContent).toContain("Synchronization failed");
    const runError = within(selected).getByText("UPSTREAM_AUTH_FAILED").closest("dd")!;
    expect(runError.textContent).toBe(
      "UPSTREAM_AUTH_FAILEDGetCookie failed: the upstream update server refused the cookie.",
    );
    expect(runError.querySelector("[lang=en]")?.textContent).toBe(
      "GetCookie failed: the upstream update server refused the cookie.",
    );
    expect(within(selected).getByRole("link", { name: "View the synchronization run" }).getAttribute("href")).toBe(
      "/monitoring/sync-runs/3f2b9c1e-8a4d-4e2f-9b1a-0c5d7e6f8a90",
    );
    // Arrow keys move the selection.
    fireEvent.keyDown(rowOf(failed.id), { key: "ArrowUp" });
    const stalledDetails = screen.getByRole("region", { name: `Details of ${stalled.title}` });
    expect(stalledDetails.textContent).toContain("by mona");
    expect(stalledDetails.querySelector(".alert-message")?.textContent).toBe(
      `The synchronization of P01 has made no progress since ${shownAt("en-US", "2026-11-24T01:30:00.000Z")} (phase: Synchronizing updates).`,
    );
    // Without the details its sentence needs, an alert reads as the server wrote it.
    fireEvent.keyDown(rowOf(stalled.id), { key: "ArrowUp" });
    expect(
      screen.getByRole("region", { name: `Details of ${categories.title}` }).querySelector(".alert-message")
        ?.textContent,
    ).toBe(categories.message);
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
    // The console's sentence for the code, then the server's own message, which says what state the alert is in.
    const refusal = await screen.findByRole("alert");
    expect(refusal.firstChild?.textContent).toBe("Only an active alert can be acknowledged.");
    expect(refusal.querySelector(".error-detail")?.textContent).toBe(
      "Server message (ALERT_NOT_ACTIVE): The alert is canceled; only an active alert can be acknowledged.",
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

  it("words the alerts in the console's language from their type, site and details; an unknown type as sent", async () => {
    const newCategories = alert(6, {
      type: "new-categories",
      severity: "warning",
      title: "2 new products or classifications available",
      message:
        "The upstream now offers Windows 12 (product), Feature Packs (classification). They are not synchronized until they are selected in the software update point component properties.",
      details: {
        categories: [
          { id: "a3c2375d-0c8a-42f9-bce0-28333e198407", title: "Windows 12", type: "product" },
          { id: "b54e7d24-7add-428f-8b75-90a396fa584f", title: "Feature Packs", type: "classification" },
        ],
      },
    });
    // A type this console does not know yet (a newer server): its title and message as the server wrote them.
    const newer = alert(7, {
      type: "package-rejected" as AlertDto["type"],
      title: "CAS: the update package was rejected",
      message: "The package's checksum does not match its manifest.",
      details: null,
    });
    serve({ ...adminMe, locale: "de-DE" }, [failed, stalled, newCategories, newer], {
      "POST /api/alerts/a1e2c3d4-0000-4000-8000-000000000001/acknowledge": () =>
        json(200, { ...failed, state: "acknowledged", acknowledgedBy: "admin", updatedAt: "2026-11-24T09:00:00.000Z" }),
    });
    renderApp("/monitoring/alerts");
    await waitFor(() => expect(document.documentElement.lang).toBe("de-DE"));
    await screen.findByRole("grid", { name: "4 aktive oder bestätigte Warnungen" });
    const rows = within(grid()).getAllByRole("row").slice(1) as HTMLTableRowElement[];
    expect(rows.map((row) => row.cells[1]!.textContent)).toEqual([
      "CAS: the update package was rejected",
      "2 neue Produkte oder Klassifizierungen verfügbar",
      "P01: Synchronisierung kommt nicht voran",
      "CAS: Synchronisierung der Softwareupdates fehlgeschlagen",
    ]);
    const messageOf = (id: string) => {
      fireEvent.click(rowOf(id).cells[1]!);
      return document.querySelector(".alert-message")?.textContent;
    };
    expect(messageOf(failed.id)).toBe(
      "Der Upstream-Updateserver hat die Autorisierung oder das Cookie abgelehnt. Eine Wiederholung ist für " +
        `${shownAt("de-DE", "2026-11-24T10:00:00.000Z")} geplant.`,
    );
    expect(screen.getByRole("heading", { level: 2, name: /^Details zu CAS: Synchronisierung/ })).toBeTruthy();
    expect(messageOf(stalled.id)).toBe(
      `Die Synchronisierung von P01 macht seit ${shownAt("de-DE", "2026-11-24T01:30:00.000Z")} keine Fortschritte ` +
        "(Phase: Synchronisieren der Updates).",
    );
    expect(messageOf(newCategories.id)).toBe(
      "Der Upstreamserver bietet jetzt Windows 12 (Produkt) und Feature Packs (Klassifizierung) an. Sie werden erst " +
        "synchronisiert, wenn sie in den Eigenschaften der Softwareupdatepunktkomponente ausgewählt sind.",
    );
    expect(messageOf(newer.id)).toBe("The package's checksum does not match its manifest.");

    fireEvent.click(rowOf(failed.id).cells[1]!);
    fireEvent.click(
      within(screen.getByRole("toolbar", { name: "Warnungsaktionen" })).getByRole("button", { name: "Bestätigen" }),
    );
    expect(
      await screen.findByText(
        "Die Warnung „CAS: Synchronisierung der Softwareupdates fehlgeschlagen“ wurde bestätigt.",
      ),
    ).toBeTruthy();
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
