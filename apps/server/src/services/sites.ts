// The site hierarchy: the tree, and Administration › Sites adding, changing and removing child sites under
// Configuration Manager's rules (domain.md §1): a primary hangs under the central site (at most 25), a secondary under
// a primary (at most 250, with exactly one software update point); the top-level site — a central site, or a
// stand-alone primary in older data — is never created or removed here.
import {
  MAX_PRIMARIES_PER_CENTRAL,
  MAX_SECONDARIES_PER_PRIMARY,
  type CreateSiteRequest,
  type SiteDto,
  type SiteNode,
  type SupSummary,
  type SupSyncStatusRow,
  type UpdateSiteRequest,
} from "@syncpoint/contracts";
import { Prisma, SiteType, SyncSource, type Site, type SoftwareUpdatePoint } from "@syncpoint/db";
import type { AppContext } from "../context.ts";
import { fieldError, HttpError, notFound } from "../http/errors.ts";
import { toAlertDto } from "./alerts.ts";
import { supStatusRows, publishSupStatus } from "./sync-status.ts";
import { syncSourceName } from "./sync-sources.ts";

const ACTIVE_RUN_STATES = ["queued", "running", "canceling"] as const;

function toSupSummary(sup: SoftwareUpdatePoint): SupSummary {
  return {
    serverName: sup.serverName,
    syncSource: syncSourceName(sup.syncSource),
    catalogVersion: sup.catalogVersion,
    port: sup.port,
    sslPort: sup.sslPort,
    useSsl: sup.useSsl,
  };
}

/** A site's SUPs in the order the tree lists them; the first created is its synchronization source. */
const bySyncSourceFirst = (a: SoftwareUpdatePoint, b: SoftwareUpdatePoint) =>
  a.createdAt.getTime() - b.createdAt.getTime() || a.serverName.localeCompare(b.serverName);

function toSiteDto(site: Site & { sups: SoftwareUpdatePoint[] }): SiteDto {
  return {
    code: site.code,
    name: site.name,
    type: site.type,
    parentCode: site.parentCode,
    sups: [...site.sups].sort((a, b) => a.serverName.localeCompare(b.serverName)).map(toSupSummary),
    createdAt: site.createdAt.toISOString(),
  };
}

