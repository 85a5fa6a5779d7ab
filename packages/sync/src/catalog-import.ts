// Import Updates, the engine's half: the basket's updates are fetched by id (MS-WSUSSS has no search; GetUpdateData
// takes an update id and revision), then their bundled updates and prerequisites, as WSUS's
// ImportUpdateFromCatalogSite takes them. Each basket update ends imported or failed with a reason; a failure of
// one update is its own, not the run's — but an upstream that cannot be reached fails the run, and the basket waits.
import { UPGRADES_CLASSIFICATION_ID, type ErrorCode, type ImportReason } from "@syncpoint/contracts";
import { parseUpdateXml, WsusssFault, type UpdateIdentity, type UpdateRecord } from "@syncpoint/wsusss";
import { SyncCanceled } from "./errors.ts";
import type { CatalogStore, RunReporter, UpstreamSession } from "./ports.ts";

export interface ImportedRevision extends UpdateIdentity {
  reason: ImportReason;
  /** The update that brought a prerequisite or bundled update in. */
  requiredBy: string | null;
  title: string;
  kbArticleIds: string[];
}

export interface ImportFailure {
  updateId: string;
  code: ErrorCode;
  message: string;
}

export interface ImportOutcome {
  imported: ImportedRevision[];
  failed: ImportFailure[];
}

/** How deep prerequisites of prerequisites are followed, and how many updates one import may bring in at most. */
const MAX_DEPTH = 4;
const MAX_UPDATES = 1_000;

const titleOf = (record: UpdateRecord) =>
  (record.localized.find((l) => l.language.toLowerCase() === "en") ?? record.localized[0])?.title ?? record.updateId;

interface Wanted extends UpdateIdentity {
  reason: ImportReason;
  requiredBy: string | null;
  /** The basket update this one is needed for: its failure is reported there. */
  root: string;
}

export async function importFromCatalog(
  deps: {
    upstream: UpstreamSession;
    store: CatalogStore;
    reporter: RunReporter;
    signal?: AbortSignal;
  },
  basket: UpdateIdentity[],
  /** Revisions the upstream listed in this run (update id → highest revision), to resolve prerequisites by id. */
  listed: Map<string, number>,
): Promise<ImportOutcome> {
  const { upstream, store, reporter } = deps;
  const outcome: ImportOutcome = { imported: [], failed: [] };
  if (basket.length === 0) return outcome;
  await reporter.log(
    `Importing ${basket.length} update(s) from the catalog with their prerequisites and bundled updates`,
  );
  const seen = new Set<string>();
  const failedRoots = new Set<string>();
  let level: Wanted[] = basket.map((b) => {
    const id = b.updateId.toLowerCase();
    return { updateId: id, revisionNumber: b.revisionNumber, reason: "basket", requiredBy: null, root: id };
  });
  for (let depth = 0; level.length > 0; depth++) {
    const next: Wanted[] = [];
    for (const wanted of level) {
      if (deps.signal?.aborted) throw new SyncCanceled();
      if (seen.has(wanted.updateId) || failedRoots.has(wanted.root)) continue;
      seen.add(wanted.updateId);
      if (seen.size > MAX_UPDATES) {
        fail(outcome, failedRoots, wanted.root, "IMPORT_NOT_FOUND", `more than ${MAX_UPDATES} related updates`);
        continue;
      }
      const record = await fetchOne(upstream, wanted);
      if ("failure" in record) {
        const message =
          wanted.reason === "basket"
            ? record.failure
            : `its ${wanted.reason} update ${wanted.updateId} revision ${wanted.revisionNumber}: ${record.failure}`;
        fail(outcome, failedRoots, wanted.root, "IMPORT_NOT_FOUND", message);
        await reporter.log(`Import of ${wanted.root} failed: ${message}`, "error");
        continue;
      }
      if (wanted.reason === "basket" && record.classificationIds.includes(UPGRADES_CLASSIFICATION_ID)) {
        const message = `${titleOf(record)} is a feature update; feature updates cannot be imported from the catalog`;
        fail(outcome, failedRoots, wanted.root, "FEATURE_UPDATE_NOT_IMPORTABLE", message);
        await reporter.log(`Import of ${wanted.root} refused: ${message}`, "warning");
        continue;
      }
      await store.saveRevisions([record]);
      outcome.imported.push({
        updateId: wanted.updateId,
        revisionNumber: record.revisionNumber,
        reason: wanted.reason,
        requiredBy: wanted.requiredBy,
        title: titleOf(record),
        kbArticleIds: record.kbArticleIds,
      });
      await reporter.log(
        `Imported ${titleOf(record)} (${wanted.updateId} revision ${record.revisionNumber})${wanted.requiredBy ? ` as ${wanted.reason} of ${wanted.requiredBy}` : ""}`,
      );
      if (depth >= MAX_DEPTH) continue;
      for (const bundled of record.bundledUpdates) {
        next.push({
          updateId: bundled.updateId.toLowerCase(),
          revisionNumber: bundled.revisionNumber,
          reason: "bundled",
          requiredBy: wanted.updateId,
          root: wanted.root,
        });
      }
      for (const prerequisite of record.prerequisiteIds.map((p) => p.toLowerCase())) {
        // A prerequisite is named by id only: take the revision this run listed, else the one already stored.
        const revision = listed.get(prerequisite) ?? (await store.latestStoredRevision?.(prerequisite));
        if (revision === undefined) {
          await reporter.log(
            `Prerequisite ${prerequisite} of ${wanted.updateId} is not in the catalog and no revision of it is known; import it by its update id`,
            "warning",
          );
          continue;
        }
        next.push({
          updateId: prerequisite,
          revisionNumber: revision,
          reason: "prerequisite",
          requiredBy: wanted.updateId,
          root: wanted.root,
        });
      }
    }
    level = next;
  }
  // Whatever came with a failed basket update is not imported either: the basket update is the unit.
  outcome.imported = outcome.imported.filter((i) => !failedRoots.has(rootOf(i, outcome.imported)));
  return outcome;
}

