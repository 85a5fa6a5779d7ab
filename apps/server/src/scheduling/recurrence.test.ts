import type { SyncSchedule } from "@syncpoint/contracts";
import { describe, expect, it } from "vitest";
import { nextOccurrence, upcomingOccurrences } from "./recurrence.ts";

const at = (iso: string) => new Date(iso);
const iso = (dates: Date[]) => dates.map((date) => date.toISOString());
const next = (schedule: SyncSchedule, after: string, anchor = after) =>
  nextOccurrence(schedule, at(after), at(anchor)).toISOString();
const upcoming = (schedule: SyncSchedule, after: string, count: number, anchor = after) =>
  iso(upcomingOccurrences(schedule, at(after), at(anchor), count));

describe("simple schedule, every N hours", () => {
  const every6h: SyncSchedule = { kind: "simple", every: 6, unit: "hours", timeZone: "Europe/Berlin" };

  it("counts real hours from the anchor, even across spring-forward", () => {
    // 23:00 CET, then 06:00/12:00/18:00 CEST: six real hours apart, so the local hour shifts with the clocks.
    expect(upcoming(every6h, "2025-03-29T22:00:00Z", 3)).toEqual([
      "2025-03-30T04:00:00.000Z",
      "2025-03-30T10:00:00.000Z",
      "2025-03-30T16:00:00.000Z",
    ]);
  });

  it("stays six real hours apart across fall-back", () => {
    expect(upcoming(every6h, "2025-10-25T22:00:00Z", 2)).toEqual([
      "2025-10-26T04:00:00.000Z",
      "2025-10-26T10:00:00.000Z",
    ]);
  });

  it("computes far-off occurrences arithmetically and returns the anchor when it is still ahead", () => {
    const every7h: SyncSchedule = { kind: "simple", every: 7, unit: "hours", timeZone: "UTC" };
    // 240 hours after the anchor lies between k = 34 (238 h) and k = 35 (245 h).
    expect(next(every7h, "2025-01-11T00:00:00Z", "2025-01-01T00:00:00Z")).toBe("2025-01-11T05:00:00.000Z");
    // An occurrence equal to `after` is not "after" it.
    expect(next(every7h, "2025-01-01T07:00:00Z", "2025-01-01T00:00:00Z")).toBe("2025-01-01T14:00:00.000Z");
    expect(next(every7h, "2024-12-31T00:00:00Z", "2025-01-01T00:00:00Z")).toBe("2025-01-01T00:00:00.000Z");
  });

  it("starts at startAt rather than the anchor", () => {
    const twiceDaily: SyncSchedule = {
      kind: "simple",
      every: 12,
      unit: "hours",
      startAt: "2025-06-01T08:00:00+02:00",
      timeZone: "Europe/Berlin",
    };
    expect(next(twiceDaily, "2025-05-21T00:00:00Z", "2025-05-20T00:00:00Z")).toBe("2025-06-01T06:00:00.000Z");
    expect(next(twiceDaily, "2025-06-01T06:00:00Z", "2025-05-20T00:00:00Z")).toBe("2025-06-01T18:00:00.000Z");
  });
});

