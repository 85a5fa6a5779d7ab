// All Software Updates (console issue, server side): one update's details against a catalog really synced from the
// embedded upstream — supersedence both ways, bundles, revisions, files —, the release-date filter, and the CSV export
// of the filtered view (parsed back and compared with the JSON list; RFC 4180 quoting; the 100 000-row cap).
import {
  SOFTWARE_UPDATES_CSV_COLUMNS,
  SoftwareUpdateDetails,
  SoftwareUpdatePage,
  type SoftwareUpdateItem,
} from "@syncpoint/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "./harness.ts";
import { CLASSIFICATION_IDS } from "../../upstream/src/catalog/categories.ts";
import { addCatalogUpdate, readJson, type TestServer, startDefenderTestbed, type SyncTestbed } from "./harness.ts";

let server: TestServer;
let admin: Browser;
let testbed: SyncTestbed | undefined;

// The upstream's own category ids (its generated catalog uses them).
const SECURITY_UPDATES = CLASSIFICATION_IDS.securityUpdates;

beforeAll(async () => {
  // Defender's security intelligence updates are bundles; two more months bring revisions and new supersedence.
  testbed = await startDefenderTestbed({ updates: 800, advancePeriods: 2 });
  ({ server, admin } = testbed);
}, 180_000);
afterAll(() => testbed?.stop());

const getJson = async (path: string) => {
  const response = await admin.request("GET", path);
  expect(response.status, path).toBe(200);
  return readJson(response);
};
const details = async (updateId: string, site?: string) =>
  SoftwareUpdateDetails.parse(await getJson(`/api/software-updates/${updateId}${site ? `?site=${site}` : ""}`));
const list = async (query: string) => SoftwareUpdatePage.parse(await getJson(`/api/software-updates?${query}`));

/** Every item of the list for a filter, page by page. */
async function listAll(query: string): Promise<SoftwareUpdateItem[]> {
  const items: SoftwareUpdateItem[] = [];
  for (let page = 1; ; page++) {
    const result = await list(`${query}&pageSize=500&page=${page}`);
    items.push(...result.items);
    if (items.length >= result.total) return items;
  }
}

