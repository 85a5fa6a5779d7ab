// Software Library › Update Packages: a disconnected top-level site's catalog comes in update packages (domain.md §5,
// docs/UPDATE-PACKAGE.md). Export: any site's catalog as a package, streamed from one snapshot. Upload: the package
// streams to DATA_DIR/packages while it is verified line by line (size, gzip, schema, order, documents, counts,
// checksum) and checked against the site (disconnected, the selection it needs, not older than its catalog) — refused
// with a specific error and nothing kept, or stored as `verified`. Apply: a run (trigger `import`) through the one
// place runs are created; the worker reads the package as its upstream (sync/package-session.ts).
import { createHash, randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, readdir, rename, stat, unlink } from "node:fs/promises";
import path from "node:path";
import { Transform } from "node:stream";
import type { Request, Response } from "express";
import {
  UPDATE_PACKAGE_FORMAT,
  UPDATE_PACKAGE_FORMAT_VERSION,
  UpdatePackageManifest,
  type ErrorCode,
  type PackageCategoryRef,
  type PackageManifestLine,
  type UpdatePackageDto,
  type UpdatePackagePage,
  type UpdatePackagesQuery,
  type UploadUpdatePackageQuery,
} from "@syncpoint/contracts";
import { Prisma, SyncSource, type UpdatePackage, type UpdateRevision } from "@syncpoint/db";
import { renderUpdateXml } from "@syncpoint/wsusss";
import type { AppContext } from "../context.ts";
import { appVersion } from "../data-dir-version.ts";
import { HttpError, notFound } from "../http/errors.ts";
import type { Principal } from "../http/principal.ts";
import { categoryToRecord, revisionToRecord } from "../sup-endpoint/records.ts";
import { queueRun } from "../sync/queue-run.ts";
import { gunzipLines, PackageError, PackageWriter, verifyPackage } from "../update-package/format.ts";
import type { AuditScope } from "./audit.ts";
import { topLevelSite } from "./sync-runs.ts";

/** Where uploaded packages are kept: DATA_DIR/packages/<id>.ndjson.gz (API and worker processes share DATA_DIR). */
export const packageDir = (ctx: AppContext) => path.join(ctx.config.dataDir, "packages");
export const packageFile = (ctx: AppContext, id: string) => path.join(packageDir(ctx), `${id}.ndjson.gz`);

/** Media types an upload may declare: the package is sent as it is, compressed. */
const UPLOAD_TYPES = ["application/gzip", "application/x-gzip", "application/octet-stream"];
/** Uploads that a process crash left behind are removed after a day. */
const STALE_UPLOAD_MS = 24 * 60 * 60_000;
const EXPORT_BATCH = Prisma.raw("FETCH 500 FROM update_package_export");

const MiB = 1024 * 1024;
const sizeText = (bytes: number) =>
  bytes >= 1024 * MiB ? `${(bytes / (1024 * MiB)).toFixed(1)} GiB` : `${(bytes / MiB).toFixed(1)} MiB`;

// ---------------------------------------------------------------- export

/** The attachment's name: `syncpoint-CAS-v42-20261124.ndjson.gz`. */
export function packageFileName(siteCode: string, catalogVersion: number, at: Date): string {
  return `syncpoint-${siteCode}-v${catalogVersion}-${at.toISOString().slice(0, 10).replaceAll("-", "")}.ndjson.gz`;
}

/** Where an export goes: told the file name once the snapshot is read, then handed the package's gzip stream. */
export interface PackageSink {
  start(info: { fileName: string; catalogVersion: number; counts: { categories: number; updates: number } }): void;
  /** Pipes the package to its destination; resolves when everything is written, rejects when it went away. */
  pipe(output: NodeJS.ReadableStream): Promise<void>;
}

/** A stored revision row as the export cursor reads it (camelCase, as Prisma's model), with its import, if any. */
type ExportRow = UpdateRevision & {
  importReason: string | null;
  importRequiredBy: string | null;
  importTitle: string | null;
  importKbArticleIds: string[] | null;
};

/**
 * Writes the site's catalog as an update package: the categories, then the current revision of every update in its
 * catalog in update id order (with the imported ones marked), from one REPEATABLE READ snapshot so the manifest's
 * catalog version and counts are true. Rows come from a server-side cursor in batches, and each line waits for the
 * client, so memory stays flat for 300 000 updates.
 */
