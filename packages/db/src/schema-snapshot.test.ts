import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PRISMA_DIR, SNAPSHOT_FILE } from "./dev/migration-author.ts";

describe("prisma/schema.prisma", () => {
  it("has no change without a migration (run `pnpm db:migration <name>` after editing it)", async () => {
    const schema = await readFile(path.join(PRISMA_DIR, "schema.prisma"), "utf8");
    const snapshot = await readFile(path.join(PRISMA_DIR, SNAPSHOT_FILE), "utf8");
    expect(schema).toBe(snapshot);
  });
});
