import i18next from "i18next";
import { describe, expect, it } from "vitest";
import { ApiError } from "../../api/client.ts";
import "../../i18n/index.ts";
import { supSettings } from "../../test-utils/settings-fixtures.ts";
import {
  firstTabWithError,
  formFromSettings,
  isSupFormDirty,
  serverSupErrors,
  supChanges,
  TABS,
  validateSupForm,
  type SupForm,
} from "./sup-properties-form.ts";

const t = i18next.t;

describe("the component properties form", () => {
  it("has a WSUS Maintenance tab after Languages, as in the domain's list", () => {
    expect(TABS).toEqual([
      "syncSettings",
      "classifications",
      "products",
      "syncSchedule",
      "supersedence",
      "languages",
      "wsusMaintenance",
      "maxRunTime",
    ]);
  });

  it("reads WSUS Maintenance and the Sync Schedule from the settings", () => {
    const form = formFromSettings(supSettings({ maintenance: { removeObsoleteRevisions: true } }));
    expect(form.removeObsoleteRevisions).toBe(true);
    expect(form.schedule).toMatchObject({
      scheduleEnabled: true,
      type: "custom",
      recurrence: "monthly",
      week: "2",
      dayOfWeek: 2,
      time: "02:00",
      timeZone: "Europe/Berlin",
      syncFailureAlert: true,
    });
    expect(isSupFormDirty(supSettings(), formFromSettings(supSettings()))).toBe(false);
    expect(supChanges(supSettings(), formFromSettings(supSettings()))).toBeNull();
  });

  it("sends WSUS Maintenance only when it changed", () => {
    const settings = supSettings();
    const form: SupForm = { ...formFromSettings(settings), removeObsoleteRevisions: true };
    expect(isSupFormDirty(settings, form)).toBe(true);
    expect(supChanges(settings, form)).toEqual({ maintenance: { removeObsoleteRevisions: true } });
  });

  it("sends the schedule's changes in the same PUT as the other tabs'", () => {
    const settings = supSettings();
    const initial = formFromSettings(settings);
    const form: SupForm = {
      ...initial,
      other: "90",
      schedule: {
        ...initial.schedule,
        recurrence: "weekly",
        everyWeeks: "2",
        dayOfWeek: 6,
        time: "23:30",
        syncFailureAlert: false,
      },
    };
    expect(isSupFormDirty(settings, form)).toBe(true);
    expect(supChanges(settings, form)).toEqual({
      maxRunTimeMinutes: { feature: 120, windowsOrOffice: 60, other: 90 },
      schedule: { kind: "weekly", dayOfWeek: 6, time: "23:30", everyWeeks: 2, timeZone: "Europe/Berlin" },
      syncFailureAlert: false,
    });
    // Switching the schedule off sends only that.
    const off: SupForm = { ...initial, schedule: { ...initial.schedule, scheduleEnabled: false } };
    expect(supChanges(settings, off)).toEqual({ scheduleEnabled: false });
  });

  it("does not save a never-saved schedule in this computer's zone unless the tab is edited", () => {
    const seeded = supSettings({ schedule: { kind: "simple", every: 7, unit: "days", timeZone: "UTC" } });
    const form = formFromSettings(seeded, "Europe/Berlin");
    expect(form.schedule.timeZone).toBe("Europe/Berlin");
    expect(isSupFormDirty(seeded, form, "Europe/Berlin")).toBe(false);
    expect(supChanges(seeded, { ...form, removeObsoleteRevisions: true }, "Europe/Berlin")).toEqual({
      maintenance: { removeObsoleteRevisions: true },
    });
    // Once the tab is edited, the schedule is saved as shown, zone included.
    const edited: SupForm = { ...form, schedule: { ...form.schedule, every: "5" } };
    expect(supChanges(seeded, edited, "Europe/Berlin")).toEqual({
      schedule: { kind: "simple", every: 5, unit: "days", timeZone: "Europe/Berlin" },
    });
  });

  it("checks the schedule with the page's rules and points at the Sync Schedule tab", () => {
    const initial = formFromSettings(supSettings());
    const form: SupForm = { ...initial, schedule: { ...initial.schedule, type: "simple", every: "40", unit: "days" } };
    const errors = validateSupForm(t, form);
    expect(errors).toEqual({ every: "Enter a whole number of days from 1 to 31." });
    expect(firstTabWithError(errors)).toBe("syncSchedule");
    // An earlier tab's error comes first.
    expect(firstTabWithError({ ...errors, upstreamUrl: "Enter an http or https URL." })).toBe("syncSettings");
  });

  it("puts the server's schedule errors on the schedule's fields", () => {
    const error = new ApiError(400, "VALIDATION_FAILED", "invalid", [
      { field: "body.schedule.every", message: "every is 1–23 hours, 1–31 days or 1–4 weeks" },
      { field: "body.schedule.timeZone", message: "timeZone is an IANA time zone such as Europe/Berlin or UTC" },
      { field: "body.supersedence.months", message: "months is 1–99" },
    ]);
    const errors = serverSupErrors(error);
    expect(errors).toEqual({
      every: "every is 1–23 hours, 1–31 days or 1–4 weeks",
      timeZone: "timeZone is an IANA time zone such as Europe/Berlin or UTC",
      months: "months is 1–99",
    });
    expect(firstTabWithError(errors)).toBe("syncSchedule");
  });
});
