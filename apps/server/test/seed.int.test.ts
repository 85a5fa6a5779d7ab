import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@syncpoint/db/testing";
import { verify } from "@node-rs/argon2";
import { seed } from "../src/services/seed.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

describe("first-start seed", () => {
  it("creates the demo hierarchy with one SUP each and the admin from ADMIN_PASSWORD", async () => {
    const result = await seed(db.prisma, { adminPassword: "chosen by the operator" });
    expect(result).toEqual({ createdAdmin: true, createdHierarchy: true });

    const sites = await db.prisma.site.findMany({ include: { sups: true }, orderBy: { code: "asc" } });
    expect(sites.map((s) => [s.code, s.type, s.parentCode])).toEqual([
      ["CAS", "central", null],
      ["P01", "primary", "CAS"],
      ["P02", "primary", "CAS"],
      ["S01", "secondary", "P01"],
      ["S02", "secondary", "P02"],
    ]);
    for (const site of sites) expect(site.sups).toHaveLength(1);
    expect(sites.find((s) => s.code === "CAS")!.sups[0]!.syncSource).toBe("microsoft_update");
    expect(sites.filter((s) => s.code !== "CAS").every((s) => s.sups[0]!.syncSource === "parent")).toBe(true);

    const admin = await db.prisma.user.findUniqueOrThrow({ where: { username: "admin" } });
    expect(admin.role).toBe("full_administrator");
    expect(admin.mustChangePassword).toBe(false);
    expect(admin.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await verify(admin.passwordHash, "chosen by the operator")).toBe(true);
  });

  it("changes nothing on a second start", async () => {
    const before = await db.prisma.user.findUniqueOrThrow({ where: { username: "admin" } });
    const result = await seed(db.prisma, { adminPassword: "another password" });
    expect(result).toEqual({ createdAdmin: false, createdHierarchy: false });
    expect(await db.prisma.site.count()).toBe(5);
    const after = await db.prisma.user.findUniqueOrThrow({ where: { username: "admin" } });
    expect(after.passwordHash).toBe(before.passwordHash);
  });

  it("seeds exactly once when several processes start at the same moment", async () => {
    const other = await createTestDatabase();
    try {
      const results = await Promise.all([seed(other.prisma, {}), seed(other.prisma, {}), seed(other.prisma, {})]);
      expect(results.filter((r) => r.createdAdmin)).toHaveLength(1);
      expect(results.filter((r) => r.generatedAdminPassword)).toHaveLength(1);
      expect(await other.prisma.site.count()).toBe(5);
      expect(await other.prisma.user.count()).toBe(1);
    } finally {
      await other.drop();
    }
  });
});
