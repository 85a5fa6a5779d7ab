// Running for months (operations issue): the scheduler tick with an injected clock queues what is due exactly once,
// pauses for maintenance windows, retries failed runs after retryMinutes, raises and cancels the sync alert (with
// notifications queued for subscribers), and flags stalled runs before the run timeout kills them.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { tick } from "../src/scheduling/tick.ts";
import type { Browser } from "./harness.ts";
import { readJson, syncAndWait, type TestServer, startSyncTestbed, type SyncTestbed } from "./harness.ts";
import type { UpstreamProcess } from "./upstream-process.ts";

let upstream: UpstreamProcess;
let server: TestServer;
let admin: Browser;
let testbed: SyncTestbed | undefined;

beforeAll(async () => {
  testbed = await startSyncTestbed({ upstreamEnv: { UPSTREAM_UPDATES: "200" } });
  ({ upstream, server, admin } = testbed);
  expect((await syncAndWait(admin)).run.state).toBe("succeeded");
});
afterAll(() => testbed?.stop());
beforeEach(async () => {
  await upstream.admin("DELETE", "/admin/faults");
  await server.db.prisma.supSettings.update({ where: { id: 1 }, data: { schedulesPaused: false } });
});

const prisma = () => server.db.prisma;
const MINUTE = 60_000;

async function waitForRun(runId: string) {
  for (let i = 0; i < 600; i++) {
    const run = await prisma().syncRun.findUniqueOrThrow({ where: { id: runId } });
    if (["succeeded", "failed", "canceled"].includes(run.state)) return run;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`run ${runId} did not end`);
}

/** Makes the schedule due at `at` (as if that time had been computed from it). */
const dueAt = (at: Date) => prisma().supSettings.update({ where: { id: 1 }, data: { nextSyncAt: at } });

describe("the scheduler tick", () => {
  it("queues one run with trigger schedule when due, then moves to the next occurrence", async () => {
    await admin.request("PUT", "/api/sup-settings", {
      schedule: { kind: "weekly", dayOfWeek: 2, time: "02:00", timeZone: "Europe/Berlin" },
    });
    const now = new Date();
    expect((await tick(server.ctx, now)).scheduled).toEqual({ skipped: "not-due" });
    await dueAt(new Date(now.getTime() - MINUTE));

    const report = await tick(server.ctx, now);
    expect(report.scheduled).toHaveProperty("runId");
    const run = await waitForRun((report.scheduled as { runId: string }).runId);
    expect(run).toMatchObject({ trigger: "schedule", state: "succeeded", siteCode: "CAS" });
    const next = (await prisma().supSettings.findUniqueOrThrow({ where: { id: 1 } })).nextSyncAt!;
    expect(next.getTime()).toBeGreaterThan(now.getTime());
    expect(
      next.toLocaleString("en-GB", { timeZone: "Europe/Berlin", weekday: "short", hour: "2-digit", minute: "2-digit" }),
    ).toBe("Tue 02:00");
    expect((await tick(server.ctx, now)).scheduled).toEqual({ skipped: "not-due" });
  });

  it("editing the schedule while its run is running is safe: the run finishes, the new schedule decides next", async () => {
    const now = new Date();
    await dueAt(new Date(now.getTime() - MINUTE));
    const report = await tick(server.ctx, now);
    const runId = (report.scheduled as { runId: string }).runId;
    const edited = await readJson(
      await admin.request("PUT", "/api/sup-settings", {
        schedule: { kind: "weekly", dayOfWeek: 3, time: "03:15", timeZone: "America/New_York" },
      }),
    );
    expect((await waitForRun(runId)).state).toBe("succeeded");
    const stored = await prisma().supSettings.findUniqueOrThrow({ where: { id: 1 } });
    expect(stored.nextSyncAt!.toISOString()).toBe(edited.nextSyncAt);
    expect(
      stored.nextSyncAt!.toLocaleString("en-US", {
        timeZone: "America/New_York",
        weekday: "short",
        hour: "2-digit",
        minute: "2-digit",
        hour12: false,
      }),
    ).toBe("Wed 03:15");
    // The tick the run came from does not run again for the same occurrence.
    expect((await tick(server.ctx, now)).scheduled).toEqual({ skipped: "not-due" });
  });

  it("two ticks at the same moment queue exactly one run", async () => {
    const now = new Date();
    await dueAt(new Date(now.getTime() - MINUTE));
    const reports = await Promise.all([tick(server.ctx, now), tick(server.ctx, now)]);
    const queued = reports.filter((r) => "runId" in r.scheduled);
    expect(queued).toHaveLength(1);
    await waitForRun((queued[0]!.scheduled as { runId: string }).runId);
  });

  it("while schedules are paused a due occurrence passes without a run", async () => {
    await admin.request("PUT", "/api/sup-settings", { schedulesPaused: true });
    const now = new Date();
    await dueAt(new Date(now.getTime() - MINUTE));
    // Scheduled runs only: the child sites of the runs above may still be queueing their own (trigger parent).
    const scheduledRuns = () => prisma().syncRun.count({ where: { trigger: "schedule" } });
    const runsBefore = await scheduledRuns();
    expect((await tick(server.ctx, now)).scheduled).toEqual({ skipped: "paused" });
    expect(await scheduledRuns()).toBe(runsBefore);
    expect((await prisma().supSettings.findUniqueOrThrow({ where: { id: 1 } })).nextSyncAt!.getTime()).toBeGreaterThan(
      now.getTime(),
    );
  });

  it("a due schedule while a run is active is skipped, not stacked", async () => {
    const now = new Date();
    const sup = await prisma().softwareUpdatePoint.findFirstOrThrow({ where: { siteCode: "CAS" } });
    const active = await prisma().syncRun.create({
      data: { siteCode: "CAS", supId: sup.id, trigger: "manual", state: "queued" },
    });
    try {
      await dueAt(new Date(now.getTime() - MINUTE));
      expect((await tick(server.ctx, now)).scheduled).toEqual({ skipped: "run-active" });
    } finally {
      await prisma().syncRun.update({ where: { id: active.id }, data: { state: "canceled", finishedAt: new Date() } });
    }
  });
});

