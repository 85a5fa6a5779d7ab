// Reading a site's catalog: All Software Updates (server-side filter, sort, page; one update's details; the CSV
// export), the catalog digest, categories.
import {
  releaseRange,
  SOFTWARE_UPDATES_CSV_COLUMNS,
  SOFTWARE_UPDATES_EXPORT_MAX_ROWS,
  type CategoryDto,
  type SoftwareUpdateDetails,
  type SoftwareUpdateDetailsQuery,
  type SoftwareUpdateItem,
  type SoftwareUpdatePage,
  type SoftwareUpdatesExportQuery,
  type SoftwareUpdatesQuery,
} from "@syncpoint/contracts";
import { Prisma } from "@syncpoint/db";
import { computeCatalogDigest, type CatalogDigest, type DigestFilter } from "@syncpoint/wsusss";
import type { AppContext } from "../context.ts";
import { notFound } from "../http/errors.ts";
import { topLevelSite } from "./sync-runs.ts";

async function resolveSite(ctx: AppContext, code: string | undefined): Promise<string> {
  if (!code) return (await topLevelSite(ctx)).site.code;
  const site = await ctx.prisma.site.findUnique({ where: { code: code.toUpperCase() } });
  if (!site) throw notFound(`The site ${code}`);
  return site.code;
}

const SORT_SQL: Record<string, Prisma.Sql> = {
  title: Prisma.sql`r.title ASC`,
  "-title": Prisma.sql`r.title DESC`,
  releaseDate: Prisma.sql`r.creation_date ASC`,
  "-releaseDate": Prisma.sql`r.creation_date DESC`,
  severity: Prisma.sql`array_position(ARRAY['Low','Moderate','Important','Critical'], r.msrc_severity) ASC NULLS FIRST`,
  "-severity": Prisma.sql`array_position(ARRAY['Low','Moderate','Important','Critical'], r.msrc_severity) DESC NULLS LAST`,
  kb: Prisma.sql`r.kb_article_ids[1] ASC NULLS LAST`,
  "-kb": Prisma.sql`r.kb_article_ids[1] DESC NULLS LAST`,
};

/** A catalog entry with its current revision, as the list and the export select it (UPDATE_COLUMNS). */
interface UpdateRow {
  update_id: string;
  revision_number: number;
  title: string;
  kb_article_ids: string[];
  security_bulletin_ids: string[];
  cve_ids: string[];
  msrc_severity: string | null;
  classification_ids: string[];
  product_ids: string[];
  creation_date: Date;
  is_expired: boolean;
  is_superseded: boolean;
  max_run_time_minutes: number | null;
}

/** The WHERE clause of All Software Updates (and of its CSV export) over `e` (entries) joined with `r` (revisions). */
function softwareUpdateConditions(siteCode: string, query: SoftwareUpdatesExportQuery): Prisma.Sql {
  const conditions: Prisma.Sql[] = [Prisma.sql`e.site_code = ${siteCode}`];
  if (query.search) {
    const term = query.search.replace(/^KB/i, "");
    const like = `%${query.search.replaceAll("\\", "\\\\").replaceAll("%", "\\%").replaceAll("_", "\\_")}%`;
    conditions.push(
      Prisma.sql`(r.title ILIKE ${like} OR ${term} = ANY(r.kb_article_ids) OR ${query.search.toUpperCase()} = ANY(r.cve_ids) OR ${query.search.toUpperCase()} = ANY(r.security_bulletin_ids))`,
    );
  }
  if (query.classification.length > 0)
    conditions.push(Prisma.sql`r.classification_ids && ${query.classification}::uuid[]`);
  if (query.product.length > 0) conditions.push(Prisma.sql`r.product_ids && ${query.product}::uuid[]`);
  if (query.severity) {
    conditions.push(
      query.severity === "None" ? Prisma.sql`r.msrc_severity IS NULL` : Prisma.sql`r.msrc_severity = ${query.severity}`,
    );
  }
  if (query.expired !== undefined) conditions.push(Prisma.sql`e.is_expired = ${query.expired}`);
  if (query.superseded !== undefined) conditions.push(Prisma.sql`e.is_superseded = ${query.superseded}`);
  const released = releaseRange(query);
  if (released.from) conditions.push(Prisma.sql`r.creation_date >= ${released.from}`);
  if (released.before) conditions.push(Prisma.sql`r.creation_date < ${released.before}`);
  return Prisma.join(conditions, " AND ");
}

