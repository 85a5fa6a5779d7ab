// Why a queued synchronization has not started, on its status row: no worker process alive, or queued for the next
// free worker; a worker picking it up clears the reason.
import { SupSyncStatusList } from "@syncpoint/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser, readJson, startTestServer, startWorker, type TestServer } from "./harness.ts";

let server: TestServer;
let browser: Browser;
beforeAll(async () => {
  server = await startTestServer();
  browser = new Browser(server.url);
  await browser.login();
});
afterAll(() => server.close());

async function casRow() {
  const response = await browser.request("GET", "/api/sup-sync-status?search=CAS");
  return SupSyncStatusList.parse(await readJson(response)).items.find((row) => row.siteCode === "CAS")!;
}

describe("the waiting reason of a queued run", () => {
  it("says no worker is running, then that it waits for a free worker, and is gone once a worker starts it", async () => {
    // The embedded upstream is not running here: the run will fail once started, which is fine for this test.
    const started = await browser.request("POST", "/api/sync", {});
    expect(started.status).toBe(202);
    expect(await casRow()).toMatchObject({ state: "queued", waitingReason: "no-worker" });

    // A worker that beats but is busy elsewhere: the run waits for it.
    await server.ctx.prisma.workerHeartbeat.create({
      data: { workerId: "busy", hostname: "test", pid: 1, startedAt: new Date(), lastBeatAt: new Date() },
    });
    expect(await casRow()).toMatchObject({ state: "queued", waitingReason: "worker" });
    // A heartbeat older than HEALTH_HEARTBEAT_MAX_AGE_MS is a dead worker.
    await server.ctx.prisma.workerHeartbeat.update({
      where: { workerId: "busy" },
      data: { lastBeatAt: new Date(Date.now() - server.ctx.config.HEALTH_HEARTBEAT_MAX_AGE_MS - 1_000) },
    });
    expect(await casRow()).toMatchObject({ waitingReason: "no-worker" });

    const stop = await startWorker(server);
    try {
      await expect.poll(async () => (await casRow()).state, { timeout: 20_000 }).not.toBe("queued");
      expect((await casRow()).waitingReason).toBeNull();
    } finally {
      await stop();
    }
  });
});
