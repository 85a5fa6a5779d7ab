import type { SoftwareUpdateItem } from "@syncpoint/contracts";
import { Fragment, useEffect, useId, useMemo, useRef, useState, type FormEvent, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
import type { TFunction } from "i18next";
import {
  softwareUpdatesExportUrl,
  softwareUpdatesQueryString,
  UPDATE_SEVERITIES,
  useSoftwareUpdates,
  useUpdateCategories,
  type UpdateSeverity,
} from "../../api/software-updates.ts";
import { ActionBar, ActionButton } from "../../components/ActionBar.tsx";
import { queryStateMessage } from "../../components/LoadError.tsx";
import { Pager } from "../../components/Pager.tsx";
import { useRowSelection } from "../../components/useRowSelection.ts";
import { useVirtualRows } from "../../components/VirtualRows.tsx";
import { useDateFormat } from "../../i18n/format.ts";
import { NodePage, type NodePageProps } from "../NodePage.tsx";
import {
  EMPTY_FILTERS,
  isFiltered,
  kbNumber,
  nextSort,
  PAGE_SIZES,
  readColumns,
  readUpdatesView,
  saveColumns,
  sortDirection,
  UPDATE_COLUMNS,
  updatesRequest,
  updatesViewParams,
  withPageSize,
  type PageSize,
  type SortColumn,
  type TriState,
  type UpdateColumn,
  type UpdatesView,
} from "./software-updates-view.ts";
import { SyncOutcomeNotice, SynchronizeDialog, type SyncOutcome } from "./SynchronizeSoftwareUpdates.tsx";
import { severityLabel, UpdateDetailsPane } from "./UpdateDetailsPane.tsx";

/** How long the search waits after the last keystroke before it asks the server. */
export const SEARCH_DELAY_MS = 350;

const storage = () => (typeof window === "undefined" ? undefined : window.localStorage);

/** The header label of each column (also its name in the column chooser); static keys, for the i18n scan. */
function columnLabel(t: TFunction, column: UpdateColumn): string {
  switch (column) {
    case "title":
      return t("softwareUpdates.columns.title");
    case "articleId":
      return t("softwareUpdates.columns.articleId");
    case "bulletinId":
      return t("softwareUpdates.columns.bulletinId");
    case "classification":
      return t("softwareUpdates.columns.classification");
    case "product":
      return t("softwareUpdates.columns.product");
    case "severity":
      return t("softwareUpdates.columns.severity");
    case "releaseDate":
      return t("softwareUpdates.columns.releaseDate");
    case "expired":
      return t("softwareUpdates.columns.expired");
    case "superseded":
      return t("softwareUpdates.columns.superseded");
    case "maxRunTime":
      return t("softwareUpdates.columns.maxRunTime");
  }
}
const SORT_OF: Partial<Record<UpdateColumn, SortColumn>> = {
  title: "title",
  articleId: "kb",
  severity: "severity",
  releaseDate: "releaseDate",
};

/**
 * Software Library › Software Updates › All Software Updates: the catalog of the top-level site, searched, filtered,
 * sorted and paged by the server (50 a page, or 100, 200 or 500 as chosen in the pager, kept in the URL: the rows are
 * virtual, only those in view are rendered); the details pane below shows the selected update. The ribbon:
 * Synchronize Software Updates, Export to CSV (the filtered view, streamed by the server), and the column chooser
 * (kept in localStorage).
 */
export default function AllSoftwareUpdatesPage({ node }: NodePageProps) {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const view = readUpdatesView(params);
  const request = updatesRequest(view);
  const updates = useSoftwareUpdates(request);
  const [confirming, setConfirming] = useState(false);
  const [outcome, setOutcome] = useState<SyncOutcome | null>(null);
  const [columns, setColumns] = useState<UpdateColumn[]>(() => readColumns(storage()));
  const items = useMemo(() => updates.data?.items ?? [], [updates.data]);
  const keys = useMemo(() => items.map((update) => update.updateId), [items]);
  const selectedId = view.update || undefined;
  const selected = items.find((update) => update.updateId === selectedId);
  const show = (next: Partial<UpdatesView>, replace = false) =>
    setParams(updatesViewParams({ ...view, ...next }), { replace });
  const rowProps = useRowSelection(keys, selectedId, (update) => show({ update }, true));
  // The selected row (or else the first) is the table's tab stop: it stays rendered wherever the list is scrolled.
  const virtual = useVirtualRows({
    keys,
    estimateRowHeight: 40,
    columns: columns.length,
    pinned: [selectedId, keys[0]],
    scrollResetKey: softwareUpdatesQueryString(request),
  });
  const formatDate = useDateFormat();
  const filtered = isFiltered(view);

  const changeColumns = (next: UpdateColumn[]) => {
    setColumns(next);
    saveColumns(storage(), next);
  };
  const { page: _page, pageSize: _pageSize, ...exportRequest } = request;

  const cell: Record<UpdateColumn, (update: SoftwareUpdateItem) => ReactNode> = {
    title: (update) => <td className="updates-table__title">{update.title}</td>,
    articleId: (update) => (
      <td className="nowrap">{update.kbArticleIds.map((kb) => `KB${kbNumber(kb)}`).join(", ")}</td>
    ),
    bulletinId: (update) => <td className="nowrap">{update.bulletinIds.join(", ")}</td>,
    classification: (update) => (
      <td className="updates-table__categories">{update.classifications.map((c) => c.title).join(", ")}</td>
    ),
    product: (update) => (
      <td className="updates-table__categories">{update.products.map((p) => p.title).join(", ")}</td>
    ),
    severity: (update) => <td className="nowrap">{severityLabel(t, update.severity)}</td>,
    releaseDate: (update) => <td className="nowrap">{formatDate(update.releaseDate)}</td>,
    expired: (update) => <td>{update.isExpired ? t("common.yes") : t("common.no")}</td>,
    superseded: (update) => <td>{update.isSuperseded ? t("common.yes") : t("common.no")}</td>,
    maxRunTime: (update) => (
      <td className="nowrap">
        {update.maxRunTimeMinutes === null
          ? ""
          : t("softwareUpdates.details.minutes", { count: update.maxRunTimeMinutes })}
      </td>
    ),
  };

  const state = queryStateMessage(updates, {
    loading: t("softwareUpdates.loading"),
    failed: t("softwareUpdates.loadFailed"),
  });
  let list;
  if (state) {
    list = state;
  } else if (items.length === 0) {
    list = (
      <p className="state-message">{filtered ? t("softwareUpdates.emptyFiltered") : t("softwareUpdates.empty")}</p>
    );
  } else {
    const header = (column: UpdateColumn) => {
      const label = columnLabel(t, column);
      const sortColumn = SORT_OF[column];
      if (!sortColumn) {
        return (
          <th key={column} scope="col">
            {label}
          </th>
        );
      }
      const direction = sortDirection(view.sort, sortColumn);
      return (
        <th key={column} scope="col" aria-sort={direction}>
          <button
            type="button"
            className="sort-button"
            onClick={() => show({ sort: nextSort(view.sort, sortColumn), page: 1 })}
          >
            {label}
            <span aria-hidden="true" className="sort-button__arrow">
              {direction === "ascending" ? "▲" : direction === "descending" ? "▼" : ""}
            </span>
          </button>
        </th>
      );
    };
    list = (
      <div {...virtual.frameProps}>
        <table
          aria-label={node.title(t)}
          aria-busy={updates.isPlaceholderData || undefined}
          className="data-table data-table--select updates-table"
          {...virtual.tableProps}
        >
          <thead {...virtual.headProps}>
            <tr {...virtual.headerRowProps}>{columns.map(header)}</tr>
          </thead>
          <tbody>
            {virtual.rows((index, { ref: measure, ...position }) => {
              const update = items[index]!;
              const { ref: select, ...selection } = rowProps(update.updateId);
              return (
                <tr
                  key={update.updateId}
                  ref={(row) => {
                    select(row);
                    measure?.(row);
                  }}
                  {...selection}
                  {...position}
                  data-update-id={update.updateId}
                  data-expired={update.isExpired || undefined}
                  data-superseded={update.isSuperseded || undefined}
                >
                  {columns.map((column) => (
                    <Fragment key={column}>{cell[column](update)}</Fragment>
                  ))}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    );
  }

  return (
    <NodePage node={node}>
      <ActionBar label={t("softwareUpdates.actions.label")}>
        <ActionButton permission="sync.run" onClick={() => setConfirming(true)}>
          {t("synchronize.action")}
        </ActionButton>
        <a className="button" href={softwareUpdatesExportUrl(exportRequest)} download="software-updates.csv">
          {t("softwareUpdates.actions.export")}
        </a>
        <ColumnChooser columns={columns} onChange={changeColumns} />
      </ActionBar>
      <SyncOutcomeNotice outcome={outcome} />
      <UpdatesSearch
        view={view}
        onSearch={(next, replace) => show({ ...next, page: 1 }, replace)}
        onClear={() => show({ ...EMPTY_FILTERS, page: 1 })}
      />
      {updates.data && updates.data.total > 0 && (
        <p className="list-summary">
          {/* The raw number, no grouping: "1234 software updates". */}
          <span>{t("softwareUpdates.count", { count: updates.data.total })}</span>
          {updates.isPlaceholderData && (
            <span role="status" className="busy">
              {t("softwareUpdates.updating")}
            </span>
          )}
        </p>
      )}
      {list}
      {updates.data && updates.data.total > 0 && (
        <Pager
          label={t("softwareUpdates.paging")}
          page={view.page}
          pageSize={view.pageSize}
          total={updates.data.total}
          onPage={(page) => show({ page })}
          pageSizes={{
            label: t("softwareUpdates.pageSize"),
            sizes: PAGE_SIZES,
            onChange: (size) => show(withPageSize(view, size as PageSize)),
          }}
        />
      )}
      <UpdateDetailsPane updateId={selectedId} listed={selected} onOpen={(update) => show({ update })} />
      {confirming && (
        <SynchronizeDialog
          onClose={() => setConfirming(false)}
          onOutcome={(next) => {
            setConfirming(false);
            setOutcome(next);
          }}
        />
      )}
    </NodePage>
  );
}

/**
 * The column chooser: a disclosure with a check box per column; Title cannot be hidden. A click outside it or Escape
 * closes it.
 */
function ColumnChooser({
  columns,
  onChange,
}: {
  columns: UpdateColumn[];
  onChange: (columns: UpdateColumn[]) => void;
}) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDetailsElement>(null);
  const [open, setOpen] = useState(false);
  useEffect(() => {
    if (!open) return;
    const close = (event: Event) => {
      const details = ref.current;
      if (!details) return;
      if (event instanceof KeyboardEvent) {
        if (event.key !== "Escape") return;
        details.open = false;
        details.querySelector("summary")?.focus();
      } else if (!details.contains(event.target as Node)) {
        details.open = false;
      }
    };
    document.addEventListener("mousedown", close);
    document.addEventListener("keydown", close);
    return () => {
      document.removeEventListener("mousedown", close);
      document.removeEventListener("keydown", close);
    };
  }, [open]);
  return (
    <details ref={ref} className="column-chooser" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary className="button">{t("softwareUpdates.columnChooser.label")}</summary>
      <fieldset className="column-chooser__panel">
        <legend>{t("softwareUpdates.columnChooser.legend")}</legend>
        {UPDATE_COLUMNS.map((column) => (
          <label key={column} className="column-chooser__option">
            <input
              type="checkbox"
              checked={columns.includes(column)}
              disabled={column === "title"}
              onChange={(e) => {
                const on = e.currentTarget.checked;
                onChange(UPDATE_COLUMNS.filter((c) => (c === column ? on : columns.includes(c))));
              }}
            />
            {columnLabel(t, column)}
          </label>
        ))}
      </fieldset>
    </details>
  );
}

/**
 * The search box (title, KB article, CVE or bulletin; asked for a moment after the last keystroke, or at once on
 * Enter) and the filters: classification, product, severity, release dates, expired, superseded. The URL holds them
 * all; the box shows the URL's search when it changes (Back, a link). Clear filters resets them.
 */
function UpdatesSearch({
  view,
  onSearch,
  onClear,
}: {
  view: UpdatesView;
  onSearch: (next: Partial<UpdatesView>, replace: boolean) => void;
  onClear: () => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [text, setText] = useState(view.search);
  const [shownSearch, setShownSearch] = useState(view.search);
  if (shownSearch !== view.search) {
    setShownSearch(view.search);
    if (text.trim() !== view.search) setText(view.search);
  }
  const classifications = useUpdateCategories("classification");
  const products = useUpdateCategories("product");

  const search = useRef(onSearch);
  useEffect(() => {
    search.current = onSearch;
  });
  const wanted = text.trim();
  useEffect(() => {
    if (wanted === view.search) return;
    // Typing replaces the history entry: Back goes to the list before the search, not to each keystroke.
    const timer = setTimeout(() => search.current({ search: wanted }, true), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [wanted, view.search]);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (wanted !== view.search) onSearch({ search: wanted }, false);
  };

  const categorySelect = (
    name: "classification" | "product",
    label: string,
    any: string,
    options: { id: string; title: string }[],
  ) => (
    <div className="form__field">
      <label htmlFor={`${id}-${name}`}>{label}</label>
      <select
        id={`${id}-${name}`}
        name={name}
        value={view[name]}
        onChange={(e) => onSearch({ [name]: e.currentTarget.value }, false)}
      >
        <option value="">{any}</option>
        {/* The URL's choice, before the list of categories has arrived (or when it no longer names one). */}
        {view[name] && !options.some((o) => o.id === view[name]) && <option value={view[name]}>{view[name]}</option>}
        {options.map((option) => (
          <option key={option.id} value={option.id}>
            {option.title}
          </option>
        ))}
      </select>
    </div>
  );
  const triSelect = (name: "expired" | "superseded", label: string) => (
    <div className="form__field">
      <label htmlFor={`${id}-${name}`}>{label}</label>
      <select
        id={`${id}-${name}`}
        name={name}
        value={view[name]}
        onChange={(e) => onSearch({ [name]: e.currentTarget.value as TriState }, false)}
      >
        <option value="">{t("softwareUpdates.search.either")}</option>
        <option value="true">{t("common.yes")}</option>
        <option value="false">{t("common.no")}</option>
      </select>
    </div>
  );
  const dateInput = (name: "releasedFrom" | "releasedTo", label: string) => (
    <div className="form__field">
      <label htmlFor={`${id}-${name}`}>{label}</label>
      <input
        id={`${id}-${name}`}
        type="date"
        name={name}
        value={view[name]}
        onChange={(e) => onSearch({ [name]: e.currentTarget.value }, false)}
      />
    </div>
  );
  const byTitle = (a: { title: string }, b: { title: string }) => a.title.localeCompare(b.title);

  return (
    <form
      role="search"
      aria-label={t("softwareUpdates.search.label")}
      className="filter-bar updates-search"
      onSubmit={onSubmit}
    >
      <div className="form__field">
        <label htmlFor={`${id}-search`}>{t("softwareUpdates.search.text")}</label>
        <input
          id={`${id}-search`}
          type="search"
          name="search"
          autoComplete="off"
          spellCheck={false}
          maxLength={200}
          value={text}
          aria-describedby={`${id}-search-hint`}
          onChange={(e) => setText(e.currentTarget.value)}
        />
        <p id={`${id}-search-hint`} className="form__hint">
          {t("softwareUpdates.search.hint")}
        </p>
      </div>
      {categorySelect(
        "classification",
        t("softwareUpdates.columns.classification"),
        t("softwareUpdates.search.anyClassification"),
        [...(classifications.data?.items ?? [])].sort(byTitle),
      )}
      {categorySelect(
        "product",
        t("softwareUpdates.columns.product"),
        t("softwareUpdates.search.anyProduct"),
        [...(products.data?.items ?? [])].filter((c) => c.type === "Product").sort(byTitle),
      )}
      <div className="form__field">
        <label htmlFor={`${id}-severity`}>{t("softwareUpdates.columns.severity")}</label>
        <select
          id={`${id}-severity`}
          name="severity"
          value={view.severity}
          onChange={(e) => onSearch({ severity: e.currentTarget.value as UpdateSeverity | "" }, false)}
        >
          <option value="">{t("softwareUpdates.search.anySeverity")}</option>
          {UPDATE_SEVERITIES.map((severity) => (
            <option key={severity} value={severity}>
              {severityLabel(t, severity)}
            </option>
          ))}
        </select>
      </div>
      {dateInput("releasedFrom", t("softwareUpdates.search.releasedFrom"))}
      {dateInput("releasedTo", t("softwareUpdates.search.releasedTo"))}
      {triSelect("expired", t("softwareUpdates.columns.expired"))}
      {triSelect("superseded", t("softwareUpdates.columns.superseded"))}
      <div className="filter-bar__actions">
        <button
          type="button"
          className="button"
          disabled={!isFiltered(view) && text.trim() === ""}
          onClick={() => {
            setText("");
            onClear();
          }}
        >
          {t("softwareUpdates.search.clear")}
        </button>
      </div>
    </form>
  );
}
