import { SupState } from "@syncpoint/contracts";
import type { TFunction } from "i18next";
import { useEffect, useId, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import { useFilteredSupSyncStatus, useSupSyncStatus, type SupStatusFilters } from "../../api/sync.ts";
import { Breakable } from "../../components/Breakable.tsx";
import { FormField, SelectField } from "../../components/FormField.tsx";
import { queryStateMessage } from "../../components/LoadError.tsx";
import { useVirtualRows, type VirtualRowProps } from "../../components/VirtualRows.tsx";
import { useDateTimeFormat, useNumberFormat } from "../../i18n/format.ts";
import { syncSourceLabel } from "../../i18n/labels.ts";
import { errorCodeMeaning, linkStateLabel, statusMessageText, syncStateLabel } from "../../i18n/sync-labels.ts";
import type { SupStatusRowView } from "../../realtime/cache.ts";
import { NodePage, type NodePageProps } from "../NodePage.tsx";
import { syncRunPath as runPath } from "../definitions.ts";
import {
  catalogVersions,
  isTile,
  parseStateFilter,
  serverState,
  siteSyncPath,
  STATUS_TILES,
  summarize,
  tileOf,
  type StateFilter,
  type StatusTile,
} from "./status-model.ts";
import { isActive, SyncProgress } from "./SyncProgress.tsx";

export { summarize, type StatusSummary } from "./status-model.ts";

const SITE_CODE = /^[A-Za-z0-9]{3}$/;
/** The search box asks the server once typing pauses this long. */
const SEARCH_DELAY_MS = 300;

/** The filters, from the page's URL (so that a filtered view can be shared and survives a reload). */
export function filtersOf(params: URLSearchParams): { state?: StateFilter; parent?: string; search?: string } {
  const state = parseStateFilter(params.get("state"));
  const parent = params.get("parent") ?? "";
  const search = (params.get("search") ?? "").trim();
  return {
    ...(state ? { state } : {}),
    ...(SITE_CODE.test(parent) ? { parent: parent.toUpperCase() } : {}),
    ...(search ? { search } : {}),
  };
}

/**
 * Monitoring › Software Update Point Synchronization Status: one row per software update point, live. The whole list
 * is fetched once and `sup-status` events replace its rows; the tiles count it. Filters (state, parent site, search)
 * are asked of the server and kept in the URL; a filtered list refetches when an event may change it. The rows are
 * virtual (6 276 sites at the most): the table scrolls in its frame and only the rows in view are in the DOM.
 */
export default function SupSyncStatusPage({ node }: NodePageProps) {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const filters = filtersOf(params);
  const serverFilters: SupStatusFilters = {
    state: serverState(filters.state),
    parent: filters.parent,
    search: filters.search,
  };
  const all = useSupSyncStatus();
  const filtered = useFilteredSupSyncStatus(serverFilters);
  const allRows = useMemo(() => all.data?.items ?? [], [all.data]);
  const versions = useMemo(() => catalogVersions(allRows), [allRows]);
  const summary = useMemo(() => summarize(allRows), [allRows]);
  const parents = useMemo(
    () => [...new Set(allRows.flatMap((row) => (row.parentCode ? [row.parentCode] : [])))].sort(),
    [allRows],
  );
  const rows = useMemo(() => {
    const items = filtered.data?.items ?? [];
    return isTile(filters.state) ? items.filter((row) => tileOf(row, versions) === filters.state) : items;
  }, [filtered.data, filters.state, versions]);
  const rowKeys = useMemo(() => rows.map((row) => `${row.siteCode}/${row.supServer}`), [rows]);
  // 6 276 sites at the most: only the rows in view are rendered.
  const virtual = useVirtualRows({
    keys: rowKeys,
    estimateRowHeight: 64,
    columns: 8,
    scrollResetKey: params.toString(),
  });
  const formatTime = useDateTimeFormat({ short: true });
  const title = node.title(t);
  const filtering = Object.keys(filters).length > 0;

  const setFilter = (name: "state" | "parent" | "search", value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: name === "search" });
  };

  const state = queryStateMessage(filtered, { loading: t("supStatus.loading"), failed: t("supStatus.loadFailed") });
  let content;
  if (state) {
    content = state;
  } else if (rows.length === 0) {
    content = <p className="state-message">{filtering ? t("supStatus.noMatch") : t("supStatus.empty")}</p>;
  } else {
    content = (
      <div {...virtual.frameProps}>
        <table
          aria-label={title}
          aria-busy={filtered.isPlaceholderData || undefined}
          className="data-table status-table"
          {...virtual.tableProps}
        >
          <thead {...virtual.headProps}>
            <tr {...virtual.headerRowProps}>
              <th scope="col">{t("supStatus.columns.siteCode")}</th>
              <th scope="col">{t("supStatus.columns.supServer")}</th>
              <th scope="col">{t("supStatus.columns.syncSource")}</th>
              <th scope="col">{t("supStatus.columns.status")}</th>
              <th scope="col">{t("supStatus.columns.progress")}</th>
              <th scope="col">{t("supStatus.columns.lastSyncTime")}</th>
              <th scope="col">{t("supStatus.columns.lastErrorCode")}</th>
              <th scope="col">{t("supStatus.columns.catalogAndLink")}</th>
            </tr>
          </thead>
          <tbody>
            {virtual.rows((index, rowProps) => {
              const row = rows[index]!;
              return (
                <StatusRow
                  key={rowKeys[index]}
                  row={row}
                  behind={tileOf(row, versions) === "behind"}
                  formatTime={formatTime}
                  rowProps={rowProps}
                />
              );
            })}
          </tbody>
        </table>
      </div>
    );
  }

  return (
    <NodePage node={node}>
      {all.data && (
        <ul className="summary-tiles" aria-label={t("supStatus.summary.label")}>
          {STATUS_TILES.map((tile) => (
            <SummaryTile
              key={tile}
              tile={tile}
              value={summary[tile]}
              pressed={filters.state === tile}
              onClick={() => setFilter("state", filters.state === tile ? undefined : tile)}
            />
          ))}
        </ul>
      )}
      <StatusFilters
        filters={filters}
        parents={parents}
        onChange={setFilter}
        onClear={filtering ? () => setParams(new URLSearchParams()) : undefined}
      />
      {content}
    </NodePage>
  );
}

