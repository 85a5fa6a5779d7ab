// Synchronization: start and cancel runs, the SUP status list, runs, their status messages and logs. The lists and
// runs are kept current by socket events (src/realtime/cache.ts) on the keys used here.
import type {
  StartSyncRequest,
  StartSyncResponse,
  StatusMessagePage,
  SupState,
  SyncRunDto,
} from "@syncpoint/contracts";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useLiveQueryOptions, useRunLogSubscription } from "../realtime/RealtimeProvider.tsx";
import type { SupStatusListView, SyncRunPageView, SyncRunView } from "../realtime/cache.ts";
import { api, apiText } from "./client.ts";
import { queryKeys } from "./query-keys.ts";
import { mergeFetchedLog, parseLogText, type RunLog } from "./run-log.ts";

export interface SyncRunsRequest {
  page: number;
  pageSize: number;
  site?: string;
}

export interface StatusMessagesRequest {
  runId?: string;
  site?: string;
  sort: "time" | "-time";
  page: number;
  pageSize: number;
}

const queryString = (values: Record<string, string | number | undefined>) => {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(values))
    if (value !== undefined && value !== "") params.set(name, String(value));
  return params.toString();
};

export const syncRunsQueryString = (request: SyncRunsRequest) =>
  queryString({ page: request.page, pageSize: request.pageSize, site: request.site });

export const statusMessagesQueryString = (request: StatusMessagesRequest) =>
  queryString({
    runId: request.runId,
    site: request.site,
    sort: request.sort,
    page: request.page,
    pageSize: request.pageSize,
  });

/**
 * Monitoring › Software Update Point Synchronization Status. Fetched once: `sup-status` events replace its rows, and
 * only a reconnect (or the socket being down) makes it load again — also not on focus, nor when a page showing it
 * mounts again, nor after the five minutes an unused query is normally kept.
 */
export function useSupSyncStatus() {
  return useQuery({
    queryKey: queryKeys.supSyncStatus(),
    queryFn: ({ signal }) => api.get<SupStatusListView>("/api/sup-sync-status", signal),
    ...useLiveQueryOptions(),
    gcTime: Infinity,
  });
}

export function useSyncRuns(request: SyncRunsRequest) {
  return useQuery({
    queryKey: queryKeys.syncRunList(request),
    queryFn: ({ signal }) => api.get<SyncRunPageView>(`/api/sync-runs?${syncRunsQueryString(request)}`, signal),
    ...useLiveQueryOptions(),
    placeholderData: keepPreviousData,
  });
}

export function useSyncRun(id: string) {
  return useQuery({
    queryKey: queryKeys.syncRun(id),
    queryFn: ({ signal }) => api.get<SyncRunView>(`/api/sync-runs/${encodeURIComponent(id)}`, signal),
    ...useLiveQueryOptions(),
  });
}

export function useStatusMessages(request: StatusMessagesRequest, enabled = true) {
  const live = useLiveQueryOptions();
  return useQuery({
    queryKey: queryKeys.statusMessagesOf(request),
    queryFn: ({ signal }) =>
      api.get<StatusMessagePage>(`/api/status-messages?${statusMessagesQueryString(request)}`, signal),
    ...live,
    enabled: live.enabled && enabled,
  });
}

export const runLogUrl = (id: string) => `/api/sync-runs/${encodeURIComponent(id)}/log`;

/** GET /api/sync-runs/:id/log: the wsyncmgr.log lines and the last one's seq (X-Log-Seq). */
export async function fetchRunLog(id: string, signal?: AbortSignal): Promise<RunLog> {
  const { text, headers } = await apiText(runLogUrl(id), signal);
  const seq = Number(headers.get("X-Log-Seq"));
  return parseLogText(text, Number.isFinite(seq) ? seq : 0);
}

/**
 * A run's log, followed live: `subscribe {runId}` while mounted, the log loaded once the server acknowledged it (so
 * that no line falls between the fetch and the first event), then `sync-log` events appended.
 */
export function useRunLog(id: string) {
  const queryClient = useQueryClient();
  const subscription = useRunLogSubscription(id);
  const live = useLiveQueryOptions();
  const key = queryKeys.syncRunLog(id);
  const query = useQuery({
    queryKey: key,
    queryFn: async ({ signal }) =>
      mergeFetchedLog(await fetchRunLog(id, signal), queryClient.getQueryData<RunLog>(key)),
    ...live,
    enabled: subscription.ready,
  });
  return { ...query, live: subscription.live };
}

/** After a start or cancel: the run lists and the audit trail changed; the status rows follow by events. */
function useInvalidateRuns() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: queryKeys.syncRunLists() }),
      queryClient.invalidateQueries({ queryKey: queryKeys.audit() }),
    ]);
}

/** Synchronize Software Updates: a site-wide sync from the top-level site. 409 SYNC_ALREADY_ACTIVE names the run. */
export function useStartSync() {
  const invalidate = useInvalidateRuns();
  return useMutation({
    mutationFn: (request: StartSyncRequest) => api.post<StartSyncResponse>("/api/sync", request),
    onSettled: () => invalidate(),
  });
}

export function useCancelRun() {
  const queryClient = useQueryClient();
  const invalidate = useInvalidateRuns();
  return useMutation({
    mutationFn: (id: string) => api.post<SyncRunDto>(`/api/sync-runs/${encodeURIComponent(id)}/cancel`),
    onSuccess: (run) => {
      // Unless an event already told something newer (events carry a seq; this answer does not).
      const key = queryKeys.syncRun(run.id);
      const cached = queryClient.getQueryData<SyncRunView>(key);
      if (!cached || cached.seq === undefined) queryClient.setQueryData(key, run);
      else void queryClient.invalidateQueries({ queryKey: key, exact: true });
    },
    onSettled: () => invalidate(),
  });
}

/** The status page's filters, as `GET /api/sup-sync-status` takes them. */
export interface SupStatusFilters {
  state?: SupState | undefined;
  parent?: string | undefined;
  search?: string | undefined;
}

export const supStatusQueryString = (filters: SupStatusFilters) =>
  queryString({ state: filters.state, parent: filters.parent, search: filters.search });

/**
 * The status list filtered on the server. Without filters it is the live list itself; with some, its key is below
 * the list's, so that `sup-status` events make it refetch (src/realtime/cache.ts).
 */
export function useFilteredSupSyncStatus(filters: SupStatusFilters) {
  const query = supStatusQueryString(filters);
  const live = useLiveQueryOptions();
  return useQuery({
    queryKey: query ? [...queryKeys.supSyncStatus(), filters] : queryKeys.supSyncStatus(),
    queryFn: ({ signal }) => api.get<SupStatusListView>(`/api/sup-sync-status${query ? `?${query}` : ""}`, signal),
    ...live,
    ...(query ? {} : { gcTime: Infinity }),
    placeholderData: keepPreviousData,
  });
}

/** Retry a failed or canceled run: a new run with trigger `retry`. 409 while the site has an active run. */
export function useRetryRun() {
  const invalidate = useInvalidateRuns();
  return useMutation({
    mutationFn: (id: string) => api.post<StartSyncResponse>(`/api/sync-runs/${encodeURIComponent(id)}/retry`),
    onSettled: () => invalidate(),
  });
}
