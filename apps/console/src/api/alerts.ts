// Monitoring › Alerts: the lists, the active count beside the navigation node, and Acknowledge. `alert` socket events
// keep the cached lists current (src/realtime/cache.ts).
import type { AlertDto, AlertPage, AlertState } from "@syncpoint/contracts";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useLiveQueryOptions } from "../realtime/RealtimeProvider.tsx";
import { applyAlert, byRaisedDescending, type AlertView } from "../realtime/cache.ts";
import { api } from "./client.ts";
import { queryKeys } from "./query-keys.ts";

/** Which alerts a list shows: `open` (active and acknowledged, the default), one state, or all of them. */
export type AlertsFilter = "open" | AlertState | "all";

export interface AlertsRequest {
  filter: AlertsFilter;
  /** Ignored for `open`, which is one complete list (see fetchOpenAlerts). */
  page: number;
  pageSize: number;
}

export interface AlertListView extends Omit<AlertPage, "items"> {
  items: AlertView[];
  /** `open` only: there were more open alerts than one request returns, and the oldest are not listed. */
  truncated?: boolean;
}

/** The most the API returns at once. */
const MAX_PAGE_SIZE = 500;

export function alertsQueryString(state: AlertState | undefined, page: number, pageSize: number): string {
  const params = new URLSearchParams({ page: String(page), pageSize: String(pageSize), sort: "-raisedAt" });
  if (state) params.set("state", state);
  return params.toString();
}

/**
 * Active and acknowledged alerts, as one list. The API filters by one state at a time; open alerts are few (one per
 * condition: a site's failed or stalled sync, new products), so both states are fetched whole and merged, and the
 * list needs no paging — which also lets events insert and remove rows in it exactly.
 */
async function fetchOpenAlerts(signal: AbortSignal): Promise<AlertListView> {
  const [active, acknowledged] = await Promise.all(
    (["active", "acknowledged"] as const).map((state) =>
      api.get<AlertPage>(`/api/alerts?${alertsQueryString(state, 1, MAX_PAGE_SIZE)}`, signal),
    ),
  );
  const items = [...active!.items, ...acknowledged!.items].sort(byRaisedDescending);
  return {
    items,
    total: items.length,
    page: 1,
    pageSize: items.length,
    truncated: active!.total > active!.items.length || acknowledged!.total > acknowledged!.items.length,
  };
}

export function useAlerts(request: AlertsRequest) {
  return useQuery({
    queryKey: queryKeys.alertList(request),
    queryFn: ({ signal }) =>
      request.filter === "open"
        ? fetchOpenAlerts(signal)
        : api.get<AlertListView>(
            `/api/alerts?${alertsQueryString(
              request.filter === "all" ? undefined : request.filter,
              request.page,
              request.pageSize,
            )}`,
            signal,
          ),
    ...useLiveQueryOptions(),
    placeholderData: keepPreviousData,
  });
}

/** How many alerts are active (raised and not acknowledged): the number beside Monitoring › Alerts. */
export function useActiveAlertCount() {
  return useQuery({
    queryKey: queryKeys.activeAlertCount(),
    queryFn: async ({ signal }) =>
      (await api.get<AlertPage>(`/api/alerts?${alertsQueryString("active", 1, 1)}`, signal)).total,
    ...useLiveQueryOptions(),
  });
}

export function useAcknowledgeAlert() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<AlertDto>(`/api/alerts/${encodeURIComponent(id)}/acknowledge`),
    // The answer is the acknowledged alert: into the lists as an event would put it (unless one told something newer).
    onSuccess: (alert) => applyAlert(queryClient, alert),
    onError: () => queryClient.invalidateQueries({ queryKey: queryKeys.alerts() }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.audit() }),
  });
}
