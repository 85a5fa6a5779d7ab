import { memo, useLayoutEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { runLogUrl, useRunLog } from "../../api/sync.ts";
import type { RunLogLine } from "../../api/run-log.ts";
import { LoadError } from "../../components/LoadError.tsx";
import { useDateTimeFormat } from "../../i18n/format.ts";

/** Within this many pixels of the end counts as "at the bottom": new lines keep it there. */
const BOTTOM_SLACK_PX = 24;

/**
 * A run's wsyncmgr.log as CMTrace shows it: one line per entry with its component, time and thread, errors red and
 * warnings yellow. It loads the log, then follows it live (`sync-log` events) and scrolls along while it is at the end.
 */
export function RunLogViewer({ runId }: { runId: string }) {
  const { t } = useTranslation();
  const log = useRunLog(runId);
  const formatTime = useDateTimeFormat({ seconds: true });
  const frame = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const lines = log.data?.lines ?? [];

  useLayoutEffect(() => {
    const element = frame.current;
    if (element && atBottom.current) element.scrollTop = element.scrollHeight;
  }, [lines.length]);

  const onScroll = () => {
    const element = frame.current;
    if (element) atBottom.current = element.scrollHeight - element.scrollTop - element.clientHeight <= BOTTOM_SLACK_PX;
  };

  let body;
  if (log.isError && !log.data) {
    body = (
      <LoadError
        message={t("runDetail.log.loadFailed")}
        error={log.error}
        retry={() => void log.refetch()}
        retrying={log.isFetching}
      />
    );
  } else if (!log.data) {
    body = (
      <p role="status" className="state-message">
        {t("runDetail.log.loading")}
      </p>
    );
  } else {
    body = (
      <div
        ref={frame}
        role="log"
        aria-label={t("runDetail.log.label")}
        className="log-viewer"
        // Scrollable content must be reachable by keyboard.
        tabIndex={0}
        onScroll={onScroll}
      >
        {lines.length === 0 ? (
          <p className="log-viewer__empty">{t("runDetail.log.empty")}</p>
        ) : (
          <table className="log-table">
            <thead>
              <tr>
                <th scope="col">{t("runDetail.log.columns.text")}</th>
                <th scope="col">{t("runDetail.log.columns.component")}</th>
                <th scope="col">{t("runDetail.log.columns.time")}</th>
                <th scope="col">{t("runDetail.log.columns.thread")}</th>
              </tr>
            </thead>
            <tbody>
              {lines.map((line, index) => (
                // The log only grows (a refetch replaces it whole): the position is the line's identity.
                <LogRow key={index} line={line} formatTime={formatTime} />
              ))}
            </tbody>
          </table>
        )}
      </div>
    );
  }

  return (
    <div className="log-panel">
      <div className="log-panel__bar">
        <span className="muted">
          {log.live ? t("runDetail.log.following") : t("runDetail.log.notFollowing")}
          {log.data && ` · ${t("runDetail.log.lines", { count: lines.length })}`}
        </span>
        <a href={runLogUrl(runId)} download={`wsyncmgr-${runId}.log`}>
          {t("runDetail.log.download")}
        </a>
      </div>
      {body}
    </div>
  );
}

const LogRow = memo(function LogRow({ line, formatTime }: { line: RunLogLine; formatTime: (iso: string) => string }) {
  return (
    <tr data-severity={line.severity} className={`log-line log-line--${line.severity}`}>
      <td className="log-line__text">{line.text}</td>
      <td className="nowrap">{line.component ?? "SMS_WSUS_SYNC_MANAGER"}</td>
      <td className="nowrap">{line.time ? formatTime(line.time) : ""}</td>
      <td className="nowrap">{line.thread ?? ""}</td>
    </tr>
  );
});
