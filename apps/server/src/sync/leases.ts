// Crash safety: a worker holds its run by a lease it renews every few seconds. A worker that dies (SIGKILL, a lost
// machine) stops renewing; any other worker's reaper then queues the run again, and it resumes: revisions fetched
// before the crash are stored and not fetched again, and the catalog changes only in the one apply transaction, so
// the resumed run converges with no duplicates.
import type { AppContext } from "../context.ts";
import { enqueueRun } from "../jobs/queue.ts";
import { publishRun } from "../services/sync-status.ts";

/** Renews the lease while the run is ours; `lost` is called if another worker took the run over. */
export function holdLease(ctx: AppContext, runId: string, workerId: string, lost: () => void): () => void {
  const renew = async () => {
    const held = await ctx.prisma.syncRun.updateMany({
      where: { id: runId, workerId, state: { in: ["running", "canceling"] } },
      data: { leaseExpiresAt: new Date(Date.now() + ctx.config.RUN_LEASE_MS) },
    });
    if (held.count === 0) lost();
  };
  const timer = setInterval(() => void renew().catch(() => undefined), ctx.config.RUN_LEASE_RENEW_MS);
  return () => clearInterval(timer);
}

/** Queues again every run whose worker stopped renewing its lease; returns their ids. */
export async function requeueAbandonedRuns(ctx: AppContext): Promise<string[]> {
  // A run someone asked to cancel is not resumed: it ends canceled (its catalog is untouched, applies are atomic).
  const canceled = await ctx.prisma.$queryRaw<{ id: string }[]>`
    UPDATE sync_runs
    SET state = 'canceled', finished_at = now(), lease_expires_at = NULL, error_code = 'SYNC_CANCELED',
        error_message = 'Canceled; its worker stopped before finishing the cancel.'
    WHERE state = 'canceling' AND lease_expires_at < now()
    RETURNING id::text`;
  for (const run of canceled) await publishRun(ctx, run.id);
  const abandoned = await ctx.prisma.$queryRaw<{ id: string; resumes: number }[]>`
    UPDATE sync_runs
    SET state = 'queued', worker_id = NULL, lease_expires_at = NULL, resumes = resumes + 1, waiting_reason = 'resume'
    WHERE state = 'running' AND lease_expires_at < now()
    RETURNING id::text, resumes`;
  for (const run of abandoned) {
    await requeued(
      ctx,
      run,
      "The worker running this synchronization stopped (its lease expired); it is queued again and resumes where the stored work ends",
    );
  }
  return abandoned.map((r) => r.id);
}

/**
 * Hands back a run this worker is stopping (graceful SIGTERM), once the run has stopped at its checkpoint: queued
 * again with its lease cleared, waiting to `resume`, for another worker. False when the run is not ours and running
 * (a cancel request came first: the caller ends it as canceled).
 */
export async function handBackRun(ctx: AppContext, runId: string, workerId: string): Promise<boolean> {
  const [run] = await ctx.prisma.$queryRaw<{ id: string; resumes: number }[]>`
    UPDATE sync_runs
    SET state = 'queued', worker_id = NULL, lease_expires_at = NULL, resumes = resumes + 1, waiting_reason = 'resume'
    WHERE id = ${runId}::uuid AND worker_id = ${workerId} AND state = 'running'
    RETURNING id::text, resumes`;
  if (!run) return false;
  await requeued(
    ctx,
    run,
    "The worker running this synchronization is stopping; it is queued again and resumes where the stored work ends",
  );
  return true;
}

/** After a run went back to `queued`: its log says why, consoles hear of it, then its new job is sent. */
async function requeued(ctx: AppContext, run: { id: string; resumes: number }, text: string): Promise<void> {
  const line = await ctx.prisma.syncLogLine.create({
    data: { runId: run.id, severity: "warning", thread: process.pid % 100_000, text },
  });
  await ctx.events
    .syncLog(run.id, [{ seq: Number(line.id), time: line.time.toISOString(), severity: "warning", text }])
    .catch(() => undefined);
  // Published before the job exists: no worker can claim the run (and publish `running`) ahead of this `queued`.
  await publishRun(ctx, run.id).catch((error: unknown) =>
    ctx.logger.warn({ err: error, runId: run.id }, "could not publish a requeued run"),
  );
  await enqueueRun(ctx.queue, run.id, { singletonKey: `${run.id}:${run.resumes}`, notify: ctx.prisma });
}

/** Runs the reaper every LEASE_REAPER_MS in this worker process. */
export function startLeaseReaper(ctx: AppContext): () => void {
  const timer = setInterval(() => {
    requeueAbandonedRuns(ctx).catch((error: unknown) => ctx.logger.warn({ err: error }, "lease reaper failed"));
  }, ctx.config.LEASE_REAPER_MS);
  return () => clearInterval(timer);
}