describe("simple schedule, every N days or weeks", () => {
  const dailyAt = (startAt: string, timeZone: string): SyncSchedule => ({
    kind: "simple",
    every: 1,
    unit: "days",
    startAt,
    timeZone,
  });

  it("keeps 02:00 local in Europe/Berlin and runs a non-existent 02:00 at 03:00 CEST, when the clocks jump", () => {
    const daily = dailyAt("2025-03-28T02:00:00+01:00", "Europe/Berlin");
    expect(upcoming(daily, "2025-03-28T01:00:00Z", 4)).toEqual([
      "2025-03-29T01:00:00.000Z", // 02:00 CET
      "2025-03-30T01:00:00.000Z", // 02:00 does not exist: 03:00 CEST
      "2025-03-31T00:00:00.000Z", // 02:00 CEST
      "2025-04-01T00:00:00.000Z",
    ]);
  });

  it("runs an ambiguous 02:30 once, at the first (CEST) instant, in Europe/Berlin", () => {
    const daily = dailyAt("2025-10-24T02:30:00+02:00", "Europe/Berlin");
    expect(upcoming(daily, "2025-10-24T00:30:00Z", 3)).toEqual([
      "2025-10-25T00:30:00.000Z",
      "2025-10-26T00:30:00.000Z", // 02:30 CEST; the second 02:30 (CET, 01:30Z) is skipped
      "2025-10-27T01:30:00.000Z",
    ]);
    expect(next(daily, "2025-10-26T00:30:00Z")).toBe("2025-10-27T01:30:00.000Z");
  });

  it("handles the gap and the repeated hour in America/New_York", () => {
    expect(upcoming(dailyAt("2025-03-07T02:30:00-05:00", "America/New_York"), "2025-03-07T07:30:00Z", 3)).toEqual([
      "2025-03-08T07:30:00.000Z", // 02:30 EST
      "2025-03-09T07:00:00.000Z", // 02:30 does not exist: 03:00 EDT
      "2025-03-10T06:30:00.000Z", // 02:30 EDT
    ]);
    expect(upcoming(dailyAt("2025-10-31T01:30:00-04:00", "America/New_York"), "2025-10-31T05:30:00Z", 3)).toEqual([
      "2025-11-01T05:30:00.000Z",
      "2025-11-02T05:30:00.000Z", // the first 01:30 (EDT); the EST one an hour later is skipped
      "2025-11-03T06:30:00.000Z", // 01:30 EST
    ]);
  });

  it("keeps a startAt given as the second of two ambiguous instants, then follows the wall time", () => {
    const daily = dailyAt("2025-10-26T02:30:00+01:00", "Europe/Berlin");
    expect(next(daily, "2025-10-26T00:00:00Z")).toBe("2025-10-26T01:30:00.000Z");
    expect(next(daily, "2025-10-26T01:30:00Z")).toBe("2025-10-27T01:30:00.000Z");
  });

  it("takes the wall time of startAt in the schedule's zone, whatever offset startAt was written with", () => {
    const daily = dailyAt("2025-01-01T00:00:00Z", "America/New_York"); // 19:00 EST on Dec 31
    expect(next(daily, "2025-01-01T00:00:00Z")).toBe("2025-01-02T00:00:00.000Z");
    expect(next(daily, "2025-03-10T00:00:00Z")).toBe("2025-03-10T23:00:00.000Z"); // 19:00 EDT
  });

  it("finds occurrences years ahead without drifting off the local time", () => {
    const every3d: SyncSchedule = { kind: "simple", every: 3, unit: "days", timeZone: "Europe/Berlin" };
    const anchor = "2025-01-01T01:00:00Z"; // 02:00 CET
    // 3652 days to 2035-01-01: k = 1217 is Dec 31 (already past), k = 1218 is Jan 3.
    expect(next(every3d, "2035-01-01T00:00:00Z", anchor)).toBe("2035-01-03T01:00:00.000Z");
    // 3833 days to 2035-07-01: k = 1278 is Jul 2, 02:00 CEST.
    expect(next(every3d, "2035-07-01T00:00:00Z", anchor)).toBe("2035-07-02T00:00:00.000Z");
  });

  it("counts weeks from the anchor when there is no startAt", () => {
    const fortnightly: SyncSchedule = { kind: "simple", every: 2, unit: "weeks", timeZone: "UTC" };
    const anchor = "2025-01-08T09:15:30Z";
    expect(next(fortnightly, anchor, anchor)).toBe("2025-01-22T09:15:30.000Z");
    expect(next(fortnightly, "2025-01-01T00:00:00Z", anchor)).toBe("2025-01-08T09:15:30.000Z");
  });

  it("keeps the local time of a weekly interval across a DST change", () => {
    const weekly: SyncSchedule = {
      kind: "simple",
      every: 1,
      unit: "weeks",
      startAt: "2025-03-02T09:00:00-05:00",
      timeZone: "America/New_York",
    };
    expect(next(weekly, "2025-03-02T14:00:00Z")).toBe("2025-03-09T13:00:00.000Z"); // 09:00 EDT
  });
});