export async function exportUpdatePackage(ctx: AppContext, siteCode: string, sink: PackageSink): Promise<void> {
  const site = await ctx.prisma.site.findUnique({
    where: { code: siteCode },
    include: { sups: { orderBy: { createdAt: "asc" }, take: 1 } },
  });
  const sup = site?.sups[0];
  if (!site || !sup) throw notFound(`The site ${siteCode}`);
  if (sup.catalogVersion === 0) {
    throw new HttpError(
      409,
      "CATALOG_NOT_SYNCED",
      `${site.code}'s catalog has never been synchronized: there is nothing to export. Synchronize it first.`,
    );
  }
  const createdAt = new Date();
  await ctx.prisma.$transaction(
    async (tx) => {
      const current = await tx.softwareUpdatePoint.findUniqueOrThrow({ where: { id: sup.id } });
      const settings = await tx.supSettings.findUnique({ where: { id: 1 }, select: { languages: true } });
      const [counts] = await tx.$queryRaw<{ updates: number; imported: number }[]>`
        SELECT count(*)::int AS updates,
               count(*) FILTER (WHERE EXISTS (
                 SELECT 1 FROM imported_updates i WHERE i.update_id = e.update_id AND i.state = 'imported'))::int AS imported
        FROM site_catalog_entries e WHERE e.site_code = ${site.code}`;
      const categories = await tx.category.findMany({ orderBy: { id: "asc" } });
      const titles = new Map(categories.map((c) => [c.id, c.title]));
      const ref = (id: string): PackageCategoryRef => ({ id: id.toLowerCase(), title: titles.get(id) ?? id });
      const manifest: PackageManifestLine = {
        type: "manifest",
        format: UPDATE_PACKAGE_FORMAT,
        formatVersion: UPDATE_PACKAGE_FORMAT_VERSION,
        createdAt: createdAt.toISOString(),
        generator: `Syncpoint ${appVersion()}`,
        source: { siteCode: site.code, serverName: current.serverName },
        catalogVersion: current.catalogVersion,
        filter: {
          products: current.syncedProducts.map(ref),
          classifications: current.syncedClassifications.map(ref),
        },
        languages: settings?.languages ?? [],
        counts: { categories: categories.length, updates: counts?.updates ?? 0, imported: counts?.imported ?? 0 },
      };
      const writer = new PackageWriter(manifest);
      sink.start({
        fileName: packageFileName(site.code, current.catalogVersion, createdAt),
        catalogVersion: current.catalogVersion,
        counts: { categories: manifest.counts.categories, updates: manifest.counts.updates },
      });
      const delivered = sink.pipe(writer.output);
      // A client that goes away ends the export at the next line instead of after the whole catalog.
      let gone: unknown;
      delivered.catch((error: unknown) => {
        gone = error ?? new Error("the client went away");
        writer.output.destroy();
      });
      for (const category of categories) {
        await writer.category({
          updateId: category.id.toLowerCase(),
          revisionNumber: category.revisionNumber,
          xml: renderUpdateXml(categoryToRecord(category)),
        });
      }
      await tx.$executeRaw`
        DECLARE update_package_export NO SCROLL CURSOR FOR
        SELECT r.update_id::text AS "updateId", r.revision_number AS "revisionNumber", r.update_type AS "updateType",
               r.title, r.description, r.localized, r.languages, r.kb_article_ids AS "kbArticleIds",
               r.security_bulletin_ids AS "securityBulletinIds", r.cve_ids AS "cveIds",
               r.msrc_severity AS "msrcSeverity", r.classification_ids::text[] AS "classificationIds",
               r.product_ids::text[] AS "productIds", r.creation_date AS "creationDate",
               r.publication_state AS "publicationState", r.is_bundle AS "isBundle",
               r.bundled_updates AS "bundledUpdates", r.superseded_update_ids::text[] AS "supersededUpdateIds",
               r.prerequisite_ids::text[] AS "prerequisiteIds", r.files, r.support_url AS "supportUrl",
               r.more_info_url AS "moreInfoUrl", r.max_download_size AS "maxDownloadSize",
               r.default_language AS "defaultLanguage", r.is_beta AS "isBeta",
               i.reason AS "importReason", i.required_by::text AS "importRequiredBy", i.title AS "importTitle",
               i.kb_article_ids AS "importKbArticleIds"
        FROM site_catalog_entries e
        JOIN update_revisions r ON r.update_id = e.update_id AND r.revision_number = e.revision_number
        LEFT JOIN imported_updates i ON i.update_id = e.update_id AND i.state = 'imported'
        WHERE e.site_code = ${site.code}
        ORDER BY e.update_id`;
      for (;;) {
        if (gone) return;
        const rows = await tx.$queryRaw<ExportRow[]>(EXPORT_BATCH);
        if (rows.length === 0) break;
        for (const row of rows) {
          const record = revisionToRecord(row);
          await writer.update({
            updateId: row.updateId.toLowerCase(),
            revisionNumber: row.revisionNumber,
            productIds: record.productIds.map((id) => id.toLowerCase()),
            classificationIds: record.classificationIds.map((id) => id.toLowerCase()),
            ...(row.importReason
              ? {
                  imported: {
                    reason: row.importReason as "basket" | "prerequisite" | "bundled",
                    requiredBy: row.importRequiredBy?.toLowerCase() ?? null,
                    title: row.importTitle ?? row.title,
                    kbArticleIds: row.importKbArticleIds ?? [],
                  },
                }
              : {}),
            xml: renderUpdateXml(record),
          });
        }
      }
      if (gone) return;
      await writer.end();
      await delivered;
    },
    // One snapshot for the manifest and every line; a slow client may hold it (and one pooled connection) a while.
    { isolationLevel: Prisma.TransactionIsolationLevel.RepeatableRead, timeout: 60 * 60_000, maxWait: 10_000 },
  );
}

