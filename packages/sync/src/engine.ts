// One synchronization of a software update point, phase by phase, as SMS_WSUS_SYNC_MANAGER does it: authorize →
// config → categories → revisions → updates → apply → supersedence → commit. Everything it learns is reported as
// status messages, wsyncmgr-style log lines and progress; everything it stores goes through the CatalogStore.
import type { RunTrigger } from "@syncpoint/contracts";
import {
  parseUpdateXml,
  UpdateXmlError,
  WsusssFault,
  type ServerUpdateData,
  type UpdateIdentity,
  type UpdateRecord,
} from "@syncpoint/wsusss";
import { importFromCatalog, type ImportOutcome } from "./catalog-import.ts";
import { SyncCanceled, SyncError, toSyncError } from "./errors.ts";
import type { ApplyResult, CatalogStore, RunReporter, SyncPlan, UpstreamSession } from "./ports.ts";
import { estimateSecondsLeft } from "./progress.ts";
import { DEFAULT_RETRY_POLICY, RetryingUpstream, withRetries, type RetryPolicy } from "./retrying.ts";
import { formatProgress, formatSyncTime } from "./wsyncmgr-log.ts";

export interface SyncDependencies {
  upstream: UpstreamSession;
  /** How transient upstream failures are retried inside the run (default DEFAULT_RETRY_POLICY). */
  retryPolicy?: RetryPolicy;
  store: CatalogStore;
  reporter: RunReporter;
  /** Aborted when the run is canceled; checked between batches. */
  signal?: AbortSignal;
  now?: () => number;
}

export interface SyncOutcome extends ApplyResult {
  anchor: string;
  newCategoryIds: string[];
}

const TRIGGER_TEXT: Record<RunTrigger, string> = {
  manual: "local request",
  schedule: "regular schedule",
  parent: "parent request",
  retry: "retry schedule",
  import: "import request",
};

const key = (id: UpdateIdentity) => `${id.updateId},${id.revisionNumber}`;

