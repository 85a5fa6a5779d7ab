import { memo, useEffect, useId, useLayoutEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { apiText } from "../../api/client.ts";
import type { RunLogLine } from "../../api/run-log.ts";
import { runLogUrl, useRunLog } from "../../api/sync.ts";
import { ErrorText } from "../../components/ErrorText.tsx";
import { LoadError } from "../../components/LoadError.tsx";
import { useDateTimeFormat } from "../../i18n/format.ts";

/** Within this many pixels of the end counts as "at the bottom": new lines keep it there. */
const BOTTOM_SLACK_PX = 24;

/** The name a downloaded log gets: wsyncmgr-<site>-<runId>.log. */
export const logFileName = (siteCode: string, runId: string) => `wsyncmgr-${siteCode}-${runId}.log`;

/** The indexes of the lines whose text contains `query` (case-insensitive); none for an empty query. */
export function matchingLines(lines: readonly RunLogLine[], query: string): number[] {
  const needle = query.trim().toLowerCase();
  if (!needle) return [];
  const found: number[] = [];
  lines.forEach((line, index) => {
    if (line.text.toLowerCase().includes(needle)) found.push(index);
  });
  return found;
}

/** Saves `text` as a file through a Blob URL, as a browser download. */
function saveText(text: string, fileName: string) {
  const url = URL.createObjectURL(new Blob([text], { type: "text/plain" }));
  const anchor = document.createElement("a");
  anchor.href = url;
  anchor.download = fileName;
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  // Give the browser the time to start the download before the URL goes.
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}

/**
 * A run's wsyncmgr.log as CMTrace shows it: one line per entry with its component, time and thread, errors red and
 * warnings yellow. It loads the log, then follows it live (`sync-log` events); while Follow is on and the view is at
 * the end it scrolls along. Find searches the lines (next/previous match); Download .log saves the text.
 */
export function RunLogViewer({ runId, siteCode }: { runId: string; siteCode: string }) {
  const { t } = useTranslation();
  const log = useRunLog(runId);
  const formatTime = useDateTimeFormat({ seconds: true });
  const frame = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const id = useId();
  const [follow, setFollow] = useState(true);
  const [query, setQuery] = useState("");
  const [current, setCurrent] = useState(0);
  // What failed, not its text: the text follows the console's language.
  const [downloadError, setDownloadError] = useState<unknown>();
  const [downloading, setDownloading] = useState(false);
  const lines = useMemo(() => log.data?.lines ?? [], [log.data]);
  const matches = useMemo(() => matchingLines(lines, query), [lines, query]);
  const matchSet = useMemo(() => new Set(matches), [matches]);
  const currentLine = matches.length > 0 ? matches[Math.min(current, matches.length - 1)] : undefined;

  useLayoutEffect(() => {
    const element = frame.current;
    if (element && follow && atBottom.current && currentLine === undefined) element.scrollTop = element.scrollHeight;
  }, [lines.length, follow, currentLine]);

  // The current match is brought into view.
  useEffect(() => {
    if (currentLine === undefined) return;
    const row = frame.current?.querySelector<HTMLElement>(`[data-line="${currentLine}"]`);
    row?.scrollIntoView?.({ block: "center" });
  }, [currentLine]);

  const onScroll = () => {
    const element = frame.current;
    if (element) atBottom.current = element.scrollHeight - element.scrollTop - element.clientHeight <= BOTTOM_SLACK_PX;
  };

  const step = (by: 1 | -1) => {
    if (matches.length === 0) return;
    setCurrent((index) => (Math.min(index, matches.length - 1) + by + matches.length) % matches.length);
  };

  const download = async () => {
    setDownloadError(undefined);
    setDownloading(true);
    try {
      const { text } = await apiText(runLogUrl(runId));
      saveText(text, logFileName(siteCode, runId));
    } catch (error) {
      setDownloadError(error);
    } finally {
      setDownloading(false);
    }
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
                <LogRow
                  key={index}
                  index={index}
                  line={line}
                  match={matchSet.has(index)}
                  current={index === currentLine}
                  formatTime={formatTime}
                />
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
          {log.live && follow ? t("runDetail.log.following") : t("runDetail.log.notFollowing")}
          {log.data && ` · ${t("runDetail.log.lines", { count: lines.length })}`}
        </span>
        <label className="nowrap">
          <input
            type="checkbox"
            checked={follow}
            onChange={(e) => {
              setFollow(e.currentTarget.checked);
              if (e.currentTarget.checked) atBottom.current = true;
            }}
          />{" "}
          {t("runDetail.log.follow")}
        </label>
        <form
          role="search"
          aria-label={t("runDetail.log.search.label")}
          className="log-search"
          onSubmit={(e) => {
            e.preventDefault();
            step(1);
          }}
        >
          <label htmlFor={`${id}-find`}>{t("runDetail.log.search.find")}</label>
          <input
            id={`${id}-find`}
            type="search"
            value={query}
            onChange={(e) => {
              setQuery(e.currentTarget.value);
              setCurrent(0);
            }}
          />
          <button
            type="button"
            className="button"
            disabled={matches.length === 0}
            onClick={() => step(-1)}
            aria-label={t("runDetail.log.search.previous")}
          >
            ↑
          </button>
          <button
            type="button"
            className="button"
            disabled={matches.length === 0}
            onClick={() => step(1)}
            aria-label={t("runDetail.log.search.next")}
          >
            ↓
          </button>
          <span role="status" className="muted">
            {query.trim() &&
              (matches.length === 0
                ? t("runDetail.log.search.none")
                : t("runDetail.log.search.position", {
                    current: Math.min(current, matches.length - 1) + 1,
                    total: matches.length,
                  }))}
          </span>
        </form>
        <button type="button" className="button" disabled={downloading} onClick={() => void download()}>
          {t("runDetail.log.download")}
        </button>
      </div>
      {downloadError !== undefined && (
        <p role="alert" className="form__error">
          <ErrorText error={downloadError} />
        </p>
      )}
      {body}
    </div>
  );
}

const LogRow = memo(function LogRow(props: {
  index: number;
  line: RunLogLine;
  match: boolean;
  current: boolean;
  formatTime: (iso: string) => string;
}) {
  const { line, formatTime } = props;
  const classes = [`log-line`, `log-line--${line.severity}`];
  if (props.match) classes.push("log-line--match");
  if (props.current) classes.push("log-line--current");
  return (
    <tr
      data-line={props.index}
      data-severity={line.severity}
      data-current-match={props.current || undefined}
      aria-current={props.current || undefined}
      className={classes.join(" ")}
    >
      <td className="log-line__text">{line.text}</td>
      <td className="nowrap">{line.component ?? "SMS_WSUS_SYNC_MANAGER"}</td>
      <td className="nowrap">{line.time ? formatTime(line.time) : ""}</td>
      <td className="nowrap">{line.thread ?? ""}</td>
    </tr>
  );
});
