import { z } from "zod";
import { withReason, type FieldReason } from "./errors.ts";
import { pageOf, pageQuery } from "./pagination.ts";

const guidList = (name: string) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      const values = (v ?? "")
        .split(",")
        .map((s) => s.trim().toLowerCase())
        .filter(Boolean);
      const bad = values.find((s) => !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(s));
      if (bad) {
        const reason: FieldReason = "invalid_uuid";
        ctx.addIssue({ code: "custom", message: `${name}: "${bad}" is not a GUID`, params: { reason, value: bad } });
      }
      return values;
    });

const flag = z.enum(["true", "false"]).transform((v) => v === "true");

/** `YYYY-MM-DD` (a whole UTC day) or an ISO-8601 time with an offset. */
const ISO_DATE_OR_TIME = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;
const releaseBound = (name: string) =>
  z
    .string()
    .trim()
    .refine(
      (v) => ISO_DATE_OR_TIME.test(v) && !Number.isNaN(Date.parse(v)),
      withReason("invalid_datetime", `${name} is a date (YYYY-MM-DD) or an ISO-8601 time`),
    );

/**
 * The instants a release-date filter covers: `releasedFrom` from its start, `releasedTo` up to the end of its day
 * when it is a date (so `2024-10-08..2024-10-08` is that whole day), or up to that instant when it is a time.
 */
export function releaseRange(query: { releasedFrom?: string; releasedTo?: string }): {
  from?: Date;
  /** Exclusive. */
  before?: Date;
} {
  const isDay = (v: string) => /^\d{4}-\d{2}-\d{2}$/.test(v);
  const from = query.releasedFrom ? new Date(Date.parse(query.releasedFrom)) : undefined;
  let before: Date | undefined;
  if (query.releasedTo) {
    const to = Date.parse(query.releasedTo);
    before = new Date(isDay(query.releasedTo) ? to + 86_400_000 : to + 1);
  }
  return { ...(from ? { from } : {}), ...(before ? { before } : {}) };
}

/** The filters of All Software Updates, shared by the page (`GET /api/software-updates`) and its CSV export. */
const softwareUpdateFilters = {
  search: z.string().trim().max(200, "search is at most 200 characters").optional(),
  classification: guidList("classification"),
  product: guidList("product"),
  severity: z.enum(["Critical", "Important", "Moderate", "Low", "None"]).optional(),
  expired: flag.optional(),
  superseded: flag.optional(),
  site: z
    .string()
    .regex(/^[A-Za-z0-9]{3}$/, "site is a site code such as CAS")
    .optional(),
  /** Date Released (the update's CreationDate) on or after this date or time. */
  releasedFrom: releaseBound("releasedFrom").optional(),
  /** Date Released on or before this date (inclusive of the whole day) or time. */
  releasedTo: releaseBound("releasedTo").optional(),
};

const orderedRange = (query: { releasedFrom?: string; releasedTo?: string }, ctx: z.RefinementCtx) => {
  const { from, before } = releaseRange(query);
  if (from && before && from >= before) {
    const reason: FieldReason = "date_range_reversed";
    ctx.addIssue({
      code: "custom",
      path: ["releasedTo"],
      message: "releasedTo is before releasedFrom",
      params: { reason },
    });
  }
};

const softwareUpdatesPage = pageQuery(["title", "releaseDate", "severity", "kb"], "-releaseDate");

export const SoftwareUpdatesQuery = softwareUpdatesPage.extend(softwareUpdateFilters).superRefine(orderedRange);
export type SoftwareUpdatesQuery = z.infer<typeof SoftwareUpdatesQuery>;

/**
 * `GET /api/software-updates/export.csv`: the list's filters and sort, without paging (`page` and `pageSize` are
 * ignored, so the console can send the query string of the page it shows).
 */
export const SoftwareUpdatesExportQuery = softwareUpdatesPage
  .pick({ sort: true })
  .extend(softwareUpdateFilters)
  .superRefine(orderedRange);
export type SoftwareUpdatesExportQuery = z.infer<typeof SoftwareUpdatesExportQuery>;

/** At most this many rows go into one CSV export; a capped export says so in `X-Syncpoint-Truncated: true`. */
export const SOFTWARE_UPDATES_EXPORT_MAX_ROWS = 100_000;

/** The CSV export's columns, in order (the console's column names). */
export const SOFTWARE_UPDATES_CSV_COLUMNS = [
  "Title",
  "Article ID",
  "Bulletin ID",
  "CVE IDs",
  "Classification",
  "Products",
  "Severity",
  "Date Released",
  "Expired",
  "Superseded",
  "Maximum Run Time (minutes)",
  "Update ID",
  "Revision",
] as const;