describe("GET /api/software-updates/:updateId", () => {
  it("returns the summary the list shows plus description, URLs, type, languages and files", async () => {
    const [item] = (await list("sort=title&classification=" + SECURITY_UPDATES)).items;
    const update = await details(item!.updateId);
    expect(update).toMatchObject({ ...item, siteCode: "CAS", updateType: "Software" });
    expect(update.description).toBeTruthy();
    expect(update.classifications.map((c) => c.title)).toEqual(["Security Updates"]);
    expect(update.products.length).toBeGreaterThan(0);
    expect(update.cveIds.length).toBeGreaterThan(0);
    expect(update.languages).toContain("en");
    expect(update.files.length).toBeGreaterThan(0);
    for (const file of update.files) {
      expect(file.fileName).toMatch(/\.\w+$/);
      expect(file.size).toBeGreaterThan(0);
      expect(file.sha1Digest).toMatch(/^[A-Za-z0-9+/]+=*$/);
    }
    expect(update.revisions.find((r) => r.isCurrent)?.revisionNumber).toBe(item!.revisionNumber);
  });

  it("says what supersedes an update and what it supersedes, consistently both ways", async () => {
    const superseded = await listAll("superseded=true");
    expect(superseded.length).toBeGreaterThan(0);
    for (const item of superseded.slice(0, 15)) {
      const update = await details(item.updateId);
      expect(update.isSuperseded).toBe(true);
      expect(update.supersededBy.length).toBeGreaterThan(0);
      for (const by of update.supersededBy) {
        const newer = await details(by.updateId);
        // The superseding update is a current revision of this catalog, and names this one.
        expect(newer.revisionNumber).toBe(by.revisionNumber);
        expect(newer.title).toBe(by.title);
        expect(newer.releaseDate).toBe(by.releaseDate);
        expect(newer.supersedes).toContainEqual({ updateId: item.updateId, title: item.title, inCatalog: true });
      }
    }
  });

  it("finds what supersedes an update exactly when the catalog marks it superseded", async () => {
    const sample = (await list("sort=title&pageSize=60")).items;
    for (const item of sample) {
      const update = await details(item.updateId);
      expect(update.supersededBy.length > 0, item.title).toBe(item.isSuperseded);
      for (const older of update.supersedes.filter((s) => s.inCatalog)) {
        expect((await details(older.updateId)).supersededBy.map((b) => b.updateId)).toContain(item.updateId);
      }
    }
  });

  it("lists every stored revision of a revised update, the current one marked", async () => {
    const [revised] = await server.db.prisma.$queryRaw<{ update_id: string; n: number }[]>`
      SELECT r.update_id::text, count(*)::int AS n FROM update_revisions r
      JOIN site_catalog_entries e ON e.site_code = 'CAS' AND e.update_id = r.update_id
      GROUP BY r.update_id HAVING count(*) > 1 LIMIT 1`;
    expect(revised, "a revised update after /admin/advance").toBeDefined();
    const update = await details(revised!.update_id);
    const stored = await server.db.prisma.updateRevision.findMany({
      where: { updateId: revised!.update_id },
      orderBy: { revisionNumber: "desc" },
    });
    expect(update.revisions).toEqual(
      stored.map((r) => ({
        revisionNumber: r.revisionNumber,
        title: r.title,
        storedAt: r.storedAt.toISOString(),
        isCurrent: r.revisionNumber === update.revisionNumber,
      })),
    );
    expect(update.revisions.filter((r) => r.isCurrent)).toHaveLength(1);
  });

  it("lists a bundle's updates with their revisions and titles", async () => {
    const bundle = await server.db.prisma.$queryRaw<{ update_id: string }[]>`
      SELECT r.update_id::text FROM update_revisions r
      JOIN site_catalog_entries e ON e.site_code = 'CAS' AND e.update_id = r.update_id
        AND e.revision_number = r.revision_number
      WHERE r.is_bundle LIMIT 1`;
    expect(bundle[0], "a Defender bundle in the catalog").toBeDefined();
    const update = await details(bundle[0]!.update_id);
    expect(update.isBundle).toBe(true);
    expect(update.bundledUpdates.length).toBeGreaterThan(0);
    for (const leaf of update.bundledUpdates) {
      expect(leaf.title).toMatch(/^Full Deltas .* for Defender/);
      expect(leaf.revisionNumber).toBeGreaterThan(0);
    }
  });

  it("reads another site's catalog with ?site=, and answers 404 for an update not in it", async () => {
    const [item] = (await list("sort=title")).items;
    const atCas = await details(item!.updateId);
    // Child sites mirror their parent's catalog after the cascade.
    expect({ ...(await details(item!.updateId, "p01")), siteCode: "CAS" }).toEqual(atCas);

    const missing = await admin.request("GET", "/api/software-updates/00000000-0000-4000-8000-000000000000");
    expect(missing.status).toBe(404);
    expect((await readJson(missing)).error.code).toBe("NOT_FOUND");
    // Not in S01's catalog once removed there.
    await server.db.prisma.siteCatalogEntry.delete({
      where: { siteCode_updateId: { siteCode: "S01", updateId: item!.updateId } },
    });
    expect((await admin.request("GET", `/api/software-updates/${item!.updateId}?site=S01`)).status).toBe(404);
    expect((await admin.request("GET", `/api/software-updates/${item!.updateId}?site=ZZZ`)).status).toBe(404);
    const bad = await admin.request("GET", "/api/software-updates/not-a-guid");
    expect(bad.status).toBe(400);
    expect((await readJson(bad)).error.details.fields[0].field).toBe("params.updateId");
  });
});

