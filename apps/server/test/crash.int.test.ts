// Crash safety (sync-engine issue): SIGKILL the worker process in the middle of fetching updates; the run's lease
// runs out, another worker resumes it from what was stored, and it converges with zero duplicate rows.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findFreePort } from "@syncpoint/db";
import { REPO_ROOT } from "../src/config.ts";
import { Browser, readJson, startTestServer, type TestServer } from "./harness.ts";
import { isAlive, run, waitFor, type RunningProcess } from "./processes.ts";
import { startUpstream, type UpstreamProcess } from "./upstream-process.ts";

let upstream: UpstreamProcess;
let server: TestServer;
let admin: Browser;
const workers: RunningProcess[] = [];

beforeAll(async () => {
  upstream = await startUpstream({ UPSTREAM_UPDATES: "3200" });
  server = await startTestServer({ env: { MICROSOFT_UPDATE_URL: upstream.url } });
  admin = new Browser(server.url);
  await admin.login();
});
afterAll(async () => {
  for (const w of workers) if (isAlive(w.child.pid!)) w.child.kill("SIGKILL");
  await server?.close();
  await upstream?.stop();
});

async function startWorkerProcess(): Promise<RunningProcess> {
  const worker = run(process.execPath, ["--import", "tsx", "src/main.ts", "--role", "worker"], {
    cwd: path.join(REPO_ROOT, "apps/server"),
    env: {
      ...process.env,
      DATABASE_URL: server.db.url,
      PORT: String(await findFreePort()),
      ADMIN_PASSWORD: "not used by this test",
      MICROSOFT_UPDATE_URL: upstream.url,
      INTERNAL_API_URL: server.url,
      JOB_POLL_SECONDS: "0.5",
      // Long enough that the resuming worker, starting up on a loaded machine, never misses its own renewals.
      RUN_LEASE_MS: "5000",
      RUN_LEASE_RENEW_MS: "400",
      LEASE_REAPER_MS: "500",
      LOG_LEVEL: "info",
    },
  });
  workers.push(worker);
  await worker.waitForOutput(/"msg":"listening"/, 60_000);
  return worker;
}

const logOf = async (runId: string) => (await admin.request("GET", `/api/sync-runs/${runId}/log`)).text();

describe("a worker killed mid-run", () => {
  it("leaves the run to be resumed by another worker, which converges with no duplicates", async () => {
    // Slow enough to kill it between two GetUpdateData batches.
    await upstream.admin("POST", "/admin/faults", { operation: "GetUpdateData", kind: "latency", latencyMs: 400 });
    const first = await startWorkerProcess();
    const { runId } = await readJson(await admin.request("POST", "/api/sync", {}));
    await waitFor(
      async () => /sync: WSUS synchronizing updates, processed [1-9]\d* out of/.test(await logOf(runId)),
      60_000,
      "the first stored batch",
    );
    first.child.kill("SIGKILL");
    await first.exited;
    const storedBeforeCrash = await server.db.prisma.updateRevision.count();
    expect(storedBeforeCrash).toBeGreaterThan(0);
    expect((await readJson(await admin.request("GET", `/api/sync-runs/${runId}`))).state).toBe("running");

    await startWorkerProcess();
    let final: { state: string; catalogVersionAfter: number } = { state: "running", catalogVersionAfter: 0 };
    await waitFor(
      async () =>
        ["succeeded", "failed"].includes(
          (final = await readJson(await admin.request("GET", `/api/sync-runs/${runId}`))).state,
        ),
      60_000,
      "the resumed run to end",
    );
    await upstream.admin("DELETE", "/admin/faults");
    expect(final).toMatchObject({ state: "succeeded", catalogVersionAfter: 1 });

    const log = await logOf(runId);
    expect(log).toContain("its lease expired");
    // The resumed pass fetched only what the first worker had not stored.
    const fetches = [
      ...log.matchAll(/sync: WSUS synchronizing updates, processed (\d+) out of (\d+) items \(100%\)/g),
    ].map((m) => Number(m[2]));
    const total = await server.db.prisma.updateRevision.count();
    expect(fetches.at(-1)).toBe(total - storedBeforeCrash);
    expect((await server.db.prisma.syncRun.findUniqueOrThrow({ where: { id: runId } })).resumes).toBe(1);

    const [dupes] = await server.db.prisma.$queryRaw<{ revisions: bigint; entries: bigint }[]>`
      SELECT (SELECT count(*) - count(DISTINCT (update_id, revision_number)) FROM update_revisions) AS revisions,
             (SELECT count(*) - count(DISTINCT (site_code, update_id)) FROM site_catalog_entries) AS entries`;
    expect(dupes).toEqual({ revisions: 0n, entries: 0n });
    const settings = await server.db.prisma.supSettings.findUniqueOrThrow({ where: { id: 1 } });
    const q = `products=${settings.products.join(",")}&classifications=${settings.classifications.join(",")}`;
    expect(await readJson(await admin.request("GET", `/api/sites/CAS/catalog/digest?${q}`))).toEqual(
      await upstream.admin("GET", `/admin/digest?${q}`),
    );
  });
});
