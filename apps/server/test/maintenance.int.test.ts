// WSUS Maintenance (component properties issue): "Remove obsolete update revisions from the database" after each
// successful sync of the top-level site. Off, obsolete revisions stay; on, the revisions no site's catalog references
// go and every current one stays (digests unchanged), with wsyncmgr-style log lines; revisions a run in progress may
// still apply are kept until it ends; a pass stops at its time limit and the next sync resumes it.
import { DEFAULT_SUP_SETTINGS } from "../src/services/seed.ts";
import { INLINE_LIST_MAX, PostgresCatalogStore } from "../src/sync/catalog-store.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readJson, syncAndWait, startSyncTestbed, type SyncTestbed } from "./harness.ts";
import { waitFor } from "./processes.ts";

let testbed: SyncTestbed;
const SITES = ["CAS", "P01", "P02", "S01", "S02"];
const filter = `products=${DEFAULT_SUP_SETTINGS.products.join(",")}&classifications=${DEFAULT_SUP_SETTINGS.classifications.join(",")}`;

beforeAll(async () => {
  testbed = await startSyncTestbed({ upstreamEnv: { UPSTREAM_UPDATES: "1000" } });
});
afterAll(() => testbed?.stop());

const prisma = () => testbed.server.db.prisma;
const ACTIVE = ["queued", "running", "canceling"] as const;

/** Runs this test wrote itself: they stay "active" until it ends them. */
const fakeRuns = new Set<string>();

/** A top-level sync, then until the cascade has brought every child to it (no real run active three times in a row). */
async function syncHierarchy() {
  const result = await syncAndWait(testbed.admin);
  expect(result.run.state).toBe("succeeded");
  let idle = 0;
  await waitFor(
    async () => {
      const active = await prisma().syncRun.count({
        where: { state: { in: [...ACTIVE] }, id: { notIn: [...fakeRuns] } },
      });
      idle = active === 0 ? idle + 1 : 0;
      return idle >= 3;
    },
    60_000,
    "the cascade to end",
  );
  return result;
}

/** Stored revisions that no site's catalog references. */
async function obsoleteRevisions(): Promise<string[]> {
  const rows = await prisma().$queryRaw<{ key: string }[]>`
    SELECT r.update_id::text || ',' || r.revision_number AS key FROM update_revisions r
    WHERE NOT EXISTS (SELECT 1 FROM site_catalog_entries e
                      WHERE e.update_id = r.update_id AND e.revision_number = r.revision_number)
    ORDER BY r.update_id, r.revision_number`;
  return rows.map((r) => r.key);
}

