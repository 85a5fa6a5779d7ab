// The documented maximum of a Configuration Manager hierarchy (domain.md §1): one central administration site, 25
// primaries under it and 250 secondaries under each primary — 6 276 sites, one software update point each. Used to
// prove that the console and the cascade stay fast at that size (`SYNCPOINT_HIERARCHY=largest pnpm start`, the
// benchmarks, the scale tests). It fills up whatever hierarchy is there: existing sites are kept, and running it twice
// changes nothing.
import { MAX_PRIMARIES_PER_CENTRAL, MAX_SECONDARIES_PER_PRIMARY } from "@syncpoint/contracts";
import { SiteType, SyncSource, type PrismaClient } from "@syncpoint/db";
import { DEMO_DOMAIN } from "./seed.ts";

export interface PlannedSite {
  code: string;
  name: string;
  type: SiteType;
  parentCode: string | null;
}

/**
 * The first letter of each primary's secondaries: 25 symbols without P and S, so that no generated code can be a
 * primary's (P01…P25) or the demo's (S01, S02), and without C, whose codes could spell CAS or CON.
 */
const SECONDARY_PREFIXES = "ABDEFGHJKLMNQRTUVWXYZ1234";

const pad2 = (n: number) => String(n).padStart(2, "0");

/** Base 36 in two upper-case characters: 0 → "00", 249 → "6X". */
const base36 = (n: number) => n.toString(36).toUpperCase().padStart(2, "0");

/** Every site of the largest hierarchy under `centralCode`, parents before children. */
export function largestHierarchyPlan(centralCode = "CAS"): PlannedSite[] {
  const sites: PlannedSite[] = [
    { code: centralCode, name: "Central Administration Site", type: SiteType.central, parentCode: null },
  ];
  for (let p = 1; p <= MAX_PRIMARIES_PER_CENTRAL; p++) {
    sites.push({
      code: `P${pad2(p)}`,
      name: `Primary Site ${pad2(p)}`,
      type: SiteType.primary,
      parentCode: centralCode,
    });
  }
  for (let p = 1; p <= MAX_PRIMARIES_PER_CENTRAL; p++) {
    const prefix = SECONDARY_PREFIXES[p - 1]!;
    for (let s = 0; s < MAX_SECONDARIES_PER_PRIMARY; s++) {
      sites.push({
        code: `${prefix}${base36(s)}`,
        name: `Secondary Site ${pad2(p)}-${String(s + 1).padStart(3, "0")}`,
        type: SiteType.secondary,
        parentCode: `P${pad2(p)}`,
      });
    }
  }
  return sites;
}

export interface LargestHierarchyResult {
  created: number;
  sites: number;
}

const BATCH = 1_000;
const LARGEST_LOCK = 7_265_111; // arbitrary, next to the seed's

/**
 * Creates what is missing of the largest hierarchy. A primary that already has secondaries of its own (the demo's S01
 * under P01) gets generated ones only up to the limit of 250. Refuses when the top-level site is a stand-alone
 * primary: the largest hierarchy needs a central site.
 */
export async function ensureLargestHierarchy(prisma: PrismaClient): Promise<LargestHierarchyResult> {
  return prisma.$transaction(
    async (tx) => {
      // Two API processes starting at once: the second waits, then finds everything in place.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${LARGEST_LOCK})`;
      const existing = await tx.site.findMany({ select: { code: true, type: true, parentCode: true } });
      const top = existing.find((site) => site.parentCode === null);
      if (top && top.type !== SiteType.central) {
        throw new Error(
          `the top-level site ${top.code} is a stand-alone primary; the largest hierarchy needs a central site`,
        );
      }
      const known = new Set(existing.map((site) => site.code));
      const children = new Map<string, number>();
      for (const site of existing) {
        if (site.parentCode) children.set(site.parentCode, (children.get(site.parentCode) ?? 0) + 1);
      }
      const wanted: PlannedSite[] = [];
      for (const site of largestHierarchyPlan(top?.code ?? "CAS")) {
        if (known.has(site.code)) continue;
        if (site.parentCode) {
          const limit = site.type === SiteType.primary ? MAX_PRIMARIES_PER_CENTRAL : MAX_SECONDARIES_PER_PRIMARY;
          const count = children.get(site.parentCode) ?? 0;
          if (count >= limit) continue;
          children.set(site.parentCode, count + 1);
        }
        wanted.push(site);
      }
      for (let i = 0; i < wanted.length; i += BATCH) {
        const batch = wanted.slice(i, i + BATCH);
        await tx.site.createMany({ data: batch });
        await tx.softwareUpdatePoint.createMany({
          data: batch.map((site) => ({
            siteCode: site.code,
            serverName: `${site.code.toLowerCase()}-sup01.${DEMO_DOMAIN}`,
            syncSource: site.parentCode === null ? SyncSource.microsoft_update : SyncSource.parent,
          })),
        });
      }
      return { created: wanted.length, sites: existing.length + wanted.length };
    },
    { timeout: 120_000 },
  );
}
