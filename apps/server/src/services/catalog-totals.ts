// What All Software Updates remembers in this process per site, catalog state and filter — a site's catalog changes
// only when a sync (or an update package) commits, so what was true of one state stays true until then: the exact
// totals ("N updates"), so that a page is one index walk instead of a count of the whole filtered catalog; and where
// a filter's first match lies in a sort order, so that a page walking that order starts there.
import { Prisma } from "@syncpoint/db";
import type { AppContext } from "../context.ts";

/**
 * What changes whenever the site's catalog can have: each of its software update points' catalog version and last
 * successful sync (applyCatalog sets both in the transaction that changes the entries, a changed one with a new
 * version) and the newest entry version (an entry written another way). Read in the same statement as what is
 * remembered under it, so nothing is remembered under a state it was not read in.
 */
export const catalogState = (siteCode: string) => Prisma.sql`
  coalesce((SELECT string_agg(p.id::text || '/' || p.catalog_version || '/' ||
                              coalesce(p.last_successful_sync_at::text, '-'), ',' ORDER BY p.id)
            FROM software_update_points p WHERE p.site_code = ${siteCode}), '-')
  || '#' || coalesce((SELECT max(c.version) FROM site_catalog_entries c WHERE c.site_code = ${siteCode})::text, '-')`;

/** At most this many totals, and as many first matches (the least recently used go first). */
const MAX_REMEMBERED = 5_000;

function remember<T>(map: Map<string, T>, key: string, value: T): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > MAX_REMEMBERED) map.delete(map.keys().next().value!);
}

/** "<site>\n<state>\n<filter>" → total. */
const totals = new Map<string, number>();
/** The counts running, under the same keys: a total asked for meanwhile waits for that count. */
const counting = new Map<string, Promise<number>>();

/** Forgets every total and first match (tests). */
export function clearSoftwareUpdateTotals(): void {
  totals.clear();
  firstMatches.clear();
}

/**
 * How many entries of the site's catalog match `where` (conditions over `e`, site_catalog_entries); `filterKey`
 * names the filter (the same key for the same conditions, whatever the sort or page).
 */
export async function softwareUpdatesTotal(
  ctx: AppContext,
  siteCode: string,
  filterKey: string,
  where: Prisma.Sql,
): Promise<number> {
  const [total] = await softwareUpdatesTotals(ctx, siteCode, [{ filterKey, where }]);
  return total!;
}

/** softwareUpdatesTotal for several filters, in the catalog state one statement reads. */
export async function softwareUpdatesTotals(
  ctx: AppContext,
  siteCode: string,
  filters: readonly { filterKey: string; where: Prisma.Sql }[],
): Promise<number[]> {
  // Through the plain pool, as the list's page (services/catalog.ts, listSite).
  const stateSql = Prisma.sql`SELECT ${catalogState(siteCode)} AS state`;
  const [state] = (await ctx.pool.query<{ state: string }>(stateSql.text, stateSql.values)).rows;
  return Promise.all(
    filters.map(({ filterKey, where }) => {
      if (!state) return count(ctx, siteCode, filterKey, where);
      const key = `${siteCode}\n${state.state}\n${filterKey}`;
      const known = totals.get(key);
      if (known !== undefined) {
        remember(totals, key, known);
        return known;
      }
      let running = counting.get(key);
      if (!running) {
        running = count(ctx, siteCode, filterKey, where).finally(() => counting.delete(key));
        counting.set(key, running);
      }
      return running;
    }),
  );
}

async function count(ctx: AppContext, siteCode: string, filterKey: string, where: Prisma.Sql): Promise<number> {
  const sql = Prisma.sql`
    SELECT ${catalogState(siteCode)} AS state, (SELECT count(*) FROM site_catalog_entries e WHERE ${where}) AS n`;
  const [counted] = (await ctx.pool.query<{ state: string; n: string }>(sql.text, sql.values)).rows;
  if (!counted) return 0;
  const total = Number(counted.n);
  remember(totals, `${siteCode}\n${counted.state}\n${filterKey}`, total);
  return total;
}

/**
 * The sort key of a filter's first match in one order, and the catalog state it was read in: no entry before it in
 * that order matches, so a page of the same filter and order in the same state may start its walk there. A filter
 * whose matches cluster late in an order (a search for KB2267602, 200 000 Defender updates, sorted by title) walks
 * that far only once per catalog state.
 */
export interface FirstMatch {
  state: string;
  /** The match's title, release date, severity rank (null: none) or first KB article (null: none). */
  key: string | Date | number | null;
}

/** "<site>\n<filter>\n<sort>" → the first match (its state inside). */
const firstMatches = new Map<string, FirstMatch>();

export function firstMatch(siteCode: string, filterKey: string, sort: string): FirstMatch | undefined {
  return firstMatches.get(`${siteCode}\n${filterKey}\n${sort}`);
}

export function rememberFirstMatch(siteCode: string, filterKey: string, sort: string, match: FirstMatch): void {
  remember(firstMatches, `${siteCode}\n${filterKey}\n${sort}`, match);
}