describe("failures, retries and the sync alert", () => {
  it("a failure raises the alert, notifies subscribers once, and schedules a retry the status row shows", async () => {
    await admin.request("PUT", "/api/sup-settings", { retryMinutes: 5, syncFailureAlert: true });
    await prisma().notificationSubscription.create({
      data: {
        name: "ops",
        kind: "webhook",
        targets: ["http://127.0.0.1:9/hook"],
        events: ["sync-failed", "sync-recovered"],
      },
    });
    await upstream.admin("POST", "/admin/faults", { operation: "GetConfigData", kind: "http-5xx", rate: 1 });
    const failed = await syncAndWait(admin);
    expect(failed.run).toMatchObject({ state: "failed", errorCode: "UPSTREAM_HTTP_ERROR" });
    // The run's state turns failed a moment before its outcome (the retry time, the alert) is recorded.
    const retryAtOf = async () =>
      (await prisma().softwareUpdatePoint.findFirstOrThrow({ where: { siteCode: "CAS" } })).retryAt;
    await expect.poll(retryAtOf, { timeout: 10_000 }).not.toBeNull();

    const sup = await prisma().softwareUpdatePoint.findFirstOrThrow({ where: { siteCode: "CAS" } });
    const finishedAt = new Date(failed.run.finishedAt).getTime();
    expect(sup.retryAt!.getTime() - finishedAt).toBeGreaterThanOrEqual(5 * MINUTE - 1_000);
    expect(sup.retryAt!.getTime() - finishedAt).toBeLessThanOrEqual(5 * MINUTE + 5_000);
    const status = await readJson(await admin.request("GET", "/api/sup-sync-status"));
    const cas = status.items.find((r: { siteCode: string }) => r.siteCode === "CAS");
    expect(cas).toMatchObject({
      state: "failed",
      lastErrorCode: "UPSTREAM_HTTP_ERROR",
      retryAt: sup.retryAt!.toISOString(),
    });
    // Written with the retry time, after the run turned failed: read the log again rather than syncAndWait's copy.
    await expect
      .poll(async () => (await admin.request("GET", `/api/sync-runs/${failed.runId}/log`)).text(), { timeout: 10_000 })
      .toContain("Will retry in 5 minutes");

    const activeAlerts = async () =>
      (await readJson(await admin.request("GET", "/api/alerts?type=sync-failed&state=active"))).items;
    await expect.poll(async () => (await activeAlerts()).length, { timeout: 10_000 }).toBe(1);
    const alerts = await activeAlerts();
    expect(alerts[0]).toMatchObject({ siteCode: "CAS", severity: "error" });
    expect(alerts[0].message).toContain("UPSTREAM_HTTP_ERROR");
    // The facts behind the English title and message (SyncFailedAlertDetails), which the console words in its language.
    expect(alerts[0].details).toEqual({
      runId: failed.runId,
      errorCode: "UPSTREAM_HTTP_ERROR",
      errorMessage: failed.run.errorMessage,
      retryAt: sup.retryAt!.toISOString(),
    });
    expect(alerts[0].message).toContain(failed.run.errorMessage);
    const deliveries = () => prisma().notificationDelivery.findMany({ orderBy: { createdAt: "asc" } });
    await expect
      .poll(async () => (await deliveries()).map((d) => d.event), { timeout: 10_000 })
      .toEqual(["sync-failed"]);

    // Not yet due: nothing. At the retry time: a run with trigger `retry`, which fails the same way — still one
    // alert, no second notification.
    expect((await tick(server.ctx, new Date(sup.retryAt!.getTime() - 1_000))).retried).toEqual([]);
    const retried = await tick(server.ctx, new Date(sup.retryAt!.getTime() + 1_000));
    expect(retried.retried).toEqual(["CAS"]);
    const retryRun = await prisma().syncRun.findFirstOrThrow({
      where: { trigger: "retry" },
      orderBy: { queuedAt: "desc" },
    });
    expect((await waitForRun(retryRun.id)).state).toBe("failed");
    expect((await readJson(await admin.request("GET", "/api/alerts?type=sync-failed"))).items).toHaveLength(1);
    expect((await deliveries()).map((d) => d.event)).toEqual(["sync-failed"]);

    // The upstream recovers: the next retry succeeds, the alert is canceled, subscribers hear of the recovery.
    await upstream.admin("DELETE", "/admin/faults");
    await expect.poll(retryAtOf, { timeout: 10_000 }).not.toBeNull();
    const again = await prisma().softwareUpdatePoint.findFirstOrThrow({ where: { siteCode: "CAS" } });
    expect((await tick(server.ctx, new Date(again.retryAt!.getTime() + 1_000))).retried).toEqual(["CAS"]);
    const recovery = await prisma().syncRun.findFirstOrThrow({
      where: { trigger: "retry" },
      orderBy: { queuedAt: "desc" },
    });
    expect((await waitForRun(recovery.id)).state).toBe("succeeded");
    const firstAlert = async () =>
      (await readJson(await admin.request("GET", "/api/alerts?type=sync-failed"))).items[0];
    await expect.poll(async () => (await firstAlert())?.state, { timeout: 10_000 }).toBe("canceled");
    expect((await prisma().softwareUpdatePoint.findFirstOrThrow({ where: { siteCode: "CAS" } })).retryAt).toBeNull();
    await expect
      .poll(async () => (await deliveries()).map((d) => d.event), { timeout: 10_000 })
      .toEqual(["sync-failed", "sync-recovered"]);
  });

  it("with the failure alert off, a failure still schedules its retry but raises no alert", async () => {
    await admin.request("PUT", "/api/sup-settings", { syncFailureAlert: false });
    await upstream.admin("POST", "/admin/faults", { operation: "GetConfigData", kind: "http-5xx", rate: 1 });
    const failed = await syncAndWait(admin);
    expect(failed.run.state).toBe("failed");
    expect((await readJson(await admin.request("GET", "/api/alerts?type=sync-failed&state=active"))).items).toEqual([]);
    expect(
      (await prisma().softwareUpdatePoint.findFirstOrThrow({ where: { siteCode: "CAS" } })).retryAt,
    ).not.toBeNull();
    await upstream.admin("DELETE", "/admin/faults");
    expect((await syncAndWait(admin)).run.state).toBe("succeeded");
    expect((await prisma().softwareUpdatePoint.findFirstOrThrow({ where: { siteCode: "CAS" } })).retryAt).toBeNull();
    await admin.request("PUT", "/api/sup-settings", { syncFailureAlert: true });
  });
});

