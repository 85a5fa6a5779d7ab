import type { AlertSeverity, AlertState, AlertType } from "@syncpoint/contracts";
import type { TFunction } from "i18next";
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import { useAcknowledgeAlert, useAlerts, type AlertsFilter } from "../../api/alerts.ts";
import { ActionBar, ActionButton } from "../../components/ActionBar.tsx";
import { ErrorText } from "../../components/ErrorText.tsx";
import { SelectField } from "../../components/FormField.tsx";
import { queryStateMessage } from "../../components/LoadError.tsx";
import { Pager } from "../../components/Pager.tsx";
import { useRowSelection } from "../../components/useRowSelection.ts";
import { useDateTimeFormat, useListFormat } from "../../i18n/format.ts";
import type { AlertView } from "../../realtime/cache.ts";
import { syncRunPath } from "../definitions.ts";
import { NodePage, type NodePageProps } from "../NodePage.tsx";
import { alertMessage, alertRunError, alertTitle } from "./alert-text.ts";

export const ALERTS_PAGE_SIZE = 50;
const FILTERS: readonly AlertsFilter[] = ["open", "active", "acknowledged", "canceled", "all"];

/**
 * The list's filter and page live in the URL (`?state=active&page=2`), as on the Audit page: a view can be bookmarked
 * and left with Back. No `state` means the open alerts (active and acknowledged), what needs attention.
 */
export function readAlertsView(params: URLSearchParams): { filter: AlertsFilter; page: number } {
  const state = params.get("state");
  const filter = FILTERS.find((f) => f === state) ?? "open";
  const page = Number(params.get("page"));
  return { filter, page: filter !== "open" && Number.isInteger(page) && page >= 1 ? page : 1 };
}

export function alertsViewParams(view: { filter: AlertsFilter; page: number }): URLSearchParams {
  const params = new URLSearchParams();
  if (view.filter !== "open") params.set("state", view.filter);
  if (view.filter !== "open" && view.page > 1) params.set("page", String(view.page));
  return params;
}

/**
 * Monitoring › Alerts: what needs attention — failed or stalled synchronizations, new products and classifications —
 * kept current by `alert` events; select one for its message, and acknowledge it.
 */
