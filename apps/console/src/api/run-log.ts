// A run's log (wsyncmgr.log) as the console holds it: the lines GET /api/sync-runs/:id/log returned, in CMTrace's
// line format, followed by the lines `sync-log` events brought since. `lastSeq` is the newest line's seq (the REST
// answer's X-Log-Seq, then each event line's seq), so that no line is shown twice.
import type { SyncLogLineDto } from "@syncpoint/contracts";

export type LogSeverity = SyncLogLineDto["severity"];

export interface RunLogLine {
  /** Known for lines that came by event; REST lines carry none (only the last one's, as X-Log-Seq). */
  seq?: number;
  text: string;
  /** ISO-8601, when the line had a time. */
  time?: string;
  component?: string;
  thread?: number;
  severity: LogSeverity;
}

export interface RunLog {
  lines: RunLogLine[];
  lastSeq: number;
}

export const EMPTY_RUN_LOG: RunLog = { lines: [], lastSeq: 0 };

const SEVERITY_RANK: Record<LogSeverity, number> = { info: 0, warning: 1, error: 2 };

/**
 * The severity CMTrace would show: red for "error" or "fail", yellow for "warn" (and the STATMSG severity letter).
 * REST lines are plain text, so this is all there is to go by for them.
 */
export function inferSeverity(text: string): LogSeverity {
  if (/\bSEV=E\b/.test(text) || /error|fail/i.test(text)) return "error";
  if (/\bSEV=W\b/.test(text) || /warn/i.test(text)) return "warning";
  return "info";
}

// <text> $$<COMPONENT><MM-DD-YYYY HH:MM:SS.mmm+TZ><thread=N (0xN)>, TZ being the bias in minutes (positive west).
const CMTRACE_LINE =
  /^(.*) \$\$<([^>]*)><(\d{2})-(\d{2})-(\d{4}) (\d{2}):(\d{2}):(\d{2})\.(\d{3})([+-]\d+)><thread=(\d+)[^>]*>$/;

/** One line of wsyncmgr.log; a line in another format is kept as text. */
export function parseLogLine(line: string): RunLogLine {
  const match = CMTRACE_LINE.exec(line);
  if (!match) return { text: line, severity: inferSeverity(line) };
  const [, text = "", component, month, day, year, hours, minutes, seconds, millis, bias, thread] = match;
  const utc =
    Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hours), Number(minutes), Number(seconds)) +
    Number(millis) +
    Number(bias) * 60_000;
  return {
    text,
    ...(component ? { component } : {}),
    time: new Date(utc).toISOString(),
    thread: Number(thread),
    severity: inferSeverity(text),
  };
}

/** The REST answer: its text and X-Log-Seq. */
export function parseLogText(text: string, lastSeq: number): RunLog {
  const lines = text.split(/\r?\n/).filter((line) => line !== "");
  return { lines: lines.map(parseLogLine), lastSeq };
}

/** Appends the event's lines that are newer than the log's last line. */
export function appendLogLines(log: RunLog, lines: readonly SyncLogLineDto[]): RunLog {
  const fresh = lines.filter((line) => line.seq > log.lastSeq).sort((a, b) => a.seq - b.seq);
  if (fresh.length === 0) return log;
  // Events carry no component or thread: one reporter (one thread) writes all lines of a run, so they are the
  // preceding line's.
  const previous = log.lines.at(-1);
  return {
    lines: [
      ...log.lines,
      ...fresh.map((line) => {
        const inferred = inferSeverity(line.text);
        return {
          seq: line.seq,
          text: line.text,
          time: line.time,
          ...(previous?.component ? { component: previous.component } : {}),
          ...(previous?.thread !== undefined ? { thread: previous.thread } : {}),
          severity: SEVERITY_RANK[inferred] > SEVERITY_RANK[line.severity] ? inferred : line.severity,
        };
      }),
    ],
    lastSeq: fresh.at(-1)!.seq,
  };
}

/**
 * A fetched log, plus the lines events brought while it was on its way (those newer than its X-Log-Seq): the fetch
 * read the database at some moment, and lines written after that moment arrived as events, possibly before it.
 */
export function mergeFetchedLog(fetched: RunLog, cached: RunLog | undefined): RunLog {
  if (!cached) return fetched;
  const later = cached.lines.filter((line) => line.seq !== undefined && line.seq > fetched.lastSeq);
  if (later.length === 0) return fetched;
  return { lines: [...fetched.lines, ...later], lastSeq: Math.max(fetched.lastSeq, later.at(-1)!.seq!) };
}