/** The hierarchy as trees (normally one, rooted at the top-level site), children sorted by code. */
export async function getSiteTree(ctx: AppContext): Promise<SiteNode[]> {
  const sites = await ctx.prisma.site.findMany({ include: { sups: true }, orderBy: { code: "asc" } });
  const nodes = new Map<string, SiteNode>(
    sites.map((s) => [
      s.code,
      {
        code: s.code,
        name: s.name,
        type: s.type,
        parentCode: s.parentCode,
        sups: s.sups.sort((a, b) => a.serverName.localeCompare(b.serverName)).map(toSupSummary),
        children: [],
      },
    ]),
  );
  const roots: SiteNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.parentCode ? nodes.get(node.parentCode) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

const codeTaken = (code: string) =>
  fieldError(
    "body.code",
    `a site with the code ${code} already exists`,
    "site_code_taken",
    { site: code },
    {
      status: 409,
      code: "SITE_CODE_TAKEN",
      summary: `body.code: a site with the code ${code} already exists.`,
    },
  );

const isUniqueViolation = (error: unknown) =>
  error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";

/** Adds a primary under the central site or a secondary under a primary, with its software update point. */
export async function createSite(ctx: AppContext, input: CreateSiteRequest): Promise<SiteDto> {
  let site;
  try {
    site = await ctx.prisma.$transaction(async (tx) => {
      // The parent row is locked so that two concurrent creations cannot both take the 25th (or 250th) place.
      const [parent] = await tx.$queryRaw<{ code: string; type: SiteType }[]>`
        SELECT code, type::text AS type FROM sites WHERE code = ${input.parentCode} FOR UPDATE`;
      if (!parent) {
        throw fieldError("body.parentCode", `there is no site ${input.parentCode}`, "site_not_found", {
          site: input.parentCode,
        });
      }
      if (await tx.site.findUnique({ where: { code: input.code }, select: { code: true } })) {
        throw codeTaken(input.code);
      }
      if (input.type === "primary" && parent.type !== SiteType.central) {
        throw fieldError(
          "body.parentCode",
          `a primary site's parent is the central administration site; ${parent.code} is a ${parent.type} site`,
          "parent_not_central",
          { parent: parent.code, parentType: parent.type },
        );
      }
      if (input.type === "secondary" && parent.type !== SiteType.primary) {
        throw fieldError(
          "body.parentCode",
          `a secondary site's parent is a primary site; ${parent.code} is a ${parent.type} site`,
          "parent_not_primary",
          { parent: parent.code, parentType: parent.type },
        );
      }
      const siblings = await tx.site.count({ where: { parentCode: parent.code } });
      const limit = input.type === "primary" ? MAX_PRIMARIES_PER_CENTRAL : MAX_SECONDARIES_PER_PRIMARY;
      if (siblings >= limit) {
        throw new HttpError(
          409,
          "SITE_LIMIT_REACHED",
          input.type === "primary"
            ? `${parent.code} already has ${siblings} primary sites; a central administration site can have at most ${limit}.`
            : `${parent.code} already has ${siblings} secondary sites; a primary site can have at most ${limit}.`,
          { parentCode: parent.code, limit, count: siblings },
        );
      }
      return tx.site.create({
        data: {
          code: input.code,
          name: input.name,
          type: input.type === "primary" ? SiteType.primary : SiteType.secondary,
          parentCode: parent.code,
          // Exactly one SUP: the one a secondary may have, and a primary's first (its synchronization source).
          // Child sites always synchronize from their parent's SUP.
          sups: { create: { ...input.sup, syncSource: SyncSource.parent } },
        },
        include: { sups: true },
      });
    });
  } catch (error) {
    // Two requests for the same new code: the loser's insert hits the primary key.
    if (isUniqueViolation(error)) throw codeTaken(input.code);
    throw error;
  }
  await publishSupStatus(ctx, site.code);
  return toSiteDto(site);
}

/** Renames a site and changes its software update point's server, ports or SSL (its first SUP: the sync source). */
export async function updateSite(
  ctx: AppContext,
  code: string,
  input: UpdateSiteRequest,
): Promise<{ before: SiteDto; after: SiteDto }> {
  const { before, after } = await ctx.prisma.$transaction(async (tx) => {
    const site = await tx.site.findUnique({ where: { code }, include: { sups: true } });
    if (!site) throw notFound(`The site ${code}`);
    const sup = [...site.sups].sort(bySyncSourceFirst)[0];
    if (input.sup && !sup) {
      throw fieldError("body.sup", `${code} has no software update point`, "site_has_no_sup", { site: code });
    }
    if (input.name !== undefined) await tx.site.update({ where: { code }, data: { name: input.name } });
    if (sup && input.sup) {
      const port = input.sup.port ?? sup.port;
      const sslPort = input.sup.sslPort ?? sup.sslPort;
      if (port === sslPort) throw fieldError("body.sup.sslPort", "sslPort must differ from port", "ports_must_differ");
      const other = input.sup.serverName
        ? site.sups.find((s) => s.id !== sup.id && s.serverName === input.sup!.serverName)
        : undefined;
      if (other) {
        throw fieldError(
          "body.sup.serverName",
          `another software update point of ${code} is ${other.serverName}`,
          "server_name_taken",
          { site: code, serverName: other.serverName },
        );
      }
      await tx.softwareUpdatePoint.update({ where: { id: sup.id }, data: input.sup });
    }
    const updated = await tx.site.findUniqueOrThrow({ where: { code }, include: { sups: true } });
    return { before: toSiteDto(site), after: toSiteDto(updated) };
  });
  // The status rows show the server name.
  if (input.sup) await publishSupStatus(ctx, code);
  return { before, after };
}

/**
 * Removes a leaf site below the top level with everything that is only its own: its SUPs, catalog entries, runs
 * (with their log lines) and status messages go by the foreign keys' ON DELETE CASCADE; its open alerts (which keep
 * the site code by value) are canceled. Refused while the site has child sites or an active run.
 */
export async function deleteSite(
  ctx: AppContext,
  code: string,
): Promise<{ before: SiteDto; removed: { catalogEntries: number; runs: number; statusMessages: number } }> {
  // Captured first: once the site is gone its status rows cannot be computed, and consoles must drop them.
  const rows = await supStatusRows(ctx, code);
  const { before, removed, alerts } = await ctx.prisma.$transaction(
    async (tx) => {
      // Locked, so that no child site and no run can be added between these checks and the delete (both insert rows
      // referencing it, which waits for this lock).
      const [locked] = await tx.$queryRaw<{ code: string }[]>`SELECT code FROM sites WHERE code = ${code} FOR UPDATE`;
      if (!locked) throw notFound(`The site ${code}`);
      const site = await tx.site.findUniqueOrThrow({ where: { code }, include: { sups: true } });
      if (site.parentCode === null) {
        throw new HttpError(
          409,
          "TOP_LEVEL_SITE",
          `${code} is the top-level site of the hierarchy; it cannot be removed.`,
        );
      }
      const children = await tx.site.findMany({ where: { parentCode: code }, select: { code: true }, take: 5 });
      if (children.length > 0) {
        const count = await tx.site.count({ where: { parentCode: code } });
        throw new HttpError(
          409,
          "SITE_HAS_CHILDREN",
          `${code} has ${count} child site${count === 1 ? "" : "s"} (${children.map((c) => c.code).join(", ")}${count > children.length ? ", …" : ""}); remove them first.`,
          { children: count },
        );
      }
      const active = await tx.syncRun.findFirst({
        where: { siteCode: code, state: { in: [...ACTIVE_RUN_STATES] } },
        select: { id: true, state: true },
      });
      if (active) {
        throw new HttpError(
          409,
          "SYNC_ALREADY_ACTIVE",
          `A synchronization of ${code} is ${active.state}; cancel it or wait for it to end before removing the site.`,
          { runId: active.id },
        );
      }
      const openAlerts = await tx.alert.findMany({
        where: { siteCode: code, state: { in: ["active", "acknowledged"] } },
        select: { id: true },
      });
      const now = new Date();
      await tx.alert.updateMany({
        where: { id: { in: openAlerts.map((a) => a.id) } },
        data: { state: "canceled", canceledAt: now, updatedAt: now },
      });
      // What goes with it, for the audit record.
      const catalogEntries = await tx.siteCatalogEntry.count({ where: { siteCode: code } });
      const runs = await tx.syncRun.count({ where: { siteCode: code } });
      const statusMessages = await tx.statusMessage.count({ where: { siteCode: code } });
      await tx.site.delete({ where: { code } });
      const canceled = await tx.alert.findMany({ where: { id: { in: openAlerts.map((a) => a.id) } } });
      return { before: toSiteDto(site), removed: { catalogEntries, runs, statusMessages }, alerts: canceled };
      // A synced site holds a whole catalog (hundreds of thousands of entries) that the cascade deletes.
    },
    { timeout: 120_000 },
  );
  for (const row of rows) await ctx.events.supStatus({ ...row, removed: true } satisfies SupSyncStatusRow);
  for (const alert of alerts) await ctx.events.alert(toAlertDto(alert));
  return { before, removed };
}
