import type { Me, SupSettingsDto, TestConnectionResult } from "@syncpoint/contracts";
import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { adminMe, analystMe, descriptionOf } from "../../test-utils/fixtures.ts";
import { errorEnvelope, json, mockApi, type ApiCall } from "../../test-utils/mock-api.ts";
import { renderApp } from "../../test-utils/render-app.tsx";
import { SECOND_TUESDAYS, supSettings } from "../../test-utils/settings-fixtures.ts";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const PATH = "/administration/synchronization-schedule";

/** Every other Saturday at 23:30 in Berlin from the end of November 2026: what the preview answers here. */
const SATURDAYS = [
  "2026-11-28T22:30:00.000Z",
  "2026-12-12T22:30:00.000Z",
  "2026-12-26T22:30:00.000Z",
  "2027-01-09T22:30:00.000Z",
  "2027-01-23T22:30:00.000Z",
];

/** A server that keeps the settings: PUT changes them (and moves updatedAt on), as the real one does. */
function serve(me: Me, initial: SupSettingsDto = supSettings(), extra: Parameters<typeof mockApi>[0] = {}) {
  let settings = initial;
  let version = 0;
  const calls = mockApi({
    "GET /api/auth/me": () => json(200, me),
    "GET /api/sup-settings": () => json(200, settings),
    "PUT /api/sup-settings": ({ body }) => {
      const change = body as Partial<SupSettingsDto>;
      version += 1;
      settings = {
        ...settings,
        ...change,
        ...(change.schedulesPaused === true
          ? { schedulesPausedAt: "2026-11-24T08:30:00.000Z", schedulesPausedBy: me.username }
          : change.schedulesPaused === false
            ? { schedulesPausedAt: null, schedulesPausedBy: null }
            : {}),
        updatedAt: `2026-11-24T10:00:0${version}.000Z`,
      };
      return json(200, settings);
    },
    "GET /api/sup-settings/schedule-preview": ({ url }) =>
      json(200, { times: SATURDAYS.slice(0, Number(url.searchParams.get("count"))) }),
    ...extra,
  });
  return { calls, current: () => settings };
}

const puts = (calls: ApiCall[]) => calls.filter((c) => c.method === "PUT").map((c) => c.body);
const form = () => screen.getByRole("form", { name: "Sync Schedule" });
const ribbon = () => screen.getByRole("toolbar", { name: "Synchronization schedule actions" });
const field = (label: string) => within(form()).getByLabelText(label) as HTMLInputElement & HTMLSelectElement;

