import type { SoftwareUpdateItem } from "@syncpoint/contracts";
import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
import type { TFunction } from "i18next";
import { UPDATE_SEVERITIES, useSoftwareUpdates, type UpdateSeverity } from "../../api/software-updates.ts";
import { ActionBar, ActionButton } from "../../components/ActionBar.tsx";
import { queryStateMessage } from "../../components/LoadError.tsx";
import { Pager } from "../../components/Pager.tsx";
import { useRowSelection } from "../../components/useRowSelection.ts";
import { useDateFormat } from "../../i18n/format.ts";
import { NodePage, type NodePageProps } from "../NodePage.tsx";
import {
  kbNumber,
  kbUrl,
  nextSort,
  PAGE_SIZE,
  readUpdatesView,
  sortDirection,
  updatesRequest,
  updatesViewParams,
  type SortColumn,
  type UpdatesView,
} from "./software-updates-view.ts";
import { SyncOutcomeNotice, SynchronizeDialog, type SyncOutcome } from "./SynchronizeSoftwareUpdates.tsx";

/** How long the search waits after the last keystroke before it asks the server. */
export const SEARCH_DELAY_MS = 350;

/**
 * Software Library › Software Updates › All Software Updates: the catalog of the top-level site, searched, filtered,
 * sorted and paged by the server; the ribbon's Synchronize Software Updates starts a site-wide synchronization.
 */
export default function AllSoftwareUpdatesPage({ node }: NodePageProps) {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const view = readUpdatesView(params);
  const updates = useSoftwareUpdates(updatesRequest(view));
  const [confirming, setConfirming] = useState(false);
  const [outcome, setOutcome] = useState<SyncOutcome | null>(null);
  const [selectedId, setSelectedId] = useState<string>();
  const items = updates.data?.items ?? [];
  const selected = items.find((update) => update.updateId === selectedId);
  const rowProps = useRowSelection(
    items.map((update) => update.updateId),
    selected?.updateId,
    setSelectedId,
  );
  const formatDate = useDateFormat();

  const show = (next: Partial<UpdatesView>, replace = false) =>
    setParams(updatesViewParams({ ...view, ...next }), { replace });
  const filtered = view.search !== "" || view.severity !== "";

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
    const header = (column: SortColumn, label: string) => {
      const direction = sortDirection(view.sort, column);
      return (
        <th scope="col" aria-sort={direction}>
          <button
            type="button"
            className="sort-button"
            onClick={() => show({ sort: nextSort(view.sort, column), page: 1 })}
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
      <div className="table-frame">
        <table
          aria-label={node.title(t)}
          aria-busy={updates.isPlaceholderData || undefined}
          className="data-table data-table--select updates-table"
        >
          <thead>
            <tr>
              {header("title", t("softwareUpdates.columns.title"))}
              {header("kb", t("softwareUpdates.columns.articleId"))}
              <th scope="col">{t("softwareUpdates.columns.classification")}</th>
              <th scope="col">{t("softwareUpdates.columns.product")}</th>
              {header("severity", t("softwareUpdates.columns.severity"))}
              {header("releaseDate", t("softwareUpdates.columns.releaseDate"))}
              <th scope="col">{t("softwareUpdates.columns.expired")}</th>
              <th scope="col">{t("softwareUpdates.columns.superseded")}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((update) => (
              <tr
                key={update.updateId}
                {...rowProps(update.updateId)}
                data-expired={update.isExpired || undefined}
                data-superseded={update.isSuperseded || undefined}
              >
                <td className="updates-table__title">{update.title}</td>
                <td className="nowrap">{update.kbArticleIds.map((kb) => `KB${kbNumber(kb)}`).join(", ")}</td>
                <td className="updates-table__categories">{update.classifications.map((c) => c.title).join(", ")}</td>
                <td className="updates-table__categories">{update.products.map((p) => p.title).join(", ")}</td>
                <td className="nowrap">{severityLabel(t, update.severity)}</td>
                <td className="nowrap">{formatDate(update.releaseDate)}</td>
                <td>{update.isExpired ? t("common.yes") : t("common.no")}</td>
                <td>{update.isSuperseded ? t("common.yes") : t("common.no")}</td>
              </tr>
            ))}
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
      </ActionBar>
      <SyncOutcomeNotice outcome={outcome} />
      <UpdatesSearch view={view} onSearch={(next, replace) => show({ ...next, page: 1 }, replace)} />
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
          pageSize={PAGE_SIZE}
          total={updates.data.total}
          onPage={(page) => show({ page })}
        />
      )}
      <UpdateDetails update={selected} formatDate={formatDate} />
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

