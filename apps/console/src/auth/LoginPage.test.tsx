import type { Me } from "@syncpoint/contracts";
import { cleanup, fireEvent, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { errorEnvelope, json, mockApi } from "../test-utils/mock-api.ts";
import { renderApp } from "../test-utils/render-app.tsx";

const admin: Me = {
  username: "admin",
  role: "full-administrator",
  permissions: ["read"],
  mustChangePassword: false,
  locale: "en-US",
  localeChosen: true,
};
const signedOut = () => errorEnvelope(401, "UNAUTHENTICATED", "Sign in to continue.");

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function signIn(username: string, password: string) {
  fireEvent.change(screen.getByLabelText("User name"), { target: { value: username } });
  fireEvent.change(screen.getByLabelText("Password"), { target: { value: password } });
  fireEvent.click(screen.getByRole("button", { name: "Sign in" }));
}

describe("login page", () => {
  it("has labelled fields, the product name, and focus on the user name", async () => {
    mockApi({ "GET /api/auth/me": signedOut });
    renderApp("/login");
    const userName = await screen.findByLabelText("User name");
    expect(userName).toHaveProperty("type", "text");
    expect(screen.getByLabelText("Password")).toHaveProperty("type", "password");
    expect(screen.getByRole("heading", { level: 1, name: "Syncpoint" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "Sign in" })).toBeTruthy();
    expect(document.activeElement).toBe(userName);
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("shows the server's message in an alert when the credentials are wrong, and stays on the page", async () => {
    const calls = mockApi({
      "GET /api/auth/me": signedOut,
      "POST /api/auth/login": () =>
        errorEnvelope(401, "INVALID_CREDENTIALS", "The user name or password is incorrect."),
    });
    const app = renderApp("/login");
    await screen.findByLabelText("User name");
    signIn("admin", "wrong password");
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toBe("The user name or password is incorrect.");
    expect(calls.filter((c) => c.path === "/api/auth/login").map((c) => c.body)).toEqual([
      { username: "admin", password: "wrong password" },
    ]);
    expect(app.location().pathname).toBe("/login");
    expect((screen.getByRole("button", { name: "Sign in" }) as HTMLButtonElement).disabled).toBe(false);
  });

  it("asks for missing fields without calling the server", async () => {
    const calls = mockApi({ "GET /api/auth/me": signedOut });
    renderApp("/login");
    await screen.findByLabelText("User name");
    fireEvent.click(screen.getByRole("button", { name: "Sign in" }));
    expect(await screen.findByText("Enter your user name.")).toBeTruthy();
    expect(screen.getByText("Enter your password.")).toBeTruthy();
    expect(screen.getByLabelText("User name").getAttribute("aria-invalid")).toBe("true");
    expect(calls.some((c) => c.path === "/api/auth/login")).toBe(false);
  });

  it("sends a signed-out visitor to the login page and, after signing in, to the page asked for", async () => {
    let session = false;
    mockApi({
      "GET /api/auth/me": () => (session ? json(200, admin) : signedOut()),
      "POST /api/auth/login": () => {
        session = true;
        return json(200, admin);
      },
      "GET /api/sites": () =>
        json(200, {
          items: [
            {
              code: "CAS",
              name: "Central",
              type: "central",
              parentCode: null,
              sups: [{ serverName: "cas.contoso.com", syncSource: "microsoft-update", catalogVersion: 7 }],
              children: [
                {
                  code: "P01",
                  name: "Primary one",
                  type: "primary",
                  parentCode: "CAS",
                  sups: [{ serverName: "p01.contoso.com", syncSource: "parent", catalogVersion: 7 }],
                  children: [],
                },
              ],
            },
          ],
        }),
    });
    const app = renderApp("/administration/sites");
    await screen.findByLabelText("User name");
    expect(app.location()).toEqual({ pathname: "/login", search: "?next=%2Fadministration%2Fsites" });

    signIn("admin", "correct horse battery staple");
    expect(await screen.findByRole("heading", { level: 1, name: "Sites" })).toBeTruthy();
    expect(app.location().pathname).toBe("/administration/sites");
    const table = await screen.findByRole("table");
    const cells = (code: string) =>
      [...within(table).getByRole("rowheader", { name: code }).closest("tr")!.querySelectorAll("th, td")].map(
        (cell) => cell.textContent,
      );
    expect(cells("CAS")).toEqual([
      "CAS",
      "Central",
      "Central administration site",
      "—",
      "cas.contoso.com",
      "Microsoft Update",
      "7",
    ]);
    expect(cells("P01")).toEqual(["P01", "Primary one", "Primary site", "CAS", "p01.contoso.com", "Parent site", "7"]);
    expect(screen.getByRole("banner").textContent).toContain("admin");
    expect(screen.getByRole("banner").textContent).toContain("Full Administrator");
  });

  it("forces the change-password page while the password must change", async () => {
    mockApi({ "GET /api/auth/me": () => json(200, { ...admin, mustChangePassword: true }) });
    const app = renderApp("/monitoring/sup-sync-status");
    expect(await screen.findByRole("heading", { level: 1, name: "Change password" })).toBeTruthy();
    expect(app.location()).toEqual({ pathname: "/change-password", search: "?next=%2Fmonitoring%2Fsup-sync-status" });
    expect(screen.getByLabelText("Current password")).toBeTruthy();
    expect(screen.getByLabelText("New password")).toBeTruthy();
    expect(screen.getByLabelText("Confirm new password")).toBeTruthy();
  });
});
