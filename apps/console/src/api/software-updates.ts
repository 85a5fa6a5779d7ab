import type { SoftwareUpdatePage } from "@syncpoint/contracts";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { api } from "./client.ts";
import { queryKeys } from "./query-keys.ts";

export const UPDATE_SORTS = [
  "-releaseDate",
  "releaseDate",
  "title",
  "-title",
  "severity",
  "-severity",
  "kb",
  "-kb",
] as const;
export type SoftwareUpdatesSort = (typeof UPDATE_SORTS)[number];

export const UPDATE_SEVERITIES = ["Critical", "Important", "Moderate", "Low", "None"] as const;
export type UpdateSeverity = (typeof UPDATE_SEVERITIES)[number];

/** One page of All Software Updates, as GET /api/software-updates takes it. */
export interface SoftwareUpdatesRequest {
  page: number;
  pageSize: number;
  sort: SoftwareUpdatesSort;
  /** Title, KB article, CVE or bulletin. */
  search?: string;
  severity?: UpdateSeverity;
}

/** `page=2&pageSize=50&sort=-releaseDate&search=…&severity=…`: the parameters that are set, in a stable order. */
export function softwareUpdatesQueryString(request: SoftwareUpdatesRequest): string {
  const params = new URLSearchParams({
    page: String(request.page),
    pageSize: String(request.pageSize),
    sort: request.sort,
  });
  if (request.search) params.set("search", request.search);
  if (request.severity) params.set("severity", request.severity);
  return params.toString();
}

export function useSoftwareUpdates(request: SoftwareUpdatesRequest) {
  return useQuery({
    queryKey: queryKeys.softwareUpdatesPage(request),
    queryFn: ({ signal }) =>
      api.get<SoftwareUpdatePage>(`/api/software-updates?${softwareUpdatesQueryString(request)}`, signal),
    // While the next page loads, the current one stays (and says it is updating) instead of a blank table.
    placeholderData: keepPreviousData,
  });
}
