// What the engine needs from the outside world, as interfaces: the upstream (an MS-WSUSSS client), the catalog store
// (Postgres in the server) and the reporter (status messages, log, progress). Tests pass fakes of these.
import type { RunPhase, RunTrigger, StatusMessageId } from "@syncpoint/contracts";
import type {
  RevisionFilter,
  RevisionIdList,
  ServerSyncConfig,
  ServerUpdateData,
  UpdateIdentity,
  UpdateRecord,
} from "@syncpoint/wsusss";
import type { ImportOutcome } from "./catalog-import.ts";

export interface UpstreamSession {
  authorize(): Promise<unknown>;
  getConfigData(): Promise<ServerSyncConfig>;
  getRevisionIdList(filter: RevisionFilter): Promise<RevisionIdList>;
  getUpdateData(ids: UpdateIdentity[]): Promise<ServerUpdateData>;
}

export interface ApplyPlan {
  /** Revisions the upstream listed: every update of the selection (complete) or only those changed since the anchor. */
  revisions: UpdateIdentity[];
  /** True when `revisions` is the whole selection upstream: anything else in the catalog is gone there. */
  complete: boolean;
  /** The selection this catalog now follows; entries outside it are removed. */
  products: string[];
  classifications: string[];
  anchor: string;
  /** A child site takes its parent's catalog version instead of counting its own. */
  catalogVersion?: number;
  /**
   * Import Updates: what this run imported (its revisions are in `revisions`) and which basket updates failed. They
   * are recorded with the catalog, and imported updates are kept whatever the selection.
   */
  imports?: ImportOutcome;
}

export interface ApplyResult {
  counts: { new: number; revised: number; expired: number; superseded: number; removed: number };
  changed: boolean;
  catalogVersion: number;
}

export interface CatalogStore {
  /** Which of these revisions are already stored (keys `id,rev`): they need no GetUpdateData. */
  storedRevisions(ids: UpdateIdentity[]): Promise<Set<string>>;
  /** Stores category revisions and returns the ids seen for the first time. */
  saveCategories(records: UpdateRecord[]): Promise<string[]>;
  saveRevisions(records: UpdateRecord[]): Promise<void>;
  /** The highest stored revision of an update (to resolve a prerequisite named by id only). */
  latestStoredRevision?(updateId: string): Promise<number | undefined>;
  /**
   * Applies the plan to the site's catalog in one transaction: the catalog version changes only if it commits.
   * Calls `onPhase` as it moves through apply → supersedence → commit.
   */
  applyCatalog(plan: ApplyPlan, onPhase: (phase: RunPhase) => Promise<void>): Promise<ApplyResult>;
}

export type Severity = "info" | "warning" | "error";

export interface RunReporter {
  phase(phase: RunPhase): Promise<void>;
  progress(processed: number, total: number): Promise<void>;
  statusMessage(id: StatusMessageId, insertionStrings?: string[]): Promise<void>;
  log(text: string, severity?: Severity): Promise<void>;
}

export interface SyncPlan {
  siteCode: string;
  /** How the upstream is named in messages: its URL. */
  upstreamName: string;
  trigger: RunTrigger;
  fullSync: boolean;
  products: string[];
  classifications: string[];
  /** The selection of the last committed sync: anything selected since is fetched in full (Delta=false). */
  syncedProducts: string[];
  syncedClassifications: string[];
  anchor?: string;
  /** Import Updates (top-level site only). */
  imports?: {
    /** Basket updates not imported yet: fetched by id with their prerequisites and bundled updates. */
    pending: UpdateIdentity[];
    /** Updates imported before: their later revisions are listed whatever the product and classification selection. */
    followed: { updateIds: string[]; products: string[]; classifications: string[] };
  };
  /** For a child site: reads the parent's catalog version from the parent's anchor, to take it over on commit. */
  versionFromAnchor?: (anchor: string) => number | undefined;
}
