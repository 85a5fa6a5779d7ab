// The RunReporter of one run on Postgres: status messages, log lines and progress are stored first (REST is the
// source of truth) and then pushed as socket events — a phase or progress change in the same transaction as its events
// (services/sync-status.ts `changeRun`). Progress is throttled; phase and state changes are not.
import { STATUS_MESSAGES, SYNC_MANAGER_COMPONENT, type RunPhase, type StatusMessageId } from "@syncpoint/contracts";
import { estimateSecondsLeft, overallPercent, type RunReporter, type Severity } from "@syncpoint/sync";
import type { AppContext } from "../context.ts";
import { changeRun } from "../services/sync-status.ts";

const SEVERITY_LETTER = { info: "I", warning: "W", error: "E" } as const;

export class DbRunReporter implements RunReporter {
  private currentPhase: RunPhase = "authorize";
  private phaseStarted = Date.now();
  private lastPublished = 0;

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
    const final = processed === 0 || processed >= total;
    if (!final && Date.now() - this.lastPublished < this.progressIntervalMs) return;
    const eta = estimateSecondsLeft(processed, total, Date.now() - this.phaseStarted);
    this.lastPublished = Date.now();
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
    const line = await this.ctx.prisma.syncLogLine.create({
      data: { runId: this.run.id, severity, thread: this.thread, text },
    });
    await this.ctx.events.syncLog(this.run.id, [
      { seq: Number(line.id), time: line.time.toISOString(), severity, text: line.text },
    ]);
  }
}