export async function runSync(input: SyncDependencies, plan: SyncPlan): Promise<SyncOutcome> {
  const policy = input.retryPolicy ?? DEFAULT_RETRY_POLICY;
  const upstream = new RetryingUpstream(input.upstream, { policy, reporter: input.reporter, signal: input.signal });
  const deps: SyncDependencies = { ...input, upstream, retryPolicy: policy };
  const { store, reporter } = deps;
  const now = deps.now ?? Date.now;
  const started = now();
  const checkCanceled = () => {
    if (deps.signal?.aborted) throw new SyncCanceled();
  };
  let stage = "CWSyncMgr::DoSync";

  try {
    await reporter.log("Starting Sync");
    await reporter.log(`Performing sync on ${TRIGGER_TEXT[plan.trigger]}${plan.fullSync ? " (full sync)" : ""}`);
    await reporter.statusMessage(6701);

    stage = "authorize";
    await reporter.phase("authorize");
    await reporter.statusMessage(6704);
    await reporter.log(`Synchronizing WSUS server ${plan.upstreamName} ...`);
    await reporter.log("sync: Starting WSUS synchronization");
    await upstream.authorize();
    checkCanceled();

    stage = "config";
    await reporter.phase("config");
    const config = await upstream.getConfigData();
    const batchSize = Math.max(1, config.maxNumberOfUpdatesPerRequest);
    await reporter.log(`Upstream protocol version ${config.protocolVersion}, at most ${batchSize} updates per request`);
    checkCanceled();

    stage = "categories";
    await reporter.phase("categories");
    await reporter.log("sync: WSUS synchronizing categories");
    const categoryList = await upstream.getRevisionIdList({ getConfig: true });
    const categoryRecords = await fetchMissing(deps, categoryList.revisions, batchSize, "categories");
    const newCategoryIds = await store.saveCategories(categoryRecords.filter((r) => r.updateType === "Category"));
    if (newCategoryIds.length > 0) {
      await reporter.log(`Found ${newCategoryIds.length} new categories (products or classifications)`, "warning");
    }
    checkCanceled();

    stage = "revisions";
    await reporter.phase("revisions");
    const list = await listRevisions(deps, plan);
    await reporter.log(
      `Found ${list.revisions.length} ${list.complete ? "update revisions for the selected products and classifications" : "changed update revisions since the last synchronization"}`,
    );
    const followed = await listFollowedImports(deps, plan);
    if (followed.length > 0)
      await reporter.log(`Found ${followed.length} revisions of imported updates outside the selection`);
    checkCanceled();

    stage = "updates";
    await reporter.phase("updates");
    await fetchMissing(deps, [...list.revisions, ...followed], batchSize, "updates");
    let imports: ImportOutcome | undefined;
    if (plan.imports && plan.imports.pending.length > 0) {
      const listed = new Map<string, number>();
      for (const r of latestRevisions([...list.revisions, ...followed])) listed.set(r.updateId, r.revisionNumber);
      imports = await importFromCatalog(deps, plan.imports.pending, listed);
    }
    await reporter.log(`Done synchronizing WSUS Server ${plan.upstreamName}`);
    checkCanceled();

    stage = "apply";
    await reporter.phase("apply");
    await reporter.statusMessage(6705);
    await reporter.log(`Synchronizing SMS database with WSUS server ${plan.upstreamName} ...`);
    const applyPlan = {
      revisions: latestRevisions([...list.revisions, ...followed, ...(imports?.imported ?? [])]),
      complete: list.complete,
      // A top-level run records what it imported, and the later revisions its imported updates received.
      ...(plan.imports ? { imports: imports ?? { imported: [], failed: [] } } : {}),
      products: plan.products,
      classifications: plan.classifications,
      anchor: list.anchor,
      ...(plan.versionFromAnchor ? { catalogVersion: plan.versionFromAnchor(list.anchor) } : {}),
    };
    const result = await store.applyCatalog(applyPlan, async (phase) => {
      checkCanceled();
      await reporter.phase(phase);
    });
    const { counts } = result;
    await reporter.log(
      `sync: SMS synchronizing updates, ${counts.new} new, ${counts.revised} revised, ${counts.expired} expired, ${counts.superseded} superseded, ${counts.removed} removed`,
    );
    await reporter.log(`Done synchronizing SMS with WSUS Server ${plan.upstreamName}`);

    await reporter.statusMessage(6702);
    const items = counts.new + counts.revised + counts.expired + counts.removed;
    await reporter.log("Sync succeeded. Setting sync alert to canceled state on site " + plan.siteCode);
    await reporter.log(
      `Updated ${items} items in SMS database, new update source content version is ${result.catalogVersion}`,
    );
    await reporter.log(formatSyncTime((now() - started) / 1000));
    return { ...result, anchor: list.anchor, newCategoryIds };
  } catch (error) {
    // A cancel (or the run timeout) aborts calls in flight too: whatever they threw, the run was stopped.
    const failure = deps.signal?.aborted ? new SyncCanceled() : toSyncError(error, plan.upstreamName);
    if (failure.code !== "SYNC_CANCELED") {
      await reporter.statusMessage(6703, [plan.upstreamName, failure.message, failure.code]).catch(() => undefined);
      await reporter.log(`Sync failed: ${failure.message}. Source: ${stage}`, "error").catch(() => undefined);
    } else {
      await reporter.log("Sync canceled; the catalog is unchanged.", "warning").catch(() => undefined);
    }
    throw failure;
  }
}

/**
 * GetRevisionIdList for the selection: from the anchor with Delta=true for what the last sync already had, Delta=false
 * for anything selected since (domain.md §6) — or everything, for a full sync or a first one. An anchor the upstream
 * rejects (InvalidParameters) falls back to a full list, with status message 6712 saying so.
 */
async function listRevisions(
  deps: SyncDependencies,
  plan: SyncPlan,
): Promise<{ revisions: UpdateIdentity[]; anchor: string; complete: boolean }> {
  const { upstream, reporter } = deps;
  if (plan.products.length === 0 || plan.classifications.length === 0) {
    // WSUS syncs nothing without a product and a classification; an empty filter would mean "everything" on the wire.
    await reporter.log("No products or no classifications are selected: the catalog keeps no updates", "warning");
    const config = await upstream.getRevisionIdList({ getConfig: true });
    return { revisions: [], anchor: config.anchor, complete: true };
  }
  const delta = !plan.fullSync && plan.anchor !== undefined;
  const items = (ids: string[], synced: string[]) => ids.map((id) => ({ id, delta: delta && synced.includes(id) }));
  const categories = items(plan.products, plan.syncedProducts);
  const classifications = items(plan.classifications, plan.syncedClassifications);
  const complete = !delta || [...categories, ...classifications].every((i) => !i.delta);
  if (!delta)
    return { ...(await upstream.getRevisionIdList({ getConfig: false, categories, classifications })), complete: true };
  const fresh = [...categories, ...classifications].filter((i) => !i.delta);
  if (fresh.length > 0)
    await reporter.log(
      `Newly selected since the last synchronization, fetched in full: ${fresh.map((i) => i.id).join(", ")}`,
    );
  try {
    const list = await upstream.getRevisionIdList({
      getConfig: false,
      anchor: plan.anchor,
      categories,
      classifications,
    });
    return { ...list, complete };
  } catch (error) {
    if (!(error instanceof WsusssFault && error.errorCode === "InvalidParameters")) throw error;
    await reporter.statusMessage(6712, [plan.upstreamName]);
    await reporter.log(
      "The upstream rejected the synchronization anchor; performing a full synchronization instead",
      "warning",
    );
    const all = (ids: string[]) => ids.map((id) => ({ id, delta: false }));
    const list = await upstream.getRevisionIdList({
      getConfig: false,
      categories: all(plan.products),
      classifications: all(plan.classifications),
    });
    return { ...list, complete: true };
  }
}