const TILE_KIND: Record<StatusTile, string> = {
  inSync: "success",
  inProgress: "progress",
  failed: "failure",
  behind: "behind",
  never: "never",
};

function tileLabel(t: TFunction, tile: StatusTile): string {
  switch (tile) {
    case "inSync":
      return t("supStatus.summary.inSync");
    case "inProgress":
      return t("supStatus.summary.inProgress");
    case "failed":
      return t("supStatus.summary.failed");
    case "behind":
      return t("supStatus.summary.behind");
    case "never":
      return t("supStatus.summary.never");
  }
}

function SummaryTile(props: { tile: StatusTile; value: number; pressed: boolean; onClick: () => void }) {
  const { t } = useTranslation();
  const formatNumber = useNumberFormat();
  const label = tileLabel(t, props.tile);
  return (
    <li
      className={`summary-tile summary-tile--${TILE_KIND[props.tile]}`}
      data-empty={props.value === 0 || undefined}
      data-pressed={props.pressed || undefined}
    >
      <button
        type="button"
        className="summary-tile__button"
        aria-pressed={props.pressed}
        title={t("supStatus.summary.filterBy", { label })}
        onClick={props.onClick}
      >
        <span className="summary-tile__value">{formatNumber(props.value)}</span>
        <span className="summary-tile__label">{label}</span>
      </button>
    </li>
  );
}

