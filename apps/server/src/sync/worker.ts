import type { AppContext } from "../context.ts";
import { SYNC_QUEUE, type SyncJob } from "../jobs/queue.ts";
import { startCronJobs } from "../jobs/cron.ts";
import { listenForQueuedJobs } from "../jobs/wake.ts";
import { startNotificationDispatcher } from "../notifications/dispatch.ts";
import { executeRun, type ExecutorOptions } from "./executor.ts";
import { startLeaseReaper } from "./leases.ts";

export interface SyncWorker {
  /** The pg-boss worker ids of this process's run slots (WORKER_CONCURRENCY of them). */
  workIds: string[];
  /**
   * Graceful stop: takes no more jobs, stops the runs in progress at their next checkpoint and hands them back to the
   * queue (another worker resumes them), waits for that up to `timeoutMs`, then stops the crons, the dispatcher and
   * the reaper. Resolves false when a run did not stop in time (its lease then runs out and the reaper resumes it).
   */
  stop(timeoutMs?: number): Promise<boolean>;
}

/**
 * Registers this process as a sync worker: `concurrency` runs at a time (WORKER_CONCURRENCY; one run per software
 * update point is guaranteed by the run queue, not here), woken as soon as a run is queued; a reaper that resumes runs
 * whose worker died; the scheduler and maintenance crons; the notification dispatcher. Returns how to stop them.
 */
export async function startSyncWorker(
  ctx: AppContext,
  options: ExecutorOptions & {
    pollingIntervalSeconds?: number;
    /** Runs this process executes at once; child-site runs mostly wait on Postgres and the parent's SUP endpoint. */
    concurrency?: number;
    /** Run the scheduler and maintenance crons here (tests drive tick() with their own clock instead). */
    cron?: boolean;
  },
): Promise<SyncWorker> {
  const stopReaper = startLeaseReaper(ctx);
  const shutdown = new AbortController();
  const active = new Set<Promise<void>>();
  const slot = async (): Promise<string> => {
    const workId: string = await ctx.queue.work<SyncJob>(
      SYNC_QUEUE,
      { batchSize: 1, pollingIntervalSeconds: options.pollingIntervalSeconds ?? 1 },
      async ([job]) => {
        if (!job) return;
        // A job fetched while stopping is claimed and handed straight back (its run must not wait for a job expiry).
        const running = executeRun(ctx, job.data.runId, { ...options, shutdown: shutdown.signal });
        active.add(running);
        try {
          await running;
        } finally {
          active.delete(running);
          // Look for the next run at once: pg-boss would otherwise sleep out the rest of its polling interval after
          // a short run (a child site's delta takes a fraction of it), idling through a cascade of queued runs.
          if (!shutdown.signal.aborted) ctx.queue.notifyWorker(workId);
        }
      },
    );
    return workId;
  };
  const workIds: string[] = [];
  for (let i = 0; i < Math.max(1, options.concurrency ?? 1); i++) workIds.push(await slot());
  const listener = await listenForQueuedJobs({
    connectionString: ctx.pool.options.connectionString!,
    logger: ctx.logger,
    onQueued: () => {
      for (const id of workIds) ctx.queue.notifyWorker(id);
    },
  });
  const cron = options.cron === false ? { stop: async () => undefined } : await startCronJobs(ctx);
  const dispatcher = startNotificationDispatcher(ctx);
  let stopping: Promise<boolean> | undefined;
  return {
    workIds,
    stop(timeoutMs = 10_000) {
      return (stopping ??= (async () => {
        await listener.stop();
        // No more fetching. A fetch already on the wire may still deliver one job: it is handed straight back, and
        // the queue's graceful stop (runtime.ts) waits for that.
        for (const id of workIds) await ctx.queue.offWork({ id });
        shutdown.abort();
        const drained = await Promise.race([
          Promise.allSettled([...active]).then(() => true),
          new Promise<false>((resolve) => setTimeout(() => resolve(false), timeoutMs).unref()),
        ]);
        stopReaper();
        await cron.stop();
        await dispatcher.stop();
        return drained;
      })());
    },
  };
}
