// Durations and sizes in each console language, through Intl.
import { describe, expect, it } from "vitest";
import { formatBytesIn, formatDurationIn } from "./format.ts";

describe("formatDurationIn", () => {
  it("writes hours, minutes and seconds with the locale's unit names, leaving out zero parts", () => {
    expect(formatDurationIn("en-US", 3725)).toBe("1 hr 2 min 5 sec");
    expect(formatDurationIn("en-US", 233.4)).toBe("3 min 53 sec");
    expect(formatDurationIn("en-US", 7200)).toBe("2 hr");
    expect(formatDurationIn("en-US", -5)).toBe("0 sec");
    expect(formatDurationIn("de-DE", 3725)).toBe("1 Std., 2 Min. und 5 Sek.");
    expect(formatDurationIn("zh-CN", 3725)).toBe("1小时2分钟5秒");
    expect(formatDurationIn("sv-SE", 233)).toBe("3 min 53 s");
  });
});

describe("formatBytesIn", () => {
  it("steps by 1 024 and writes the locale's decimal separator", () => {
    expect(formatBytesIn("en-US", 512)).toBe("512 bytes");
    expect(formatBytesIn("en-US", 1_536_000)).toBe("1.5 MB");
    expect(formatBytesIn("de-DE", 1_536_000)).toBe("1,5 MB");
    expect(formatBytesIn("it-IT", 3 * 1024 ** 3)).toBe("3,0 GB");
  });
});
