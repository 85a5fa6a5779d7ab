// The Audit page's state lives in the URL (?actor=…&action=…&outcome=…&from=…&to=…&page=…&pageSize=…&sort=…), so a
// filtered view can be bookmarked, shared and navigated with Back. Dates are calendar days in the browser's time zone;
// the API gets them as the instants where those days begin and end.
import type { AuditOutcome } from "@syncpoint/contracts";
import type { AuditRequest, AuditSort } from "../../../api/audit.ts";

export const PAGE_SIZES = [25, 50, 100, 200] as const;
export const DEFAULT_PAGE_SIZE = 50;
export const DEFAULT_SORT: AuditSort = "-at";

export interface AuditFilters {
  actor: string;
  /** A prefix of the action name: `user.` or `auth.login`. */
  action: string;
  outcome: AuditOutcome | "";
  /** YYYY-MM-DD, or "" for no bound. */
  from: string;
  to: string;
}

export interface AuditView {
  filters: AuditFilters;
  page: number;
  pageSize: number;
  sort: AuditSort;
}

export const NO_FILTERS: AuditFilters = { actor: "", action: "", outcome: "", from: "", to: "" };

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The local date of a YYYY-MM-DD day at the given time, or undefined for anything that is not a real day. */
function localDay(day: string, hours: number, minutes: number, seconds: number, ms: number): Date | undefined {
  const match = DAY.exec(day);
  if (!match) return undefined;
  const [year, month, date] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const value = new Date(year, month - 1, date, hours, minutes, seconds, ms);
  return value.getFullYear() === year && value.getMonth() === month - 1 && value.getDate() === date ? value : undefined;
}

export const isDay = (day: string) => localDay(day, 0, 0, 0, 0) !== undefined;

function positiveInt(value: string | null, fallback: number): number {
  const number = Number(value);
  return value !== null && Number.isInteger(number) && number >= 1 ? number : fallback;
}

export function readAuditView(params: URLSearchParams): AuditView {
  const outcome = params.get("outcome");
  const pageSize = positiveInt(params.get("pageSize"), DEFAULT_PAGE_SIZE);
  const day = (name: string) => {
    const value = params.get(name) ?? "";
    return isDay(value) ? value : "";
  };
  return {
    filters: {
      actor: params.get("actor")?.trim() ?? "",
      action: params.get("action")?.trim() ?? "",
      outcome: outcome === "success" || outcome === "failure" ? outcome : "",
      from: day("from"),
      to: day("to"),
    },
    page: positiveInt(params.get("page"), 1),
    pageSize: (PAGE_SIZES as readonly number[]).includes(pageSize) ? pageSize : DEFAULT_PAGE_SIZE,
    sort: params.get("sort") === "at" ? "at" : DEFAULT_SORT,
  };
}

/** The URL parameters for a view: only what differs from the defaults. */
export function auditViewParams(view: AuditView): URLSearchParams {
  const params = new URLSearchParams();
  for (const name of ["actor", "action", "outcome", "from", "to"] as const) {
    if (view.filters[name]) params.set(name, view.filters[name]);
  }
  if (view.page !== 1) params.set("page", String(view.page));
  if (view.pageSize !== DEFAULT_PAGE_SIZE) params.set("pageSize", String(view.pageSize));
  if (view.sort !== DEFAULT_SORT) params.set("sort", view.sort);
  return params;
}

/** What to ask the API for: the filters that are set, the days as the instants where they begin and end. */
export function auditRequest(view: AuditView): AuditRequest {
  const { actor, action, outcome, from, to } = view.filters;
  return {
    page: view.page,
    pageSize: view.pageSize,
    sort: view.sort,
    ...(actor ? { actor } : {}),
    ...(action ? { action } : {}),
    ...(outcome ? { outcome } : {}),
    ...(from ? { from: localDay(from, 0, 0, 0, 0)?.toISOString() } : {}),
    ...(to ? { to: localDay(to, 23, 59, 59, 999)?.toISOString() } : {}),
  };
}
