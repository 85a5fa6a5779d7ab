import {
  ApplyUpdatePackageResponse,
  ExportUpdatePackageParams,
  UPDATE_PACKAGE_MEDIA_TYPE,
  UpdatePackageDto,
  UpdatePackagePage,
  UpdatePackageParams,
  UpdatePackagesQuery,
  UploadUpdatePackageQuery,
} from "@syncpoint/contracts";
import type { Response } from "express";
import { pipeline } from "node:stream/promises";
import { defineRoute } from "../http/route.ts";
import {
  applyUpdatePackage,
  exportUpdatePackage,
  getUpdatePackage,
  listUpdatePackages,
  removeUpdatePackage,
  uploadUpdatePackage,
  type PackageSink,
} from "../services/update-packages.ts";

/** The package as an attachment, streamed as it is written and paced by the client (back-pressure). */
function packageDownload(res: Response): PackageSink {
  return {
    start({ fileName, catalogVersion }) {
      res.status(200);
      res.setHeader("Content-Type", UPDATE_PACKAGE_MEDIA_TYPE);
      res.setHeader("Content-Disposition", `attachment; filename="${fileName}"`);
      res.setHeader("X-Syncpoint-Catalog-Version", String(catalogVersion));
    },
    pipe: (output) => pipeline(output, res),
  };
}

export const updatePackageRoutes = [
  defineRoute({
    method: "get",
    path: "/sites/:code/update-package",
    access: "read",
    summary:
      "Export the site's catalog as an update package (gzip of NDJSON: manifest, categories, updates, checksum), streamed, for a disconnected top-level site to import.",
    params: ExportUpdatePackageParams,
    handler: async ({ params, ctx, res }) => {
      try {
        await exportUpdatePackage(ctx, params.code, packageDownload(res));
      } catch (error) {
        // Once the headers are out no error envelope can follow: cut the connection so the download is visibly
        // incomplete (the package would fail its checksum anyway).
        if (res.headersSent) {
          res.destroy();
          return undefined;
        }
        throw error;
      }
      return undefined;
    },
  }),
  defineRoute({
    method: "get",
    path: "/update-packages",
    access: "read",
    summary: "Update packages uploaded to the top-level site, newest first, with what their verification found.",
    query: UpdatePackagesQuery,
    response: UpdatePackagePage,
    handler: async ({ query, ctx }) => ({ body: await listUpdatePackages(ctx, query) }),
  }),
  defineRoute({
    method: "post",
    path: "/update-packages",
    access: "updates.import",
    audit: { action: "update-package.upload" },
    summary:
      "Upload an update package (the request body: the .ndjson.gz file as application/gzip, at most PACKAGE_MAX_BYTES). It is verified as it streams in and checked against the top-level site; 201 with the package, verified, or a specific error and nothing kept.",
    rawBody: {
      mediaTypes: [UPDATE_PACKAGE_MEDIA_TYPE, "application/x-gzip", "application/octet-stream"],
      description: "The update package file as exported (gzip of NDJSON), sent as it is.",
    },
    query: UploadUpdatePackageQuery,
    response: UpdatePackageDto,
    handler: async ({ query, ctx, req, res, principal, audit }) => ({
      status: 201,
      body: await uploadUpdatePackage(ctx, req, res, principal!, query, audit),
    }),
  }),
  defineRoute({
    method: "get",
    path: "/update-packages/:id",
    access: "read",
    summary: "One uploaded update package: its manifest, state and the latest run that applied it.",
    params: UpdatePackageParams,
    response: UpdatePackageDto,
    handler: async ({ params, ctx }) => ({ body: await getUpdatePackage(ctx, params.id) }),
  }),
  defineRoute({
    method: "post",
    path: "/update-packages/:id/apply",
    access: "updates.import",
    audit: { action: "update-package.apply" },
    summary:
      "Apply a verified update package to the top-level site: checked against the site again, then a run (trigger import) that applies it like a synchronization; 202 with the run.",
    params: UpdatePackageParams,
    response: ApplyUpdatePackageResponse,
    handler: async ({ params, ctx, principal, audit }) => ({
      status: 202,
      body: await applyUpdatePackage(ctx, params.id, principal!, audit),
    }),
  }),
  defineRoute({
    method: "delete",
    path: "/update-packages/:id",
    access: "updates.import",
    audit: { action: "update-package.remove" },
    summary: "Remove an uploaded update package and its file (409 while a run applies it).",
    params: UpdatePackageParams,
    handler: async ({ params, ctx, audit }) => {
      await removeUpdatePackage(ctx, params.id, audit);
      return undefined;
    },
  }),
];
