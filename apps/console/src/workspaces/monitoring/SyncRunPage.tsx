import type { StatusMessageDto } from "@syncpoint/contracts";
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams } from "react-router";
import { useCancelRun, useRetryRun, useStatusMessages, useSyncRun } from "../../api/sync.ts";
import { ActionBar, ActionButton } from "../../components/ActionBar.tsx";
import { ConfirmDialog } from "../../components/ConfirmDialog.tsx";
import { ErrorText } from "../../components/ErrorText.tsx";
import { LoadError } from "../../components/LoadError.tsx";
import { useDocumentTitle } from "../../components/useDocumentTitle.ts";
import { useNow } from "../../components/useNow.ts";
import { useDateTimeFormat, useNumberFormat, useDurationFormat } from "../../i18n/format.ts";
import {
  errorCodeMeaning,
  runPhaseLabel,
  runTriggerLabel,
  statusMessageText,
  statusSeverityLabel,
  syncStateLabel,
} from "../../i18n/sync-labels.ts";
import type { SyncRunView } from "../../realtime/cache.ts";
import { monitoring, syncRunPath } from "../definitions.ts";
import { RunLogViewer } from "./RunLogViewer.tsx";
import { siteSyncPath } from "./status-model.ts";
import { isActive, SyncProgress } from "./SyncProgress.tsx";
import { runSeconds } from "./RunOutcomeColumns.tsx";

/**
 * One synchronization run (Monitoring › Synchronization Runs › a run): its state and progress as they change, what
 * it changed, its error, its status messages and its log, followed live.
 */
export default function SyncRunPage() {
  const { t } = useTranslation();
  const { id = "" } = useParams();
  const run = useSyncRun(id);
  const heading = run.data ? t("runDetail.titleAt", { site: run.data.siteCode }) : t("runDetail.title");
  useDocumentTitle(heading);

  let content;
  if (run.isError && !run.data) {
    content = (
      <LoadError
        message={t("runDetail.loadFailed")}
        error={run.error}
        retry={() => void run.refetch()}
        retrying={run.isFetching}
      />
    );
  } else if (!run.data) {
    content = (
      <p role="status" className="state-message">
        {t("runDetail.loading")}
      </p>
    );
  } else {
    content = <RunDetails run={run.data} />;
  }

  return (
    <article className="node-page">
      <div className="node-page__header">
        <p className="breadcrumb">
          <Link to={`${monitoring.path}/sync-runs`}>{t("nodes.monitoring.syncRuns.title")}</Link>
          {run.data && (
            <>
              {" › "}
              <Link to={siteSyncPath(run.data.siteCode)}>
                {t("supStatus.siteDetails", { site: run.data.siteCode })}
              </Link>
            </>
          )}
        </p>
        <h1>{heading}</h1>
        {run.data && (
          <p className="node-page__description">
            {t("runDetail.subtitle", {
              server: run.data.supServer,
              trigger: runTriggerLabel(t, run.data.trigger),
              type: run.data.fullSync ? t("runs.full") : t("runs.delta"),
            })}
          </p>
        )}
      </div>
      {content}
    </article>
  );
}

/** A failed or canceled run can be retried (a new run, trigger `retry`); the server refuses while another is active. */
export const retryable = (state: SyncRunView["state"]) => state === "failed" || state === "canceled";

