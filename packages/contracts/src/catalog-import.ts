// Software Library › Import Updates: search the update catalog, put updates in a basket, import them. An import is
// hierarchy-wide, as WSUS's ImportUpdateFromCatalogSite flags the update: it is synced with its prerequisites and
// bundled updates, and it keeps receiving later revisions whatever the product and classification selection.
import { z } from "zod";
import { pageOf, pageQuery } from "./pagination.ts";

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
export const UpdateId = z
  .string()
  .trim()
  .regex(GUID, "an update id is a GUID such as 5c5bbb6e-5d72-4b5b-9d0c-b4a5c54ddbf3")
  .transform((v) => v.toLowerCase());

/** The classification "Upgrades": feature updates cannot be imported from the catalog (domain.md §5). */
export const UPGRADES_CLASSIFICATION_ID = "3689bdc8-b205-4af4-8d4a-a63924c5e9d5";

export const CatalogSearchQuery = z.object({
  q: z
    .string()
    .trim()
    .min(1, "q: enter a KB number, title words or an update id")
    .max(200, "q is at most 200 characters"),
});
export type CatalogSearchQuery = z.infer<typeof CatalogSearchQuery>;

/** One update the catalog offers, as the upstream's `/catalog/search` answers it. */
export const CatalogSearchHit = z.object({
  updateId: z.string().regex(GUID),
  revisionNumber: z.number().int().min(1),
  title: z.string().max(2_000),
  kbArticleIds: z.array(z.string().max(20)).max(50),
  classificationIds: z.array(z.string().regex(GUID)).max(50),
  productIds: z.array(z.string().regex(GUID)).max(200),
  creationDate: z.string().max(40),
  /** Offered by the catalog only: no product or classification selection ever syncs it. */
  catalogOnly: z.boolean(),
});
export type CatalogSearchHit = z.infer<typeof CatalogSearchHit>;

export const ImportState = z.enum(["pending", "imported", "failed"]);
export type ImportState = z.infer<typeof ImportState>;

/** A search hit as the console shows it: with its title names and where it stands in this hierarchy. */
export const CatalogSearchItem = CatalogSearchHit.extend({
  classificationTitles: z.array(z.string()),
  productTitles: z.array(z.string()),
  /** The revision the top-level site's catalog holds, if any. */
  inCatalogRevision: z.number().int().nullable(),
  importState: ImportState.nullable(),
  /** Why it cannot be imported (a feature update), or null. */
  notImportableReason: z.string().nullable(),
});
export type CatalogSearchItem = z.infer<typeof CatalogSearchItem>;

export const CatalogSearchResponse = z.object({
  items: z.array(CatalogSearchItem),
  /** The upstream the search went to. */
  source: z.string(),
});
export type CatalogSearchResponse = z.infer<typeof CatalogSearchResponse>;

export const ImportUpdatesRequest = z.object({
  updates: z
    .array(
      z.object({
        updateId: UpdateId,
        /** The revision to import (the catalog's current one); a later revision is taken when the upstream lists it. */
        revisionNumber: z.number().int().min(1, "revisionNumber starts at 1").max(2_147_483_647),
        /** For the list until the update is fetched (a real upstream has no search to read it from). */
        title: z.string().trim().max(500).optional(),
      }),
    )
    .min(1, "updates: add at least one update to the basket")
    .max(100, "updates: at most 100 updates per import"),
});
export type ImportUpdatesRequest = z.infer<typeof ImportUpdatesRequest>;

export const ImportReason = z.enum(["basket", "prerequisite", "bundled"]);
export type ImportReason = z.infer<typeof ImportReason>;

export const ImportedUpdateDto = z.object({
  updateId: z.string(),
  revisionNumber: z.number().int(),
  title: z.string(),
  kbArticleIds: z.array(z.string()),
  reason: ImportReason,
  requiredBy: z.string().nullable(),
  state: ImportState,
  errorCode: z.string().nullable(),
  errorMessage: z.string().nullable(),
  importedRevision: z.number().int().nullable(),
  runId: z.string().nullable(),
  requestedBy: z.string().nullable(),
  requestedAt: z.string(),
  importedAt: z.string().nullable(),
});
export type ImportedUpdateDto = z.infer<typeof ImportedUpdateDto>;

export const ImportUpdatesResponse = z.object({
  /** The run (trigger `import`) that imports them; null when a synchronization is already active — it is then
   * imported by a run queued when that one ends. */
  runId: z.string().nullable(),
  /** The run already active, when `runId` is null. */
  activeRunId: z.string().nullable(),
  items: z.array(ImportedUpdateDto),
});
export type ImportUpdatesResponse = z.infer<typeof ImportUpdatesResponse>;

export const ImportedUpdatesQuery = pageQuery(["requestedAt", "title", "state"], "-requestedAt").extend({
  state: ImportState.optional(),
});
export type ImportedUpdatesQuery = z.infer<typeof ImportedUpdatesQuery>;

export const ImportedUpdatePage = pageOf(ImportedUpdateDto);
export type ImportedUpdatePage = z.infer<typeof ImportedUpdatePage>;

export const ImportedUpdateParams = z.object({ updateId: UpdateId });
