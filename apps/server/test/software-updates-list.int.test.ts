// All Software Updates' list over its read model (issue #12, benchmark 5): the entries' copies of their revision's
// list columns stay equal to the revision through full and delta syncs (revised revisions included) and through
// writers that leave them out; every filter, search and sort returns the rows, order and total the revisions' own
// columns give (the query as it was before the read model, run here as the reference); and the cached total follows a
// sync that commits a new catalog version.
import { SoftwareUpdatePage } from "@syncpoint/contracts";
import { Prisma } from "@syncpoint/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "./harness.ts";
import { CLASSIFICATION_IDS } from "../../upstream/src/catalog/categories.ts";
import {
  hierarchySettled,
  readJson,
  syncAndWait,
  type TestServer,
  startDefenderTestbed,
  type SyncTestbed,
} from "./harness.ts";

let server: TestServer;
let admin: Browser;
let testbed: SyncTestbed | undefined;

// The upstream's own category ids (its generated catalog uses them).
const DEFINITION_UPDATES = CLASSIFICATION_IDS.definitionUpdates;
const SECURITY_UPDATES = CLASSIFICATION_IDS.securityUpdates;
const SORTS = ["-releaseDate", "releaseDate", "title", "-title", "severity", "-severity", "kb", "-kb"];

/**
 * Filters with at most this many matches are collected and sorted, the others walk the sort's index
 * (services/catalog.ts, pageStrategy): small here, so that the filters below take both ways.
 */
const COLLECT_MAX = 40;

beforeAll(async () => {
  testbed = await startDefenderTestbed({
    updates: 600,
    serverEnv: { SOFTWARE_UPDATES_COLLECT_MAX: String(COLLECT_MAX) },
  });
  ({ server, admin } = testbed);
}, 180_000);
afterAll(() => testbed?.stop());

const list = async (query: string) => {
  const response = await admin.request("GET", `/api/software-updates?${query}`);
  expect(response.status, query).toBe(200);
  return SoftwareUpdatePage.parse(await readJson(response));
};