// ---------------------------------------------------------------- compatibility

interface SiteState {
  siteCode: string;
  disconnected: boolean;
  catalogVersion: number;
  products: string[];
  classifications: string[];
  languages: string[];
}

async function siteState(ctx: AppContext): Promise<SiteState> {
  const { site, sup } = await topLevelSite(ctx);
  const settings = await ctx.prisma.supSettings.findUnique({ where: { id: 1 } });
  return {
    siteCode: site.code,
    disconnected: settings?.syncSource === SyncSource.disconnected,
    catalogVersion: sup.catalogVersion,
    products: settings?.products ?? [],
    classifications: settings?.classifications ?? [],
    languages: settings?.languages ?? [],
  };
}

export interface PackageConflict {
  status: number;
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

const listed = (items: string[]) => items.join(", ");

function notDisconnected(site: SiteState): PackageConflict {
  return {
    status: 409,
    code: "SITE_NOT_DISCONNECTED",
    message: `${site.siteCode} synchronizes from Microsoft Update or an upstream server. Update packages are imported only when its synchronization source is "Do not synchronize from Microsoft Update or upstream data source" (Software Update Point Component Properties).`,
  };
}

/**
 * Why this package cannot be applied to the top-level site now, if it cannot: the site is not disconnected, the package
 * is older than its catalog, or the package lacks products, classifications or languages the settings select (named
 * in words: the package's own titles, the categories table's, or the id).
 */
export function packageConflict(
  manifest: Pick<UpdatePackageManifest, "catalogVersion" | "filter" | "languages">,
  site: SiteState,
  titleOf: (id: string) => string | undefined,
): PackageConflict | undefined {
  if (!site.disconnected) return notDisconnected(site);
  if (manifest.catalogVersion < site.catalogVersion) {
    return {
      status: 409,
      code: "PACKAGE_OLDER_THAN_CATALOG",
      message: `This package holds catalog version ${manifest.catalogVersion}; ${site.siteCode} already has version ${site.catalogVersion}. Export a newer package.`,
      details: { packageCatalogVersion: manifest.catalogVersion, siteCatalogVersion: site.catalogVersion },
    };
  }
  const has = (refs: readonly PackageCategoryRef[]) => new Set(refs.map((r) => r.id.toLowerCase()));
  const products = has(manifest.filter.products);
  const classifications = has(manifest.filter.classifications);
  const named = (id: string) => ({ id, title: titleOf(id.toLowerCase()) ?? id });
  const missingProducts = site.products.filter((id) => !products.has(id.toLowerCase())).map(named);
  const missingClassifications = site.classifications.filter((id) => !classifications.has(id.toLowerCase())).map(named);
  // A package written without a language list holds every language.
  const languages = new Set(manifest.languages.map((l) => l.toLowerCase()));
  const missingLanguages =
    languages.size === 0 ? [] : site.languages.filter((language) => !languages.has(language.toLowerCase()));
  if (missingProducts.length + missingClassifications.length + missingLanguages.length === 0) return undefined;
  const parts = [
    missingProducts.length > 0 ? `the products ${listed(missingProducts.map((p) => p.title))}` : "",
    missingClassifications.length > 0
      ? `the classifications ${listed(missingClassifications.map((c) => c.title))}`
      : "",
    missingLanguages.length > 0 ? `the languages ${listed(missingLanguages)}` : "",
  ].filter(Boolean);
  return {
    status: 422,
    code: "PACKAGE_FILTER_MISMATCH",
    message: `${site.siteCode}'s settings select ${parts.join("; ")}, which this package does not hold. Export a package from a site that synchronizes them, or remove them from the selection (Software Update Point Component Properties).`,
    details: { missingProducts, missingClassifications, missingLanguages },
  };
}

/** The categories table's titles: what the site knows of the ids a conflict names. */
async function categoryTitles(ctx: AppContext, site: SiteState): Promise<Map<string, string>> {
  const rows = await ctx.prisma.category.findMany({
    where: { id: { in: [...site.products, ...site.classifications].map((id) => id.toLowerCase()) } },
    select: { id: true, title: true },
  });
  return new Map(rows.map((r) => [r.id.toLowerCase(), r.title]));
}

/** Throws the HTTP answer to a conflict between the package and the site, if any. */
async function assertApplicable(
  ctx: AppContext,
  manifest: Pick<UpdatePackageManifest, "catalogVersion" | "filter" | "languages">,
  packageTitles: Map<string, string> = new Map(),
): Promise<SiteState> {
  const site = await siteState(ctx);
  const known = await categoryTitles(ctx, site);
  const conflict = packageConflict(manifest, site, (id) => packageTitles.get(id) ?? known.get(id));
  if (conflict) throw new HttpError(conflict.status, conflict.code, conflict.message, conflict.details);
  return site;
}

// ---------------------------------------------------------------- upload

/**
 * Stops reading an upload that was answered early (refused before or while it streamed): the answer says
 * `Connection: close`, and a client still sending after it was answered is cut off instead of read to the end.
 */
function stopReading(req: Request, res: Response): void {
  if (!res.headersSent) res.setHeader("Connection", "close");
  res.once("finish", () => {
    if (req.complete) return;
    req.resume();
    setTimeout(() => req.socket?.destroy(), 2_000).unref();
  });
}

function assertUploadHeaders(ctx: AppContext, req: Request): void {
  const type = (req.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (!UPLOAD_TYPES.includes(type)) {
    throw new HttpError(
      415,
      "UNSUPPORTED_MEDIA_TYPE",
      "Send the update package itself as the request body, with Content-Type: application/gzip.",
    );
  }
  const encoding = (req.get("content-encoding") ?? "identity").trim().toLowerCase();
  if (encoding !== "identity") {
    throw new HttpError(
      415,
      "UNSUPPORTED_MEDIA_TYPE",
      "Send the update package as it is, without a Content-Encoding: it is compressed already.",
    );
  }
  const declared = Number(req.get("content-length") ?? Number.NaN);
  if (Number.isFinite(declared) && declared > ctx.config.PACKAGE_MAX_BYTES) {
    throw new HttpError(
      413,
      "PACKAGE_TOO_LARGE",
      `The package is ${sizeText(declared)}; packages of at most ${sizeText(ctx.config.PACKAGE_MAX_BYTES)} are accepted (PACKAGE_MAX_BYTES).`,
    );
  }
}

async function removeStaleUploads(ctx: AppContext): Promise<void> {
  const dir = packageDir(ctx);
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names.filter((n) => n.endsWith(".uploading"))) {
    const file = path.join(dir, name);
    const info = await stat(file).catch(() => undefined);
    if (info && Date.now() - info.mtimeMs > STALE_UPLOAD_MS) await unlink(file).catch(() => undefined);
  }
}

/**
 * An upload: refused at once when the site cannot take packages or the declared size is past the limit; otherwise
 * streamed to a temporary file while it is verified, then checked against the site, then kept as `verified`. Any
 * refusal removes the file and leaves no row: the audit record says what was refused and why.
 */
export async function uploadUpdatePackage(
  ctx: AppContext,
  req: Request,
  res: Response,
  principal: Principal,
  query: UploadUpdatePackageQuery,
  audit: AuditScope,
): Promise<UpdatePackageDto> {
  const id = randomUUID();
  const fileName = query.fileName ?? "update-package.ndjson.gz";
  audit.target("update-package", id).details({ fileName });
  let site: SiteState;
  try {
    assertUploadHeaders(ctx, req);
    // Before reading anything: the package could not be applied anyway.
    site = await siteState(ctx);
    if (!site.disconnected) {
      const conflict = notDisconnected(site);
      throw new HttpError(conflict.status, conflict.code, conflict.message);
    }
  } catch (error) {
    stopReading(req, res);
    throw error;
  }

  const dir = packageDir(ctx);
  await mkdir(dir, { recursive: true });
  await removeStaleUploads(ctx);
  const temporary = path.join(dir, `${id}.uploading`);
  const final = packageFile(ctx, id);
  const file = createWriteStream(temporary, { flags: "wx" });
  const max = ctx.config.PACKAGE_MAX_BYTES;
  const hash = createHash("sha256");
  let received = 0;
  let kept = false;
  // Every byte: counted against the limit, hashed, written to the file; then handed on to be gunzipped and verified.
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      received += chunk.length;
      if (received > max) {
        done(
          new PackageError(
            "PACKAGE_TOO_LARGE",
            `The package is larger than ${sizeText(max)}, the most that is accepted (PACKAGE_MAX_BYTES).`,
          ),
        );
        return;
      }
      hash.update(chunk);
      if (file.write(chunk)) done(null, chunk);
      else file.once("drain", () => done(null, chunk));
    },
  });
  file.once("error", (error) => meter.destroy(error));
  const interrupted = () => {
    if (!req.complete)
      meter.destroy(
        new PackageError("PACKAGE_TRUNCATED", "The upload was interrupted before the package was complete."),
      );
  };
  req.once("close", interrupted);
  req.once("error", interrupted);
  req.pipe(meter);
  try {
    let verified;
    try {
      verified = await verifyPackage(gunzipLines(meter, { compressedBytes: () => received }), {
        checkDocuments: true,
        // The selection's names as the package knows them, for a filter mismatch on a site that knows none yet.
        titlesOf: new Set([...site.products, ...site.classifications].map((categoryId) => categoryId.toLowerCase())),
      });
    } catch (error) {
      if (received === 0 && error instanceof PackageError && error.code === "PACKAGE_TRUNCATED")
        throw new HttpError(
          422,
          "PACKAGE_TRUNCATED",
          "The upload is empty: send the package file as the request body.",
        );
      if (error instanceof PackageError) throw new HttpError(error.status, error.code, error.message);
      throw error;
    }
    await new Promise<void>((resolve, reject) => {
      file.once("error", reject);
      file.end(() => resolve());
    });
    const { manifest, contentSha256 } = verified;
    audit.details({ fileName, sizeBytes: received, catalogVersion: manifest.catalogVersion, source: manifest.source });
    await assertApplicable(ctx, manifest, verified.titles);
    await rename(temporary, final);
    const stored: UpdatePackageManifest = {
      formatVersion: manifest.formatVersion,
      createdAt: manifest.createdAt,
      generator: manifest.generator,
      source: manifest.source,
      catalogVersion: manifest.catalogVersion,
      filter: manifest.filter,
      languages: manifest.languages,
      counts: manifest.counts,
      contentSha256,
    };
    const row = await ctx.prisma.updatePackage.create({
      data: {
        id,
        fileName,
        sizeBytes: BigInt(received),
        sha256: hash.digest("hex"),
        manifest: stored,
        state: "verified",
        uploadedBy: principal.username,
      },
    });
    kept = true;
    audit.after({ state: row.state, catalogVersion: manifest.catalogVersion });
    return toDto(row, null);
  } catch (error) {
    stopReading(req, res);
    throw error;
  } finally {
    req.off("close", interrupted);
    req.off("error", interrupted);
    req.unpipe(meter);
    if (!file.closed) file.destroy();
    if (!kept) {
      await unlink(temporary).catch(() => undefined);
      await unlink(final).catch(() => undefined);
    }
  }
}

