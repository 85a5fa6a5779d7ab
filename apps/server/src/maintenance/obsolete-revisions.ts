// WSUS Maintenance, "Remove obsolete update revisions from the database" (domain.md §2, the analog of WSUS's "Remove
// obsolete updates"): after a successful sync of the top-level site, the stored revisions that no site's catalog
// references any more — revisions replaced by newer ones, updates gone from every catalog — are deleted, in batches,
// for at most OBSOLETE_REVISIONS_MAX_MINUTES (ConfigMgr's 30); a pass that runs out of time resumes where it stopped
// after the next sync.
//
// Revisions are stored once for the hierarchy, before any catalog references them: a run stores (or finds stored) the
// revisions it lists and applies them later, in one transaction. So "no catalog references it" is not enough — a run
// in progress may be about to apply exactly that revision. The rule that keeps every such revision:
//  1. A pass first MARKS an unreferenced revision (obsolete_since = the database clock at that moment).
//  2. A run, when it asks which of its revisions are stored (PostgresCatalogStore.storedRevisions), UNMARKS those it
//     finds, in the same transaction. Marking and that step exclude each other (an advisory lock: passes exclusive,
//     runs shared), so a revision a run found stored carries, from then on, either no mark or a mark made after that
//     run was queued.
//  3. A pass DELETES only marked, still unreferenced revisions whose mark is older than the queue time of every other
//     run that may hold revisions: running or canceling ones, and queued ones that ran before (requeued after their
//     worker died). A run queued but never started holds nothing yet: whatever is deleted before it asks is simply
//     not "stored" for it, and it fetches it again. queued_at comes from the API process's clock and the mark from
//     the database's; a minute of margin covers the difference.
// A revision deleted too early could only surface as a catalog entry without its revision; by 1–3 none is.
import { Prisma, type PrismaClient } from "@syncpoint/db";
import { formatDuration } from "@syncpoint/sync";

/** Passes take it exclusively per batch; runs take it shared while they look up which revisions are stored. */
export const REVISION_MAINTENANCE_LOCK = 7_265_120; // arbitrary, next to the seed's

/** The most the API process's clock (queued_at) and the database's (obsolete_since) are assumed to differ. */
const CLOCK_MARGIN = Prisma.sql`interval '1 minute'`;

export interface ObsoleteRevisionsOptions {
  /** The run doing the pass: its apply has committed, it needs nothing more. */
  runId: string;
  batchSize: number;
  /** The time cap of one pass (ms): checked between batches, after at least one. */
  maxMs: number;
  /** Stops the pass between batches (the run was canceled or lost). */
  signal?: AbortSignal;
  log: (text: string, severity?: "info" | "warning") => Promise<void>;
  /** After each batch: the run shows progress, so the run timeout does not end it. */
  onBatch?: () => Promise<void>;
  now?: () => number;
}

export interface ObsoleteRevisionsResult {
  removed: number;
  /** Obsolete, but kept because a run that may still use them was active. A later pass removes them. */
  kept: number;
  /** Every stored revision was looked at; false when the pass stopped at the time cap or a cancel. */
  finished: boolean;
}

