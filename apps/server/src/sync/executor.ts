// The worker side of a run: claim it, resolve where the site syncs from, run the engine, record the outcome.
import { runSync, SyncError } from "@syncpoint/sync";
import { WsusssClient } from "@syncpoint/wsusss";
import type { SupSettings } from "@syncpoint/db";
import type { AppContext } from "../context.ts";
import { changeRun } from "../services/sync-status.ts";
import { anchorVersion } from "../sup-endpoint/backend.ts";
import { removeObsoleteRevisions } from "../maintenance/obsolete-revisions.ts";
import { DEFAULT_CATALOG_RULES, PostgresCatalogStore, type CatalogRules } from "./catalog-store.ts";
import { childSites, queueParentRun } from "./cascade.ts";
import { handBackRun, holdLease } from "./leases.ts";
import { afterRunEnded, alertNewCategories } from "./outcome.ts";
import { upstreamOf, type UpstreamConnection } from "./upstream-connection.ts";
import { keepParentCookie, parentCookie } from "./parent-sessions.ts";
import { claimProgress, DbRunReporter } from "./reporter.ts";
import { importPlan, queuePendingImports } from "./imports.ts";
import { openPackageRun, withPackage, type PackageRun } from "./package-session.ts";

export interface ExecutorOptions {
  workerId: string;
  /** How often a running run checks whether it was asked to cancel. */
  cancelPollMs?: number;
  /** Timeout of each upstream call. */
  upstreamTimeoutMs?: number;
  /** Aborted when this worker stops (SIGTERM): the run stops at its next checkpoint and is handed back, queued. */
  shutdown?: AbortSignal;
}

/** The Supersedence Rules and Maximum Run Time of the component settings. */
function catalogRules(settings: SupSettings | null): CatalogRules {
  if (!settings) return DEFAULT_CATALOG_RULES;
  return {
    expireImmediately: settings.supersedenceExpireImmediately,
    months: settings.supersedenceMonths,
    featureExpireImmediately: settings.featureSupersedenceExpireImmediately,
    featureMonths: settings.featureSupersedenceMonths,
    maxRunTime: {
      feature: settings.featureUpdateMaxRunTimeMinutes,
      windowsOrOffice: settings.nonFeatureUpdateMaxRunTimeMinutes,
      other: settings.otherUpdateMaxRunTimeMinutes,
    },
  };
}

/** WSUS Maintenance's "Remove obsolete update revisions" after a committed sync; a failure only warns. */
async function obsoleteRevisionPass(
  ctx: AppContext,
  runId: string,
  reporter: DbRunReporter,
  abort: AbortController,
): Promise<void> {
  try {
    await removeObsoleteRevisions(ctx.prisma, {
      runId,
      batchSize: ctx.config.OBSOLETE_REVISIONS_BATCH,
      maxMs: ctx.config.OBSOLETE_REVISIONS_MAX_MINUTES * 60_000,
      signal: abort.signal,
      log: (text, severity) => reporter.log(text, severity),
      onBatch: async () => {
        await ctx.prisma.syncRun.update({ where: { id: runId }, data: { lastProgressAt: new Date() } });
      },
    });
  } catch (error) {
    // The catalog is committed: the sync succeeded whatever happens to the clean-up, which the next sync retries.
    ctx.logger.warn({ err: error, runId }, "removing obsolete update revisions failed");
    await reporter
      .log(`Removing obsolete update revisions failed: ${(error as Error).message}`, "warning")
      .catch(() => undefined);
  }
}