// ---------------------------------------------------------------- list, apply, remove

type PackageWithRun = UpdatePackage & { runs: { id: string; state: string; queuedAt: Date }[] };

function toDto(row: UpdatePackage, lastRun: { id: string; state: string; queuedAt: Date } | null): UpdatePackageDto {
  return {
    id: row.id,
    fileName: row.fileName,
    sizeBytes: Number(row.sizeBytes),
    sha256: row.sha256,
    state: row.state as UpdatePackageDto["state"],
    manifest: UpdatePackageManifest.parse(row.manifest),
    uploadedBy: row.uploadedBy,
    uploadedAt: row.uploadedAt.toISOString(),
    lastRun: lastRun ? { id: lastRun.id, state: lastRun.state, queuedAt: lastRun.queuedAt.toISOString() } : null,
  };
}

const withLastRun = {
  runs: { orderBy: { queuedAt: "desc" }, take: 1, select: { id: true, state: true, queuedAt: true } },
} satisfies Prisma.UpdatePackageInclude;

const rowDto = (row: PackageWithRun) => toDto(row, row.runs[0] ?? null);

export async function listUpdatePackages(ctx: AppContext, query: UpdatePackagesQuery): Promise<UpdatePackagePage> {
  const [total, rows] = await ctx.prisma.$transaction([
    ctx.prisma.updatePackage.count(),
    ctx.prisma.updatePackage.findMany({
      include: withLastRun,
      orderBy: { uploadedAt: query.sort === "uploadedAt" ? "asc" : "desc" },
      skip: (query.page - 1) * query.pageSize,
      take: query.pageSize,
    }),
  ]);
  return { items: rows.map(rowDto), total, page: query.page, pageSize: query.pageSize };
}

