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
  SoftwareUpdatesQuery,
  type SoftwareUpdatesExportQuery,
} from "@syncpoint/contracts";
import { Prisma } from "@syncpoint/db";
import { computeCatalogDigest, type CatalogDigest, type DigestFilter } from "@syncpoint/wsusss";
import type { AppContext } from "../context.ts";
import { HttpError, notFound } from "../http/errors.ts";
import {
  catalogState,
  firstMatch,
  type FirstMatch,
  rememberFirstMatch,
  softwareUpdatesTotal,
  softwareUpdatesTotals,
} from "./catalog-totals.ts";
import { topLevelSite } from "./sync-runs.ts";

async function resolveSite(ctx: AppContext, code: string | undefined): Promise<string> {
  if (!code) return (await topLevelSite(ctx)).site.code;
  const site = await ctx.prisma.site.findUnique({ where: { code: code.toUpperCase() } });
  if (!site) throw notFound(`The site ${code}`);
  return site.code;
}

/**
 * resolveSite for the list, through the plain pool: the list is the console's busiest read, and a Prisma model query
 * costs the API process several times the CPU of the same SQL through `pg`. The same answers and errors (the top-level
 * site as topLevelSite finds it).
 */
async function listSite(ctx: AppContext, code: string | undefined): Promise<string> {
  if (code) {
    const { rows } = await ctx.pool.query<{ code: string }>("SELECT code FROM sites WHERE code = $1", [
      code.toUpperCase(),
    ]);
    if (!rows[0]) throw notFound(`The site ${code}`);
    return rows[0].code;
  }
  const { rows } = await ctx.pool.query<{ code: string; has_sup: boolean }>(
    `SELECT s.code, EXISTS (SELECT 1 FROM software_update_points p WHERE p.site_code = s.code) AS has_sup
     FROM sites s WHERE s.parent_code IS NULL LIMIT 1`,
  );
  if (!rows[0]?.has_sup) {
    throw new HttpError(409, "NOT_TOP_LEVEL_SITE", "There is no top-level site with a software update point.");
  }
  return rows[0].code;
}

/**
 * The list's orders over the entries' read model (`e`: site_catalog_entries' copies of the revision's title, creation
 * date, severity rank and first KB), each ending with the update ID, as over the revisions before. Each has an index
 * per site (migration 20261124210458_software_updates_read_model): the page walks it and stops at the page. A reversed
 * date or title walks the same index backwards and sorts only the ties by update ID; a reversed severity walks the
 * severity index backwards, ties by update ID descending, so that it needs no index of its own (every index on the
 * entries is written again by each child site's apply: migration 20261125050000_severity_one_index).
 */
function sortSql(sort: string, byteOrder: boolean, table: Prisma.Sql): Prisma.Sql {
  // Titles are ordered through left(title, 256) (an index cannot hold any title), then the whole title: the same
  // order as by title alone when the database's collation compares bytes (C, as the embedded server is initialised);
  // under a linguistic collation a prefix can order differently, so the list orders by the title alone there.
  const title = (direction: Prisma.Sql) =>
    byteOrder
      ? Prisma.sql`left(${table}.title, 256) ${direction}, ${table}.title ${direction}`
      : Prisma.sql`${table}.title ${direction}`;
  switch (sort) {
    case "title":
      return title(Prisma.sql`ASC`);
    case "-title":
      return title(Prisma.sql`DESC`);
    case "releaseDate":
      return Prisma.sql`${table}.creation_date ASC`;
    case "severity":
      return Prisma.sql`${table}.severity_rank ASC NULLS FIRST`;
    case "-severity":
      return Prisma.sql`${table}.severity_rank DESC NULLS LAST`;
    case "kb":
      return Prisma.sql`${table}.first_kb ASC NULLS LAST`;
    case "-kb":
      return Prisma.sql`${table}.first_kb DESC NULLS LAST`;
    default: // "-releaseDate"
      return Prisma.sql`${table}.creation_date DESC`;
  }
}

/** The read-model column a sort reads. */
function sortColumn(sort: string): Prisma.Sql {
  const column = { title: "title", releaseDate: "creation_date", severity: "severity_rank", kb: "first_kb" }[
    sort.replace(/^-/, "")
  ];
  return Prisma.raw(`e.${column ?? "creation_date"}`);
}

const orderBy = (sort: string, byteOrder: boolean, table = Prisma.raw("e")) =>
  sort === "-severity"
    ? Prisma.sql`${sortSql(sort, byteOrder, table)}, ${table}.update_id DESC`
    : Prisma.sql`${sortSql(sort, byteOrder, table)}, ${table}.update_id`;

const byteOrderCollation = new WeakMap<object, Promise<boolean>>();

