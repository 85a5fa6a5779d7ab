// First-start data: the demo hierarchy and the `admin` account. Runs in one transaction under an advisory lock, so
// several processes starting at once seed exactly once, and a second start changes nothing.
import { Role, SiteType, SyncSource, type PrismaClient } from "@syncpoint/db";
import { registerConfiguredSecret } from "../security/redact.ts";
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

/**
 * The component settings a new hierarchy starts with: the Windows client and server products most sites manage and
 * the classifications ConfigMgr administrators commonly pick first (GUIDs: domain.md §3).
 */
export const DEFAULT_SUP_SETTINGS = {
  products: [
    "a3c2375d-0c8a-42f9-bce0-28333e198407", // Windows 10
    "72e7624a-5b00-45d2-b92f-e561c0a6a160", // Windows 11
    "f702a48c-919b-45d6-9aef-ca4248d50397", // Windows Server 2019
    "71718f13-7324-4b0f-8f9e-2ca9dc978e53", // Microsoft Server operating system-21H2 (Windows Server 2022)
  ],
  classifications: [
    "e6cf1350-c01b-414d-a61f-263d14d133b4", // Critical Updates
    "0fa1201d-4330-4fa8-8ae9-b877473b6441", // Security Updates
    "28bc880e-0592-4cbf-8f95-c79b17911d5f", // Update Rollups
    "cd5ffd1e-e932-4e3a-bf74-18bf0b1bbd83", // Updates
  ],
  languages: ["en"],
};

export async function seed(prisma: PrismaClient, options: { adminPassword?: string }): Promise<SeedResult> {
  // Hashing is slow; do it before taking the lock.
  const generated = options.adminPassword ? undefined : generatePassword();
  // Printed once on the console by design; never in a log line.
  registerConfiguredSecret(generated);
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
    if ((await tx.supSettings.count()) === 0) {
      await tx.supSettings.create({
        data: { id: 1, syncSource: SyncSource.microsoft_update, ...DEFAULT_SUP_SETTINGS },
      });
    }
    return {
      createdAdmin,
      createdHierarchy,
      ...(createdAdmin && generated ? { generatedAdminPassword: generated } : {}),
    };
  });
}
