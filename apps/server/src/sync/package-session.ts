// A run that applies an update package (a disconnected top-level site, domain.md §5): the package stands in for the
// upstream, so the same engine runs the same phases — status messages, log, progress, counts, the catalog version —
// and every document goes through the hardened update-XML parser exactly as in a synchronization. The package file is
// read sequentially: the engine asks for update documents in the order of the list this session gave it, which is the
// file's order, so one forward pass serves them (requests are served one after the other; records the engine does not
// ask for, being stored already, are skipped). Memory stays flat for 300 000 updates.
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { pipeline } from "node:stream/promises";
import {
  UpdatePackageManifest,
  type PackageCategoryLine,
  type PackageLine,
  type PackageUpdateLine,
} from "@syncpoint/contracts";
import {
  SyncError,
  type ApplyPlan,
  type CatalogStore,
  type ImportedRevision,
  type UpstreamSession,
} from "@syncpoint/sync";
import type {
  RevisionFilter,
  RevisionIdList,
  ServerSyncConfig,
  ServerUpdateData,
  UpdateIdentity,
  UpdateRecord,
} from "@syncpoint/wsusss";
import type { AppContext } from "../context.ts";
import { packageConflict, packageFile } from "../services/update-packages.ts";
import { topLevelSite } from "../services/sync-runs.ts";
import { gunzipLines, PackageError } from "../update-package/format.ts";
import { SyncSource } from "@syncpoint/db";

/** The engine's batch size (GetUpdateData): the SUP endpoints serve 100 per request too. */
const BATCH = 100;

/** Reads a package file's lines in order; restartable from the top. */
class LineCursor {
  private lines: AsyncGenerator<{ number: number; bytes: Buffer }> | undefined;

  constructor(private readonly file: string) {}

  /** The next line, parsed (the file was verified when it was uploaded and its bytes are checked again at start). */
  async next(): Promise<PackageLine | undefined> {
    this.lines ??= gunzipLines(createReadStream(this.file));
    let result;
    try {
      result = await this.lines.next();
    } catch (error) {
      throw asRunError(error);
    }
    if (result.done) return undefined;
    try {
      return JSON.parse(result.value.bytes.toString("utf8")) as PackageLine;
    } catch {
      throw new SyncError("PACKAGE_CORRUPT", `Line ${result.value.number} of the update package is not valid JSON.`);
    }
  }

  async close(): Promise<void> {
    await this.lines?.return(undefined);
    this.lines = undefined;
  }
}

function asRunError(error: unknown): unknown {
  if (error instanceof PackageError) return new SyncError(error.code, error.message, { cause: error });
  return error;
}

export interface PackageRunOptions {
  /** The package's row id: its file is DATA_DIR/packages/<id>.ndjson.gz. */
  packageId: string;
  siteCode: string;
}

/**
 * The UpstreamSession of a package run. `authorize` checks the file (its sha256 is the one verified at upload) and
 * the site (still disconnected, the package not older than its catalog, the selection covered); `getConfigData` and
 * the anchor carry the package's catalog version, which the site takes on commit.
 */