const orderBy = (sort: string) => Prisma.sql`${SORT_SQL[sort] ?? SORT_SQL["-releaseDate"]!}, r.update_id`;

const UPDATE_COLUMNS = Prisma.sql`
  r.update_id::text, r.revision_number, r.title, r.kb_article_ids, r.security_bulletin_ids, r.cve_ids,
  r.msrc_severity, r.classification_ids::text[], r.product_ids::text[], r.creation_date, e.is_expired,
  e.is_superseded, r.max_run_time_minutes`;

type CategoryTitles = Map<string, string>;

function toSoftwareUpdateItem(r: UpdateRow, categories: CategoryTitles): SoftwareUpdateItem {
  const ref = (id: string) => ({ id, title: categories.get(id) ?? id });
  return {
    updateId: r.update_id,
    revisionNumber: r.revision_number,
    title: r.title,
    kbArticleIds: r.kb_article_ids,
    bulletinIds: r.security_bulletin_ids,
    cveIds: r.cve_ids,
    severity: r.msrc_severity,
    classifications: r.classification_ids.map(ref),
    products: r.product_ids.map(ref),
    releaseDate: r.creation_date.toISOString(),
    isExpired: r.is_expired,
    isSuperseded: r.is_superseded,
    maxRunTimeMinutes: r.max_run_time_minutes,
  };
}

/** Titles of the given categories, or of all of them. */
async function categoryTitles(db: Prisma.TransactionClient, ids?: string[]): Promise<CategoryTitles> {
  const rows = await db.category.findMany({
    ...(ids ? { where: { id: { in: ids } } } : {}),
    select: { id: true, title: true },
  });
  return new Map(rows.map((c) => [c.id, c.title]));
}

export async function listSoftwareUpdates(ctx: AppContext, query: SoftwareUpdatesQuery): Promise<SoftwareUpdatePage> {
  const siteCode = await resolveSite(ctx, query.site);
  const where = softwareUpdateConditions(siteCode, query);

  // The page and the total apart, at once: a window count over the page query made Postgres join and sort the whole
  // filtered catalog before the LIMIT; alone, the page can walk an index in the sort's order and stop at the page.
  const [rows, total] = await Promise.all([
    ctx.prisma.$queryRaw<UpdateRow[]>`
      SELECT ${UPDATE_COLUMNS}
      FROM site_catalog_entries e
      JOIN update_revisions r ON r.update_id = e.update_id AND r.revision_number = e.revision_number
      WHERE ${where}
      ORDER BY ${orderBy(query.sort)}
      LIMIT ${query.pageSize} OFFSET ${(query.page - 1) * query.pageSize}`,
    countSoftwareUpdates(ctx, siteCode, query, where),
  ]);
  const categories = await categoryTitles(ctx.prisma, [
    ...new Set(rows.flatMap((r) => [...r.classification_ids, ...r.product_ids])),
  ]);
  const items = rows.map((r) => toSoftwareUpdateItem(r, categories));
  return { items, total, page: query.page, pageSize: query.pageSize };
}

