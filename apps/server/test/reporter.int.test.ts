// A run's reporter on Postgres (sync/reporter.ts): log lines and status messages are stored and sent in batches — in
// the order they were logged, with the time they were logged, at most LOG_FLUSH_MS late.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SyncLogLineDto, SyncRunDto } from "@syncpoint/contracts";
import { DbRunReporter, LOG_FLUSH_MS } from "../src/sync/reporter.ts";
import { io as connect, type Socket } from "socket.io-client";
import { Browser, startTestServer, type TestServer } from "./harness.ts";
import { waitFor } from "./processes.ts";

let server: TestServer;
const sent: { runId: string; lines: SyncLogLineDto[] }[] = [];
const runEvents: SyncRunDto[] = [];
let socket: Socket;

beforeAll(async () => {
  server = await startTestServer();
  // Record what the reporter sends, and still send it.
  const syncLog = server.ctx.events.syncLog.bind(server.ctx.events);
  server.ctx.events.syncLog = async (runId, lines) => {
    sent.push({ runId, lines });
    await syncLog(runId, lines);
  };
  // The runs' own events, as every console hears them.
  const admin = new Browser(server.url);
  await admin.login();
  socket = connect(server.url, { transports: ["websocket"], extraHeaders: { cookie: admin.sessionCookie! } });
  socket.on("sync-run", (run: SyncRunDto) => runEvents.push(run));
  await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
});
afterAll(async () => {
  socket?.disconnect();
  await server?.close();
});

/** A running run at a site; one left running there by an earlier test ends first (one active run per site). */
async function newRun(siteCode: string) {
  await server.db.prisma.syncRun.updateMany({
    where: { siteCode, state: "running" },
    data: { state: "succeeded", finishedAt: new Date() },
  });
  const sup = await server.db.prisma.softwareUpdatePoint.findFirstOrThrow({ where: { siteCode } });
  return server.db.prisma.syncRun.create({
    data: { siteCode, supId: sup.id, trigger: "manual", state: "running", startedAt: new Date() },
  });
}

const stored = async (runId: string) =>
  server.db.prisma.syncLogLine.findMany({ where: { runId }, orderBy: { id: "asc" } });

describe("DbRunReporter log lines", () => {
  it("stores a burst of lines with one event, in order, each with the time it was logged", async () => {
    const run = await newRun("CAS");
    const reporter = new DbRunReporter(server.ctx, run, 4242);
    const before = Date.now();
    for (let i = 1; i <= 12; i++) await reporter.log(`line ${i}`, i === 7 ? "warning" : "info");
    await reporter.flush();
    const rows = await stored(run.id);
    expect(rows.map((r) => r.text)).toEqual(Array.from({ length: 12 }, (_, i) => `line ${i + 1}`));
    expect(rows[6]).toMatchObject({ severity: "warning", thread: 4242 });
    for (const row of rows) expect(row.time.getTime()).toBeGreaterThanOrEqual(before - 5);
    const events = sent.filter((e) => e.runId === run.id);
    expect(events).toHaveLength(1);
    expect(events[0]!.lines.map((l) => l.seq)).toEqual(rows.map((r) => Number(r.id)));
  });

  it("stores a line on its own within LOG_FLUSH_MS", async () => {
    const run = await newRun("P01");
    const reporter = new DbRunReporter(server.ctx, run, 1);
    await reporter.log("waiting on the upstream");
    await waitFor(async () => (await stored(run.id)).length === 1, LOG_FLUSH_MS * 20, "the line stored by the timer");
    await reporter.log("and later");
    await waitFor(async () => (await stored(run.id)).length === 2, LOG_FLUSH_MS * 20, "the second line");
    expect((await stored(run.id)).map((r) => r.text)).toEqual(["waiting on the upstream", "and later"]);
  });

  it("stores status messages with their lines in the same batch: insertion strings, severity, the time reported", async () => {
    const run = await newRun("P02");
    const reporter = new DbRunReporter(server.ctx, run, 7);
    const before = Date.now();
    await reporter.statusMessage(6701);
    await reporter.statusMessage(6703, [
      "http://upstream.test",
      'a "quoted" reason, with {braces}',
      "UPSTREAM_UNREACHABLE",
    ]);
    await reporter.flush();
    const messages = await server.db.prisma.statusMessage.findMany({
      where: { runId: run.id },
      orderBy: { id: "asc" },
    });
    expect(messages.map((m) => [m.messageId, m.severity, m.siteCode, m.component])).toEqual([
      [6701, "I", "P02", "SMS_WSUS_SYNC_MANAGER"],
      [6703, "E", "P02", "SMS_WSUS_SYNC_MANAGER"],
    ]);
    expect(messages[0]!.insertionStrings).toEqual([]);
    expect(messages[1]!.insertionStrings).toEqual([
      "http://upstream.test",
      'a "quoted" reason, with {braces}',
      "UPSTREAM_UNREACHABLE",
    ]);
    for (const m of messages) expect(m.time.getTime()).toBeGreaterThanOrEqual(before - 5);
    // Each status message is also its STATMSG line in the log, stored by the same flush.
    const lines = await stored(run.id);
    expect(lines.map((l) => l.text.slice(0, 17))).toEqual(["STATMSG: ID=6701 ", "STATMSG: ID=6703 "]);
    expect(lines[1]!.severity).toBe("error");
  });
});

describe("DbRunReporter phase and progress changes", () => {
  /** The phases the run's row was published with, in order (its `sync-run` events). */
  function published(runId: string): string[] {
    return runEvents.filter((e) => e.id === runId).map((e) => `${e.phase} ${e.processed}/${e.total}`);
  }

  it("publishes at most one change per interval: the first at once, the latest at the end, none in between", async () => {
    const run = await newRun("S01");
    const reporter = new DbRunReporter(server.ctx, run, 1, 300);
    await reporter.phase("config");
    await reporter.phase("categories");
    await reporter.progress(0, 40);
    await reporter.phase("revisions");
    await reporter.phase("updates");
    await reporter.progress(20, 40);
    await waitFor(async () => published(run.id).length === 2, 3_000, "the change at the end of the interval");
    await new Promise((resolve) => setTimeout(resolve, 600));
    // categories, 0/40 and revisions lasted less than the interval: never published.
    expect(published(run.id)).toEqual(["config 0/0", "updates 20/40"]);
    const row = await server.db.prisma.syncRun.findUniqueOrThrow({ where: { id: run.id } });
    expect(row).toMatchObject({ phase: "updates", processed: 20, total: 40 });
  });

  it("publishes every change at once with an interval of 0", async () => {
    const run = await newRun("S02");
    const reporter = new DbRunReporter(server.ctx, run, 1, 0);
    for (const phase of ["config", "categories", "revisions"] as const) await reporter.phase(phase);
    await reporter.progress(5, 10);
    await waitFor(async () => published(run.id).length === 4, 3_000, "four events");
    expect(published(run.id)).toEqual(["config 0/0", "categories 0/0", "revisions 0/0", "revisions 5/10"]);
  });

  it("settle() hands the unpublished change to the state change and publishes nothing after it", async () => {
    const run = await newRun("CAS");
    const reporter = new DbRunReporter(server.ctx, run, 1, 200);
    await reporter.phase("apply");
    await reporter.phase("supersedence");
    expect(await reporter.settle()).toMatchObject({ phase: "supersedence", processed: 0, total: 0 });
    await waitFor(async () => published(run.id).length === 1, 3_000, "the first change");
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(published(run.id)).toEqual(["apply 0/0"]);
  });
});