function fail(outcome: ImportOutcome, failedRoots: Set<string>, root: string, code: ErrorCode, message: string): void {
  if (failedRoots.has(root)) return;
  failedRoots.add(root);
  outcome.failed.push({ updateId: root, code, message });
}

/** The basket update an imported revision came with, following requiredBy. */
function rootOf(item: ImportedRevision, all: ImportedRevision[]): string {
  let current = item;
  for (let hops = 0; current.requiredBy && hops <= MAX_DEPTH + 1; hops++) {
    const parent = all.find((a) => a.updateId === current.requiredBy);
    if (!parent) return current.requiredBy;
    current = parent;
  }
  return current.updateId;
}

/** GetUpdateData for one revision; a fault (the upstream does not know it) or an unreadable document is its failure. */
async function fetchOne(
  upstream: UpstreamSession,
  wanted: UpdateIdentity,
): Promise<UpdateRecord | { failure: string }> {
  let xml: string | undefined;
  try {
    const data = await upstream.getUpdateData([{ updateId: wanted.updateId, revisionNumber: wanted.revisionNumber }]);
    xml = data.updates.find((u) => u.identity.updateId.toLowerCase() === wanted.updateId)?.xml;
  } catch (error) {
    // Only the upstream's answer about this update is the update's failure; a transport failure fails the run.
    if (!(error instanceof WsusssFault)) throw error;
    return {
      failure: `the upstream does not offer update ${wanted.updateId} revision ${wanted.revisionNumber} (${error.faultMessage ?? error.errorCode})`,
    };
  }
  if (xml === undefined)
    return {
      failure: `the upstream's answer did not hold update ${wanted.updateId} revision ${wanted.revisionNumber}`,
    };
  try {
    const record = parseUpdateXml(xml);
    if (record.updateType === "Category") return { failure: `${wanted.updateId} is a category, not an update` };
    return record;
  } catch (error) {
    return { failure: `its update document could not be read: ${(error as Error).message}` };
  }
}