describe("weekly schedule", () => {
  const weekly = (dayOfWeek: number, time: string, timeZone: string, everyWeeks = 1): SyncSchedule => ({
    kind: "weekly",
    dayOfWeek,
    time,
    everyWeeks,
    timeZone,
  });

  it("runs on the day at the local time, strictly after `after`", () => {
    const tuesday3am = weekly(2, "03:00", "Europe/Berlin");
    expect(next(tuesday3am, "2025-01-01T00:00:00Z")).toBe("2025-01-07T02:00:00.000Z");
    expect(next(tuesday3am, "2025-01-14T01:00:00Z")).toBe("2025-01-14T02:00:00.000Z"); // later the same day
    expect(next(tuesday3am, "2025-01-14T02:00:00Z")).toBe("2025-01-21T02:00:00.000Z");
    expect(next(tuesday3am, "2025-07-01T00:00:00Z")).toBe("2025-07-01T01:00:00.000Z"); // 03:00 CEST
  });

  it("runs 02:30 in Europe/Berlin's spring-forward gap at 03:00 CEST", () => {
    const sunday0230 = weekly(0, "02:30", "Europe/Berlin");
    expect(upcoming(sunday0230, "2025-03-29T00:00:00Z", 2)).toEqual([
      "2025-03-30T01:00:00.000Z",
      "2025-04-06T00:30:00.000Z",
    ]);
  });

  it("runs 02:30 on Europe/Berlin's fall-back night once, at the earlier instant", () => {
    const sunday0230 = weekly(0, "02:30", "Europe/Berlin");
    expect(next(sunday0230, "2025-10-25T00:00:00Z")).toBe("2025-10-26T00:30:00.000Z");
    expect(next(sunday0230, "2025-10-26T00:30:00Z")).toBe("2025-11-02T01:30:00.000Z");
    // Between the two 02:30s: the second one is not a run.
    expect(next(sunday0230, "2025-10-26T01:00:00Z")).toBe("2025-11-02T01:30:00.000Z");
  });

  it("handles America/New_York's gap (02:30) and repeated hour (01:30)", () => {
    expect(next(weekly(0, "02:30", "America/New_York"), "2025-03-08T00:00:00Z")).toBe("2025-03-09T07:00:00.000Z");
    expect(upcoming(weekly(0, "01:30", "America/New_York"), "2025-11-01T00:00:00Z", 2)).toEqual([
      "2025-11-02T05:30:00.000Z", // 01:30 EDT
      "2025-11-09T06:30:00.000Z", // 01:30 EST a week later
    ]);
  });

  it("counts every-N-weeks from the (Sunday-to-Saturday) week containing the anchor", () => {
    const anchor = "2025-01-15T12:00:00Z"; // a Wednesday; its week began on Sunday Jan 12
    // Monday Jan 13 is week 0 (already past), so the first run is two weeks later.
    expect(upcoming(weekly(1, "06:00", "UTC", 2), anchor, 3, anchor)).toEqual([
      "2025-01-27T06:00:00.000Z",
      "2025-02-10T06:00:00.000Z",
      "2025-02-24T06:00:00.000Z",
    ]);
    // Friday Jan 17 is still ahead in week 0.
    expect(upcoming(weekly(5, "06:00", "UTC", 2), anchor, 2, anchor)).toEqual([
      "2025-01-17T06:00:00.000Z",
      "2025-01-31T06:00:00.000Z",
    ]);
    // Saved on Saturday Jan 18: week 0 is Sunday Jan 12 – Saturday Jan 18, so its Sunday has passed and the next
    // run is Jan 26, not the next day.
    expect(next(weekly(0, "06:00", "UTC", 2), "2025-01-18T12:00:00Z")).toBe("2025-01-26T06:00:00.000Z");
  });

  it("finds the anchor's week in the schedule's zone", () => {
    // 23:30Z on Saturday is already Sunday 00:30 in Berlin, so that Sunday starts week 0.
    const anchor = "2025-01-18T23:30:00Z";
    expect(next(weekly(0, "06:00", "Europe/Berlin", 2), anchor, anchor)).toBe("2025-01-19T05:00:00.000Z");
    expect(next(weekly(0, "06:00", "UTC", 2), anchor, anchor)).toBe("2025-01-26T06:00:00.000Z");
  });

  it("keeps alternating deterministically far from the anchor", () => {
    const everyThird = weekly(1, "06:00", "UTC", 3);
    // Week 0's Monday is Jan 13; 2026-01-01 is 353 days later, between runs 16 (336 d) and 17 (357 d).
    expect(next(everyThird, "2026-01-01T00:00:00Z", "2025-01-15T12:00:00Z")).toBe("2026-01-05T06:00:00.000Z");
    // Saving again later in the same week does not move the runs.
    expect(next(everyThird, "2026-01-01T00:00:00Z", "2025-01-18T23:00:00Z")).toBe("2026-01-05T06:00:00.000Z");
  });
});

