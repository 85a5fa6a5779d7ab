// The hierarchy cascade: when a site's apply commits, each child site gets a run (trigger `parent`) that syncs from
// this site's SUP endpoint — secondaries after their primary, since a primary notifies its own children when it
// commits. Several parent commits coalesce: a child with a queued run needs no other, and a child already running
// is asked to sync once more when it ends.
import { Prisma } from "@syncpoint/db";
import type { AppContext } from "../context.ts";
import { enqueueRun } from "../jobs/queue.ts";
import { publishRun } from "../services/sync-status.ts";

const isActiveRunConflict = (error: unknown) =>
  (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") ||
  String((error as Error)?.message).includes("sync_runs_one_active_per_site");

/** Queues a `parent` run for a site unless one is queued; flags a running one for another pass. */
export async function queueParentRun(ctx: AppContext, siteCode: string): Promise<"queued" | "coalesced" | "flagged"> {
  const sup = await ctx.prisma.softwareUpdatePoint.findFirstOrThrow({
    where: { siteCode },
    orderBy: { createdAt: "asc" },
  });
  try {
    const runId = await ctx.prisma.$transaction(async (tx) => {
      const run = await tx.syncRun.create({
        data: { siteCode, supId: sup.id, trigger: "parent", fullSync: false, catalogVersionBefore: sup.catalogVersion },
      });
      await enqueueRun(ctx.queue, run.id, { tx, notify: ctx.prisma });
      return run.id;
    });
    await publishRun(ctx, runId);
    return "queued";
  } catch (error) {
    if (!isActiveRunConflict(error)) throw error;
    const active = await ctx.prisma.syncRun.findFirst({
      where: { siteCode, state: { in: ["queued", "running", "canceling"] } },
    });
    if (active?.state === "queued") return "coalesced";
    await ctx.prisma.softwareUpdatePoint.update({ where: { id: sup.id }, data: { resyncRequested: true } });
    return "flagged";
  }
}

/** The child sites of a site, in code order. */
export async function childSites(ctx: AppContext, siteCode: string): Promise<string[]> {
  const children = await ctx.prisma.site.findMany({
    where: { parentCode: siteCode },
    orderBy: { code: "asc" },
    select: { code: true },
  });
  return children.map((c) => c.code);
}
