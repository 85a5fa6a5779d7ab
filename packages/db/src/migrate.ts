// Applies prisma/migrations to a database in ~0.1 s, recording them in Prisma's own `_prisma_migrations` table so that
// `prisma migrate status|deploy` (on a machine that has Prisma's native engine) see them as applied. Prisma 7's own
// `migrate deploy` needs that engine, which cannot be downloaded here (see TOOLCHAIN.md).
import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";

/** The folder holding one sub-folder per migration, each with its migration.sql. */
export const MIGRATIONS_DIR = fileURLToPath(new URL("../../../prisma/migrations", import.meta.url));

/** The advisory lock key Prisma Migrate itself takes, so our applier and Prisma's never run at once. */
const PRISMA_ADVISORY_LOCK = 72707369;

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationResult {
  applied: string[];
  alreadyApplied: number;
}

export async function readMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    }),
  );
}

const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

/**
 * Applies every migration not yet applied, each in its own transaction, in name order. Refuses to go on when an
 * earlier migration failed half-way (as Prisma does) or when the database holds migrations this build does not know
 * — which means the data was written by a newer Syncpoint.
 */
export async function applyMigrations(connectionString: string, dir = MIGRATIONS_DIR): Promise<MigrationResult> {
  const migrations = await readMigrations(dir);
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [PRISMA_ADVISORY_LOCK]);
    await client.query(CREATE_MIGRATIONS_TABLE);
    const { rows } = await client.query<AppliedRow>(
      `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL`,
    );
    const unfinished = rows.find((r) => r.finished_at === null);
    if (unfinished) {
      throw new Error(
        `Migration ${unfinished.migration_name} started but did not finish; resolve it before starting Syncpoint.`,
      );
    }
    const known = new Set(migrations.map((m) => m.name));
    const unknown = rows.filter((r) => !known.has(r.migration_name));
    if (unknown.length > 0) {
      throw new Error(
        `The database was migrated by a newer Syncpoint (unknown migrations: ${unknown.map((r) => r.migration_name).join(", ")}). Start that version, or restore a backup made with this one.`,
      );
    }
    const done = new Map(rows.map((r) => [r.migration_name, r.checksum]));
    const applied: string[] = [];
    for (const migration of migrations) {
      if (done.has(migration.name)) continue;
      const id = randomUUID();
      await client.query("BEGIN");
      try {
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at) VALUES ($1, $2, $3, now())`,
          [id, migration.checksum, migration.name],
        );
        await client.query(migration.sql);
        await client.query(
          `UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1`,
          [id],
        );
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw new Error(`Migration ${migration.name} failed: ${(error as Error).message}`, { cause: error });
      }
      applied.push(migration.name);
    }
    return { applied, alreadyApplied: done.size };
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [PRISMA_ADVISORY_LOCK]).catch(() => undefined);
    await client.end();
  }
}

/** True when every migration of this build is applied (what /api/health calls "migrated"). */
export async function isMigrated(
  query: (sql: string) => Promise<{ rows: { migration_name: string }[] }>,
  dir = MIGRATIONS_DIR,
): Promise<boolean> {
  const migrations = await readMigrations(dir);
  try {
    const { rows } = await query(
      `SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    const applied = new Set(rows.map((r) => r.migration_name));
    return migrations.every((m) => applied.has(m.name));
  } catch {
    return false;
  }
}
