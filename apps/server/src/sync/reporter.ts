// The RunReporter of one run on Postgres: status messages, log lines and progress are stored first (REST is the
// source of truth) and then pushed as socket events — a phase or progress change in the same transaction as its events
// (services/sync-status.ts `changeRun`). Progress is throttled; phase and state changes are not. Log lines are written
// in small batches (at most LOG_FLUSH_MS after they were logged), so a run's two dozen lines cost a few statements
// instead of two round trips each; the executor calls `flush()` before the run ends.
import { STATUS_MESSAGES, SYNC_MANAGER_COMPONENT, type RunPhase, type StatusMessageId } from "@syncpoint/contracts";
import { estimateSecondsLeft, overallPercent, type RunReporter, type Severity } from "@syncpoint/sync";
import type { AppContext } from "../context.ts";
import { changeRun } from "../services/sync-status.ts";

const SEVERITY_LETTER = { info: "I", warning: "W", error: "E" } as const;

/** Longest a log line waits in memory before it is stored and sent (ms). */
export const LOG_FLUSH_MS = 100;
/** Most lines stored by one statement. */
const LOG_BATCH_MAX = 200;

interface PendingLine {
  time: Date;
  severity: Severity;
  text: string;
}

export class DbRunReporter implements RunReporter {
  private currentPhase: RunPhase = "authorize";
  private phaseStarted = Date.now();
  private lastPublished = 0;
  /** The counts the run's row holds now (a phase starts at 0 of 0). */
  private shown = { processed: 0, total: 0 };
  private pending: PendingLine[] = [];
  private flushTimer: NodeJS.Timeout | undefined;
  /** The flush in progress: flushes run one after another, so lines are stored in the order they were logged. */
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly ctx: AppContext,
    private readonly run: { id: string; siteCode: string },
    private readonly thread: number,
    /** Least time between two progress updates (ms); phase and state changes always go out. */
    private readonly progressIntervalMs = 250,
  ) {}

  async phase(phase: RunPhase): Promise<void> {
    this.currentPhase = phase;
    this.phaseStarted = Date.now();
    this.lastPublished = Date.now();
    this.shown = { processed: 0, total: 0 };
    await changeRun(this.ctx, {
      where: { id: this.run.id },
      data: {
        phase,
        processed: 0,
        total: 0,
        etaSeconds: null,
        percent: overallPercent(phase, 0, 0),
        lastProgressAt: new Date(),
      },
    });
  }

  async progress(processed: number, total: number): Promise<void> {
    // Between the first and the last, progress is stored and sent at most once per interval (a full sync has
    // thousands of batches); lastProgressAt still moves far more often than the run timeout needs.
    // The row already says so (a phase with nothing to fetch reports 0 of 0 right after starting at 0 of 0).
    if (processed === this.shown.processed && total === this.shown.total) return;
    const final = processed === 0 || processed >= total;
    if (!final && Date.now() - this.lastPublished < this.progressIntervalMs) return;
    const eta = estimateSecondsLeft(processed, total, Date.now() - this.phaseStarted);
    this.lastPublished = Date.now();
    this.shown = { processed, total };
    await changeRun(this.ctx, {
      where: { id: this.run.id },
      data: {
        processed,
        total,
        percent: overallPercent(this.currentPhase, processed, total),
        etaSeconds: eta ?? null,
        lastProgressAt: new Date(),
      },
    });
  }

  async statusMessage(id: StatusMessageId, insertionStrings: string[] = []): Promise<void> {
    const severity = STATUS_MESSAGES[id].severity;
    await this.ctx.prisma.statusMessage.create({
      data: {
        siteCode: this.run.siteCode,
        runId: this.run.id,
        messageId: id,
        severity: SEVERITY_LETTER[severity],
        component: SYNC_MANAGER_COMPONENT,
        insertionStrings,
      },
    });
    await this.log(
      `STATMSG: ID=${id} SEV=${SEVERITY_LETTER[severity]} LEV=M SOURCE="SMS Server" COMP="${SYNC_MANAGER_COMPONENT}" SITE=${this.run.siteCode} ` +
        insertionStrings.map((s, i) => `ISTR${i}="${s.replaceAll('"', "'")}"`).join(" "),
      severity,
    );
  }

  async log(text: string, severity: Severity = "info"): Promise<void> {
    this.pending.push({ time: new Date(), severity, text });
    if (this.pending.length >= LOG_BATCH_MAX) return this.flush();
    this.flushTimer ??= setTimeout(() => {
      this.flush().catch((error: unknown) =>
        this.ctx.logger.error({ err: error, runId: this.run.id }, "could not store a run's log lines"),
      );
    }, LOG_FLUSH_MS);
  }

  /** Stores and sends the lines logged so far (one INSERT, one event). */
  flush(): Promise<void> {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const lines = this.pending.splice(0);
    const previous = this.flushing;
    this.flushing = (async () => {
      await previous.catch(() => undefined);
      if (lines.length === 0) return;
      const rows = await this.ctx.prisma.syncLogLine.createManyAndReturn({
        data: lines.map((l) => ({
          runId: this.run.id,
          severity: l.severity,
          thread: this.thread,
          text: l.text,
          time: l.time,
        })),
        select: { id: true, time: true, severity: true, text: true },
      });
      rows.sort((a, b) => (a.id < b.id ? -1 : 1));
      await this.ctx.events.syncLog(
        this.run.id,
        rows.map((line) => ({
          seq: Number(line.id),
          time: line.time.toISOString(),
          severity: line.severity as Severity,
          text: line.text,
        })),
      );
    })();
    return this.flushing;
  }
}
