// Cancel, run timeout and retry (sync-engine issue): a cancel lands mid-batch within 5 s and leaves the catalog
// exactly as before; a run without progress for the run timeout fails with RUN_TIMEOUT; a failed run is retried.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "./harness.ts";
import { readJson, type TestServer, startSyncTestbed, type SyncTestbed } from "./harness.ts";
import { waitFor } from "./processes.ts";
import type { UpstreamProcess } from "./upstream-process.ts";

let upstream: UpstreamProcess;
let server: TestServer;
let admin: Browser;
let testbed: SyncTestbed | undefined;

beforeAll(async () => {
  // A 3-second run timeout; a 20-second call timeout, so that a stalled call is the run timeout's to catch.
  testbed = await startSyncTestbed({
    upstreamEnv: { UPSTREAM_UPDATES: "300" },
    serverEnv: { RUN_TIMEOUT_MINUTES: "0.05", UPSTREAM_TIMEOUT_MS: "20000" },
  });
  ({ upstream, server, admin } = testbed);
  const { runId } = await readJson(await admin.request("POST", "/api/sync", {}));
  await waitForState(runId, ["succeeded"]);
});
afterAll(() => testbed?.stop());

async function getRun(runId: string) {
  return readJson(await admin.request("GET", `/api/sync-runs/${runId}`));
}

async function waitForState(runId: string, states: string[], timeoutMs = 60_000) {
  let run = await getRun(runId);
  await waitFor(
    async () => states.includes((run = await getRun(runId)).state),
    timeoutMs,
    `run to reach ${states.join("/")}`,
  );
  return run;
}

const digest = async () => readJson(await admin.request("GET", "/api/sites/CAS/catalog/digest"));

describe("cancel", () => {
  it("lands mid-batch within 5 s and leaves the catalog exactly as before", async () => {
    await upstream.admin("POST", "/admin/advance", { periods: 2 });
    const before = await digest();
    await upstream.admin("POST", "/admin/faults", { operation: "GetUpdateData", kind: "latency", latencyMs: 2_000 });
    const { runId } = await readJson(await admin.request("POST", "/api/sync", {}));
    await waitFor(async () => (await getRun(runId)).phase === "updates", 30_000, "the updates phase");
    await new Promise((r) => setTimeout(r, 500)); // inside a 2-second GetUpdateData

    const asked = Date.now();
    const cancel = await admin.request("POST", `/api/sync-runs/${runId}/cancel`, {});
    expect(cancel.status).toBe(200);
    // Usually still canceling when the answer is written; a worker that reacts first may already have ended it.
    expect(["canceling", "canceled"]).toContain((await readJson(cancel)).state);
    const run = await waitForState(runId, ["canceled", "succeeded", "failed"], 10_000);
    expect(Date.now() - asked).toBeLessThan(5_000);
    expect(run).toMatchObject({ state: "canceled", errorCode: "SYNC_CANCELED" });
    expect(await digest()).toEqual(before);
    await upstream.admin("DELETE", "/admin/faults");

    const again = await admin.request("POST", `/api/sync-runs/${runId}/cancel`, {});
    expect(again.status).toBe(409);
    expect((await readJson(again)).error.code).toBe("RUN_NOT_ACTIVE");
  });

  it("cancels a queued run at once", async () => {
    await testbed!.stopWorker();
    const { runId } = await readJson(await admin.request("POST", "/api/sync", {}));
    const canceled = await readJson(await admin.request("POST", `/api/sync-runs/${runId}/cancel`, {}));
    expect(canceled).toMatchObject({ state: "canceled", errorCode: "SYNC_CANCELED" });
    await testbed!.startWorker();
  });
});

describe("run timeout and retry", () => {
  let timedOut: string;

  it("fails a run without progress for RUN_TIMEOUT_MINUTES with RUN_TIMEOUT", async () => {
    await upstream.admin("POST", "/admin/advance", { periods: 1 });
    const before = await digest();
    await upstream.admin("POST", "/admin/faults", { operation: "GetUpdateData", kind: "latency", latencyMs: 8_000 });
    timedOut = (await readJson(await admin.request("POST", "/api/sync", {}))).runId;
    const run = await waitForState(timedOut, ["succeeded", "failed", "canceled"], 30_000);
    await upstream.admin("DELETE", "/admin/faults");
    expect(run).toMatchObject({ state: "failed", errorCode: "RUN_TIMEOUT" });
    const messages = await readJson(await admin.request("GET", `/api/status-messages?runId=${timedOut}&sort=time`));
    expect(messages.items.at(-1)).toMatchObject({ messageId: 6703 });
    expect(await digest()).toEqual(before);
  });

  it("retries the failed run: a new run with trigger retry that succeeds", async () => {
    const response = await admin.request("POST", `/api/sync-runs/${timedOut}/retry`, {});
    expect(response.status).toBe(202);
    const { runId } = await readJson(response);
    expect(runId).not.toBe(timedOut);
    const run = await waitForState(runId, ["succeeded", "failed"]);
    expect(run).toMatchObject({ state: "succeeded", trigger: "retry", requestedBy: "admin" });
    const settings = await server.db.prisma.supSettings.findUniqueOrThrow({ where: { id: 1 } });
    const q = `products=${settings.products.join(",")}&classifications=${settings.classifications.join(",")}`;
    expect(await readJson(await admin.request("GET", `/api/sites/CAS/catalog/digest?${q}`))).toEqual(
      await upstream.admin("GET", `/admin/digest?${q}`),
    );
    const retriedAgain = await admin.request("POST", `/api/sync-runs/${runId}/retry`, {});
    expect(retriedAgain.status).toBe(409);
    expect((await readJson(retriedAgain)).error.code).toBe("RUN_NOT_RETRYABLE");
  });
});