/** How many updates match: from the entries alone when no filter reads the revision (the unfiltered list). */
async function countSoftwareUpdates(
  ctx: AppContext,
  siteCode: string,
  query: SoftwareUpdatesQuery,
  where: Prisma.Sql,
): Promise<number> {
  const readsRevision =
    Boolean(query.search) ||
    query.classification.length > 0 ||
    query.product.length > 0 ||
    query.severity !== undefined ||
    Boolean(query.releasedFrom) ||
    Boolean(query.releasedTo);
  if (!readsRevision) {
    const entryConditions: Prisma.Sql[] = [Prisma.sql`e.site_code = ${siteCode}`];
    if (query.expired !== undefined) entryConditions.push(Prisma.sql`e.is_expired = ${query.expired}`);
    if (query.superseded !== undefined) entryConditions.push(Prisma.sql`e.is_superseded = ${query.superseded}`);
    const [count] = await ctx.prisma.$queryRaw<{ n: bigint }[]>`
      SELECT count(*) AS n FROM site_catalog_entries e WHERE ${Prisma.join(entryConditions, " AND ")}`;
    return Number(count?.n ?? 0);
  }
  const [count] = await ctx.prisma.$queryRaw<{ n: bigint }[]>`
    SELECT count(*) AS n FROM site_catalog_entries e
    JOIN update_revisions r ON r.update_id = e.update_id AND r.revision_number = e.revision_number
    WHERE ${where}`;
  return Number(count?.n ?? 0);
}

interface RevisionRow {
  update_type: string;
  description: string | null;
  languages: string[];
  is_bundle: boolean;
  bundled_updates: { updateId: string; revisionNumber: number }[];
  superseded_update_ids: string[];
  files: { fileName: string; size: number; sha1Digest: string; sha256Digest?: string; modified?: string }[];
  support_url: string | null;
  more_info_url: string | null;
  max_download_size: bigint | null;
}

/**
 * One update of a site's catalog with what the console's details pane shows: the Summary, what it supersedes and
 * what supersedes it (the current revisions of this catalog that name it — exactly what sets isSuperseded at apply
 * time), the bundle's members, every stored revision and the files.
 */
export async function getSoftwareUpdateDetails(
  ctx: AppContext,
  updateId: string,
  query: SoftwareUpdateDetailsQuery,
): Promise<SoftwareUpdateDetails> {
  const siteCode = await resolveSite(ctx, query.site);
  const [row] = await ctx.prisma.$queryRaw<(UpdateRow & RevisionRow)[]>`
    SELECT ${UPDATE_COLUMNS}, r.update_type, r.description, r.languages, r.is_bundle, r.bundled_updates,
           r.superseded_update_ids::text[], r.files, r.support_url, r.more_info_url, r.max_download_size
    FROM site_catalog_entries e
    JOIN update_revisions r ON r.update_id = e.update_id AND r.revision_number = e.revision_number
    WHERE e.site_code = ${siteCode} AND e.update_id = ${updateId}::uuid`;
  if (!row) throw notFound(`The update ${updateId} in the catalog of ${siteCode}`);

  const bundled = row.bundled_updates;
  const [supersedes, supersededBy, bundledTitles, revisions, categories] = await Promise.all([
    // In document order; a title from the revision in this catalog, else the newest stored one.
    ctx.prisma.$queryRaw<{ update_id: string; title: string | null; in_catalog: boolean }[]>`
      SELECT s.id::text AS update_id, t.title, (c.update_id IS NOT NULL) AS in_catalog
      FROM unnest(${row.superseded_update_ids}::uuid[]) WITH ORDINALITY AS s(id, n)
      LEFT JOIN site_catalog_entries c ON c.site_code = ${siteCode} AND c.update_id = s.id
      LEFT JOIN LATERAL (
        SELECT o.title FROM update_revisions o WHERE o.update_id = s.id
        ORDER BY (o.revision_number = c.revision_number) DESC NULLS LAST, o.revision_number DESC LIMIT 1
      ) t ON true
      ORDER BY s.n`,
    // Through the GIN index on superseded_update_ids.
    ctx.prisma.$queryRaw<{ update_id: string; revision_number: number; title: string; creation_date: Date }[]>`
      SELECT o.update_id::text, o.revision_number, o.title, o.creation_date
      FROM update_revisions o
      JOIN site_catalog_entries c ON c.site_code = ${siteCode} AND c.update_id = o.update_id
        AND c.revision_number = o.revision_number
      WHERE o.superseded_update_ids && ARRAY[${updateId}::uuid]
      ORDER BY o.creation_date DESC, o.update_id`,
    ctx.prisma.$queryRaw<{ update_id: string; revision_number: number; title: string | null; in_catalog: boolean }[]>`
      SELECT b.id::text AS update_id, b.rev AS revision_number, t.title, (c.update_id IS NOT NULL) AS in_catalog
      FROM unnest(${bundled.map((b) => b.updateId)}::uuid[], ${bundled.map((b) => b.revisionNumber)}::int[])
        WITH ORDINALITY AS b(id, rev, n)
      LEFT JOIN site_catalog_entries c ON c.site_code = ${siteCode} AND c.update_id = b.id
      LEFT JOIN LATERAL (
        SELECT o.title FROM update_revisions o WHERE o.update_id = b.id
        ORDER BY (o.revision_number = b.rev) DESC, o.revision_number DESC LIMIT 1
      ) t ON true
      ORDER BY b.n`,
    ctx.prisma.updateRevision.findMany({
      where: { updateId },
      select: { revisionNumber: true, title: true, storedAt: true },
      orderBy: { revisionNumber: "desc" },
    }),
    categoryTitles(ctx.prisma, [...row.classification_ids, ...row.product_ids]),
  ]);

  return {
    ...toSoftwareUpdateItem(row, categories),
    siteCode,
    description: row.description,
    updateType: row.update_type,
    supportUrl: row.support_url,
    moreInfoUrl: row.more_info_url,
    languages: row.languages,
    maxDownloadSize: row.max_download_size === null ? null : Number(row.max_download_size),
    isBundle: row.is_bundle,
    supersedes: supersedes.map((s) => ({ updateId: s.update_id, title: s.title, inCatalog: s.in_catalog })),
    supersededBy: supersededBy.map((s) => ({
      updateId: s.update_id,
      revisionNumber: s.revision_number,
      title: s.title,
      releaseDate: s.creation_date.toISOString(),
    })),
    bundledUpdates: bundledTitles.map((b) => ({
      updateId: b.update_id,
      revisionNumber: b.revision_number,
      title: b.title,
      inCatalog: b.in_catalog,
    })),
    revisions: revisions.map((r) => ({
      revisionNumber: r.revisionNumber,
      title: r.title,
      storedAt: r.storedAt.toISOString(),
      isCurrent: r.revisionNumber === row.revision_number,
    })),
    files: row.files.map((f) => ({
      fileName: f.fileName,
      size: f.size,
      sha1Digest: f.sha1Digest,
      sha256Digest: f.sha256Digest ?? null,
      modified: f.modified ?? null,
    })),
  };
}