/**
 * Later revisions of updates imported before, whatever the selection: the upstream is asked for the products and
 * classifications the imported updates belong to (from the anchor, like the selection), and only the imported
 * updates are kept. A catalog-only update is listed by no filter; it keeps the revision it was imported with.
 */
async function listFollowedImports(deps: SyncDependencies, plan: SyncPlan): Promise<UpdateIdentity[]> {
  const followed = plan.imports?.followed;
  if (!followed || followed.updateIds.length === 0) return [];
  // An empty list on the wire means "everything": an imported update without a product or classification is not asked for.
  if (followed.products.length === 0 || followed.classifications.length === 0) return [];
  const { upstream } = deps;
  const delta = !plan.fullSync && plan.anchor !== undefined;
  const items = (ids: string[], asDelta: boolean) => ids.map((id) => ({ id, delta: asDelta }));
  const ask = (asDelta: boolean) =>
    upstream.getRevisionIdList({
      getConfig: false,
      ...(asDelta ? { anchor: plan.anchor } : {}),
      categories: items(followed.products, asDelta),
      classifications: items(followed.classifications, asDelta),
    });
  let list;
  try {
    list = await ask(delta);
  } catch (error) {
    if (!(delta && error instanceof WsusssFault && error.errorCode === "InvalidParameters")) throw error;
    list = await ask(false);
  }
  const wanted = new Set(followed.updateIds.map((id) => id.toLowerCase()));
  return list.revisions.filter((r) => wanted.has(r.updateId.toLowerCase()));
}

/** For each update, only its highest revision in the list. */
function latestRevisions(revisions: UpdateIdentity[]): UpdateIdentity[] {
  const latest = new Map<string, UpdateIdentity>();
  for (const r of revisions) {
    const id = r.updateId.toLowerCase();
    const seen = latest.get(id);
    if (!seen || r.revisionNumber > seen.revisionNumber)
      latest.set(id, { updateId: id, revisionNumber: r.revisionNumber });
  }
  return [...latest.values()];
}

/** GetUpdateData calls kept in flight ahead of the batch being parsed, so the upstream never waits on us. */
const FETCH_AHEAD = 2;
/** Batches whose insert may still be running while the next one is parsed. */
const SAVES_IN_FLIGHT = 2;
/** Least time between two progress lines in the log (the first and the last batch are always logged). */
const PROGRESS_LOG_INTERVAL_MS = 1_000;

/**
 * GetUpdateData for the revisions not stored yet, in batches of the upstream's limit; parses and stores each batch.
 * The work is pipelined: while one batch is parsed, the next ones are on the wire and the previous ones are being
 * written. Progress counts a batch once it is stored. Returns the parsed records (categories need them; for updates
 * the caller only needs them stored).
 */
