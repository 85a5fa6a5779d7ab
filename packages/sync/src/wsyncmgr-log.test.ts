import { describe, expect, it } from "vitest";
import { formatDuration, formatLogLine, formatProgress, formatSyncTime } from "./wsyncmgr-log.ts";

describe("wsyncmgr log format", () => {
  it("writes a CMTrace line with component, UTC time and thread", () => {
    const line = formatLogLine("Starting Sync", new Date("2026-10-04T16:33:26.750Z"), 5976);
    expect(line).toBe("Starting Sync $$<SMS_WSUS_SYNC_MANAGER><10-04-2026 16:33:26.750+000><thread=5976 (0x1758)>");
  });

  it("keeps one entry on one line", () => {
    expect(formatLogLine("a\nb", new Date(0), 1)).toMatch(/^a b \$\$</);
  });

  it("prints progress the way wsyncmgr does", () => {
    expect(formatProgress(122, 130, 3)).toBe("processed 122 out of 130 items (93%), ETA in 00:00:03");
    expect(formatProgress(223, 223)).toBe("processed 223 out of 223 items (100%)");
    expect(formatProgress(0, 0)).toBe("processed 0 out of 0 items (100%)");
  });

  it("formats durations", () => {
    expect(formatDuration(3 * 3600 + 62)).toBe("03:01:02");
    expect(formatDuration(30 * 3600)).toBe("30:00:00");
    expect(formatSyncTime(233)).toBe("Sync time: 0d00h03m53s");
    expect(formatSyncTime(90061)).toBe("Sync time: 1d01h01m01s");
  });
});
