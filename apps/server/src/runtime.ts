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
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 5, application_name: `syncpoint-${role}` });
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
