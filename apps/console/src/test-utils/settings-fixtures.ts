// Settings and alerts for tests, shaped as the API sends them.
import type { AlertDto, SupSettingsDto } from "@syncpoint/contracts";

/** The second Tuesday of the next five months at 02:00 in Berlin (CET/CEST), as the server lists them. */
export const SECOND_TUESDAYS = [
  "2026-12-08T01:00:00.000Z",
  "2027-01-12T01:00:00.000Z",
  "2027-02-09T01:00:00.000Z",
  "2027-03-09T01:00:00.000Z",
  "2027-04-13T00:00:00.000Z",
];

export function supSettings(overrides: Partial<SupSettingsDto> = {}): SupSettingsDto {
  return {
    syncSource: "upstream-url",
    upstreamUrl: "http://upstream.test:8530",
    products: [],
    classifications: [],
    languages: ["en"],
    supersedence: { expireImmediately: false, months: 3, featureExpireImmediately: false, featureMonths: 3 },
    maxRunTimeMinutes: { feature: 120, windowsOrOffice: 60, other: 60 },
    maintenance: { removeObsoleteRevisions: false },
    scheduleEnabled: true,
    schedule: { kind: "monthly", week: 2, dayOfWeek: 2, time: "02:00", timeZone: "Europe/Berlin" },
    nextSyncAt: SECOND_TUESDAYS[0]!,
    upcomingSyncs: SECOND_TUESDAYS,
    schedulesPaused: false,
    schedulesPausedAt: null,
    schedulesPausedBy: null,
    syncFailureAlert: true,
    retryMinutes: 60,
    stalledMinutes: 30,
    proxy: null,
    upstreamCaBundle: null,
    retention: { statusMessageDays: 30, runDays: 90, auditDays: 365 },
    smtp: null,
    updatedAt: "2026-11-20T09:00:00.000Z",
    ...overrides,
  };
}

export const pausedSettings = (overrides: Partial<SupSettingsDto> = {}) =>
  supSettings({
    schedulesPaused: true,
    schedulesPausedAt: "2026-11-24T08:30:00.000Z",
    schedulesPausedBy: "mona",
    updatedAt: "2026-11-24T08:30:00.000Z",
    ...overrides,
  });

export function alert(n: number, overrides: Partial<AlertDto> = {}): AlertDto {
  return {
    id: `a1e2c3d4-0000-4000-8000-${String(n).padStart(12, "0")}`,
    type: "sync-failed",
    severity: "error",
    state: "active",
    siteCode: "CAS",
    title: "CAS: software update synchronization failed",
    message:
      "GetCookie failed: the upstream update server refused the cookie (UPSTREAM_AUTH_FAILED). A retry is scheduled for 2026-11-24T10:00:00.000Z.",
    details: {
      runId: "3f2b9c1e-8a4d-4e2f-9b1a-0c5d7e6f8a90",
      errorCode: "UPSTREAM_AUTH_FAILED",
      errorMessage: "GetCookie failed: the upstream update server refused the cookie.",
      retryAt: "2026-11-24T10:00:00.000Z",
    },
    raisedAt: `2026-11-24T0${n}:00:00.000Z`,
    updatedAt: `2026-11-24T0${n}:00:00.000Z`,
    acknowledgedAt: null,
    acknowledgedBy: null,
    canceledAt: null,
    ...overrides,
  };
}
