import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { purgeAged } from "../src/maintenance/retention.ts";
import { startTestServer, type TestServer } from "./harness.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const NOW = new Date("2030-06-01T12:00:00Z");
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000);

type FinishedState = "succeeded" | "failed" | "canceled";

/** Rows of every kind on both sides of their retention period; returns the ids that must survive the purge. */
async function populate() {
  const { prisma } = server.ctx;
  await prisma.supSettings.update({
    where: { id: 1 },
    data: { statusMessageRetentionDays: 10, runRetentionDays: 20, auditRetentionDays: 30 },
  });
  // Whatever seeding wrote would blur the exact counts below.
  await prisma.auditEvent.deleteMany();
  await prisma.statusMessage.deleteMany();
  await prisma.syncRun.deleteMany();
  await prisma.alert.deleteMany();

  const sups = new Map((await prisma.softwareUpdatePoint.findMany()).map((sup) => [sup.siteCode, sup.id]));
  const run = async (siteCode: string, state: FinishedState | "running" | "queued", queued: number, logLines = 0) => {
    const created = await prisma.syncRun.create({
      data: {
        siteCode,
        supId: sups.get(siteCode)!,
        trigger: "manual",
        state,
        queuedAt: daysAgo(queued),
        startedAt: state === "queued" ? null : daysAgo(queued),
        finishedAt: state === "queued" || state === "running" ? null : daysAgo(queued - 0.5),
      },
    });
    for (let i = 0; i < logLines; i++) {
      await prisma.syncLogLine.create({
        data: { runId: created.id, time: daysAgo(queued), severity: "info", thread: 1, text: `line ${i}` },
      });
    }
    return created.id;
  };
  const message = async (siteCode: string, age: number, runId: string | null = null) =>
    (
      await prisma.statusMessage.create({
        data: {
          siteCode,
          runId,
          messageId: 6702,
          severity: "I",
          component: "SMS_WSUS_SYNC_MANAGER",
          time: daysAgo(age),
        },
      })
    ).id;

  // CAS: three old finished runs, a recent one, and a run still running since long ago.
  const casOld = [await run("CAS", "succeeded", 100, 3), await run("CAS", "failed", 50, 2)];
  casOld.push(await run("CAS", "canceled", 40));
  const casRecent = await run("CAS", "succeeded", 5, 2);
  const casRunning = await run("CAS", "running", 200);
  // P01: its only finished run is old, and the newest run is still queued — the status page shows both.
  const p01Finished = await run("P01", "succeeded", 100, 1);
  const p01Queued = await run("P01", "queued", 1);
  // P02: two old runs; the newer one is its latest and stays.
  const p02Older = await run("P02", "failed", 300, 1);
  const p02Latest = await run("P02", "succeeded", 200);

  // Status messages of purged runs go with them, even a recent one; the rest age on their own.
  await message("CAS", 99, casOld[0]);
  await message("CAS", 3, casOld[1]);
  await message("P02", 299, p02Older);
  await message("CAS", 15);
  await message("CAS", 12, casRecent);
  const keptMessages = [await message("CAS", 5), await message("CAS", 4, casRecent), await message("P01", 9)];

  for (const age of [400, 45, 31]) {
    await prisma.auditEvent.create({
      data: { at: daysAgo(age), authMethod: "session", action: "x.old", outcome: "success" },
    });
  }
  const keptAudit = [];
  for (const age of [29, 1]) {
    keptAudit.push(
      (
        await prisma.auditEvent.create({
          data: { at: daysAgo(age), authMethod: "session", action: "x.new", outcome: "success" },
        })
      ).id,
    );
  }

  const alert = async (key: string, state: "active" | "acknowledged" | "canceled", age: number, canceled?: number) =>
    (
      await prisma.alert.create({
        data: {
          key,
          type: "sync-failed",
          severity: "error",
          state,
          title: key,
          message: key,
          raisedAt: daysAgo(age),
          updatedAt: daysAgo(canceled ?? age),
          canceledAt: canceled === undefined ? null : daysAgo(canceled),
        },
      })
    ).id;
  await alert("canceled-old", "canceled", 60, 25);
  await alert("canceled-old-2", "canceled", 90, 21);
  await alert("canceled-old-3", "canceled", 80, 30);
  const keptAlerts = [
    await alert("canceled-recent", "canceled", 60, 5),
    await alert("active-old", "active", 100),
    await alert("acknowledged-old", "acknowledged", 100),
  ];

  const subscription = await prisma.notificationSubscription.create({
    data: { name: "ops", kind: "webhook", targets: ["https://hooks.example.com/x"], events: ["sync-failed"] },
  });
  const delivery = async (state: string, age: number) =>
    (
      await prisma.notificationDelivery.create({
        data: { subscriptionId: subscription.id, event: "sync-failed", payload: {}, state, createdAt: daysAgo(age) },
      })
    ).id;
  await delivery("delivered", 30);
  await delivery("failed", 25);
  await delivery("delivered", 21);
  const keptDeliveries = [await delivery("pending", 30), await delivery("delivered", 19), await delivery("failed", 2)];

  return {
    runs: [casRecent, casRunning, p01Finished, p01Queued, p02Latest],
    messages: keptMessages,
    audit: keptAudit,
    alerts: keptAlerts,
    deliveries: keptDeliveries,
    logLinesOf: [casRecent, p01Finished],
  };
}

