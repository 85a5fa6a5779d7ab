// All Software Updates' view in the URL (?page=2&sort=title&search=KB5044285&severity=Critical): what the list
// shows survives a reload, Back and a shared link. Only what differs from the defaults is written.
import {
  UPDATE_SEVERITIES,
  UPDATE_SORTS,
  type SoftwareUpdatesRequest,
  type SoftwareUpdatesSort,
  type UpdateSeverity,
} from "../../api/software-updates.ts";

export const PAGE_SIZE = 50;
export const DEFAULT_SORT: SoftwareUpdatesSort = "-releaseDate";

export interface UpdatesView {
  page: number;
  sort: SoftwareUpdatesSort;
  search: string;
  severity: UpdateSeverity | "";
}

/** The sortable columns, and the direction each one sorts in first (newest, most severe first; names A to Z). */
export type SortColumn = "title" | "kb" | "severity" | "releaseDate";
const FIRST_DIRECTION: Record<SortColumn, SoftwareUpdatesSort> = {
  title: "title",
  kb: "kb",
  severity: "-severity",
  releaseDate: "-releaseDate",
};

export function readUpdatesView(params: URLSearchParams): UpdatesView {
  const page = Number(params.get("page"));
  const sort = params.get("sort");
  const severity = params.get("severity");
  return {
    page: Number.isInteger(page) && page >= 1 ? page : 1,
    sort: (UPDATE_SORTS as readonly string[]).includes(sort ?? "") ? (sort as SoftwareUpdatesSort) : DEFAULT_SORT,
    search: (params.get("search") ?? "").trim().slice(0, 200),
    severity: (UPDATE_SEVERITIES as readonly string[]).includes(severity ?? "") ? (severity as UpdateSeverity) : "",
  };
}

export function updatesViewParams(view: UpdatesView): URLSearchParams {
  const params = new URLSearchParams();
  if (view.search) params.set("search", view.search);
  if (view.severity) params.set("severity", view.severity);
  if (view.sort !== DEFAULT_SORT) params.set("sort", view.sort);
  if (view.page !== 1) params.set("page", String(view.page));
  return params;
}

export function updatesRequest(view: UpdatesView): SoftwareUpdatesRequest {
  return {
    page: view.page,
    pageSize: PAGE_SIZE,
    sort: view.sort,
    ...(view.search ? { search: view.search } : {}),
    ...(view.severity ? { severity: view.severity } : {}),
  };
}

/** How a column is sorted now, for aria-sort; undefined when the list is sorted by another column. */
export function sortDirection(sort: SoftwareUpdatesSort, column: SortColumn): "ascending" | "descending" | undefined {
  if (sort === column) return "ascending";
  if (sort === `-${column}`) return "descending";
  return undefined;
}

/** Clicking a column header: the other direction if the list is sorted by it, else its first direction. */
export function nextSort(sort: SoftwareUpdatesSort, column: SortColumn): SoftwareUpdatesSort {
  const direction = sortDirection(sort, column);
  if (direction === undefined) return FIRST_DIRECTION[column];
  return (direction === "ascending" ? `-${column}` : column) as SoftwareUpdatesSort;
}

/** `5044285` or `KB5044285` → the number, for the KB link and the KB5044285 label. */
export const kbNumber = (kb: string) => kb.replace(/^KB/i, "");
export const kbUrl = (kb: string) => `https://support.microsoft.com/help/${encodeURIComponent(kbNumber(kb))}`;
