import { describe, expect, it } from "vitest";
import { estimateSecondsLeft, overallPercent } from "./progress.ts";

describe("overallPercent", () => {
  it("starts at 0, ends at 100 and never goes back as phases advance", () => {
    expect(overallPercent("authorize", 0, 0)).toBe(0);
    expect(overallPercent("notify", 1, 1)).toBe(100);
    const sequence = [
      overallPercent("config", 0, 0),
      overallPercent("updates", 0, 100),
      overallPercent("updates", 50, 100),
      overallPercent("updates", 100, 100),
      overallPercent("apply", 0, 1),
      overallPercent("commit", 0, 1),
    ];
    expect([...sequence].sort((a, b) => a - b)).toEqual(sequence);
    expect(overallPercent("updates", 50, 100)).toBeGreaterThan(40);
    expect(overallPercent("updates", 50, 100)).toBeLessThan(60);
  });

  it("clamps progress beyond the total", () => {
    expect(overallPercent("updates", 500, 100)).toBe(overallPercent("updates", 100, 100));
  });
});

describe("estimateSecondsLeft", () => {
  it("extrapolates the average rate", () => {
    expect(estimateSecondsLeft(25, 100, 10_000)).toBe(30);
    expect(estimateSecondsLeft(100, 100, 10_000)).toBe(0);
    expect(estimateSecondsLeft(0, 100, 10_000)).toBeUndefined();
  });
});