describe("monthly schedule", () => {
  const monthly = (week: 1 | 2 | 3 | 4 | "last", dayOfWeek: number, time: string, timeZone: string): SyncSchedule => ({
    kind: "monthly",
    week,
    dayOfWeek,
    time,
    timeZone,
  });
  const patchTuesday = monthly(2, 2, "18:00", "America/New_York");

  it("runs on Patch Tuesday (the second Tuesday) at local time, across a DST change", () => {
    expect(upcoming(patchTuesday, "2025-01-01T00:00:00Z", 4)).toEqual([
      "2025-01-14T23:00:00.000Z", // 18:00 EST
      "2025-02-11T23:00:00.000Z",
      "2025-03-11T22:00:00.000Z", // 18:00 EDT
      "2025-04-08T22:00:00.000Z",
    ]);
  });

  it("is strictly after `after` on the day itself and crosses the year end", () => {
    expect(next(patchTuesday, "2025-01-14T22:59:00Z")).toBe("2025-01-14T23:00:00.000Z");
    expect(next(patchTuesday, "2025-01-14T23:00:00Z")).toBe("2025-02-11T23:00:00.000Z");
    expect(next(patchTuesday, "2025-12-10T00:00:00Z")).toBe("2026-01-13T23:00:00.000Z");
  });

  it("finds a first weekday that falls on the 1st", () => {
    // August 2025's first Monday is the 4th; September's is the 1st.
    expect(next(monthly(1, 1, "00:00", "UTC"), "2025-08-04T00:00:00Z")).toBe("2025-09-01T00:00:00.000Z");
  });

  it("tells the fourth from the last in a month with five Tuesdays", () => {
    // September 2025: Tuesdays 2, 9, 16, 23, 30.
    expect(next(monthly(4, 2, "12:00", "UTC"), "2025-09-01T00:00:00Z")).toBe("2025-09-23T12:00:00.000Z");
    expect(next(monthly("last", 2, "12:00", "UTC"), "2025-09-01T00:00:00Z")).toBe("2025-09-30T12:00:00.000Z");
  });

  it("finds the last weekday on a month's final day", () => {
    expect(next(monthly("last", 3, "12:00", "UTC"), "2025-12-01T00:00:00Z")).toBe("2025-12-31T12:00:00.000Z");
  });

  it("handles February in a leap year and a common year", () => {
    // February 2028 has 29 days and five Tuesdays (1, 8, 15, 22, 29).
    expect(next(monthly("last", 2, "12:00", "UTC"), "2028-02-01T00:00:00Z")).toBe("2028-02-29T12:00:00.000Z");
    expect(next(monthly(4, 2, "12:00", "UTC"), "2028-02-01T00:00:00Z")).toBe("2028-02-22T12:00:00.000Z");
    // February 2027 ends on Sunday the 28th; its last Tuesday is the 23rd.
    expect(next(monthly("last", 2, "12:00", "UTC"), "2027-02-01T00:00:00Z")).toBe("2027-02-23T12:00:00.000Z");
    expect(next(monthly("last", 0, "12:00", "UTC"), "2027-02-01T00:00:00Z")).toBe("2027-02-28T12:00:00.000Z");
  });

  it("uses the schedule's zone to decide which month and day it is", () => {
    const firstThursday = monthly(1, 4, "00:15", "Pacific/Auckland");
    // Jan 1 2026 00:15 NZDT (UTC+13) is still Dec 31 in UTC.
    expect(next(firstThursday, "2025-12-31T00:00:00Z")).toBe("2025-12-31T11:15:00.000Z");
    const lastWednesday = monthly("last", 3, "23:30", "Pacific/Auckland");
    expect(next(lastWednesday, "2025-12-31T10:00:00Z")).toBe("2025-12-31T10:30:00.000Z");
    expect(next(lastWednesday, "2025-12-31T12:00:00Z")).toBe("2026-01-28T10:30:00.000Z");
  });

  it("applies the gap and repeated-hour rules (last Sunday at 02:30 in Europe/Berlin)", () => {
    const lastSunday = monthly("last", 0, "02:30", "Europe/Berlin");
    expect(next(lastSunday, "2025-03-01T00:00:00Z")).toBe("2025-03-30T01:00:00.000Z"); // 03:00 CEST
    expect(upcoming(lastSunday, "2025-10-01T00:00:00Z", 2)).toEqual([
      "2025-10-26T00:30:00.000Z", // the first 02:30 (CEST)
      "2025-11-30T01:30:00.000Z",
    ]);
  });
});

