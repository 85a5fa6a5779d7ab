import type { AppContext } from "../context.ts";
import { SYNC_QUEUE, type SyncJob } from "../jobs/queue.ts";
import { startCronJobs } from "../jobs/cron.ts";
import { listenForQueuedJobs } from "../jobs/wake.ts";
import { startNotificationDispatcher } from "../notifications/dispatch.ts";
import { executeRun, type ExecutorOptions } from "./executor.ts";
import { startLeaseReaper } from "./leases.ts";

/**
 * Registers this process as a sync worker: one run at a time per worker process, woken as soon as a run is queued;
 * a reaper that resumes runs whose worker died; the scheduler and maintenance crons; the notification dispatcher.
 * Returns how to stop them.
 */
export async function startSyncWorker(
  ctx: AppContext,
  options: ExecutorOptions & {
    pollingIntervalSeconds?: number;
    /** Run the scheduler and maintenance crons here (tests drive tick() with their own clock instead). */
    cron?: boolean;
  },
): Promise<{ workId: string; stop: () => Promise<void> }> {
  const stopReaper = startLeaseReaper(ctx);
  const workId = await ctx.queue.work<SyncJob>(
    SYNC_QUEUE,
    { batchSize: 1, pollingIntervalSeconds: options.pollingIntervalSeconds ?? 1 },
    async ([job]) => {
      if (job) await executeRun(ctx, job.data.runId, options);
    },
  );
  const listener = await listenForQueuedJobs({
    connectionString: ctx.pool.options.connectionString!,
    logger: ctx.logger,
    onQueued: () => ctx.queue.notifyWorker(workId),
  });
  const cron = options.cron === false ? { stop: async () => undefined } : await startCronJobs(ctx);
  const dispatcher = startNotificationDispatcher(ctx);
  return {
    workId,
    async stop() {
      stopReaper();
      await cron.stop();
      await dispatcher.stop();
      await listener.stop();
      await ctx.queue.offWork({ id: workId });
    },
  };
}
