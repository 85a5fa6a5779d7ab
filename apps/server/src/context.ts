import type { ProcessRole } from "@syncpoint/contracts";
import type { PrismaClient } from "@syncpoint/db";
import type { Config } from "./config.ts";
import type { Logger } from "./logger.ts";

/** What routes and services of one process share. */
export interface AppContext {
  config: Config;
  prisma: PrismaClient;
  logger: Logger;
  role: ProcessRole;
  startedAt: Date;
  /** Names of the migrations this build ships; health is ok only when all are applied. */
  migrationNames: readonly string[];
}
