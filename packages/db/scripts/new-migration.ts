// `pnpm db:migration <name>`: writes prisma/migrations/<UTC timestamp>_<name>/migration.sql for the change made to
// prisma/schema.prisma since the last migration, offline. Uses DATABASE_URL when set, else a throwaway embedded
// PostgreSQL (Prisma's diff wants a connection even though it compares two schema files).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createMigration } from "../src/dev/migration-author.ts";
import { EmbeddedPostgres, makeTraversable } from "../src/embedded-postgres.ts";
import { findFreePort } from "../src/ports.ts";

const name = process.argv[2];
if (!name) {
  console.error("usage: pnpm db:migration <name>   (e.g. pnpm db:migration add_alerts)");
  process.exit(2);
}

const scratch = await mkdtemp(path.join(tmpdir(), "syncpoint-migration-"));
await makeTraversable(scratch);
const server = new EmbeddedPostgres({ dataDir: path.join(scratch, "pg"), port: await findFreePort() });
try {
  await server.start();
  const result = await createMigration({ name, connection: { ...server.connection, database: "postgres" } });
  if (result.created) {
    console.log(`Created ${path.relative(process.cwd(), result.folder)}/migration.sql:\n\n${result.sql}`);
    console.log("It is applied on the next start (or test run). Commit it with prisma/schema.snapshot.prisma.");
  } else {
    console.log("prisma/schema.prisma has no changes since the last migration; nothing created.");
  }
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 1;
} finally {
  await server.stop();
  await rm(scratch, { recursive: true, force: true });
}
