import i18next from "i18next";
import { describe, expect, it } from "vitest";
import "../../i18n/index.ts";
import { supSettings } from "../../test-utils/settings-fixtures.ts";
import {
  changesOf,
  describeSchedule,
  formFromSettings,
  isChanged,
  previewScheduleOf,
  sameSchedule,
  scheduleIsValid,
  scheduleOf,
  serverFieldErrors,
  validate,
  type ScheduleFormValues,
} from "./schedule-form.ts";

const t = i18next.t;

describe("the Sync Schedule form", () => {
  it("reads each kind of schedule, with ConfigMgr-like defaults for the kinds not in use", () => {
    const monthly = formFromSettings(supSettings());
    expect(monthly).toMatchObject({
      type: "custom",
      recurrence: "monthly",
      week: "2",
      dayOfWeek: 2,
      time: "02:00",
      timeZone: "Europe/Berlin",
      every: "7",
      unit: "days",
    });
    const simple = formFromSettings(
      supSettings({
        schedule: { kind: "simple", every: 12, unit: "hours", timeZone: "UTC", startAt: "2026-11-01T00:00:00.000Z" },
      }),
      "Europe/Berlin",
    );
    expect(simple).toMatchObject({ type: "simple", every: "12", unit: "hours", timeZone: "UTC" });
    const weekly = formFromSettings(
      supSettings({
        schedule: { kind: "weekly", dayOfWeek: 6, time: "23:30", everyWeeks: 2, timeZone: "America/New_York" },
      }),
    );
    expect(weekly).toMatchObject({
      type: "custom",
      recurrence: "weekly",
      everyWeeks: "2",
      dayOfWeek: 6,
      time: "23:30",
    });
  });

  it("starts a schedule nobody has saved yet in the browser's time zone, and counts that as a change", () => {
    const seeded = supSettings({ schedule: { kind: "simple", every: 7, unit: "days", timeZone: "UTC" } });
    const values = formFromSettings(seeded, "Europe/Berlin");
    expect(values.timeZone).toBe("Europe/Berlin");
    expect(isChanged(values, seeded)).toBe(true);
    expect(changesOf(values, seeded)).toEqual({
      schedule: { kind: "simple", every: 7, unit: "days", timeZone: "Europe/Berlin" },
    });
    expect(isChanged(formFromSettings(seeded, "UTC"), seeded)).toBe(false);
  });

  it("sends only what changed, and ignores edits to a kind that is not chosen", () => {
    const settings = supSettings();
    const values = formFromSettings(settings);
    expect(changesOf(values, settings)).toEqual({});
    // Changing the simple schedule's interval while Custom is chosen changes nothing.
    expect(isChanged({ ...values, every: "3" }, settings)).toBe(false);

    const edited: ScheduleFormValues = {
      ...values,
      week: "last",
      time: "03:15",
      retryMinutes: " 90 ",
      syncFailureAlert: false,
    };
    expect(changesOf(edited, settings)).toEqual({
      schedule: { kind: "monthly", week: "last", dayOfWeek: 2, time: "03:15", timeZone: "Europe/Berlin" },
      syncFailureAlert: false,
      retryMinutes: 90,
    });
    expect(changesOf({ ...values, scheduleEnabled: false, stalledMinutes: "45" }, settings)).toEqual({
      scheduleEnabled: false,
      stalledMinutes: 45,
    });
  });

  it("compares schedules without the start the server stamps on simple ones", () => {
    expect(
      sameSchedule(
        { kind: "simple", every: 7, unit: "days", timeZone: "UTC", startAt: "2026-11-01T00:00:00.000Z" },
        { kind: "simple", every: 7, unit: "days", timeZone: "UTC" },
      ),
    ).toBe(true);
    expect(
      sameSchedule(
        { kind: "weekly", dayOfWeek: 2, time: "02:00", everyWeeks: 1, timeZone: "UTC" },
        { kind: "weekly", dayOfWeek: 2, time: "02:00", everyWeeks: 2, timeZone: "UTC" },
      ),
    ).toBe(false);
    expect(scheduleOf({ ...formFromSettings(supSettings()), recurrence: "weekly", everyWeeks: "3" })).toEqual({
      kind: "weekly",
      dayOfWeek: 2,
      time: "02:00",
      everyWeeks: 3,
      timeZone: "Europe/Berlin",
    });
  });

  it("checks ConfigMgr's ranges before sending: 1–23 hours, 1–31 days, 1–4 weeks", () => {
    const simple: ScheduleFormValues = { ...formFromSettings(supSettings()), type: "simple" };
    expect(validate(t, { ...simple, every: "23", unit: "hours" })).toEqual({});
    expect(validate(t, { ...simple, every: "24", unit: "hours" }).every).toBe(
      "Enter a whole number of hours from 1 to 23.",
    );
    expect(validate(t, { ...simple, every: "32", unit: "days" }).every).toBe(
      "Enter a whole number of days from 1 to 31.",
    );
    expect(validate(t, { ...simple, every: "5", unit: "weeks" }).every).toBe(
      "Enter a whole number of weeks from 1 to 4.",
    );
    expect(validate(t, { ...simple, every: "1.5" }).every).toBeDefined();
    expect(validate(t, { ...simple, every: "" }).every).toBeDefined();

    const custom = formFromSettings(supSettings());
    expect(validate(t, { ...custom, time: "" }).time).toBe("Enter the start time as hours and minutes, such as 02:00.");
    expect(validate(t, { ...custom, recurrence: "weekly", everyWeeks: "0" }).everyWeeks).toBeDefined();
    expect(validate(t, { ...custom, retryMinutes: "10081", stalledMinutes: "0" })).toEqual({
      retryMinutes: "Enter a whole number of minutes from 1 to 10,080.",
      stalledMinutes: "Enter a whole number of minutes from 1 to 1,440.",
    });
  });

  it("puts the server's field errors next to their fields", () => {
    expect(
      serverFieldErrors([
        { field: "body.schedule.every", message: "every is 1–23 hours, 1–31 days or 1–4 weeks" },
        { field: "body.retryMinutes", message: "at most 10080 minutes" },
        { field: "body.schedule", message: "Invalid input" },
        { field: "body.smtp.host", message: "enter the SMTP server" },
      ]),
    ).toEqual({
      errors: {
        every: "every is 1–23 hours, 1–31 days or 1–4 weeks",
        retryMinutes: "at most 10080 minutes",
        schedule: "Invalid input",
      },
      other: ["smtp.host: enter the SMTP server"],
    });
  });
});

