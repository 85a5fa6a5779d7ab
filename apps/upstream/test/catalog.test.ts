import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseDigestFilter, parseUpdateXml, renderUpdateXml } from "@syncpoint/wsusss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLASSIFICATION_IDS, PRODUCTS } from "../src/catalog/categories.ts";
import { generateCatalog, patchTuesday } from "../src/catalog/generate.ts";
import { CatalogStore } from "../src/catalog/store.ts";

const ALL = parseDigestFilter({});

describe("the generated catalog", () => {
  it("is the same for the same seed and size, and different for another seed", () => {
    const a = new CatalogStore({ seed: 11, updates: 500 }).digest(ALL);
    const b = new CatalogStore({ seed: 11, updates: 500 }).digest(ALL);
    const c = new CatalogStore({ seed: 12, updates: 500 }).digest(ALL);
    expect(a).toEqual(b);
    expect(a.digest).not.toBe(c.digest);
    expect(a.count).toBe(500);
  });

  it("shapes updates like Microsoft's: titles, KBs, CVEs, severities, real classification and product GUIDs", () => {
    const { updates } = generateCatalog({ seed: 1, updates: 25_000 });
    const cu = updates.find((u) =>
      /^2026-10 Cumulative Update for Windows 11 Version 24H2 for x64-based Systems \(KB\d+\)$/.test(
        u.localized[0]!.title,
      ),
    )!;
    expect(cu).toBeDefined();
    expect(cu.classificationIds).toEqual([CLASSIFICATION_IDS.securityUpdates]);
    expect(cu.productIds).toEqual([PRODUCTS.windows11]);
    expect(cu.msrcSeverity).toMatch(/^(Critical|Important|Moderate|Low)$/);
    expect(cu.cveIds.every((c) => /^CVE-20\d{2}-\d{4,5}$/.test(c))).toBe(true);
    expect(cu.kbArticleIds[0]).toMatch(/^\d{7}$/);
    expect(cu.creationDate).toBe(patchTuesday(2026, 9).toISOString());
    expect(cu.supersededUpdateIds).toHaveLength(1); // September's CU of the same track
    expect(cu.localized.map((l) => l.language)).toEqual(["en", "de", "sv", "nl", "it", "zh-cn"]);
    expect(cu.localized.find((l) => l.language === "de")!.title).toMatch(
      /^2026-10 Kumulatives Update für Windows 11 Version 24H2/,
    );
    const defender = updates.filter((u) => u.classificationIds[0] === CLASSIFICATION_IDS.definitionUpdates);
    expect(defender.length).toBeGreaterThan(15_000);
    expect(updates.some((u) => u.localized[0]!.title.includes("Malicious Software Removal Tool"))).toBe(true);
    // Definition updates are bundles, as KB2267602 is; each leaf it names is in the catalog too.
    const ids = new Set(updates.map((u) => u.updateId));
    const bundles = defender.filter((u) => u.bundledUpdates.length > 0);
    expect(bundles.length).toBeGreaterThan(5_000);
    expect(bundles.every((b) => b.bundledUpdates.every((leaf) => ids.has(leaf.updateId)))).toBe(true);
    expect(
      updates.some(
        (u) =>
          u.localized[0]!.title.startsWith("Cumulative Update") && u.localized[0]!.title.includes("SQL Server 2022"),
      ),
    ).toBe(true);
    expect(new Set(updates.map((u) => u.updateId)).size).toBe(updates.length);
  });

  it("round-trips every generated record through the update document unchanged", () => {
    const { updates, categories } = generateCatalog({ seed: 5, updates: 400 });
    for (const record of [...categories, ...updates]) {
      expect(parseUpdateXml(renderUpdateXml(record))).toEqual(record);
    }
  });

  it("patch Tuesday is the second Tuesday", () => {
    expect(patchTuesday(2024, 9).toISOString()).toBe("2024-10-08T17:00:00.000Z");
    expect(patchTuesday(2026, 8).toISOString()).toBe("2026-09-08T17:00:00.000Z");
  });
});

