import { describe, expect, it } from "vitest";
import { exitCodeOf, outcomeLine, ProgressPrinter, progressLine } from "./progress.ts";
import { runDto } from "./testing.ts";

describe("the progress line", () => {
  it("says the phase, percent, items and time left", () => {
    expect(progressLine(runDto({ phase: "updates", percent: 62, processed: 1234, total: 3000, etaSeconds: 70 }))).toBe(
      "Synchronizing updates 62% (1,234 of 3,000), about 1 min left",
    );
    expect(progressLine(runDto({ phase: "revisions", percent: 10 }))).toBe("Getting the update revisions 10%");
    expect(progressLine(runDto({ phase: "apply", percent: 80, processed: 5, total: 9, etaSeconds: 0 }))).toBe(
      "Synchronizing the site database 80% (5 of 9)",
    );
    expect(progressLine(runDto({ state: "queued", startedAt: null, waitingReason: "worker" }))).toBe(
      "Queued: waiting for a free worker process",
    );
    expect(progressLine(runDto({ state: "queued", startedAt: null }))).toBe("Queued");
    expect(progressLine(runDto({ state: "canceling", phase: "updates" }))).toBe("Canceling…");
  });

  it("ends with the outcome, counts and catalog version", () => {
    const done = runDto({
      state: "succeeded",
      phase: "notify",
      percent: 100,
      finishedAt: "2026-05-01T12:01:05.000Z",
      counts: { new: 1200, revised: 3, expired: 4, superseded: 5, removed: 0 },
      catalogVersionBefore: 6,
      catalogVersionAfter: 7,
    });
    expect(outcomeLine(done)).toBe(
      "Succeeded in 1 min 4 s: 1,200 new, 3 revised, 4 expired, 5 superseded, 0 removed; catalog version 6 → 7",
    );
    expect(outcomeLine({ ...done, catalogVersionBefore: 7 })).toMatch(/; catalog version 7$/);
    const failed = runDto({
      state: "failed",
      finishedAt: "2026-05-01T12:00:03.000Z",
      errorCode: "UPSTREAM_SOAP_FAULT",
      errorMessage: "The upstream answered with a SOAP fault",
    });
    expect(outcomeLine(failed)).toBe("Failed in 2 s: UPSTREAM_SOAP_FAULT: The upstream answered with a SOAP fault");
    expect(outcomeLine(runDto({ state: "canceled", startedAt: null }))).toBe("Canceled: the catalog is unchanged");
    expect([done, failed, runDto({ state: "canceled" })].map(exitCodeOf)).toEqual([0, 2, 3]);
  });

  it("the printer prints a run only when its line changes, as text or one JSON line", () => {
    const lines: string[] = [];
    const printer = new ProgressPrinter((t) => lines.push(t), false);
    const a = runDto({ phase: "updates", percent: 20, processed: 1, total: 10 });
    expect(printer.update(a)).toBe(true);
    expect(printer.update({ ...a, requestedBy: "someone" })).toBe(false);
    expect(printer.update({ ...a, processed: 2 })).toBe(true);
    expect(lines).toEqual(["Synchronizing updates 20% (1 of 10)\n", "Synchronizing updates 20% (2 of 10)\n"]);

    const jsonLines: string[] = [];
    const jsonPrinter = new ProgressPrinter((t) => jsonLines.push(t), true);
    jsonPrinter.update(a);
    jsonPrinter.update(a);
    expect(jsonLines).toHaveLength(1);
    expect(JSON.parse(jsonLines[0]!)).toEqual(a);
    expect(jsonLines[0]!.endsWith("}\n")).toBe(true);
    expect(jsonLines[0]!.trim()).not.toContain("\n");
  });
});
