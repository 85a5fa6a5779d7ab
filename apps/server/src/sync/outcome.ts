// What follows a run's end, as ConfigMgr does it and where administrators asked for more (domain.md §7): a failure
// raises the sync alert (when "Alert when synchronization fails" is on), schedules a retry after retryMinutes and
// notifies subscribers; the next success cancels the alert and says the site recovered. New products and
// classifications raise their own alert.
import type {
  NewCategoriesAlertDetails,
  NewCategoryRef,
  NotificationEvent,
  RunTrigger,
  SyncFailedAlertDetails,
} from "@syncpoint/contracts";
import type { Alert, SyncRun } from "@syncpoint/db";
import type { AppContext } from "../context.ts";
import { enqueueNotification } from "../notifications/dispatch.ts";
import { recordRunFinished } from "../observability/metrics.ts";
import { cancelAlert, findOpenAlert, findOpenAlerts, raiseAlert, type AlertCondition } from "../services/alerts.ts";
import { publishSupStatus } from "../services/sync-status.ts";

export const failedAlertKey = (siteCode: string) => `sync-failed:${siteCode}`;
export const stalledAlertKey = (siteCode: string) => `sync-stalled:${siteCode}`;

export async function afterRunEnded(ctx: AppContext, runId: string): Promise<void> {
  const { sup, ...run } = await ctx.prisma.syncRun.findUniqueOrThrow({
    where: { id: runId },
    include: { sup: { select: { retryAt: true } } },
  });
  recordRunFinished(ctx, {
    trigger: run.trigger as RunTrigger,
    state: run.state,
    durationSeconds: run.startedAt && run.finishedAt ? (run.finishedAt.getTime() - run.startedAt.getTime()) / 1000 : 0,
    counts: {
      new: run.countNew,
      revised: run.countRevised,
      expired: run.countExpired,
      superseded: run.countSuperseded,
      removed: run.countRemoved,
    },
  });
  // One read for both alerts a run's end may cancel (a cascade ends thousands of runs that have neither).
  const open = await findOpenAlerts(ctx, [stalledAlertKey(run.siteCode), failedAlertKey(run.siteCode)]);
  // A run that ended is no longer stalled, whatever its outcome.
  await cancelAlert(ctx, stalledAlertKey(run.siteCode), open.get(stalledAlertKey(run.siteCode)) ?? null);
  if (run.state === "succeeded")
    await runSucceeded(ctx, run, {
      retryScheduled: sup.retryAt !== null,
      failedAlert: open.get(failedAlertKey(run.siteCode)) ?? null,
    });
  else if (run.state === "failed") await runFailed(ctx, run);
}

async function runSucceeded(
  ctx: AppContext,
  run: SyncRun,
  found: { retryScheduled: boolean; failedAlert: Alert | null },
): Promise<void> {
  // The run's own events carried its end; the status row changes again only when a retry was scheduled.
  const retryCleared = found.retryScheduled
    ? await ctx.prisma.softwareUpdatePoint.updateMany({
        where: { id: run.supId, retryAt: { not: null } },
        data: { retryAt: null },
      })
    : { count: 0 };
  const canceled = await cancelAlert(ctx, failedAlertKey(run.siteCode), found.failedAlert);
  if (canceled) {
    await notifyAboutRun(ctx, "sync-recovered", run, {
      title: `${run.siteCode}: synchronization succeeded again`,
      message: `Software update synchronization of ${run.siteCode} succeeded after failing since ${canceled.raisedAt}. The sync alert is canceled.`,
      alertId: canceled.id,
    });
  }
  if (retryCleared.count > 0) await publishSupStatus(ctx, run.siteCode);
}

