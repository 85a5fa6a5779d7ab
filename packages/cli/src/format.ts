// Output for people: labels of the vocabulary, numbers, times, durations, and plain-text tables. `--json` bypasses
// all of it and prints the API's parsed answer.
import type { RunPhase, SupState } from "@syncpoint/contracts";

/** The phases as the console names them. */
export const PHASE_LABELS: Record<RunPhase, string> = {
  authorize: "Authorizing with the upstream server",
  config: "Getting the server configuration",
  categories: "Synchronizing categories",
  revisions: "Getting the update revisions",
  updates: "Synchronizing updates",
  apply: "Synchronizing the site database",
  supersedence: "Applying supersedence rules",
  commit: "Committing the catalog",
  notify: "Notifying child sites",
};

export const STATE_LABELS: Record<SupState, string> = {
  queued: "Queued",
  running: "Running",
  canceling: "Canceling",
  succeeded: "Succeeded",
  failed: "Failed",
  canceled: "Canceled",
  never: "Never synchronized",
};

export const WAITING_LABELS: Record<string, string> = {
  worker: "waiting for a free worker process",
  resume: "its worker stopped; waiting for another worker to resume it",
  "no-worker": "no worker process is running (start one: pnpm start, or --role worker)",
};

const numberFormat = new Intl.NumberFormat("en-US");

/** 1234 → "1,234". */
export const num = (n: number): string => numberFormat.format(n);

/** A rough duration for an estimate: "45 s", "1 min", "2 h 5 min". */
export function approxDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const minutes = Math.round(s / 60);
  if (minutes < 60) return `${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m ? `${h} h ${m} min` : `${h} h`;
}

/** An exact elapsed time: "850 ms", "12 s", "3 min 5 s", "1 h 2 min". */
export function elapsed(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ""}`;
  const m = Math.floor(s / 60);
  return `${Math.floor(m / 60)} h${m % 60 ? ` ${m % 60} min` : ""}`;
}

/** ISO-8601 → "2026-05-01 12:34:56Z" (UTC, as the API gives it); null → "—". */
export function time(iso: string | null | undefined): string {
  if (!iso) return "—";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d
    .toISOString()
    .replace("T", " ")
    .replace(/\.\d+Z$/, "Z");
}

export const dash = (value: string | number | null | undefined): string =>
  value === null || value === undefined || value === "" ? "—" : String(value);

export const yesNo = (value: boolean): string => (value ? "yes" : "no");

export interface Column {
  header: string;
  align?: "left" | "right";
  /** Longer cells are cut with "…". */
  max?: number;
}

function cut(text: string, max: number | undefined): string {
  if (max === undefined || text.length <= max) return text;
  return max <= 1 ? text.slice(0, max) : `${text.slice(0, max - 1)}…`;
}

/** A plain-text table: a header row, then one line per row, columns two spaces apart, no trailing spaces. */
export function table(columns: Column[], rows: string[][]): string {
  const cells = rows.map((row) => columns.map((c, i) => cut((row[i] ?? "").replace(/\s+/g, " "), c.max)));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((row) => row[i]!.length)));
  const line = (row: string[]) =>
    row
      .map((cell, i) => (columns[i]!.align === "right" ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(columns.map((c) => c.header)), ...cells.map(line)].join("\n") + "\n";
}

/** Label/value lines with the labels padded to one width (a value's further lines indented under the first). */
export function fields(pairs: [string, string][]): string {
  const width = Math.max(...pairs.map(([label]) => label.length));
  const indent = "\n" + " ".repeat(width + 2);
  return pairs.map(([label, value]) => `${label.padEnd(width)}  ${value.split("\n").join(indent)}`).join("\n") + "\n";
}
