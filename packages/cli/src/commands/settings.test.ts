import type { SyncSchedule } from "@syncpoint/contracts";
import { describe, expect, it } from "vitest";
import { settingsDto } from "../testing.ts";
import {
  buildSchedule,
  buildSettingsPatch,
  changedFields,
  describeSchedule,
  parseDayOfWeek,
  parseWeekOfMonth,
  type SettingsSetOptions,
} from "./settings.ts";

const deps = {
  resolve: async (_kind: string, values: string[]) => values.map((v) => v.toLowerCase()),
  readFile: async (path: string) => {
    if (path === "ca.pem") return "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    throw new Error(`ENOENT: ${path}`);
  },
};
const patch = (options: SettingsSetOptions, current = settingsDto()) => buildSettingsPatch(current, options, deps);

describe("settings set: options → PUT /api/sup-settings", () => {
  it("scalars as they are; none clears; booleans from --x / --no-x", async () => {
    expect(
      await patch({
        syncSource: "upstream-url",
        upstreamUrl: "http://wsus:8530",
        schedulesPaused: true,
        scheduleEnabled: false,
        retryMinutes: 15,
        stalledMinutes: 45,
      }),
    ).toEqual({
      syncSource: "upstream-url",
      upstreamUrl: "http://wsus:8530",
      schedulesPaused: true,
      scheduleEnabled: false,
      retryMinutes: 15,
      stalledMinutes: 45,
    });
    expect(await patch({ upstreamUrl: "none", proxyUrl: "none" })).toEqual({ upstreamUrl: null, proxy: null });
  });

  it("groups are sent whole, merged from the current values, without read-only fields", async () => {
    expect(
      await patch({ featureExpireImmediately: true, maxRunTimeOther: 90, removeObsoleteRevisions: true, runDays: 10 }),
    ).toEqual({
      supersedence: { expireImmediately: false, months: 3, featureExpireImmediately: true, featureMonths: 3 },
      maxRunTimeMinutes: { feature: 120, windowsOrOffice: 60, other: 90 },
      maintenance: { removeObsoleteRevisions: true },
      retention: { statusMessageDays: 30, runDays: 10, auditDays: 365 },
    });
    expect(await patch({ proxyUrl: "http://other:8080" })).toEqual({
      proxy: { url: "http://other:8080", username: "svc" },
    });
    await expect(patch({ proxyUsername: "x" }, settingsDto({ proxy: null }))).rejects.toThrow(/needs a proxy/);
  });

  it("lists: added and removed, no duplicates", async () => {
    const current = settingsDto();
    expect(
      await patch({
        addProduct: ["A3C2375D-0C8A-42F9-BCE0-28333E198407", "72e7624a-5b00-45d2-b92f-e561c0a6a160"],
        removeClassification: ["0fa1201d-4330-4fa8-8ae9-b877473b6441"],
        addLanguage: ["de,fr"],
        removeLanguage: ["en"],
      }),
    ).toEqual({
      products: [current.products[0], "72e7624a-5b00-45d2-b92f-e561c0a6a160"],
      classifications: [],
      languages: ["de", "fr"],
    });
  });

  it("--set reaches any field, JSON values or strings; the CA bundle is read from its file", async () => {
    expect(
      await patch({
        set: [
          "retention.auditDays=400",
          'smtp={"host":"mail","port":25,"secure":false}',
          "proxy.password=s3cr=t",
          "syncFailureAlert=false",
        ],
        upstreamCaBundle: "ca.pem",
      }),
    ).toEqual({
      retention: { statusMessageDays: 30, runDays: 90, auditDays: 400 },
      smtp: { host: "mail", port: 25, secure: false },
      proxy: { url: "http://proxy:3128", username: "svc", password: "s3cr=t" },
      syncFailureAlert: false,
      upstreamCaBundle: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
    });
    await expect(patch({ set: ["=3"] })).rejects.toThrow(/--set takes field=value/);
    await expect(patch({ upstreamCaBundle: "missing.pem" })).rejects.toThrow(/cannot read the CA bundle missing.pem/);
    await expect(patch({})).rejects.toThrow(/nothing to change/);
  });
});

