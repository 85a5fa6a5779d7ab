import type { AppContext } from "../context.ts";
import { SYNC_QUEUE, type SyncJob } from "../jobs/queue.ts";
import { executeRun, type ExecutorOptions } from "./executor.ts";

/** Registers this process as a sync worker: one run at a time per worker process. */
export async function startSyncWorker(
  ctx: AppContext,
  options: ExecutorOptions & { pollingIntervalSeconds?: number },
): Promise<string> {
  return ctx.queue.work<SyncJob>(
    SYNC_QUEUE,
    { batchSize: 1, pollingIntervalSeconds: options.pollingIntervalSeconds ?? 1 },
    async ([job]) => {
      if (job) await executeRun(ctx, job.data.runId, options);
    },
  );
}
