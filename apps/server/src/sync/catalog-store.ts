// The CatalogStore of one site on Postgres: revisions are stored once for the hierarchy; the site's catalog is the
// set of current revisions it synced, changed in one transaction whose commit is the new catalog version.
import type { RunPhase } from "@syncpoint/contracts";
import { insertUpdateRevisions, Prisma, type PrismaClient, type UpdateRevisionRow } from "@syncpoint/db";
import type { ApplyPlan, ApplyResult, CatalogStore } from "@syncpoint/sync";
import type { UpdateIdentity, UpdateRecord } from "@syncpoint/wsusss";
import type pg from "pg";
import { REVISION_MAINTENANCE_LOCK } from "../maintenance/obsolete-revisions.ts";
import { pgStatements, pgTransaction, type PgTransaction } from "./pg-transaction.ts";

const key = (id: UpdateIdentity) => `${id.updateId},${id.revisionNumber}`;

function titleOf(record: UpdateRecord): { title: string; description: string | null } {
  const preferred =
    record.localized.find((l) => l.language.toLowerCase() === record.defaultLanguage.toLowerCase()) ??
    record.localized.find((l) => l.language.toLowerCase() === "en") ??
    record.localized[0];
  return { title: preferred?.title ?? record.updateId, description: preferred?.description ?? null };
}

/** Update classifications with rules of their own (domain.md §3). */
const UPGRADES = "3689bdc8-b205-4af4-8d4a-a63924c5e9d5";
const DEFINITION_UPDATES = "e0789628-ce08-4437-be74-2495b842f43b";
const WINDOWS_AND_OFFICE_FAMILIES = new Set([
  "6964aab4-c5b5-43bd-a17d-ffb4346a8e1d", // Windows
  "477b856e-65c4-4473-b621-a8b230bb70d9", // Office
]);

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a.map((x) => x.toLowerCase()));
  const right = new Set(b.map((x) => x.toLowerCase()));
  return left.size === right.size && [...left].every((x) => right.has(x));
}

export interface CatalogRules {
  expireImmediately: boolean;
  months: number;
  featureExpireImmediately: boolean;
  featureMonths: number;
  /** Maximum Run Time (minutes) for feature updates, Office and non-feature Windows updates, and the rest. */
  maxRunTime: { feature: number; windowsOrOffice: number; other: number };
}

export const DEFAULT_CATALOG_RULES: CatalogRules = {
  expireImmediately: false,
  months: 3,
  featureExpireImmediately: false,
  featureMonths: 3,
  maxRunTime: { feature: 120, windowsOrOffice: 60, other: 60 },
};

/**
 * Revisions and categories are stored through Prisma (the top-level site's runs: few, large batches); what every run
 * does — which revisions are stored, the apply — runs on the process's pg pool (`pgTransaction`): a cascade makes
 * thousands of those, and Prisma's interactive transaction cost several times the CPU of their statements.
 */
/** Most revisions whose lookup is sent with its values inlined, in one round trip (see storedRevisions). */
export const INLINE_LIST_MAX = 2_000;

