import type { SupState } from "@syncpoint/contracts";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useSupSyncStatus } from "../../api/sync.ts";
import { Breakable } from "../../components/Breakable.tsx";
import { queryStateMessage } from "../../components/LoadError.tsx";
import { useDateTimeFormat } from "../../i18n/format.ts";
import { syncSourceLabel } from "../../i18n/labels.ts";
import { errorCodeMeaning, linkStateLabel, statusMessageText, syncStateLabel } from "../../i18n/sync-labels.ts";
import type { SupStatusRowView } from "../../realtime/cache.ts";
import { NodePage, type NodePageProps } from "../NodePage.tsx";
import { syncRunPath as runPath } from "../definitions.ts";
import { isActive, SyncProgress } from "./SyncProgress.tsx";

export interface StatusSummary {
  inSync: number;
  inProgress: number;
  failed: number;
  never: number;
}

/** The tiles above the table: how many software update points are in sync, synchronizing, failed or never synced. */
export function summarize(rows: readonly { state: SupState }[]): StatusSummary {
  const summary: StatusSummary = { inSync: 0, inProgress: 0, failed: 0, never: 0 };
  for (const { state } of rows) {
    if (state === "succeeded") summary.inSync += 1;
    else if (state === "queued" || state === "running" || state === "canceling") summary.inProgress += 1;
    else if (state === "failed") summary.failed += 1;
    else if (state === "never") summary.never += 1;
  }
  return summary;
}

/**
 * Monitoring › Software Update Point Synchronization Status: one row per software update point, live. The list is
 * fetched once; `sup-status` events replace its rows as runs queue, progress and end.
 */
export default function SupSyncStatusPage({ node }: NodePageProps) {
  const { t } = useTranslation();
  const status = useSupSyncStatus();
  const rows = useMemo(() => status.data?.items ?? [], [status.data]);
  const summary = useMemo(() => summarize(rows), [rows]);
  const formatTime = useDateTimeFormat({ short: true });
  const title = node.title(t);

  const state = queryStateMessage(status, { loading: t("supStatus.loading"), failed: t("supStatus.loadFailed") });
  let content;
  if (state) {
    content = state;
  } else if (rows.length === 0) {
    content = <p className="state-message">{t("supStatus.empty")}</p>;
  } else {
    content = (
      <>
        <ul className="summary-tiles" aria-label={t("supStatus.summary.label")}>
          <SummaryTile kind="success" value={summary.inSync} label={t("supStatus.summary.inSync")} />
          <SummaryTile kind="progress" value={summary.inProgress} label={t("supStatus.summary.inProgress")} />
          <SummaryTile kind="failure" value={summary.failed} label={t("supStatus.summary.failed")} />
          <SummaryTile kind="never" value={summary.never} label={t("supStatus.summary.never")} />
        </ul>
        <div className="table-frame">
          <table aria-label={title} className="data-table status-table">
            <thead>
              <tr>
                <th scope="col">{t("supStatus.columns.siteCode")}</th>
                <th scope="col">{t("supStatus.columns.supServer")}</th>
                <th scope="col">{t("supStatus.columns.syncSource")}</th>
                <th scope="col">{t("supStatus.columns.status")}</th>
                <th scope="col">{t("supStatus.columns.progress")}</th>
                <th scope="col">{t("supStatus.columns.lastSyncTime")}</th>
                <th scope="col">{t("supStatus.columns.lastSuccessfulSyncTime")}</th>
                <th scope="col">{t("supStatus.columns.lastErrorCode")}</th>
                <th scope="col">{t("supStatus.columns.catalogVersion")}</th>
                <th scope="col">{t("supStatus.columns.linkState")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <StatusRow key={`${row.siteCode}/${row.supServer}`} row={row} formatTime={formatTime} />
              ))}
            </tbody>
          </table>
        </div>
      </>
    );
  }

  return <NodePage node={node}>{content}</NodePage>;
}

function SummaryTile({ kind, value, label }: { kind: string; value: number; label: string }) {
  return (
    <li className={`summary-tile summary-tile--${kind}`} data-empty={value === 0 || undefined}>
      <span className="summary-tile__value">{value}</span>
      <span className="summary-tile__label">{label}</span>
    </li>
  );
}

function StatusRow({ row, formatTime }: { row: SupStatusRowView; formatTime: (iso: string) => string }) {
  const { t } = useTranslation();
  const stateMeaning = row.lastSyncStateId === null ? undefined : statusMessageText(t, row.lastSyncStateId);
  const errorMeaning = row.lastErrorCode ? errorCodeMeaning(t, row.lastErrorCode) : undefined;
  return (
    <tr data-site-code={row.siteCode} data-state={row.state}>
      <th scope="row" className="nowrap">
        {row.runId ? (
          <Link to={runPath(row.runId)} title={t("supStatus.latestRun", { site: row.siteCode })}>
            {row.siteCode}
          </Link>
        ) : (
          row.siteCode
        )}
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
        {/* While a retry is queued or running, the time it was planned for is past news. */}
        {row.retryAt && !isActive(row.state) && (
          <span className="cell-line retry-at">{t("supStatus.retryAt", { time: formatTime(row.retryAt) })}</span>
        )}
      </td>
      <td>
        <SyncProgress progress={row} label={t("supStatus.progressOf", { site: row.siteCode })} />
      </td>
      <td>{row.lastSyncTime ? formatTime(row.lastSyncTime) : t("common.never")}</td>
      <td>{row.lastSuccessfulSyncTime ? formatTime(row.lastSuccessfulSyncTime) : t("common.never")}</td>
      <td>
        {row.lastErrorCode ? (
          <>
            <code className="cell-line" title={errorMeaning}>
              {row.lastErrorCode}
            </code>
            {errorMeaning && <span className="cell-line muted error-meaning">{errorMeaning}</span>}
          </>
        ) : (
          <span className="muted">{t("common.notApplicable")}</span>
        )}
      </td>
      <td className="numeric">{row.catalogVersion}</td>
      <td className={`nowrap link-state link-state--${row.linkState}`}>{linkStateLabel(t, row.linkState)}</td>
    </tr>
  );
}
