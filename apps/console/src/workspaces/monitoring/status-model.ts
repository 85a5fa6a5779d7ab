// The status rows as the summary tiles, the filters and the hierarchy view see them. Pure functions, shared by
// SupSyncStatusPage, SiteSyncPage and HierarchyPage.
import { SupState, type SupSyncStatusRow } from "@syncpoint/contracts";
import { monitoring } from "../definitions.ts";

/** What a tile counts: each software update point once, by the first that applies (as the server's summary). */
export type StatusTile = "inProgress" | "failed" | "never" | "behind" | "inSync";
export const STATUS_TILES: readonly StatusTile[] = ["inSync", "inProgress", "failed", "behind", "never"];

export type StatusSummary = Record<StatusTile, number>;

type TileRow = Pick<SupSyncStatusRow, "state"> &
  Partial<Pick<SupSyncStatusRow, "siteCode" | "parentCode" | "catalogVersion">>;

/** The catalog version of each site, to tell whether a site is behind its parent. */
export function catalogVersions(rows: readonly TileRow[]): Map<string, number> {
  const versions = new Map<string, number>();
  for (const row of rows)
    if (row.siteCode !== undefined && row.catalogVersion !== undefined) versions.set(row.siteCode, row.catalogVersion);
  return versions;
}

export function tileOf(row: TileRow, versions: ReadonlyMap<string, number>): StatusTile {
  const { state } = row;
  if (state === "queued" || state === "running" || state === "canceling") return "inProgress";
  if (state === "failed") return "failed";
  if (state === "never") return "never";
  const parentVersion = row.parentCode ? versions.get(row.parentCode) : undefined;
  if (parentVersion !== undefined && row.catalogVersion !== undefined && row.catalogVersion < parentVersion)
    return "behind";
  return "inSync";
}

/** The tiles above the table: in sync, synchronizing, failed, behind their parent, never synchronized. */
export function summarize(rows: readonly TileRow[]): StatusSummary {
  const summary: StatusSummary = { inSync: 0, inProgress: 0, failed: 0, behind: 0, never: 0 };
  const versions = catalogVersions(rows);
  for (const row of rows) summary[tileOf(row, versions)] += 1;
  return summary;
}

/** The status page's `state` parameter: a run state (filtered on the server) or a tile (filtered here). */
export type StateFilter = SupState | StatusTile;

export function parseStateFilter(value: string | null): StateFilter | undefined {
  if (!value) return undefined;
  if ((STATUS_TILES as readonly string[]).includes(value)) return value as StatusTile;
  const state = SupState.safeParse(value);
  return state.success ? state.data : undefined;
}

/** A tile that is also one server state filters on the server; the others on the rows the server sent. */
export function serverState(filter: StateFilter | undefined): SupState | undefined {
  if (filter === undefined) return undefined;
  if (filter === "failed" || filter === "never") return filter;
  if ((STATUS_TILES as readonly string[]).includes(filter)) return undefined;
  return filter as SupState;
}

export const isTile = (filter: StateFilter | undefined): filter is StatusTile =>
  filter !== undefined && (STATUS_TILES as readonly string[]).includes(filter);

/** Monitoring › a site's synchronization: its runs, their chart, its status messages. */
export const siteSyncPath = (siteCode: string) => `${monitoring.path}/sites/${encodeURIComponent(siteCode)}`;
