// Supersedence Rules and Maximum Run Time (sync-engine issue): superseded updates expire after N months counted from
// the superseding update's creation date, or at once; definition updates never; Maximum Run Time is given to newly
// synced updates only.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "./harness.ts";
import { readJson, syncAndWait, type TestServer, startSyncTestbed, type SyncTestbed } from "./harness.ts";
import type { UpstreamProcess } from "./upstream-process.ts";

let upstream: UpstreamProcess;
let server: TestServer;
let admin: Browser;
let testbed: SyncTestbed | undefined;

beforeAll(async () => {
  testbed = await startSyncTestbed({ upstreamEnv: { UPSTREAM_UPDATES: "3200" } });
  ({ upstream, server, admin } = testbed);
});
afterAll(() => testbed?.stop());

async function sync(body: Record<string, unknown> = {}) {
  const { run } = await syncAndWait(admin, body);
  expect(run.state).toBe("succeeded");
  return run;
}

/** Each superseded entry with the creation date of the earliest update in the catalog superseding it. */
async function supersededEntries() {
  return server.db.prisma.$queryRaw<{ update_id: string; is_expired: boolean; since: Date; definition: boolean }[]>`
    SELECT e.update_id::text, e.is_expired, min(sr.creation_date) AS since,
           bool_or(r.classification_ids && ARRAY['e0789628-ce08-4437-be74-2495b842f43b']::uuid[]) AS definition
    FROM site_catalog_entries e
    JOIN update_revisions r ON r.update_id = e.update_id AND r.revision_number = e.revision_number
    JOIN site_catalog_entries so ON so.site_code = e.site_code
    JOIN update_revisions sr ON sr.update_id = so.update_id AND sr.revision_number = so.revision_number AND e.update_id = ANY(sr.superseded_update_ids)
    WHERE e.site_code = 'CAS' AND e.is_superseded
    GROUP BY e.update_id, e.is_expired`;
}

describe("Supersedence Rules", () => {
  it("expires superseded updates N months after the superseding update was created, never definitions", async () => {
    // The generated catalog ends in October 2026: N reaches back to August 2026 from today, whenever today is.
    const now = new Date();
    const months = (now.getUTCFullYear() - 2026) * 12 + (now.getUTCMonth() - 7);
    await server.db.prisma.supSettings.update({
      where: { id: 1 },
      data: {
        supersedenceMonths: months,
        products: { push: "8c3fcc84-7410-4a95-8b89-a166a0190486" },
        classifications: { push: "e0789628-ce08-4437-be74-2495b842f43b" },
      },
    });
    const run = await sync();
    expect(run.counts.superseded).toBeGreaterThan(0);
    const entries = await supersededEntries();
    const threshold = new Date(now);
    threshold.setUTCMonth(threshold.getUTCMonth() - months);
    const recent = entries.filter((e) => e.since > threshold && !e.definition);
    const old = entries.filter((e) => e.since <= threshold && !e.definition);
    const definitions = entries.filter((e) => e.definition);
    expect(recent.length).toBeGreaterThan(0);
    expect(old.length).toBeGreaterThan(0);
    expect(definitions.length).toBeGreaterThan(0);
    expect(recent.every((e) => !e.is_expired)).toBe(true);
    expect(old.every((e) => e.is_expired)).toBe(true);
    expect(definitions.every((e) => !e.is_expired)).toBe(true);
    // The console's filter agrees.
    const expired = await readJson(await admin.request("GET", "/api/software-updates?expired=true&pageSize=1"));
    expect(expired.total).toBe(old.length);
  });

  it("records when each superseded update's months start, and a delta sync expires those whose months ran out since", async () => {
    const recorded = async () =>
      new Map(
        (
          await server.db.prisma.$queryRaw<{ update_id: string; since: string }[]>`
            SELECT update_id::text, superseded_since::text AS since FROM site_catalog_entries
            WHERE site_code = 'CAS' AND is_superseded`
        ).map((r) => [r.update_id, r.since]),
      );
    const before = await supersededEntries();
    const stored = await recorded();
    expect(stored.size).toBe(before.length);
    for (const e of before) {
      // The earliest superseding creation date; definitions never expire under the rules ('infinity').
      if (e.definition) expect(stored.get(e.update_id)).toBe("infinity");
      else expect(new Date(stored.get(e.update_id)!).getTime()).toBe(e.since.getTime());
    }

    // Fewer months, nothing new upstream: a delta sync (the selection unchanged) re-decides only the entries whose
    // months may have run out, and expires them.
    const settings = await server.db.prisma.supSettings.findUniqueOrThrow({ where: { id: 1 } });
    const months = Math.max(1, settings.supersedenceMonths - 1);
    await server.db.prisma.supSettings.update({ where: { id: 1 }, data: { supersedenceMonths: months } });
    const run = await sync();
    expect(run.fullSync).toBe(false);
    const threshold = new Date();
    threshold.setUTCMonth(threshold.getUTCMonth() - months);
    const after = await supersededEntries();
    const due = after.filter((e) => !e.definition && e.since <= threshold);
    const newlyDue = due.filter((e) => !before.find((b) => b.update_id === e.update_id)?.is_expired);
    expect(newlyDue.length).toBeGreaterThan(0);
    expect(run.counts.expired).toBe(newlyDue.length);
    expect(due.every((e) => e.is_expired)).toBe(true);
    expect(after.filter((e) => !e.definition && e.since > threshold).every((e) => !e.is_expired)).toBe(true);
    expect(after.filter((e) => e.definition).every((e) => !e.is_expired)).toBe(true);
  });

  it("expires every superseded update (but definitions) at once when so set, on the next sync", async () => {
    await server.db.prisma.supSettings.update({ where: { id: 1 }, data: { supersedenceExpireImmediately: true } });
    const run = await sync({ fullSync: true });
    const entries = await supersededEntries();
    expect(entries.filter((e) => !e.definition).every((e) => e.is_expired)).toBe(true);
    expect(entries.filter((e) => e.definition).every((e) => !e.is_expired)).toBe(true);
    expect(run.counts.expired).toBeGreaterThan(0);
  });
});

describe("Maximum Run Time", () => {
  it("is stored on newly synced updates: Windows 60 minutes by default, others 60; a change applies to new ones only", async () => {
    const cu = await server.db.prisma.updateRevision.findFirstOrThrow({
      where: { title: { contains: "Cumulative Update for Windows 11" } },
    });
    expect(cu.maxRunTimeMinutes).toBe(60);
    await server.db.prisma.supSettings.update({ where: { id: 1 }, data: { nonFeatureUpdateMaxRunTimeMinutes: 90 } });
    await upstream.admin("POST", "/admin/advance", { periods: 1 });
    await sync();
    expect(
      (
        await server.db.prisma.updateRevision.findFirstOrThrow({
          where: { updateId: cu.updateId, revisionNumber: cu.revisionNumber },
        })
      ).maxRunTimeMinutes,
    ).toBe(60);
    const fresh = await server.db.prisma.updateRevision.findFirstOrThrow({
      where: { title: { startsWith: "2026-11 Cumulative Update for Windows 11" } },
    });
    expect(fresh.maxRunTimeMinutes).toBe(90);
    const listed = await readJson(
      await admin.request("GET", `/api/software-updates?search=${encodeURIComponent(fresh.title)}`),
    );
    expect(listed.items[0].maxRunTimeMinutes).toBe(90);
  });
});
