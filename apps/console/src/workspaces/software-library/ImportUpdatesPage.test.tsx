import type { CatalogSearchItem, ImportedUpdateDto, Me } from "@syncpoint/contracts";
import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { adminMe, analystMe } from "../../test-utils/fixtures.ts";
import { errorEnvelope, json, mockApi, type Handler } from "../../test-utils/mock-api.ts";
import { renderApp } from "../../test-utils/render-app.tsx";
import { syncRun } from "../../test-utils/sync-fixtures.ts";

beforeEach(() => sessionStorage.clear());
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const oob: CatalogSearchItem = {
  updateId: "6d3f2a10-8c1b-4e1a-9a52-1f0c2b7d9e01",
  revisionNumber: 200,
  title: "2026-03 Out-of-band Update for Windows 11 Version 24H2 for x64-based Systems (KB5090001)",
  kbArticleIds: ["5090001"],
  classificationIds: ["cd5ffd1e-e932-4e3a-bf74-18bf0b1bbd83"],
  productIds: ["72e7624a-5b00-45d2-b92f-e561c0a6a160"],
  creationDate: "2026-03-20T00:00:00.000Z",
  catalogOnly: true,
  classificationTitles: ["Updates"],
  productTitles: ["Windows 11"],
  inCatalogRevision: null,
  importState: null,
  notImportableReason: null,
};
const feature: CatalogSearchItem = {
  ...oob,
  updateId: "6d3f2a10-8c1b-4e1a-9a52-1f0c2b7d9e02",
  title: "Windows 11, version 25H2 x64 en-us",
  kbArticleIds: [],
  catalogOnly: false,
  classificationTitles: ["Upgrades"],
  notImportableReason: "Feature updates cannot be imported from the catalog.",
};
const RUN_ID = "3f2b9c1e-8a4d-4e2f-9b1a-0c5d7e6f8a90";

function imported(overrides: Partial<ImportedUpdateDto> = {}): ImportedUpdateDto {
  return {
    updateId: oob.updateId,
    revisionNumber: 200,
    title: oob.title,
    kbArticleIds: ["5090001"],
    reason: "basket",
    requiredBy: null,
    state: "imported",
    errorCode: null,
    errorMessage: null,
    importedRevision: 200,
    runId: RUN_ID,
    requestedBy: "admin",
    requestedAt: "2026-11-24T09:00:00.000Z",
    importedAt: "2026-11-24T09:00:05.000Z",
    ...overrides,
  };
}

function serve(me: Me, extra: Record<string, Handler> = {}, list: ImportedUpdateDto[] = []) {
  return mockApi({
    "GET /api/auth/me": () => json(200, me),
    "GET /api/catalog/search": () => json(200, { items: [oob, feature], source: "http://upstream.test" }),
    "GET /api/imported-updates": () => json(200, { items: list, total: list.length, page: 1, pageSize: 50 }),
    ...extra,
  });
}

const search = async (q: string) => {
  fireEvent.change(await screen.findByLabelText("KB number, title words or update ID"), { target: { value: q } });
  fireEvent.click(screen.getByRole("button", { name: "Search" }));
};
const resultRow = (id: string) => document.querySelector<HTMLTableRowElement>(`tr[data-update-id="${id}"]`)!;

