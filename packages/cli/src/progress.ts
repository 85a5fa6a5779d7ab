// Following one run: a line for its phase and progress, printed only when it changes
// ("Synchronizing updates 62% (1,234 of 3,000), about 1 min left"), then its outcome with the counts.
import type { SyncRunDto } from "@syncpoint/contracts";
import { EXIT } from "./io.ts";
import { approxDuration, elapsed, num, PHASE_LABELS, WAITING_LABELS } from "./format.ts";

export const TERMINAL_STATES = new Set(["succeeded", "failed", "canceled"]);

export const isTerminal = (run: Pick<SyncRunDto, "state">): boolean => TERMINAL_STATES.has(run.state);

/** The run's state, phase and progress in one line (for a finished run: its outcome). */
export function progressLine(run: SyncRunDto): string {
  switch (run.state) {
    case "queued": {
      const why = run.waitingReason ? (WAITING_LABELS[run.waitingReason] ?? run.waitingReason) : undefined;
      return why ? `Queued: ${why}` : "Queued";
    }
    case "canceling":
      return "Canceling…";
    case "running": {
      if (!run.phase) return `Starting ${run.percent}%`;
      let line = `${PHASE_LABELS[run.phase]} ${run.percent}%`;
      if (run.total > 0) line += ` (${num(run.processed)} of ${num(run.total)})`;
      if (run.etaSeconds !== null && run.etaSeconds > 0) line += `, about ${approxDuration(run.etaSeconds)} left`;
      return line;
    }
    default:
      return outcomeLine(run);
  }
}

export function countsText(run: SyncRunDto): string {
  const c = run.counts;
  return `${num(c.new)} new, ${num(c.revised)} revised, ${num(c.expired)} expired, ${num(c.superseded)} superseded, ${num(c.removed)} removed`;
}

function catalogText(run: SyncRunDto): string {
  const { catalogVersionBefore: before, catalogVersionAfter: after } = run;
  if (after === null) return "";
  return before !== null && before !== after ? `catalog version ${before} → ${after}` : `catalog version ${after}`;
}

function tookText(run: SyncRunDto): string {
  if (!run.startedAt || !run.finishedAt) return "";
  return ` in ${elapsed(Date.parse(run.finishedAt) - Date.parse(run.startedAt))}`;
}

/** "Succeeded in 4 s: 300 new, …; catalog version 0 → 1" · "Failed: CODE: message" · "Canceled". */
export function outcomeLine(run: SyncRunDto): string {
  switch (run.state) {
    case "succeeded": {
      const catalog = catalogText(run);
      return `Succeeded${tookText(run)}: ${countsText(run)}${catalog ? `; ${catalog}` : ""}`;
    }
    case "failed":
      return `Failed${tookText(run)}: ${run.errorCode ?? "UNKNOWN"}: ${run.errorMessage ?? "the run failed"}`;
    case "canceled":
      return `Canceled${tookText(run)}: the catalog is unchanged`;
    default:
      return progressLine(run);
  }
}

/** 0 succeeded, 2 failed, 3 canceled. */
export function exitCodeOf(run: SyncRunDto): number {
  if (run.state === "succeeded") return EXIT.ok;
  if (run.state === "canceled") return EXIT.syncCanceled;
  return EXIT.syncFailed;
}

/**
 * Prints a run each time its line changes: the line for people, or the run as one JSON line with `--json`.
 * The outcome is always printed once.
 */
export class ProgressPrinter {
  private last: string | undefined;

  constructor(
    private readonly write: (text: string) => void,
    private readonly json: boolean,
  ) {}

  /** Returns whether something was printed. */
  update(run: SyncRunDto): boolean {
    const line = progressLine(run);
    if (line === this.last) return false;
    this.last = line;
    this.write(this.json ? `${JSON.stringify(run)}\n` : `${line}\n`);
    return true;
  }
}