const sorted = <T>(values: T[]) => [...values].sort();

describe("purgeAged", () => {
  let kept: Awaited<ReturnType<typeof populate>>;
  let result: Awaited<ReturnType<typeof purgeAged>>;
  let statements: string[];
  let summary: unknown[][];

  beforeAll(async () => {
    kept = await populate();
    const query = vi.spyOn(server.ctx.pool, "query");
    const info = vi.spyOn(server.ctx.logger, "info");
    try {
      result = await purgeAged(server.ctx, NOW, { batchSize: 2 });
      statements = query.mock.calls.map(([sql]) => String(sql));
      summary = info.mock.calls;
    } finally {
      query.mockRestore();
      info.mockRestore();
    }
  });

  it("reports and logs how many rows of each kind it deleted", () => {
    expect(result).toEqual({ statusMessages: 5, logLines: 6, runs: 4, auditEvents: 3, alerts: 3, deliveries: 3 });
    expect(summary).toContainEqual([expect.objectContaining(result), "purged aged rows"]);
  });

  it("keeps the latest and the latest finished run of each site however old, and never a queued or running run", async () => {
    const { prisma } = server.ctx;
    expect(sorted((await prisma.syncRun.findMany()).map((r) => r.id))).toEqual(sorted(kept.runs));
    const running = await prisma.syncRun.findUniqueOrThrow({ where: { id: kept.runs[1]! } });
    expect(running).toMatchObject({ state: "running", finishedAt: null });
  });

  it("deletes the log lines and status messages of purged runs, and status messages past their own period", async () => {
    const { prisma } = server.ctx;
    const lines = await prisma.syncLogLine.findMany();
    expect(lines).toHaveLength(3);
    expect(new Set(lines.map((l) => l.runId))).toEqual(new Set(kept.logLinesOf));
    expect(sorted((await prisma.statusMessage.findMany()).map((m) => m.id))).toEqual(sorted(kept.messages));
  });

  it("deletes aged audit events, canceled alerts and delivered or failed notification deliveries", async () => {
    const { prisma } = server.ctx;
    expect(sorted((await prisma.auditEvent.findMany()).map((a) => a.id))).toEqual(sorted(kept.audit));
    expect(sorted((await prisma.alert.findMany()).map((a) => a.id))).toEqual(sorted(kept.alerts));
    expect(sorted((await prisma.notificationDelivery.findMany()).map((d) => d.id))).toEqual(sorted(kept.deliveries));
  });

  it("deletes in bounded statements, looping until a batch comes back short", () => {
    // Three aged audit events in batches of two: a full batch, then a short one that ends the loop.
    expect(statements.filter((sql) => sql.startsWith("DELETE FROM audit_events"))).toHaveLength(2);
    // Four purgeable runs: two full batches; the third selection finds none.
    expect(statements.filter((sql) => sql.startsWith("DELETE FROM sync_runs"))).toHaveLength(2);
    const batched = statements.filter((sql) => sql.startsWith("DELETE") && !sql.startsWith("DELETE FROM sync_runs"));
    expect(batched.length).toBeGreaterThan(0);
    for (const sql of batched) expect(sql).toMatch(/WHERE id IN \(SELECT id FROM \w+ WHERE .* LIMIT \$\d\)$/s);
  });

  it("purges nothing more later: the runs it kept stay however old they grow", async () => {
    const later = await purgeAged(server.ctx, new Date(NOW.getTime() + 1_000 * 86_400_000));
    expect(later.runs).toBe(0);
    expect(await server.ctx.prisma.syncRun.count()).toBe(kept.runs.length);
  });
});