describe("upcomingOccurrences", () => {
  it("returns strictly increasing run times across a DST change", () => {
    const sunday0230: SyncSchedule = {
      kind: "weekly",
      dayOfWeek: 0,
      time: "02:30",
      everyWeeks: 1,
      timeZone: "Europe/Berlin",
    };
    const runs = upcoming(sunday0230, "2025-10-11T00:00:00Z", 5);
    expect(runs).toEqual([
      "2025-10-12T00:30:00.000Z",
      "2025-10-19T00:30:00.000Z",
      "2025-10-26T00:30:00.000Z",
      "2025-11-02T01:30:00.000Z",
      "2025-11-09T01:30:00.000Z",
    ]);
    expect([...runs].sort()).toEqual(runs);
    expect(new Set(runs).size).toBe(runs.length);
  });

  it("returns nothing for count 0 and refuses a negative or fractional count", () => {
    const hourly: SyncSchedule = { kind: "simple", every: 1, unit: "hours", timeZone: "UTC" };
    expect(upcoming(hourly, "2025-01-01T00:00:00Z", 0)).toEqual([]);
    expect(() => upcoming(hourly, "2025-01-01T00:00:00Z", -1)).toThrow(RangeError);
    expect(() => upcoming(hourly, "2025-01-01T00:00:00Z", 1.5)).toThrow(RangeError);
  });
});

describe("invalid input", () => {
  it("throws a clear error for a time zone luxon does not know", () => {
    const schedule = { kind: "simple", every: 1, unit: "days", timeZone: "Mars/Olympus_Mons" } as SyncSchedule;
    expect(() => next(schedule, "2025-01-01T00:00:00Z")).toThrow(/"Mars\/Olympus_Mons" is not a known IANA time zone/);
  });

  it("throws for an invalid Date", () => {
    const schedule: SyncSchedule = { kind: "simple", every: 1, unit: "days", timeZone: "UTC" };
    expect(() => nextOccurrence(schedule, new Date(Number.NaN), at("2025-01-01T00:00:00Z"))).toThrow(/after/);
  });
});
