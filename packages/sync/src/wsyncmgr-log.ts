// Log lines in the format of Configuration Manager's wsyncmgr.log, as CMTrace reads them (domain.md §4):
//   <text> $$<SMS_WSUS_SYNC_MANAGER><MM-DD-YYYY HH:MM:SS.mmm+TZ><thread=5976 (0x1758)>
// TZ is the bias in minutes (positive west of UTC); Syncpoint writes UTC, so it is always +000.

export const LOG_COMPONENT = "SMS_WSUS_SYNC_MANAGER";

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

export function formatLogTime(time: Date): string {
  return (
    `${pad(time.getUTCMonth() + 1)}-${pad(time.getUTCDate())}-${time.getUTCFullYear()} ` +
    `${pad(time.getUTCHours())}:${pad(time.getUTCMinutes())}:${pad(time.getUTCSeconds())}.${pad(time.getUTCMilliseconds(), 3)}+000`
  );
}

export function formatLogLine(text: string, time: Date, thread: number): string {
  // A line break inside the text would split one entry into two for every log reader.
  const oneLine = text.replace(/\r?\n/g, " ");
  return `${oneLine} $$<${LOG_COMPONENT}><${formatLogTime(time)}><thread=${thread} (0x${thread.toString(16).toUpperCase()})>`;
}

/** `hh:mm:ss`, hours not wrapping at 24 (as wsyncmgr prints long ETAs). */
export function formatDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.round(totalSeconds));
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
}

/** `processed X out of Y items (Z%)`, with `, ETA in hh:mm:ss` when an estimate exists. */
export function formatProgress(processed: number, total: number, etaSeconds?: number): string {
  const percent = total > 0 ? Math.floor((processed / total) * 100) : 100;
  const eta = etaSeconds === undefined ? "" : `, ETA in ${formatDuration(etaSeconds)}`;
  return `processed ${processed} out of ${total} items (${percent}%)${eta}`;
}

/** `Sync time: 0d00h03m53s`, as the closing line of a successful sync. */
export function formatSyncTime(totalSeconds: number): string {
  const s = Math.max(0, Math.round(totalSeconds));
  const days = Math.floor(s / 86400);
  return `Sync time: ${days}d${pad(Math.floor((s % 86400) / 3600))}h${pad(Math.floor((s % 3600) / 60))}m${pad(s % 60)}s`;
}
