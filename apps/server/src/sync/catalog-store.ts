// The CatalogStore of one site on Postgres: revisions are stored once for the hierarchy; the site's catalog is the
// set of current revisions it synced, changed in one transaction whose commit is the new catalog version.
import type { RunPhase } from "@syncpoint/contracts";
import type { Prisma } from "@syncpoint/db";
import { type PrismaClient } from "@syncpoint/db";
import type { ApplyPlan, ApplyResult, CatalogStore } from "@syncpoint/sync";
import type { UpdateIdentity, UpdateRecord } from "@syncpoint/wsusss";

const key = (id: UpdateIdentity) => `${id.updateId},${id.revisionNumber}`;

function titleOf(record: UpdateRecord): { title: string; description: string | null } {
  const preferred =
    record.localized.find((l) => l.language.toLowerCase() === record.defaultLanguage.toLowerCase()) ??
    record.localized.find((l) => l.language.toLowerCase() === "en") ??
    record.localized[0];
  return { title: preferred?.title ?? record.updateId, description: preferred?.description ?? null };
}

export class PrismaCatalogStore implements CatalogStore {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly site: { code: string; supId: string },
  ) {}

  async storedRevisions(ids: UpdateIdentity[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.prisma.$queryRaw<{ update_id: string; revision_number: number }[]>`
      SELECT r.update_id::text, r.revision_number
      FROM unnest(${ids.map((i) => i.updateId.toLowerCase())}::uuid[], ${ids.map((i) => i.revisionNumber)}::int[]) AS w(update_id, revision_number)
      JOIN update_revisions r USING (update_id, revision_number)`;
    const categories = await this.prisma.$queryRaw<{ id: string; revision_number: number }[]>`
      SELECT c.id::text, c.revision_number FROM categories c WHERE c.id = ANY(${ids.map((i) => i.updateId.toLowerCase())}::uuid[])`;
    return new Set([
      ...rows.map((r) => key({ updateId: r.update_id, revisionNumber: r.revision_number })),
      ...categories.map((c) => key({ updateId: c.id, revisionNumber: c.revision_number })),
    ]);
  }

  async saveCategories(records: UpdateRecord[]): Promise<string[]> {
    const fresh: string[] = [];
    for (const record of records) {
      const existing = await this.prisma.category.findUnique({ where: { id: record.updateId } });
      const data = {
        revisionNumber: record.revisionNumber,
        categoryType: record.categoryType ?? "Product",
        title: titleOf(record).title,
        parentIds: record.parentCategoryIds,
        lastSeenAt: new Date(),
      };
      if (existing) await this.prisma.category.update({ where: { id: record.updateId }, data });
      else {
        await this.prisma.category.create({ data: { id: record.updateId, ...data } });
        fresh.push(record.updateId);
      }
    }
    return fresh;
  }

  async saveRevisions(records: UpdateRecord[]): Promise<void> {
    if (records.length === 0) return;
    await this.prisma.updateRevision.createMany({
      skipDuplicates: true,
      data: records.map((r) => {
        const { title, description } = titleOf(r);
        return {
          updateId: r.updateId,
          revisionNumber: r.revisionNumber,
          updateType: r.updateType,
          title,
          description,
          localized: r.localized as unknown as Prisma.InputJsonValue,
          languages: [...new Set(r.localized.map((l) => l.language.toLowerCase()))],
          kbArticleIds: r.kbArticleIds,
          securityBulletinIds: r.securityBulletinIds,
          cveIds: r.cveIds,
          msrcSeverity: r.msrcSeverity ?? null,
          classificationIds: r.classificationIds,
          productIds: r.productIds,
          creationDate: new Date(r.creationDate),
          publicationState: r.publicationState,
          isBundle: r.bundledUpdates.length > 0,
          bundledUpdates: r.bundledUpdates as unknown as Prisma.InputJsonValue,
          supersededUpdateIds: r.supersededUpdateIds,
          prerequisiteIds: r.prerequisiteIds,
          files: r.files as unknown as Prisma.InputJsonValue,
          supportUrl: r.supportUrl ?? null,
          moreInfoUrl: r.moreInfoUrl ?? null,
          maxDownloadSize: r.maxDownloadSize === undefined ? null : BigInt(r.maxDownloadSize),
          defaultLanguage: r.defaultLanguage,
          isBeta: r.isBeta ?? null,
        };
      }),
    });
  }

  async applyCatalog(plan: ApplyPlan, onPhase: (phase: RunPhase) => Promise<void>): Promise<ApplyResult> {
    const siteCode = this.site.code;
    const ids = plan.revisions.map((r) => r.updateId);
    const revs = plan.revisions.map((r) => r.revisionNumber);
    return this.prisma.$transaction(
      async (tx) => {
        // Serialize applies to one site (a second worker on the same run would wait here, then see it committed).
        const [sup] = await tx.$queryRaw<{ catalog_version: number }[]>`
          SELECT catalog_version FROM software_update_points WHERE id = ${this.site.supId}::uuid FOR UPDATE`;
        const current = sup?.catalog_version ?? 0;
        // A child mirrors its parent's version; the top-level site counts its own.
        const version = plan.catalogVersion ?? current + 1;

        // The wanted state of each listed update, joined with what the site has now.
        await tx.$executeRaw`
          CREATE TEMP TABLE wanted ON COMMIT DROP AS
          SELECT w.update_id, w.revision_number, (r.publication_state = 'Expired') AS is_expired,
                 e.revision_number AS current_revision, e.is_expired AS current_expired
          FROM unnest(${ids}::uuid[], ${revs}::int[]) AS w(update_id, revision_number)
          JOIN update_revisions r USING (update_id, revision_number)
          LEFT JOIN site_catalog_entries e ON e.site_code = ${siteCode} AND e.update_id = w.update_id`;
        const [counts] = await tx.$queryRaw<{ new: number; revised: number; expired: number }[]>`
          SELECT count(*) FILTER (WHERE current_revision IS NULL)::int AS new,
                 count(*) FILTER (WHERE current_revision IS NOT NULL AND current_revision <> revision_number)::int AS revised,
                 count(*) FILTER (WHERE is_expired AND current_expired IS DISTINCT FROM true)::int AS expired
          FROM wanted`;
        // Gone: outside the current selection (deselected products or classifications), or — when the upstream
        // listed the whole selection — no longer listed there.
        const removed = await tx.$executeRaw`
          DELETE FROM site_catalog_entries e
          USING update_revisions r
          WHERE e.site_code = ${siteCode} AND r.update_id = e.update_id AND r.revision_number = e.revision_number
            AND (
              NOT (r.product_ids && ${plan.products}::uuid[] AND r.classification_ids && ${plan.classifications}::uuid[])
              OR (${plan.complete} AND NOT EXISTS (SELECT 1 FROM wanted w WHERE w.update_id = e.update_id))
            )`;
        await tx.$executeRaw`
          INSERT INTO site_catalog_entries (site_code, update_id, revision_number, is_expired, version)
          SELECT ${siteCode}, update_id, revision_number, is_expired, ${version} FROM wanted
          WHERE current_revision IS DISTINCT FROM revision_number OR current_expired IS DISTINCT FROM is_expired
          ON CONFLICT (site_code, update_id) DO UPDATE
            SET revision_number = excluded.revision_number, is_expired = excluded.is_expired,
                version = excluded.version, updated_at = now()`;

        await onPhase("supersedence");
        // An update is superseded when a current revision in this catalog names it as superseded.
        const superseded = await tx.$executeRaw`
          UPDATE site_catalog_entries e SET is_superseded = s.flag, version = ${version}, updated_at = now()
          FROM (
            SELECT e2.update_id, EXISTS (
              SELECT 1 FROM site_catalog_entries o JOIN update_revisions r
                ON r.update_id = o.update_id AND r.revision_number = o.revision_number
              WHERE o.site_code = ${siteCode} AND e2.update_id = ANY(r.superseded_update_ids)
            ) AS flag
            FROM site_catalog_entries e2 WHERE e2.site_code = ${siteCode}
          ) s
          WHERE e.site_code = ${siteCode} AND e.update_id = s.update_id AND e.is_superseded IS DISTINCT FROM s.flag`;

        await onPhase("commit");
        const result = {
          new: counts?.new ?? 0,
          revised: counts?.revised ?? 0,
          expired: counts?.expired ?? 0,
          superseded,
          removed,
        };
        const changed = result.new + result.revised + result.expired + result.superseded + result.removed > 0;
        const catalogVersion = plan.catalogVersion ?? (changed ? version : current);
        await tx.softwareUpdatePoint.update({
          where: { id: this.site.supId },
          data: {
            catalogVersion,
            anchor: plan.anchor,
            lastSuccessfulSyncAt: new Date(),
            syncedProducts: plan.products,
            syncedClassifications: plan.classifications,
          },
        });
        return { counts: result, changed, catalogVersion };
      },
      { timeout: 600_000, maxWait: 30_000 },
    );
  }
}
