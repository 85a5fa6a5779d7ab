import type { SupSettingsDto } from "@syncpoint/contracts";
import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { analystMe, descriptionOf, managerMe } from "../test-utils/fixtures.ts";
import { errorEnvelope, json, mockApi } from "../test-utils/mock-api.ts";
import { renderApp } from "../test-utils/render-app.tsx";
import { pausedSettings, supSettings } from "../test-utils/settings-fixtures.ts";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const BANNER = "Synchronization schedules paused";
const pausedAt = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short" }).format(
  new Date("2026-11-24T08:30:00.000Z"),
);

describe("the paused-schedules banner", () => {
  it("says on every page since when and by whom the schedules are paused, and resumes them", async () => {
    let settings: SupSettingsDto = pausedSettings();
    const calls = mockApi({
      "GET /api/auth/me": () => json(200, managerMe),
      "GET /api/sites": () => json(200, { items: [] }),
      "GET /api/sup-settings": () => json(200, settings),
      "PUT /api/sup-settings": () => {
        settings = supSettings({ updatedAt: "2026-11-24T09:00:00.000Z" });
        return json(200, settings);
      },
    });
    renderApp("/administration/sites");
    const banner = await screen.findByRole("status", { name: BANNER });
    expect(banner.textContent).toBe(
      `❚❚All synchronization schedules are paused — since ${pausedAt} by mona. ` +
        "Scheduled syncs and automatic retries do not run.Resume schedules",
    );
    // Outside the page: it stays when the page changes.
    expect(screen.getByRole("main").contains(banner)).toBe(false);
    fireEvent.click(
      within(screen.getByRole("navigation", { name: "Workspaces" })).getByRole("link", { name: "Monitoring" }),
    );
    await screen.findByRole("heading", { level: 1, name: "Overview" });
    expect(screen.getByRole("status", { name: BANNER })).toBe(banner);

    const resume = within(banner).getByRole("button", { name: "Resume schedules" }) as HTMLButtonElement;
    expect(resume.disabled).toBe(false);
    resume.focus();
    fireEvent.click(resume);
    await waitFor(() => expect(screen.queryByRole("status", { name: BANNER })).toBeNull());
    expect(calls.filter((c) => c.method === "PUT").map((c) => c.body)).toEqual([{ schedulesPaused: false }]);
    // The button went with the banner: the focus moved on to the page.
    expect(document.activeElement).toBe(screen.getByRole("main"));
  });

  it("shows a Read-only Analyst Resume disabled, with the reason", async () => {
    mockApi({
      "GET /api/auth/me": () => json(200, analystMe),
      "GET /api/sites": () => json(200, { items: [] }),
      "GET /api/sup-settings": () => json(200, pausedSettings()),
    });
    renderApp("/administration/sites");
    const banner = await screen.findByRole("status", { name: BANNER });
    const resume = within(banner).getByRole("button", { name: "Resume schedules" }) as HTMLButtonElement;
    expect(resume.disabled).toBe(true);
    expect(descriptionOf(resume)).toBe("Your role (Read-only Analyst) cannot change software update point settings.");
    expect(within(banner).getByText(/cannot change software update point settings/)).toBeTruthy();
  });

  it("says why Resume failed, and keeps the banner", async () => {
    mockApi({
      "GET /api/auth/me": () => json(200, managerMe),
      "GET /api/sites": () => json(200, { items: [] }),
      "GET /api/sup-settings": () => json(200, pausedSettings()),
      "PUT /api/sup-settings": () => errorEnvelope(403, "FORBIDDEN", "Your role does not allow this action."),
    });
    renderApp("/administration/sites");
    const banner = await screen.findByRole("status", { name: BANNER });
    fireEvent.click(within(banner).getByRole("button", { name: "Resume schedules" }));
    expect((await within(banner).findByRole("alert")).textContent).toBe("Your role does not allow this action.");
    expect(screen.getByRole("status", { name: BANNER })).toBeTruthy();
  });

  it("is not there while the schedules run, nor when the settings cannot be read", async () => {
    for (const answer of [() => json(200, supSettings()), () => errorEnvelope(500, "INTERNAL_ERROR", "Broken.")]) {
      const calls = mockApi({
        "GET /api/auth/me": () => json(200, managerMe),
        "GET /api/sites": () => json(200, { items: [] }),
        "GET /api/sup-settings": answer,
      });
      renderApp("/administration/sites");
      await screen.findByText("No sites are configured.");
      await waitFor(() => expect(calls.some((c) => c.path === "/api/sup-settings")).toBe(true));
      expect(screen.queryByRole("status", { name: BANNER })).toBeNull();
      // The page's own problems only: the banner does not speak for the settings.
      expect(screen.queryByRole("alert")).toBeNull();
      cleanup();
    }
  });
});
