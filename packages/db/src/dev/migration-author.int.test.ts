// Proves the README's "Changing the database schema" steps work offline on these machines: add a model, create its
// migration, apply it.
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { quoteIdent, withDatabase } from "../database.ts";
import { applyMigrations } from "../migrate.ts";
import { TEST_SERVER_URL_ENV } from "../testing/index.ts";
import { createMigration, deriveSchemaForPrisma6, PRISMA_DIR, SNAPSHOT_FILE } from "./migration-author.ts";

let prismaDir: string;
let connection: { host: string; port: number; user: string; password: string; database: string };

beforeAll(async () => {
  prismaDir = await mkdtemp(path.join(tmpdir(), "syncpoint-prisma-"));
  await cp(PRISMA_DIR, prismaDir, { recursive: true });
  const url = new URL(process.env[TEST_SERVER_URL_ENV]!);
  connection = {
    host: url.hostname,
    port: Number(url.port),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database: "postgres",
  };
});
afterAll(() => rm(prismaDir, { recursive: true, force: true }));

describe("creating a migration offline", () => {
  it("finds nothing to do when the schema matches the last migration", async () => {
    expect(await createMigration({ name: "noop", prismaDir, connection })).toEqual({ created: false });
  });

  it("writes the migration for a new model, updates the snapshot, and the migration applies", async () => {
    const schemaFile = path.join(prismaDir, "schema.prisma");
    await writeFile(
      schemaFile,
      (await readFile(schemaFile, "utf8")) +
        `\nmodel Widget {\n  id   Int    @id @default(autoincrement())\n  name String @unique\n\n  @@map("widgets")\n}\n`,
    );
    const result = await createMigration({
      name: "add_widgets",
      prismaDir,
      connection,
      now: new Date("2099-01-02T03:04:05Z"),
    });
    expect(result.created).toBe(true);
    if (!result.created) return;
    expect(path.basename(result.folder)).toBe("20990102030405_add_widgets");
    expect(result.sql).toContain('CREATE TABLE "widgets"');
    expect(result.sql).not.toContain('CREATE TABLE "users"');
    expect(await readFile(path.join(prismaDir, SNAPSHOT_FILE), "utf8")).toBe(await readFile(schemaFile, "utf8"));

    const serverUrl = process.env[TEST_SERVER_URL_ENV]!;
    const name = `w_${Date.now()}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${quoteIdent(name)}`);
    try {
      const applied = await applyMigrations(withDatabase(serverUrl, name), path.join(prismaDir, "migrations"));
      expect(applied.applied).toEqual(
        (await readdir(path.join(prismaDir, "migrations"), { withFileTypes: true }))
          .filter((e) => e.isDirectory())
          .map((e) => e.name)
          .sort(),
      );
      const client = new pg.Client({ connectionString: withDatabase(serverUrl, name) });
      await client.connect();
      await client.query(`INSERT INTO widgets (name) VALUES ('sprocket')`);
      expect((await client.query(`SELECT name FROM widgets`)).rows).toEqual([{ name: "sprocket" }]);
      await client.end();
    } finally {
      await admin.query(`DROP DATABASE ${quoteIdent(name)} WITH (FORCE)`);
      await admin.end();
    }
    // And once more: nothing left to migrate.
    expect(await createMigration({ name: "again", prismaDir, connection })).toEqual({ created: false });
  });

  it("refuses a name that would make a bad folder", async () => {
    await expect(createMigration({ name: "Add Widgets!", prismaDir, connection })).rejects.toThrow(
      /lower-case letters, digits and underscores/,
    );
  });
});

describe("deriveSchemaForPrisma6", () => {
  it("swaps the generator and adds a datasource url, leaving models alone", () => {
    const derived = deriveSchemaForPrisma6(
      `generator client {\n  provider = "prisma-client"\n  output = "x"\n}\n\ndatasource db {\n  provider = "postgresql"\n}\n\nmodel A {\n  id Int @id\n}\n`,
    );
    expect(derived).toContain('provider   = "prisma-client-js"\n  engineType = "client"');
    expect(derived).toContain('url = env("SYNCPOINT_MIGRATION_DIFF_URL")');
    expect(derived).toContain("model A {\n  id Int @id\n}");
    expect(derived).not.toContain('output = "x"');
  });
});