/** Catalog entries whose revision is not stored: must never happen. */
async function entriesWithoutRevision(): Promise<number> {
  const [row] = await prisma().$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM site_catalog_entries e
    WHERE NOT EXISTS (SELECT 1 FROM update_revisions r
                      WHERE r.update_id = e.update_id AND r.revision_number = e.revision_number)`;
  return row?.n ?? -1;
}

const digests = () =>
  Promise.all(
    SITES.map(async (site) =>
      readJson(await testbed.admin.request("GET", `/api/sites/${site}/catalog/digest?${filter}`)),
    ),
  );

const setRemoveObsolete = async (on: boolean) => {
  const response = await testbed.admin.request("PUT", "/api/sup-settings", {
    maintenance: { removeObsoleteRevisions: on },
  });
  expect(response.status).toBe(200);
  expect((await readJson(response)).maintenance).toEqual({ removeObsoleteRevisions: on });
};

/** A run of another site that is in progress (or not), written directly: the pass must respect it. */
async function fakeRun(siteCode: string, state: "running" | "queued", queuedAt: Date, resumes = 0) {
  const sup = await prisma().softwareUpdatePoint.findFirstOrThrow({ where: { siteCode } });
  const run = await prisma().syncRun.create({
    data: {
      siteCode,
      supId: sup.id,
      trigger: "parent",
      state,
      queuedAt,
      resumes,
      ...(state === "running" ? { startedAt: queuedAt } : {}),
    },
  });
  fakeRuns.add(run.id);
  return run;
}
const endRun = (id: string) =>
  prisma().syncRun.update({ where: { id }, data: { state: "succeeded", finishedAt: new Date() } });

describe("WSUS Maintenance: remove obsolete update revisions", () => {
  it("is off by default, and off, revisions replaced at every site stay stored", async () => {
    expect((await readJson(await testbed.admin.request("GET", "/api/sup-settings"))).maintenance).toEqual({
      removeObsoleteRevisions: false,
    });
    await syncHierarchy();
    expect(await obsoleteRevisions()).toEqual([]);

    // New revisions replace old ones (revised and expired updates); once every site has synced, the old ones are
    // referenced by no catalog.
    await testbed.upstream.admin("POST", "/admin/advance", { periods: 2 });
    await syncHierarchy();
    const obsolete = await obsoleteRevisions();
    expect(obsolete.length).toBeGreaterThan(3);

    const again = await syncHierarchy();
    expect(again.log).not.toContain("obsolete update revisions");
    expect(await obsoleteRevisions()).toEqual(obsolete);
  });

  it("on, the next top-level sync removes them, keeps every current revision, and logs it", async () => {
    const obsolete = await obsoleteRevisions();
    const before = await digests();
    const current = await prisma().siteCatalogEntry.count();
    await setRemoveObsolete(true);

    const { run, log } = await syncHierarchy();
    expect(log).toContain("Removing obsolete update revisions...");
    expect(log).toContain(`Removed ${obsolete.length} obsolete update revisions total`);
    // After the sync is done and before the children are told to sync.
    expect(log.indexOf("Removing obsolete update revisions...")).toBeGreaterThan(log.indexOf("Sync time:"));
    expect(log.indexOf(" obsolete update revisions total")).toBeLessThan(
      log.indexOf("Sending sync notification to child site(s)"),
    );
    expect(run.state).toBe("succeeded");

    expect(await obsoleteRevisions()).toEqual([]);
    const remaining = await prisma().updateRevision.count();
    const gone = await prisma().$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM update_revisions
      WHERE update_id::text || ',' || revision_number = ANY(${obsolete}::text[])`;
    expect(gone[0]!.n).toBe(0);
    expect(remaining).toBeGreaterThan(0);
    expect(await entriesWithoutRevision()).toBe(0);
    expect(await prisma().siteCatalogEntry.count()).toBe(current);
    expect(await digests()).toEqual(before);
    // Only the top-level site runs the pass: the revisions are the hierarchy's, not a child's.
    const childRuns = await prisma().syncRun.findMany({ where: { siteCode: { not: "CAS" } }, select: { id: true } });
    const childLines = await prisma().syncLogLine.count({
      where: { runId: { in: childRuns.map((r) => r.id) }, text: { contains: "obsolete update revisions" } },
    });
    expect(childLines).toBe(0);

    // Nothing left to do: the next pass removes nothing.
    const quiet = await syncHierarchy();
    expect(quiet.log).toContain("Removed 0 obsolete update revisions total");
  });

  it("keeps what a run in progress may still apply, and removes it once that run has ended", async () => {
    await testbed.upstream.admin("POST", "/admin/advance", { periods: 1 });
    await syncHierarchy(); // the children still used the replaced revisions during the pass: nothing to remove yet
    const obsolete = await obsoleteRevisions();
    expect(obsolete.length).toBeGreaterThan(0);

    // A P01 run was already running: it may have found any of these stored and be about to apply them.
    const running = await fakeRun("P01", "running", new Date(Date.now() - 10 * 60_000));
    const kept = await syncHierarchy();
    expect(kept.log).toContain("Removed 0 obsolete update revisions total");
    expect(kept.log).toContain(
      `Kept ${obsolete.length} obsolete update revisions that synchronizations in progress may still need`,
    );
    expect(await obsoleteRevisions()).toEqual(obsolete);
    await endRun(running.id);

    // A run queued but never started holds nothing yet (it asks which revisions are stored when it runs).
    const waiting = await fakeRun("P02", "queued", new Date(Date.now() - 10 * 60_000));
    const removed = await syncHierarchy();
    expect(removed.log).toContain(`Removed ${obsolete.length} obsolete update revisions total`);
    expect(await obsoleteRevisions()).toEqual([]);
    expect(await entriesWithoutRevision()).toBe(0);
    await endRun(waiting.id);
  });

  it("a revision a run found stored is unmarked, so an older mark cannot delete it under that run", async () => {
    await testbed.upstream.admin("POST", "/admin/advance", { periods: 1 });
    await syncHierarchy();
    const [first, ...others] = await obsoleteRevisions();
    expect(first).toBeDefined();
    const [updateId, revision] = first!.split(",");
    const identity = { updateId: updateId!, revisionNumber: Number(revision) };
    // Marked long ago by some pass (while a requeued run was waiting), found stored by a run queued an hour ago.
    await prisma().$executeRaw`
      UPDATE update_revisions SET obsolete_since = now() - interval '1 day'
      WHERE update_id::text || ',' || revision_number = ANY(${[first!, ...others]}::text[])`;
    const resumed = await fakeRun("S01", "queued", new Date(Date.now() - 3_600_000), 1);
    const sup = await prisma().softwareUpdatePoint.findFirstOrThrow({ where: { siteCode: "S01" } });
    const store = new PostgresCatalogStore(prisma(), testbed.server.ctx.pool, { code: "S01", supId: sup.id });
    expect(await store.storedRevisions([identity])).toEqual(new Set([first]));
    const row = await prisma().updateRevision.findUniqueOrThrow({
      where: { updateId_revisionNumber: { updateId: identity.updateId, revisionNumber: identity.revisionNumber } },
    });
    expect(row.obsoleteSince).toBeNull();

    const { log } = await syncHierarchy();
    // The others carry the day-old mark, older than the waiting run: they go. The one it found stays.
    expect(log).toContain(`Removed ${others.length} obsolete update revisions total`);
    expect(log).toContain("Kept 1 obsolete update revisions that synchronizations in progress may still need");
    expect(await obsoleteRevisions()).toEqual([first]);

    await endRun(resumed.id);
    const after = await syncHierarchy();
    expect(after.log).toContain("Removed 1 obsolete update revisions total");
    expect(await obsoleteRevisions()).toEqual([]);
    expect(await entriesWithoutRevision()).toBe(0);
  });

  it("finds and unmarks stored revisions alike in a short list (one round trip) and a long one (parameters)", async () => {
    const stored = await prisma().$queryRaw<{ id: string; rev: number }[]>`
      SELECT update_id::text AS id, revision_number AS rev FROM update_revisions ORDER BY update_id LIMIT 40`;
    const [category] = await prisma().category.findMany({ take: 1 });
    const known = [
      ...stored.map((r) => ({ updateId: r.id, revisionNumber: r.rev })),
      { updateId: category!.id, revisionNumber: category!.revisionNumber },
    ];
    const unknown = (n: number) =>
      Array.from({ length: n }, (_, i) => ({
        updateId: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
        revisionNumber: 1,
      }));
    const expected = new Set(known.map((k) => `${k.updateId},${k.revisionNumber}`));
    const sup = await prisma().softwareUpdatePoint.findFirstOrThrow({ where: { siteCode: "CAS" } });
    const store = new PostgresCatalogStore(prisma(), testbed.server.ctx.pool, { code: "CAS", supId: sup.id });
    for (const list of [
      [...known, ...unknown(10)],
      [...unknown(INLINE_LIST_MAX), ...known],
    ]) {
      await prisma().$executeRaw`
        UPDATE update_revisions SET obsolete_since = now() WHERE update_id = ${stored[0]!.id}::uuid`;
      expect(await store.storedRevisions(list)).toEqual(expected);
      const marked = await prisma().updateRevision.count({
        where: { updateId: stored[0]!.id, obsoleteSince: { not: null } },
      });
      expect(marked).toBe(0);
    }
  });

  it("stops at its time limit and the next sync resumes where it stopped", async () => {
    await testbed.upstream.admin("POST", "/admin/advance", { periods: 4 });
    await syncHierarchy();
    const obsolete = await obsoleteRevisions();
    const total = await prisma().updateRevision.count();
    expect(obsolete.length).toBeGreaterThan(3);
    const config = testbed.server.ctx.config;
    const saved = { batch: config.OBSOLETE_REVISIONS_BATCH, minutes: config.OBSOLETE_REVISIONS_MAX_MINUTES };
    // Batches of a tenth of the revisions and a limit of a millisecond: one batch per pass.
    const batch = Math.ceil(total / 10);
    config.OBSOLETE_REVISIONS_BATCH = batch;
    config.OBSOLETE_REVISIONS_MAX_MINUTES = 1 / 60_000;
    try {
      const first = await syncHierarchy();
      expect(first.log).toContain("Removing obsolete update revisions...");
      expect(first.log).toMatch(
        /Stopped removing obsolete update revisions after \d\d:\d\d:\d\d, the time limit of a pass; the next synchronization resumes where this one stopped/,
      );
      const cursor = (await prisma().supSettings.findUniqueOrThrow({ where: { id: 1 } })).obsoleteRevisionsResumeAfter;
      expect(cursor).toMatch(/^[0-9a-f-]{36},\d+$/);
      // Exactly the obsolete revisions of the first batch (in key order) went.
      const firstBatch = await prisma().$queryRaw<{ key: string }[]>`
        SELECT key FROM unnest(${obsolete}::text[]) AS o(key)
        WHERE (split_part(key, ',', 1)::uuid, split_part(key, ',', 2)::int) <=
              (split_part(${cursor}, ',', 1)::uuid, split_part(${cursor}, ',', 2)::int)`;
      const left = obsolete.filter((k) => !firstBatch.some((b) => b.key === k));
      expect(left.length).toBeGreaterThan(0);
      expect(await obsoleteRevisions()).toEqual(left);

      const second = await syncHierarchy();
      expect(second.log).toContain("Removing obsolete update revisions, resuming where the last pass stopped...");
      const next = (await prisma().supSettings.findUniqueOrThrow({ where: { id: 1 } })).obsoleteRevisionsResumeAfter;
      expect(next! > cursor!).toBe(true);
    } finally {
      config.OBSOLETE_REVISIONS_BATCH = saved.batch;
      config.OBSOLETE_REVISIONS_MAX_MINUTES = saved.minutes;
    }
    // Without the limit the pass goes on from there to the end, and starts from the beginning next time.
    const last = await syncHierarchy();
    expect(last.log).toContain("Removing obsolete update revisions, resuming where the last pass stopped...");
    expect(last.log).not.toContain("Stopped removing obsolete update revisions");
    expect(await obsoleteRevisions()).toEqual([]);
    expect(
      (await prisma().supSettings.findUniqueOrThrow({ where: { id: 1 } })).obsoleteRevisionsResumeAfter,
    ).toBeNull();
    expect(await entriesWithoutRevision()).toBe(0);
  });
});
