import type { StatusMessageDto } from "@syncpoint/contracts";
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams } from "react-router";
import { useCancelRun, useRetryRun, useStartSync, useSupSyncStatus, useSyncRuns } from "../../api/sync.ts";
import { ActionBar, ActionButton } from "../../components/ActionBar.tsx";
import { ConfirmDialog } from "../../components/ConfirmDialog.tsx";
import { ErrorText } from "../../components/ErrorText.tsx";
import { SelectField } from "../../components/FormField.tsx";
import { queryStateMessage } from "../../components/LoadError.tsx";
import { useDocumentTitle } from "../../components/useDocumentTitle.ts";
import { useNow } from "../../components/useNow.ts";
import { useDateTimeFormat } from "../../i18n/format.ts";
import { runTriggerLabel, statusSeverityLabel, syncStateLabel } from "../../i18n/sync-labels.ts";
import type { SyncRunView } from "../../realtime/cache.ts";
import { monitoring, syncRunPath } from "../definitions.ts";
import { RunChart } from "./RunChart.tsx";
import { isActive } from "./SyncProgress.tsx";
import { retryable, StatusMessages } from "./SyncRunPage.tsx";
import { RunOutcomeCells, RunOutcomeHeaders } from "./RunOutcomeColumns.tsx";

const HISTORY_SIZE = 50;
const SEVERITIES: readonly StatusMessageDto["severity"][] = ["E", "W", "I"];

/**
 * Monitoring › a site's synchronization (from its status row): the latest state, Synchronize / Cancel / Retry where
 * they apply (disabled with the reason otherwise), its run history and a chart of it, and its status messages.
 */
export default function SiteSyncPage() {
  const { t } = useTranslation();
  const { code = "" } = useParams();
  const siteCode = code.toUpperCase();
  const heading = t("siteSync.title", { site: siteCode });
  useDocumentTitle(heading);
  const status = useSupSyncStatus();
  const row = status.data?.items.find((item) => item.siteCode === siteCode);
  const runs = useSyncRuns({ page: 1, pageSize: HISTORY_SIZE, site: siteCode });
  const items = runs.data?.items ?? [];
  const latest = items[0];
  const historyId = useId();
  const chartId = useId();
  const messagesId = useId();
  const severityId = useId();
  const [severity, setSeverity] = useState<StatusMessageDto["severity"] | "">("");

  const runsState = queryStateMessage(runs, { loading: t("runs.loading"), failed: t("runs.loadFailed") });

  return (
    <article className="node-page site-sync">
      <div className="node-page__header">
        <p className="breadcrumb">
          <Link to={`${monitoring.path}/sup-sync-status`}>{t("nodes.monitoring.supSyncStatus.title")}</Link>
        </p>
        <h1>{heading}</h1>
        {row && (
          <p className="node-page__description">
            {t("siteSync.subtitle", {
              server: row.supServer,
              state: syncStateLabel(t, row.state),
              version: row.catalogVersion,
            })}
          </p>
        )}
        {status.data && !row && <p className="state-message">{t("siteSync.unknownSite", { site: siteCode })}</p>}
      </div>

      <SiteActions siteCode={siteCode} topLevel={row ? row.parentCode === null : false} latest={latest} />

      <section aria-labelledby={chartId} className="run-section">
        <h2 id={chartId} className="section-title">
          {t("siteSync.chart.title")}
        </h2>
        {runs.data && <RunChart runs={items} />}
      </section>

      <section aria-labelledby={historyId} className="run-section">
        <h2 id={historyId} className="section-title">
          {t("siteSync.history")}
        </h2>
        {runsState ??
          (items.length === 0 ? (
            <p className="state-message">{t("siteSync.noRuns")}</p>
          ) : (
            <RunHistory runs={items} label={t("siteSync.history")} />
          ))}
      </section>

      <section aria-labelledby={messagesId} className="run-section">
        <h2 id={messagesId} className="section-title">
          {t("runDetail.messages.title")}
        </h2>
        <form className="filter-bar" onSubmit={(e) => e.preventDefault()}>
          <SelectField
            id={severityId}
            label={t("siteSync.severity")}
            select={{
              value: severity,
              onChange: (e) => setSeverity(e.currentTarget.value as StatusMessageDto["severity"] | ""),
            }}
          >
            <option value="">{t("siteSync.anySeverity")}</option>
            {SEVERITIES.map((value) => (
              <option key={value} value={value}>
                {statusSeverityLabel(t, value)}
              </option>
            ))}
          </SelectField>
        </form>
        <StatusMessages site={siteCode} severity={severity || undefined} />
      </section>
    </article>
  );
}