describe("catalog-only updates", () => {
  const store = new CatalogStore({ seed: 2, updates: 2_000 });
  const hit = store.search("out-of-band")[0]!;

  it("are found by search but never by a filtered revision list, nor counted in the digest", () => {
    expect(hit).toMatchObject({ catalogOnly: true });
    const listed = store.revisionIdList({ getConfig: false, categories: [], classifications: [] }).revisions;
    expect(listed.some((r) => r.updateId === hit.updateId)).toBe(false);
    expect(store.digest(ALL).count).toBe(2_000);
    // GetUpdateData by id still serves it (import from the catalog).
    expect(store.updateXml([{ updateId: hit.updateId, revisionNumber: hit.revisionNumber }]).size).toBe(1);
  });

  it("search finds by KB number (with or without KB) and by update id", () => {
    const kb = hit.kbArticleIds[0]!;
    expect(store.search(`KB${kb}`).map((h) => h.updateId)).toContain(hit.updateId);
    expect(store.search(kb).map((h) => h.updateId)).toContain(hit.updateId);
    expect(store.search(hit.updateId.toUpperCase())).toHaveLength(1);
    expect(store.search("cumulative update windows 11 2026-10").length).toBeGreaterThan(0);
    expect(store.search("no such thing anywhere")).toEqual([]);
  });
});

describe("advance (time travel)", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "upstream-state-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("publishes a period whose delta is exactly the changed revisions", () => {
    const store = new CatalogStore({ seed: 9, updates: 1_000 });
    const before = store.revisionIdList({ getConfig: false });
    const result = store.advance();
    expect(result.period).toBe(1);
    expect(result.added).toBeGreaterThan(20);
    expect(result.revised).toBe(3);
    expect(result.expired).toBeGreaterThan(0);
    expect(result.superseded).toBeGreaterThan(0);
    const delta = store.revisionIdList({ getConfig: false, anchor: before.anchor });
    const catalogOnlyAdded = store.search("out-of-band").filter((h) => h.creationDate >= "2026-11").length;
    expect(delta.revisions).toHaveLength(result.added - catalogOnlyAdded + result.revised + result.expired);
    const previous = new Map(before.revisions.map((r) => [r.updateId, r.revisionNumber]));
    for (const r of delta.revisions) expect(previous.get(r.updateId)).not.toBe(r.revisionNumber);
    // Delta=false for an item asks for all of it again.
    const full = store.revisionIdList({
      getConfig: false,
      anchor: before.anchor,
      categories: [{ id: PRODUCTS.windows11, delta: false }],
    });
    expect(full.revisions).toHaveLength(store.stats().byProduct[PRODUCTS.windows11]!);
  });

  it("adds a new product every third period, with updates of its own", () => {
    const store = new CatalogStore({ seed: 9, updates: 1_000 });
    const result = store.advance(3);
    expect(result.newProducts).toHaveLength(1);
    const product = store.categoryRecords().find((c) => c.updateId === result.newProducts[0])!;
    expect(product).toMatchObject({ categoryType: "Product" });
    expect(store.stats().byProduct[result.newProducts[0]!]).toBe(3);
  });

  it("persists (seed, size, period) so a restart reproduces the same catalog, whatever the environment says", () => {
    const statePath = path.join(dir, "state.json");
    const first = new CatalogStore({ seed: 21, updates: 600, statePath });
    first.advance(2);
    const restarted = new CatalogStore({ seed: 999, updates: 50, statePath });
    expect(restarted.currentPeriod).toBe(2);
    expect(restarted.digest(ALL)).toEqual(first.digest(ALL));
  });

  it("rejects an anchor from the future or of the wrong shape with InvalidParameters", () => {
    const store = new CatalogStore({ seed: 9, updates: 100 });
    for (const anchor of ["7,2026-11-01T00:00:00.000Z", "9438,2026-10-04 16:33:26.750", "garbage"]) {
      expect(() => store.revisionIdList({ getConfig: false, anchor })).toThrow(
        expect.objectContaining({ errorCode: "InvalidParameters" }),
      );
    }
  });
});