function RunDetails({ run }: { run: SyncRunView }) {
  const { t } = useTranslation();
  const formatDuration = useDurationFormat();
  const formatTime = useDateTimeFormat({ seconds: true });
  const formatNumber = useNumberFormat();
  const active = isActive(run.state);
  const now = useNow(active);
  const seconds = runSeconds(run, now);
  const [confirmCancel, setConfirmCancel] = useState(false);
  const [notice, setNotice] = useState("");
  const cancel = useCancelRun();
  const retry = useRetryRun();
  const navigate = useNavigate();
  const countsId = useId();
  const messagesId = useId();
  const logId = useId();
  const errorMeaning = run.errorCode ? errorCodeMeaning(t, run.errorCode) : undefined;
  const none = <span className="muted">{t("common.notApplicable")}</span>;

  return (
    <>
      {active && (
        <ActionBar label={t("runDetail.actions.label")}>
          <ActionButton
            permission="sync.run"
            variant="danger"
            unavailableReason={run.state === "canceling" ? t("runDetail.cancel.alreadyCanceling") : undefined}
            onClick={() => {
              cancel.reset();
              setConfirmCancel(true);
            }}
          >
            {t("runDetail.cancel.action")}
          </ActionButton>
        </ActionBar>
      )}
      {retryable(run.state) && (
        <ActionBar label={t("runDetail.actions.label")}>
          <ActionButton
            permission="sync.run"
            unavailableReason={retry.isPending ? t("runDetail.retry.pending") : undefined}
            onClick={() =>
              retry.mutate(run.id, {
                onSuccess: ({ runId }) => {
                  setNotice(t("runDetail.retry.started", { site: run.siteCode }));
                  void navigate(syncRunPath(runId));
                },
              })
            }
          >
            {t("runDetail.retry.action")}
          </ActionButton>
        </ActionBar>
      )}
      {retry.error && (
        <p role="alert" className="form__error">
          <ErrorText error={retry.error} />
        </p>
      )}
      <p role="status" className="notice">
        {notice}
      </p>

      <dl className="details-list run-summary">
        <dt>{t("runs.columns.state")}</dt>
        <dd>
          <span className={`sync-state sync-state--${run.state}`}>{syncStateLabel(t, run.state)}</span>
          <SyncProgress progress={run} label={t("runDetail.progress")} />
        </dd>
        <dt>{t("runDetail.phase")}</dt>
        <dd>{run.phase ? runPhaseLabel(t, run.phase) : none}</dd>
        <dt>{t("runDetail.requestedBy")}</dt>
        <dd>{run.requestedBy ?? none}</dd>
        <dt>{t("runs.columns.queued")}</dt>
        <dd>{formatTime(run.queuedAt)}</dd>
        <dt>{t("runs.columns.started")}</dt>
        <dd>{run.startedAt ? formatTime(run.startedAt) : t("runs.notStarted")}</dd>
        <dt>{t("runDetail.finished")}</dt>
        <dd>{run.finishedAt ? formatTime(run.finishedAt) : none}</dd>
        <dt>{t("runs.columns.duration")}</dt>
        <dd>{seconds === undefined ? none : formatDuration(seconds)}</dd>
        <dt>{t("runDetail.catalogVersion")}</dt>
        <dd>
          {run.catalogVersionBefore === null && run.catalogVersionAfter === null
            ? none
            : t("runDetail.catalogVersions", {
                before: run.catalogVersionBefore ?? "—",
                after: run.catalogVersionAfter ?? "—",
              })}
        </dd>
        <dt>{t("runs.columns.errorCode")}</dt>
        <dd>
          {run.errorCode ? (
            <div className="run-error">
              <code>{run.errorCode}</code>
              {errorMeaning && <span className="muted">{errorMeaning}</span>}
              {/* The run's own account of the failure, as the engine wrote it: technical, in English. */}
              {run.errorMessage && <span lang="en">{run.errorMessage}</span>}
            </div>
          ) : (
            none
          )}
        </dd>
      </dl>

      <section aria-labelledby={countsId} className="run-section">
        <h2 id={countsId} className="section-title">
          {t("runDetail.countsTitle")}
        </h2>
        <ul className="summary-tiles summary-tiles--counts">
          {(
            [
              ["new", t("runs.counts.new"), run.counts.new],
              ["revised", t("runs.counts.revised"), run.counts.revised],
              ["expired", t("runs.counts.expired"), run.counts.expired],
              ["superseded", t("runs.counts.superseded"), run.counts.superseded],
              ["removed", t("runs.counts.removed"), run.counts.removed],
            ] as const
          ).map(([kind, label, value]) => (
            <li key={kind} className="summary-tile">
              <span className="summary-tile__value">{formatNumber(value)}</span>
              <span className="summary-tile__label">{label}</span>
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby={messagesId} className="run-section">
        <h2 id={messagesId} className="section-title">
          {t("runDetail.messages.title")}
        </h2>
        <StatusMessages runId={run.id} />
      </section>

      <section aria-labelledby={logId} className="run-section">
        <h2 id={logId} className="section-title">
          {t("runDetail.log.title")}
        </h2>
        <RunLogViewer runId={run.id} siteCode={run.siteCode} />
      </section>

      {confirmCancel && (
        <ConfirmDialog
          title={t("runDetail.cancel.title")}
          message={t("runDetail.cancel.message", { site: run.siteCode })}
          confirmLabel={t("runDetail.cancel.confirm")}
          permission="sync.run"
          destructive
          busy={cancel.isPending}
          error={cancel.error}
          onConfirm={() =>
            cancel.mutate(run.id, {
              onSuccess: () => {
                setConfirmCancel(false);
                setNotice(t("runDetail.cancel.requested", { site: run.siteCode }));
              },
            })
          }
          onClose={() => setConfirmCancel(false)}
        />
      )}
    </>
  );
}

/**
 * Status messages (SMS_WSUS_SYNC_MANAGER) of a run, oldest first, or of a site, newest first, as the status message
 * viewer lists them; `severity` keeps only those of one severity.
 */
export function StatusMessages({
  runId,
  site,
  severity,
}: {
  runId?: string;
  site?: string;
  severity?: StatusMessageDto["severity"] | undefined;
}) {
  const { t } = useTranslation();
  const messages = useStatusMessages({
    ...(runId ? { runId } : {}),
    ...(site ? { site } : {}),
    sort: runId ? "time" : "-time",
    page: 1,
    pageSize: 200,
  });
  const formatTime = useDateTimeFormat({ seconds: true });
  const items = (messages.data?.items ?? []).filter((message) => !severity || message.severity === severity);

  if (messages.isError && !messages.data) {
    return (
      <LoadError
        message={t("runDetail.messages.loadFailed")}
        error={messages.error}
        retry={() => void messages.refetch()}
        retrying={messages.isFetching}
      />
    );
  }
  if (!messages.data) {
    return (
      <p role="status" className="state-message">
        {t("runDetail.messages.loading")}
      </p>
    );
  }
  if (items.length === 0) return <p className="state-message">{t("runDetail.messages.empty")}</p>;
  return (
    <div className="table-frame">
      <table aria-label={t("runDetail.messages.title")} className="data-table messages-table">
        <thead>
          <tr>
            <th scope="col">{t("runDetail.messages.columns.time")}</th>
            <th scope="col">{t("runDetail.messages.columns.id")}</th>
            <th scope="col">{t("runDetail.messages.columns.severity")}</th>
            <th scope="col">{t("runDetail.messages.columns.text")}</th>
            <th scope="col">{t("runDetail.messages.columns.insertionStrings")}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((message: StatusMessageDto) => (
            <tr key={message.id} data-severity={message.severity}>
              <td className="nowrap">{formatTime(message.time)}</td>
              <td className="numeric">{message.messageId}</td>
              <td className={`nowrap message-severity message-severity--${message.severity}`}>
                {statusSeverityLabel(t, message.severity)}
              </td>
              {/* The message ID's text in the console's language; an ID it does not know in the server's words. */}
              <td>{statusMessageText(t, message.messageId) ?? message.text}</td>
              <td>
                {message.insertionStrings.length === 0 ? (
                  <span className="muted">{t("common.notApplicable")}</span>
                ) : (
                  <ol className="insertion-strings" start={0}>
                    {message.insertionStrings.map((value, index) => (
                      <li key={index}>
                        <code>{value}</code>
                      </li>
                    ))}
                  </ol>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
