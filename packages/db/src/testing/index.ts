// Postgres for tests: one embedded server per test run (started in vitest's globalSetup), a template database
// migrated once, and a database per test file cloned from it (`CREATE DATABASE … TEMPLATE`, milliseconds).
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { createPrismaClient, type PrismaClient } from "../client.ts";
import { connectionUrl, quoteIdent, withDatabase } from "../database.ts";
import { EmbeddedPostgres, makeTraversable } from "../embedded-postgres.ts";
import { applyMigrations } from "../migrate.ts";
import { findFreePort } from "../ports.ts";

export const TEMPLATE_DATABASE = "t_base";
/** Set by the global setup; read by test files (vitest passes env to its workers). */
export const TEST_SERVER_URL_ENV = "SYNCPOINT_TEST_PG_URL";

export interface TestPostgres {
  /** URL of the server's `postgres` database; test databases are created beside it. */
  serverUrl: string;
  stop(): Promise<void>;
}

/**
 * A throwaway cluster loses nothing worth an fsync if the machine crashes: the tests' commits do not wait on the disk.
 * (Everything a test observes — visibility, locks, transactions — is unchanged; only crash safety goes.)
 */
export const THROWAWAY_SETTINGS: Record<string, string> = {
  fsync: "off",
  synchronous_commit: "off",
  full_page_writes: "off",
};

export interface TestPostgresOptions {
  /** Server settings; THROWAWAY_SETTINGS by default. A benchmark passes `{}` to measure the product's durable setup. */
  settings?: Record<string, string>;
  /** Receives every line the server logs (a profiling benchmark keeps them). */
  onLog?: (line: string) => void;
}

/** Starts a throwaway embedded server and migrates the template database. */
export async function startTestPostgres(options: TestPostgresOptions = {}): Promise<TestPostgres> {
  const dir = await mkdtemp(path.join(tmpdir(), "syncpoint-test-pg-"));
  await makeTraversable(dir);
  const server = new EmbeddedPostgres({
    dataDir: path.join(dir, "pg"),
    port: await findFreePort(),
    settings: options.settings ?? THROWAWAY_SETTINGS,
    ...(options.onLog ? { onLog: options.onLog } : {}),
  });
  await server.start();
  const serverUrl = connectionUrl(server.connection, "postgres");
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${TEMPLATE_DATABASE}`);
  await admin.end();
  await applyMigrations(withDatabase(serverUrl, TEMPLATE_DATABASE));
  return {
    serverUrl,
    async stop() {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface TestDatabase {
  url: string;
  prisma: PrismaClient;
  drop(): Promise<void>;
}

function serverUrlFromEnv(): string {
  const url = process.env[TEST_SERVER_URL_ENV];
  if (!url)
    throw new Error(
      `${TEST_SERVER_URL_ENV} is not set: run integration tests through the vitest 'integration' project.`,
    );
  return url;
}

/** A fresh, migrated database of its own for one test file. */
export async function createTestDatabase(serverUrl = serverUrlFromEnv()): Promise<TestDatabase> {
  const name = `t_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${quoteIdent(name)} TEMPLATE ${TEMPLATE_DATABASE}`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(serverUrl, name);
  const prisma = createPrismaClient(url, { poolSize: 5 });
  return {
    url,
    prisma,
    async drop() {
      await prisma.$disconnect();
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
      await client.end();
    },
  };
}