export async function getUpdatePackage(ctx: AppContext, id: string): Promise<UpdatePackageDto> {
  const row = await ctx.prisma.updatePackage.findUnique({ where: { id }, include: withLastRun });
  if (!row) throw notFound("The update package");
  return rowDto(row);
}

async function fileStored(ctx: AppContext, id: string): Promise<boolean> {
  return (await stat(packageFile(ctx, id)).catch(() => undefined))?.isFile() ?? false;
}

/** Applies a verified package: checked against the site again, then a run (trigger `import`) that a worker takes. */
export async function applyUpdatePackage(
  ctx: AppContext,
  id: string,
  principal: Principal,
  audit: AuditScope,
): Promise<{ runId: string }> {
  audit.target("update-package", id);
  const row = await ctx.prisma.updatePackage.findUnique({ where: { id } });
  if (!row) throw notFound("The update package");
  const manifest = UpdatePackageManifest.parse(row.manifest);
  audit.details({ fileName: row.fileName, catalogVersion: manifest.catalogVersion });
  if (!(await fileStored(ctx, id))) {
    throw new HttpError(
      409,
      "PACKAGE_FILE_MISSING",
      `The file of ${row.fileName} is no longer in ${packageDir(ctx)}; upload the package again.`,
    );
  }
  const site = await assertApplicable(ctx, manifest);
  const { sup } = await topLevelSite(ctx);
  const result = await queueRun(ctx, {
    siteCode: site.siteCode,
    supId: sup.id,
    trigger: "import",
    // A package is the whole catalog: what it does not hold is removed, as after a full synchronization.
    fullSync: true,
    requestedBy: principal.username,
    catalogVersionBefore: sup.catalogVersion,
    packageId: id,
  });
  if (!result.queued) {
    throw new HttpError(
      409,
      "SYNC_ALREADY_ACTIVE",
      `A synchronization of ${site.siteCode} is already ${result.activeState ?? "active"}; apply the package when it has ended.`,
      { runId: result.activeRunId },
    );
  }
  audit.after({ runId: result.runId });
  return { runId: result.runId };
}

/** Removes a package and its file (disk space: packages can be large); refused while a run applies it. */
export async function removeUpdatePackage(ctx: AppContext, id: string, audit: AuditScope): Promise<void> {
  audit.target("update-package", id);
  const row = await ctx.prisma.updatePackage.findUnique({ where: { id } });
  if (!row) throw notFound("The update package");
  audit.before({ fileName: row.fileName, state: row.state });
  const active = await ctx.prisma.syncRun.findFirst({
    where: { packageId: id, state: { in: ["queued", "running", "canceling"] } },
    select: { id: true },
  });
  if (active) {
    throw new HttpError(
      409,
      "PACKAGE_IN_USE",
      `A synchronization (run ${active.id}) is applying ${row.fileName}; remove it once the run has ended.`,
      { runId: active.id },
    );
  }
  await ctx.prisma.updatePackage.delete({ where: { id } });
  await unlink(packageFile(ctx, id)).catch(() => undefined);
}