describe("retries at a disconnected top-level site", () => {
  it("retry the failed run's update package, and nothing when the failed run had none", async () => {
    const sup = await prisma().softwareUpdatePoint.findFirstOrThrow({ where: { siteCode: "CAS" } });
    await prisma().supSettings.update({ where: { id: 1 }, data: { syncSource: "disconnected" } });
    try {
      const at = new Date(Date.now() - MINUTE);
      // A failed run without a package: no upstream to retry from.
      await prisma().syncRun.create({
        data: { siteCode: "CAS", supId: sup.id, trigger: "manual", state: "failed", finishedAt: at, queuedAt: at },
      });
      await prisma().softwareUpdatePoint.update({ where: { id: sup.id }, data: { retryAt: at } });
      expect((await tick(server.ctx, new Date())).retried).toEqual([]);
      expect((await prisma().softwareUpdatePoint.findUniqueOrThrow({ where: { id: sup.id } })).retryAt).toBeNull();
      expect(await prisma().syncRun.count({ where: { supId: sup.id, trigger: "retry", state: "queued" } })).toBe(0);

      // A failed package run: the retry applies the same package.
      const pkg = await prisma().updatePackage.create({
        data: { fileName: "cas.ndjson.gz", sizeBytes: 1n, sha256: "0".repeat(64), manifest: {}, state: "verified" },
      });
      // The latest failed run of the site (earlier tests' runs failed before it).
      const later = new Date(Date.now() + 1_000);
      await prisma().syncRun.create({
        data: {
          siteCode: "CAS",
          supId: sup.id,
          trigger: "import",
          state: "failed",
          finishedAt: later,
          queuedAt: later,
          packageId: pkg.id,
        },
      });
      await prisma().softwareUpdatePoint.update({ where: { id: sup.id }, data: { retryAt: at } });
      await testbed!.stopWorker();
      expect((await tick(server.ctx, new Date())).retried).toEqual(["CAS"]);
      // The retry just queued (earlier tests' retries have ended; the worker is stopped, so this one waits).
      const retry = await prisma().syncRun.findFirstOrThrow({
        where: { supId: sup.id, trigger: "retry", state: "queued" },
        orderBy: { queuedAt: "desc" },
      });
      expect(retry.packageId).toBe(pkg.id);
      await prisma().syncRun.update({ where: { id: retry.id }, data: { state: "canceled", finishedAt: new Date() } });
    } finally {
      await prisma().supSettings.update({ where: { id: 1 }, data: { syncSource: "microsoft_update" } });
      await testbed!.startWorker();
    }
  });
});

