// Software Library › Import Updates: the catalog search (the upstream's `/catalog/search`, which the embedded upstream
// offers like the Microsoft Update Catalog; MS-WSUSSS itself has no search), the basket's import (rows in
// imported_updates, then a run with trigger `import`) and the list of imported updates.
import {
  CatalogSearchHit,
  UPGRADES_CLASSIFICATION_ID,
  type CatalogSearchItem,
  type CatalogSearchResponse,
  type ImportedUpdateDto,
  type ImportedUpdatePage,
  type ImportedUpdatesQuery,
  type ImportUpdatesRequest,
  type ImportUpdatesResponse,
} from "@syncpoint/contracts";
import { SyncSource, type ImportedUpdate } from "@syncpoint/db";
import { SyncError } from "@syncpoint/sync";
import { z } from "zod";
import type { AppContext } from "../context.ts";
import { HttpError, notFound } from "../http/errors.ts";
import type { Principal } from "../http/principal.ts";
import { queueRun } from "../sync/queue-run.ts";
import { resolveUpstream } from "../sync/upstream-connection.ts";
import type { AuditScope } from "./audit.ts";
import { topLevelSite } from "./sync-runs.ts";

/** What an upstream's search may answer: bounded, so a hostile upstream cannot make us hold or show much. */
const SearchAnswer = z.object({ items: z.array(CatalogSearchHit).max(200) });
const SEARCH_TIMEOUT_MS = 15_000;
const SEARCH_MAX_BYTES = 2 * 1024 * 1024;

async function assertConnected(ctx: AppContext, siteCode: string): Promise<void> {
  const settings = await ctx.prisma.supSettings.findUnique({ where: { id: 1 } });
  if (settings?.syncSource === SyncSource.disconnected) {
    throw new HttpError(
      409,
      "SYNC_SOURCE_DISCONNECTED",
      `${siteCode} is set to "Do not synchronize from Microsoft Update or upstream data source": updates cannot be imported from a catalog; import an update package instead.`,
    );
  }
}

