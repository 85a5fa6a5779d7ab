// Everything one process shares, built in one place for `main.ts` and the tests: Prisma, a plain pg pool, the event
// publisher and the job queue — and how to close them in order.
import type { ProcessRole } from "@syncpoint/contracts";
import { createPrismaClient, readMigrations, type PrismaClient } from "@syncpoint/db";
import pg from "pg";
import type { Config } from "./config.ts";
import type { AppContext } from "./context.ts";
import { startQueue } from "./jobs/queue.ts";
import type { Logger } from "./logger.ts";
import { EventPublisher } from "./realtime/events.ts";
import { registerConfiguredSecret, urlPassword } from "./security/redact.ts";
import { loadSecretKey, SecretBox } from "./security/secret-box.ts";

export interface Runtime {
  ctx: AppContext;
  close(): Promise<void>;
}

export async function createRuntime(options: {
  config: Config;
  role: ProcessRole;
  databaseUrl: string;
  logger: Logger;
  prisma?: PrismaClient;
  /** Instead of SYNCPOINT_SECRET_KEY or DATA_DIR/secret.key (tests). */
  secretKey?: string;
}): Promise<Runtime> {
  const { config, role, databaseUrl, logger } = options;
  registerConfiguredSecret(urlPassword(databaseUrl));
  const prisma = options.prisma ?? createPrismaClient(databaseUrl);
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: poolSize(role, config),
    application_name: `syncpoint-${role}`,
  });
  pool.on("error", (error) => logger.error({ err: error }, "postgres pool error"));
  const queue = await startQueue({
    connectionString: databaseUrl,
    logger,
    supervise: role !== "api",
    expireInSeconds: Math.round(config.RUN_TIMEOUT_MINUTES * 60 * 1.5),
  });
  const ctx: AppContext = {
    config,
    prisma,
    logger,
    role,
    startedAt: new Date(),
    migrationNames: (await readMigrations()).map((m) => m.name),
    pool,
    events: new EventPublisher(pool),
    secrets: new SecretBox(options.secretKey ?? loadSecretKey(process.env, config.dataDir)),
    queue,
  };
  return {
    ctx,
    async close() {
      await queue.stop({ graceful: true, wait: true, timeout: 15_000 }).catch(() => undefined);
      await pool.end().catch(() => undefined);
      if (!options.prisma) await prisma.$disconnect();
    },
  };
}

/**
 * Connections of the process's own pool (events, run changes, the All Software Updates list, the socket.io adapter,
 * a run's apply): an API process serves up to 8 list requests at once beside its adapter; a worker needs three per
 * run slot (the apply's transaction, a phase change published during it, its log lines) and a few for the rest. Too
 * few and a run's state change waits for a connection after its time was stamped.
 */
export function poolSize(role: ProcessRole, config: Pick<Config, "WORKER_CONCURRENCY">): number {
  const api = role === "worker" ? 0 : 10;
  const worker = role === "api" ? 0 : 3 + 3 * config.WORKER_CONCURRENCY;
  return api + worker;
}
