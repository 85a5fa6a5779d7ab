// Every run is born here: the run row and its job are written in one transaction, so a run is never queued without
// a job nor a job left without its run; the partial unique index `sync_runs_one_active_per_site` makes "one active
// run per site" hold under any concurrency.
import type { RunTrigger, WaitingReason } from "@syncpoint/contracts";
import { Prisma } from "@syncpoint/db";
import type { AppContext } from "../context.ts";
import { enqueueRun } from "../jobs/queue.ts";
import { publishRun } from "../services/sync-status.ts";

export type QueueRunResult =
  { queued: true; runId: string } | { queued: false; activeRunId: string | undefined; activeState: string | undefined };

const isActiveRunConflict = (error: unknown) =>
  (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") ||
  String((error as Error)?.message).includes("sync_runs_one_active_per_site");

export async function queueRun(
  ctx: AppContext,
  run: {
    siteCode: string;
    supId: string;
    trigger: RunTrigger;
    fullSync?: boolean;
    requestedBy?: string | null;
    catalogVersionBefore: number;
    /** The update package the run applies (a disconnected top-level site). */
    packageId?: string;
  },
): Promise<QueueRunResult> {
  try {
    const runId = await ctx.prisma.$transaction(async (tx) => {
      const created = await tx.syncRun.create({
        data: {
          siteCode: run.siteCode,
          supId: run.supId,
          trigger: run.trigger,
          fullSync: run.fullSync ?? false,
          requestedBy: run.requestedBy ?? null,
          catalogVersionBefore: run.catalogVersionBefore,
          waitingReason: "worker" satisfies WaitingReason,
          ...(run.packageId ? { packageId: run.packageId } : {}),
        },
      });
      await enqueueRun(ctx.queue, created.id, { tx, notify: ctx.prisma });
      // Its `queued` event commits with it, so every console hears of it before a worker can claim it.
      await publishRun(ctx, created.id, tx);
      return created.id;
    });
    return { queued: true, runId };
  } catch (error) {
    if (!isActiveRunConflict(error)) throw error;
    const active = await ctx.prisma.syncRun.findFirst({
      where: { siteCode: run.siteCode, state: { in: ["queued", "running", "canceling"] } },
    });
    return { queued: false, activeRunId: active?.id, activeState: active?.state };
  }
}
