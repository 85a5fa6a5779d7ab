// Update packages: Syncpoint's own export format for a disconnected top-level site (domain.md §5; the format is
// described in docs/UPDATE-PACKAGE.md). A package is gzip of NDJSON: a manifest line, one line per category revision,
// one line per update revision (its update document as the SUP endpoint serves it), and an end line with the counts
// and the sha256 of every line before it. These schemas are each line's, and the REST DTOs of the packages a site
// received.
import { z } from "zod";
import { ImportReason } from "./catalog-import.ts";
import { pageOf, pageQuery } from "./pagination.ts";
import { SiteCode } from "./vocabulary.ts";

export const UPDATE_PACKAGE_FORMAT = "syncpoint-update-package";
/** The format version this build writes and reads; a package of a newer version is refused, never guessed at. */
export const UPDATE_PACKAGE_FORMAT_VERSION = 1;
/** The media type of an upload and a download. */
export const UPDATE_PACKAGE_MEDIA_TYPE = "application/gzip";

/** Longest update document in a package (characters): the hardened update-XML parser's own limit (16 Mi). */
export const UPDATE_PACKAGE_MAX_XML_CHARS = 16 * 1024 * 1024;
/** Longest line (bytes, uncompressed): an update document as JSON text, escaped, with its fields. */
export const UPDATE_PACKAGE_MAX_LINE_BYTES = 40 * 1024 * 1024;
/** Most category and update lines a package may hold. */
export const UPDATE_PACKAGE_MAX_CATEGORIES = 100_000;
export const UPDATE_PACKAGE_MAX_UPDATES = 5_000_000;
/**
 * A package whose uncompressed lines outgrow its compressed size by more than this (plus 64 MiB) is refused as a
 * decompression bomb. Update documents compress about 10–25 times; 200 leaves room for unusual catalogs.
 */
export const UPDATE_PACKAGE_MAX_EXPANSION = 200;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** A lower-case GUID, as the package writes every id (and sorts by). */
const PackageGuid = z.string().regex(GUID, "a lower-case GUID");
const Revision = z.number().int().min(1).max(2_147_483_647);
const Count = z.number().int().min(0);
const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, "64 lower-case hex digits");

/** A product or classification of the package's filter, named as the exporting site knew it. */
export const PackageCategoryRef = z.object({ id: PackageGuid, title: z.string().max(1_000) });
export type PackageCategoryRef = z.infer<typeof PackageCategoryRef>;

export const PackageCounts = z.object({
  categories: Count.max(UPDATE_PACKAGE_MAX_CATEGORIES),
  updates: Count.max(UPDATE_PACKAGE_MAX_UPDATES),
  /** Of the updates, those imported from the catalog (they are kept whatever the importing site's selection). */
  imported: Count.max(UPDATE_PACKAGE_MAX_UPDATES),
});
export type PackageCounts = z.infer<typeof PackageCounts>;

/** Line 1. */
export const PackageManifestLine = z.object({
  type: z.literal("manifest"),
  format: z.literal(UPDATE_PACKAGE_FORMAT),
  formatVersion: z.literal(UPDATE_PACKAGE_FORMAT_VERSION),
  createdAt: z.iso.datetime(),
  /** What wrote it, e.g. `Syncpoint 0.1.0`. */
  generator: z.string().max(200),
  source: z.object({ siteCode: SiteCode, serverName: z.string().max(255) }),
  /** The exporting site's catalog version: the importing site takes it, as a child site takes its parent's. */
  catalogVersion: z.number().int().min(1).max(2_147_483_647),
  /** The products and classifications the exported catalog follows. */
  filter: z.object({
    products: z.array(PackageCategoryRef).max(10_000),
    classifications: z.array(PackageCategoryRef).max(1_000),
  }),
  /** The languages of the exporting hierarchy's settings (`en`, `de`, …). */
  languages: z.array(z.string().min(1).max(20)).max(300),
  counts: PackageCounts,
});
export type PackageManifestLine = z.infer<typeof PackageManifestLine>;

/** A category revision (company, product family, product or classification), in ascending id order. */
export const PackageCategoryLine = z.object({
  type: z.literal("category"),
  updateId: PackageGuid,
  revisionNumber: Revision,
  xml: z.string().min(1).max(UPDATE_PACKAGE_MAX_XML_CHARS),
});
export type PackageCategoryLine = z.infer<typeof PackageCategoryLine>;

