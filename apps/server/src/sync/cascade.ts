// The hierarchy cascade: when a site's apply commits, each child site gets a run (trigger `parent`) that syncs from
// this site's SUP endpoint — secondaries after their primary, since a primary notifies its own children when it
// commits. Several parent commits coalesce: a child with a queued run needs no other, and a child already running
// is asked to sync once more when it ends.
import type { AppContext } from "../context.ts";
import { queueRun } from "./queue-run.ts";

/** Queues a `parent` run for a site unless one is queued; flags a running one for another pass. */
export async function queueParentRun(ctx: AppContext, siteCode: string): Promise<"queued" | "coalesced" | "flagged"> {
  const sup = await ctx.prisma.softwareUpdatePoint.findFirstOrThrow({
    where: { siteCode },
    orderBy: { createdAt: "asc" },
  });
  const result = await queueRun(ctx, {
    siteCode,
    supId: sup.id,
    trigger: "parent",
    catalogVersionBefore: sup.catalogVersion,
  });
  if (result.queued) return "queued";
  if (result.activeState === "queued") return "coalesced";
  await ctx.prisma.softwareUpdatePoint.update({ where: { id: sup.id }, data: { resyncRequested: true } });
  return "flagged";
}

/** The child sites of a site, in code order (every run asks, hence `pg` directly). */
export async function childSites(ctx: AppContext, siteCode: string): Promise<string[]> {
  const { rows } = await ctx.pool.query<{ code: string }>(
    "SELECT code FROM sites WHERE parent_code = $1 ORDER BY code",
    [siteCode],
  );
  return rows.map((c) => c.code);
}