/** Where a CSV export writes: headers first (once the row count is known), then chunks with back-pressure. */
export interface CsvSink {
  start(headers: { truncated: boolean }): void;
  /** Resolves false when the client went away: the export stops. */
  write(chunk: string): Promise<boolean>;
  end(): void;
}

const FETCH_EXPORT_BATCH = Prisma.raw("FETCH 1000 FROM software_updates_export");

/** One CSV field (RFC 4180): quoted when it holds a comma, quote, CR or LF, with quotes doubled. */
export function csvField(value: string): string {
  // A cell that starts like a formula (=, +, -, @, tab, CR) would be evaluated by Excel: update titles come from
  // the upstream, so such a cell is written as text with a leading apostrophe (OWASP "CSV injection").
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

const csvLine = (fields: readonly string[]) => fields.map(csvField).join(",") + "\r\n";

function csvRow(item: SoftwareUpdateItem): string {
  return csvLine([
    item.title,
    item.kbArticleIds.join(", "),
    item.bulletinIds.join(", "),
    item.cveIds.join(", "),
    item.classifications.map((c) => c.title).join(", "),
    item.products.map((p) => p.title).join(", "),
    item.severity ?? "",
    item.releaseDate,
    item.isExpired ? "Yes" : "No",
    item.isSuperseded ? "Yes" : "No",
    item.maxRunTimeMinutes === null ? "" : String(item.maxRunTimeMinutes),
    item.updateId,
    String(item.revisionNumber),
  ]);
}

/**
 * All Software Updates as CSV (UTF-8 with a BOM, so Excel reads it as UTF-8), for the list's filters and sort, at
 * most SOFTWARE_UPDATES_EXPORT_MAX_ROWS rows. The rows stream from a server-side cursor in batches, so memory stays
 * flat; the count (to say whether the export is capped) and the cursor read one snapshot, so the header is true.
 */
export async function exportSoftwareUpdatesCsv(
  ctx: AppContext,
  query: SoftwareUpdatesExportQuery,
  sink: CsvSink,
): Promise<void> {
  const siteCode = await resolveSite(ctx, query.site);
  const where = softwareUpdateConditions(siteCode, query);
  const cap = SOFTWARE_UPDATES_EXPORT_MAX_ROWS;
  await ctx.prisma.$transaction(
    async (tx) => {
      const [count] = await tx.$queryRaw<{ n: number }[]>`
        SELECT count(*)::int AS n FROM (
          SELECT 1 FROM site_catalog_entries e
          JOIN update_revisions r ON r.update_id = e.update_id AND r.revision_number = e.revision_number
          WHERE ${where} LIMIT ${cap + 1}
        ) capped`;
      // Categories are a few thousand rows at most: one read serves every batch.
      const categories = await categoryTitles(tx);
      sink.start({ truncated: (count?.n ?? 0) > cap });
      if (!(await sink.write("\uFEFF" + csvLine(SOFTWARE_UPDATES_CSV_COLUMNS)))) return;
      await tx.$executeRaw`
        DECLARE software_updates_export NO SCROLL CURSOR FOR
        SELECT ${UPDATE_COLUMNS}
        FROM site_catalog_entries e
        JOIN update_revisions r ON r.update_id = e.update_id AND r.revision_number = e.revision_number
        WHERE ${where}
        ORDER BY ${orderBy(query.sort)}
        LIMIT ${cap}`;
      for (;;) {
        const rows = await tx.$queryRaw<UpdateRow[]>(FETCH_EXPORT_BATCH);
        if (rows.length === 0) break;
        const chunk = rows.map((r) => csvRow(toSoftwareUpdateItem(r, categories))).join("");
        if (!(await sink.write(chunk))) return;
      }
    },
    // One snapshot for the count and the rows; a slow client may hold it (and one pooled connection) for minutes.
    { isolationLevel: Prisma.TransactionIsolationLevel.RepeatableRead, timeout: 15 * 60_000, maxWait: 10_000 },
  );
  sink.end();
}

/** The site's catalog digest (DESIGN.md, "Catalog digest"), comparable with the upstream's /admin/digest. */
export async function siteCatalogDigest(
  ctx: AppContext,
  siteCode: string,
  filter: DigestFilter,
): Promise<CatalogDigest> {
  const code = await resolveSite(ctx, siteCode);
  const rows = await ctx.prisma.$queryRaw<{ update_id: string; revision_number: number }[]>`
    SELECT e.update_id::text, e.revision_number
    FROM site_catalog_entries e
    JOIN update_revisions r ON r.update_id = e.update_id AND r.revision_number = e.revision_number
    WHERE e.site_code = ${code}
      AND (cardinality(${filter.products}::uuid[]) = 0 OR r.product_ids && ${filter.products}::uuid[])
      AND (cardinality(${filter.classifications}::uuid[]) = 0 OR r.classification_ids && ${filter.classifications}::uuid[])
      AND (cardinality(${filter.languages}::text[]) = 0 OR r.languages && ${filter.languages}::text[])`;
  return computeCatalogDigest(rows.map((r) => ({ updateId: r.update_id, revisionNumber: r.revision_number })));
}

export async function listCategories(ctx: AppContext, type?: "product" | "classification"): Promise<CategoryDto[]> {
  const where =
    type === "classification"
      ? { categoryType: "UpdateClassification" }
      : type === "product"
        ? { categoryType: { in: ["Company", "ProductFamily", "Product"] } }
        : {};
  const rows = await ctx.prisma.category.findMany({ where, orderBy: [{ categoryType: "asc" }, { title: "asc" }] });
  return rows.map((c) => ({
    id: c.id,
    type: c.categoryType as CategoryDto["type"],
    title: c.title,
    parentIds: c.parentIds,
    firstSeenAt: c.firstSeenAt.toISOString(),
    isNew: c.isNew,
  }));
}