/** Whether the database's default collation orders text by its bytes (asked once per pool). */
function collatesByBytes(pool: AppContext["pool"]): Promise<boolean> {
  let known = byteOrderCollation.get(pool);
  if (!known) {
    known = pool
      .query<{ bytes: boolean }>(
        `SELECT (datlocprovider = 'c' AND datcollate IN ('C', 'POSIX'))
                OR (datlocprovider = 'b' AND datlocale IN ('C', 'C.UTF-8')) AS bytes
         FROM pg_database WHERE datname = current_database()`,
      )
      .then(({ rows }) => rows[0]?.bytes === true);
    byteOrderCollation.set(pool, known);
    known.catch(() => byteOrderCollation.delete(pool));
  }
  return known;
}

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

/**
 * The WHERE clause of All Software Updates (and of its CSV export) over `e`, the site's catalog entries with their
 * read model: the same rows as the revisions' own columns select (they are copies of them).
 */
function softwareUpdateConditions(siteCode: string, query: SoftwareUpdatesExportQuery): Prisma.Sql {
  const conditions: Prisma.Sql[] = [Prisma.sql`e.site_code = ${siteCode}`];
  if (query.search) {
    const term = query.search.replace(/^KB/i, "");
    const like = `%${query.search.replaceAll("\\", "\\\\").replaceAll("%", "\\%").replaceAll("_", "\\_")}%`;
    const upper = query.search.toUpperCase();
    // Over the revisions, whose indexes serve every site: a KB article, CVE or bulletin equal to the search (GIN
    // indexes on the arrays), or the title containing it — the trigram index holds the title as one word
    // (catalog_title_grams), so a phrase's trigrams span its spaces; it selects candidates (for three characters or
    // more), the ILIKE decides. Postgres either walks the sort's index and checks each entry's revision, or finds
    // the revisions and sorts what the site has of them, whichever it estimates cheaper.
    const title =
      query.search.length >= 3
        ? Prisma.sql`(s.title ILIKE ${like} AND catalog_title_grams(s.title) ILIKE catalog_title_grams(${like}))`
        : Prisma.sql`s.title ILIKE ${like}`;
    conditions.push(Prisma.sql`(e.update_id, e.revision_number) IN (
      SELECT s.update_id, s.revision_number FROM update_revisions s
      WHERE s.kb_article_ids && ARRAY[${term}] OR s.cve_ids && ARRAY[${upper}]
        OR s.security_bulletin_ids && ARRAY[${upper}] OR ${title})`);
  }
  // Classifications and products are tags "<site> c|p <GUID>" in one GIN index; GUIDs arrive lower-case and checked
  // (contracts' guidList), as uuid::text writes them.
  const tags = (kind: string, values: readonly string[]) => values.map((v) => `${siteCode} ${kind} ${v}`);
  if (query.classification.length > 0) {
    conditions.push(Prisma.sql`e.list_tags && ${tags("c", query.classification)}::text[]`);
  }
  if (query.product.length > 0) conditions.push(Prisma.sql`e.list_tags && ${tags("p", query.product)}::text[]`);
  if (query.severity) {
    conditions.push(
      query.severity === "None" ? Prisma.sql`e.msrc_severity IS NULL` : Prisma.sql`e.msrc_severity = ${query.severity}`,
    );
  }
  if (query.expired !== undefined) conditions.push(Prisma.sql`e.is_expired = ${query.expired}`);
  if (query.superseded !== undefined) conditions.push(Prisma.sql`e.is_superseded = ${query.superseded}`);
  const released = releaseRange(query);
  if (released.from) conditions.push(Prisma.sql`e.creation_date >= ${released.from}`);
  if (released.before) conditions.push(Prisma.sql`e.creation_date < ${released.before}`);
  return Prisma.join(conditions, " AND ");
}

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

/** The filter of a list query, as the key of its cached total (the sort and the page do not change the total). */
function filterKey(query: SoftwareUpdatesQuery): string {
  const released = releaseRange(query);
  return JSON.stringify([
    query.search ?? null,
    query.classification,
    query.product,
    query.severity ?? null,
    query.expired ?? null,
    query.superseded ?? null,
    released.from?.toISOString() ?? null,
    released.before?.toISOString() ?? null,
  ]);
}

/** The severity ranks of the list's severity order (array_position in the read model: 1 Low … 4 Critical). */
const SEVERITY_RANKS = ["Low", "Moderate", "Important", "Critical"];

/** The leading key of a row in the sort's order, as catalog-totals.ts remembers a first match's. */
function sortKey(sort: string, row: UpdateRow): FirstMatch["key"] {
  switch (sort.replace(/^-/, "")) {
    case "title":
      return row.title;
    case "severity": {
      const rank = SEVERITY_RANKS.indexOf(row.msrc_severity ?? "") + 1;
      return rank === 0 ? null : rank;
    }
    case "kb":
      return row.kb_article_ids[0] ?? null;
    default:
      return row.creation_date;
  }
}