export class PostgresCatalogStore implements CatalogStore {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly pool: pg.Pool,
    private readonly site: { code: string; supId: string },
    private readonly rules: CatalogRules = DEFAULT_CATALOG_RULES,
    /** The run applying: imports are recorded under it. */
    private readonly runId: string | null = null,
  ) {}

  async latestStoredRevision(updateId: string): Promise<number | undefined> {
    const row = await this.prisma.updateRevision.findFirst({
      where: { updateId: updateId.toLowerCase() },
      orderBy: { revisionNumber: "desc" },
      select: { revisionNumber: true },
    });
    return row?.revisionNumber;
  }

  /** The Maximum Run Time a newly synced update gets (changes to the setting apply only to new updates, as in ConfigMgr). */
  private async maxRunTimeOf(record: UpdateRecord): Promise<number> {
    if (record.classificationIds.includes(UPGRADES)) return this.rules.maxRunTime.feature;
    if (record.productIds.length > 0) {
      const products = await this.productFamilies();
      if (record.productIds.some((p) => WINDOWS_AND_OFFICE_FAMILIES.has(products.get(p) ?? ""))) {
        return this.rules.maxRunTime.windowsOrOffice;
      }
    }
    return this.rules.maxRunTime.other;
  }

  private families: Promise<Map<string, string>> | undefined;
  /** product id → its product family id, from the categories synced so far. */
  private productFamilies(): Promise<Map<string, string>> {
    this.families ??= this.prisma.category
      .findMany({ where: { categoryType: "Product" }, select: { id: true, parentIds: true } })
      .then((rows) => new Map(rows.map((r) => [r.id, r.parentIds[0] ?? ""])));
    return this.families;
  }

  async storedRevisions(ids: UpdateIdentity[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const updateIds = ids.map((i) => i.updateId.toLowerCase());
    const revisionNumbers = ids.map((i) => i.revisionNumber);
    // This run will apply what it finds stored: a revision the obsolete-revision maintenance marked is unmarked in
    // the same step, under the lock the maintenance takes to mark and delete, so no pass deletes it before this run's
    // apply uses it (the rule is in maintenance/obsolete-revisions.ts). With nothing marked the UPDATE stops at its
    // one-probe EXISTS.
    const statements = [
      Prisma.sql`SELECT pg_advisory_xact_lock_shared(${REVISION_MAINTENANCE_LOCK})`,
      Prisma.sql`
        UPDATE update_revisions r SET obsolete_since = NULL
        FROM unnest(${updateIds}::uuid[], ${revisionNumbers}::int[]) AS w(update_id, revision_number)
        WHERE r.update_id = w.update_id AND r.revision_number = w.revision_number AND r.obsolete_since IS NOT NULL
          AND EXISTS (SELECT 1 FROM update_revisions WHERE obsolete_since IS NOT NULL)`,
      Prisma.sql`
        SELECT r.update_id::text AS id, r.revision_number
        FROM unnest(${updateIds}::uuid[], ${revisionNumbers}::int[]) AS w(update_id, revision_number)
        JOIN update_revisions r USING (update_id, revision_number)
        UNION ALL
        SELECT c.id::text, c.revision_number FROM categories c WHERE c.id = ANY(${updateIds}::uuid[])`,
    ];
    // A short list (a child's delta, the categories) in one round trip: the statements are one implicit transaction,
    // the lock held to its end. A long one (a full sync's hundreds of thousands) with its arrays as parameters.
    const [, , found] =
      ids.length <= INLINE_LIST_MAX
        ? await pgStatements(this.pool, statements)
        : await pgTransaction(this.pool, (tx) => tx.each(statements));
    return new Set(
      (found!.rows as { id: string; revision_number: number }[]).map((r) =>
        key({ updateId: r.id, revisionNumber: r.revision_number }),
      ),
    );
  }

  async saveCategories(records: UpdateRecord[]): Promise<string[]> {
    const fresh: string[] = [];
    // A child site's run, and any run after the first, usually fetched no category it did not have.
    if (records.length === 0) return fresh;
    // On the first sync every category is new; after it, a new one is flagged until the settings are reviewed.
    const known = (await this.prisma.category.count()) > 0;
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
        await this.prisma.category.create({ data: { id: record.updateId, ...data, isNew: known } });
        fresh.push(record.updateId);
      }
    }
    return fresh;
  }

  async saveRevisions(records: UpdateRecord[]): Promise<void> {
    if (records.length === 0) return;
    const maxRunTimes = await Promise.all(records.map((r) => this.maxRunTimeOf(r)));
    await insertUpdateRevisions(
      this.prisma,
      records.map((r, i): UpdateRevisionRow => {
        const { title, description } = titleOf(r);
        return {
          update_id: r.updateId,
          revision_number: r.revisionNumber,
          update_type: r.updateType,
          title,
          description,
          localized: r.localized,
          languages: [...new Set(r.localized.map((l) => l.language.toLowerCase()))],
          kb_article_ids: r.kbArticleIds,
          security_bulletin_ids: r.securityBulletinIds,
          cve_ids: r.cveIds,
          msrc_severity: r.msrcSeverity ?? null,
          classification_ids: r.classificationIds,
          product_ids: r.productIds,
          creation_date: new Date(r.creationDate).toISOString(),
          publication_state: r.publicationState,
          is_bundle: r.bundledUpdates.length > 0,
          bundled_updates: r.bundledUpdates,
          superseded_update_ids: r.supersededUpdateIds,
          prerequisite_ids: r.prerequisiteIds,
          files: r.files,
          support_url: r.supportUrl ?? null,
          more_info_url: r.moreInfoUrl ?? null,
          max_download_size: r.maxDownloadSize ?? null,
          default_language: r.defaultLanguage,
          is_beta: r.isBeta ?? null,
          max_run_time_minutes: maxRunTimes[i]!,
        };
      }),
    );
  }

  /**
   * What an import run took and what failed, in the transaction of the catalog it changes; and the revision each
   * imported update now has, when this sync brought a later one.
   */
  private async recordImports(tx: PgTransaction, imports: NonNullable<ApplyPlan["imports"]>) {
    const runId = this.runId;
    if (imports.imported.length > 0) {
      const rows = imports.imported.map((i) => ({
        update_id: i.updateId,
        revision_number: i.revisionNumber,
        title: i.title,
        kb_article_ids: i.kbArticleIds,
        reason: i.reason,
        required_by: i.requiredBy,
      }));
      await tx.execute(Prisma.sql`
        INSERT INTO imported_updates (update_id, revision_number, title, kb_article_ids, reason, required_by, state,
                                      imported_revision, run_id, imported_at)
        SELECT update_id, revision_number, title, kb_article_ids, reason, required_by, 'imported', revision_number,
               ${runId}::uuid, now()
        FROM json_populate_recordset(NULL::imported_updates, ${JSON.stringify(rows)}::json)
        ON CONFLICT (update_id) DO UPDATE SET
          state = 'imported', imported_revision = excluded.revision_number, run_id = excluded.run_id,
          imported_at = now(), error_code = NULL, error_message = NULL, title = excluded.title,
          kb_article_ids = excluded.kb_article_ids,
          -- An update put in the basket stays a basket import even when another one also needs it.
          reason = CASE WHEN imported_updates.reason = 'basket' THEN 'basket' ELSE excluded.reason END,
          required_by = CASE WHEN imported_updates.reason = 'basket' THEN NULL ELSE excluded.required_by END`);
    }
    for (const failure of imports.failed) {
      await tx.execute(Prisma.sql`
        UPDATE imported_updates SET state = 'failed', error_code = ${failure.code}, error_message = ${failure.message},
          run_id = ${runId}::uuid
        WHERE update_id = ${failure.updateId}::uuid AND state <> 'imported'`);
    }
    await tx.execute(Prisma.sql`
      UPDATE imported_updates i SET imported_revision = w.revision_number
      FROM wanted w
      WHERE i.update_id = w.update_id AND i.state = 'imported' AND i.imported_revision IS DISTINCT FROM w.revision_number`);
  }

  async applyCatalog(plan: ApplyPlan, onPhase: (phase: RunPhase) => Promise<void>): Promise<ApplyResult> {
    const siteCode = this.site.code;
    const ids = plan.revisions.map((r) => r.updateId);
    const revs = plan.revisions.map((r) => r.revisionNumber);
    return pgTransaction(this.pool, async (tx) => {
      // Serialize applies to one site (a second worker on the same run would wait here, then see it committed).
      const [sup] = await tx.rows<{
        catalog_version: number;
        synced_products: string[];
        synced_classifications: string[];
      }>(Prisma.sql`
          SELECT catalog_version, synced_products::text[], synced_classifications::text[]
          FROM software_update_points WHERE id = ${this.site.supId}::uuid FOR UPDATE`);
      const current = sup?.catalog_version ?? 0;
      // A delta with the selection unchanged touches only what the upstream listed (and what those supersede):
      // its cost follows the changes, not the size of the catalog.
      const incremental =
        !plan.complete &&
        sameSet(plan.products, sup?.synced_products ?? []) &&
        sameSet(plan.classifications, sup?.synced_classifications ?? []);
      // A child mirrors its parent's version; the top-level site counts its own.
      const version = plan.catalogVersion ?? current + 1;

      // A child's list (hundreds of revisions) goes in one round trip with its values inlined; a full sync's
      // (hundreds of thousands) as parameters, a round trip per statement.
      const send = (statements: Prisma.Sql[]) =>
        ids.length <= INLINE_LIST_MAX ? tx.batch(statements) : tx.each(statements);
      // The wanted state of each listed update, joined with what the site has now.
      const wanted = Prisma.sql`
          CREATE TEMP TABLE wanted ON COMMIT DROP AS
          SELECT w.update_id, w.revision_number, (r.publication_state = 'Expired') AS is_expired,
                 e.revision_number AS current_revision, e.is_expired AS current_expired
          FROM unnest(${ids}::uuid[], ${revs}::int[]) AS w(update_id, revision_number)
          JOIN update_revisions r USING (update_id, revision_number)
          LEFT JOIN site_catalog_entries e ON e.site_code = ${siteCode} AND e.update_id = w.update_id`;
      // A temporary table has no statistics until analyzed: the planner took a child's 164 listed revisions for
      // 1 500 and hashed all of update_revisions (a sequential scan of the hierarchy's revisions per apply) where
      // it now probes the primary key.
      const [, , countsResult] = await send([
        wanted,
        Prisma.sql`ANALYZE wanted`,
        Prisma.sql`
          SELECT count(*) FILTER (WHERE current_revision IS NULL)::int AS new,
                 count(*) FILTER (WHERE current_revision IS NOT NULL AND current_revision <> revision_number)::int AS revised,
                 count(*) FILTER (WHERE is_expired AND current_expired IS DISTINCT FROM true)::int AS expired
          FROM wanted`,
      ]);
      const counts = countsResult!.rows[0] as { new: number; revised: number; expired: number } | undefined;
      if (plan.imports) await this.recordImports(tx, plan.imports);
      // Gone: outside the current selection (deselected products or classifications), or — when the upstream
      // listed the whole selection — no longer listed there. Neither can happen in an incremental apply. Imported
      // updates stay whatever the selection (they are listed apart, or never, for catalog-only ones).
      // The removals, the entries' insert and what the flags below look at: one round trip (small values only).
      const writes: Prisma.Sql[] = [];
      if (!incremental)
        writes.push(Prisma.sql`
          DELETE FROM site_catalog_entries e
          USING update_revisions r
          WHERE e.site_code = ${siteCode} AND r.update_id = e.update_id AND r.revision_number = e.revision_number
            AND (
              NOT (r.product_ids && ${plan.products}::uuid[] AND r.classification_ids && ${plan.classifications}::uuid[])
              OR (${plan.complete} AND NOT EXISTS (SELECT 1 FROM wanted w WHERE w.update_id = e.update_id))
            )
            AND NOT EXISTS (SELECT 1 FROM imported_updates i WHERE i.update_id = e.update_id AND i.state = 'imported')`);
      // With All Software Updates' read model copied from the revision (services/catalog.ts; the trigger of
      // migration 20261124210458_software_updates_read_model would copy it row by row otherwise).
      writes.push(Prisma.sql`
          INSERT INTO site_catalog_entries (site_code, update_id, revision_number, is_expired, version, title,
            creation_date, msrc_severity, severity_rank, first_kb, list_tags, listed_revision)
          SELECT ${siteCode}, update_id, revision_number, w.is_expired, ${version}, r.title, r.creation_date,
                 r.msrc_severity, array_position(ARRAY['Low','Moderate','Important','Critical'], r.msrc_severity),
                 r.kb_article_ids[1], catalog_list_tags(${siteCode}, r.classification_ids, r.product_ids),
                 revision_number
          FROM wanted w JOIN update_revisions r USING (update_id, revision_number)
          -- An unchanged revision keeps its flags (the Supersedence Rules may have expired it; that is decided below).
          WHERE current_revision IS DISTINCT FROM revision_number OR (w.is_expired AND current_expired IS DISTINCT FROM true)
          ON CONFLICT (site_code, update_id) DO UPDATE
            SET revision_number = excluded.revision_number, is_expired = excluded.is_expired,
                version = excluded.version, updated_at = now(), title = excluded.title,
                creation_date = excluded.creation_date, msrc_severity = excluded.msrc_severity,
                severity_rank = excluded.severity_rank, first_kb = excluded.first_kb, list_tags = excluded.list_tags,
                listed_revision = excluded.listed_revision`);

      if (incremental) {
        // The entries whose flags can change: the listed ones, the updates their new and replaced revisions
        // supersede, and superseded ones whose months under the Supersedence Rules may have run out since (their
        // superseding revisions are unchanged, so is the date the months count from). The date is compared a few
        // days early: month arithmetic is not invertible at month ends, and the flags below decide exactly.
        const months = Math.min(
          this.rules.expireImmediately ? 0 : this.rules.months,
          this.rules.featureExpireImmediately ? 0 : this.rules.featureMonths,
        );
        writes.push(Prisma.sql`
            CREATE TEMP TABLE affected ON COMMIT DROP AS
            SELECT update_id FROM wanted
            UNION
            SELECT unnest(r.superseded_update_ids) FROM wanted w
            JOIN update_revisions r ON r.update_id = w.update_id
              AND r.revision_number IN (w.revision_number, w.current_revision)
            UNION
            SELECT e.update_id FROM site_catalog_entries e
            WHERE e.site_code = ${siteCode} AND e.is_superseded AND NOT e.is_expired
              AND (e.superseded_since IS NULL
                   OR e.superseded_since <= now() - make_interval(months => ${months}) + interval '3 days')`);
        writes.push(Prisma.sql`ANALYZE affected`);
      }
      const written = await tx.batch(writes);
      const removed = incremental ? 0 : (written[0]!.rowCount ?? 0);

      await onPhase("supersedence");
      // Superseded: a current revision in this catalog names the update. Expired: published as expired, or
      // superseded long enough under the Supersedence Rules — months counted from the (earliest) superseding
      // update's creation date, feature updates (Upgrades) by their own rule, definition updates never (domain.md §2).
      const rules = this.rules;
      const superseding = incremental
        ? // Found through the GIN index on superseded_update_ids, for the affected entries only.
          Prisma.sql`
            SELECT s.id AS update_id, min(r.creation_date) AS since
            FROM update_revisions r
            JOIN site_catalog_entries o ON o.site_code = ${siteCode} AND o.update_id = r.update_id
              AND o.revision_number = r.revision_number
            CROSS JOIN LATERAL unnest(r.superseded_update_ids) AS s(id)
            WHERE r.superseded_update_ids && (SELECT coalesce(array_agg(update_id), '{}') FROM affected)
              AND s.id IN (SELECT update_id FROM affected)
            GROUP BY s.id`
        : Prisma.sql`
            SELECT s.id AS update_id, min(r.creation_date) AS since
            FROM site_catalog_entries o
            JOIN update_revisions r ON r.update_id = o.update_id AND r.revision_number = o.revision_number
            CROSS JOIN LATERAL unnest(r.superseded_update_ids) AS s(id)
            WHERE o.site_code = ${siteCode}
            GROUP BY s.id`;
      const onlyAffected = incremental ? Prisma.sql`AND e.update_id IN (SELECT update_id FROM affected)` : Prisma.empty;
      const [flags] = await tx.rows<{ superseded: number; expired: number }>(Prisma.sql`
          WITH superseding AS (${superseding}), wanted_flags AS (
            SELECT e.update_id, e.is_superseded AS was_superseded, e.is_expired AS was_expired,
                   (sp.since IS NOT NULL) AS superseded,
                   CASE WHEN sp.since IS NULL THEN NULL
                        WHEN r.classification_ids && ${[DEFINITION_UPDATES]}::uuid[] THEN 'infinity'::timestamptz
                        ELSE sp.since END AS since,
                   (r.publication_state = 'Expired') OR (
                     sp.since IS NOT NULL
                     AND NOT (r.classification_ids && ${[DEFINITION_UPDATES]}::uuid[])
                     AND CASE WHEN r.classification_ids && ${[UPGRADES]}::uuid[]
                       THEN ${rules.featureExpireImmediately} OR sp.since + make_interval(months => ${rules.featureMonths}) <= now()
                       ELSE ${rules.expireImmediately} OR sp.since + make_interval(months => ${rules.months}) <= now()
                     END
                   ) AS expired
            FROM site_catalog_entries e
            JOIN update_revisions r ON r.update_id = e.update_id AND r.revision_number = e.revision_number
            LEFT JOIN superseding sp ON sp.update_id = e.update_id
            WHERE e.site_code = ${siteCode} ${onlyAffected}
          ), changed AS (
            UPDATE site_catalog_entries e
            SET is_superseded = f.superseded, is_expired = f.expired, superseded_since = f.since,
                -- Only a change of flags is a change of the entry (children list it); a new date alone is not.
                version = CASE WHEN e.is_superseded IS DISTINCT FROM f.superseded OR e.is_expired IS DISTINCT FROM f.expired
                               THEN ${version} ELSE e.version END,
                updated_at = now()
            FROM wanted_flags f
            WHERE e.site_code = ${siteCode} AND e.update_id = f.update_id
              AND (e.is_superseded IS DISTINCT FROM f.superseded OR e.is_expired IS DISTINCT FROM f.expired
                   OR e.superseded_since IS DISTINCT FROM f.since)
            RETURNING f.superseded AND NOT f.was_superseded AS newly_superseded, f.expired AND NOT f.was_expired AS newly_expired
          )
          SELECT count(*) FILTER (WHERE newly_superseded)::int AS superseded,
                 count(*) FILTER (WHERE newly_expired)::int AS expired
          FROM changed`);
      const superseded = flags?.superseded ?? 0;
      const ruleExpired = flags?.expired ?? 0;

      await onPhase("commit");
      const result = {
        new: counts?.new ?? 0,
        revised: counts?.revised ?? 0,
        expired: (counts?.expired ?? 0) + ruleExpired,
        superseded,
        removed,
      };
      const changed = result.new + result.revised + result.expired + result.superseded + result.removed > 0;
      const catalogVersion = plan.catalogVersion ?? (changed ? version : current);
      await tx.execute(Prisma.sql`
          UPDATE software_update_points
          SET catalog_version = ${catalogVersion},
              -- Children's deltas from before this version would miss the removals (sup-endpoint/backend.ts).
              entries_removed_in_version = CASE WHEN ${removed > 0} THEN ${catalogVersion} ELSE entries_removed_in_version END,
              anchor = ${plan.anchor}, last_successful_sync_at = ${new Date()},
              synced_products = ${plan.products}::uuid[], synced_classifications = ${plan.classifications}::uuid[]
          WHERE id = ${this.site.supId}::uuid`);
      return { counts: result, changed, catalogVersion };
    });
  }
}
