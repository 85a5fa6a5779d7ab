export { insertUpdateRevisions, type UpdateRevisionRow } from "./bulk-insert.ts";
export { createPrismaClient, type PrismaClient, type PrismaOptions } from "./client.ts";
export { connectionUrl, databaseName, ensureDatabaseExists, quoteIdent, withDatabase } from "./database.ts";
export {
  EmbeddedPostgres,
  embeddedServerSettings,
  makeTraversable,
  type EmbeddedPostgresOptions,
  type PostgresConnectionConfig,
} from "./embedded-postgres.ts";
export { applyMigrations, readMigrations, MIGRATIONS_DIR, type Migration, type MigrationResult } from "./migrate.ts";
export { findFreePort } from "./ports.ts";
export { Prisma } from "./generated/prisma/client.ts";
export type {
  Alert,
  ApiToken,
  NotificationDelivery,
  NotificationSubscription,
  AuditEvent,
  LoginFailure,
  LoginLockout,
  Session,
  Site,
  SoftwareUpdatePoint,
  SupSettings,
  Category,
  ImportedUpdate,
  UpdatePackage,
  UpdateRevision,
  SiteCatalogEntry,
  SyncRun,
  StatusMessage,
  SyncLogLine,
  User,
  WorkerHeartbeat,
} from "./generated/prisma/client.ts";
export { AlertState, AuditOutcome, Role, RunState, SiteType, SyncSource } from "./generated/prisma/enums.ts";
