import { MIN_PASSWORD_LENGTH, type Me } from "@syncpoint/contracts";
import { cleanup, fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { setLocale } from "../i18n/index.ts";
import { errorEnvelope, json, mockApi } from "../test-utils/mock-api.ts";
import { renderApp } from "../test-utils/render-app.tsx";

const mustChange: Me = {
  username: "admin",
  role: "full-administrator",
  permissions: ["read"],
  mustChangePassword: true,
  locale: "en-US",
  localeChosen: true,
};
const goodPassword = "a".repeat(MIN_PASSWORD_LENGTH);

afterEach(async () => {
  cleanup();
  vi.unstubAllGlobals();
  await setLocale("en-US");
});

function fill(current: string, next: string, confirm: string) {
  fireEvent.change(screen.getByLabelText("Current password"), { target: { value: current } });
  fireEvent.change(screen.getByLabelText("New password"), { target: { value: next } });
  fireEvent.change(screen.getByLabelText("Confirm new password"), { target: { value: confirm } });
  fireEvent.click(screen.getByRole("button", { name: "Change password" }));
}

const errorOf = (label: string) => {
  const input = screen.getByLabelText(label);
  const ids = (input.getAttribute("aria-describedby") ?? "").split(" ").filter((id) => id.endsWith("-error"));
  return ids.map((id) => document.getElementById(id)?.textContent).join("");
};

describe("change password page", () => {
  it("validates length and confirmation before calling the server", async () => {
    const calls = mockApi({ "GET /api/auth/me": () => json(200, mustChange) });
    renderApp("/change-password");
    await screen.findByLabelText("Current password");
    expect(screen.getByText(`Use at least ${MIN_PASSWORD_LENGTH} characters.`)).toBeTruthy();
    fill("", "short", "different");
    await waitFor(() => expect(errorOf("Current password")).toBe("Enter your current password."));
    expect(errorOf("New password")).toBe(`The new password must have at least ${MIN_PASSWORD_LENGTH} characters.`);
    expect(errorOf("Confirm new password")).toBe("The two new passwords do not match.");
    expect(document.activeElement).toBe(screen.getByLabelText("Current password"));
    expect(calls.some((c) => c.path === "/api/auth/change-password")).toBe(false);
  });

  it("shows the server's field error under that field", async () => {
    mockApi({
      "GET /api/auth/me": () => json(200, mustChange),
      "POST /api/auth/change-password": () =>
        errorEnvelope(400, "VALIDATION_FAILED", "body.currentPassword: the current password is incorrect.", {
          fields: [{ field: "body.currentPassword", message: "the current password is incorrect" }],
        }),
    });
    renderApp("/change-password");
    await screen.findByLabelText("Current password");
    fill("not it", goodPassword, goodPassword);
    // The server's English reason, in the console's words.
    await waitFor(() => expect(errorOf("Current password")).toBe("The current password is incorrect."));
    expect(errorOf("New password")).toBe("");
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("says in the console's language that the new password must differ, before sending it", async () => {
    const calls = mockApi({ "GET /api/auth/me": () => json(200, { ...mustChange, locale: "de-DE" }) });
    renderApp("/change-password");
    await screen.findByLabelText("Aktuelles Kennwort");
    fireEvent.change(screen.getByLabelText("Aktuelles Kennwort"), { target: { value: goodPassword } });
    fireEvent.change(screen.getByLabelText("Neues Kennwort"), { target: { value: goodPassword } });
    fireEvent.change(screen.getByLabelText("Neues Kennwort bestätigen"), { target: { value: goodPassword } });
    fireEvent.click(screen.getByRole("button", { name: "Kennwort ändern" }));
    await waitFor(() =>
      expect(errorOf("Neues Kennwort")).toBe("Wählen Sie ein neues Kennwort, das sich vom aktuellen unterscheidet."),
    );
    expect(calls.some((c) => c.path === "/api/auth/change-password")).toBe(false);
  });

  it("continues to the page asked for once the password is changed", async () => {
    let me = mustChange;
    const calls = mockApi({
      "GET /api/auth/me": () => json(200, me),
      "POST /api/auth/change-password": () => {
        me = { ...mustChange, mustChangePassword: false };
        return json(200, me);
      },
    });
    const app = renderApp("/monitoring/alerts");
    await screen.findByLabelText("Current password");
    expect(app.location().pathname).toBe("/change-password");
    fill("initial password", goodPassword, goodPassword);
    expect(await screen.findByRole("heading", { level: 1, name: "Alerts" })).toBeTruthy();
    expect(app.location().pathname).toBe("/monitoring/alerts");
    expect(calls.find((c) => c.path === "/api/auth/change-password")?.body).toEqual({
      currentPassword: "initial password",
      newPassword: goodPassword,
    });
  });
});
