// Run and status-row views shared by the REST routes and the socket events (one shape for both, so a console that
// patches its cache from an event shows exactly what a refetch would).
import type {
  RunPhase,
  RunState,
  RunTrigger,
  SupStatusSummary,
  SupSyncStatusList,
  SupSyncStatusQuery,
  SupSyncStatusRow,
  SyncRunDto,
  SyncSource as SyncSourceName,
  WaitingReason,
} from "@syncpoint/contracts";
import { Prisma, type SoftwareUpdatePoint, type SyncRun } from "@syncpoint/db";
import type { AppContext } from "../context.ts";
import { prismaSql } from "../realtime/events.ts";
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
    packageId: run.packageId,
    queuedAt: run.queuedAt.toISOString(),
    startedAt: run.startedAt?.toISOString() ?? null,
    finishedAt: run.finishedAt?.toISOString() ?? null,
  };
}

/** SMS_SUPSyncStatus.LastSyncState of a run: 6701 started, 6704 WSUS phase, 6705 site database phase, 6702/6703 done. */
function lastSyncStateId(run: { state: RunState; phase: string | null } | undefined): number | null {
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

interface StatusSqlRow {
  site_code: string;
  parent_code: string | null;
  server_name: string;
  /** The database's enum label, which is the contracts' name (`microsoft-update`, `parent`, …). */
  sync_source: SyncSourceName;
  upstream_url: string | null;
  catalog_version: number;
  last_successful_sync_at: Date | null;
  retry_at: Date | null;
  run_id: string | null;
  run_state: RunState | null;
  run_phase: string | null;
  run_percent: number | null;
  run_processed: number | null;
  run_total: number | null;
  run_eta_seconds: number | null;
  run_waiting_reason: string | null;
  finished_state: RunState | null;
  finished_phase: string | null;
  finished_at: Date | null;
  finished_error_code: string | null;
  parent_version: number | null;
}

/**
 * The status rows, in one statement: the latest run and the latest finished run of each SUP come from lateral
 * lookups on the (site_code, queued_at) index, so the cost follows the number of SUPs, not of runs — the Prisma
 * include it replaces read every retained run of every SUP (seconds for a 6 276-site hierarchy).
 */
export async function supStatusRows(ctx: AppContext, siteCode?: string): Promise<SupSyncStatusRow[]> {
  const [rows, settings, heartbeat] = await Promise.all([
    ctx.prisma.$queryRaw<StatusSqlRow[]>`
      SELECT p.site_code, s.parent_code, p.server_name, p.sync_source::text AS sync_source, p.upstream_url,
             p.catalog_version, p.last_successful_sync_at, p.retry_at,
             lr.id::text AS run_id, lr.state::text AS run_state, lr.phase AS run_phase, lr.percent AS run_percent,
             lr.processed AS run_processed, lr.total AS run_total, lr.eta_seconds AS run_eta_seconds,
             lr.waiting_reason AS run_waiting_reason,
             lf.state::text AS finished_state, lf.phase AS finished_phase, lf.finished_at,
             lf.error_code AS finished_error_code,
             pv.version AS parent_version
      FROM software_update_points p
      JOIN sites s ON s.code = p.site_code
      LEFT JOIN LATERAL (
        SELECT r.id, r.state, r.phase, r.percent, r.processed, r.total, r.eta_seconds, r.waiting_reason
        FROM sync_runs r WHERE r.site_code = p.site_code AND r.sup_id = p.id
        ORDER BY r.queued_at DESC LIMIT 1
      ) lr ON true
      -- Finished runs tell the last sync time and error even while a newer run is queued.
      LEFT JOIN LATERAL (
        SELECT r.state, r.phase, r.finished_at, r.error_code
        FROM sync_runs r WHERE r.site_code = p.site_code AND r.sup_id = p.id AND r.finished_at IS NOT NULL
        ORDER BY r.finished_at DESC LIMIT 1
      ) lf ON true
      -- A child is "behind" (degraded) while its catalog version is below its parent's.
      LEFT JOIN LATERAL (
        SELECT max(pp.catalog_version) AS version FROM software_update_points pp WHERE pp.site_code = s.parent_code
      ) pv ON true
      ${siteCode ? Prisma.sql`WHERE p.site_code = ${siteCode}` : Prisma.empty}
      ORDER BY p.site_code ASC, p.server_name ASC`,
    ctx.prisma.supSettings.findUnique({ where: { id: 1 } }),
    ctx.prisma.workerHeartbeat.findFirst({ orderBy: { lastBeatAt: "desc" }, select: { lastBeatAt: true } }),
  ]);
  // A queued run waits in vain while no worker is alive: say so, rather than "waiting for a worker" forever.
  const workerAlive =
    heartbeat !== null && Date.now() - heartbeat.lastBeatAt.getTime() <= ctx.config.HEALTH_HEARTBEAT_MAX_AGE_MS;
  return rows.map((sup) => {
    const run = sup.run_state ? { state: sup.run_state, phase: sup.run_phase } : undefined;
    const finished = sup.finished_state ? { state: sup.finished_state, phase: sup.finished_phase } : undefined;
    const topLevel = sup.parent_code === null;
    const source = topLevel && settings ? syncSourceName(settings.syncSource) : sup.sync_source;
    const sourceUrl =
      source === "microsoft-update"
        ? (ctx.config.MICROSOFT_UPDATE_URL ?? null)
        : source === "upstream-url"
          ? (settings?.upstreamUrl ?? sup.upstream_url)
          : null;
    return {
      siteCode: sup.site_code,
      parentCode: sup.parent_code,
      supServer: sup.server_name,
      syncSource: source,
      syncSourceUrl: sourceUrl,
      state: sup.run_state ?? "never",
      phase: (sup.run_phase as RunPhase | null) ?? null,
      percent: sup.run_percent ?? 0,
      processed: sup.run_processed ?? 0,
      total: sup.run_total ?? 0,
      etaSeconds: sup.run_eta_seconds ?? null,
      waitingReason:
        sup.run_state === "queued" && !workerAlive
          ? ("no-worker" satisfies WaitingReason)
          : (sup.run_waiting_reason ?? null),
      runId: sup.run_id ?? null,
      lastSyncStateId: lastSyncStateId(run) ?? lastSyncStateId(finished),
      lastSyncTime: sup.finished_at?.toISOString() ?? null,
      lastSuccessfulSyncTime: sup.last_successful_sync_at?.toISOString() ?? null,
      lastErrorCode: sup.finished_state === "failed" ? sup.finished_error_code : null,
      catalogVersion: sup.catalog_version,
      linkState:
        sup.finished_state === "failed"
          ? "error"
          : sup.parent_code !== null && sup.catalog_version < (sup.parent_version ?? 0)
            ? "degraded"
            : "healthy",
      retryAt: sup.retry_at?.toISOString() ?? null,
    };
  });
}

/** Which summary tile a row counts in (see SupStatusSummary: the first that applies). */
function summaryBucket(row: SupSyncStatusRow): keyof SupStatusSummary {
  if (row.state === "queued" || row.state === "running" || row.state === "canceling") return "inProgress";
  if (row.state === "failed") return "failed";
  if (row.state === "never") return "never";
  return row.linkState === "degraded" ? "behind" : "inSync";
}

/**
 * `GET /api/sup-sync-status`: the rows matching the filters and the summary of the whole hierarchy. Both come from
 * one read of every row (one statement, milliseconds even for 6 276 sites), so the tiles and the table agree.
 */
export async function supStatusList(ctx: AppContext, query: SupSyncStatusQuery): Promise<SupSyncStatusList> {
  const rows = await supStatusRows(ctx);
  const summary: SupStatusSummary = { inSync: 0, inProgress: 0, failed: 0, behind: 0, never: 0 };
  for (const row of rows) summary[summaryBucket(row)] += 1;
  const search = query.search?.toLowerCase();
  const items = rows.filter(
    (row) =>
      (query.state === undefined || row.state === query.state) &&
      (query.parent === undefined || row.parentCode === query.parent) &&
      (!search || row.siteCode.toLowerCase().startsWith(search) || row.supServer.toLowerCase().startsWith(search)),
  );
  return { items, summary };
}

export async function loadRun(ctx: AppContext, runId: string) {
  return ctx.prisma.syncRun.findUnique({ where: { id: runId }, include: { sup: { select: { serverName: true } } } });
}

/** Advisory-lock class of event publishing (two-int keys: distinct from the single-key seed and migration locks). */
const PUBLISH_LOCK = 7_265_111;

/**
 * Pushes the run and its SUP's status row to every console. One transaction under a per-site lock: the run is read
 * after the site's previous publication committed, its `seq` is taken, and the notifications are delivered at commit,
 * so consoles receive a site's events in `seq` order and never an older state after a newer one (realtime/events.ts).
 * `tx`: publish inside the caller's transaction — the event then commits with the change it describes (a new run's
 * `queued`, before any worker can see its job).
 */
export async function publishRun(ctx: AppContext, runId: string, tx?: Prisma.TransactionClient): Promise<void> {
  if (!tx) {
    await ctx.prisma.$transaction((t) => publishRun(ctx, runId, t), { maxWait: 10_000, timeout: 15_000 });
    return;
  }
  await tx.$executeRaw`
    SELECT pg_advisory_xact_lock(${PUBLISH_LOCK}::int, hashtext(site_code)) FROM sync_runs WHERE id = ${runId}::uuid`;
  const inTx = { ...ctx, prisma: tx as unknown as AppContext["prisma"] };
  const run = await loadRun(inTx, runId);
  if (!run) return;
  const via = prismaSql(tx);
  await ctx.events.syncRun(toRunDto(run), via);
  const [row] = await supStatusRows(inTx, run.siteCode);
  if (row) await ctx.events.supStatus(row, via);
}

/** Sends the status row of a site again (its retry time or alert changed without a run event). */
export async function publishSupStatus(ctx: AppContext, siteCode: string): Promise<void> {
  for (const row of await supStatusRows(ctx, siteCode)) await ctx.events.supStatus(row);
}