/**
 * Where the walk of a filtered order may start, from the filter's first match in that order remembered for a catalog
 * state (catalog-totals.ts): a bound on the order's leading key that every match satisfies and the sort's index can
 * start at; undefined where no such bound exists (a bound that left out the NULLs after the first match would lose
 * matches, and one that let them in is no index condition).
 */
function startAt(sort: string, byteOrder: boolean, key: FirstMatch["key"]): Prisma.Sql | undefined {
  const descending = sort.startsWith("-");
  switch (sort.replace(/^-/, "")) {
    case "title": {
      if (typeof key !== "string") return undefined;
      const title = byteOrder ? Prisma.sql`left(e.title, 256)` : Prisma.sql`e.title`;
      const first = byteOrder ? Prisma.sql`left(${key}, 256)` : Prisma.sql`${key}`;
      return descending ? Prisma.sql`${title} <= ${first}` : Prisma.sql`${title} >= ${first}`;
    }
    case "severity":
      // Ascending NULLS FIRST: a ranked first match leaves every unranked entry behind. Descending NULLS LAST: an
      // unranked first match leaves every ranked one behind (the Defender updates, below the whole catalog).
      if (key === null) return descending ? Prisma.sql`e.severity_rank IS NULL` : undefined;
      return descending ? undefined : Prisma.sql`e.severity_rank >= ${key}`;
    case "kb":
      // NULLS LAST both ways: a first match without a KB article leaves every one with a KB article behind.
      return key === null ? Prisma.sql`e.first_kb IS NULL` : undefined;
    default:
      if (!(key instanceof Date)) return undefined;
      return descending ? Prisma.sql`e.creation_date <= ${key}` : Prisma.sql`e.creation_date >= ${key}`;
  }
}

/**
 * How a page finds its rows, from the filter's total: "walk" the sort order's index and stop at the page, checking
 * each entry against the filter; or "collect" the matches first (through the filter's own indexes: the category
 * tags' GIN index, the search's indexes on the revisions) and sort them. Postgres cannot choose well by itself: it
 * estimates a filter's matches fairly, but assumes they are spread evenly over every order, and they are not — the
 * Security Updates all have a severity, so a walk of severity's NULLS FIRST order passes every update without one
 * before the first match.
 *
 * Spread evenly, a walk to the page's end passes pageEnd × entries / matches entries, a collection reads the matches:
 * they cost the same at √(pageEnd × entries) matches. A filter with up to twice that many is collected (a walk can
 * cost the whole catalog when its matches cluster late in the order; a collection never costs more than its
 * matches), at most `collectMax`; one with more is walked: its page comes early in any order, and a bounded title
 * or date order starts at the remembered first match.
 */
export function pageStrategy(options: {
  filtered: boolean;
  total: number;
  entries: number;
  pageEnd: number;
  collectMax: number;
}): "walk" | "collect" {
  const { filtered, total, entries, pageEnd, collectMax } = options;
  const breakEven = Math.sqrt(pageEnd * entries);
  return filtered && total <= Math.min(collectMax, 2 * breakEven) ? "collect" : "walk";
}

/**
 * The filter's total and how its page is read (pageStrategy), from the totals of the filter and of the site's whole
 * catalog (both counted once per catalog state).
 */
async function totalAndStrategy(
  ctx: AppContext,
  siteCode: string,
  query: SoftwareUpdatesQuery,
  filter: string,
  where: Prisma.Sql,
): Promise<{ total: number; strategy: "walk" | "collect" }> {
  if (filter === UNFILTERED)
    return { total: await softwareUpdatesTotal(ctx, siteCode, filter, where), strategy: "walk" };
  const [total, entries] = await softwareUpdatesTotals(ctx, siteCode, [
    { filterKey: filter, where },
    { filterKey: UNFILTERED, where: softwareUpdateConditions(siteCode, UNFILTERED_QUERY) },
  ]);
  const strategy = pageStrategy({
    filtered: true,
    total: total!,
    entries: entries!,
    pageEnd: query.page * query.pageSize,
    collectMax: ctx.config.SOFTWARE_UPDATES_COLLECT_MAX,
  });
  return { total: total!, strategy };
}