describe("the Sync Schedule in words and its preview", () => {
  const values = (overrides: Partial<ScheduleFormValues>) => ({ ...formFromSettings(supSettings()), ...overrides });

  it("describes each kind of schedule in one sentence", () => {
    expect(describeSchedule(t, values({}))).toBe("On the second Tuesday of every month at 02:00 (Europe/Berlin).");
    expect(describeSchedule(t, values({ week: "last", dayOfWeek: 5, time: "22:15" }))).toBe(
      "On the last Friday of every month at 22:15 (Europe/Berlin).",
    );
    expect(describeSchedule(t, values({ recurrence: "weekly", everyWeeks: "2", dayOfWeek: 6, time: "23:30" }))).toBe(
      "Every 2 weeks on Saturday at 23:30 (Europe/Berlin).",
    );
    expect(describeSchedule(t, values({ recurrence: "weekly", everyWeeks: "1", dayOfWeek: 0 }))).toBe(
      "Every week on Sunday at 02:00 (Europe/Berlin).",
    );
    expect(describeSchedule(t, values({ type: "simple", every: "6", unit: "hours" }))).toBe(
      "Every 6 hours, counted from when the schedule is saved.",
    );
    expect(describeSchedule(t, values({ type: "simple", every: "1", unit: "days", timeZone: "UTC" }))).toBe(
      "Every day, counted from when the schedule is saved (UTC).",
    );
    expect(describeSchedule(t, values({ scheduleEnabled: false }))).toBe("Synchronization on a schedule is off.");
  });

  it("previews the stored schedule (with its start) while the form says the same, else the form's", () => {
    const stored = supSettings({
      schedule: { kind: "simple", every: 7, unit: "days", timeZone: "UTC", startAt: "2026-11-01T00:00:00.000Z" },
    });
    const same = formFromSettings(stored);
    expect(previewScheduleOf(same, stored, true)).toBe(stored.schedule);
    expect(previewScheduleOf({ ...same, every: "3" }, stored, true)).toEqual({
      kind: "simple",
      every: 3,
      unit: "days",
      timeZone: "UTC",
    });
    expect(previewScheduleOf({ ...same, scheduleEnabled: false }, stored, true)).toBeNull();
    expect(previewScheduleOf({ ...same, every: "40" }, stored, false)).toBeNull();
  });

  it("judges the schedule alone valid or not: the retry and stall minutes do not count", () => {
    expect(scheduleIsValid(t, values({}))).toBe(true);
    expect(scheduleIsValid(t, values({ retryMinutes: "0", stalledMinutes: "" }))).toBe(true);
    expect(scheduleIsValid(t, values({ type: "simple", every: "40", unit: "days" }))).toBe(false);
    expect(scheduleIsValid(t, values({ time: "25:00" }))).toBe(false);
  });

  it("with the browser's zone given, a schedule never saved shown in that zone is not a change by itself", () => {
    const seeded = supSettings({ schedule: { kind: "simple", every: 7, unit: "days", timeZone: "UTC" } });
    const shown = formFromSettings(seeded, "Europe/Berlin");
    expect(isChanged(shown, seeded, "Europe/Berlin")).toBe(false);
    expect(isChanged({ ...shown, every: "5" }, seeded, "Europe/Berlin")).toBe(true);
  });
});
