// Run and status-row views shared by the REST routes and the socket events (one shape for both, so a console that
// patches its cache from an event shows exactly what a refetch would).
import {
  STATUS_ROOM,
  type RunPhase,
  type RunState,
  type RunTrigger,
  type SupStatusSummary,
  type SupSyncStatusList,
  type SupSyncStatusQuery,
  type SupSyncStatusRow,
  type SyncRunDto,
  type SyncSource as SyncSourceName,
  type WaitingReason,
} from "@syncpoint/contracts";
import type { Prisma, SoftwareUpdatePoint, SyncRun } from "@syncpoint/db";
import type pg from "pg";
import type { AppContext } from "../context.ts";
import { frameEvents, notifyStatement, prismaSql, type EventSql, type PendingEvent } from "../realtime/events.ts";
import { sqlLiteral } from "../sql/literal.ts";
import { withPgConnection } from "../sync/pg-transaction.ts";

/** What a run's DTO is made of: the Prisma row, or the columns `publishRun` reads in its one statement. */
export type RunView = Pick<
  SyncRun,
  | "id"
  | "siteCode"
  | "trigger"
  | "fullSync"
  | "state"
  | "phase"
  | "percent"
  | "processed"
  | "total"
  | "etaSeconds"
  | "waitingReason"
  | "countNew"
  | "countRevised"
  | "countExpired"
  | "countSuperseded"
  | "countRemoved"
  | "errorCode"
  | "errorMessage"
  | "requestedBy"
  | "catalogVersionBefore"
  | "catalogVersionAfter"
  | "packageId"
  | "queuedAt"
  | "startedAt"
  | "finishedAt"
> & { sup: Pick<SoftwareUpdatePoint, "serverName"> };

export function toRunDto(run: RunView): SyncRunDto {
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
  /** The component settings' sync source (the top-level site's), null without settings. */
  settings_sync_source: SyncSourceName | null;
  settings_upstream_url: string | null;
  /** The latest heartbeat of any worker. */
  last_beat_at: Date | null;
}

/**
 * A status row's columns, for the SUP `p` of site `s`: the latest run and the latest finished run come from lateral
 * lookups on the (sup_id, queued_at) and (sup_id, finished_at) indexes, one probe each, so the cost follows the number
 * of SUPs, not of runs — the Prisma include it replaces read every retained run of every SUP (seconds for a 6 276-site
 * hierarchy). By the SUP alone: a run's site is its SUP's, and with both conditions Postgres took them for
 * independent and expected one run per SUP, so it read and sorted all of them (0.9 s for 90 runs per SUP). The settings and the
 * latest heartbeat are uncorrelated subqueries (evaluated once per statement).
 */
const STATUS_COLUMNS = `
  p.site_code, s.parent_code, p.server_name, p.sync_source::text AS sync_source, p.upstream_url,
  p.catalog_version, p.last_successful_sync_at, p.retry_at,
  lr.id::text AS run_id, lr.state::text AS run_state, lr.phase AS run_phase, lr.percent AS run_percent,
  lr.processed AS run_processed, lr.total AS run_total, lr.eta_seconds AS run_eta_seconds,
  lr.waiting_reason AS run_waiting_reason,
  lf.state::text AS finished_state, lf.phase AS finished_phase, lf.finished_at,
  lf.error_code AS finished_error_code,
  pv.version AS parent_version,
  (SELECT ss.sync_source::text FROM sup_settings ss WHERE ss.id = 1) AS settings_sync_source,
  (SELECT ss.upstream_url FROM sup_settings ss WHERE ss.id = 1) AS settings_upstream_url,
  (SELECT max(h.last_beat_at) FROM worker_heartbeats h) AS last_beat_at`;

