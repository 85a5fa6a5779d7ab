// Run and status-row views shared by the REST routes and the socket events (one shape for both, so a console that
// patches its cache from an event shows exactly what a refetch would).
import type { RunPhase, RunTrigger, SupSyncStatusRow, SyncRunDto } from "@syncpoint/contracts";
import type { SoftwareUpdatePoint, SyncRun } from "@syncpoint/db";
import type { AppContext } from "../context.ts";
import { syncSourceName } from "./sync-sources.ts";

export function toRunDto(run: SyncRun & { sup: Pick<SoftwareUpdatePoint, "serverName"> }): SyncRunDto {
  return {
    id: run.id,
    siteCode: run.siteCode,
    supServer: run.sup.serverName,
    trigger: run.trigger as RunTrigger,
    fullSync: run.fullSync,
    state: run.state,
    phase: (run.phase as RunPhase | null) ?? null,
    percent: run.percent,
    processed: run.processed,
    total: run.total,
    etaSeconds: run.etaSeconds,
    waitingReason: run.waitingReason,
    counts: {
      new: run.countNew,
      revised: run.countRevised,
      expired: run.countExpired,
      superseded: run.countSuperseded,
      removed: run.countRemoved,
    },
    errorCode: run.errorCode,
    errorMessage: run.errorMessage,
    requestedBy: run.requestedBy,
    catalogVersionBefore: run.catalogVersionBefore,
    catalogVersionAfter: run.catalogVersionAfter,
    queuedAt: run.queuedAt.toISOString(),
    startedAt: run.startedAt?.toISOString() ?? null,
    finishedAt: run.finishedAt?.toISOString() ?? null,
  };
}

/** SMS_SUPSyncStatus.LastSyncState of a run: 6701 started, 6704 WSUS phase, 6705 site database phase, 6702/6703 done. */
function lastSyncStateId(run: SyncRun | undefined): number | null {
  if (!run) return null;
  switch (run.state) {
    case "succeeded":
      return 6702;
    case "failed":
      return 6703;
    case "queued":
    case "canceled":
      return null;
    default:
      if (!run.phase || run.phase === "authorize") return 6701;
      return ["apply", "supersedence", "commit", "notify"].includes(run.phase) ? 6705 : 6704;
  }
}

export async function supStatusRows(ctx: AppContext, siteCode?: string): Promise<SupSyncStatusRow[]> {
  const [sups, settings] = await Promise.all([
    ctx.prisma.softwareUpdatePoint.findMany({
      where: siteCode ? { siteCode } : {},
      include: { site: true, runs: { orderBy: { queuedAt: "desc" }, take: 1 } },
      orderBy: [{ siteCode: "asc" }, { serverName: "asc" }],
    }),
    ctx.prisma.supSettings.findUnique({ where: { id: 1 } }),
  ]);
  // Finished runs tell the last sync time and error even while a newer run is queued.
  const lastFinished = await ctx.prisma.syncRun.findMany({
    where: { supId: { in: sups.map((s) => s.id) }, finishedAt: { not: null } },
    orderBy: { finishedAt: "desc" },
    distinct: ["supId"],
  });
  const finishedBySup = new Map(lastFinished.map((r) => [r.supId, r]));
  // A child is "behind" (degraded) while its catalog version is below its parent's.
  const versions = new Map<string, number>();
  for (const sup of await ctx.prisma.softwareUpdatePoint.findMany({
    select: { siteCode: true, catalogVersion: true },
  })) {
    versions.set(sup.siteCode, Math.max(versions.get(sup.siteCode) ?? 0, sup.catalogVersion));
  }
  return sups.map((sup) => {
    const run = sup.runs[0];
    const finished = finishedBySup.get(sup.id);
    const topLevel = sup.site.parentCode === null;
    const source = syncSourceName(topLevel && settings ? settings.syncSource : sup.syncSource);
    const sourceUrl =
      source === "microsoft-update"
        ? (ctx.config.MICROSOFT_UPDATE_URL ?? null)
        : source === "upstream-url"
          ? (settings?.upstreamUrl ?? sup.upstreamUrl)
          : null;
    return {
      siteCode: sup.siteCode,
      parentCode: sup.site.parentCode,
      supServer: sup.serverName,
      syncSource: source,
      syncSourceUrl: sourceUrl,
      state: run?.state ?? "never",
      phase: (run?.phase as RunPhase | null) ?? null,
      percent: run?.percent ?? 0,
      processed: run?.processed ?? 0,
      total: run?.total ?? 0,
      etaSeconds: run?.etaSeconds ?? null,
      waitingReason: run?.waitingReason ?? null,
      runId: run?.id ?? null,
      lastSyncStateId: lastSyncStateId(run) ?? lastSyncStateId(finished),
      lastSyncTime: (finished?.finishedAt ?? null)?.toISOString() ?? null,
      lastSuccessfulSyncTime: sup.lastSuccessfulSyncAt?.toISOString() ?? null,
      lastErrorCode: finished?.state === "failed" ? finished.errorCode : null,
      catalogVersion: sup.catalogVersion,
      linkState:
        finished?.state === "failed"
          ? "error"
          : sup.site.parentCode !== null && sup.catalogVersion < (versions.get(sup.site.parentCode) ?? 0)
            ? "degraded"
            : "healthy",
      retryAt: sup.retryAt?.toISOString() ?? null,
    };
  });
}

export async function loadRun(ctx: AppContext, runId: string) {
  return ctx.prisma.syncRun.findUnique({ where: { id: runId }, include: { sup: { select: { serverName: true } } } });
}

/** Pushes the run and its SUP's status row to every console. */
export async function publishRun(ctx: AppContext, runId: string): Promise<void> {
  const run = await loadRun(ctx, runId);
  if (!run) return;
  await ctx.events.syncRun(toRunDto(run));
  const [row] = await supStatusRows(ctx, run.siteCode);
  if (row) await ctx.events.supStatus(row);
}

/** Sends the status row of a site again (its retry time or alert changed without a run event). */
export async function publishSupStatus(ctx: AppContext, siteCode: string): Promise<void> {
  for (const row of await supStatusRows(ctx, siteCode)) await ctx.events.supStatus(row);
}
