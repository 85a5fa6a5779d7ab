import type { CreateUserRequest, UserSummary } from "@syncpoint/contracts";
import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { adminMe, analystMe, descriptionOf } from "../../../test-utils/fixtures.ts";
import { errorEnvelope, json, mockApi } from "../../../test-utils/mock-api.ts";
import { renderApp } from "../../../test-utils/render-app.tsx";

const ADMIN_ID = "00000000-0000-4000-8000-000000000001";
const ANA_ID = "00000000-0000-4000-8000-000000000002";
const GENERATED = "Xq7-generated-initial-pw";

const adminUser: UserSummary = {
  id: ADMIN_ID,
  username: "admin",
  role: "full-administrator",
  mustChangePassword: false,
  lastLoginAt: "2025-03-04T10:15:00.000Z",
  createdAt: "2025-01-02T08:00:00.000Z",
};
const anaUser: UserSummary = {
  id: ANA_ID,
  username: "ana",
  role: "read-only-analyst",
  mustChangePassword: true,
  lastLoginAt: null,
  createdAt: "2025-02-03T09:30:00.000Z",
};

const dateTime = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short" });
const formatted = (iso: string) => dateTime.format(new Date(iso));

let clipboard: string[] = [];
beforeEach(() => {
  clipboard = [];
  Object.defineProperty(navigator, "clipboard", {
    configurable: true,
    value: { writeText: vi.fn(async (text: string) => void clipboard.push(text)) },
  });
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const grid = () => screen.findByRole("grid", { name: /users?$/ });
const cellsOf = (row: HTMLElement) => [...row.querySelectorAll("th, td")].map((cell) => cell.textContent);
const ribbon = () => screen.getByRole("toolbar", { name: "User actions" });
const action = (name: string) => within(ribbon()).getByRole("button", { name }) as HTMLButtonElement;
/** As a mouse click in a browser: the button gets focus, then the click. */
const press = (button: HTMLButtonElement) => {
  button.focus();
  fireEvent.click(button);
};

describe("Administrative Users", () => {
  it("lists the users from the API with their role, sign-in state and dates", async () => {
    mockApi({
      "GET /api/auth/me": () => json(200, adminMe),
      "GET /api/users": () => json(200, { items: [adminUser, anaUser] }),
    });
    renderApp("/administration/administrative-users");
    expect(await screen.findByRole("heading", { level: 1, name: "Administrative Users" })).toBeTruthy();
    const table = await grid();
    expect(table.getAttribute("aria-labelledby")).toBeTruthy();
    expect(within(table).getByText("2 users")).toBeTruthy();
    const headers = within(table)
      .getAllByRole("columnheader")
      .map((h) => h.textContent);
    expect(headers).toEqual(["User name", "Role", "Must change password", "Last sign-in", "Created"]);
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows.map(cellsOf)).toEqual([
      ["admin", "Full Administrator", "No", formatted(adminUser.lastLoginAt!), formatted(adminUser.createdAt)],
      ["ana", "Read-only Analyst", "Yes", "Never", formatted(anaUser.createdAt)],
    ]);
    // Nothing selected yet: the selection-bound actions say why they are disabled.
    expect(action("Add User").disabled).toBe(false);
    expect(action("Change Role").disabled).toBe(true);
    expect(descriptionOf(action("Change Role"))).toBe(
      "Select a user in the list to change their role, reset their password or delete them.",
    );
  });

  it("disables every action for a Read-only Analyst and shows the reason", async () => {
    mockApi({
      "GET /api/auth/me": () => json(200, analystMe),
      "GET /api/users": () => json(200, { items: [adminUser, anaUser] }),
    });
    renderApp("/administration/administrative-users");
    const table = await grid();
    fireEvent.click(within(table).getByRole("rowheader", { name: "admin" }).closest("tr")!);
    const reason = "Your role (Read-only Analyst) cannot manage users and roles.";
    for (const name of ["Add User", "Change Role", "Reset Password", "Delete"]) {
      expect(action(name).disabled).toBe(true);
      expect(descriptionOf(action(name))).toBe(reason);
    }
    expect(screen.getAllByText(reason)).toHaveLength(1);
  });

  it("adds a user with a generated password and shows that password once", async () => {
    let users = [adminUser, anaUser];
    const created: UserSummary = {
      id: "00000000-0000-4000-8000-000000000003",
      username: "bob",
      role: "software-update-manager",
      mustChangePassword: true,
      lastLoginAt: null,
      createdAt: "2025-04-01T12:00:00.000Z",
    };
    const calls = mockApi({
      "GET /api/auth/me": () => json(200, adminMe),
      "GET /api/users": () => json(200, { items: users }),
      "POST /api/users": () => {
        users = [adminUser, anaUser, created];
        return json(201, { user: created, initialPassword: GENERATED });
      },
    });
    renderApp("/administration/administrative-users");
    await grid();
    press(action("Add User"));

    const dialog = await screen.findByRole("dialog", { name: "Add User" });
    const userName = within(dialog).getByLabelText("User name");
    expect(document.activeElement).toBe(userName);
    expect([...(within(dialog).getByLabelText("Role") as HTMLSelectElement).options].map((o) => o.textContent)).toEqual(
      ["Full Administrator", "Software Update Manager", "Read-only Analyst"],
    );
    fireEvent.change(userName, { target: { value: "  bob " } });
    fireEvent.change(within(dialog).getByLabelText("Role"), { target: { value: "software-update-manager" } });
    fireEvent.click(within(dialog).getByRole("button", { name: "Add" }));

    const shown = await screen.findByRole("dialog", { name: "User added" });
    expect(screen.queryByRole("dialog", { name: "Add User" })).toBeNull();
    const request = calls.find((c) => c.method === "POST" && c.path === "/api/users");
    expect(request?.body).toEqual({ username: "bob", role: "software-update-manager" } satisfies CreateUserRequest);
    const secret = within(shown).getByLabelText("Initial password of bob") as HTMLInputElement;
    expect(secret.value).toBe(GENERATED);
    expect(secret.readOnly).toBe(true);
    expect(shown.textContent).toContain("It must be changed at first sign-in.");
    fireEvent.click(within(shown).getByRole("button", { name: "Copy" }));
    expect(await within(shown).findByText("Copied to the clipboard.")).toBeTruthy();
    expect(clipboard).toEqual([GENERATED]);

    fireEvent.click(within(shown).getByRole("button", { name: "Done" }));
    expect(screen.queryByRole("dialog")).toBeNull();
    // Shown once: gone from the page once the dialog is closed.
    expect(document.body.innerHTML).not.toContain(GENERATED);
    expect(document.activeElement).toBe(action("Add User"));

    const row = await within(await grid()).findByRole("rowheader", { name: "bob" });
    expect(row.closest("tr")!.getAttribute("aria-selected")).toBe("true");
    expect(screen.getByText("User bob was added.").getAttribute("role")).toBe("status");
  });

  it("shows USERNAME_TAKEN under the user name field and keeps the dialog open", async () => {
    mockApi({
      "GET /api/auth/me": () => json(200, adminMe),
      "GET /api/users": () => json(200, { items: [adminUser, anaUser] }),
      "POST /api/users": () =>
        errorEnvelope(409, "USERNAME_TAKEN", 'A user named "ana" already exists.', {
          fields: [{ field: "body.username", message: "a user with this name already exists" }],
        }),
    });
    renderApp("/administration/administrative-users");
    await grid();
    press(action("Add User"));
    const dialog = await screen.findByRole("dialog", { name: "Add User" });
    const userName = within(dialog).getByLabelText("User name");
    fireEvent.change(userName, { target: { value: "ana" } });
    fireEvent.click(within(dialog).getByRole("button", { name: "Add" }));

    await waitFor(() => expect(userName.getAttribute("aria-invalid")).toBe("true"));
    expect(descriptionOf(userName)).toBe("A user with this name already exists.");
    expect(within(dialog).queryByRole("alert")).toBeNull();
    expect(document.activeElement).toBe(userName);
    expect(descriptionOf(within(dialog).getByLabelText("Initial password (optional)"))).not.toContain("exists");
  });

  it("checks the fields before calling the server", async () => {
    const calls = mockApi({
      "GET /api/auth/me": () => json(200, adminMe),
      "GET /api/users": () => json(200, { items: [adminUser] }),
    });
    renderApp("/administration/administrative-users");
    await grid();
    press(action("Add User"));
    const dialog = await screen.findByRole("dialog", { name: "Add User" });
    fireEvent.change(within(dialog).getByLabelText("Initial password (optional)"), { target: { value: "short" } });
    fireEvent.click(within(dialog).getByRole("button", { name: "Add" }));
    expect(descriptionOf(within(dialog).getByLabelText("User name"))).toBe("Enter a user name.");
    expect(descriptionOf(within(dialog).getByLabelText("Initial password (optional)"))).toContain(
      "The password must have at least 12 characters.",
    );
    expect(calls.some((c) => c.method === "POST")).toBe(false);
    fireEvent.keyDown(dialog, { key: "Escape" });
    expect(screen.queryByRole("dialog")).toBeNull();
  });

  it("selects with the keyboard and deletes after a confirmation naming the user", async () => {
    let users = [adminUser, anaUser];
    const calls = mockApi({
      "GET /api/auth/me": () => json(200, adminMe),
      "GET /api/users": () => json(200, { items: users }),
      [`DELETE /api/users/${ANA_ID}`]: () => {
        users = [adminUser];
        return new Response(null, { status: 204 });
      },
    });
    renderApp("/administration/administrative-users");
    const table = await grid();
    const [adminRow, anaRow] = within(table).getAllByRole("row").slice(1) as HTMLTableRowElement[];
    expect(adminRow!.tabIndex).toBe(0);
    expect(anaRow!.tabIndex).toBe(-1);
    adminRow!.focus();
    fireEvent.keyDown(adminRow!, { key: " " });
    expect(adminRow!.getAttribute("aria-selected")).toBe("true");
    // One's own account cannot be deleted: disabled, with the reason.
    expect(action("Delete").disabled).toBe(true);
    expect(descriptionOf(action("Delete"))).toBe("You cannot delete the account you are signed in with.");
    expect(action("Change Role").disabled).toBe(false);

    fireEvent.keyDown(adminRow!, { key: "ArrowDown" });
    expect(anaRow!.getAttribute("aria-selected")).toBe("true");
    expect(adminRow!.getAttribute("aria-selected")).toBe("false");
    expect(document.activeElement).toBe(anaRow);
    expect(screen.getByRole("heading", { level: 2, name: "ana" })).toBeTruthy();

    press(action("Delete"));
    const dialog = await screen.findByRole("alertdialog", { name: "Delete User" });
    expect(dialog.textContent).toContain("Delete the user ana?");
    // The safe choice has focus.
    expect(document.activeElement).toBe(within(dialog).getByRole("button", { name: "Cancel" }));
    const confirm = within(dialog).getByRole("button", { name: "Delete" });
    expect(confirm.className).toContain("button--danger");
    fireEvent.click(confirm);
    await waitFor(() => expect(screen.queryByRole("alertdialog")).toBeNull());
    expect(calls.filter((c) => c.method === "DELETE").map((c) => [c.path, c.body])).toEqual([
      [`/api/users/${ANA_ID}`, {}],
    ]);
    await waitFor(() => expect(within(table).queryByRole("rowheader", { name: "ana" })).toBeNull());
    expect(screen.getByText("User ana was deleted.")).toBeTruthy();
  });

  it("shows LAST_ADMINISTRATOR as an alert in the Change Role dialog", async () => {
    const calls = mockApi({
      "GET /api/auth/me": () => json(200, adminMe),
      "GET /api/users": () => json(200, { items: [adminUser, anaUser] }),
      [`PATCH /api/users/${ADMIN_ID}`]: () =>
        errorEnvelope(
          409,
          "LAST_ADMINISTRATOR",
          "The last Full Administrator cannot be removed or demoted; make another user Full Administrator first.",
        ),
    });
    renderApp("/administration/administrative-users");
    const table = await grid();
    fireEvent.click(within(table).getByRole("rowheader", { name: "admin" }));
    press(action("Change Role"));
    const dialog = await screen.findByRole("dialog", { name: "Change Role" });
    expect(dialog.textContent).toContain("admin is Full Administrator.");
    const select = within(dialog).getByLabelText("New role") as HTMLSelectElement;
    expect(select.value).toBe("full-administrator");
    fireEvent.change(select, { target: { value: "read-only-analyst" } });
    fireEvent.click(within(dialog).getByRole("button", { name: "Change Role" }));
    const alert = await within(dialog).findByRole("alert");
    // The console's sentence for the code; the server's message, with what to do about it, under it.
    expect(alert.firstChild?.textContent).toBe("The last Full Administrator cannot be removed or demoted.");
    expect(alert.querySelector(".error-detail")?.textContent).toBe(
      "Server message (LAST_ADMINISTRATOR): The last Full Administrator cannot be removed or demoted; make another user Full Administrator first.",
    );
    expect(calls.find((c) => c.method === "PATCH")?.body).toEqual({ role: "read-only-analyst" });
  });

  it("resets a password after a confirmation and shows the new one once", async () => {
    const calls = mockApi({
      "GET /api/auth/me": () => json(200, adminMe),
      "GET /api/users": () => json(200, { items: [adminUser, anaUser] }),
      [`POST /api/users/${ANA_ID}/reset-password`]: () => json(200, { initialPassword: GENERATED }),
    });
    renderApp("/administration/administrative-users");
    const table = await grid();
    fireEvent.click(within(table).getByRole("rowheader", { name: "ana" }));
    press(action("Reset Password"));
    const confirm = await screen.findByRole("alertdialog", { name: "Reset Password" });
    expect(confirm.textContent).toContain("Reset the password of ana?");
    expect(calls.some((c) => c.path.endsWith("/reset-password"))).toBe(false);
    fireEvent.click(within(confirm).getByRole("button", { name: "Reset Password" }));
    const shown = await screen.findByRole("dialog", { name: "Password reset" });
    expect((within(shown).getByLabelText("Initial password of ana") as HTMLInputElement).value).toBe(GENERATED);
    fireEvent.keyDown(shown, { key: "Escape" });
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(document.body.innerHTML).not.toContain(GENERATED);
  });
});