const STATUS_JOINS = `
  LEFT JOIN LATERAL (
    SELECT r.id, r.state, r.phase, r.percent, r.processed, r.total, r.eta_seconds, r.waiting_reason
    FROM sync_runs r WHERE r.sup_id = p.id
    ORDER BY r.queued_at DESC LIMIT 1
  ) lr ON true
  -- Finished runs tell the last sync time and error even while a newer run is queued.
  LEFT JOIN LATERAL (
    SELECT r.state, r.phase, r.finished_at, r.error_code
    FROM sync_runs r WHERE r.sup_id = p.id AND r.finished_at IS NOT NULL
    ORDER BY r.finished_at DESC LIMIT 1
  ) lf ON true
  -- A child is "behind" (degraded) while its catalog version is below its parent's.
  LEFT JOIN LATERAL (
    SELECT max(pp.catalog_version) AS version FROM software_update_points pp WHERE pp.site_code = s.parent_code
  ) pv ON true`;

function toStatusRow(ctx: Pick<AppContext, "config">, sup: StatusSqlRow): SupSyncStatusRow {
  // A queued run waits in vain while no worker is alive: say so, rather than "waiting for a worker" forever.
  const workerAlive =
    sup.last_beat_at !== null && Date.now() - sup.last_beat_at.getTime() <= ctx.config.HEALTH_HEARTBEAT_MAX_AGE_MS;
  const run = sup.run_state ? { state: sup.run_state, phase: sup.run_phase } : undefined;
  const finished = sup.finished_state ? { state: sup.finished_state, phase: sup.finished_phase } : undefined;
  const topLevel = sup.parent_code === null;
  const source = topLevel && sup.settings_sync_source ? sup.settings_sync_source : sup.sync_source;
  const sourceUrl =
    source === "microsoft-update"
      ? (ctx.config.MICROSOFT_UPDATE_URL ?? null)
      : source === "upstream-url"
        ? (sup.settings_upstream_url ?? sup.upstream_url)
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
}

/** The statement of the status rows (of one site, or of all), with its values. */
export function supStatusStatement(siteCode?: string): { text: string; values: string[] } {
  return {
    text: `SELECT ${STATUS_COLUMNS}
     FROM software_update_points p
     JOIN sites s ON s.code = p.site_code
     ${STATUS_JOINS}
     ${siteCode === undefined ? "" : "WHERE p.site_code = $1"}
     ORDER BY p.site_code ASC, p.server_name ASC`,
    values: siteCode === undefined ? [] : [siteCode],
  };
}