/** An update revision of the catalog (its current one), in ascending update id order, after every category. */
export const PackageUpdateLine = z.object({
  type: z.literal("update"),
  updateId: PackageGuid,
  revisionNumber: Revision,
  /** As in its document: what a filter selects it by without parsing the document. */
  productIds: z.array(PackageGuid).max(1_000),
  classificationIds: z.array(PackageGuid).max(100),
  /** Imported from the catalog at the exporting hierarchy, and why. */
  imported: z
    .object({
      reason: ImportReason,
      requiredBy: PackageGuid.nullable(),
      title: z.string().max(2_000),
      kbArticleIds: z.array(z.string().max(40)).max(100),
    })
    .optional(),
  xml: z.string().min(1).max(UPDATE_PACKAGE_MAX_XML_CHARS),
});
export type PackageUpdateLine = z.infer<typeof PackageUpdateLine>;

/** The last line: the counts again, and the sha256 of the uncompressed bytes of every line before it. */
export const PackageEndLine = z.object({
  type: z.literal("end"),
  counts: PackageCounts,
  sha256: Sha256Hex,
});
export type PackageEndLine = z.infer<typeof PackageEndLine>;

export const PackageLine = z.discriminatedUnion("type", [
  PackageManifestLine,
  PackageCategoryLine,
  PackageUpdateLine,
  PackageEndLine,
]);
export type PackageLine = z.infer<typeof PackageLine>;

// ---- REST -------------------------------------------------------------------------------------------------------

/** `uploaded` and `rejected` are reserved: an upload is stored only once verified, and a refused one leaves no row. */
export const UpdatePackageState = z.enum(["uploaded", "verified", "rejected", "applied"]);
export type UpdatePackageState = z.infer<typeof UpdatePackageState>;

/** What an upload's verification found: the manifest, as checked against the lines that followed it. */
export const UpdatePackageManifest = z.object({
  formatVersion: z.number().int(),
  createdAt: z.string(),
  generator: z.string(),
  source: z.object({ siteCode: z.string(), serverName: z.string() }),
  catalogVersion: z.number().int(),
  filter: z.object({ products: z.array(PackageCategoryRef), classifications: z.array(PackageCategoryRef) }),
  languages: z.array(z.string()),
  counts: PackageCounts,
  /** The sha256 of the uncompressed lines, from the end line (and recomputed). */
  contentSha256: z.string(),
});
export type UpdatePackageManifest = z.infer<typeof UpdatePackageManifest>;

export const UpdatePackageDto = z.object({
  id: z.string().uuid(),
  fileName: z.string(),
  sizeBytes: z.number().int().min(0),
  /** sha256 (hex) of the file as uploaded. */
  sha256: z.string(),
  state: UpdatePackageState,
  manifest: UpdatePackageManifest,
  uploadedBy: z.string().nullable(),
  uploadedAt: z.string().datetime(),
  /** The latest run that applied (or applies) it. */
  lastRun: z.object({ id: z.string().uuid(), state: z.string(), queuedAt: z.string().datetime() }).nullable(),
});
export type UpdatePackageDto = z.infer<typeof UpdatePackageDto>;

export const UpdatePackagesQuery = pageQuery(["uploadedAt"], "-uploadedAt");
export type UpdatePackagesQuery = z.infer<typeof UpdatePackagesQuery>;
export const UpdatePackagePage = pageOf(UpdatePackageDto);
export type UpdatePackagePage = z.infer<typeof UpdatePackagePage>;

export const UpdatePackageParams = z.object({ id: z.string().uuid("a package id is a UUID") });

/** `POST /api/update-packages?fileName=`: the body is the package itself (application/gzip), not JSON. */
export const UploadUpdatePackageQuery = z.object({
  fileName: z
    .string()
    .trim()
    .min(1, "fileName is 1–255 characters")
    .max(255, "fileName is 1–255 characters")
    // eslint-disable-next-line no-control-regex -- control characters are exactly what a file name must not hold
    .regex(/^[^/\\\u0000-\u001f\u007f]+$/, "fileName is a file name without a folder or control characters")
    .optional(),
});
export type UploadUpdatePackageQuery = z.infer<typeof UploadUpdatePackageQuery>;

export const ApplyUpdatePackageResponse = z.object({ runId: z.string().uuid() });
export type ApplyUpdatePackageResponse = z.infer<typeof ApplyUpdatePackageResponse>;

export const ExportUpdatePackageParams = z.object({ code: z.string().toUpperCase().pipe(SiteCode) });
