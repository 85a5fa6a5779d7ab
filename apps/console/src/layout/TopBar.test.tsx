import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { analystMe } from "../test-utils/fixtures.ts";
import { errorEnvelope, json, mockApi } from "../test-utils/mock-api.ts";
import { setLocale } from "../i18n/index.ts";
import { renderApp } from "../test-utils/render-app.tsx";

afterEach(async () => {
  cleanup();
  vi.unstubAllGlobals();
  localStorage.clear();
  await setLocale("en-US");
});

describe("top bar", () => {
  it("signs out everywhere after a confirmation, next to Sign out", async () => {
    let session = true;
    const calls = mockApi({
      "GET /api/auth/me": () =>
        session ? json(200, analystMe) : errorEnvelope(401, "UNAUTHENTICATED", "Sign in to continue."),
      "POST /api/auth/logout-everywhere": () => {
        session = false;
        return json(200, { sessionsEnded: 3 });
      },
    });
    const app = renderApp("/monitoring/alerts");
    const banner = await screen.findByRole("banner");
    const toggle = within(banner).getByRole("button", { name: "Account options" });
    expect(toggle.getAttribute("aria-expanded")).toBe("false");
    expect(within(banner).queryByRole("button", { name: "Sign out everywhere…" })).toBeNull();
    fireEvent.click(toggle);
    expect(toggle.getAttribute("aria-expanded")).toBe("true");
    expect(within(banner).getByRole("link", { name: "Change password" }).getAttribute("href")).toBe(
      "/change-password?next=%2Fmonitoring%2Falerts",
    );

    // Cancel first: nothing is sent, focus returns to the menu button.
    fireEvent.click(within(banner).getByRole("button", { name: "Sign out everywhere…" }));
    let dialog = await screen.findByRole("alertdialog", { name: "Sign out everywhere?" });
    expect(dialog.textContent).toContain("This ends every session of ana, in every browser, including this one.");
    expect(document.activeElement).toBe(within(dialog).getByRole("button", { name: "Cancel" }));
    fireEvent.click(within(dialog).getByRole("button", { name: "Cancel" }));
    expect(screen.queryByRole("alertdialog")).toBeNull();
    expect(document.activeElement).toBe(toggle);
    expect(calls.some((c) => c.path === "/api/auth/logout-everywhere")).toBe(false);

    fireEvent.click(toggle);
    fireEvent.click(within(banner).getByRole("button", { name: "Sign out everywhere…" }));
    dialog = await screen.findByRole("alertdialog", { name: "Sign out everywhere?" });
    fireEvent.click(within(dialog).getByRole("button", { name: "Sign out everywhere" }));
    await screen.findByLabelText("User name");
    expect(app.location().pathname).toBe("/login");
    expect(calls.find((c) => c.path === "/api/auth/logout-everywhere")).toMatchObject({ method: "POST", body: {} });
  });

  it("closes the account options on Escape", async () => {
    mockApi({ "GET /api/auth/me": () => json(200, analystMe) });
    renderApp("/monitoring/alerts");
    const banner = await screen.findByRole("banner");
    const toggle = within(banner).getByRole("button", { name: "Account options" });
    fireEvent.click(toggle);
    fireEvent.keyDown(within(banner).getByRole("link", { name: "Change password" }), { key: "Escape" });
    await waitFor(() => expect(toggle.getAttribute("aria-expanded")).toBe("false"));
    expect(within(banner).queryByRole("link", { name: "Change password" })).toBeNull();
    expect(document.activeElement).toBe(toggle);
  });

  it("sends the user to the change-password page when a call answers PASSWORD_CHANGE_REQUIRED", async () => {
    let mustChange = false;
    mockApi({
      "GET /api/auth/me": () => json(200, { ...analystMe, mustChangePassword: mustChange }),
      "GET /api/users": () => {
        // The password was reset by an administrator after this page's `me` was loaded.
        mustChange = true;
        return errorEnvelope(403, "PASSWORD_CHANGE_REQUIRED", "Change your password before doing anything else.");
      },
    });
    const app = renderApp("/administration/administrative-users");
    expect(await screen.findByRole("heading", { level: 1, name: "Change password" })).toBeTruthy();
    expect(app.location()).toEqual({
      pathname: "/change-password",
      search: "?next=%2Fadministration%2Fadministrative-users",
    });
  });

  it("switches the console's language from the picker and remembers it for the user", async () => {
    const calls = mockApi({
      "GET /api/auth/me": () => json(200, analystMe),
      "PUT /api/auth/locale": () => json(200, { ...analystMe, locale: "de-DE", localeChosen: true }),
    });
    renderApp("/monitoring/alerts");
    const banner = await screen.findByRole("banner");
    const picker = within(banner).getByRole("combobox", { name: "Language" });
    expect((picker as HTMLSelectElement).value).toBe("en-US");
    fireEvent.change(picker, { target: { value: "de-DE" } });
    await waitFor(() => expect(document.documentElement.lang).toBe("de-DE"));
    expect(await screen.findByRole("link", { name: "Überwachung" })).toBeTruthy();
    expect(screen.getByRole("link", { name: "Softwarebibliothek" })).toBeTruthy();
    await waitFor(() =>
      expect(calls.find((c) => c.path === "/api/auth/locale")).toMatchObject({
        method: "PUT",
        body: { locale: "de-DE" },
      }),
    );
    expect(localStorage.getItem("syncpoint.locale")).toBe("de-DE");
  });

  it("uses the language the user chose before, in any browser", async () => {
    mockApi({ "GET /api/auth/me": () => json(200, { ...analystMe, locale: "sv-SE", localeChosen: true }) });
    renderApp("/monitoring/alerts");
    await waitFor(() => expect(document.documentElement.lang).toBe("sv-SE"));
    expect(await screen.findByRole("link", { name: "Övervakning" })).toBeTruthy();
    expect(screen.getByRole("link", { name: "Programvarubibliotek" })).toBeTruthy();
  });
});