/** The statement of a list page: its rows with their revisions and the catalog state it saw. */
function pageStatement(
  siteCode: string,
  query: SoftwareUpdatesQuery,
  byteOrder: boolean,
  where: Prisma.Sql,
  start: Prisma.Sql,
  strategy: "walk" | "collect",
): Prisma.Sql {
  // Collected: the filter's matches alone, behind OFFSET 0 (a subquery with an OFFSET is never merged into the query
  // around it), so the sort cannot walk an order's index; then sorted (the page's top-N).
  const entries =
    strategy === "collect"
      ? Prisma.sql`(
          SELECT e.update_id, e.title, e.creation_date, e.severity_rank, e.first_kb
          FROM site_catalog_entries e WHERE ${where} OFFSET 0
        ) e`
      : Prisma.sql`site_catalog_entries e WHERE ${where} ${start}`;
  return Prisma.sql`
    SELECT ${UPDATE_COLUMNS}, (SELECT ${catalogState(siteCode)}) AS catalog_state
    FROM (
      SELECT e.update_id, ${sortColumn(query.sort)}
      FROM ${entries}
      ORDER BY ${orderBy(query.sort, byteOrder)}
      LIMIT ${query.pageSize} OFFSET ${(query.page - 1) * query.pageSize}
    ) page
    JOIN site_catalog_entries e ON e.site_code = ${siteCode} AND e.update_id = page.update_id
    JOIN update_revisions r ON r.update_id = e.update_id AND r.revision_number = e.revision_number
    ORDER BY ${orderBy(query.sort, byteOrder, Prisma.raw("page"))}`;
}

/** The SQL of a list page as a first request sends it (`pnpm bench api` runs it straight in Postgres). */
export async function softwareUpdatesPageSql(ctx: AppContext, query: SoftwareUpdatesQuery): Promise<Prisma.Sql> {
  const [siteCode, byteOrder] = await Promise.all([listSite(ctx, query.site), collatesByBytes(ctx.pool)]);
  const where = softwareUpdateConditions(siteCode, query);
  const filter = filterKey(query);
  const { strategy } = await totalAndStrategy(ctx, siteCode, query, filter, where);
  return pageStatement(siteCode, query, byteOrder, where, Prisma.empty, strategy);
}

const UNFILTERED_QUERY = SoftwareUpdatesQuery.parse({});
const UNFILTERED = filterKey(UNFILTERED_QUERY);

export async function listSoftwareUpdates(ctx: AppContext, query: SoftwareUpdatesQuery): Promise<SoftwareUpdatePage> {
  const [siteCode, byteOrder] = await Promise.all([listSite(ctx, query.site), collatesByBytes(ctx.pool)]);
  const where = softwareUpdateConditions(siteCode, query);
  const filter = filterKey(query);
  // The total first (counted once per catalog state and filter): it decides how the page is read.
  const { total, strategy } = await totalAndStrategy(ctx, siteCode, query, filter, where);
  const bounded = strategy === "walk" && filter !== UNFILTERED;
  const remembered = bounded ? firstMatch(siteCode, filter, query.sort) : undefined;
  const start = remembered && startAt(query.sort, byteOrder, remembered.key);

  // The page from the entries alone (their read model) — reading the index alone when a walk's filter does not need
  // the entry —; only the page's rows are read in full, with their revisions, and the catalog state the statement
  // saw. Through the plain pool (see listSite).
  const page = async (start: Prisma.Sql) => {
    const sql = pageStatement(siteCode, query, byteOrder, where, start, strategy);
    return (await ctx.pool.query<UpdateRow & { catalog_state: string }>(sql.text, sql.values)).rows;
  };
  let rows = await page(start ? Prisma.sql`AND ${start}` : Prisma.empty);
  // The start holds only in the state it was found in: in another (or when nothing shows it), the walk from the top.
  if (start && rows[0]?.catalog_state !== remembered!.state) rows = await page(Prisma.empty);
  if (bounded && query.page === 1 && rows[0]) {
    const first = rows[0];
    rememberFirstMatch(siteCode, filter, query.sort, { state: first.catalog_state, key: sortKey(query.sort, first) });
  }
  const ids = [...new Set(rows.flatMap((r) => [...r.classification_ids, ...r.product_ids]))];
  const { rows: titles } = await ctx.pool.query<{ id: string; title: string }>(
    "SELECT id::text, title FROM categories WHERE id = ANY($1::uuid[])",
    [ids],
  );
  const categories = new Map(titles.map((c) => [c.id, c.title]));
  const items = rows.map((r) => toSoftwareUpdateItem(r, categories));
  return { items, total, page: query.page, pageSize: query.pageSize };
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
  const [siteCode, byteOrder] = await Promise.all([resolveSite(ctx, query.site), collatesByBytes(ctx.pool)]);
  const where = softwareUpdateConditions(siteCode, query);
  const cap = SOFTWARE_UPDATES_EXPORT_MAX_ROWS;
  await ctx.prisma.$transaction(
    async (tx) => {
      const [count] = await tx.$queryRaw<{ n: number }[]>`
        SELECT count(*)::int AS n FROM (
          SELECT 1 FROM site_catalog_entries e WHERE ${where} LIMIT ${cap + 1}
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
        ORDER BY ${orderBy(query.sort, byteOrder)}
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
