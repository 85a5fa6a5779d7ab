import { describe, expect, it } from "vitest";
import { approxDuration, elapsed, fields, num, table, time } from "./format.ts";

describe("formatting for people", () => {
  it("numbers, estimates, elapsed times and UTC times", () => {
    expect(num(1234567)).toBe("1,234,567");
    expect([5, 59.6, 60, 89, 3599, 3600, 7500].map(approxDuration)).toEqual([
      "5 s",
      "1 min",
      "1 min",
      "1 min",
      "1 h",
      "1 h",
      "2 h 5 min",
    ]);
    expect([850, 12_400, 185_000, 3_720_000].map(elapsed)).toEqual(["850 ms", "12 s", "3 min 5 s", "1 h 2 min"]);
    expect(time("2026-05-01T12:34:56.789Z")).toBe("2026-05-01 12:34:56Z");
    expect(time(null)).toBe("—");
  });

  it("tables: padded columns, right-aligned numbers, long cells cut, no trailing spaces", () => {
    const text = table(
      [{ header: "NAME" }, { header: "N", align: "right" }, { header: "NOTE", max: 6 }],
      [
        ["alpha", "1", "short"],
        ["b", "1,234", "much too long"],
      ],
    );
    expect(text).toBe("NAME       N  NOTE\nalpha      1  short\nb      1,234  much …\n");
  });

  it("fields: labels padded, further lines of a value indented under it", () => {
    expect(
      fields([
        ["A", "one"],
        ["Longer", "two\nthree"],
      ]),
    ).toBe("A       one\nLonger  two\n        three\n");
  });
});
