import {
  CatalogSearchQuery,
  CatalogSearchResponse,
  ImportedUpdatePage,
  ImportedUpdateParams,
  ImportedUpdatesQuery,
  ImportUpdatesRequest,
  ImportUpdatesResponse,
} from "@syncpoint/contracts";
import { defineRoute } from "../http/route.ts";
import { importUpdates, listImportedUpdates, removeImportedUpdate, searchCatalog } from "../services/catalog-import.ts";

export const catalogImportRoutes = [
  defineRoute({
    method: "get",
    path: "/catalog/search",
    access: "updates.import",
    summary:
      "Search the update catalog of the top-level site's upstream by KB number, title words or update id (catalog-only updates included); 409 CATALOG_SEARCH_UNAVAILABLE when the upstream has no search.",
    query: CatalogSearchQuery,
    response: CatalogSearchResponse,
    handler: async ({ ctx, query }) => ({ body: await searchCatalog(ctx, query.q) }),
  }),
  defineRoute({
    method: "post",
    path: "/imported-updates",
    access: "updates.import",
    audit: { action: "updates.import" },
    summary:
      "Import updates (the basket) with their prerequisites and bundled updates: 202 with the run (trigger import), or with the active run the basket waits for.",
    body: ImportUpdatesRequest,
    response: ImportUpdatesResponse,
    handler: async ({ ctx, body, principal, audit }) => ({
      status: 202,
      body: await importUpdates(ctx, principal!, body, audit),
    }),
  }),
  defineRoute({
    method: "get",
    path: "/imported-updates",
    access: "read",
    summary: "Updates imported from the catalog, with their state (pending, imported, failed) and reason.",
    query: ImportedUpdatesQuery,
    response: ImportedUpdatePage,
    handler: async ({ ctx, query }) => ({ body: await listImportedUpdates(ctx, query) }),
  }),
  defineRoute({
    method: "delete",
    path: "/imported-updates/:updateId",
    access: "updates.import",
    audit: { action: "updates.import.remove" },
    summary:
      "Stop following an imported update: its later revisions no longer sync outside the selection (409 while a run imports it).",
    params: ImportedUpdateParams,
    handler: async ({ ctx, params, audit }) => {
      await removeImportedUpdate(ctx, params.updateId, audit);
      return undefined;
    },
  }),
];
