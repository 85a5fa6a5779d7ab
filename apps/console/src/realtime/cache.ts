// What each socket event does to the query cache. REST stays the source of truth: an event patches the keys that
// REST filled (never creates a list out of nothing), and whatever an event cannot patch is invalidated, so that a
// refetch heals it. Pure functions of (cache, event), tested without a socket.
import type {
  AlertDto,
  AlertState,
  RunPhase,
  RunState,
  SupSyncStatusRow,
  SyncLogEvent,
  SyncRunDto,
  SyncRunPage,
} from "@syncpoint/contracts";
import type { QueryClient } from "@tanstack/react-query";
import type { AlertListView, AlertsRequest } from "../api/alerts.ts";
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
  if (index < 0) return event.removed ? { outcome: "stale", list } : { outcome: "unknown", list };
  if (!isNewer(event, list.items[index]!)) return { outcome: "stale", list };
  const items = list.items.slice();
  // A removed site's last row: it leaves the list.
  if (event.removed) items.splice(index, 1);
  else items[index] = event;
  return { outcome: "replaced", list: { ...list, items } };
}

export function applySupStatus(queryClient: QueryClient, event: SupStatusEvent): SupStatusMerge["outcome"] {
  const key = queryKeys.supSyncStatus();
  const all = queryClient.getQueryData<SupStatusListView>(key);
  const before = all?.items.find((row) => sameSup(row, event));
  const merged = mergeSupStatus(all, event);
  if (merged.outcome === "replaced") queryClient.setQueryData(key, merged.list);
  if (merged.outcome === "unknown") void queryClient.invalidateQueries({ queryKey: key, exact: true });
  // Filtered lists (state, parent, search; keyed below the list's key). Parent and search do not change with events:
  // a row enters or leaves one only when its state changes, and then the server decides again. Otherwise (progress)
  // the row is patched in place; a removed site leaves every list.
  for (const [filteredKey, list] of queryClient.getQueriesData<SupStatusListView>({ queryKey: key })) {
    if (filteredKey.length === key.length || !list) continue;
    const listed = list.items.find((row) => sameSup(row, event));
    const sameState = (listed ?? before)?.state === event.state;
    if (event.removed || (listed && sameState)) {
      const filtered = mergeSupStatus(list, event);
      if (filtered.outcome === "replaced") queryClient.setQueryData(filteredKey, filtered.list);
    } else if (!sameState) {
      void queryClient.invalidateQueries({ queryKey: filteredKey, exact: true });
    }
  }
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

/** An alert as cached: from REST, or the newest `alert` event (with its `seq`) or Acknowledge answer applied to it. */
export type AlertView = AlertDto & { seq?: number };

/** Newest raised first, as the API sorts alerts. */
export const byRaisedDescending = (a: AlertDto, b: AlertDto) =>
  b.raisedAt.localeCompare(a.raisedAt) || a.id.localeCompare(b.id);

/** Every change of an alert moves `updatedAt` on; of two versions with the same one, an event's seq decides. */
function isNewerAlert(
  next: Pick<AlertView, "updatedAt" | "seq">,
  current: Pick<AlertView, "updatedAt" | "seq">,
): boolean {
  const order = next.updatedAt.localeCompare(current.updatedAt);
  if (order !== 0) return order > 0;
  return next.seq === undefined || current.seq === undefined || next.seq > current.seq;
}

function alertMatches(filter: AlertsRequest["filter"], state: AlertState): boolean {
  if (filter === "all") return true;
  if (filter === "open") return state !== "canceled";
  return filter === state;
}

export type AlertMerge =
  | { outcome: "unchanged" }
  | { outcome: "patched"; list: AlertListView }
  /** The list's rows or paging would change in a way only the server can tell: refetch it. */
  | { outcome: "refetch" };

/**
 * An alert into one cached list. The open list is complete (see fetchOpenAlerts), so the alert is inserted, replaced
 * or removed in place, newest raised first. A paged list (one state, or all) is patched only where the alert already
 * is and still belongs; when it joins or leaves the list, the pages shift, and the list is refetched.
 */
export function mergeAlert(request: AlertsRequest, list: AlertListView, alert: AlertView): AlertMerge {
  const index = list.items.findIndex((item) => item.id === alert.id);
  const present = index >= 0;
  if (present && !isNewerAlert(alert, list.items[index]!)) return { outcome: "unchanged" };
  const matches = alertMatches(request.filter, alert.state);
  if (!present && !matches) return { outcome: "unchanged" };
  if (request.filter !== "open") {
    if (!present || !matches) return { outcome: "refetch" };
    const items = list.items.slice();
    items[index] = alert;
    return { outcome: "patched", list: { ...list, items } };
  }
  const others = list.items.filter((item) => item.id !== alert.id);
  const items = matches ? [...others, alert].sort(byRaisedDescending) : others;
  return { outcome: "patched", list: { ...list, items, total: items.length, pageSize: Math.max(1, items.length) } };
}

/**
 * The newest version of each alert the socket brought. Lists drop alerts that leave them (the open list, a cleared
 * alert): without this, a late older event would bring such an alert back.
 */
export type AlertMemory = Map<string, Pick<AlertView, "updatedAt" | "seq">>;

/**
 * An `alert` event (or an Acknowledge answer): patches or refetches the cached alert lists, and refetches the active
 * count, which any change of state may move.
 */
export function applyAlert(queryClient: QueryClient, alert: AlertView, memory?: AlertMemory): void {
  if (memory) {
    const known = memory.get(alert.id);
    if (known && !isNewerAlert(alert, known)) return;
    memory.set(alert.id, { updatedAt: alert.updatedAt, seq: alert.seq });
  }
  for (const query of queryClient.getQueryCache().findAll({ queryKey: queryKeys.alertLists() })) {
    const list = query.state.data as AlertListView | undefined;
    const request = query.queryKey[2] as AlertsRequest | undefined;
    if (!list || !request) continue;
    const merged = mergeAlert(request, list, alert);
    if (merged.outcome === "patched") queryClient.setQueryData(query.queryKey, merged.list);
    if (merged.outcome === "refetch") void queryClient.invalidateQueries({ queryKey: query.queryKey, exact: true });
  }
  void queryClient.invalidateQueries({ queryKey: queryKeys.activeAlertCount() });
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
    queryClient.invalidateQueries({ queryKey: queryKeys.alerts() }),
  ]).then(() => undefined);
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Routes one server event to its cache update; payloads without the fields the update needs are dropped. */
export function applyServerEvent(
  queryClient: QueryClient,
  name: string,
  payload: unknown,
  memory: RunMemory,
  alertMemory?: AlertMemory,
): void {
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
    case "alert":
      if (
        typeof payload.id === "string" &&
        typeof payload.state === "string" &&
        typeof payload.updatedAt === "string"
      ) {
        applyAlert(queryClient, payload as unknown as AlertView, alertMemory);
      }
      return;
    default:
      return;
  }
}
