import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations, MIGRATIONS_DIR, readMigrations } from "./migrate.ts";
import { createTestDatabase, type TestDatabase } from "./testing/index.ts";
import { quoteIdent, withDatabase } from "./database.ts";
import { TEST_SERVER_URL_ENV } from "./testing/index.ts";

/** An empty database (not cloned from the migrated template). */
async function emptyDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const serverUrl = process.env[TEST_SERVER_URL_ENV]!;
  const name = `m_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${quoteIdent(name)}`);
  await admin.end();
  return {
    url: withDatabase(serverUrl, name),
    drop: async () => {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`DROP DATABASE ${quoteIdent(name)} WITH (FORCE)`);
      await c.end();
    },
  };
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe("applyMigrations", () => {
  let db: { url: string; drop: () => Promise<void> };
  let scratch: string;
  beforeAll(async () => {
    db = await emptyDatabase();
    scratch = await mkdtemp(path.join(tmpdir(), "syncpoint-migrations-"));
  });
  afterAll(async () => {
    await db.drop();
    await rm(scratch, { recursive: true, force: true });
  });

  it("applies every migration once, recording Prisma's checksum of each file", async () => {
    const first = await applyMigrations(db.url);
    const shipped = await readMigrations();
    expect(first.applied).toEqual(shipped.map((m) => m.name));
    const rows = await query<{
      migration_name: string;
      checksum: string;
      finished_at: Date | null;
      applied_steps_count: number;
    }>(
      db.url,
      `SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    expect(rows.map((r) => [r.migration_name, r.checksum, r.applied_steps_count])).toEqual(
      shipped.map((m) => [m.name, m.checksum, 1]),
    );
    expect(rows.every((r) => r.finished_at instanceof Date)).toBe(true);
    expect(shipped[0]!.checksum).toMatch(/^[0-9a-f]{64}$/);

    const second = await applyMigrations(db.url);
    expect(second).toEqual({ applied: [], alreadyApplied: shipped.length });
  });

  it("is safe when several processes migrate at once", async () => {
    const other = await emptyDatabase();
    try {
      const results = await Promise.all([
        applyMigrations(other.url),
        applyMigrations(other.url),
        applyMigrations(other.url),
      ]);
      const shipped = await readMigrations();
      expect(results.flatMap((r) => r.applied).sort()).toEqual(shipped.map((m) => m.name).sort());
    } finally {
      await other.drop();
    }
  });

  it("refuses a database migrated by a newer build", async () => {
    await query(
      db.url,
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, finished_at, applied_steps_count)
       VALUES ('00000000-0000-0000-0000-000000000001', 'x', '29991231000000_future', now(), 1)`,
    );
    await expect(applyMigrations(db.url)).rejects.toThrow(
      /migrated by a newer Syncpoint \(unknown migrations: 29991231000000_future\)/,
    );
    await query(db.url, `DELETE FROM "_prisma_migrations" WHERE migration_name = '29991231000000_future'`);
  });

  it("rolls a failing migration back entirely and names it", async () => {
    const dir = path.join(scratch, "migrations");
    await cp(MIGRATIONS_DIR, dir, { recursive: true });
    await mkdir(path.join(dir, "29990101000000_broken"));
    await writeFile(
      path.join(dir, "29990101000000_broken", "migration.sql"),
      `CREATE TABLE "half_done" (id int);\nSELECT * FROM "no_such_table";\n`,
    );
    await expect(applyMigrations(db.url, dir)).rejects.toThrow(
      /^Migration 29990101000000_broken failed: .*no_such_table/,
    );
    const leftovers = await query(db.url, `SELECT 1 FROM pg_tables WHERE tablename = 'half_done'`);
    expect(leftovers).toEqual([]);
    const recorded = await query(
      db.url,
      `SELECT 1 FROM "_prisma_migrations" WHERE migration_name = '29990101000000_broken'`,
    );
    expect(recorded).toEqual([]);
  });
});

describe("the template database", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it("gives each test file a migrated database Prisma can use", async () => {
    expect(await db.prisma.site.count()).toBe(0);
    const tables = await query<{ tablename: string }>(
      db.url,
      `SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`,
    );
    expect(tables.map((t) => t.tablename)).toEqual(
      expect.arrayContaining([
        "_prisma_migrations",
        "sessions",
        "sites",
        "software_update_points",
        "users",
        "worker_heartbeats",
      ]),
    );
  });
});
