// Each site's software update point serves MS-WSUSSS from its own catalog, so its child sites sync from it exactly as
// it synced from its upstream (DESIGN.md, "MS-WSUSSS endpoints"). The anchor is the site's catalog version, and a
// delta from it lists the entries that changed since: a child's sync after a 1 % change moves 1 % of the catalog.
import {
  renderUpdateXml,
  WsusssFault,
  type RevisionFilter,
  type RevisionIdList,
  type ServerSyncConfig,
  type UpdateIdentity,
  type WsusssBackend,
} from "@syncpoint/wsusss";
import type { AppContext } from "../context.ts";
import { categoryToRecord, revisionToRecord } from "./records.ts";

const ANCHOR = /^(\d+),(\d{4}-\d{2}-\d{2}T[\d:.]+Z)$/;

/** The `<version>,<time>` anchor of a site's catalog; `undefined` for a malformed one. */
export function anchorVersion(anchor: string): number | undefined {
  const match = ANCHOR.exec(anchor);
  return match ? Number(match[1]) : undefined;
}

/** What a list answer needs of the site's (first) software update point. */
const CATALOG_SQL = `
  SELECT catalog_version AS "catalogVersion", entries_removed_in_version AS "entriesRemovedInVersion"
  FROM software_update_points WHERE site_code = $1 ORDER BY created_at ASC LIMIT 1`;

// The statements of the calls every child run makes (config, the category and revision lists) go through `pg`
// directly: a cascade makes thousands of them, and a Prisma call costs several times the CPU of the same statement.
export function siteBackend(ctx: AppContext, siteCode: string): WsusssBackend {
  const catalog = async () => {
    const { rows } = await ctx.pool.query<{ catalogVersion: number; entriesRemovedInVersion: number }>(CATALOG_SQL, [
      siteCode,
    ]);
    const sup = rows[0];
    if (!sup) throw new WsusssFault("InternalServerError", `no software update point at ${siteCode}`);
    return sup;
  };
  const anchorAt = (version: number) => `${version},${new Date().toISOString()}`;
  return {
    async config(): Promise<ServerSyncConfig> {
      return {
        protocolVersion: "1.20",
        maxNumberOfUpdatesPerRequest: 100,
        catalogOnlySync: false,
        lazySync: true,
        serverHostsPsfFiles: false,
        maxNumberOfDriverSetsPerRequest: 0,
        maxNumberOfComputerIdsInRequest: 0,
        maxNumberOfPnpHardwareIdsInRequest: 0,
        maxUpdatesPerRequestInGetUpdateDecryptionData: 100,
        newConfigAnchor: anchorAt((await catalog()).catalogVersion),
        languages: [{ id: 0, shortLanguage: "all", longLanguage: "All Languages", enabled: true }],
      };
    },
    async revisionIdList(filter: RevisionFilter): Promise<RevisionIdList> {
      const since = filter.anchor ? anchorVersion(filter.anchor) : undefined;
      if (filter.anchor && since === undefined) {
        throw new WsusssFault("InvalidParameters", "filter", "GetRevisionIdList");
      }
      // The version is read before the entries: an apply committing in between is listed again next time, never lost.
      const sup = await catalog();
      if (filter.getConfig) {
        const { rows } = await ctx.pool.query<UpdateIdentity>(
          `SELECT id::text AS "updateId", revision_number AS "revisionNumber" FROM categories`,
        );
        return { anchor: anchorAt(sup.catalogVersion), revisions: rows };
      }
      // A delta lists the entries changed since the anchor's version. Removals have no revision to list, so an anchor
      // from before the last removal (or from a catalog this site never had) is refused: the child lists everything.
      if (since !== undefined && (since > sup.catalogVersion || since < sup.entriesRemovedInVersion)) {
        throw new WsusssFault("InvalidParameters", "filter", "GetRevisionIdList");
      }
      const products = (filter.categories ?? []).map((c) => c.id.toLowerCase());
      const classifications = (filter.classifications ?? []).map((c) => c.id.toLowerCase());
      // Per item, as the upstream does: a product or classification the child newly selected (Delta=false) is listed
      // in full even in a delta.
      const fullProducts = (filter.categories ?? []).filter((c) => !c.delta).map((c) => c.id.toLowerCase());
      const fullClassifications = (filter.classifications ?? []).filter((c) => !c.delta).map((c) => c.id.toLowerCase());
      // $1 site, $2 products, $3 classifications; then $4 the anchor's version and $5/$6 what is listed in full.
      const values: unknown[] = [siteCode, products, classifications];
      let changed = "";
      if (since !== undefined) {
        values.push(since);
        if (fullProducts.length === 0 && fullClassifications.length === 0) changed = "AND e.version > $4";
        else {
          values.push(fullProducts, fullClassifications);
          changed = "AND (e.version > $4 OR r.product_ids && $5::uuid[] OR r.classification_ids && $6::uuid[])";
        }
      }
      const { rows } = await ctx.pool.query<UpdateIdentity>(
        `SELECT e.update_id::text AS "updateId", e.revision_number AS "revisionNumber"
        FROM site_catalog_entries e
        JOIN update_revisions r ON r.update_id = e.update_id AND r.revision_number = e.revision_number
        WHERE e.site_code = $1 ${changed}
          AND (
            (
              (cardinality($2::uuid[]) = 0 OR r.product_ids && $2::uuid[])
              AND (cardinality($3::uuid[]) = 0 OR r.classification_ids && $3::uuid[])
            )
            -- Imported updates reach every site whatever the selection, as WSUS flags an imported update.
            OR EXISTS (SELECT 1 FROM imported_updates i WHERE i.update_id = e.update_id AND i.state = 'imported')
          )`,
        values,
      );
      return { anchor: anchorAt(sup.catalogVersion), revisions: rows };
    },
    async updateXml(ids: UpdateIdentity[]): Promise<Map<string, string>> {
      const wanted = ids.map((i) => ({ updateId: i.updateId.toLowerCase(), revisionNumber: i.revisionNumber }));
      const [revisions, categories] = await Promise.all([
        ctx.prisma.updateRevision.findMany({
          where: { OR: wanted.map((w) => ({ updateId: w.updateId, revisionNumber: w.revisionNumber })) },
        }),
        ctx.prisma.category.findMany({ where: { id: { in: wanted.map((w) => w.updateId) } } }),
      ]);
      const xml = new Map<string, string>();
      for (const r of revisions) xml.set(`${r.updateId},${r.revisionNumber}`, renderUpdateXml(revisionToRecord(r)));
      for (const c of categories) xml.set(`${c.id},${c.revisionNumber}`, renderUpdateXml(categoryToRecord(c)));
      for (const w of wanted) {
        if (!xml.has(`${w.updateId},${w.revisionNumber}`)) {
          throw new WsusssFault(
            "InternalServerError",
            `unknown update ${w.updateId} revision ${w.revisionNumber}`,
            "GetUpdateData",
          );
        }
      }
      return xml;
    },
  };
}

/**
 * The HMAC key of SUP cookies: derived from the key of stored secrets (SYNCPOINT_SECRET_KEY or DATA_DIR/secret.key),
 * which every process of an installation shares — behind a load balancer a child's next call may reach another API
 * process, which must accept the cookie the first one issued.
 */
export function supCookieSecret(ctx: AppContext): string {
  return ctx.secrets.deriveKey("sup-cookie");
}