function StatusFilters(props: {
  filters: ReturnType<typeof filtersOf>;
  parents: readonly string[];
  onChange: (name: "state" | "parent" | "search", value: string | undefined) => void;
  onClear: (() => void) | undefined;
}) {
  const { t } = useTranslation();
  const id = useId();
  const { filters, onChange } = props;
  const [search, setSearch] = useState(filters.search ?? "");
  // The URL changed elsewhere (Clear filters, back): the box follows, adjusted during render.
  const [urlSearch, setUrlSearch] = useState(filters.search ?? "");
  if (urlSearch !== (filters.search ?? "")) {
    setUrlSearch(filters.search ?? "");
    setSearch(filters.search ?? "");
  }
  useEffect(() => {
    if (search.trim() === (filters.search ?? "")) return;
    const timer = setTimeout(() => onChange("search", search.trim() || undefined), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only the typed text starts the timer
  }, [search]);
  const parentOptions =
    filters.parent && !props.parents.includes(filters.parent) ? [...props.parents, filters.parent] : props.parents;

  return (
    <form
      role="search"
      aria-label={t("supStatus.filters.label")}
      className="filter-bar"
      onSubmit={(e) => {
        e.preventDefault();
        onChange("search", search.trim() || undefined);
      }}
    >
      <SelectField
        id={`${id}-state`}
        label={t("supStatus.filters.state")}
        select={{ value: filters.state ?? "", onChange: (e) => onChange("state", e.currentTarget.value || undefined) }}
      >
        <option value="">{t("supStatus.filters.anyState")}</option>
        {STATUS_TILES.filter((tile) => tile === "inSync" || tile === "inProgress" || tile === "behind").map((tile) => (
          <option key={tile} value={tile}>
            {tileLabel(t, tile)}
          </option>
        ))}
        {SupState.options.map((state) => (
          <option key={state} value={state}>
            {syncStateLabel(t, state)}
          </option>
        ))}
      </SelectField>
      <SelectField
        id={`${id}-parent`}
        label={t("supStatus.filters.parent")}
        select={{
          value: filters.parent ?? "",
          onChange: (e) => onChange("parent", e.currentTarget.value || undefined),
        }}
      >
        <option value="">{t("supStatus.filters.anyParent")}</option>
        {parentOptions.map((code) => (
          <option key={code} value={code}>
            {t("supStatus.filters.childrenOf", { site: code })}
          </option>
        ))}
      </SelectField>
      <FormField
        id={`${id}-search`}
        label={t("supStatus.filters.search")}
        input={{
          type: "search",
          value: search,
          maxLength: 253,
          placeholder: t("supStatus.filters.searchPlaceholder"),
          onChange: (e) => setSearch(e.currentTarget.value),
        }}
      />
      {props.onClear && (
        <div className="filter-bar__actions">
          <button type="button" className="button" onClick={props.onClear}>
            {t("supStatus.filters.clear")}
          </button>
        </div>
      )}
    </form>
  );
}

function StatusRow(props: {
  row: SupStatusRowView;
  behind: boolean;
  formatTime: (iso: string) => string;
  rowProps: VirtualRowProps;
}) {
  const { row, formatTime } = props;
  const { t } = useTranslation();
  const stateMeaning = row.lastSyncStateId === null ? undefined : statusMessageText(t, row.lastSyncStateId);
  const errorMeaning = row.lastErrorCode ? errorCodeMeaning(t, row.lastErrorCode) : undefined;
  return (
    <tr {...props.rowProps} data-site-code={row.siteCode} data-state={row.state}>
      <th scope="row" className="nowrap">
        <Link to={siteSyncPath(row.siteCode)} title={t("supStatus.siteDetails", { site: row.siteCode })}>
          {row.siteCode}
        </Link>
      </th>
      <td className="status-table__server">
        <Breakable text={row.supServer} />
      </td>
      <td>
        <span className="cell-line">{syncSourceLabel(t, row.syncSource)}</span>
        {row.syncSourceUrl && (
          <code className="cell-line muted">
            <Breakable text={row.syncSourceUrl} />
          </code>
        )}
      </td>
      <td>
        <span className={`cell-line sync-state sync-state--${row.state}`}>{syncStateLabel(t, row.state)}</span>
        {row.lastSyncStateId !== null && (
          <span className="cell-line muted status-id" title={stateMeaning}>
            {t("supStatus.stateId", { id: row.lastSyncStateId })}
          </span>
        )}
        {props.behind && <span className="cell-line behind">{t("supStatus.behind")}</span>}
        {/* While a retry is queued or running, the time it was planned for is past news. */}
        {row.retryAt && !isActive(row.state) && (
          <span className="cell-line retry-at">{t("supStatus.retryAt", { time: formatTime(row.retryAt) })}</span>
        )}
        {row.runId && (
          <Link className="cell-line" to={runPath(row.runId)} title={t("supStatus.latestRun", { site: row.siteCode })}>
            {t("supStatus.viewRun")}
          </Link>
        )}
      </td>
      <td>
        <SyncProgress progress={row} label={t("supStatus.progressOf", { site: row.siteCode })} />
      </td>
      <td>
        <span className="cell-line">{row.lastSyncTime ? formatTime(row.lastSyncTime) : t("common.never")}</span>
        {row.lastSyncTime && row.lastSuccessfulSyncTime !== row.lastSyncTime && (
          <span className="cell-line muted">
            {t("supStatus.lastSuccess", {
              time: row.lastSuccessfulSyncTime ? formatTime(row.lastSuccessfulSyncTime) : t("common.never"),
            })}
          </span>
        )}
      </td>
      <td className="status-table__error">
        {row.lastErrorCode ? (
          <>
            <code className="cell-line" title={errorMeaning}>
              <Breakable text={row.lastErrorCode} />
            </code>
            {errorMeaning && <span className="cell-line muted error-meaning">{errorMeaning}</span>}
          </>
        ) : (
          <span className="muted">{t("common.notApplicable")}</span>
        )}
      </td>
      <td>
        <span className="cell-line catalog-version" title={t("supStatus.columns.catalogVersion")}>
          {row.catalogVersion}
        </span>
        <span
          className={`cell-line nowrap link-state link-state--${row.linkState}`}
          title={t("supStatus.columns.linkState")}
        >
          {linkStateLabel(t, row.linkState)}
        </span>
      </td>
    </tr>
  );
}