interface Cursor {
  updateId: string;
  revisionNumber: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function parseCursor(text: string | null | undefined): Cursor | null {
  const [updateId, revision] = (text ?? "").split(",");
  const revisionNumber = Number(revision);
  return updateId && UUID.test(updateId) && Number.isInteger(revisionNumber) ? { updateId, revisionNumber } : null;
}

export async function removeObsoleteRevisions(
  prisma: PrismaClient,
  options: ObsoleteRevisionsOptions,
): Promise<ObsoleteRevisionsResult> {
  const now = options.now ?? Date.now;
  const started = now();
  const settings = await prisma.supSettings.findUnique({
    where: { id: 1 },
    select: { obsoleteRevisionsResumeAfter: true },
  });
  let cursor = parseCursor(settings?.obsoleteRevisionsResumeAfter);
  await options.log(
    cursor
      ? "Removing obsolete update revisions, resuming where the last pass stopped..."
      : "Removing obsolete update revisions...",
  );

  let removed = 0;
  let kept = 0;
  let finished = false;
  let stop: "time" | "canceled" | undefined;
  for (let batches = 0; ; batches++) {
    if (options.signal?.aborted) {
      stop = "canceled";
      break;
    }
    if (batches > 0 && now() - started >= options.maxMs) {
      stop = "time";
      break;
    }
    const batch = await removeBatch(prisma, options, cursor);
    removed += batch.removed;
    kept += batch.kept;
    if (batch.last) cursor = batch.last;
    await options.onBatch?.();
    if (!batch.full) {
      finished = true;
      break;
    }
  }

  await prisma.supSettings.update({
    where: { id: 1 },
    data: { obsoleteRevisionsResumeAfter: finished || !cursor ? null : `${cursor.updateId},${cursor.revisionNumber}` },
  });
  await options.log(`Removed ${removed} obsolete update revisions total`);
  if (kept > 0) {
    await options.log(
      `Kept ${kept} obsolete update revisions that synchronizations in progress may still need; a later pass removes them`,
    );
  }
  if (stop === "time") {
    await options.log(
      `Stopped removing obsolete update revisions after ${formatDuration((now() - started) / 1000)}, the time limit of a pass; the next synchronization resumes where this one stopped`,
      "warning",
    );
  } else if (stop === "canceled") {
    await options.log("Stopped removing obsolete update revisions: the synchronization was stopped", "warning");
  }
  return { removed, kept, finished };
}

/** One batch of revisions in key order after `cursor`, in one transaction under the exclusive lock. */
async function removeBatch(
  prisma: PrismaClient,
  options: ObsoleteRevisionsOptions,
  cursor: Cursor | null,
): Promise<{ removed: number; kept: number; last: Cursor | undefined; full: boolean }> {
  return prisma.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${REVISION_MAINTENANCE_LOCK})`;
      const after = cursor
        ? Prisma.sql`WHERE (update_id, revision_number) > (${cursor.updateId}::uuid, ${cursor.revisionNumber}::int)`
        : Prisma.empty;
      const keys = await tx.$queryRaw<{ update_id: string; revision_number: number }[]>`
        SELECT update_id::text, revision_number FROM update_revisions ${after}
        ORDER BY update_id, revision_number LIMIT ${options.batchSize}`;
      const last = keys.at(-1);
      const full = keys.length === options.batchSize;
      if (!last) return { removed: 0, kept: 0, last: undefined, full };
      const inBatch = Prisma.sql`
        (r.update_id, r.revision_number) IN (
          SELECT * FROM unnest(${keys.map((k) => k.update_id)}::uuid[], ${keys.map((k) => k.revision_number)}::int[]))`;
      const unreferenced = Prisma.sql`NOT EXISTS (
        SELECT 1 FROM site_catalog_entries e WHERE e.update_id = r.update_id AND e.revision_number = r.revision_number)`;
      // Mark what no catalog references (the database's clock, read now that the lock is held); unmark what a catalog
      // took up again.
      await tx.$executeRaw`
        UPDATE update_revisions r SET obsolete_since = clock_timestamp()
        WHERE ${inBatch} AND r.obsolete_since IS NULL AND ${unreferenced}`;
      await tx.$executeRaw`
        UPDATE update_revisions r SET obsolete_since = NULL
        WHERE ${inBatch} AND r.obsolete_since IS NOT NULL AND NOT ${unreferenced}`;
      // Delete what was marked before every run that may hold revisions was queued (the rule at the top).
      const removed = await tx.$executeRaw`
        DELETE FROM update_revisions r
        WHERE ${inBatch} AND ${unreferenced}
          AND r.obsolete_since < (
            SELECT coalesce(min(queued_at), 'infinity'::timestamptz) - ${CLOCK_MARGIN}
            FROM sync_runs
            WHERE id <> ${options.runId}::uuid
              AND (state IN ('running', 'canceling') OR (state = 'queued' AND resumes > 0)))`;
      const [left] = await tx.$queryRaw<{ kept: number }[]>`
        SELECT count(*)::int AS kept FROM update_revisions r WHERE ${inBatch} AND r.obsolete_since IS NOT NULL`;
      return {
        removed,
        kept: left?.kept ?? 0,
        last: { updateId: last.update_id, revisionNumber: last.revision_number },
        full,
      };
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
}