describe("schedules", () => {
  const simple: SyncSchedule = { kind: "simple", every: 7, unit: "days", timeZone: "UTC" };

  it("simple: every and unit, keeping the time zone, counting from the save unless a start is given", () => {
    expect(buildSchedule(simple, { scheduleEvery: 12, scheduleUnit: "hours" })).toEqual({
      kind: "simple",
      every: 12,
      unit: "hours",
      timeZone: "UTC",
    });
    expect(buildSchedule({ ...simple, startAt: "2026-01-01T00:00:00Z" } as SyncSchedule, { scheduleEvery: 2 })).toEqual(
      {
        kind: "simple",
        every: 2,
        unit: "days",
        timeZone: "UTC",
      },
    );
    expect(() =>
      buildSchedule(
        { kind: "weekly", dayOfWeek: 2, time: "02:00", everyWeeks: 1, timeZone: "UTC" },
        { scheduleEvery: 2 },
      ),
    ).toThrow(/needs both --schedule-every N and --schedule-unit/);
    expect(buildSchedule(simple, {})).toBeUndefined();
  });

  it("weekly and monthly from a day, a time and a week", () => {
    expect(buildSchedule(simple, { scheduleDay: 2, scheduleTime: "02:00", scheduleTimeZone: "Europe/Berlin" })).toEqual(
      { kind: "weekly", dayOfWeek: 2, time: "02:00", everyWeeks: 1, timeZone: "Europe/Berlin" },
    );
    const monthly = buildSchedule(simple, { scheduleWeek: 2, scheduleDay: 2, scheduleTime: "23:30" });
    expect(monthly).toEqual({ kind: "monthly", week: 2, dayOfWeek: 2, time: "23:30", timeZone: "UTC" });
    expect(buildSchedule(monthly!, { scheduleTime: "01:00" })).toMatchObject({ kind: "monthly", time: "01:00" });
    expect(() => buildSchedule(simple, { scheduleDay: 1 })).toThrow(/--schedule-day and --schedule-time/);
  });

  it("days, weeks of the month and descriptions", () => {
    expect(["sun", "Tuesday", "6", "sat"].map(parseDayOfWeek)).toEqual([0, 2, 6, 6]);
    expect(() => parseDayOfWeek("x")).toThrow(/not a day of the week/);
    expect(["1", "second", "last"].map(parseWeekOfMonth)).toEqual([1, 2, "last"]);
    expect(describeSchedule({ kind: "simple", every: 1, unit: "weeks", timeZone: "UTC" })).toBe("every week (UTC)");
    expect(describeSchedule({ kind: "weekly", dayOfWeek: 2, time: "02:00", everyWeeks: 2, timeZone: "UTC" })).toBe(
      "every 2 weeks on Tuesday at 02:00 (UTC)",
    );
    expect(describeSchedule({ kind: "monthly", week: "last", dayOfWeek: 5, time: "20:00", timeZone: "UTC" })).toBe(
      "the last Friday of every month at 20:00 (UTC)",
    );
  });
});

describe("what changed", () => {
  it("dotted paths of the values that differ, ignoring updatedAt and upcomingSyncs", () => {
    const before = settingsDto();
    const after = settingsDto({
      retention: { ...before.retention, runDays: 1 },
      updatedAt: "2030-01-01T00:00:00.000Z",
      upcomingSyncs: ["2030-01-02T00:00:00.000Z"],
      languages: ["en", "de"],
    });
    expect(changedFields(before, after)).toEqual([
      { path: "languages", before: ["en"], after: ["en", "de"] },
      { path: "retention.runDays", before: 90, after: 1 },
    ]);
  });
});
