import type { ProcessRole } from "@syncpoint/contracts";
import type { PrismaClient } from "@syncpoint/db";
import type PgBoss from "pg-boss";
import type pg from "pg";
import type { Config } from "./config.ts";
import type { Logger } from "./logger.ts";
import type { EventPublisher } from "./realtime/events.ts";
import type { SecretBox } from "./security/secret-box.ts";

/** What routes and services of one process share. */
export interface AppContext {
  config: Config;
  prisma: PrismaClient;
  logger: Logger;
  role: ProcessRole;
  startedAt: Date;
  /** Names of the migrations this build ships; health is ok only when all are applied. */
  migrationNames: readonly string[];
  /** A plain pg pool for what Prisma cannot do: socket events (NOTIFY) and bulk SQL. */
  pool: pg.Pool;
  events: EventPublisher;
  /** Encrypts and decrypts stored secrets (proxy and SMTP passwords, webhook keys). */
  secrets: SecretBox;
  queue: PgBoss;
}
