import { describe, expect, it } from "vitest";
import { appendLogLines, inferSeverity, mergeFetchedLog, parseLogLine, parseLogText } from "./run-log.ts";

const REST_LOG =
  "Starting Sync $$<SMS_WSUS_SYNC_MANAGER><05-01-2025 10:00:01.250+000><thread=5976 (0x1758)>\n" +
  'STATMSG: ID=6703 SEV=E LEV=M SOURCE="SMS Server" COMP="SMS_WSUS_SYNC_MANAGER" SITE=CAS ISTR0="x" $$<SMS_WSUS_SYNC_MANAGER><05-01-2025 10:00:02.000+060><thread=5976 (0x1758)>\n';

describe("run log", () => {
  it("reads wsyncmgr.log lines as CMTrace does: text, component, time (bias in minutes west of UTC), thread", () => {
    const log = parseLogText(REST_LOG, 41);
    expect(log.lastSeq).toBe(41);
    expect(log.lines).toEqual([
      {
        text: "Starting Sync",
        component: "SMS_WSUS_SYNC_MANAGER",
        time: "2025-05-01T10:00:01.250Z",
        thread: 5976,
        severity: "info",
      },
      expect.objectContaining({ time: "2025-05-01T11:00:02.000Z", severity: "error" }),
    ]);
    expect(parseLogLine("not a CMTrace line")).toEqual({ text: "not a CMTrace line", severity: "info" });
  });

  it("colours lines like CMTrace: errors and failures red, warnings yellow", () => {
    expect(inferSeverity("Sync failed: UssCommunicationError")).toBe("error");
    expect(inferSeverity('STATMSG: ID=6708 SEV=W LEV=M SOURCE="SMS Server"')).toBe("warning");
    expect(inferSeverity("sync: WSUS synchronizing updates, processed 122 out of 130 items (93%)")).toBe("info");
  });

  it("appends event lines once, in seq order, keeping the stricter of the given and the inferred severity", () => {
    const base = parseLogText(REST_LOG, 41);
    const next = appendLogLines(base, [
      { seq: 43, time: "2025-05-01T10:00:04.000Z", severity: "info", text: "Sync failed. Will retry in 60 minutes" },
      { seq: 41, time: "2025-05-01T10:00:02.000Z", severity: "error", text: "already there" },
      { seq: 42, time: "2025-05-01T10:00:03.000Z", severity: "warning", text: "Sleeping 2 more minutes" },
    ]);
    expect(next.lines.slice(2).map((l) => [l.seq, l.text, l.severity, l.component, l.thread])).toEqual([
      [42, "Sleeping 2 more minutes", "warning", "SMS_WSUS_SYNC_MANAGER", 5976],
      [43, "Sync failed. Will retry in 60 minutes", "error", "SMS_WSUS_SYNC_MANAGER", 5976],
    ]);
    expect(next.lastSeq).toBe(43);
    expect(appendLogLines(next, [{ seq: 43, time: "", severity: "info", text: "again" }])).toBe(next);
  });

  it("keeps the lines that events brought while the log was being fetched, and only those newer than it", () => {
    const fetched = parseLogText(REST_LOG, 41);
    const cachedMeanwhile = appendLogLines({ lines: [], lastSeq: 0 }, [
      { seq: 40, time: "2025-05-01T10:00:01.000Z", severity: "info", text: "in the fetch too" },
      { seq: 44, time: "2025-05-01T10:00:05.000Z", severity: "info", text: "after the fetch" },
    ]);
    const merged = mergeFetchedLog(fetched, cachedMeanwhile);
    expect(merged.lines.map((l) => l.text)).toEqual([
      "Starting Sync",
      expect.stringContaining("STATMSG: ID=6703"),
      "after the fetch",
    ]);
    expect(merged.lastSeq).toBe(44);
    expect(mergeFetchedLog(fetched, undefined)).toBe(fetched);
  });
});
