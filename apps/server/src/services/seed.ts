// First-start data: the demo hierarchy and the `admin` account. Runs in one transaction under an advisory lock, so
// several processes starting at once seed exactly once, and a second start changes nothing.
import { Role, SiteType, SyncSource, type PrismaClient } from "@syncpoint/db";
import { generatePassword, hashPassword } from "./passwords.ts";

const SEED_LOCK = 7_265_110; // arbitrary, distinct from Prisma's migration lock

export interface SeedResult {
  /** Set only when the admin account was created just now with a generated password: show it once. */
  generatedAdminPassword?: string;
  createdAdmin: boolean;
  createdHierarchy: boolean;
}

/** The demo hierarchy: a central administration site, two primaries, a secondary under each; one SUP per site. */
export const DEMO_SITES = [
  { code: "CAS", name: "Central Administration Site", type: SiteType.central, parentCode: null },
  { code: "P01", name: "Primary Site 01", type: SiteType.primary, parentCode: "CAS" },
  { code: "P02", name: "Primary Site 02", type: SiteType.primary, parentCode: "CAS" },
  { code: "S01", name: "Secondary Site 01", type: SiteType.secondary, parentCode: "P01" },
  { code: "S02", name: "Secondary Site 02", type: SiteType.secondary, parentCode: "P02" },
] as const;

export const DEMO_DOMAIN = "corp.contoso.com";

export async function seed(prisma: PrismaClient, options: { adminPassword?: string }): Promise<SeedResult> {
  // Hashing is slow; do it before taking the lock.
  const generated = options.adminPassword ? undefined : generatePassword();
  const passwordHash = await hashPassword(options.adminPassword ?? generated!);

  return prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${SEED_LOCK})`;
    let createdAdmin = false;
    if ((await tx.user.count()) === 0) {
      await tx.user.create({
        data: {
          username: "admin",
          passwordHash,
          role: Role.full_administrator,
          // A password someone chose is theirs; a generated one was printed on a console and must be replaced.
          mustChangePassword: generated !== undefined,
        },
      });
      createdAdmin = true;
    }
    let createdHierarchy = false;
    if ((await tx.site.count()) === 0) {
      for (const site of DEMO_SITES) {
        await tx.site.create({
          data: {
            ...site,
            sups: {
              create: {
                serverName: `${site.code.toLowerCase()}-sup01.${DEMO_DOMAIN}`,
                syncSource: site.parentCode === null ? SyncSource.microsoft_update : SyncSource.parent,
              },
            },
          },
        });
      }
      createdHierarchy = true;
    }
    return {
      createdAdmin,
      createdHierarchy,
      ...(createdAdmin && generated ? { generatedAdminPassword: generated } : {}),
    };
  });
}