/** The status rows (of one site, or of all), in one statement. */
export async function supStatusRows(ctx: AppContext, siteCode?: string): Promise<SupSyncStatusRow[]> {
  const { text, values } = supStatusStatement(siteCode);
  const rows = await ctx.prisma.$queryRawUnsafe<StatusSqlRow[]>(text, ...values);
  return rows.map((row) => toStatusRow(ctx, row));
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

/** Takes the site's publishing lock of a run (the first statement of a publication). */
const lockSql = (runId: string) =>
  `SELECT pg_advisory_xact_lock(${PUBLISH_LOCK}, hashtext(site_code)) FROM sync_runs WHERE id = ${runId}::uuid`;

interface RunSqlRow extends StatusSqlRow {
  r_id: string;
  r_site_code: string;
  r_server_name: string;
  r_trigger: string;
  r_full_sync: boolean;
  r_state: RunState;
  r_phase: string | null;
  r_percent: number;
  r_processed: number;
  r_total: number;
  r_eta_seconds: number | null;
  r_waiting_reason: string | null;
  r_count_new: number;
  r_count_revised: number;
  r_count_expired: number;
  r_count_superseded: number;
  r_count_removed: number;
  r_error_code: string | null;
  r_error_message: string | null;
  r_requested_by: string | null;
  r_catalog_version_before: number | null;
  r_catalog_version_after: number | null;
  r_package_id: string | null;
  r_queued_at: Date;
  r_started_at: Date | null;
  r_finished_at: Date | null;
}

/** A run and its SUP's status row, in one statement ($1: the run id). */
const RUN_AND_STATUS_SQL = `
  SELECT run.id::text AS r_id, run.site_code AS r_site_code, p.server_name AS r_server_name, run.trigger AS r_trigger,
         run.full_sync AS r_full_sync, run.state::text AS r_state, run.phase AS r_phase, run.percent AS r_percent,
         run.processed AS r_processed, run.total AS r_total, run.eta_seconds AS r_eta_seconds,
         run.waiting_reason AS r_waiting_reason, run.count_new AS r_count_new, run.count_revised AS r_count_revised,
         run.count_expired AS r_count_expired, run.count_superseded AS r_count_superseded,
         run.count_removed AS r_count_removed, run.error_code AS r_error_code, run.error_message AS r_error_message,
         run.requested_by AS r_requested_by, run.catalog_version_before AS r_catalog_version_before,
         run.catalog_version_after AS r_catalog_version_after, run.package_id::text AS r_package_id,
         run.queued_at AS r_queued_at, run.started_at AS r_started_at, run.finished_at AS r_finished_at,
         ${STATUS_COLUMNS}
  FROM sync_runs run
  JOIN software_update_points p ON p.id = run.sup_id
  JOIN sites s ON s.code = p.site_code
  ${STATUS_JOINS}
  WHERE run.id = $1::uuid`;

function runView(row: RunSqlRow): RunView {
  return {
    id: row.r_id,
    siteCode: row.r_site_code,
    sup: { serverName: row.r_server_name },
    trigger: row.r_trigger,
    fullSync: row.r_full_sync,
    state: row.r_state,
    phase: row.r_phase,
    percent: row.r_percent,
    processed: row.r_processed,
    total: row.r_total,
    etaSeconds: row.r_eta_seconds,
    waitingReason: row.r_waiting_reason,
    countNew: row.r_count_new,
    countRevised: row.r_count_revised,
    countExpired: row.r_count_expired,
    countSuperseded: row.r_count_superseded,
    countRemoved: row.r_count_removed,
    errorCode: row.r_error_code,
    errorMessage: row.r_error_message,
    requestedBy: row.r_requested_by,
    catalogVersionBefore: row.r_catalog_version_before,
    catalogVersionAfter: row.r_catalog_version_after,
    packageId: row.r_package_id,
    queuedAt: row.r_queued_at,
    startedAt: row.r_started_at,
    finishedAt: row.r_finished_at,
  };
}

/** The `sync-run` and `sup-status` events of a run, from its row read under the lock. */
function runEvents(ctx: Pick<AppContext, "config">, row: RunSqlRow): PendingEvent[] {
  return [
    { room: STATUS_ROOM, event: "sync-run", payload: toRunDto(runView(row)) },
    { room: STATUS_ROOM, event: "sup-status", payload: toStatusRow(ctx, row) },
  ];
}

/** The columns `changeRun` may set, by their Prisma names. */
const RUN_COLUMNS = {
  state: "state",
  phase: "phase",
  processed: "processed",
  total: "total",
  percent: "percent",
  etaSeconds: "eta_seconds",
  waitingReason: "waiting_reason",
  startedAt: "started_at",
  finishedAt: "finished_at",
  lastProgressAt: "last_progress_at",
  workerId: "worker_id",
  leaseExpiresAt: "lease_expires_at",
  countNew: "count_new",
  countRevised: "count_revised",
  countExpired: "count_expired",
  countSuperseded: "count_superseded",
  countRemoved: "count_removed",
  errorCode: "error_code",
  errorMessage: "error_message",
  catalogVersionAfter: "catalog_version_after",
} as const satisfies Partial<Record<keyof SyncRun, string>>;

export type RunChange = Partial<Pick<SyncRun, keyof typeof RUN_COLUMNS>>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A value as an SQL literal, for the statements sent in one simple-protocol round trip. */
const literal = sqlLiteral;

/**
 * One publication on a connection of the pool, in two round trips: `BEGIN`, the site's lock, the change (if any) and
 * the run with its status row (read under the lock); the notifications and `COMMIT` (realtime/events.ts). The
 * change and its events commit together, so consoles hear of a state the moment it exists. False when `change` matched
 * no row (nothing published).
 */
async function publishOnPool(
  ctx: AppContext,
  runId: string,
  change?: { set: RunChange; fromStates?: readonly RunState[] },
): Promise<boolean> {
  if (!UUID.test(runId)) return false;
  const id = literal(runId);
  const statements = ["BEGIN", lockSql(id)];
  if (change) {
    const set = Object.entries(change.set)
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => `${RUN_COLUMNS[key as keyof typeof RUN_COLUMNS]} = ${literal(value)}`);
    const states = change.fromStates?.length
      ? ` AND state IN (${change.fromStates.map((state) => literal(state)).join(", ")})`
      : "";
    statements.push(`UPDATE sync_runs SET ${set.join(", ")} WHERE id = ${id}::uuid${states}`);
  }
  // The run and its status row are read in the same round trip, after the change (wasted only when it matched
  // nothing, e.g. a claim another worker won).
  statements.push(RUN_AND_STATUS_SQL.replace("$1::uuid", `${id}::uuid`));
  // The transaction opens in the first round trip (BEGIN leads the statements).
  return withPgConnection(ctx.pool, async (client) => {
    const results = (await client.query(statements.join("; "))) as unknown as pg.QueryResult[];
    if (change && results[2]!.rowCount === 0) {
      await client.query("ROLLBACK");
      return false;
    }
    const [row] = (results.at(-1)! as pg.QueryResult<RunSqlRow>).rows;
    if (!row) {
      await client.query("ROLLBACK");
      return false;
    }
    const events = runEvents(ctx, row);
    const framed = frameEvents(events);
    if (framed) {
      await client.query(`${notifyStatement(framed, literal).text}; COMMIT`);
    } else {
      await ctx.events.publish(events, clientSql(client));
      await client.query("COMMIT");
    }
    return true;
  });
}

