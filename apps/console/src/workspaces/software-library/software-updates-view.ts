// All Software Updates' view in the URL (?page=2&pageSize=200&sort=title&search=KB5044285&severity=Critical&
// classification=…&product=…&expired=false&superseded=true&releasedFrom=2025-01-01&releasedTo=2025-06-30&update=<id>):
// what the list shows, and the update whose details are open, survive a reload, Back and a shared link. Only what
// differs from the defaults is written.
import {
  UPDATE_SEVERITIES,
  UPDATE_SORTS,
  type SoftwareUpdatesRequest,
  type SoftwareUpdatesSort,
  type UpdateSeverity,
} from "../../api/software-updates.ts";

/** Updates a page unless the URL asks for another of `PAGE_SIZES` (the API takes up to 500; the rows are virtual). */
export const PAGE_SIZE = 50;
export const PAGE_SIZES = [50, 100, 200, 500] as const;
export type PageSize = (typeof PAGE_SIZES)[number];
export const DEFAULT_SORT: SoftwareUpdatesSort = "-releaseDate";

export interface UpdatesView {
  page: number;
  pageSize: PageSize;
  sort: SoftwareUpdatesSort;
  search: string;
  severity: UpdateSeverity | "";
  /** A classification GUID, or "" for any. */
  classification: string;
  /** A product GUID, or "" for any. */
  product: string;
  expired: TriState;
  superseded: TriState;
  /** `YYYY-MM-DD` or "". */
  releasedFrom: string;
  releasedTo: string;
  /** The update whose details are shown, or "". */
  update: string;
}

/** A yes/no filter: "" is either. */
export type TriState = "" | "true" | "false";

export const EMPTY_FILTERS = {
  search: "",
  severity: "",
  classification: "",
  product: "",
  expired: "",
  superseded: "",
  releasedFrom: "",
  releasedTo: "",
} as const satisfies Partial<UpdatesView>;

/** Whether any filter (not paging, sort or selection) is set. */
export const isFiltered = (view: UpdatesView) =>
  (Object.keys(EMPTY_FILTERS) as (keyof typeof EMPTY_FILTERS)[]).some((key) => view[key] !== "");

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const guid = (v: string | null) => (v && GUID.test(v.toLowerCase()) ? v.toLowerCase() : "");
const day = (v: string | null) => (v && DAY.test(v) && !Number.isNaN(Date.parse(v)) ? v : "");
const triState = (v: string | null): TriState => (v === "true" || v === "false" ? v : "");

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
  const pageSize = Number(params.get("pageSize"));
  const sort = params.get("sort");
  const severity = params.get("severity");
  return {
    page: Number.isInteger(page) && page >= 1 ? page : 1,
    pageSize: (PAGE_SIZES as readonly number[]).includes(pageSize) ? (pageSize as PageSize) : PAGE_SIZE,
    sort: (UPDATE_SORTS as readonly string[]).includes(sort ?? "") ? (sort as SoftwareUpdatesSort) : DEFAULT_SORT,
    search: (params.get("search") ?? "").trim().slice(0, 200),
    severity: (UPDATE_SEVERITIES as readonly string[]).includes(severity ?? "") ? (severity as UpdateSeverity) : "",
    classification: guid(params.get("classification")),
    product: guid(params.get("product")),
    expired: triState(params.get("expired")),
    superseded: triState(params.get("superseded")),
    releasedFrom: day(params.get("releasedFrom")),
    releasedTo: day(params.get("releasedTo")),
    update: guid(params.get("update")),
  };
}

export function updatesViewParams(view: UpdatesView): URLSearchParams {
  const params = new URLSearchParams();
  if (view.search) params.set("search", view.search);
  if (view.severity) params.set("severity", view.severity);
  if (view.classification) params.set("classification", view.classification);
  if (view.product) params.set("product", view.product);
  if (view.expired) params.set("expired", view.expired);
  if (view.superseded) params.set("superseded", view.superseded);
  if (view.releasedFrom) params.set("releasedFrom", view.releasedFrom);
  if (view.releasedTo) params.set("releasedTo", view.releasedTo);
  if (view.update) params.set("update", view.update);
  if (view.sort !== DEFAULT_SORT) params.set("sort", view.sort);
  if (view.page !== 1) params.set("page", String(view.page));
  if (view.pageSize !== PAGE_SIZE) params.set("pageSize", String(view.pageSize));
  return params;
}

export function updatesRequest(view: UpdatesView): SoftwareUpdatesRequest {
  return {
    page: view.page,
    pageSize: view.pageSize,
    sort: view.sort,
    ...(view.search ? { search: view.search } : {}),
    ...(view.severity ? { severity: view.severity } : {}),
    ...(view.classification ? { classification: view.classification } : {}),
    ...(view.product ? { product: view.product } : {}),
    ...(view.expired ? { expired: view.expired === "true" } : {}),
    ...(view.superseded ? { superseded: view.superseded === "true" } : {}),
    ...(view.releasedFrom ? { releasedFrom: view.releasedFrom } : {}),
    ...(view.releasedTo ? { releasedTo: view.releasedTo } : {}),
  };
}

/** Another page size: the page that holds the first update shown now. */
export function withPageSize(view: UpdatesView, pageSize: PageSize): Pick<UpdatesView, "page" | "pageSize"> {
  return { page: Math.floor(((view.page - 1) * view.pageSize) / pageSize) + 1, pageSize };
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
export const kbUrl = (kb: string) => `https://support.microsoft.com/kb/${encodeURIComponent(kbNumber(kb))}`;
export const cveUrl = (cve: string) => `https://www.cve.org/CVERecord?id=${encodeURIComponent(cve)}`;

/** The list's columns, in order; Title is always shown. */
export const UPDATE_COLUMNS = [
  "title",
  "articleId",
  "bulletinId",
  "classification",
  "product",
  "severity",
  "releaseDate",
  "expired",
  "superseded",
  "maxRunTime",
] as const;
export type UpdateColumn = (typeof UPDATE_COLUMNS)[number];
/** Shown until the user chooses otherwise (as in the ConfigMgr console, Bulletin ID and Maximum Run Time are not). */
export const DEFAULT_COLUMNS: readonly UpdateColumn[] = UPDATE_COLUMNS.filter(
  (c) => c !== "bulletinId" && c !== "maxRunTime",
);
export const COLUMNS_STORAGE_KEY = "syncpoint.softwareUpdates.columns";

/** The columns saved by the column chooser, or the defaults; unknown names are dropped, Title is always there. */
export function readColumns(storage: Pick<Storage, "getItem"> | undefined): UpdateColumn[] {
  let saved: unknown;
  try {
    saved = JSON.parse(storage?.getItem(COLUMNS_STORAGE_KEY) ?? "null");
  } catch {
    saved = null;
  }
  if (!Array.isArray(saved)) return [...DEFAULT_COLUMNS];
  return UPDATE_COLUMNS.filter((c) => c === "title" || saved.includes(c));
}

export function saveColumns(storage: Pick<Storage, "setItem"> | undefined, columns: readonly UpdateColumn[]) {
  try {
    storage?.setItem(COLUMNS_STORAGE_KEY, JSON.stringify(UPDATE_COLUMNS.filter((c) => columns.includes(c))));
  } catch {
    // Private mode or a full quota: the choice lasts until the page is left.
  }
}