describe("the release-date filter", () => {
  it("keeps updates released within [releasedFrom, releasedTo], a date covering its whole day", async () => {
    const all = await listAll("sort=releaseDate");
    const days = [...new Set(all.map((i) => i.releaseDate.slice(0, 10)))].sort();
    expect(days.length).toBeGreaterThan(3);
    const from = days[1]!;
    const to = days[days.length - 2]!;
    const expected = all.filter((i) => i.releaseDate.slice(0, 10) >= from && i.releaseDate.slice(0, 10) <= to);
    const filtered = await listAll(`sort=releaseDate&releasedFrom=${from}&releasedTo=${to}`);
    expect(filtered.map((i) => i.updateId)).toEqual(expected.map((i) => i.updateId));
    expect(filtered.length).toBeLessThan(all.length);

    // One day only; and an instant as the upper bound is inclusive.
    const oneDay = await listAll(`releasedFrom=${to}&releasedTo=${to}`);
    expect(oneDay.length).toBeGreaterThan(0);
    expect(oneDay.every((i) => i.releaseDate.startsWith(to))).toBe(true);
    const last = oneDay.map((i) => i.releaseDate).sort()[0]!;
    const upTo = await listAll(`releasedFrom=${to}&releasedTo=${encodeURIComponent(last)}`);
    expect(upTo.every((i) => i.releaseDate <= last)).toBe(true);
    expect(upTo.some((i) => i.releaseDate === last)).toBe(true);
  });

  it("names a bad or reversed range", async () => {
    const bad = await admin.request("GET", "/api/software-updates?releasedFrom=yesterday");
    expect(bad.status).toBe(400);
    expect((await readJson(bad)).error.details.fields[0]).toEqual({
      field: "query.releasedFrom",
      message: "releasedFrom is a date (YYYY-MM-DD) or an ISO-8601 time",
      code: "invalid_datetime",
    });
    const reversed = await admin.request("GET", "/api/software-updates?releasedFrom=2026-05-02&releasedTo=2026-05-01");
    expect(reversed.status).toBe(400);
    expect((await readJson(reversed)).error.message).toBe("query.releasedTo: releasedTo is before releasedFrom");
  });
});

