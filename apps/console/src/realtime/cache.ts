// What each socket event does to the query cache. REST stays the source of truth: an event patches the keys that
// REST filled (never creates a list out of nothing), and whatever an event cannot patch is invalidated, so that a
// refetch heals it. Pure functions of (cache, event), tested without a socket.
import type { RunPhase, RunState, SupSyncStatusRow, SyncLogEvent, SyncRunDto, SyncRunPage } from "@syncpoint/contracts";
import type { QueryClient } from "@tanstack/react-query";
import { queryKeys } from "../api/query-keys.ts";
import { appendLogLines, type RunLog } from "../api/run-log.ts";

/** A status row as cached: the REST row, or the newest `sup-status` event applied to it (with its `seq`). */
export type SupStatusRowView = SupSyncStatusRow & { seq?: number };
export interface SupStatusListView {
  items: SupStatusRowView[];
}
export type SupStatusEvent = SupSyncStatusRow & { seq: number };

export type SyncRunView = SyncRunDto & { seq?: number };
export type SyncRunEvent = SyncRunDto & { seq: number };
export interface SyncRunPageView extends Omit<SyncRunPage, "items"> {
  items: SyncRunView[];
}

const isNewer = (event: { seq: number }, current: { seq?: number }) =>
  current.seq === undefined || event.seq > current.seq;

/** A status row is one software update point: its site and server. */
const sameSup = (a: SupSyncStatusRow, b: SupSyncStatusRow) => a.siteCode === b.siteCode && a.supServer === b.supServer;

export type SupStatusMerge =
  | { outcome: "replaced"; list: SupStatusListView }
  /** The row already shows a newer event: nothing changes. */
  | { outcome: "stale"; list: SupStatusListView }
  /** A software update point the list does not have (added since it was fetched). */
  | { outcome: "unknown"; list: SupStatusListView }
  | { outcome: "uncached"; list: undefined };

/** The list with the event's row in place of the row for the same software update point, unless that one is newer. */
export function mergeSupStatus(list: SupStatusListView | undefined, event: SupStatusEvent): SupStatusMerge {
  if (!list) return { outcome: "uncached", list };
  const index = list.items.findIndex((row) => sameSup(row, event));
  if (index < 0) return { outcome: "unknown", list };
  if (!isNewer(event, list.items[index]!)) return { outcome: "stale", list };
  const items = list.items.slice();
  items[index] = event;
  return { outcome: "replaced", list: { ...list, items } };
}

export function applySupStatus(queryClient: QueryClient, event: SupStatusEvent): SupStatusMerge["outcome"] {
  const key = queryKeys.supSyncStatus();
  const merged = mergeSupStatus(queryClient.getQueryData<SupStatusListView>(key), event);
  if (merged.outcome === "replaced") queryClient.setQueryData(key, merged.list);
  if (merged.outcome === "unknown") void queryClient.invalidateQueries({ queryKey: key });
  return merged.outcome;
}

/** What the console last heard of each run (state and phase), to tell a state change from a progress event. */
export type RunMemory = Map<string, { state: RunState; phase: RunPhase | null }>;

/**
 * A `sync-run` event: the run's own key is replaced when cached (and the event is newer); rows of cached run lists
 * are patched in place. Lists are invalidated when their membership or order may change (a run the console has not
 * seen, or a new state), not on every progress event; the run's status messages when its state or phase changed
 * (that is when the server raises them); the catalog when a run succeeded.
 */
export function applySyncRun(queryClient: QueryClient, event: SyncRunEvent, memory: RunMemory): void {
  const detailKey = queryKeys.syncRun(event.id);
  const detail = queryClient.getQueryData<SyncRunView>(detailKey);
  let listed: SyncRunView | undefined;
  for (const [, page] of queryClient.getQueriesData<SyncRunPageView>({ queryKey: queryKeys.syncRunLists() })) {
    listed ??= page?.items.find((run) => run.id === event.id);
  }
  const known = memory.get(event.id) ?? detail ?? listed;
  if ((detail && !isNewer(event, detail)) || (!detail && listed && !isNewer(event, listed))) return;
  memory.set(event.id, { state: event.state, phase: event.phase });

  if (detail) queryClient.setQueryData(detailKey, event);
  queryClient.setQueriesData<SyncRunPageView>({ queryKey: queryKeys.syncRunLists() }, (page) => {
    if (!page) return page;
    const index = page.items.findIndex((run) => run.id === event.id);
    if (index < 0 || !isNewer(event, page.items[index]!)) return page;
    const items = page.items.slice();
    items[index] = event;
    return { ...page, items };
  });

  const stateChanged = known?.state !== event.state;
  if (stateChanged) void queryClient.invalidateQueries({ queryKey: queryKeys.syncRunLists() });
  if (stateChanged || known?.phase !== event.phase) {
    void queryClient.invalidateQueries({
      queryKey: queryKeys.statusMessages(),
      predicate: (query) => {
        const request = query.queryKey[1] as { runId?: string; site?: string } | undefined;
        return !request?.runId || request.runId === event.id;
      },
    });
  }
  if (event.state === "succeeded" && known?.state !== "succeeded") {
    void queryClient.invalidateQueries({ queryKey: queryKeys.softwareUpdates() });
  }
}

/**
 * A `sync-log` event: its lines are appended to the run's log when the log is cached or being fetched (the fetch
 * keeps what arrived meanwhile, see mergeFetchedLog). A log that is not fetched yet will have these lines anyway.
 */
export function applySyncLog(queryClient: QueryClient, event: SyncLogEvent): boolean {
  const key = queryKeys.syncRunLog(event.runId);
  const state = queryClient.getQueryState<RunLog>(key);
  if (!state || (state.data === undefined && state.fetchStatus !== "fetching")) return false;
  queryClient.setQueryData<RunLog>(key, (log) => appendLogLines(log ?? { lines: [], lastSeq: 0 }, event.lines));
  return true;
}

/**
 * After a reconnect, events may have been missed: refetch what they keep current. Logs are left to the renewed
 * subscriptions, which refetch them once the server has the socket in the run's room again (else lines written in
 * between would be lost).
 */
export function invalidateLiveKeys(queryClient: QueryClient): Promise<void> {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: queryKeys.supSyncStatus() }),
    queryClient.invalidateQueries({
      queryKey: queryKeys.syncRuns(),
      predicate: (query) => query.queryKey[1] !== "log",
    }),
    queryClient.invalidateQueries({ queryKey: queryKeys.statusMessages() }),
    queryClient.invalidateQueries({ queryKey: queryKeys.softwareUpdates() }),
  ]).then(() => undefined);
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Routes one server event to its cache update; payloads without the fields the update needs are dropped. */
export function applyServerEvent(queryClient: QueryClient, name: string, payload: unknown, memory: RunMemory): void {
  if (!isRecord(payload) || typeof payload.seq !== "number") return;
  switch (name) {
    case "sup-status":
      if (typeof payload.siteCode === "string") applySupStatus(queryClient, payload as unknown as SupStatusEvent);
      return;
    case "sync-run":
      if (typeof payload.id === "string") applySyncRun(queryClient, payload as unknown as SyncRunEvent, memory);
      return;
    case "sync-log":
      if (typeof payload.runId === "string" && Array.isArray(payload.lines)) {
        applySyncLog(queryClient, payload as unknown as SyncLogEvent);
      }
      return;
    default:
      // `alert`: no console view of alerts yet.
      return;
  }
}