function SiteActions({
  siteCode,
  topLevel,
  latest,
}: {
  siteCode: string;
  topLevel: boolean;
  latest: SyncRunView | undefined;
}) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const start = useStartSync();
  const cancel = useCancelRun();
  const retry = useRetryRun();
  const [confirm, setConfirm] = useState<"sync" | "cancel" | null>(null);
  const [notice, setNotice] = useState("");
  const active = latest !== undefined && isActive(latest.state);

  let syncReason: string | undefined;
  if (!topLevel) syncReason = t("siteSync.reasons.notTopLevel");
  else if (active) syncReason = t("siteSync.reasons.active");
  const cancelReason = active
    ? latest.state === "canceling"
      ? t("runDetail.cancel.alreadyCanceling")
      : undefined
    : t("siteSync.reasons.nothingToCancel");
  const retryReason =
    latest && retryable(latest.state)
      ? retry.isPending
        ? t("runDetail.retry.pending")
        : undefined
      : t("siteSync.reasons.nothingToRetry");
  const actionError = start.error ?? retry.error;

  return (
    <>
      <ActionBar label={t("siteSync.actions")}>
        <ActionButton
          permission="sync.run"
          unavailableReason={syncReason}
          onClick={() => {
            start.reset();
            setConfirm("sync");
          }}
        >
          {t("siteSync.synchronize")}
        </ActionButton>
        <ActionButton
          permission="sync.run"
          variant="danger"
          unavailableReason={cancelReason}
          onClick={() => {
            cancel.reset();
            setConfirm("cancel");
          }}
        >
          {t("runDetail.cancel.action")}
        </ActionButton>
        <ActionButton
          permission="sync.run"
          unavailableReason={retryReason}
          onClick={() =>
            latest &&
            retry.mutate(latest.id, {
              onSuccess: ({ runId }) => void navigate(syncRunPath(runId)),
            })
          }
        >
          {t("runDetail.retry.action")}
        </ActionButton>
      </ActionBar>
      <p role="status" className="notice">
        {notice}
      </p>
      {actionError && confirm === null && (
        <p role="alert" className="form__error">
          <ErrorText error={actionError} />
        </p>
      )}
      {confirm === "sync" && (
        <ConfirmDialog
          title={t("siteSync.synchronize")}
          message={t("siteSync.confirmSync")}
          confirmLabel={t("common.yes")}
          permission="sync.run"
          busy={start.isPending}
          error={start.error}
          onConfirm={() =>
            start.mutate(
              {},
              {
                onSuccess: () => {
                  setConfirm(null);
                  setNotice(t("siteSync.started", { site: siteCode }));
                },
              },
            )
          }
          onClose={() => setConfirm(null)}
        />
      )}
      {confirm === "cancel" && latest && (
        <ConfirmDialog
          title={t("runDetail.cancel.title")}
          message={t("runDetail.cancel.message", { site: siteCode })}
          confirmLabel={t("runDetail.cancel.confirm")}
          permission="sync.run"
          destructive
          busy={cancel.isPending}
          error={cancel.error}
          onConfirm={() =>
            cancel.mutate(latest.id, {
              onSuccess: () => {
                setConfirm(null);
                setNotice(t("runDetail.cancel.requested", { site: siteCode }));
              },
            })
          }
          onClose={() => setConfirm(null)}
        />
      )}
    </>
  );
}

function RunHistory({ runs, label }: { runs: readonly SyncRunView[]; label: string }) {
  const { t } = useTranslation();
  const formatTime = useDateTimeFormat({ short: true });
  const now = useNow(runs.some((run) => isActive(run.state)));
  return (
    <div className="table-frame">
      <table aria-label={label} className="data-table runs-table">
        <thead>
          <tr>
            <th scope="col">{t("runs.columns.started")}</th>
            <th scope="col">{t("runs.columns.trigger")}</th>
            <th scope="col">{t("runs.columns.state")}</th>
            <RunOutcomeHeaders />
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => {
            return (
              <tr key={run.id} data-run-id={run.id} data-state={run.state}>
                <td className="nowrap">
                  <Link to={syncRunPath(run.id)}>
                    {run.startedAt ? formatTime(run.startedAt) : t("runs.notStarted")}
                  </Link>
                </td>
                <td>{runTriggerLabel(t, run.trigger)}</td>
                <td className="nowrap">
                  <span className={`sync-state sync-state--${run.state}`}>{syncStateLabel(t, run.state)}</span>
                </td>
                <RunOutcomeCells run={run} now={now} />
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
