import {
  CatalogDigestDto,
  CatalogDigestQuery,
  CategoriesQuery,
  CategoryList,
  SiteCode,
  SoftwareUpdatePage,
  SoftwareUpdatesQuery,
} from "@syncpoint/contracts";
import { parseDigestFilter } from "@syncpoint/wsusss";
import { z } from "zod";
import { HttpError } from "../http/errors.ts";
import { defineRoute } from "../http/route.ts";
import { listCategories, listSoftwareUpdates, siteCatalogDigest } from "../services/catalog.ts";

export const catalogRoutes = [
  defineRoute({
    method: "get",
    path: "/software-updates",
    access: "read",
    summary:
      "All Software Updates of a site's catalog (default: the top-level site), filtered, sorted and paged on the server.",
    query: SoftwareUpdatesQuery,
    response: SoftwareUpdatePage,
    handler: async ({ query, ctx }) => ({ body: await listSoftwareUpdates(ctx, query) }),
  }),
  defineRoute({
    method: "get",
    path: "/sites/:code/catalog/digest",
    access: "read",
    summary: "The site's catalog digest for a filter; equal digests mean equal catalogs.",
    params: z.object({ code: z.string().toUpperCase().pipe(SiteCode) }),
    query: CatalogDigestQuery,
    response: CatalogDigestDto,
    handler: async ({ params, query, ctx }) => {
      let filter;
      try {
        filter = parseDigestFilter(query);
      } catch (error) {
        throw new HttpError(400, "VALIDATION_FAILED", `query.${(error as Error).message}`);
      }
      return { body: await siteCatalogDigest(ctx, params.code, filter) };
    },
  }),
  defineRoute({
    method: "get",
    path: "/categories",
    access: "read",
    summary: "Products (with their families and companies) or update classifications discovered from the upstream.",
    query: CategoriesQuery,
    response: CategoryList,
    handler: async ({ query, ctx }) => ({ body: { items: await listCategories(ctx, query.type) } }),
  }),
];