export class PackageSession implements UpstreamSession {
  readonly file: string;
  private manifest: UpdatePackageManifest | undefined;
  private categories = new Map<string, PackageCategoryLine>();
  private listing: UpdateIdentity[] | undefined;
  private readonly imported: ImportedRevision[] = [];
  private readonly cursor: LineCursor;
  private current: PackageUpdateLine | undefined;
  private exhausted = false;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly ctx: AppContext,
    private readonly options: PackageRunOptions,
  ) {
    this.file = packageFile(ctx, options.packageId);
    this.cursor = new LineCursor(this.file);
  }

  /** How the package is named in the run's messages and log. */
  static async describe(ctx: AppContext, packageId: string): Promise<string> {
    const row = await ctx.prisma.updatePackage.findUnique({ where: { id: packageId }, select: { fileName: true } });
    return `update package ${row?.fileName ?? packageId}`;
  }

  private get anchor(): string {
    const manifest = this.manifest!;
    return `${manifest.catalogVersion},${new Date(manifest.createdAt).toISOString()}`;
  }

  async authorize(): Promise<unknown> {
    await this.cursor.close();
    this.categories.clear();
    const row = await this.ctx.prisma.updatePackage.findUnique({ where: { id: this.options.packageId } });
    if (!row) throw new SyncError("PACKAGE_FILE_MISSING", "The update package was removed before it was applied.");
    const info = await stat(this.file).catch(() => undefined);
    if (!info?.isFile()) {
      throw new SyncError(
        "PACKAGE_FILE_MISSING",
        `The file of ${row.fileName} is not in this worker's DATA_DIR/packages (${this.file}); upload the package again, or give API and worker processes one DATA_DIR.`,
      );
    }
    // The bytes are those verified at upload: a file changed on disk since then is refused, not applied.
    const hash = createHash("sha256");
    await pipeline(createReadStream(this.file), hash);
    if (hash.digest("hex") !== row.sha256) {
      throw new SyncError(
        "PACKAGE_CHECKSUM_MISMATCH",
        `The stored file of ${row.fileName} changed after it was verified; upload the package again.`,
      );
    }
    const manifest = UpdatePackageManifest.parse(row.manifest);
    this.manifest = manifest;
    // The site may have changed since the package was accepted (a retry, a settings change, another package).
    const { site, sup } = await topLevelSite(this.ctx);
    const settings = await this.ctx.prisma.supSettings.findUnique({ where: { id: 1 } });
    const known = await this.ctx.prisma.category.findMany({ select: { id: true, title: true } });
    const titles = new Map(known.map((c) => [c.id.toLowerCase(), c.title]));
    const conflict = packageConflict(
      manifest,
      {
        siteCode: site.code,
        disconnected: settings?.syncSource === SyncSource.disconnected,
        catalogVersion: sup.catalogVersion,
        products: settings?.products ?? [],
        classifications: settings?.classifications ?? [],
        languages: settings?.languages ?? [],
      },
      (id) => titles.get(id),
    );
    if (conflict) throw new SyncError(conflict.code, conflict.message);
    // The manifest, then the categories, which come first and are few: kept for GetConfig and their documents.
    const first = await this.cursor.next();
    if (first?.type !== "manifest") throw new SyncError("PACKAGE_CORRUPT", "The update package has no manifest.");
    for (;;) {
      const line = await this.cursor.next();
      if (line?.type === "category") {
        this.categories.set(line.updateId, line);
        continue;
      }
      this.current = line?.type === "update" ? line : undefined;
      this.exhausted = this.current === undefined;
      break;
    }
    return { package: row.id };
  }

  async getConfigData(): Promise<ServerSyncConfig> {
    return {
      protocolVersion: "1.20",
      maxNumberOfUpdatesPerRequest: BATCH,
      catalogOnlySync: false,
      lazySync: true,
      serverHostsPsfFiles: false,
      maxNumberOfDriverSetsPerRequest: 0,
      maxNumberOfComputerIdsInRequest: 0,
      maxNumberOfPnpHardwareIdsInRequest: 0,
      maxUpdatesPerRequestInGetUpdateDecryptionData: BATCH,
      newConfigAnchor: this.anchor,
      languages: [{ id: 0, shortLanguage: "all", longLanguage: "All Languages", enabled: true }],
    };
  }

  /**
   * GetConfig: the package's categories. Otherwise the package's updates the filter selects (a product and a
   * classification of it), and every imported one whatever the filter, as an upstream lists imported updates — the
   * whole list, in file order, found by one pass over the file (the documents are not parsed for it).
   */
  async getRevisionIdList(filter: RevisionFilter): Promise<RevisionIdList> {
    if (filter.getConfig) {
      return {
        anchor: this.anchor,
        revisions: [...this.categories.values()].map((c) => ({
          updateId: c.updateId,
          revisionNumber: c.revisionNumber,
        })),
      };
    }
    const products = new Set((filter.categories ?? []).map((c) => c.id.toLowerCase()));
    const classifications = new Set((filter.classifications ?? []).map((c) => c.id.toLowerCase()));
    const matches = (line: PackageUpdateLine) =>
      (products.size === 0 || line.productIds.some((id) => products.has(id))) &&
      (classifications.size === 0 || line.classificationIds.some((id) => classifications.has(id)));
    const listing: UpdateIdentity[] = [];
    this.imported.length = 0;
    const cursor = new LineCursor(this.file);
    try {
      for (let line = await cursor.next(); line; line = await cursor.next()) {
        if (line.type !== "update") continue;
        if (line.imported) {
          this.imported.push({
            updateId: line.updateId,
            revisionNumber: line.revisionNumber,
            reason: line.imported.reason,
            requiredBy: line.imported.requiredBy,
            title: line.imported.title,
            kbArticleIds: line.imported.kbArticleIds,
          });
        }
        if (line.imported || matches(line))
          listing.push({ updateId: line.updateId, revisionNumber: line.revisionNumber });
      }
    } finally {
      await cursor.close();
    }
    this.listing = listing;
    return { anchor: this.anchor, revisions: listing };
  }

  /** Served one request after the other, in the order they were asked (the engine keeps two ahead). */
  getUpdateData(ids: UpdateIdentity[]): Promise<ServerUpdateData> {
    const served = this.queue.then(() => this.serve(ids));
    this.queue = served.catch(() => undefined);
    return served;
  }

  private async serve(ids: UpdateIdentity[]): Promise<ServerUpdateData> {
    const updates: ServerUpdateData["updates"] = [];
    for (const wanted of ids) {
      const id = wanted.updateId.toLowerCase();
      const category = this.categories.get(id);
      const line =
        category && category.revisionNumber === wanted.revisionNumber ? category : await this.seek(id, wanted);
      updates.push({ identity: { updateId: id, revisionNumber: line.revisionNumber }, xml: line.xml });
    }
    return { updates, fileUrls: [] };
  }

  /** Moves forward to the update; one asked for again (a document retried on its own) restarts from the top. */
  private async seek(id: string, wanted: UpdateIdentity): Promise<PackageUpdateLine> {
    for (let pass = 0; pass < 2; pass++) {
      while (this.current && this.current.updateId < id) await this.advance();
      if (this.current?.updateId === id && this.current.revisionNumber === wanted.revisionNumber) return this.current;
      if (pass === 0) await this.rewind();
    }
    throw new SyncError(
      "PACKAGE_CORRUPT",
      `The update package does not hold ${id} revision ${wanted.revisionNumber}, which it listed.`,
    );
  }

  private async advance(): Promise<void> {
    if (this.exhausted) {
      this.current = undefined;
      return;
    }
    const line = await this.cursor.next();
    if (line?.type === "update") this.current = line;
    else {
      this.current = undefined;
      this.exhausted = true;
    }
  }

  private async rewind(): Promise<void> {
    await this.cursor.close();
    this.exhausted = false;
    for (;;) {
      const line = await this.cursor.next();
      if (!line) {
        this.current = undefined;
        this.exhausted = true;
        return;
      }
      if (line.type === "update") {
        this.current = line;
        return;
      }
    }
  }

  /** The imported updates of the package's list, for the store to record with the catalog. */
  importedRevisions(): ImportedRevision[] {
    return this.listing ? [...this.imported] : [];
  }

  async close(): Promise<void> {
    await this.queue.catch(() => undefined);
    await this.cursor.close();
  }
}