export default function AlertsPage({ node }: NodePageProps) {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const view = readAlertsView(params);
  const alerts = useAlerts({ filter: view.filter, page: view.page, pageSize: ALERTS_PAGE_SIZE });
  const acknowledge = useAcknowledgeAlert();
  const items = alerts.data?.items ?? [];
  const [selectedId, setSelectedId] = useState<string>();
  const selected = items.find((alert) => alert.id === selectedId);
  const rowProps = useRowSelection(
    items.map((alert) => alert.id),
    selected?.id,
    setSelectedId,
  );
  const [notice, setNotice] = useState("");
  const formatTime = useDateTimeFormat();
  const captionId = useId();
  const filterId = useId();

  const acknowledgeUnavailable = !selected
    ? t("alerts.selectFirst")
    : selected.state === "acknowledged"
      ? t("alerts.alreadyAcknowledged")
      : selected.state === "canceled"
        ? t("alerts.canceledCannotAcknowledge")
        : undefined;

  const onAcknowledge = () => {
    if (!selected) return;
    setNotice("");
    acknowledge.mutate(selected.id, {
      onSuccess: (alert) => {
        setNotice(t("alerts.notices.acknowledged", { title: alertTitle(t, alert) }));
        // Acknowledge is disabled now (the alert is acknowledged): keep the focus on the alert rather than lose it.
        document.querySelector<HTMLElement>(`tr[data-alert-id="${alert.id}"]`)?.focus();
      },
    });
  };

  const state = queryStateMessage(alerts, { loading: t("alerts.loading"), failed: t("alerts.loadFailed") });
  let list;
  if (state) {
    list = state;
  } else if (items.length === 0) {
    list = (
      <p className="state-message">
        {view.filter === "open"
          ? t("alerts.emptyOpen")
          : view.filter === "all"
            ? t("alerts.empty")
            : t("alerts.emptyFiltered")}
      </p>
    );
  } else {
    list = (
      <div className="table-frame">
        <table
          role="grid"
          aria-readonly="true"
          aria-labelledby={captionId}
          aria-busy={alerts.isPlaceholderData || undefined}
          className="data-table data-table--select alerts-table"
        >
          <caption id={captionId}>
            {view.filter === "open"
              ? t("alerts.countOpen", { count: alerts.data?.total ?? 0 })
              : t("alerts.count", { count: alerts.data?.total ?? 0 })}
          </caption>
          <thead>
            <tr>
              <th scope="col">{t("alerts.columns.severity")}</th>
              <th scope="col">{t("alerts.columns.title")}</th>
              <th scope="col">{t("alerts.columns.site")}</th>
              <th scope="col">{t("alerts.columns.state")}</th>
              <th scope="col">{t("alerts.columns.raised")}</th>
              <th scope="col">{t("alerts.columns.acknowledgedBy")}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((alert) => (
              <tr key={alert.id} {...rowProps(alert.id)} data-alert-id={alert.id} data-state={alert.state}>
                <td className="nowrap">
                  <Severity severity={alert.severity} />
                </td>
                <th scope="row" className="alerts-table__title">
                  {alertTitle(t, alert)}
                </th>
                <td>{alert.siteCode ?? <span className="muted">{t("common.notApplicable")}</span>}</td>
                <td>
                  <StateBadge state={alert.state} />
                </td>
                <td className="nowrap">{formatTime(alert.raisedAt)}</td>
                <td>{alert.acknowledgedBy ?? <span className="muted">{t("common.notApplicable")}</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    );
  }

  return (
    <NodePage node={node}>
      <ActionBar label={t("alerts.actions.label")}>
        <ActionButton
          permission="alerts.acknowledge"
          unavailableReason={acknowledgeUnavailable}
          disabled={acknowledge.isPending}
          onClick={onAcknowledge}
        >
          {t("alerts.actions.acknowledge")}
        </ActionButton>
      </ActionBar>
      <p role="status" className="notice">
        {notice}
      </p>
      {acknowledge.isError && (
        <div role="alert" className="message message--error">
          <ErrorText error={acknowledge.error} />
        </div>
      )}
      <form
        role="search"
        aria-label={t("alerts.filter.label")}
        className="filter-bar"
        onSubmit={(e) => e.preventDefault()}
      >
        <SelectField
          id={filterId}
          label={t("alerts.filter.state")}
          select={{
            name: "state",
            value: view.filter,
            onChange: (e) => {
              setSelectedId(undefined);
              setParams(alertsViewParams({ filter: e.currentTarget.value as AlertsFilter, page: 1 }));
            },
          }}
        >
          {FILTERS.map((filter) => (
            <option key={filter} value={filter}>
              {filterLabel(t, filter)}
            </option>
          ))}
        </SelectField>
      </form>
      {alerts.isPlaceholderData && (
        <p role="status" className="busy">
          {t("alerts.updating")}
        </p>
      )}
      {list}
      {alerts.data?.truncated && <p className="form__hint">{t("alerts.truncated")}</p>}
      {view.filter !== "open" && alerts.data && alerts.data.total > ALERTS_PAGE_SIZE && (
        <Pager
          label={t("alerts.paging")}
          page={view.page}
          pageSize={ALERTS_PAGE_SIZE}
          total={alerts.data.total}
          onPage={(page) => setParams(alertsViewParams({ filter: view.filter, page }))}
        />
      )}
      <AlertDetails alert={selected} formatTime={formatTime} />
    </NodePage>
  );
}

function Severity({ severity }: { severity: AlertSeverity }) {
  const { t } = useTranslation();
  return (
    <span className={`alert-severity alert-severity--${severity}`}>
      <span aria-hidden="true" className="alert-severity__icon">
        {severity === "error" ? "✖" : severity === "warning" ? "!" : "i"}
      </span>
      {severityLabel(t, severity)}
    </span>
  );
}

function StateBadge({ state }: { state: AlertState }) {
  const { t } = useTranslation();
  return <span className={`badge badge--alert-${state}`}>{stateLabel(t, state)}</span>;
}

/**
 * The details pane below the list: the selected alert's message, its history, and the run that raised it — for a
 * failed synchronization with the run's error code and the run's own (English) error text, the technical detail.
 */
function AlertDetails({ alert, formatTime }: { alert: AlertView | undefined; formatTime: (iso: string) => string }) {
  const { t } = useTranslation();
  const formatList = useListFormat();
  const headingId = useId();
  const none = t("common.notApplicable");
  const details = alert?.details;
  const runId =
    typeof details === "object" && details !== null && typeof (details as { runId?: unknown }).runId === "string"
      ? (details as { runId: string }).runId
      : undefined;
  const runError = alert && alertRunError(alert);
  return (
    <section className="details-pane" aria-labelledby={headingId}>
      <h2 id={headingId} className="details-pane__title">
        {alert ? t("alerts.details.titleOf", { title: alertTitle(t, alert) }) : t("alerts.details.title")}
      </h2>
      {alert ? (
        <>
          <p className="alert-message">{alertMessage(t, alert, { time: formatTime, list: formatList })}</p>
          <dl className="details-list">
            <dt>{t("alerts.columns.severity")}</dt>
            <dd>
              <Severity severity={alert.severity} />
            </dd>
            <dt>{t("alerts.details.type")}</dt>
            <dd>{typeLabel(t, alert.type)}</dd>
            <dt>{t("alerts.columns.site")}</dt>
            <dd>{alert.siteCode ?? none}</dd>
            {runError && (
              <>
                <dt>{t("runs.columns.errorCode")}</dt>
                <dd className="run-error">
                  <code>{runError.code}</code>
                  {runError.message && <span lang="en">{runError.message}</span>}
                </dd>
              </>
            )}
            <dt>{t("alerts.columns.state")}</dt>
            <dd>
              <StateBadge state={alert.state} />
            </dd>
            <dt>{t("alerts.columns.raised")}</dt>
            <dd>{formatTime(alert.raisedAt)}</dd>
            <dt>{t("alerts.details.updated")}</dt>
            <dd>{formatTime(alert.updatedAt)}</dd>
            <dt>{t("alerts.details.acknowledged")}</dt>
            <dd>
              {alert.acknowledgedAt
                ? t("alerts.details.acknowledgedAtBy", {
                    time: formatTime(alert.acknowledgedAt),
                    user: alert.acknowledgedBy ?? none,
                  })
                : none}
            </dd>
            <dt>{t("alerts.details.canceled")}</dt>
            <dd>{alert.canceledAt ? formatTime(alert.canceledAt) : none}</dd>
          </dl>
          {runId && <Link to={syncRunPath(runId)}>{t("alerts.details.viewRun")}</Link>}
          {details !== null && details !== undefined && (
            <div className="details-json">
              <h3>{t("alerts.details.details")}</h3>
              <pre>{JSON.stringify(details, null, 2)}</pre>
            </div>
          )}
        </>
      ) : (
        <p className="muted">{t("alerts.details.none")}</p>
      )}
    </section>
  );
}

function filterLabel(t: TFunction, filter: AlertsFilter): string {
  switch (filter) {
    case "open":
      return t("alerts.filter.open");
    case "active":
      return t("alerts.filter.active");
    case "acknowledged":
      return t("alerts.filter.acknowledged");
    case "canceled":
      return t("alerts.filter.canceled");
    case "all":
      return t("alerts.filter.all");
  }
}

function stateLabel(t: TFunction, state: AlertState): string {
  switch (state) {
    case "active":
      return t("alerts.states.active");
    case "acknowledged":
      return t("alerts.states.acknowledged");
    case "canceled":
      return t("alerts.states.canceled");
  }
}

function severityLabel(t: TFunction, severity: AlertSeverity): string {
  switch (severity) {
    case "error":
      return t("alerts.severities.error");
    case "warning":
      return t("alerts.severities.warning");
    case "info":
      return t("alerts.severities.info");
  }
}

function typeLabel(t: TFunction, type: AlertType): string {
  switch (type) {
    case "sync-failed":
      return t("alerts.types.syncFailed");
    case "sync-stalled":
      return t("alerts.types.syncStalled");
    case "new-categories":
      return t("alerts.types.newCategories");
  }
}