describe("Software Library › Import Updates", () => {
  it("searches the catalog, marks catalog-only updates, refuses feature updates and fills the basket", async () => {
    const calls = serve(adminMe);
    const view = renderApp("/software-library/software-updates/import");
    expect(await screen.findByRole("heading", { level: 1, name: "Import Updates" })).toBeTruthy();
    expect(
      screen.getByText("The basket is empty. Search the catalog and add updates, or add one by its update ID."),
    ).toBeTruthy();
    await search("KB5090001");
    await screen.findByText("2 updates match “KB5090001”");
    expect(calls.some((c) => c.path === "/api/catalog/search?q=KB5090001")).toBe(true);
    expect(view.location().search).toBe("?q=KB5090001");
    const row = resultRow(oob.updateId);
    expect(row.textContent).toContain("Catalog only");
    expect(row.textContent).toContain("KB5090001");
    expect(row.textContent).toContain("Not in the catalog");
    const featureAdd = within(resultRow(feature.updateId)).getByRole("button", {
      name: `Add ${feature.title} to the basket`,
    }) as HTMLButtonElement;
    expect(featureAdd.disabled).toBe(true);
    expect(resultRow(feature.updateId).textContent).toContain("Feature update: cannot be imported");

    fireEvent.click(within(row).getByRole("button", { name: `Add ${oob.title} to the basket` }));
    expect(screen.getByRole("heading", { name: "Basket (1 update)" })).toBeTruthy();
    const again = within(resultRow(oob.updateId)).getByRole("button", { name: /Add/ }) as HTMLButtonElement;
    expect(again.disabled).toBe(true);
    // The basket outlives the page.
    expect(JSON.parse(sessionStorage.getItem("syncpoint.importBasket")!)).toEqual([
      { updateId: oob.updateId, revisionNumber: 200, title: oob.title, kb: "5090001" },
    ]);
  });

  it("imports the basket after a confirmation and follows the run it started", async () => {
    sessionStorage.setItem(
      "syncpoint.importBasket",
      JSON.stringify([{ updateId: oob.updateId, revisionNumber: 200, title: oob.title, kb: "5090001" }]),
    );
    const calls = serve(adminMe, {
      "POST /api/imported-updates": () =>
        json(202, { runId: RUN_ID, activeRunId: null, items: [imported({ state: "pending", runId: RUN_ID })] }),
      [`GET /api/sync-runs/${RUN_ID}`]: () =>
        json(200, syncRun({ id: RUN_ID, trigger: "import", state: "running", phase: "updates", percent: 40 })),
    });
    renderApp("/software-library/software-updates/import");
    const importButton = (await screen.findByRole("button", { name: "Import" })) as HTMLButtonElement;
    // Enabled once the signed-in user's permissions are known.
    await waitFor(() => expect(importButton.disabled).toBe(false));
    fireEvent.click(importButton);
    const dialog = await screen.findByRole("alertdialog", { name: "Import Updates" });
    expect(dialog.textContent).toContain("Import 1 update with its prerequisites and bundled updates?");
    fireEvent.click(within(dialog).getByRole("button", { name: "Import" }));
    await screen.findByText(/Importing 1 update\./);
    expect(calls.find((c) => c.method === "POST")?.body).toEqual({
      updates: [{ updateId: oob.updateId, revisionNumber: 200, title: oob.title }],
    });
    expect(screen.getByRole("link", { name: "View the run" }).getAttribute("href")).toBe(
      `/monitoring/sync-runs/${RUN_ID}`,
    );
    expect(await screen.findByRole("progressbar", { name: "Import progress" })).toBeTruthy();
    expect(screen.getByRole("heading", { name: "Basket (0 updates)" })).toBeTruthy();
  });

  it("says when the upstream has no search and takes an update by its ID and revision instead", async () => {
    serve(adminMe, {
      "GET /api/catalog/search": () =>
        errorEnvelope(
          409,
          "CATALOG_SEARCH_UNAVAILABLE",
          "https://wsus.example.com offers no catalog search (it answered 404).",
        ),
    });
    renderApp("/software-library/software-updates/import?q=KB5090001");
    expect(await screen.findByText(/This upstream has no catalog search/)).toBeTruthy();
    const byId = screen.getByText("Import by update ID").closest("details")!;
    await waitFor(() => expect(byId.open).toBe(true));
    fireEvent.change(within(byId).getByLabelText("Update ID"), { target: { value: "KB5090001" } });
    fireEvent.change(within(byId).getByLabelText("Revision number"), { target: { value: "200" } });
    fireEvent.click(within(byId).getByRole("button", { name: "Add" }));
    expect(within(byId).getByText(/Enter the update ID as a GUID/)).toBeTruthy();
    fireEvent.change(within(byId).getByLabelText("Update ID"), {
      target: { value: `{${oob.updateId.toUpperCase()}}` },
    });
    fireEvent.click(within(byId).getByRole("button", { name: "Add" }));
    expect(screen.getByRole("heading", { name: "Basket (1 update)" })).toBeTruthy();
  });

  it("lists imported updates with their result and why they came; a read-only analyst cannot import", async () => {
    serve(analystMe, {}, [
      imported(),
      imported({
        updateId: "6d3f2a10-8c1b-4e1a-9a52-1f0c2b7d9e03",
        title: "Full Deltas 1.301.5.0 for Defender amd64fre [Broad]",
        kbArticleIds: [],
        reason: "bundled",
        requiredBy: "6d3f2a10-8c1b-4e1a-9a52-1f0c2b7d9e04",
      }),
      imported({
        updateId: "0badc0de-0000-4000-8000-000000000001",
        title: "0badc0de-0000-4000-8000-000000000001",
        kbArticleIds: [],
        state: "failed",
        importedRevision: null,
        errorCode: "IMPORT_NOT_FOUND",
        errorMessage: "the upstream does not offer update 0badc0de-0000-4000-8000-000000000001 revision 1",
      }),
    ]);
    renderApp("/software-library/software-updates/import");
    const table = await screen.findByRole("table", { name: "Imported updates" });
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows[0]!.textContent).toContain("Imported, revision 200");
    expect(rows[1]!.textContent).toContain("Bundled with 6d3f2a10-8c1b-4e1a-9a52-1f0c2b7d9e04");
    expect(rows[2]!.textContent).toContain("Failed");
    expect(rows[2]!.textContent).toContain("The upstream does not offer this update revision.");
    const importButton = screen.getByRole("button", { name: "Import" }) as HTMLButtonElement;
    expect(importButton.disabled).toBe(true);
    // Said below the basket's actions, after Import by update ID's Add, and once below the table — not after every
    // row's button.
    expect(screen.getAllByText(/Your role \(Read-only Analyst\) cannot import updates/)).toHaveLength(3);
  });
});