describe("stalled runs", () => {
  it("a run without progress for stalledMinutes gets a warning and an alert, once", async () => {
    await admin.request("PUT", "/api/sup-settings", { stalledMinutes: 10 });
    // The cascade of earlier syncs must be over: one active run per site.
    for (
      let i = 0;
      i < 300 && (await prisma().syncRun.count({ where: { state: { in: ["queued", "running"] } } })) > 0;
      i++
    )
      await new Promise((r) => setTimeout(r, 100));
    const sup = await prisma().softwareUpdatePoint.findFirstOrThrow({ where: { siteCode: "P01" } });
    const now = new Date();
    const run = await prisma().syncRun.create({
      data: {
        siteCode: "P01",
        supId: sup.id,
        trigger: "parent",
        state: "running",
        phase: "updates",
        startedAt: new Date(now.getTime() - 20 * MINUTE),
        lastProgressAt: new Date(now.getTime() - 11 * MINUTE),
      },
    });
    try {
      expect((await tick(server.ctx, new Date(now.getTime() - 2 * MINUTE))).stalled).toEqual([]);
      expect((await tick(server.ctx, now)).stalled).toEqual(["P01"]);
      expect((await tick(server.ctx, now)).stalled).toEqual([]);
      const log = await (await admin.request("GET", `/api/sync-runs/${run.id}/log`)).text();
      expect(log).toMatch(/No progress since .* \(more than 10 minutes\)/);
      const [alert] = (await readJson(await admin.request("GET", "/api/alerts?type=sync-stalled&state=active"))).items;
      expect(alert).toMatchObject({ siteCode: "P01", severity: "warning" });
      expect(alert.message).toContain("phase updates");
      expect(alert.details).toEqual({ runId: run.id, phase: "updates", lastProgressAt: expect.any(String) });
    } finally {
      await prisma().syncRun.update({ where: { id: run.id }, data: { state: "canceled", finishedAt: new Date() } });
    }
  });
});