/** RFC 4180: fields separated by commas, records by CRLF, quoted fields with doubled quotes. Strict on bare LFs. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') {
      if (field !== "") throw new Error(`a quote inside an unquoted field at ${i}`);
      quoted = true;
    } else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i++;
    } else if (c === "\n" || c === "\r") {
      throw new Error(`a bare line break outside quotes at ${i}`);
    } else field += c;
  }
  if (quoted) throw new Error("unterminated quoted field");
  if (field !== "" || row.length > 0) throw new Error("the last record does not end with CRLF");
  return rows;
}

const csvOf = (item: SoftwareUpdateItem) => [
  item.title,
  item.kbArticleIds.join(", "),
  item.bulletinIds.join(", "),
  item.cveIds.join(", "),
  item.classifications.map((c) => c.title).join(", "),
  item.products.map((p) => p.title).join(", "),
  item.severity ?? "",
  item.releaseDate,
  item.isExpired ? "Yes" : "No",
  item.isSuperseded ? "Yes" : "No",
  item.maxRunTimeMinutes === null ? "" : String(item.maxRunTimeMinutes),
  item.updateId,
  String(item.revisionNumber),
];

async function exportCsv(query: string) {
  const response = await admin.request("GET", `/api/software-updates/export.csv?${query}`);
  expect(response.status).toBe(200);
  const bytes = new Uint8Array(await response.arrayBuffer());
  // UTF-8 with a byte order mark, so that Excel does not read it as the ANSI code page.
  expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes).slice(1);
  return { response, text, rows: parseCsv(text) };
}

describe("GET /api/software-updates/export.csv", () => {
  it("exports exactly the filtered, sorted list as CSV with the console's columns", async () => {
    const query = `classification=${SECURITY_UPDATES}&superseded=false&sort=-severity`;
    const { response, rows } = await exportCsv(query);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toBe('attachment; filename="all-software-updates.csv"');
    expect(response.headers.get("x-syncpoint-truncated")).toBeNull();
    expect(rows[0]).toEqual([...SOFTWARE_UPDATES_CSV_COLUMNS]);
    const items = await listAll(query);
    expect(items.length).toBeGreaterThan(10);
    expect(rows.slice(1)).toEqual(items.map(csvOf));
    // Lists of products, CVEs… hold commas: those fields are quoted.
    expect(rows.slice(1).some((r) => r[3]!.includes(", "))).toBe(true);

    // The page's own paging parameters are ignored; other filters apply.
    const paged = await exportCsv(`${query}&page=3&pageSize=2`);
    expect(paged.rows).toEqual(rows);
    const none = await exportCsv("search=no-such-update-anywhere");
    expect(none.rows).toEqual([[...SOFTWARE_UPDATES_CSV_COLUMNS]]);
    const bad = await admin.request("GET", "/api/software-updates/export.csv?severity=Dire");
    expect(bad.status).toBe(400);
    expect((await readJson(bad)).error.details.fields[0].field).toBe("query.severity");
  });

  it("quotes commas, quotes and line breaks, and defuses cells Excel would run as formulas", async () => {
    const prisma = server.db.prisma;
    const tricky = 'Fix for "quoted" names, commas\r\nand line breaks\nin titles';
    const formula = '=HYPERLINK("https://example.invalid","click")';
    const ids = ["7a9d1e00-0000-4000-8000-000000000001", "7a9d1e00-0000-4000-8000-000000000002"];
    for (const [i, title] of [tricky, formula].entries()) {
      await addCatalogUpdate(
        prisma,
        { siteCode: "CAS", updateId: ids[i]!, revisionNumber: 100, version: 99 },
        {
          title,
          localized: [{ language: "en", title }],
          kbArticleIds: ["5099999"],
          securityBulletinIds: ["MS99-001"],
          cveIds: ["CVE-2026-0001", "CVE-2026-0002"],
          msrcSeverity: "Critical",
          classificationIds: [SECURITY_UPDATES],
          creationDate: new Date("2026-06-09T17:00:00Z"),
          maxRunTimeMinutes: 60,
        },
      );
    }
    const { text, rows } = await exportCsv("search=5099999&sort=title");
    expect(text).toContain('"Fix for ""quoted"" names, commas\r\nand line breaks\nin titles"');
    expect(rows).toHaveLength(3);
    const byId = (id: string) => rows.find((r) => r[11] === id)!;
    expect(byId(ids[1]!)).toEqual([
      "'" + formula,
      "5099999",
      "MS99-001",
      "CVE-2026-0001, CVE-2026-0002",
      "Security Updates",
      "",
      "Critical",
      "2026-06-09T17:00:00.000Z",
      "No",
      "No",
      "60",
      ids[1],
      "100",
    ]);
    expect(byId(ids[0]!)[0]).toBe(tricky);
    // The JSON list keeps the title as it is.
    expect((await list("search=5099999&sort=title")).items.map((i) => i.title).sort()).toEqual(
      [formula, tricky].sort(),
    );
  });

  it("stops at 100 000 rows and says so in X-Syncpoint-Truncated", async () => {
    // 100 001 entries for S02, written straight into the tables.
    await server.db.prisma.$executeRaw`
      INSERT INTO update_revisions (update_id, revision_number, update_type, title, localized, languages,
        kb_article_ids, security_bulletin_ids, cve_ids, classification_ids, product_ids, creation_date,
        publication_state, is_bundle, bundled_updates, superseded_update_ids, prerequisite_ids, files)
      SELECT md5('bulk' || n)::uuid, 1, 'Software', 'Bulk update ' || n, '[]', '{en}', '{}', '{}', '{}', '{}', '{}',
        '2020-01-01'::timestamptz + n * interval '1 minute', 'Published', false, '[]', '{}', '{}', '[]'
      FROM generate_series(1, 100001) n`;
    await server.db.prisma.$executeRaw`DELETE FROM site_catalog_entries WHERE site_code = 'S02'`;
    await server.db.prisma.$executeRaw`
      INSERT INTO site_catalog_entries (site_code, update_id, revision_number, version)
      SELECT 'S02', md5('bulk' || n)::uuid, 1, 1 FROM generate_series(1, 100001) n`;
    const { response, rows } = await exportCsv("site=S02&sort=releaseDate");
    expect(response.headers.get("x-syncpoint-truncated")).toBe("true");
    expect(rows).toHaveLength(1 + 100_000);
    expect(rows[1]![0]).toBe("Bulk update 1");
    expect(rows[100_000]![0]).toBe("Bulk update 100000");

    // One fewer: complete, no header.
    await server.db.prisma
      .$executeRaw`DELETE FROM site_catalog_entries WHERE site_code = 'S02' AND update_id = md5('bulk1')::uuid`;
    const complete = await exportCsv("site=S02&sort=releaseDate");
    expect(complete.response.headers.get("x-syncpoint-truncated")).toBeNull();
    expect(complete.rows).toHaveLength(1 + 100_000);
  }, 120_000);
});
