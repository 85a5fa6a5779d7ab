// Reading a site's catalog: All Software Updates (server-side filter, sort, page), the catalog digest, categories.
import type { CategoryDto, SoftwareUpdateItem, SoftwareUpdatePage, SoftwareUpdatesQuery } from "@syncpoint/contracts";
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
  total: bigint;
}

export async function listSoftwareUpdates(ctx: AppContext, query: SoftwareUpdatesQuery): Promise<SoftwareUpdatePage> {
  const siteCode = await resolveSite(ctx, query.site);
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

  const rows = await ctx.prisma.$queryRaw<UpdateRow[]>`
    SELECT r.update_id::text, r.revision_number, r.title, r.kb_article_ids, r.security_bulletin_ids, r.cve_ids,
           r.msrc_severity, r.classification_ids::text[], r.product_ids::text[], r.creation_date, e.is_expired,
           e.is_superseded, r.max_run_time_minutes, count(*) OVER () AS total
    FROM site_catalog_entries e
    JOIN update_revisions r ON r.update_id = e.update_id AND r.revision_number = e.revision_number
    WHERE ${Prisma.join(conditions, " AND ")}
    ORDER BY ${SORT_SQL[query.sort] ?? SORT_SQL["-releaseDate"]!}, r.update_id
    LIMIT ${query.pageSize} OFFSET ${(query.page - 1) * query.pageSize}`;

  const categoryIds = [...new Set(rows.flatMap((r) => [...r.classification_ids, ...r.product_ids]))];
  const categories = new Map(
    (await ctx.prisma.category.findMany({ where: { id: { in: categoryIds } }, select: { id: true, title: true } })).map(
      (c) => [c.id, c.title],
    ),
  );
  const ref = (id: string) => ({ id, title: categories.get(id) ?? id });
  let total = rows[0] ? Number(rows[0].total) : 0;
  if (rows.length === 0 && query.page > 1) {
    const [count] = await ctx.prisma.$queryRaw<{ n: bigint }[]>`
      SELECT count(*) AS n FROM site_catalog_entries e
      JOIN update_revisions r ON r.update_id = e.update_id AND r.revision_number = e.revision_number
      WHERE ${Prisma.join(conditions, " AND ")}`;
    total = Number(count?.n ?? 0);
  }
  const items: SoftwareUpdateItem[] = rows.map((r) => ({
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
  }));
  return { items, total, page: query.page, pageSize: query.pageSize };
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
