// Jobs go through pg-boss on the same Postgres: a sync job survives any process dying, and any worker on any machine
// can take it (SKIP LOCKED). Every job name has exactly one handler, registered by the worker role.
import PgBoss from "pg-boss";
import pg from "pg";
import type { Logger } from "../logger.ts";

export const SYNC_QUEUE = "sync-run";

export interface SyncJob {
  runId: string;
}

export interface QueueOptions {
  connectionString: string;
  logger: Logger;
  /** Only workers maintain the queue (expiry, archiving); API processes just send. */
  supervise: boolean;
  /** Longer than a run may take, so pg-boss never hands a live run to a second worker. */
  expireInSeconds: number;
}

/** Workers LISTEN here and are woken the moment a run is queued, instead of at their next poll. */
export const JOB_QUEUED_CHANNEL = "syncpoint_job_queued";

type RawSql = { $queryRawUnsafe<T>(query: string, ...values: unknown[]): Promise<T> };
type RawExec = { $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number> };

/**
 * Queues the job of a run. Inside a transaction (`tx`) the job is created atomically with the run row, and the
 * workers' wake-up is sent when it commits (NOTIFY is transactional); without one, right away.
 */
export async function enqueueRun(
  queue: PgBoss,
  runId: string,
  options: { tx?: RawSql & RawExec; singletonKey?: string; notify: RawExec },
): Promise<void> {
  await queue.send(SYNC_QUEUE, { runId } satisfies SyncJob, {
    singletonKey: options.singletonKey ?? runId,
    ...(options.tx ? { db: transactionDb(options.tx) } : {}),
  });
  await (options.tx ?? options.notify).$executeRawUnsafe(`SELECT pg_notify('${JOB_QUEUED_CHANNEL}', $1)`, runId);
}

export async function startQueue(options: QueueOptions): Promise<PgBoss> {
  const boss = new PgBoss({
    connectionString: options.connectionString,
    schema: "pgboss",
    max: 4,
    supervise: options.supervise,
    // Workers keep pg-boss's cron clock: it only calls the scheduler tick and the daily maintenance (jobs/cron.ts).
    schedule: options.supervise,
    application_name: "syncpoint-jobs",
  });
  boss.on("error", (error: Error) => options.logger.error({ err: error }, "job queue error"));
  // Starting creates pg-boss's own queues (its cron's) too: under the same lock as ours.
  await underQueueLock(options.connectionString, async () => {
    await boss.start();
    await boss.createQueue(SYNC_QUEUE, {
      name: SYNC_QUEUE,
      // A failed run is retried by Syncpoint's own retry schedule (trigger `retry`), not by the queue.
      retryLimit: 0,
      expireInSeconds: options.expireInSeconds,
    });
  });
  return boss;
}

/** Advisory lock (single bigint key space, like the seed's) around creating queues. */
const CREATE_QUEUES_LOCK = 7_265_112;

/**
 * pg-boss's createQueue deadlocks when several processes create queues at once (a fresh database, a cluster
 * starting): they take turns under a session advisory lock. Creating a queue that exists changes nothing.
 */
export async function underQueueLock<T>(connectionString: string, create: () => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString, application_name: "syncpoint-jobs" });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [CREATE_QUEUES_LOCK]);
    return await create();
  } finally {
    // Ending the session releases the lock.
    await client.end().catch(() => undefined);
  }
}

/** pg-boss's database interface over a Prisma transaction, so a job is enqueued atomically with its run row. */
export function transactionDb(tx: RawSql): PgBoss.Db {
  return {
    executeSql: async (text: string, values: unknown[]) => ({
      rows: await tx.$queryRawUnsafe<unknown[]>(text, ...values),
    }),
  };
}