export const CategoryRef = z.object({ id: z.string(), title: z.string() });

export const SoftwareUpdateItem = z.object({
  updateId: z.string(),
  revisionNumber: z.number().int(),
  title: z.string(),
  kbArticleIds: z.array(z.string()),
  bulletinIds: z.array(z.string()),
  cveIds: z.array(z.string()),
  severity: z.string().nullable(),
  classifications: z.array(CategoryRef),
  products: z.array(CategoryRef),
  releaseDate: z.string().datetime(),
  isExpired: z.boolean(),
  isSuperseded: z.boolean(),
  maxRunTimeMinutes: z.number().int().nullable(),
});
export type SoftwareUpdateItem = z.infer<typeof SoftwareUpdateItem>;
export const SoftwareUpdatePage = pageOf(SoftwareUpdateItem);
export type SoftwareUpdatePage = z.infer<typeof SoftwareUpdatePage>;

export const SoftwareUpdateParams = z.object({
  updateId: z.string().uuid("updateId is an update id (GUID)").toLowerCase(),
});
export const SoftwareUpdateDetailsQuery = z.object({
  site: z
    .string()
    .regex(/^[A-Za-z0-9]{3}$/, "site is a site code such as CAS")
    .optional(),
});
export type SoftwareUpdateDetailsQuery = z.infer<typeof SoftwareUpdateDetailsQuery>;

/** Another update named by this one (supersedence, bundles); `title` is null when no revision of it is stored. */
export const RelatedUpdate = z.object({
  updateId: z.string(),
  title: z.string().nullable(),
  /** Whether the update is in the site's catalog. */
  inCatalog: z.boolean(),
});
export type RelatedUpdate = z.infer<typeof RelatedUpdate>;

export const UpdateFileDto = z.object({
  fileName: z.string(),
  size: z.number(),
  /** Base64 SHA-1 (the file's identity in MS-WSUSSS). */
  sha1Digest: z.string(),
  sha256Digest: z.string().nullable(),
  modified: z.string().nullable(),
});
export type UpdateFileDto = z.infer<typeof UpdateFileDto>;

/** `GET /api/software-updates/:updateId?site=`: the Summary, Supersedence, Content and revisions of one update. */
export const SoftwareUpdateDetails = SoftwareUpdateItem.extend({
  siteCode: z.string(),
  description: z.string().nullable(),
  /** Software | Driver (categories and detectoids are not in All Software Updates). */
  updateType: z.string(),
  supportUrl: z.string().nullable(),
  moreInfoUrl: z.string().nullable(),
  languages: z.array(z.string()),
  maxDownloadSize: z.number().nullable(),
  isBundle: z.boolean(),
  /** The updates the current revision supersedes (its SupersededUpdates), in document order. */
  supersedes: z.array(RelatedUpdate),
  /** Current revisions in this site's catalog that supersede this update (why isSuperseded is true), newest first. */
  supersededBy: z.array(
    z.object({
      updateId: z.string(),
      revisionNumber: z.number().int(),
      title: z.string(),
      releaseDate: z.string().datetime(),
    }),
  ),
  /** The updates this bundle contains, with the revisions it names. */
  bundledUpdates: z.array(RelatedUpdate.extend({ revisionNumber: z.number().int() })),
  /** Every stored revision of the update, newest first; `isCurrent` is the one in this site's catalog. */
  revisions: z.array(
    z.object({
      revisionNumber: z.number().int(),
      title: z.string(),
      storedAt: z.string().datetime(),
      isCurrent: z.boolean(),
    }),
  ),
  files: z.array(UpdateFileDto),
});
export type SoftwareUpdateDetails = z.infer<typeof SoftwareUpdateDetails>;

export const CatalogDigestQuery = z.object({
  products: z.string().max(20_000).optional(),
  classifications: z.string().max(20_000).optional(),
  languages: z.string().max(2_000).optional(),
});
export const CatalogDigestDto = z.object({ count: z.number().int(), digest: z.string() });
export type CatalogDigestDto = z.infer<typeof CatalogDigestDto>;

export const CategoryDto = z.object({
  id: z.string(),
  type: z.enum(["Company", "ProductFamily", "Product", "UpdateClassification"]),
  title: z.string(),
  parentIds: z.array(z.string()),
  firstSeenAt: z.string().datetime(),
  /** Discovered by a sync after the first one and not yet reviewed in the settings. */
  isNew: z.boolean(),
});
export type CategoryDto = z.infer<typeof CategoryDto>;
export const CategoriesQuery = z.object({ type: z.enum(["product", "classification"]).optional() });
export const CategoryList = z.object({ items: z.array(CategoryDto) });
