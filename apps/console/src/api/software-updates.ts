import type { CategoryDto, SoftwareUpdateDetails, SoftwareUpdatePage } from "@syncpoint/contracts";
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
  /** A classification GUID. */
  classification?: string;
  /** A product GUID. */
  product?: string;
  expired?: boolean;
  superseded?: boolean;
  /** `YYYY-MM-DD`: released on or after this day. */
  releasedFrom?: string;
  /** `YYYY-MM-DD`: released on or before this day (inclusive). */
  releasedTo?: string;
}

/** The filters of a request (no paging, no sort): what the CSV export and the list share. */
function filterParams(request: Omit<SoftwareUpdatesRequest, "page" | "pageSize">, params: URLSearchParams) {
  if (request.search) params.set("search", request.search);
  if (request.severity) params.set("severity", request.severity);
  if (request.classification) params.set("classification", request.classification);
  if (request.product) params.set("product", request.product);
  if (request.expired !== undefined) params.set("expired", String(request.expired));
  if (request.superseded !== undefined) params.set("superseded", String(request.superseded));
  if (request.releasedFrom) params.set("releasedFrom", request.releasedFrom);
  if (request.releasedTo) params.set("releasedTo", request.releasedTo);
  return params;
}

/** `page=2&pageSize=50&sort=-releaseDate&search=…&severity=…`: the parameters that are set, in a stable order. */
export function softwareUpdatesQueryString(request: SoftwareUpdatesRequest): string {
  const params = new URLSearchParams({
    page: String(request.page),
    pageSize: String(request.pageSize),
    sort: request.sort,
  });
  return filterParams(request, params).toString();
}

/** `GET /api/software-updates/export.csv?…`: the list's filters and sort, every matching row (streamed). */
export function softwareUpdatesExportUrl(request: Omit<SoftwareUpdatesRequest, "page" | "pageSize">): string {
  const params = filterParams(request, new URLSearchParams({ sort: request.sort }));
  return `/api/software-updates/export.csv?${params.toString()}`;
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

/** One update's Summary, Supersedence, bundled updates, revisions and files (the details pane). */
export function useSoftwareUpdateDetails(updateId: string | undefined) {
  return useQuery({
    queryKey: [...queryKeys.softwareUpdates(), "detail", updateId] as const,
    queryFn: ({ signal }) =>
      api.get<SoftwareUpdateDetails>(`/api/software-updates/${encodeURIComponent(updateId!)}`, signal),
    enabled: updateId !== undefined,
  });
}

/** The products or classifications known to the catalog, for the filters. */
export function useUpdateCategories(type: "product" | "classification") {
  return useQuery({
    queryKey: ["categories", type] as const,
    queryFn: ({ signal }) => api.get<{ items: CategoryDto[] }>(`/api/categories?type=${type}`, signal),
    staleTime: 5 * 60_000,
  });
}
