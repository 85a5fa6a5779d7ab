import {
  CatalogDigestDto,
  CatalogDigestQuery,
  CategoriesQuery,
  CategoryList,
  SiteCode,
  SoftwareUpdateDetails,
  SoftwareUpdateDetailsQuery,
  SoftwareUpdatePage,
  SoftwareUpdateParams,
  SoftwareUpdatesExportQuery,
  SoftwareUpdatesQuery,
} from "@syncpoint/contracts";
import { parseDigestFilter } from "@syncpoint/wsusss";
import type { Response } from "express";
import { z } from "zod";
import { fieldError } from "../http/errors.ts";
import { defineRoute } from "../http/route.ts";
import {
  exportSoftwareUpdatesCsv,
  getSoftwareUpdateDetails,
  listCategories,
  listSoftwareUpdates,
  siteCatalogDigest,
  type CsvSink,
} from "../services/catalog.ts";

/** A CSV attachment on the response, written as the export produces it and paced by the client (back-pressure). */
function csvDownload(res: Response, filename: string): CsvSink {
  const gone = () => res.destroyed || res.writableEnded;
  return {
    start({ truncated }) {
      res.status(200);
      res.setHeader("Content-Type", "text/csv; charset=utf-8");
      res.setHeader("Content-Disposition", `attachment; filename="${filename}"`);
      res.setHeader("Cache-Control", "no-store");
      if (truncated) res.setHeader("X-Syncpoint-Truncated", "true");
    },
    async write(chunk) {
      if (gone()) return false;
      if (!res.write(chunk)) {
        await new Promise<void>((resolve) => {
          const done = () => {
            res.off("drain", done);
            res.off("close", done);
            resolve();
          };
          res.on("drain", done);
          res.on("close", done);
        });
      }
      return !gone();
    },
    end() {
      if (!gone()) res.end();
    },
  };
}

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
  // Before `/software-updates/:updateId`, which would otherwise take "export.csv" for an update id.
  defineRoute({
    method: "get",
    path: "/software-updates/export.csv",
    access: "read",
    summary:
      "All Software Updates as CSV (UTF-8 with BOM) for the list's filters and sort, streamed, at most 100 000 rows (X-Syncpoint-Truncated: true when capped).",
    query: SoftwareUpdatesExportQuery,
    handler: async ({ query, ctx, res }) => {
      try {
        await exportSoftwareUpdatesCsv(ctx, query, csvDownload(res, "all-software-updates.csv"));
      } catch (error) {
        // Once the headers are out no error envelope can follow: cut the connection so the download is visibly
        // incomplete instead of a file that merely looks short.
        if (res.headersSent) res.destroy();
        throw error;
      }
      return undefined;
    },
  }),
  defineRoute({
    method: "get",
    path: "/software-updates/:updateId",
    access: "read",
    summary:
      "One update of a site's catalog (default: the top-level site): summary, supersedence both ways, bundled updates, revisions, files.",
    params: SoftwareUpdateParams,
    query: SoftwareUpdateDetailsQuery,
    response: SoftwareUpdateDetails,
    handler: async ({ params, query, ctx }) => ({
      body: await getSoftwareUpdateDetails(ctx, params.updateId, query),
    }),
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
        // "products: "x" is not a GUID" → the field and what is wrong with it, as every 400 names them.
        const [name, ...rest] = (error as Error).message.split(": ");
        const field = `query.${name}`;
        const message = rest.join(": ") || "is not valid";
        const guid = /^"(.*)" is not a GUID$/.exec(message);
        throw guid
          ? fieldError(field, message, "invalid_uuid", { value: guid[1]! })
          : fieldError(field, message, "invalid");
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
