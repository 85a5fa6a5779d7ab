import type { AuditOutcome, AuditPage } from "@syncpoint/contracts";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { api } from "./client.ts";
import { queryKeys } from "./query-keys.ts";

export type AuditSort = "at" | "-at";

/** One page of the audit trail, as GET /api/audit takes it; times are ISO-8601 instants. */
export interface AuditRequest {
  page: number;
  pageSize: number;
  sort: AuditSort;
  actor?: string;
  /** A prefix: `user.` matches user.create, user.update, … */
  action?: string;
  outcome?: AuditOutcome;
  from?: string;
  to?: string;
}

/** `page=2&pageSize=50&sort=-at&actor=…`: the parameters that are set, in a stable order. */
export function auditQueryString(request: AuditRequest): string {
  const params = new URLSearchParams({
    page: String(request.page),
    pageSize: String(request.pageSize),
    sort: request.sort,
  });
  for (const name of ["actor", "action", "outcome", "from", "to"] as const) {
    const value = request[name];
    if (value) params.set(name, value);
  }
  return params.toString();
}

export function useAuditPage(request: AuditRequest) {
  return useQuery({
    queryKey: queryKeys.auditPage(request),
    queryFn: ({ signal }) => api.get<AuditPage>(`/api/audit?${auditQueryString(request)}`, signal),
    // While the next page loads, the current one stays (and says it is updating) instead of a blank table.
    placeholderData: keepPreviousData,
  });
}