/**
 * The run's catalog store around the site's: the apply also records the package's imported updates (state
 * `imported`, their reason as at the exporting hierarchy) in the same transaction, so they are kept whatever the
 * selection; once it has committed, the package is `applied`.
 */
export class PackageCatalogStore implements CatalogStore {
  constructor(
    private readonly inner: CatalogStore,
    private readonly session: PackageSession,
    private readonly onApplied: () => Promise<void>,
  ) {}

  storedRevisions(ids: UpdateIdentity[]) {
    return this.inner.storedRevisions(ids);
  }

  saveCategories(records: UpdateRecord[]) {
    return this.inner.saveCategories(records);
  }

  saveRevisions(records: UpdateRecord[]) {
    return this.inner.saveRevisions(records);
  }

  latestStoredRevision(updateId: string) {
    return this.inner.latestStoredRevision?.(updateId) ?? Promise.resolve(undefined);
  }

  async applyCatalog(plan: ApplyPlan, onPhase: Parameters<CatalogStore["applyCatalog"]>[1]) {
    const packaged = this.session.importedRevisions();
    const imports = {
      imported: [...(plan.imports?.imported ?? []), ...packaged],
      failed: plan.imports?.failed ?? [],
    };
    const result = await this.inner.applyCatalog({ ...plan, imports }, onPhase);
    await this.onApplied();
    return result;
  }
}

/** What the executor needs for a package run: the session, how to wrap the site's store, and its clean-up. */
export interface PackageRun {
  /** How the package is named where a run names its upstream. */
  name: string;
  session: PackageSession;
  store(inner: CatalogStore): CatalogStore;
  close(): Promise<void>;
}

/** The site's store, wrapped for a package run. */
export const withPackage = (run: PackageRun | undefined, store: CatalogStore): CatalogStore =>
  run ? run.store(store) : store;

export async function openPackageRun(ctx: AppContext, options: PackageRunOptions): Promise<PackageRun> {
  const session = new PackageSession(ctx, options);
  const name = await PackageSession.describe(ctx, options.packageId);
  return {
    name,
    session,
    store: (inner: CatalogStore) =>
      new PackageCatalogStore(inner, session, async () => {
        await ctx.prisma.updatePackage.update({ where: { id: options.packageId }, data: { state: "applied" } });
      }),
    close: () => session.close(),
  };
}