/** Entries whose read model differs from their revision's columns (every site). */
async function staleReadModels(): Promise<number> {
  const [row] = await server.db.prisma.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM site_catalog_entries e
    JOIN update_revisions r ON r.update_id = e.update_id AND r.revision_number = e.revision_number
    WHERE e.listed_revision IS DISTINCT FROM e.revision_number
       OR e.title IS DISTINCT FROM r.title OR e.creation_date IS DISTINCT FROM r.creation_date
       OR e.msrc_severity IS DISTINCT FROM r.msrc_severity
       OR e.severity_rank IS DISTINCT FROM array_position(ARRAY['Low','Moderate','Important','Critical'], r.msrc_severity)
       OR e.first_kb IS DISTINCT FROM r.kb_article_ids[1]
       OR e.list_tags IS DISTINCT FROM catalog_list_tags(e.site_code, r.classification_ids, r.product_ids)`;
  return row!.n;
}

/** The list as it was computed before the read model: the revisions' own columns, filtered, sorted, counted. */
async function reference(
  site: string,
  sort: string,
  filter: { search?: string; classification?: string; superseded?: boolean; severity?: string },
): Promise<{ ids: string[]; total: number }> {
  const conditions = [Prisma.sql`e.site_code = ${site}`];
  if (filter.search) {
    const term = filter.search.replace(/^KB/i, "");
    const like = `%${filter.search.replaceAll("\\", "\\\\").replaceAll("%", "\\%").replaceAll("_", "\\_")}%`;
    const upper = filter.search.toUpperCase();
    conditions.push(
      Prisma.sql`(r.title ILIKE ${like} OR ${term} = ANY(r.kb_article_ids) OR ${upper} = ANY(r.cve_ids) OR ${upper} = ANY(r.security_bulletin_ids))`,
    );
  }
  if (filter.classification) {
    conditions.push(Prisma.sql`r.classification_ids && ${[filter.classification]}::uuid[]`);
  }
  if (filter.superseded !== undefined) conditions.push(Prisma.sql`e.is_superseded = ${filter.superseded}`);
  if (filter.severity) {
    conditions.push(
      filter.severity === "None"
        ? Prisma.sql`r.msrc_severity IS NULL`
        : Prisma.sql`r.msrc_severity = ${filter.severity}`,
    );
  }
  const orders: Record<string, string> = {
    title: "r.title ASC",
    "-title": "r.title DESC",
    releaseDate: "r.creation_date ASC",
    "-releaseDate": "r.creation_date DESC",
    severity: "array_position(ARRAY['Low','Moderate','Important','Critical'], r.msrc_severity) ASC NULLS FIRST",
    "-severity": "array_position(ARRAY['Low','Moderate','Important','Critical'], r.msrc_severity) DESC NULLS LAST",
    kb: "r.kb_article_ids[1] ASC NULLS LAST",
    "-kb": "r.kb_article_ids[1] DESC NULLS LAST",
  };
  const rows = await server.db.prisma.$queryRaw<{ update_id: string }[]>`
    SELECT r.update_id::text FROM site_catalog_entries e
    JOIN update_revisions r ON r.update_id = e.update_id AND r.revision_number = e.revision_number
    WHERE ${Prisma.join(conditions, " AND ")}
    ORDER BY ${Prisma.raw(orders[sort]!)}, r.update_id ${Prisma.raw(sort === "-severity" ? "DESC" : "ASC")}`;
  return { ids: rows.map((r) => r.update_id), total: rows.length };
}

/** Every page of the list, in order. */
async function listAll(query: string): Promise<{ ids: string[]; total: number }> {
  const ids: string[] = [];
  let total = 0;
  for (let page = 1; ; page++) {
    const result = await list(`${query}&pageSize=37&page=${page}`);
    total = result.total;
    ids.push(...result.items.map((i) => i.updateId));
    if (result.items.length < 37) return { ids, total };
  }
}

describe("All Software Updates over the entries' read model", () => {
  it("keeps every entry's copy equal to its revision through a full sync, a delta with revised revisions and the cascade", async () => {
    expect(await staleReadModels()).toBe(0);
    await testbed!.upstream.admin("POST", "/admin/advance", { periods: 3 });
    const delta = await syncAndWait(admin);
    expect(delta.run.state).toBe("succeeded");
    expect((delta.run.counts as { revised: number }).revised).toBeGreaterThan(0);
    await hierarchySettled(admin);
    expect(await server.db.prisma.siteCatalogEntry.count({ where: { siteCode: { not: "CAS" } } })).toBeGreaterThan(0);
    expect(await staleReadModels()).toBe(0);
  }, 120_000);

  it("copies the read model for a writer that leaves it out, and again when the entry's revision changes", async () => {
    // An entry of S01 moved to another stored revision of its update by a bare UPDATE (no sync writes it so): the
    // trigger copies that revision's columns.
    const [moved] = await server.db.prisma.$queryRaw<{ update_id: string; revision_number: number }[]>`
      UPDATE site_catalog_entries e SET revision_number = o.revision_number
      FROM update_revisions o
      WHERE e.site_code = 'S01' AND o.update_id = e.update_id AND o.revision_number <> e.revision_number
        AND e.update_id = (SELECT e2.update_id FROM site_catalog_entries e2
                           JOIN update_revisions o2 ON o2.update_id = e2.update_id
                             AND o2.revision_number <> e2.revision_number
                           WHERE e2.site_code = 'S01' LIMIT 1)
      RETURNING e.update_id::text, e.revision_number`;
    expect(moved).toBeDefined();
    // An entry created through Prisma without the read model.
    const other = await server.db.prisma.updateRevision.findFirstOrThrow({
      where: { kbArticleIds: { isEmpty: false } },
    });
    await server.db.prisma.siteCatalogEntry.deleteMany({ where: { siteCode: "P01", updateId: other.updateId } });
    await server.db.prisma.siteCatalogEntry.create({
      data: { siteCode: "P01", updateId: other.updateId, revisionNumber: other.revisionNumber, version: 1 },
    });
    expect(await staleReadModels()).toBe(0);
    const found = await list(`site=P01&search=KB${other.kbArticleIds[0]}`);
    expect(found.items.map((i) => i.updateId)).toContain(other.updateId);
  });

  it("returns the rows, order and totals of the revisions' own columns for every sort, filter and search", async () => {
    const [cumulative] = await server.db.prisma.$queryRaw<{ kb: string; cve: string | null }[]>`
      SELECT r.kb_article_ids[1] AS kb, r.cve_ids[1] AS cve FROM site_catalog_entries e
      JOIN update_revisions r ON r.update_id = e.update_id AND r.revision_number = e.revision_number
      WHERE e.site_code = 'CAS' AND r.title LIKE '%Cumulative Update%' AND cardinality(r.cve_ids) > 0 LIMIT 1`;
    const filters: { query: string; filter: Parameters<typeof reference>[2] }[] = [
      { query: "", filter: {} },
      { query: "search=Security+Update", filter: { search: "Security Update" } },
      { query: "search=x64-based", filter: { search: "x64-based" } },
      { query: "search=defender", filter: { search: "defender" } },
      { query: "search=KB2267602", filter: { search: "KB2267602" } },
      { query: `search=KB${cumulative!.kb}`, filter: { search: `KB${cumulative!.kb}` } },
      { query: `search=${cumulative!.cve!.toLowerCase()}`, filter: { search: cumulative!.cve!.toLowerCase() } },
      { query: "search=10", filter: { search: "10" } },
      { query: "search=100%25_", filter: { search: "100%_" } },
      { query: `classification=${SECURITY_UPDATES}`, filter: { classification: SECURITY_UPDATES } },
      {
        query: `classification=${DEFINITION_UPDATES}&superseded=false`,
        filter: { classification: DEFINITION_UPDATES, superseded: false },
      },
      { query: "severity=None&superseded=true", filter: { severity: "None", superseded: true } },
      { query: "severity=Critical", filter: { severity: "Critical" } },
    ];
    const totals: number[] = [];
    for (const { query, filter } of filters) {
      for (const sort of SORTS) {
        const expected = await reference("CAS", sort, filter);
        const actual = await listAll(`${query}&sort=${sort}`);
        expect(actual, `${query} sorted by ${sort}`).toEqual(expected);
      }
      if (query) totals.push((await reference("CAS", "title", filter)).total);
    }
    // Both ways of reading a page were compared: filters with few matches (collected) and with many (walked).
    expect(totals.filter((n) => n > 0 && n <= COLLECT_MAX).length).toBeGreaterThanOrEqual(3);
    expect(totals.filter((n) => n > COLLECT_MAX).length).toBeGreaterThanOrEqual(3);
  }, 120_000);

  it("counts a filter's total once per catalog state: a sync that commits a new version gives the new total", async () => {
    const query = `classification=${DEFINITION_UPDATES}`;
    const before = await list(query);
    expect(before.total).toBe((await reference("CAS", "title", { classification: DEFINITION_UPDATES })).total);
    // Twice: the second is the cached total.
    expect((await list(query)).total).toBe(before.total);

    await testbed!.upstream.admin("POST", "/admin/advance", { periods: 2 });
    const delta = await syncAndWait(admin);
    expect(delta.run.state).toBe("succeeded");
    const expected = await reference("CAS", "title", { classification: DEFINITION_UPDATES });
    expect(expected.total).not.toBe(before.total);
    expect((await list(query)).total).toBe(expected.total);
    await hierarchySettled(admin);

    // A writer that bypasses the sync: an entry's newer version is part of the catalog state too.
    const unsuperseded = `${query}&superseded=false`;
    const current = (await list(unsuperseded)).total;
    const entry = await server.db.prisma.siteCatalogEntry.findFirstOrThrow({
      where: { siteCode: "CAS", isSuperseded: false, listTags: { has: `CAS c ${DEFINITION_UPDATES}` } },
    });
    await server.db.prisma.siteCatalogEntry.update({
      where: { siteCode_updateId: { siteCode: "CAS", updateId: entry.updateId } },
      data: { isSuperseded: true, version: { increment: 1000 } },
    });
    expect((await list(unsuperseded)).total).toBe(current - 1);
  }, 120_000);

  it("starts a filtered title walk at the filter's first match only in the catalog state it was found in", async () => {
    const query = "site=S01&search=Cumulative+Update&sort=title&pageSize=5";
    const first = (await list(query)).items[0]!;
    const entry = await server.db.prisma.siteCatalogEntry.findUniqueOrThrow({
      where: { siteCode_updateId: { siteCode: "S01", updateId: first.updateId } },
    });
    // Gone, by a writer that leaves the catalog state as it was: the next match becomes the remembered first one.
    await server.db.prisma.siteCatalogEntry.delete({
      where: { siteCode_updateId: { siteCode: "S01", updateId: first.updateId } },
    });
    const without = await list(query);
    expect(without.items.map((i) => i.updateId)).not.toContain(first.updateId);
    expect((await list(query)).items).toEqual(without.items);
    // Back, in a newer entry version: a new state, where the remembered start no longer holds.
    const [{ version }] = await server.db.prisma.$queryRaw<[{ version: number }]>`
      SELECT max(version)::int AS version FROM site_catalog_entries WHERE site_code = 'S01'`;
    await server.db.prisma.siteCatalogEntry.create({
      data: { siteCode: "S01", updateId: entry.updateId, revisionNumber: entry.revisionNumber, version: version + 1 },
    });
    const back = await list(query);
    expect(back.items[0]!.updateId).toBe(first.updateId);
    const expected = await reference("S01", "title", { search: "Cumulative Update" });
    expect(back.items.map((i) => i.updateId)).toEqual(expected.ids.slice(0, 5));
    expect(back.total).toBe(expected.total);
  });

  it("starts a descending severity walk among the unranked updates only in the catalog state it found them in", async () => {
    // Definition updates have no MSRC severity: sorted by severity descending (NULLS LAST), the filter's first match
    // lies behind every ranked update, and the next page starts at the unranked ones.
    const query = `site=S02&classification=${DEFINITION_UPDATES}&sort=-severity&pageSize=5`;
    const first = await list(query);
    expect(first.items.every((i) => i.severity === null)).toBe(true);
    expect((await list(query)).items).toEqual(first.items);
    // A matching entry ranked Critical, by a writer that bypasses the sync, in a newer entry version: a new state,
    // where the remembered start (the unranked block) would hide it.
    const [{ version }] = await server.db.prisma.$queryRaw<[{ version: number }]>`
      SELECT max(version)::int AS version FROM site_catalog_entries WHERE site_code = 'S02'`;
    const last = first.items.at(-1)!;
    await server.db.prisma.$executeRaw`
      UPDATE site_catalog_entries SET msrc_severity = 'Critical', severity_rank = 4, version = ${version + 1}
      WHERE site_code = 'S02' AND update_id = ${last.updateId}::uuid`;
    const after = await list(query);
    expect(after.items[0]!.updateId).toBe(last.updateId);
    const expected = await reference("S02", "-severity", { classification: DEFINITION_UPDATES });
    expect(after.total).toBe(expected.total);
  });
});