function severityLabel(t: TFunction, severity: string | null): string {
  switch (severity) {
    case "Critical":
      return t("softwareUpdates.severity.critical");
    case "Important":
      return t("softwareUpdates.severity.important");
    case "Moderate":
      return t("softwareUpdates.severity.moderate");
    case "Low":
      return t("softwareUpdates.severity.low");
    case null:
    case "None":
      return t("softwareUpdates.severity.none");
    default:
      return severity;
  }
}

/**
 * The search box (title, KB article, CVE or bulletin; asked for a moment after the last keystroke, or at once on
 * Enter) and the severity filter. The URL holds both; the box shows the URL's search when it changes (Back, a link).
 */
function UpdatesSearch({
  view,
  onSearch,
}: {
  view: UpdatesView;
  onSearch: (next: Pick<UpdatesView, "search"> | Pick<UpdatesView, "severity">, replace: boolean) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [text, setText] = useState(view.search);
  const [shownSearch, setShownSearch] = useState(view.search);
  if (shownSearch !== view.search) {
    setShownSearch(view.search);
    if (text.trim() !== view.search) setText(view.search);
  }

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
    </form>
  );
}

/** The details pane below the list: everything about the selected update. */
function UpdateDetails({
  update,
  formatDate,
}: {
  update: SoftwareUpdateItem | undefined;
  formatDate: (iso: string) => string;
}) {
  const { t } = useTranslation();
  const headingId = useId();
  const none = <span className="muted">{t("common.notApplicable")}</span>;
  return (
    <section className="details-pane" aria-labelledby={headingId}>
      <h2 id={headingId} className="details-pane__title">
        {update ? update.title : t("softwareUpdates.details.title")}
      </h2>
      {update ? (
        <dl className="details-list">
          <dt>{t("softwareUpdates.details.updateId")}</dt>
          <dd>
            <code>{update.updateId}</code>
          </dd>
          <dt>{t("softwareUpdates.details.revision")}</dt>
          <dd>{update.revisionNumber}</dd>
          <dt>{t("softwareUpdates.columns.articleId")}</dt>
          <dd>
            {update.kbArticleIds.length === 0
              ? none
              : update.kbArticleIds.map((kb, index) => (
                  <span key={kb}>
                    {index > 0 && ", "}
                    <a href={kbUrl(kb)} target="_blank" rel="noreferrer">
                      KB{kbNumber(kb)}
                    </a>
                  </span>
                ))}
          </dd>
          <dt>{t("softwareUpdates.details.bulletins")}</dt>
          <dd>{update.bulletinIds.length === 0 ? none : update.bulletinIds.join(", ")}</dd>
          <dt>{t("softwareUpdates.details.cves")}</dt>
          <dd>{update.cveIds.length === 0 ? none : update.cveIds.join(", ")}</dd>
          <dt>{t("softwareUpdates.columns.classification")}</dt>
          <dd>{update.classifications.map((c) => c.title).join(", ") || none}</dd>
          <dt>{t("softwareUpdates.details.products")}</dt>
          <dd>
            {update.products.length === 0 ? (
              none
            ) : (
              <ul className="plain-list">
                {update.products.map((product) => (
                  <li key={product.id}>{product.title}</li>
                ))}
              </ul>
            )}
          </dd>
          <dt>{t("softwareUpdates.columns.severity")}</dt>
          <dd>{severityLabel(t, update.severity)}</dd>
          <dt>{t("softwareUpdates.columns.releaseDate")}</dt>
          <dd>{formatDate(update.releaseDate)}</dd>
          <dt>{t("softwareUpdates.columns.expired")}</dt>
          <dd>{update.isExpired ? t("common.yes") : t("common.no")}</dd>
          <dt>{t("softwareUpdates.columns.superseded")}</dt>
          <dd>{update.isSuperseded ? t("common.yes") : t("common.no")}</dd>
          <dt>{t("softwareUpdates.details.maxRunTime")}</dt>
          <dd>
            {update.maxRunTimeMinutes === null
              ? none
              : t("softwareUpdates.details.minutes", { count: update.maxRunTimeMinutes })}
          </dd>
        </dl>
      ) : (
        <p className="muted">{t("softwareUpdates.details.none")}</p>
      )}
    </section>
  );
}
