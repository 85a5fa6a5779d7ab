import {
  buildOpenApiDocument,
  CreateNotificationSubscriptionRequest,
  Health,
  IdParams,
  StartSyncRequest,
  StartSyncResponse,
  SyncRunDto,
  SyncRunPage,
  SyncRunsQuery,
  type OpenApiDocument,
  type OpenApiRoute,
} from "@syncpoint/contracts";
import { cleanup, fireEvent, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { analystMe } from "../../../test-utils/fixtures.ts";
import { errorEnvelope, json, mockApi } from "../../../test-utils/mock-api.ts";
import { setLocale } from "../../../i18n/index.ts";
import { renderApp } from "../../../test-utils/render-app.tsx";
import { bodyFields, filterOperations, groupByTag, referenceOperations } from "./api-reference.ts";

// A small API described by the same generator the server uses, from the contracts' own schemas.
const SAMPLE: OpenApiRoute[] = [
  { method: "get", path: "/health", access: "public", summary: "Ready or not.", response: Health },
  {
    method: "post",
    path: "/sync",
    access: "sync.run",
    audit: { action: "sync.start" },
    summary: "Synchronize Software Updates at the top-level site.",
    body: StartSyncRequest,
    response: StartSyncResponse,
  },
  {
    method: "get",
    path: "/sync-runs",
    access: "read",
    summary: "Synchronization runs, newest first.",
    query: SyncRunsQuery,
    response: SyncRunPage,
  },
  {
    method: "post",
    path: "/sync-runs/:id/cancel",
    access: "sync.run",
    audit: { action: "sync.cancel" },
    summary: "Cancel a queued or running synchronization.",
    params: IdParams,
    response: SyncRunDto,
  },
  {
    method: "post",
    path: "/notification-subscriptions",
    access: "settings.edit",
    audit: { action: "notification.create" },
    summary: "Subscribe email recipients or a webhook.",
    body: CreateNotificationSubscriptionRequest,
  },
  { method: "get", path: "/auth/me", access: "authenticated", summary: "The signed-in user." },
];

const sampleDocument = (): OpenApiDocument =>
  buildOpenApiDocument({
    routes: SAMPLE,
    title: "Syncpoint API",
    version: "9.8.7",
    description: "A sample.",
    basePath: "/api",
    sessionCookie: "syncpoint_session",
    tags: [
      { name: "Health", description: "Probes.", prefixes: ["/health"] },
      { name: "Authentication", description: "Sign-in.", prefixes: ["/auth"] },
      { name: "Synchronization", description: "Runs.", prefixes: ["/sync", "/sync-runs"] },
      { name: "Notifications", description: "Subscriptions.", prefixes: ["/notification-subscriptions"] },
    ],
    notes: { "POST /sync": { status: 202 } },
    schemaNames: { StartSyncRequest, StartSyncResponse, SyncRunDto, SyncRunPage, Health },
  });

afterEach(async () => {
  cleanup();
  vi.unstubAllGlobals();
  await setLocale("en-US");
});

/** The served document went through JSON, as the browser receives it. */
const serve = (document: OpenApiDocument) =>
  mockApi({
    "GET /api/auth/me": () => json(200, analystMe),
    "GET /api/openapi.json": () => json(200, JSON.parse(JSON.stringify(document))),
  });

/** The area headings of the page (the navigation pane has headings of its own). */
const areas = () => within(screen.getByRole("main")).getAllByRole("heading", { level: 2 });
const row = (key: string) => document.querySelector<HTMLTableRowElement>(`tr[data-operation="${key}"]`);

describe("the API reference model", () => {
  const doc = sampleDocument();
  const operations = referenceOperations(doc);

  it("lists every operation with its access, parameters and body fields", () => {
    expect(operations.map((o) => o.key)).toEqual([
      "GET /api/health",
      "POST /api/sync",
      "GET /api/sync-runs",
      "POST /api/sync-runs/{id}/cancel",
      "POST /api/notification-subscriptions",
      "GET /api/auth/me",
    ]);
    const sync = operations.find((o) => o.key === "POST /api/sync")!;
    expect(sync).toMatchObject({ access: "sync.run", roles: ["full-administrator", "software-update-manager"] });
    expect(sync.body).toEqual([{ name: "fullSync", required: false }]);
    const cancel = operations.find((o) => o.key === "POST /api/sync-runs/{id}/cancel")!;
    expect(cancel.parameters).toEqual([{ name: "id", in: "path", required: true }]);
    expect(cancel.body).toBeUndefined();
  });

  it("merges the fields of a choice of bodies, required only where every choice requires them", () => {
    const subscribe = operations.find((o) => o.key === "POST /api/notification-subscriptions")!;
    const fields = Object.fromEntries(subscribe.body!.map((f) => [f.name, f.required]));
    expect(fields).toMatchObject({ kind: true, name: true, targets: true, events: true, enabled: false });
    // Only a webhook has a secret: not required of the body.
    expect(fields.secret).toBe(false);
    expect(bodyFields(doc, { $ref: "#/components/schemas/Nowhere" })).toEqual([]);
  });

  it("filters by every word, in any case, and groups by tag in the document's order", () => {
    expect(filterOperations(operations, "SYNC cancel").map((o) => o.key)).toEqual(["POST /api/sync-runs/{id}/cancel"]);
    expect(filterOperations(operations, "settings.edit").map((o) => o.key)).toEqual([
      "POST /api/notification-subscriptions",
    ]);
    expect(filterOperations(operations, "  ")).toHaveLength(operations.length);
    expect(groupByTag(doc, operations).map((g) => [g.tag, g.operations.length])).toEqual([
      ["Health", 1],
      ["Authentication", 1],
      ["Synchronization", 3],
      ["Notifications", 1],
    ]);
  });
});

describe("API Reference", () => {
  it("is under Administration › Security and lists the operations by area", async () => {
    serve(sampleDocument());
    renderApp("/administration/api-reference");
    expect(await screen.findByRole("heading", { level: 1, name: "API Reference" })).toBeTruthy();
    expect(
      within(screen.getByRole("navigation", { name: "Navigation pane" })).getByRole("link", { name: "API Reference" }),
    ).toBeTruthy();
    expect(await screen.findByText("Showing 6 of 6 operations.")).toBeTruthy();
    expect(screen.getByText("Syncpoint API version 9.8.7 · OpenAPI 3.1.0")).toBeTruthy();
    expect(areas().map((h) => h.textContent)).toEqual(["Health", "Authentication", "Synchronization", "Notifications"]);

    const sync = row("POST /api/sync")!;
    const cells = within(sync);
    expect(cells.getByRole("rowheader").textContent).toBe("POST /api/sync");
    expect(cells.getByText("Synchronize Software Updates at the top-level site.")).toBeTruthy();
    expect(cells.getByText("sync.run")).toBeTruthy();
    expect(cells.getByText("Roles: Full Administrator, Software Update Manager")).toBeTruthy();
    expect(cells.getByText("fullSync")).toBeTruthy();

    expect(within(row("GET /api/health")!).getByText("Anyone, without signing in")).toBeTruthy();
    expect(within(row("GET /api/auth/me")!).getByText("Any signed-in user or API token")).toBeTruthy();
    const list = within(row("GET /api/sync-runs")!);
    expect(list.getByText("pageSize")).toBeTruthy();
    expect(list.getByText("site").nextSibling?.textContent).toBe(" (query)");
    const cancel = within(row("POST /api/sync-runs/{id}/cancel")!);
    expect(cancel.getByText("id").nextSibling?.textContent).toBe(" (path, required)");
    const subscribe = within(row("POST /api/notification-subscriptions")!);
    expect(subscribe.getByText("kind").nextSibling?.textContent).toBe(" (required)");

    const download = screen.getByRole("link", { name: "Download OpenAPI document" });
    expect(download.getAttribute("href")).toBe("/api/openapi.json");
    expect(download.getAttribute("download")).toBe("syncpoint-openapi.json");
  });

  it("is in the console's language around the API's own (English) summaries, which it says and marks", async () => {
    mockApi({
      "GET /api/auth/me": () => json(200, { ...analystMe, locale: "de-DE" }),
      "GET /api/openapi.json": () => json(200, JSON.parse(JSON.stringify(sampleDocument()))),
    });
    renderApp("/administration/api-reference");
    expect(await screen.findByRole("heading", { level: 1, name: "API-Referenz" })).toBeTruthy();
    expect(await screen.findByText("6 von 6 Vorgängen angezeigt.")).toBeTruthy();
    expect(areas().map((h) => h.textContent)).toEqual([
      "Integrität",
      "Authentifizierung",
      "Synchronisierung",
      "Benachrichtigungen",
    ]);
    expect(
      screen.getByText(
        "Die Zusammenfassungen der Vorgänge stammen aus der Dokumentation der API selbst und werden wie im " +
          "OpenAPI-Dokument auf Englisch angezeigt.",
      ),
    ).toBeTruthy();
    const sync = within(row("POST /api/sync")!);
    expect(sync.getByText("Synchronize Software Updates at the top-level site.").getAttribute("lang")).toBe("en");
    expect(sync.getByText("Rollen: Volladministrator, Softwareupdate-Manager")).toBeTruthy();
    expect(within(row("GET /api/health")!).getByText("Jeder, ohne Anmeldung")).toBeTruthy();
    expect(screen.getByRole("link", { name: "OpenAPI-Dokument herunterladen" })).toBeTruthy();
    await setLocale("en-US");
    // In English the note would say nothing new.
    await screen.findByText("Showing 6 of 6 operations.");
    expect(screen.queryByText(/appear in English/)).toBeNull();
  });

  it("filters the operations as the user types", async () => {
    serve(sampleDocument());
    renderApp("/administration/api-reference");
    const filter = await screen.findByRole("searchbox", { name: "Filter" });
    await screen.findByText("Showing 6 of 6 operations.");
    fireEvent.change(filter, { target: { value: "sync" } });
    expect(screen.getByText("Showing 3 of 6 operations.")).toBeTruthy();
    expect(row("POST /api/sync")).toBeTruthy();
    expect(row("GET /api/health")).toBeNull();
    expect(areas().map((h) => h.textContent)).toEqual(["Synchronization"]);
    fireEvent.change(filter, { target: { value: "no such operation" } });
    expect(screen.getByText("No operation matches the filter.")).toBeTruthy();
  });

  it("says when the document cannot be loaded", async () => {
    mockApi({
      "GET /api/auth/me": () => json(200, analystMe),
      "GET /api/openapi.json": () => errorEnvelope(500, "INTERNAL_ERROR", "Something went wrong."),
    });
    renderApp("/administration/api-reference");
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("The API reference could not be loaded.");
    expect(within(alert).getByRole("button", { name: "Try again" })).toBeTruthy();
  });
});
