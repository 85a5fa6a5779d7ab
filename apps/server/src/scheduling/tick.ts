// The scheduler: one function, `tick(now)`, decides everything time-driven — a scheduled sync that is due, retries
// of failed runs, stalled runs. pg-boss's cron only calls it once a minute; tests call it with any clock. Every
// decision is claimed with a conditional update, so two ticks at once (two workers) never do the same thing twice.
import type { SyncStalledAlertDetails } from "@syncpoint/contracts";
import type { AppContext } from "../context.ts";
import { raiseAlert } from "../services/alerts.ts";
import { scheduleAnchor, storedSchedule } from "../services/sup-settings.ts";
import { topLevelSite } from "../services/sync-runs.ts";
import { publishSupStatus } from "../services/sync-status.ts";
import { notifyAboutRun, stalledAlertKey } from "../sync/outcome.ts";
import { queueRun } from "../sync/queue-run.ts";
import { nextOccurrence } from "./recurrence.ts";

export interface TickReport {
  /** The scheduled run queued, or why none was. */
  scheduled: { runId: string } | { skipped: "not-due" | "disabled" | "paused" | "run-active" };
  retried: string[];
  stalled: string[];
}

export async function tick(ctx: AppContext, now: Date): Promise<TickReport> {
  return {
    scheduled: await runScheduleIfDue(ctx, now),
    retried: await retryFailedSites(ctx, now),
    stalled: await flagStalledRuns(ctx, now),
  };
}

async function runScheduleIfDue(ctx: AppContext, now: Date): Promise<TickReport["scheduled"]> {
  const settings = await ctx.prisma.supSettings.findUnique({ where: { id: 1 } });
  if (!settings?.scheduleEnabled) return { skipped: "disabled" };
  const schedule = storedSchedule(settings);
  if (!settings.nextSyncAt) {
    // A schedule never computed (a fresh installation): its first time counts from now.
    await ctx.prisma.supSettings.updateMany({
      where: { id: 1, nextSyncAt: null },
      data: {
        nextSyncAt: nextOccurrence(schedule, now, scheduleAnchor(schedule, { nextSyncAt: null, updatedAt: now })),
      },
    });
    return { skipped: "not-due" };
  }
  if (settings.nextSyncAt > now) return { skipped: "not-due" };
  // Claim this occurrence by moving the schedule on; a schedule edited meanwhile changed nextSyncAt and wins.
  const next = nextOccurrence(schedule, now, scheduleAnchor(schedule, settings));
  const claimed = await ctx.prisma.supSettings.updateMany({
    where: { id: 1, nextSyncAt: settings.nextSyncAt },
    data: { nextSyncAt: next },
  });
  if (claimed.count === 0) return { skipped: "not-due" };
  // While paused, occurrences pass without running (a maintenance window), as the console says.
  if (settings.schedulesPaused) return { skipped: "paused" };
  const { site, sup } = await topLevelSite(ctx);
  const result = await queueRun(ctx, {
    siteCode: site.code,
    supId: sup.id,
    trigger: "schedule",
    catalogVersionBefore: sup.catalogVersion,
  });
  if (!result.queued) {
    ctx.logger.info({ site: site.code, activeRunId: result.activeRunId }, "scheduled sync skipped: a run is active");
    return { skipped: "run-active" };
  }
  return { runId: result.runId };
}

/** Sites whose last run failed and whose retry time has come get a run with trigger `retry`. */
async function retryFailedSites(ctx: AppContext, now: Date): Promise<string[]> {
  const settings = await ctx.prisma.supSettings.findUnique({ where: { id: 1 } });
  if (settings?.schedulesPaused) return [];
  const due = await ctx.prisma.softwareUpdatePoint.findMany({ where: { retryAt: { lte: now } } });
  const retried: string[] = [];
  for (const sup of due) {
    const claimed = await ctx.prisma.softwareUpdatePoint.updateMany({
      where: { id: sup.id, retryAt: sup.retryAt },
      data: { retryAt: null },
    });
    if (claimed.count === 0) continue;
    // A disconnected top-level site has no upstream to retry from: its retry applies the update package again (the
    // failed run's), and without one there is nothing to retry.
    let packageId: string | undefined;
    if (sup.syncSource !== "parent" && settings?.syncSource === "disconnected") {
      const last = await ctx.prisma.syncRun.findFirst({
        where: { supId: sup.id, state: "failed" },
        orderBy: { queuedAt: "desc" },
        select: { packageId: true },
      });
      if (!last?.packageId) continue;
      packageId = last.packageId;
    }
    const result = await queueRun(ctx, {
      siteCode: sup.siteCode,
      supId: sup.id,
      trigger: "retry",
      catalogVersionBefore: sup.catalogVersion,
      ...(packageId ? { packageId } : {}),
    });
    if (result.queued) retried.push(sup.siteCode);
    else await publishSupStatus(ctx, sup.siteCode);
  }
  return retried;
}

/**
 * A running run without progress for stalledMinutes gets a warning in its log and an alert — early enough for
 * someone to look before runTimeoutMinutes ends it. Once per run.
 */
async function flagStalledRuns(ctx: AppContext, now: Date): Promise<string[]> {
  const settings = await ctx.prisma.supSettings.findUnique({ where: { id: 1 } });
  const stalledMinutes = settings?.stalledMinutes ?? 30;
  const cutoff = new Date(now.getTime() - stalledMinutes * 60_000);
  const runs = await ctx.prisma.syncRun.findMany({
    where: { state: "running", stalledAt: null, lastProgressAt: { lt: cutoff } },
  });
  const flagged: string[] = [];
  for (const run of runs) {
    const claimed = await ctx.prisma.syncRun.updateMany({
      where: { id: run.id, stalledAt: null },
      data: { stalledAt: now },
    });
    if (claimed.count === 0) continue;
    const since = run.lastProgressAt!.toISOString();
    const line = await ctx.prisma.syncLogLine.create({
      data: {
        runId: run.id,
        severity: "warning",
        thread: process.pid % 100_000,
        text: `No progress since ${since} (more than ${stalledMinutes} minutes); the run is stopped after ${ctx.config.RUN_TIMEOUT_MINUTES} minutes without progress`,
      },
    });
    await ctx.events.syncLog(run.id, [
      { seq: Number(line.id), time: line.time.toISOString(), severity: "warning", text: line.text },
    ]);
    const alert = await raiseAlert(ctx, {
      key: stalledAlertKey(run.siteCode),
      type: "sync-stalled",
      severity: "warning",
      siteCode: run.siteCode,
      title: `${run.siteCode}: synchronization stalled`,
      message: `The synchronization of ${run.siteCode} has made no progress since ${since} (phase ${run.phase ?? "unknown"}).`,
      details: { runId: run.id, phase: run.phase, lastProgressAt: since } satisfies SyncStalledAlertDetails,
    });
    await notifyAboutRun(ctx, "sync-stalled", run, { title: alert.title, message: alert.message, alertId: alert.id });
    flagged.push(run.siteCode);
  }
  return flagged;
}