export async function executeRun(ctx: AppContext, runId: string, options: ExecutorOptions): Promise<void> {
  const claimed = await changeRun(ctx, {
    where: { id: runId, state: "queued" },
    data: {
      state: "running",
      waitingReason: null,
      startedAt: new Date(),
      lastProgressAt: new Date(),
      workerId: options.workerId,
      ...claimProgress(),
      leaseExpiresAt: new Date(Date.now() + ctx.config.RUN_LEASE_MS),
    },
  });
  if (claimed.count === 0) return; // canceled while queued, or already taken
  // The run with its SUP and its site's parent, and the component settings: what the run needs, read once.
  const { sup, site, ...run } = await ctx.prisma.syncRun.findUniqueOrThrow({
    where: { id: runId },
    include: { sup: true, site: { select: { parentCode: true } } },
  });
  const settings = await ctx.prisma.supSettings.findUnique({ where: { id: 1 } });
  const reporter = new DbRunReporter(ctx, run, process.pid % 100_000, ctx.config.RUN_EVENT_INTERVAL_MS, {
    claimed: true,
  });

  // The watcher stops the run when someone cancels it, or when it has made no progress for RUN_TIMEOUT_MINUTES.
  const abort = new AbortController();
  let timedOut = false;
  const timeoutMs = ctx.config.RUN_TIMEOUT_MINUTES * 60_000;
  const watcher = setInterval(() => {
    ctx.pool
      .query<{ state: string; lastProgressAt: Date | null }>(
        `SELECT state::text, last_progress_at AS "lastProgressAt" FROM sync_runs WHERE id = $1`,
        [runId],
      )
      .then(({ rows: [r] }) => {
        if (r?.state === "canceling") abort.abort();
        else if (r?.lastProgressAt && Date.now() - r.lastProgressAt.getTime() > timeoutMs) {
          timedOut = true;
          abort.abort();
        }
      })
      .catch(() => undefined);
  }, options.cancelPollMs ?? ctx.config.RUN_WATCH_MS);

  // Another worker took the run over (our lease ran out while we were stalled): stop without touching it.
  let lostLease = false;
  const releaseLease = holdLease(ctx, runId, options.workerId, () => {
    lostLease = true;
    abort.abort();
  });
  // This worker is stopping: stop at the next checkpoint and give the run back to the queue for another worker.
  let handingBack = false;
  const handBack = () => {
    handingBack = true;
    abort.abort();
  };
  if (options.shutdown?.aborted) handBack();
  else options.shutdown?.addEventListener("abort", handBack, { once: true });

  let topLevel = false;
  // A disconnected top-level site's run that applies an update package: the package stands in for the upstream.
  let fromPackage: PackageRun | undefined;
  try {
    if (run.packageId) fromPackage = await openPackageRun(ctx, { packageId: run.packageId, siteCode: run.siteCode });
    const connection: UpstreamConnection = fromPackage
      ? { url: fromPackage.name, parentCode: null }
      : upstreamOf(ctx, { parentCode: site.parentCode, settings });
    const { url: baseUrl, parentCode } = connection;
    topLevel = parentCode === null;
    const selection = { products: settings?.products ?? [], classifications: settings?.classifications ?? [] };
    // Imports are the top-level site's: it fetches them; its children list them from its catalog.
    const imports = parentCode === null && !fromPackage ? await importPlan(ctx, runId, selection) : undefined;
    // A child site's runs share their parent endpoint's session cookie within this worker (parent-sessions.ts).
    const fromParent = parentCode !== null && !fromPackage;
    const earlierCookie = fromParent ? parentCookie(ctx, baseUrl) : undefined;
    const client = fromPackage
      ? undefined
      : new WsusssClient({
          baseUrl,
          timeoutMs: options.upstreamTimeoutMs ?? 60_000,
          signal: abort.signal,
          ...(connection.fetch ? { fetch: connection.fetch } : {}),
          ...(earlierCookie ? { cookie: earlierCookie } : {}),
        });
    const outcome = await runSync(
      {
        upstream: fromPackage?.session ?? client!,
        store: withPackage(
          fromPackage,
          new PostgresCatalogStore(
            ctx.prisma,
            ctx.pool,
            { code: run.siteCode, supId: run.supId },
            catalogRules(settings),
            runId,
          ),
        ),
        reporter,
        signal: abort.signal,
        retryPolicy: {
          attempts: ctx.config.RETRY_ATTEMPTS,
          baseDelayMs: ctx.config.RETRY_BASE_MS,
          maxDelayMs: ctx.config.RETRY_MAX_MS,
        },
      },
      {
        siteCode: run.siteCode,
        upstreamName: baseUrl,
        trigger: run.trigger as "manual",
        fullSync: run.fullSync,
        ...selection,
        ...(imports ? { imports } : {}),
        syncedProducts: sup.syncedProducts,
        syncedClassifications: sup.syncedClassifications,
        // A child lists what changed in its parent's catalog since the parent's version it last took (the anchor;
        // the parent refuses one from before a removal, and the child then lists everything) and takes the parent's
        // catalog version. Bodies are stored once for the hierarchy, so a child fetches none it does not lack.
        // A package holds the whole catalog (no anchor: a complete list) and its version, which the site takes.
        ...(sup.anchor && !fromPackage ? { anchor: sup.anchor } : {}),
        ...(parentCode !== null || fromPackage ? { versionFromAnchor: anchorVersion } : {}),
      },
    );
    // A failed run leaves the kept cookie alone: siblings may be using it, and one the parent refuses is replaced by
    // the client (InvalidCookie runs the chain).
    if (fromParent) keepParentCookie(ctx, baseUrl, client?.cookie);
    if (parentCode === null) await alertNewCategories(ctx, run.siteCode, outcome.newCategoryIds);
    // WSUS Maintenance. Revisions are stored once for the whole hierarchy and only the top-level site brings new
    // ones in, so the pass runs after its syncs only: what a child's sync stopped using is collected by the next
    // top-level pass (a hierarchy-wide scan after each of up to 6 276 child syncs would find little and cost a lot).
    // It runs before the children are notified, while their runs cannot yet hold revisions (its time is capped).
    if (parentCode === null && settings?.removeObsoleteRevisions)
      await obsoleteRevisionPass(ctx, runId, reporter, abort);
    const children = await childSites(ctx, run.siteCode);
    if (children.length > 0) {
      await reporter.phase("notify");
      await reporter.log(`Sending sync notification to child site(s): ${children.join(", ")}`);
      for (const child of children) await queueParentRun(ctx, child);
    }
    if (parentCode !== null) {
      await reporter.log(`Successfully synced site with parent ${parentCode}, version ${outcome.catalogVersion}`);
    }
    // Every line is stored before the run is seen to end (a client reading the log then finds all of it).
    await reporter.flush();
    await changeRun(ctx, {
      where: { id: runId },
      data: {
        ...(await reporter.settle()),
        state: "succeeded",
        percent: 100,
        finishedAt: new Date(),
        countNew: outcome.counts.new,
        countRevised: outcome.counts.revised,
        countExpired: outcome.counts.expired,
        countSuperseded: outcome.counts.superseded,
        countRemoved: outcome.counts.removed,
        catalogVersionAfter: outcome.catalogVersion,
      },
    });
  } catch (error) {
    await reporter
      .flush()
      .catch((flushError: unknown) =>
        ctx.logger.error({ err: flushError, runId }, "could not store a run's last log lines"),
      );
    // No phase or progress goes out after this; the failure carries the phase the run stopped in.
    const unpublished = await reporter.settle();
    if (lostLease) {
      ctx.logger.warn({ runId }, "lost the lease of a run to another worker; leaving it");
      return;
    }
    if (handingBack && (await handBackRun(ctx, runId, options.workerId))) {
      ctx.logger.info({ runId }, "stopping: handed the run back to the queue");
      return;
    }
    let failure = error instanceof SyncError ? error : new SyncError("INTERNAL_ERROR", (error as Error).message);
    if (timedOut && failure.code === "SYNC_CANCELED") {
      failure = new SyncError("RUN_TIMEOUT", `The run made no progress for ${ctx.config.RUN_TIMEOUT_MINUTES} minutes.`);
      await reporter.statusMessage(6703, [run.siteCode, failure.message, failure.code]).catch(() => undefined);
      await reporter.log(`Sync failed: ${failure.message}`, "error").catch(() => undefined);
    }
    if (!(error instanceof SyncError)) ctx.logger.error({ err: error, runId }, "sync run failed unexpectedly");
    await reporter.flush().catch(() => undefined);
    await changeRun(ctx, {
      where: { id: runId },
      data: {
        ...unpublished,
        state: failure.code === "SYNC_CANCELED" ? "canceled" : "failed",
        finishedAt: new Date(),
        errorCode: failure.code,
        errorMessage: failure.message,
      },
    });
  } finally {
    clearInterval(watcher);
    // Nothing of the run goes out after this (a lost lease or a hand-back leaves the row to its new owner).
    await reporter.settle();
    releaseLease();
    await fromPackage?.close().catch(() => undefined);
    options.shutdown?.removeEventListener("abort", handBack);
  }
  // The run is over (unless another worker holds it now); changeRun published its end with it.
  if (lostLease) return;
  await afterRunEnded(ctx, runId).catch((error: unknown) =>
    ctx.logger.error({ err: error, runId }, "could not record the outcome of a run (alerts, retry, notifications)"),
  );
  if (topLevel && !run.packageId) {
    const ended = await ctx.prisma.syncRun.findUnique({ where: { id: runId }, select: { state: true } });
    await queuePendingImports(ctx, { ...run, state: ended?.state ?? "failed" }).catch((error: unknown) =>
      ctx.logger.error({ err: error, runId }, "could not queue the import run for updates imported meanwhile"),
    );
  }
  // A parent committed again while this run was running: one more pass picks that up.
  const flagged = await ctx.prisma.softwareUpdatePoint.updateMany({
    where: { id: run.supId, resyncRequested: true },
    data: { resyncRequested: false },
  });
  if (flagged.count > 0) await queueParentRun(ctx, run.siteCode);
}