async function fetchMissing(
  deps: SyncDependencies,
  revisions: UpdateIdentity[],
  batchSize: number,
  what: "categories" | "updates",
): Promise<UpdateRecord[]> {
  const { upstream, store, reporter } = deps;
  const now = deps.now ?? Date.now;
  const stored = await store.storedRevisions(revisions);
  const missing = revisions.filter(
    (r) => !stored.has(key({ updateId: r.updateId.toLowerCase(), revisionNumber: r.revisionNumber })),
  );
  const total = missing.length;
  await reporter.progress(0, total);
  const batches: UpdateIdentity[][] = [];
  for (let offset = 0; offset < missing.length; offset += batchSize)
    batches.push(missing.slice(offset, offset + batchSize));

  const records: UpdateRecord[] = [];
  const skipped: UpdateIdentity[] = [];
  const started = now();
  const fetches = new Pipeline<ServerUpdateData>();
  const saves = new Pipeline<number>();
  let processed = 0;
  let lastLogged = -Infinity;
  const storedUpTo = async (batchEnd: number) => {
    processed = batchEnd;
    await reporter.progress(processed, total);
    if (processed === batches[0]?.length || processed === total || now() - lastLogged >= PROGRESS_LOG_INTERVAL_MS) {
      lastLogged = now();
      const eta = estimateSecondsLeft(processed, total, now() - started);
      await reporter.log(`sync: WSUS synchronizing ${what}, ${formatProgress(processed, total, eta)}`);
    }
  };
  try {
    let end = 0;
    for (let i = 0; i < batches.length; i++) {
      for (let ahead = fetches.size; ahead < FETCH_AHEAD && i + ahead < batches.length; ahead++) {
        const batch = batches[i + ahead]!;
        fetches.add(() => upstream.getUpdateData(batch));
      }
      if (deps.signal?.aborted) throw new SyncCanceled();
      const data = await fetches.next();
      const parsed: UpdateRecord[] = [];
      for (const { identity, xml } of data.updates) {
        const record = await readRecord(deps, identity, xml);
        if (record) parsed.push(record);
        else skipped.push(identity);
      }
      records.push(...parsed);
      end += batches[i]!.length;
      const batchEnd = end;
      saves.add(async () => {
        if (what === "updates") await store.saveRevisions(parsed);
        return batchEnd;
      });
      // Progress is reported in batch order: the oldest save is awaited once too many are running.
      while (saves.size >= SAVES_IN_FLIGHT) await storedUpTo(await saves.next());
    }
    while (saves.size > 0) await storedUpTo(await saves.next());
  } finally {
    // Nothing is written after the run has ended; calls still on the wire are aborted with the run or ignored.
    fetches.abandon();
    await saves.settle();
  }
  if (total === 0) await reporter.log(`sync: WSUS synchronizing ${what}, ${formatProgress(0, 0)}`);
  if (skipped.length > 0) {
    // Applying without them would leave the catalog silently short of what the upstream holds.
    throw new SyncError(
      "UPSTREAM_BAD_RECORD",
      `${skipped.length} update record(s) could not be read, e.g. ${skipped[0]!.updateId} revision ${skipped[0]!.revisionNumber}`,
    );
  }
  return records;
}

/**
 * Work started ahead of its use, taken in the order it was started. A failure surfaces when its turn comes (never as
 * an unhandled rejection in between).
 */
class Pipeline<T> {
  private readonly queue: Promise<T>[] = [];

  get size(): number {
    return this.queue.length;
  }

  add(start: () => Promise<T>): void {
    const promise = start();
    promise.catch(() => undefined);
    this.queue.push(promise);
  }

  next(): Promise<T> {
    const promise = this.queue.shift();
    if (!promise) throw new Error("Pipeline.next() with nothing started");
    return promise;
  }

  /** Forgets the work started: it finishes unobserved. */
  abandon(): void {
    this.queue.length = 0;
  }

  /** Waits until all the work started has finished, whatever its outcome. */
  async settle(): Promise<void> {
    await Promise.allSettled(this.queue.splice(0));
  }
}

/**
 * Parses one update document; a document that does not parse is fetched again on its own (a corrupted transfer
 * heals that way). One that stays unreadable is skipped with status message 6713 naming it; the run then fails
 * before applying anything.
 */
async function readRecord(
  deps: SyncDependencies,
  identity: UpdateIdentity,
  xml: string,
): Promise<UpdateRecord | undefined> {
  const { upstream, reporter } = deps;
  const policy = deps.retryPolicy ?? DEFAULT_RETRY_POLICY;
  try {
    return parseUpdateXml(xml);
  } catch (first) {
    // A document refused as unsafe (a DTD, past a limit) is not a corrupted transfer: asking again will not heal it.
    if (first instanceof UpdateXmlError && first.unsafe) {
      throw new SyncError(
        "UPSTREAM_UNSAFE_ANSWER",
        `the update document of ${identity.updateId} revision ${identity.revisionNumber} was refused as unsafe: ${first.message}`,
        { cause: first },
      );
    }
    await reporter.log(
      `Retrying GetUpdateData for ${identity.updateId} revision ${identity.revisionNumber} after: the document could not be read (${(first as Error).message})`,
      "warning",
    );
    try {
      return await withRetries(
        `GetUpdateData for ${identity.updateId} revision ${identity.revisionNumber}`,
        async () => {
          const again = await upstream.getUpdateData([identity]);
          const doc = again.updates[0]?.xml;
          if (doc === undefined)
            throw new WsusssFault("InternalServerError", "the update was not in the answer", "GetUpdateData");
          try {
            return parseUpdateXml(doc);
          } catch (error) {
            // A malformed record is retried like a truncated answer.
            throw new WsusssFault("InternalServerError", (error as Error).message, "GetUpdateData");
          }
        },
        { policy, reporter, signal: deps.signal },
      );
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(first);
      await reporter.statusMessage(6713, [identity.updateId, String(identity.revisionNumber), reason]);
      await reporter.log(`Skipped update ${identity.updateId} revision ${identity.revisionNumber}: ${reason}`, "error");
      return undefined;
    }
  }
}