async function runFailed(ctx: AppContext, run: SyncRun): Promise<void> {
  const settings = await ctx.prisma.supSettings.findUnique({ where: { id: 1 } });
  const retryMinutes = settings?.retryMinutes ?? 60;
  const retryAt = new Date(Date.now() + retryMinutes * 60_000);
  await ctx.prisma.softwareUpdatePoint.update({ where: { id: run.supId }, data: { retryAt } });
  await ctx.prisma.syncLogLine.create({
    data: {
      runId: run.id,
      severity: "warning",
      thread: process.pid % 100_000,
      text: `Sync failed. Will retry in ${retryMinutes} minutes, at ${retryAt.toISOString()}`,
    },
  });
  if (settings?.syncFailureAlert !== false) {
    const condition: AlertCondition = {
      key: failedAlertKey(run.siteCode),
      type: "sync-failed",
      severity: "error",
      siteCode: run.siteCode,
      title: `${run.siteCode}: software update synchronization failed`,
      message: `${run.errorMessage ?? "The synchronization failed."} (${run.errorCode ?? "unknown error"}). A retry is scheduled for ${retryAt.toISOString()}.`,
      details: {
        runId: run.id,
        errorCode: run.errorCode,
        errorMessage: run.errorMessage,
        retryAt: retryAt.toISOString(),
      } satisfies SyncFailedAlertDetails,
    };
    const wasOpen = await findOpenAlert(ctx, condition.key);
    const alert = await raiseAlert(ctx, condition);
    // Subscribers hear about the first failure, not about every retry that fails the same way.
    if (!wasOpen)
      await notifyAboutRun(ctx, "sync-failed", run, { title: alert.title, message: alert.message, alertId: alert.id });
  }
  await publishSupStatus(ctx, run.siteCode);
}

export async function notifyAboutRun(
  ctx: AppContext,
  event: NotificationEvent,
  run: Pick<SyncRun, "id" | "siteCode" | "errorCode">,
  text: { title: string; message: string; alertId: string | null },
): Promise<void> {
  const base = ctx.config.PUBLIC_URL?.replace(/\/$/, "");
  await enqueueNotification(ctx, event, {
    siteCode: run.siteCode,
    title: text.title,
    message: text.message,
    alertId: text.alertId,
    runId: run.id,
    errorCode: run.errorCode,
    consoleUrl: base ? `${base}/monitoring/sync-runs/${run.id}` : null,
  });
}

const CATEGORY_KIND: Record<string, string> = {
  UpdateClassification: "classification",
  Product: "product",
  ProductFamily: "product family",
  Company: "company",
};

/**
 * Products and classifications that appeared since the last sync are not synchronized until someone selects them:
 * say so with an alert rather than let them pass unnoticed (domain.md §7). The first sync finds everything new and
 * flags nothing.
 */
export async function alertNewCategories(ctx: AppContext, siteCode: string, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  const flagged = await ctx.prisma.category.findMany({
    where: { id: { in: ids }, isNew: true },
    orderBy: [{ categoryType: "asc" }, { title: "asc" }],
  });
  if (flagged.length === 0) return;
  const open = await findOpenAlert(ctx, "new-categories");
  // Still-open alert: it keeps naming what it named before, plus what is new now.
  const earlier = ((open?.details as Partial<NewCategoriesAlertDetails> | null)?.categories ?? []).filter(
    (c) => !flagged.some((f) => f.id === c.id),
  );
  const categories: NewCategoryRef[] = [
    ...earlier,
    ...flagged.map((c) => ({ id: c.id, title: c.title, type: CATEGORY_KIND[c.categoryType] ?? c.categoryType })),
  ];
  const plural = categories.length === 1 ? "" : "s";
  const alert = await raiseAlert(ctx, {
    key: "new-categories",
    type: "new-categories",
    severity: "warning",
    siteCode,
    title: `${categories.length} new product${plural} or classification${plural} available`,
    message:
      `The upstream now offers ${categories.map((c) => `${c.title} (${c.type})`).join(", ")}. ` +
      "They are not synchronized until they are selected in the software update point component properties.",
    details: { categories } satisfies NewCategoriesAlertDetails,
  });
  const base = ctx.config.PUBLIC_URL?.replace(/\/$/, "");
  await enqueueNotification(ctx, "new-categories", {
    siteCode,
    title: alert.title,
    message: alert.message,
    alertId: alert.id,
    runId: null,
    errorCode: null,
    consoleUrl: base ? `${base}/monitoring/alerts` : null,
  });
}
