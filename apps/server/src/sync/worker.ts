import type { AppContext } from "../context.ts";
import { SYNC_QUEUE, type SyncJob } from "../jobs/queue.ts";
import { executeRun, type ExecutorOptions } from "./executor.ts";
import { startLeaseReaper } from "./leases.ts";

/**
 * Registers this process as a sync worker: one run at a time per worker process, and a reaper that resumes runs
 * whose worker died. Returns how to stop both.
 */
export async function startSyncWorker(
  ctx: AppContext,
  options: ExecutorOptions & { pollingIntervalSeconds?: number },
): Promise<{ workId: string; stopReaper: () => void }> {
  const stopReaper = startLeaseReaper(ctx);
  const workId = await ctx.queue.work<SyncJob>(
    SYNC_QUEUE,
    { batchSize: 1, pollingIntervalSeconds: options.pollingIntervalSeconds ?? 1 },
    async ([job]) => {
      if (job) await executeRun(ctx, job.data.runId, options);
    },
  );
  return { workId, stopReaper };
}