function clientSql(client: pg.PoolClient): EventSql {
  return {
    rows: async <T>(text: string, values: unknown[]) => (await client.query(text, values)).rows as T[],
    exec: async (text, values) => void (await client.query(text, values)),
  };
}

/**
 * Pushes the run and its SUP's status row to every console. One transaction under a per-site lock: the run is read
 * after the site's previous publication committed, its `seq` is taken, and the notifications are delivered at commit,
 * so consoles receive a site's events in `seq` order and never an older state after a newer one (realtime/events.ts).
 * `tx`: publish inside the caller's transaction — the event then commits with the change it describes (a new run's
 * `queued`, before any worker can see its job).
 */
export async function publishRun(ctx: AppContext, runId: string, tx?: Prisma.TransactionClient): Promise<void> {
  if (!tx) {
    await publishOnPool(ctx, runId);
    return;
  }
  if (!UUID.test(runId)) return;
  await tx.$executeRawUnsafe(lockSql(literal(runId)));
  const [row] = await tx.$queryRawUnsafe<RunSqlRow[]>(RUN_AND_STATUS_SQL, runId);
  if (!row) return;
  await ctx.events.publish(runEvents(ctx, row), prismaSql(tx));
}

/**
 * Changes a run (its state, phase, progress) and publishes it in the same transaction, under the site's lock: the
 * event commits with the change, with only the run's read between them (`publishRun`). Shaped like Prisma's
 * `syncRun.updateMany`; `where.state`: change the run only while it is in that state. `count` 0: nothing changed or
 * published.
 */
export async function changeRun(
  ctx: AppContext,
  args: { where: { id: string; state?: RunState }; data: RunChange },
): Promise<{ count: number }> {
  const fromStates = args.where.state === undefined ? {} : { fromStates: [args.where.state] };
  return { count: (await publishOnPool(ctx, args.where.id, { set: args.data, ...fromStates })) ? 1 : 0 };
}

/** Sends the status row of a site again (its retry time or alert changed without a run event). */
export async function publishSupStatus(ctx: AppContext, siteCode: string): Promise<void> {
  const rows = await supStatusRows(ctx, siteCode);
  await ctx.events.publish(rows.map((row) => ({ room: STATUS_ROOM, event: "sup-status", payload: row })));
}
