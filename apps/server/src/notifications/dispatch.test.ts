import { describe, expect, it } from "vitest";
import { buildPayload, retryDelayMs } from "./dispatch.ts";

describe("retry backoff", () => {
  it("waits the base after the first failure and doubles after each further one", () => {
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(n, 30_000))).toEqual([30_000, 60_000, 120_000, 240_000, 480_000]);
    expect(retryDelayMs(3, 10)).toBe(40);
  });

  it("never waits longer than six hours, however many failures", () => {
    expect(retryDelayMs(30, 30_000)).toBe(6 * 60 * 60_000);
    expect(retryDelayMs(1_000, 30_000)).toBe(6 * 60 * 60_000);
  });
});

describe("notification payload", () => {
  it("gets a fresh id, the event and the time; what the raiser left out is null", () => {
    const time = new Date("2024-05-01T10:00:00Z");
    const first = buildPayload("sync-stalled", { title: "Stalled", message: "No progress", siteCode: "CAS" }, time);
    expect(first).toMatchObject({
      event: "sync-stalled",
      time: "2024-05-01T10:00:00.000Z",
      siteCode: "CAS",
      title: "Stalled",
      message: "No progress",
      alertId: null,
      runId: null,
      errorCode: null,
      consoleUrl: null,
    });
    expect(first.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(buildPayload("sync-stalled", { title: "t", message: "m" }, time).id).not.toBe(first.id);
  });
});