describe("Administration › Synchronization Schedule", () => {
  it("shows the saved schedule and the next five times in local time with the zone", async () => {
    serve(adminMe);
    renderApp(PATH);
    expect(await screen.findByRole("heading", { level: 1, name: "Synchronization Schedule" })).toBeTruthy();
    await screen.findByRole("form", { name: "Sync Schedule" });

    expect(field("Enable synchronization on a schedule").checked).toBe(true);
    expect((within(form()).getByRole("radio", { name: "Custom schedule" }) as HTMLInputElement).checked).toBe(true);
    expect(field("Recurrence pattern").value).toBe("monthly");
    expect(field("On the").value).toBe("2");
    expect(field("Day of the week").value).toBe("2");
    expect(field("Start time").value).toBe("02:00");
    expect(field("Time zone").value).toBe("Europe/Berlin");
    expect(field("Retry a failed synchronization after (minutes)").value).toBe("60");
    expect(field("Warn when a synchronization makes no progress for (minutes)").value).toBe("30");
    expect(field("Alert when synchronization fails on any site in the hierarchy").checked).toBe(true);
    // Nothing changed yet: Save says why it is disabled.
    const save = within(form()).getByRole("button", { name: "Save" }) as HTMLButtonElement;
    expect(save.disabled).toBe(true);
    expect(descriptionOf(save)).toBe("Change a setting to save it.");

    const upcoming = screen.getByRole("region", { name: "Next synchronizations" });
    const times = within(upcoming).getAllByRole("listitem");
    expect(times).toHaveLength(5);
    const local = new Intl.DateTimeFormat("en-US", {
      weekday: "short",
      year: "numeric",
      month: "short",
      day: "numeric",
      hour: "numeric",
      minute: "2-digit",
      timeZoneName: "short",
    });
    expect(times.map((li) => li.querySelector("time")!.getAttribute("datetime"))).toEqual(SECOND_TUESDAYS);
    expect(times[0]!.querySelector("time")!.textContent).toBe(local.format(new Date(SECOND_TUESDAYS[0]!)));
    // The test runs outside Berlin (UTC or wherever): each time also in the schedule's zone.
    if (Intl.DateTimeFormat().resolvedOptions().timeZone !== "Europe/Berlin") {
      expect(times[0]!.textContent).toContain("Tue, Dec 8, 2026, 2:00 AM GMT+1 in the schedule's time zone");
    }
  });

  it("summarizes an edited schedule and previews its next five times before it is saved", async () => {
    const { calls } = serve(adminMe);
    renderApp(PATH);
    await screen.findByRole("form", { name: "Sync Schedule" });
    const upcoming = () => screen.getByRole("region", { name: "Next synchronizations" });
    expect(upcoming().textContent).toContain("On the second Tuesday of every month at 02:00 (Europe/Berlin).");
    expect(upcoming().textContent).toContain("Times of the saved schedule");
    expect(calls.some((c) => c.path.startsWith("/api/sup-settings/schedule-preview"))).toBe(false);

    fireEvent.change(field("Recurrence pattern"), { target: { value: "weekly" } });
    fireEvent.change(field("Recur every (weeks)"), { target: { value: "2" } });
    fireEvent.change(field("On"), { target: { value: "6" } });
    fireEvent.change(field("Start time"), { target: { value: "23:30" } });
    expect(upcoming().textContent).toContain("Every 2 weeks on Saturday at 23:30 (Europe/Berlin).");
    await waitFor(() =>
      expect(
        within(upcoming())
          .queryAllByRole("listitem")
          .map((li) => li.querySelector("time")!.getAttribute("datetime")),
      ).toEqual(SATURDAYS),
    );
    expect(upcoming().textContent).toContain("if you save it now");
    const asked = new URL(
      calls.filter((c) => c.path.startsWith("/api/sup-settings/schedule-preview")).at(-1)!.path,
      "http://console.test",
    ).searchParams;
    expect(JSON.parse(asked.get("schedule")!)).toEqual({
      kind: "weekly",
      dayOfWeek: 6,
      time: "23:30",
      everyWeeks: 2,
      timeZone: "Europe/Berlin",
    });
    expect(asked.get("count")).toBe("5");

    // Not a valid schedule: nothing to preview. Off: nothing runs.
    fireEvent.change(field("Recur every (weeks)"), { target: { value: "9" } });
    expect(upcoming().textContent).toContain("Correct the schedule to see when it runs.");
    fireEvent.click(field("Enable synchronization on a schedule"));
    expect(upcoming().textContent).toContain("Synchronization on a schedule is off");
    expect(within(upcoming()).queryAllByRole("listitem")).toHaveLength(0);
    expect(puts(calls)).toEqual([]);
  });

  it("saves only the changed fields and shows the saved settings", async () => {
    const { calls } = serve(adminMe);
    renderApp(PATH);
    await screen.findByRole("form", { name: "Sync Schedule" });
    fireEvent.change(field("Recurrence pattern"), { target: { value: "weekly" } });
    fireEvent.change(field("Recur every (weeks)"), { target: { value: "2" } });
    fireEvent.change(field("On"), { target: { value: "6" } });
    fireEvent.change(field("Start time"), { target: { value: "23:30" } });
    fireEvent.change(field("Retry a failed synchronization after (minutes)"), { target: { value: "120" } });
    const save = within(form()).getByRole("button", { name: "Save" }) as HTMLButtonElement;
    expect(save.disabled).toBe(false);
    fireEvent.click(save);

    await screen.findByText("The synchronization schedule was saved.");
    expect(puts(calls)).toEqual([
      {
        schedule: { kind: "weekly", dayOfWeek: 6, time: "23:30", everyWeeks: 2, timeZone: "Europe/Berlin" },
        retryMinutes: 120,
      },
    ]);
    // Saved: the form shows the stored values and has nothing to save.
    await waitFor(() =>
      expect((within(form()).getByRole("button", { name: "Save" }) as HTMLButtonElement).disabled).toBe(true),
    );
    expect(field("Recur every (weeks)").value).toBe("2");
    expect(field("Retry a failed synchronization after (minutes)").value).toBe("120");
  });

  it("checks the ranges before sending, and puts the server's field errors next to the fields", async () => {
    const { calls } = serve(adminMe, supSettings(), {
      "PUT /api/sup-settings": () =>
        errorEnvelope(400, "VALIDATION_FAILED", "body.schedule.every: every is 1–23 hours, 1–31 days or 1–4 weeks", {
          fields: [
            { field: "body.schedule.every", message: "every is 1–23 hours, 1–31 days or 1–4 weeks" },
            { field: "body.stalledMinutes", message: "at most 1440 minutes" },
          ],
        }),
    });
    renderApp(PATH);
    await screen.findByRole("form", { name: "Sync Schedule" });
    fireEvent.click(within(form()).getByRole("radio", { name: "Simple schedule" }));
    fireEvent.change(field("Run every"), { target: { value: "40" } });
    fireEvent.click(within(form()).getByRole("button", { name: "Save" }));
    // Refused here: no request, the message under the field, the focus on it.
    expect(descriptionOf(field("Run every"))).toContain("Enter a whole number of days from 1 to 31.");
    expect(field("Run every").getAttribute("aria-invalid")).toBe("true");
    expect(document.activeElement).toBe(field("Run every"));
    expect(puts(calls)).toEqual([]);

    // The server refuses too (its rules could change before the console's): its messages go to the fields.
    fireEvent.change(field("Run every"), { target: { value: "14" } });
    fireEvent.click(within(form()).getByRole("button", { name: "Save" }));
    const alert = await within(form()).findByRole("alert");
    expect(alert.textContent).toBe("The settings were not saved. Correct the fields marked below.");
    expect(descriptionOf(field("Run every"))).toContain("every is 1–23 hours, 1–31 days or 1–4 weeks");
    expect(descriptionOf(field("Warn when a synchronization makes no progress for (minutes)"))).toContain(
      "at most 1440 minutes",
    );
    expect(puts(calls)).toEqual([{ schedule: { kind: "simple", every: 14, unit: "days", timeZone: "Europe/Berlin" } }]);
  });

  it("asks before pausing all schedules, then the banner says so everywhere; Resume needs no confirmation", async () => {
    const { calls } = serve(adminMe);
    renderApp(PATH);
    await screen.findByRole("form", { name: "Sync Schedule" });
    fireEvent.click(within(ribbon()).getByRole("button", { name: "Pause all schedules" }));
    let dialog = await screen.findByRole("alertdialog", { name: "Pause all schedules" });
    expect(dialog.textContent).toContain("Scheduled synchronizations and automatic retries");
    fireEvent.click(within(dialog).getByRole("button", { name: "Cancel" }));
    expect(screen.queryByRole("alertdialog")).toBeNull();
    expect(puts(calls)).toEqual([]);

    fireEvent.click(within(ribbon()).getByRole("button", { name: "Pause all schedules" }));
    dialog = await screen.findByRole("alertdialog", { name: "Pause all schedules" });
    fireEvent.click(within(dialog).getByRole("button", { name: "Pause schedules" }));
    const banner = await screen.findByRole("status", { name: "Synchronization schedules paused" });
    expect(banner.textContent).toContain("All synchronization schedules are paused — since");
    expect(banner.textContent).toContain("by admin.");
    expect(puts(calls)).toEqual([{ schedulesPaused: true }]);
    expect(screen.queryByRole("alertdialog")).toBeNull();
    expect(screen.getByRole("region", { name: "Next synchronizations" }).textContent).toContain(
      "The schedules are paused",
    );

    fireEvent.click(within(ribbon()).getByRole("button", { name: "Resume schedules" }));
    await waitFor(() => expect(screen.queryByRole("status", { name: "Synchronization schedules paused" })).toBeNull());
    expect(puts(calls)).toEqual([{ schedulesPaused: true }, { schedulesPaused: false }]);
    expect(screen.getByText("The synchronization schedules run again.")).toBeTruthy();
  });

  it("tests the connection and shows each step, the URL and protocol version, or the step that failed", async () => {
    const ok: TestConnectionResult = {
      ok: true,
      url: "http://upstream.test:8530",
      steps: [
        { step: "GetAuthConfig", ok: true, ms: 12 },
        { step: "GetAuthorizationCookie", ok: true, ms: 8 },
        { step: "GetCookie", ok: true, ms: 9 },
        { step: "GetConfigData", ok: true, ms: 21 },
      ],
      errorCode: null,
      message: "Connected to http://upstream.test:8530: protocol version 1.20, at most 100 updates per request.",
      protocolVersion: "1.20",
    };
    const failed: TestConnectionResult = {
      ok: false,
      url: "http://upstream.test:8530",
      steps: [
        { step: "GetAuthConfig", ok: true, ms: 12 },
        { step: "GetAuthorizationCookie", ok: true, ms: 8 },
        { step: "GetCookie", ok: false, ms: 30 },
      ],
      errorCode: "UPSTREAM_AUTH_FAILED",
      message: "GetCookie failed: the upstream server refused the authorization cookie.",
      protocolVersion: null,
    };
    let answer = ok;
    const { calls } = serve(adminMe, supSettings(), {
      "POST /api/sup-settings/test-connection": () => json(200, answer),
    });
    renderApp(PATH);
    await screen.findByRole("form", { name: "Sync Schedule" });
    fireEvent.click(within(ribbon()).getByRole("button", { name: "Test connection" }));
    let result = await screen.findByRole("region", { name: "Connected to http://upstream.test:8530" });
    expect(result.textContent).toContain("Protocol version 1.20.");
    const steps = () =>
      within(screen.getByRole("list", { name: "Steps of the connection test" }))
        .getAllByRole("listitem")
        .map((li) => li.textContent);
    expect(steps()).toEqual([
      "✓GetAuthConfigsucceeded in 12 ms",
      "✓GetAuthorizationCookiesucceeded in 8 ms",
      "✓GetCookiesucceeded in 9 ms",
      "✓GetConfigDatasucceeded in 21 ms",
    ]);
    expect(calls.find((c) => c.path === "/api/sup-settings/test-connection")?.body).toEqual({});

    answer = failed;
    fireEvent.click(within(ribbon()).getByRole("button", { name: "Test connection" }));
    result = await screen.findByRole("region", { name: "The connection test failed at GetCookie" });
    expect(result.textContent).toContain("GetCookie failed: the upstream server refused the authorization cookie.");
    expect(result.textContent).toContain("The upstream update server refused the authorization or cookie.");
    expect(steps()).toEqual([
      "✓GetAuthConfigsucceeded in 12 ms",
      "✓GetAuthorizationCookiesucceeded in 8 ms",
      "✗GetCookiefailed after 30 ms",
      "–GetConfigDatanot run",
    ]);
  });

  it("shows a Read-only Analyst everything, disabled, with the reason", async () => {
    const { calls } = serve(analystMe, supSettings());
    renderApp(PATH);
    await screen.findByRole("form", { name: "Sync Schedule" });
    const reason = "Your role (Read-only Analyst) cannot change software update point settings.";
    for (const name of ["Pause all schedules", "Test connection"]) {
      const button = within(ribbon()).getByRole("button", { name }) as HTMLButtonElement;
      expect(button.disabled, name).toBe(true);
      expect(descriptionOf(button), name).toBe(reason);
    }
    const save = within(form()).getByRole("button", { name: "Save" }) as HTMLButtonElement;
    expect(save.disabled).toBe(true);
    expect(descriptionOf(save)).toContain(reason);
    for (const label of [
      "Enable synchronization on a schedule",
      "Recurrence pattern",
      "Start time",
      "Time zone",
      "Alert when synchronization fails on any site in the hierarchy",
      "Retry a failed synchronization after (minutes)",
    ]) {
      expect(field(label).matches(":disabled"), label).toBe(true);
    }
    expect(screen.getByRole("region", { name: "Next synchronizations" }).querySelectorAll("li")).toHaveLength(5);
    expect(calls.filter((c) => c.method !== "GET")).toEqual([]);
  });

  it("says when the schedule is off, and when the settings cannot be loaded", async () => {
    serve(adminMe, supSettings({ scheduleEnabled: false, nextSyncAt: null, upcomingSyncs: [] }));
    renderApp(PATH);
    await screen.findByRole("form", { name: "Sync Schedule" });
    expect(screen.getByRole("region", { name: "Next synchronizations" }).textContent).toContain(
      "Synchronization on a schedule is off",
    );
    // The schedule's own fields wait for the check box.
    expect(field("Start time").matches(":disabled")).toBe(true);
    fireEvent.click(field("Enable synchronization on a schedule"));
    expect(field("Start time").matches(":disabled")).toBe(false);
    cleanup();

    mockApi({
      "GET /api/auth/me": () => json(200, adminMe),
      "GET /api/sup-settings": () => errorEnvelope(500, "INTERNAL_ERROR", "Something went wrong on the server."),
    });
    renderApp(PATH);
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("The synchronization settings could not be loaded.");
    expect(within(alert).getByRole("button", { name: "Try again" })).toBeTruthy();
  });
});
