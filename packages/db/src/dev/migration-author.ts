// Creates a migration from the change between the schema as last migrated (prisma/schema.snapshot.prisma) and
// prisma/schema.prisma, entirely offline. Prisma 7's `migrate dev` needs a native engine that cannot be downloaded
// here; Prisma 6.19's CLI runs its WASM schema engine through a driver adapter instead, but only for `migrate diff`
// and only with a schema that carries a `url` and an `engineType = "client"` generator — so we derive such copies
// and never touch the real schema (see TOOLCHAIN.md).
import { spawn } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { PostgresConnectionConfig } from "../embedded-postgres.ts";

const require = createRequire(import.meta.url);
const PACKAGE_DIR = fileURLToPath(new URL("../..", import.meta.url));
export const PRISMA_DIR = fileURLToPath(new URL("../../../../prisma", import.meta.url));
export const SNAPSHOT_FILE = "schema.snapshot.prisma";

export interface CreateMigrationOptions {
  name: string;
  /** The folder holding schema.prisma, schema.snapshot.prisma and migrations/. */
  prismaDir?: string;
  /** Prisma 6's diff connects to a database even for schema-to-schema diffs; any empty one will do. */
  connection: PostgresConnectionConfig & { database: string };
  /** For tests: a fixed timestamp prefix. */
  now?: Date;
}

export type CreateMigrationResult = { created: false } | { created: true; folder: string; sql: string };

const NAME_PATTERN = /^[a-z0-9][a-z0-9_]{0,60}$/;

/** The schema rewritten for Prisma 6's CLI: a datasource url (never used to connect) and a client-engine generator. */
export function deriveSchemaForPrisma6(schema: string): string {
  const generator = /generator\s+client\s*\{[^}]*\}/;
  if (!generator.test(schema)) throw new Error("schema.prisma has no `generator client` block");
  return schema
    .replace(generator, 'generator client {\n  provider   = "prisma-client-js"\n  engineType = "client"\n}')
    .replace(
      /datasource\s+db\s*\{([^}]*)\}/,
      (_m, body: string) => `datasource db {${body}  url = env("SYNCPOINT_MIGRATION_DIFF_URL")\n}`,
    );
}

function timestamp(now: Date): string {
  return now.toISOString().replace(/[-:T]/g, "").slice(0, 14);
}

export async function createMigration(options: CreateMigrationOptions): Promise<CreateMigrationResult> {
  if (!NAME_PATTERN.test(options.name)) {
    throw new Error(`Migration names are lower-case letters, digits and underscores (got "${options.name}").`);
  }
  const prismaDir = options.prismaDir ?? PRISMA_DIR;
  const schemaFile = path.join(prismaDir, "schema.prisma");
  await formatSchema(schemaFile);
  const snapshotFile = path.join(prismaDir, SNAPSHOT_FILE);

  // The config must live inside this package so that it resolves prisma6/config and @prisma/adapter-pg.
  await mkdir(path.join(PACKAGE_DIR, ".tmp"), { recursive: true });
  const work = await mkdtemp(path.join(PACKAGE_DIR, ".tmp", "migration-"));
  try {
    const to = path.join(work, "to.prisma");
    await writeFile(to, deriveSchemaForPrisma6(await readFile(schemaFile, "utf8")));
    const from: string[] = ["--from-empty"];
    if (existsSync(snapshotFile)) {
      const fromFile = path.join(work, "from.prisma");
      await writeFile(fromFile, deriveSchemaForPrisma6(await readFile(snapshotFile, "utf8")));
      from.splice(0, 1, "--from-schema-datamodel", fromFile);
    }
    const config = path.join(work, "prisma.config.ts");
    const c = options.connection;
    await writeFile(
      config,
      `import { defineConfig } from "prisma6/config";
import { PrismaPg } from "@prisma/adapter-pg";
export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: ${JSON.stringify(to)},
  // Discrete fields: with a connectionString the adapter would override the database. A short idle timeout lets
  // the CLI exit as soon as it is done instead of holding its pool open for pg's default 10 s.
  adapter: async () => new PrismaPg(${JSON.stringify({ host: c.host, port: c.port, user: c.user, password: c.password, database: c.database, idleTimeoutMillis: 50 })}),
});
`,
    );
    const cli = require.resolve("prisma6/build/index.js");
    const args = [
      cli,
      "migrate",
      "diff",
      "--config",
      config,
      ...from,
      "--to-schema-datamodel",
      to,
      "--script",
      "--exit-code",
    ];
    const { code, stdout, stderr } = await runNode(args, {
      SYNCPOINT_MIGRATION_DIFF_URL: `postgresql://${c.host}:${c.port}/${c.database}`,
    });
    if (code === 0) return { created: false };
    if (code !== 2) throw new Error(`prisma migrate diff failed (exit ${code}):\n${stderr.trim()}`);

    const folder = path.join(prismaDir, "migrations", `${timestamp(options.now ?? new Date())}_${options.name}`);
    await mkdir(folder, { recursive: true });
    await writeFile(path.join(folder, "migration.sql"), stdout);
    await copyFile(schemaFile, snapshotFile);
    return { created: true, folder, sql: stdout };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** `prisma format` (its WASM engine works offline), so the snapshot and the schema never differ in layout only. */
async function formatSchema(schemaFile: string): Promise<void> {
  const cli = require.resolve("prisma/build/index.js");
  const stub = path.join(PACKAGE_DIR, "scripts/schema-engine-stub.sh");
  const { code, stderr } = await runNode([cli, "format", "--schema", schemaFile], {
    PRISMA_SCHEMA_ENGINE_BINARY: stub,
  });
  if (code !== 0) throw new Error(`prisma format failed (exit ${code}):\n${stderr.trim()}`);
}

function runNode(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: PACKAGE_DIR,
      env: { ...process.env, ...env, PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.once("error", reject);
    child.once("exit", (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}
