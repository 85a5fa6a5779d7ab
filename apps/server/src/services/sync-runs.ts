// Starting, listing and canceling synchronization runs (the API side; the worker side is sync/executor.ts).
import type { StartSyncRequest, SyncRunPage, SyncRunsQuery } from "@syncpoint/contracts";
import { SyncSource } from "@syncpoint/db";
import type { AppContext } from "../context.ts";
import { HttpError, notFound } from "../http/errors.ts";
import type { Principal } from "../http/principal.ts";
import { queueRun } from "../sync/queue-run.ts";
import type { AuditScope } from "./audit.ts";
import { loadRun, publishRun, toRunDto } from "./sync-status.ts";

export async function topLevelSite(ctx: AppContext) {
  const site = await ctx.prisma.site.findFirst({
    where: { parentCode: null },
    include: { sups: { orderBy: { createdAt: "asc" } } },
  });
  if (!site || site.sups.length === 0)
    throw new HttpError(409, "NOT_TOP_LEVEL_SITE", "There is no top-level site with a software update point.");
  return { site, sup: site.sups[0]! };
}

/** Queues a synchronization of the top-level site (Synchronize Software Updates); one active run per site. */
export async function startTopLevelSync(
  ctx: AppContext,
  principal: Principal,
  input: StartSyncRequest,
  audit: AuditScope,
): Promise<{ runId: string }> {
  const { site, sup } = await topLevelSite(ctx);
  audit.target("site", site.code).details({ fullSync: input.fullSync ?? false });
  const settings = await ctx.prisma.supSettings.findUnique({ where: { id: 1 } });
  if (settings?.syncSource === SyncSource.disconnected) {
    throw new HttpError(
      409,
      "SYNC_SOURCE_DISCONNECTED",
      `${site.code} is set to "Do not synchronize from Microsoft Update or upstream data source"; import an export package instead.`,
    );
  }
  const result = await queueRun(ctx, {
    siteCode: site.code,
    supId: sup.id,
    trigger: "manual",
    fullSync: input.fullSync ?? false,
    requestedBy: principal.username,
    catalogVersionBefore: sup.catalogVersion,
  });
  if (!result.queued) throw alreadyActive(site.code, result);
  audit.after({ runId: result.runId });
  return { runId: result.runId };
}

function alreadyActive(siteCode: string, active: { activeRunId?: string; activeState?: string }): HttpError {
  return new HttpError(
    409,
    "SYNC_ALREADY_ACTIVE",
    `A synchronization of ${siteCode} is already ${active.activeState ?? "active"}.`,
    { runId: active.activeRunId },
  );
}

export async function listRuns(ctx: AppContext, query: SyncRunsQuery): Promise<SyncRunPage> {
  const where = query.site ? { siteCode: query.site.toUpperCase() } : {};
  const [total, runs] = await ctx.prisma.$transaction([
    ctx.prisma.syncRun.count({ where }),
    ctx.prisma.syncRun.findMany({
      where,
      include: { sup: { select: { serverName: true } } },
      orderBy: { queuedAt: query.sort === "queuedAt" ? "asc" : "desc" },
      skip: (query.page - 1) * query.pageSize,
      take: query.pageSize,
    }),
  ]);
  return { items: runs.map(toRunDto), total, page: query.page, pageSize: query.pageSize };
}

export async function getRun(ctx: AppContext, runId: string) {
  const run = await loadRun(ctx, runId);
  if (!run) throw notFound("The synchronization run");
  return toRunDto(run);
}

/** Cancels a queued run at once; asks a running one to stop at its next checkpoint (the worker finishes it). */
export async function cancelRun(ctx: AppContext, runId: string, audit: AuditScope) {
  audit.target("sync-run", runId);
  const run = await loadRun(ctx, runId);
  if (!run) throw notFound("The synchronization run");
  audit.before({ state: run.state });
  const queued = await ctx.prisma.syncRun.updateMany({
    where: { id: runId, state: "queued" },
    data: {
      state: "canceled",
      finishedAt: new Date(),
      errorCode: "SYNC_CANCELED",
      errorMessage: "Canceled before it started.",
    },
  });
  if (queued.count === 0) {
    const running = await ctx.prisma.syncRun.updateMany({
      where: { id: runId, state: "running" },
      data: { state: "canceling" },
    });
    if (running.count === 0 && run.state !== "canceling") {
      throw new HttpError(409, "RUN_NOT_ACTIVE", `The run has already ended (${run.state}).`);
    }
  }
  await publishRun(ctx, runId);
  const after = await getRun(ctx, runId);
  audit.after({ state: after.state });
  return after;
}

/** Retries a failed or canceled run: a new run of the same site with trigger `retry` (the same source rules apply). */
export async function retryRun(
  ctx: AppContext,
  runId: string,
  principal: Principal,
  audit: AuditScope,
): Promise<{ runId: string }> {
  audit.target("sync-run", runId);
  const run = await loadRun(ctx, runId);
  if (!run) throw notFound("The synchronization run");
  if (run.state !== "failed" && run.state !== "canceled") {
    throw new HttpError(
      409,
      "RUN_NOT_RETRYABLE",
      `Only a failed or canceled run can be retried; this one is ${run.state}.`,
    );
  }
  const sup = await ctx.prisma.softwareUpdatePoint.findUniqueOrThrow({ where: { id: run.supId } });
  const result = await queueRun(ctx, {
    siteCode: run.siteCode,
    supId: run.supId,
    trigger: "retry",
    fullSync: run.fullSync,
    requestedBy: principal.username,
    catalogVersionBefore: sup.catalogVersion,
    // A failed import of an update package is retried with the same package.
    ...(run.packageId ? { packageId: run.packageId } : {}),
  });
  if (!result.queued) throw alreadyActive(run.siteCode, result);
  audit.after({ runId: result.runId });
  return { runId: result.runId };
}
