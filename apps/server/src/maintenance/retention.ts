// Retention ("Delete Aged Status Messages" and friends): removes rows older than the periods in SupSettings. Every
// DELETE is its own short autocommit statement over at most `batchSize` rows, so a purge of millions of rows never
// holds locks that would block a running sync or the console; a purge interrupted half-way simply resumes next time.
import type { AppContext } from "../context.ts";

export interface PurgeResult {
  statusMessages: number;
  logLines: number;
  runs: number;
  auditEvents: number;
  alerts: number;
  deliveries: number;
}

export const DEFAULT_BATCH_SIZE = 5_000;

const DAY_MS = 86_400_000;

/** The schema's defaults, for a database where the settings row was never written. */
const DEFAULT_DAYS = { statusMessageRetentionDays: 30, runRetentionDays: 90, auditRetentionDays: 365 };

/**
 * A finished run past retention — unless it is what the status page shows for its SUP: the newest run, or the newest
 * finished one (last sync time and error). Ties keep both. `$1` is the cutoff.
 */
const PURGEABLE_RUN = `
  r.state IN ('succeeded', 'failed', 'canceled')
  AND r.finished_at < $1
  AND EXISTS (SELECT 1 FROM sync_runs n WHERE n.sup_id = r.sup_id AND n.queued_at > r.queued_at)
  AND EXISTS (SELECT 1 FROM sync_runs n WHERE n.sup_id = r.sup_id AND n.finished_at > r.finished_at)`;

export async function purgeAged(
  ctx: AppContext,
  now: Date,
  options: { batchSize?: number } = {},
): Promise<PurgeResult> {
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error("batchSize must be a positive integer");
  const settings = (await ctx.prisma.supSettings.findUnique({ where: { id: 1 } })) ?? DEFAULT_DAYS;
  const before = (days: number) => new Date(now.getTime() - days * DAY_MS);
  const runCutoff = before(settings.runRetentionDays);
  const started = Date.now();

  const deleteBatches = async (table: string, where: string, params: unknown[]): Promise<number> => {
    const n = `$${params.length + 1}`;
    const sql = `DELETE FROM ${table} WHERE id IN (SELECT id FROM ${table} WHERE ${where} LIMIT ${n})`;
    let total = 0;
    for (;;) {
      const { rowCount } = await ctx.pool.query(sql, [...params, batchSize]);
      total += rowCount ?? 0;
      if ((rowCount ?? 0) < batchSize) return total;
    }
  };

  const result: PurgeResult = { statusMessages: 0, logLines: 0, runs: 0, auditEvents: 0, alerts: 0, deliveries: 0 };

  // Runs go one batch at a time, their children first: a run's log lines would cascade anyway, but as one statement
  // of unbounded size, and its status messages would only lose their run (ON DELETE SET NULL).
  for (;;) {
    const { rows } = await ctx.pool.query<{ id: string }>(
      `SELECT r.id FROM sync_runs r WHERE ${PURGEABLE_RUN} ORDER BY r.finished_at LIMIT $2`,
      [runCutoff, batchSize],
    );
    if (rows.length === 0) break;
    const ids = rows.map((row) => row.id);
    result.logLines += await deleteBatches("sync_log_lines", "run_id = ANY($1::uuid[])", [ids]);
    result.statusMessages += await deleteBatches("status_messages", "run_id = ANY($1::uuid[])", [ids]);
    // The condition is checked again: nothing may have turned a run into one to keep in between, but if it did,
    // the run stays.
    const { rowCount } = await ctx.pool.query(
      `DELETE FROM sync_runs r WHERE r.id = ANY($2::uuid[]) AND ${PURGEABLE_RUN}`,
      [runCutoff, ids],
    );
    result.runs += rowCount ?? 0;
    // A batch that deleted nothing would be selected again forever.
    if (rows.length < batchSize || !rowCount) break;
  }

  result.statusMessages += await deleteBatches("status_messages", "time < $1", [
    before(settings.statusMessageRetentionDays),
  ]);
  result.auditEvents += await deleteBatches("audit_events", "at < $1", [before(settings.auditRetentionDays)]);
  result.alerts += await deleteBatches("alerts", "state = 'canceled' AND COALESCE(canceled_at, updated_at) < $1", [
    runCutoff,
  ]);
  // A delivery is retried for hours at most, so its creation time stands for when it ended.
  result.deliveries += await deleteBatches(
    "notification_deliveries",
    "state IN ('delivered', 'failed') AND created_at < $1",
    [runCutoff],
  );

  ctx.logger.info({ ...result, durationMs: Date.now() - started }, "purged aged rows");
  return result;
}