/** Reads at most `limit` bytes of a response body. */
async function readBounded(response: Response, limit: number): Promise<string | undefined> {
  const reader = response.body?.getReader();
  if (!reader) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

async function askUpstream(
  ctx: AppContext,
  siteCode: string,
  q: string,
): Promise<{ hits: CatalogSearchHit[]; source: string }> {
  let connection;
  try {
    connection = await resolveUpstream(ctx, siteCode);
  } catch (error) {
    if (error instanceof SyncError) throw new HttpError(409, error.code, error.message);
    throw error;
  }
  const source = connection.url.replace(/\/$/, "");
  const url = `${source}/catalog/search?q=${encodeURIComponent(q)}`;
  const unavailable = (why: string) =>
    new HttpError(
      409,
      "CATALOG_SEARCH_UNAVAILABLE",
      `${source} offers no catalog search (${why}). MS-WSUSSS has no search operation: import an update by its update id and revision instead.`,
      { source },
    );
  let response: Response;
  try {
    response = await (connection.fetch ?? fetch)(url, {
      headers: { accept: "application/json" },
      signal: AbortSignal.timeout(SEARCH_TIMEOUT_MS),
      redirect: "error",
    });
  } catch (error) {
    const timeout = (error as Error).name === "TimeoutError";
    throw new HttpError(
      502,
      timeout ? "UPSTREAM_TIMEOUT" : "UPSTREAM_UNREACHABLE",
      `${source} ${timeout ? "did not answer the catalog search in time" : `could not be reached: ${(error as Error).message}`}.`,
    );
  }
  if (response.status === 404 || response.status === 405) {
    await response.body?.cancel();
    throw unavailable(`it answered ${response.status}`);
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new HttpError(
      502,
      "UPSTREAM_HTTP_ERROR",
      `${source} answered the catalog search with HTTP ${response.status}.`,
    );
  }
  if (!/^application\/json\b/i.test(response.headers.get("content-type") ?? "")) {
    await response.body?.cancel();
    throw unavailable("its answer is not JSON");
  }
  const text = await readBounded(response, SEARCH_MAX_BYTES);
  if (text === undefined)
    throw new HttpError(502, "UPSTREAM_PROTOCOL_ERROR", `${source} answered the catalog search with more than 2 MB.`);
  let parsed;
  try {
    parsed = SearchAnswer.safeParse(JSON.parse(text));
  } catch {
    parsed = undefined;
  }
  if (!parsed?.success)
    throw new HttpError(502, "UPSTREAM_PROTOCOL_ERROR", `${source} answered the catalog search with a malformed list.`);
  return { hits: parsed.data.items, source };
}

export async function searchCatalog(ctx: AppContext, q: string): Promise<CatalogSearchResponse> {
  const { site } = await topLevelSite(ctx);
  await assertConnected(ctx, site.code);
  const { hits, source } = await askUpstream(ctx, site.code, q);
  const ids = hits.map((h) => h.updateId.toLowerCase());
  const categoryIds = [...new Set(hits.flatMap((h) => [...h.productIds, ...h.classificationIds]))].map((id) =>
    id.toLowerCase(),
  );
  const [entries, imports, categories] = await Promise.all([
    ctx.prisma.siteCatalogEntry.findMany({
      where: { siteCode: site.code, updateId: { in: ids } },
      select: { updateId: true, revisionNumber: true },
    }),
    ctx.prisma.importedUpdate.findMany({ where: { updateId: { in: ids } }, select: { updateId: true, state: true } }),
    ctx.prisma.category.findMany({ where: { id: { in: categoryIds } }, select: { id: true, title: true } }),
  ]);
  const entryOf = new Map(entries.map((e) => [e.updateId, e.revisionNumber]));
  const importOf = new Map(imports.map((i) => [i.updateId, i.state]));
  const titleOf = new Map(categories.map((c) => [c.id, c.title]));
  // A category not synced yet is shown by its id: the catalog search knows more products than the site.
  const titles = (idsOf: string[]) => idsOf.map((id) => titleOf.get(id.toLowerCase()) ?? id);
  const items = hits.map((hit): CatalogSearchItem => {
    const id = hit.updateId.toLowerCase();
    const feature = hit.classificationIds.map((c) => c.toLowerCase()).includes(UPGRADES_CLASSIFICATION_ID);
    return {
      ...hit,
      updateId: id,
      classificationTitles: titles(hit.classificationIds),
      productTitles: titles(hit.productIds),
      inCatalogRevision: entryOf.get(id) ?? null,
      importState: (importOf.get(id) as CatalogSearchItem["importState"]) ?? null,
      notImportableReason: feature ? "Feature updates cannot be imported from the catalog." : null,
    };
  });
  return { items, source };
}

export function toImportedDto(row: ImportedUpdate): ImportedUpdateDto {
  return {
    updateId: row.updateId,
    revisionNumber: row.revisionNumber,
    title: row.title,
    kbArticleIds: row.kbArticleIds,
    reason: row.reason as ImportedUpdateDto["reason"],
    requiredBy: row.requiredBy,
    state: row.state as ImportedUpdateDto["state"],
    errorCode: row.errorCode,
    errorMessage: row.errorMessage,
    importedRevision: row.importedRevision,
    runId: row.runId,
    requestedBy: row.requestedBy,
    requestedAt: row.requestedAt.toISOString(),
    importedAt: row.importedAt?.toISOString() ?? null,
  };
}

/**
 * Puts the basket in imported_updates (pending) and queues a run with trigger `import` at the top-level site. While
 * another synchronization is active the basket waits: an import run is queued when that one ends.
 */
export async function importUpdates(
  ctx: AppContext,
  principal: Principal,
  input: ImportUpdatesRequest,
  audit: AuditScope,
): Promise<ImportUpdatesResponse> {
  const { site, sup } = await topLevelSite(ctx);
  const unique = [...new Map(input.updates.map((u) => [u.updateId, u])).values()];
  audit.target("site", site.code).details({ updates: unique.map((u) => `${u.updateId},${u.revisionNumber}`) });
  await assertConnected(ctx, site.code);
  const rows = await ctx.prisma.$transaction(async (tx) => {
    const out: ImportedUpdate[] = [];
    for (const update of unique) {
      const existing = await tx.importedUpdate.findUnique({ where: { updateId: update.updateId } });
      // Imported already, at this revision or a later one: nothing to do.
      if (existing?.state === "imported" && (existing.importedRevision ?? 0) >= update.revisionNumber) {
        out.push(existing);
        continue;
      }
      const basket = {
        revisionNumber: update.revisionNumber,
        reason: "basket",
        requiredBy: null,
        state: "pending",
        errorCode: null,
        errorMessage: null,
        runId: null,
        requestedBy: principal.username,
        requestedAt: new Date(),
      };
      out.push(
        await tx.importedUpdate.upsert({
          where: { updateId: update.updateId },
          create: { updateId: update.updateId, title: update.title ?? update.updateId, ...basket },
          update: { ...basket, ...(update.title ? { title: update.title } : {}) },
        }),
      );
    }
    return out;
  });
  const pending = rows.some((r) => r.state === "pending");
  let runId: string | null = null;
  let activeRunId: string | null = null;
  if (pending) {
    const result = await queueRun(ctx, {
      siteCode: site.code,
      supId: sup.id,
      trigger: "import",
      requestedBy: principal.username,
      catalogVersionBefore: sup.catalogVersion,
    });
    if (result.queued) runId = result.runId;
    else activeRunId = result.activeRunId ?? null;
  }
  audit.after({ runId, activeRunId });
  return { runId, activeRunId, items: rows.map(toImportedDto) };
}

export async function listImportedUpdates(ctx: AppContext, query: ImportedUpdatesQuery): Promise<ImportedUpdatePage> {
  const where = query.state ? { state: query.state } : {};
  const desc = query.sort.startsWith("-");
  const field = query.sort.replace(/^-/, "") as "requestedAt" | "title" | "state";
  const [total, rows] = await ctx.prisma.$transaction([
    ctx.prisma.importedUpdate.count({ where }),
    ctx.prisma.importedUpdate.findMany({
      where,
      orderBy: [{ [field]: desc ? "desc" : "asc" }, { updateId: "asc" }],
      skip: (query.page - 1) * query.pageSize,
      take: query.pageSize,
    }),
  ]);
  return { items: rows.map(toImportedDto), total, page: query.page, pageSize: query.pageSize };
}

/**
 * Stops following an imported update: later revisions no longer sync outside the selection, and the next full
 * synchronization removes it from catalogs whose selection does not hold it. Not while a run is importing it.
 */
export async function removeImportedUpdate(ctx: AppContext, updateId: string, audit: AuditScope): Promise<void> {
  audit.target("update", updateId);
  const row = await ctx.prisma.importedUpdate.findUnique({ where: { updateId } });
  if (!row) throw notFound("The imported update");
  audit.before(toImportedDto(row));
  if (row.state === "pending" && row.runId) {
    const run = await ctx.prisma.syncRun.findUnique({ where: { id: row.runId }, select: { state: true } });
    if (run && ["queued", "running", "canceling"].includes(run.state)) {
      throw new HttpError(
        409,
        "IMPORT_NOT_REMOVABLE",
        "This update is being imported by a synchronization that is still running; remove it when the run has ended.",
        { runId: row.runId },
      );
    }
  }
  await ctx.prisma.importedUpdate.delete({ where: { updateId } });
}
