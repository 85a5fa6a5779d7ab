// The RunReporter of one run on Postgres: status messages, log lines and progress are stored first (REST is the
// source of truth) and then pushed as socket events — a phase or progress change in the same transaction as its events
// (services/sync-status.ts `changeRun`). Phase and progress changes go out at most once per RUN_EVENT_INTERVAL_MS, the
// latest at the end of the interval (a child site's run passes through nine phases in half a second: each would be a
// transaction and an event to every console); state changes are the executor's and never wait. Log lines and status
// messages are written in small batches (at most LOG_FLUSH_MS after they were logged, each with the time it was
// logged), both in one statement, so a run's two dozen lines and four status messages cost a few round trips instead
// of two each; the executor calls `flush()` before the run ends. This is the hot path of a cascade (thousands of
// short child runs), so it talks to `pg` directly: a Prisma call costs several times the CPU of the same statement.
import { STATUS_MESSAGES, SYNC_MANAGER_COMPONENT, type RunPhase, type StatusMessageId } from "@syncpoint/contracts";
import { estimateSecondsLeft, overallPercent, type RunReporter, type Severity } from "@syncpoint/sync";
import type { AppContext } from "../context.ts";
import { changeRun, type RunChange } from "../services/sync-status.ts";

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

interface PendingMessage {
  messageId: StatusMessageId;
  severity: string;
  time: Date;
  insertionStrings: string[];
}

/**
 * The batch's status messages and log lines in one statement ($1 site, $2 run, $3 component, $4 messages as JSON,
 * $5 thread, $6 lines as JSON); returns the lines, whose ids follow the order they were logged in.
 */
const FLUSH_SQL = `
  WITH messages AS (
    INSERT INTO status_messages (site_code, run_id, message_id, severity, component, time, insertion_strings)
    SELECT $1, $2::uuid, m.message_id, m.severity, $3, m.time, m.insertion_strings
    FROM json_to_recordset($4::json) AS m(message_id int, severity text, time timestamptz, insertion_strings text[])
  )
  INSERT INTO sync_log_lines (run_id, time, severity, thread, text)
  SELECT $2::uuid, (l.line->>'time')::timestamptz, l.line->>'severity', $5, l.line->>'text'
  FROM json_array_elements($6::json) WITH ORDINALITY AS l(line, n)
  ORDER BY l.n
  RETURNING id::text, time, severity, text`;

/**
 * The phase and counts a run's claim stores (executor.ts), as `phase("authorize")` would: the engine's first phase
 * then costs no publication of its own.
 */
export const CLAIM_PHASE = "authorize" satisfies RunPhase;
export const claimProgress = () =>
  ({
    phase: CLAIM_PHASE,
    processed: 0,
    total: 0,
    etaSeconds: null,
    percent: overallPercent(CLAIM_PHASE, 0, 0),
  }) as const;

export class DbRunReporter implements RunReporter {
  private currentPhase: RunPhase = "authorize";
  private phaseStarted = Date.now();
  /** When the last phase or progress change was published (0: never by this reporter). */
  private lastPublished = 0;
  /** The counts the run's row holds now, or will once the unpublished change goes out (a phase starts at 0 of 0). */
  private shown = { processed: 0, total: 0 };
  /** The latest phase or progress change not published yet, waiting for the trailing edge of the interval. */
  private unpublished: RunChange | undefined;
  private publishTimer: NodeJS.Timeout | undefined;
  /** The publication in progress: they go out one after another, so the row never moves backwards. */
  private publishing: Promise<void> = Promise.resolve();
  private pending: PendingLine[] = [];
  private pendingMessages: PendingMessage[] = [];
  private flushTimer: NodeJS.Timeout | undefined;
  /** The flush in progress: flushes run one after another, so lines are stored in the order they were logged. */
  private flushing: Promise<void> = Promise.resolve();

  /** The phase the run's claim set (see CLAIM_PHASE), until the engine enters its first phase. */
  private claimedPhase: RunPhase | undefined;

  constructor(
    private readonly ctx: AppContext,
    private readonly run: { id: string; siteCode: string },
    private readonly thread: number,
    /**
     * Least time between two published phase or progress changes (ms; RUN_EVENT_INTERVAL_MS). Within it, changes
     * coalesce and the latest goes out at its end; state changes (the executor's) never wait.
     */
    private readonly publishIntervalMs = 250,
    options: { claimed?: boolean } = {},
  ) {
    if (options.claimed) {
      this.claimedPhase = CLAIM_PHASE;
      this.lastPublished = Date.now();
    }
  }

