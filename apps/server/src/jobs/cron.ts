// Time-driven work, registered by worker processes: the scheduler tick every minute (scheduling/tick.ts decides what
// is due — pg-boss's cron only calls it) and the daily retention purge. pg-boss keeps one cron job per minute across
// all workers, so a tick is not run twice for the same minute.
import type { AppContext } from "../context.ts";
import { purgeAged } from "../maintenance/retention.ts";
import { underQueueLock } from "./queue.ts";
import { tick } from "../scheduling/tick.ts";

export const SCHEDULER_QUEUE = "scheduler-tick";
export const MAINTENANCE_QUEUE = "maintenance";

export async function startCronJobs(ctx: AppContext): Promise<{ stop(): Promise<void> }> {
  const queue = ctx.queue;
  const jobs: [name: string, cron: string, run: () => Promise<unknown>][] = [
    [SCHEDULER_QUEUE, "* * * * *", () => tick(ctx, new Date())],
    // 03:17 UTC: away from the hour, when everyone else's maintenance runs.
    [MAINTENANCE_QUEUE, "17 3 * * *", () => purgeAged(ctx, new Date())],
  ];
  const workIds: string[] = [];
  await underQueueLock(ctx.pool.options.connectionString!, async () => {
    for (const [name] of jobs) await queue.createQueue(name, { name, retryLimit: 0, expireInSeconds: 15 * 60 });
  });
  for (const [name, cron, run] of jobs) {
    await queue.schedule(name, cron);
    workIds.push(
      await queue.work(name, { batchSize: 1 }, async () => {
        try {
          await run();
        } catch (error) {
          ctx.logger.error({ err: error, job: name }, "scheduled job failed");
        }
      }),
    );
  }
  return {
    async stop() {
      for (const id of workIds) await queue.offWork({ id });
    },
  };
}
