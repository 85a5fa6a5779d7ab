import type { ApiTokenSummary } from "@syncpoint/contracts";
import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { adminMe, analystMe, descriptionOf } from "../../../test-utils/fixtures.ts";
import { json, mockApi } from "../../../test-utils/mock-api.ts";
import { renderApp } from "../../../test-utils/render-app.tsx";
import { tokenStatus } from "./ApiTokensPage.tsx";

const SECRET = "spt_9f8e7d6c5b4a39281706f5e4d3c2b1a0";
const DAY = 86_400_000;

const token = (overrides: Partial<ApiTokenSummary>): ApiTokenSummary => ({
  id: "10000000-0000-4000-8000-000000000001",
  name: "nightly report",
  prefix: "spt_1a2b",
  username: "ana",
  createdAt: "2025-01-10T08:00:00.000Z",
  expiresAt: null,
  lastUsedAt: null,
  revokedAt: null,
  ...overrides,
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const press = (button: HTMLElement) => {
  button.focus();
  fireEvent.click(button);
};
const action = (name: string) =>
  within(screen.getByRole("toolbar", { name: "API token actions" })).getByRole("button", {
    name,
  }) as HTMLButtonElement;

describe("API Tokens", () => {
  it("tells active, revoked and expired tokens apart", () => {
    const now = Date.parse("2025-06-01T00:00:00.000Z");
    expect(tokenStatus(token({}), now)).toBe("active");
    expect(tokenStatus(token({ expiresAt: "2025-07-01T00:00:00.000Z" }), now)).toBe("active");
    expect(tokenStatus(token({ expiresAt: "2025-05-01T00:00:00.000Z" }), now)).toBe("expired");
    expect(
      tokenStatus(token({ expiresAt: "2025-05-01T00:00:00.000Z", revokedAt: "2025-04-01T00:00:00.000Z" }), now),
    ).toBe("revoked");
  });

  it("lists the analyst's own tokens without an Owner column and with each status", async () => {
    const past = new Date(Date.now() - DAY).toISOString();
    mockApi({
      "GET /api/auth/me": () => json(200, analystMe),
      "GET /api/tokens": () =>
        json(200, {
          items: [
            token({}),
            token({ id: "10000000-0000-4000-8000-000000000002", name: "old", revokedAt: past }),
            token({ id: "10000000-0000-4000-8000-000000000003", name: "short-lived", expiresAt: past }),
          ],
        }),
    });
    renderApp("/administration/api-tokens");
    expect(await screen.findByRole("heading", { level: 1, name: "API Tokens" })).toBeTruthy();
    const table = await screen.findByRole("grid", { name: "3 API tokens" });
    expect(
      within(table)
        .getAllByRole("columnheader")
        .map((h) => h.textContent),
    ).toEqual(["Name", "Prefix", "Created", "Expires", "Last used", "Status"]);
    const statusOf = (name: string) =>
      within(table).getByRole("rowheader", { name }).closest("tr")!.lastElementChild!.textContent;
    expect([statusOf("nightly report"), statusOf("old"), statusOf("short-lived")]).toEqual([
      "Active",
      "Revoked",
      "Expired",
    ]);
    // The analyst manages their own tokens: Create is enabled; Revoke waits for a selection.
    expect(action("Create Token").disabled).toBe(false);
    expect(descriptionOf(action("Revoke"))).toBe("Select a token in the list to revoke it.");
    fireEvent.click(within(table).getByRole("rowheader", { name: "old" }));
    expect(descriptionOf(action("Revoke"))).toBe("The selected token is already revoked.");
  });

  it("shows the Owner column when the list includes other users' tokens", async () => {
    mockApi({
      "GET /api/auth/me": () => json(200, adminMe),
      "GET /api/tokens": () =>
        json(200, {
          items: [token({}), token({ id: "10000000-0000-4000-8000-000000000002", name: "ci", username: "admin" })],
        }),
    });
    renderApp("/administration/api-tokens");
    const table = await screen.findByRole("grid", { name: "2 API tokens" });
    expect(within(table).getAllByRole("columnheader")[1]?.textContent).toBe("Owner");
    expect(within(table).getByRole("rowheader", { name: "nightly report" }).nextElementSibling?.textContent).toBe(
      "ana",
    );
  });

  it("creates a token and shows its secret once", async () => {
    let items: ApiTokenSummary[] = [];
    const created = token({ expiresAt: "2025-04-10T08:00:00.000Z" });
    const calls = mockApi({
      "GET /api/auth/me": () => json(200, analystMe),
      "GET /api/tokens": () => json(200, { items }),
      "POST /api/tokens": () => {
        items = [created];
        return json(201, { token: created, secret: SECRET });
      },
    });
    renderApp("/administration/api-tokens");
    expect(await screen.findByText(/There are no API tokens yet/)).toBeTruthy();
    press(action("Create Token"));
    const dialog = await screen.findByRole("dialog", { name: "Create Token" });
    const expiry = within(dialog).getByLabelText("Expires") as HTMLSelectElement;
    expect([...expiry.options].map((o) => o.textContent)).toEqual([
      "In 30 days",
      "In 90 days",
      "In 365 days",
      "Never (until revoked)",
    ]);
    fireEvent.click(within(dialog).getByRole("button", { name: "Create" }));
    expect(descriptionOf(within(dialog).getByLabelText("Name"))).toContain("Give the token a name.");

    fireEvent.change(within(dialog).getByLabelText("Name"), { target: { value: "nightly report" } });
    fireEvent.change(expiry, { target: { value: "never" } });
    fireEvent.click(within(dialog).getByRole("button", { name: "Create" }));

    const shown = await screen.findByRole("dialog", { name: "Token created" });
    expect(calls.find((c) => c.method === "POST")?.body).toEqual({ name: "nightly report", expiresInDays: null });
    expect((within(shown).getByLabelText("API token nightly report") as HTMLInputElement).value).toBe(SECRET);
    expect(shown.textContent).toContain("You will not be able to see it again.");
    expect(within(shown).getByRole("button", { name: "Copy" })).toBeTruthy();
    fireEvent.click(within(shown).getByRole("button", { name: "Done" }));

    const table = await screen.findByRole("grid", { name: "1 API token" });
    expect(within(table).getByRole("rowheader", { name: "nightly report" }).closest("tr")?.textContent).toContain(
      "spt_1a2b",
    );
    expect(document.body.innerHTML).not.toContain(SECRET);
    expect(document.activeElement).toBe(action("Create Token"));
  });

  it("sends the chosen lifetime in days", async () => {
    const calls = mockApi({
      "GET /api/auth/me": () => json(200, analystMe),
      "GET /api/tokens": () => json(200, { items: [] }),
      "POST /api/tokens": () => json(201, { token: token({}), secret: SECRET }),
    });
    renderApp("/administration/api-tokens");
    await screen.findByText(/There are no API tokens yet/);
    press(action("Create Token"));
    const dialog = await screen.findByRole("dialog", { name: "Create Token" });
    fireEvent.change(within(dialog).getByLabelText("Name"), { target: { value: "ci" } });
    fireEvent.change(within(dialog).getByLabelText("Expires"), { target: { value: "365" } });
    fireEvent.click(within(dialog).getByRole("button", { name: "Create" }));
    await screen.findByRole("dialog", { name: "Token created" });
    expect(calls.find((c) => c.method === "POST")?.body).toEqual({ name: "ci", expiresInDays: 365 });
  });

  it("revokes the selected token after a confirmation", async () => {
    const active = token({});
    let items = [active];
    const calls = mockApi({
      "GET /api/auth/me": () => json(200, analystMe),
      "GET /api/tokens": () => json(200, { items }),
      [`DELETE /api/tokens/${active.id}`]: () => {
        items = [{ ...active, revokedAt: new Date().toISOString() }];
        return json(200, items[0]);
      },
    });
    renderApp("/administration/api-tokens");
    const table = await screen.findByRole("grid", { name: "1 API token" });
    fireEvent.click(within(table).getByRole("rowheader", { name: "nightly report" }));
    press(action("Revoke"));
    const dialog = await screen.findByRole("alertdialog", { name: "Revoke Token" });
    expect(dialog.textContent).toContain("Revoke the API token nightly report (spt_1a2b…)?");
    fireEvent.click(within(dialog).getByRole("button", { name: "Revoke" }));
    await waitFor(() => expect(screen.queryByRole("alertdialog")).toBeNull());
    expect(calls.filter((c) => c.method === "DELETE").map((c) => c.path)).toEqual([`/api/tokens/${active.id}`]);
    await waitFor(() =>
      expect(within(table).getByRole("rowheader", { name: "nightly report" }).closest("tr")?.dataset.status).toBe(
        "revoked",
      ),
    );
    expect(screen.getByText("API token nightly report was revoked.")).toBeTruthy();
  });
});
