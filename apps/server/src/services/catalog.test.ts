// How All Software Updates reads a page: collect a filter's matches and sort them, or walk the sort order's index.
import { describe, expect, it } from "vitest";
import { pageStrategy } from "./catalog.ts";

const CATALOG = 300_000;

describe("pageStrategy", () => {
  it("walks the sort's index when there is no filter, whatever the page", () => {
    expect(pageStrategy({ filtered: false, total: CATALOG, entries: CATALOG, pageEnd: 50, collectMax: 20_000 })).toBe(
      "walk",
    );
    expect(pageStrategy({ filtered: false, total: 10, entries: 10, pageEnd: 50, collectMax: 20_000 })).toBe("walk");
  });

  it("collects a filter's few matches: 940 Security Updates of 300 000 entries, sorted by severity", () => {
    expect(pageStrategy({ filtered: true, total: 940, entries: CATALOG, pageEnd: 50, collectMax: 20_000 })).toBe(
      "collect",
    );
  });

  it("walks when the matches are many: their first page comes early in any order", () => {
    expect(pageStrategy({ filtered: true, total: 198_965, entries: CATALOG, pageEnd: 50, collectMax: 20_000 })).toBe(
      "walk",
    );
  });

  it("moves the boundary with the page's end and the catalog's size: twice √(pageEnd × entries)", () => {
    // √(50 × 300 000) ≈ 3 873: collected up to 7 746 matches on page 1 of 50.
    const at = (total: number, pageEnd: number, entries = CATALOG) =>
      pageStrategy({ filtered: true, total, entries, pageEnd, collectMax: 1_000_000 });
    expect(at(7_700, 50)).toBe("collect");
    expect(at(7_800, 50)).toBe("walk");
    // A deeper page walks further: collecting pays off for more matches.
    expect(at(7_800, 200)).toBe("collect");
    // A small catalog walks sooner.
    expect(at(7_700, 50, 10_000)).toBe("walk");
  });

  it("never collects more than collectMax matches", () => {
    expect(pageStrategy({ filtered: true, total: 5_000, entries: CATALOG, pageEnd: 50, collectMax: 4_999 })).toBe(
      "walk",
    );
    expect(pageStrategy({ filtered: true, total: 0, entries: CATALOG, pageEnd: 50, collectMax: 0 })).toBe("collect");
  });
});