  async phase(phase: RunPhase): Promise<void> {
    // The claim that started the run stored and published its first phase at 0 of 0 already.
    if (this.claimedPhase === phase) {
      this.claimedPhase = undefined;
      return;
    }
    this.claimedPhase = undefined;
    this.currentPhase = phase;
    this.phaseStarted = Date.now();
    this.shown = { processed: 0, total: 0 };
    await this.publish({
      phase,
      processed: 0,
      total: 0,
      etaSeconds: null,
      percent: overallPercent(phase, 0, 0),
      lastProgressAt: new Date(),
    });
  }

  async progress(processed: number, total: number): Promise<void> {
    // The row already says so (a phase with nothing to fetch reports 0 of 0 right after starting at 0 of 0).
    if (processed === this.shown.processed && total === this.shown.total) return;
    const eta = estimateSecondsLeft(processed, total, Date.now() - this.phaseStarted);
    this.shown = { processed, total };
    await this.publish({
      processed,
      total,
      percent: overallPercent(this.currentPhase, processed, total),
      etaSeconds: eta ?? null,
      lastProgressAt: new Date(),
    });
  }

  /**
   * A phase or progress change: stored and published at once when the last one went out at least an interval ago,
   * otherwise merged into the unpublished change that goes out at the end of the interval. A phase lasting a few
   * milliseconds (a child site's run passes through nine in half a second) then costs no transaction and no event
   * to every console of its own; what a console shows lags by at most the interval.
   */
  private async publish(change: RunChange): Promise<void> {
    this.unpublished = { ...this.unpublished, ...change };
    if (this.publishTimer) return;
    const wait = this.lastPublished + this.publishIntervalMs - Date.now();
    if (wait > 0) {
      this.publishTimer = setTimeout(() => {
        this.publishTimer = undefined;
        this.publishNow().catch((error: unknown) =>
          this.ctx.logger.error({ err: error, runId: this.run.id }, "could not publish a run's progress"),
        );
      }, wait);
      return;
    }
    await this.publishNow();
  }

  private publishNow(): Promise<void> {
    const previous = this.publishing;
    this.publishing = (async () => {
      await previous.catch(() => undefined);
      const change = this.unpublished;
      this.unpublished = undefined;
      if (!change) return;
      this.lastPublished = Date.now();
      await changeRun(this.ctx, { where: { id: this.run.id }, data: change });
    })();
    return this.publishing;
  }

  /**
   * Before the run's state changes (it ended, or goes back to the queue): no change goes out after that, and the
   * one not published yet is returned for the state change to carry (the phase a failed run stopped in).
   */
  async settle(): Promise<RunChange> {
    clearTimeout(this.publishTimer);
    this.publishTimer = undefined;
    await this.publishing.catch(() => undefined);
    const change = this.unpublished ?? {};
    this.unpublished = undefined;
    return change;
  }

  async statusMessage(id: StatusMessageId, insertionStrings: string[] = []): Promise<void> {
    const severity = STATUS_MESSAGES[id].severity;
    // Stored with the log line below, in the same statement.
    this.pendingMessages.push({
      messageId: id,
      severity: SEVERITY_LETTER[severity],
      time: new Date(),
      insertionStrings,
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

  /** Stores the status messages and lines logged so far (one statement) and sends the lines (one event). */
  flush(): Promise<void> {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const lines = this.pending.splice(0);
    const messages = this.pendingMessages.splice(0);
    const previous = this.flushing;
    this.flushing = (async () => {
      await previous.catch(() => undefined);
      if (lines.length === 0 && messages.length === 0) return;
      const { rows } = await this.ctx.pool.query<{ id: string; time: Date; severity: string; text: string }>(
        FLUSH_SQL,
        [
          this.run.siteCode,
          this.run.id,
          SYNC_MANAGER_COMPONENT,
          JSON.stringify(
            messages.map((m) => ({
              message_id: m.messageId,
              severity: m.severity,
              time: m.time.toISOString(),
              insertion_strings: m.insertionStrings,
            })),
          ),
          this.thread,
          JSON.stringify(lines.map((l) => ({ time: l.time.toISOString(), severity: l.severity, text: l.text }))),
        ],
      );
      // RETURNING promises no order; the ids do (bigints as text, compared by length first).
      rows.sort((a, b) => a.id.length - b.id.length || (a.id < b.id ? -1 : 1));
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
