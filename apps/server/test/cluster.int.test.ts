// Scale-out (issue #12): two `--role api` and two `--role worker` processes over one Postgres, as real processes. A
// console on API #1 watches a sync started through API #2; the worker running it is killed (SIGKILL), the other one
// resumes it, and the console saw every state change in `seq` order. Then a worker stopped gracefully (SIGTERM)
// hands its run back at a checkpoint, exits 0, and another worker finishes it.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { io as connect, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findFreePort } from "@syncpoint/db";
import { createTestDatabase, type TestDatabase } from "@syncpoint/db/testing";
import { REPO_ROOT } from "../src/config.ts";
import { Browser, readJson, TEST_ADMIN_PASSWORD } from "./harness.ts";
import { isAlive, run, waitFor, type RunningProcess } from "./processes.ts";
import { startUpstream, type UpstreamProcess } from "./upstream-process.ts";

interface ServerProcess {
  role: "api" | "worker";
  url: string;
  process: RunningProcess;
}

interface RunEvent {
  id: string;
  seq: number;
  state: string;
  waitingReason: string | null;
}

let upstream: UpstreamProcess;
let db: TestDatabase;
let dataDir: string;
const started: ServerProcess[] = [];
let api1: ServerProcess;
let api2: ServerProcess;
let admin: Browser;
let socket: Socket;
const events: RunEvent[] = [];

async function startServer(role: "api" | "worker", internalApiUrl?: string): Promise<ServerProcess> {
  const port = await findFreePort();
  const p = run(process.execPath, ["--import", "tsx", "src/main.ts", "--role", role], {
    cwd: path.join(REPO_ROOT, "apps/server"),
    env: {
      ...process.env,
      DATABASE_URL: db.url,
      HOST: "127.0.0.1",
      PORT: String(port),
      DATA_DIR: dataDir,
      SYNCPOINT_SECRET_KEY: "one key for every process of the cluster",
      ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
      MICROSOFT_UPDATE_URL: upstream.url,
      ...(internalApiUrl ? { INTERNAL_API_URL: internalApiUrl } : {}),
      JOB_POLL_SECONDS: "0.5",
      HEARTBEAT_INTERVAL_MS: "500",
      // A dead worker's run is resumed within about 5.5 s; a live worker on a loaded machine does not miss a dozen
      // renewals in a row (with a 2 s lease one did, and its own run was resumed a second time).
      RUN_LEASE_MS: "5000",
      RUN_LEASE_RENEW_MS: "400",
      LEASE_REAPER_MS: "500",
      RETRY_BASE_MS: "20",
      RETRY_MAX_MS: "100",
      LOG_LEVEL: "info",
    },
  });
  const server = { role, url: `http://127.0.0.1:${port}`, process: p };
  started.push(server);
  await p.waitForOutput(/"msg":"listening"/, 60_000);
  return server;
}

beforeAll(async () => {
  [upstream, db, dataDir] = await Promise.all([
    startUpstream({ UPSTREAM_UPDATES: "3200" }),
    createTestDatabase(),
    mkdtemp(path.join(tmpdir(), "syncpoint-cluster-")),
  ]);
  // All four at once on a fresh database: migrations, seeding and queue creation take turns.
  [api1, api2] = await Promise.all([startServer("api"), startServer("api")]);
  await Promise.all([startServer("worker", api1!.url), startServer("worker", api1!.url)]);
  admin = new Browser(api2!.url);
  expect((await admin.login()).status).toBe(200);
  // The console's socket, on the other API process.
  socket = connect(api1!.url, {
    transports: ["websocket"],
    reconnection: false,
    extraHeaders: { cookie: admin.sessionCookie! },
  });
  socket.on("sync-run", (event) => void events.push(event as unknown as RunEvent));
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", reject);
  });
  // Slow enough to stop a worker between two GetUpdateData batches.
  await upstream.admin("POST", "/admin/faults", { operation: "GetUpdateData", kind: "latency", latencyMs: 400 });
}, 120_000);

afterAll(async () => {
  socket?.disconnect();
  for (const s of started) if (isAlive(s.process.child.pid!)) s.process.child.kill("SIGKILL");
  await Promise.all(started.map((s) => s.process.exited));
  await db?.drop();
  await upstream?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const getRun = async (runId: string) => readJson(await admin.request("GET", `/api/sync-runs/${runId}`));
const logOf = async (runId: string) => (await admin.request("GET", `/api/sync-runs/${runId}/log`)).text();

/** The worker process holding the run's lease (sync_runs.worker_id ↔ its heartbeat row's pid). */
async function holder(runId: string): Promise<ServerProcess> {
  const [row] = await db.prisma.$queryRaw<{ pid: number }[]>`
    SELECT h.pid FROM sync_runs r JOIN worker_heartbeats h ON h.worker_id = r.worker_id WHERE r.id = ${runId}::uuid`;
  const found = started.find((s) => s.role === "worker" && s.process.child.pid === row?.pid);
  if (!found) throw new Error(`no worker of ours holds run ${runId}`);
  return found;
}

/** Starts a sync through API #2 and waits until its worker has stored a batch of updates. */
async function startSyncWithProgress(): Promise<string> {
  const response = await admin.request("POST", "/api/sync", {});
  expect(response.status).toBe(202);
  const { runId } = await readJson(response);
  await waitFor(
    async () => /sync: WSUS synchronizing updates, processed [1-9]\d* out of/.test(await logOf(runId)),
    30_000,
    "the first stored batch",
  );
  return runId;
}

async function waitForEnd(runId: string): Promise<{ state: string; workerId: string | null; resumes: number }> {
  let state = "running";
  await waitFor(
    async () => ["succeeded", "failed", "canceled"].includes((state = (await getRun(runId)).state)),
    30_000,
    "the run to end",
  );
  const row = await db.prisma.syncRun.findUniqueOrThrow({ where: { id: runId } });
  return { state, workerId: row.workerId, resumes: row.resumes };
}

/** What API #1's socket received about one run: `seq` strictly increasing, and its states without repeats. */
async function statesSeen(runId: string): Promise<{ states: string[]; requeued: RunEvent | undefined }> {
  await waitFor(() => events.some((e) => e.id === runId && e.state === "succeeded"), 10_000, "the last event");
  const mine = events.filter((e) => e.id === runId);
  for (let i = 1; i < mine.length; i++) expect(mine[i]!.seq).toBeGreaterThan(mine[i - 1]!.seq);
  const states = mine.map((e) => e.state).filter((s, i, all) => i === 0 || s !== all[i - 1]);
  return { states, requeued: mine.find((e, i) => i > 0 && e.state === "queued") };
}

async function expectCatalogMatchesUpstream(): Promise<void> {
  const settings = await db.prisma.supSettings.findUniqueOrThrow({ where: { id: 1 } });
  const q = `products=${settings.products.join(",")}&classifications=${settings.classifications.join(",")}`;
  const ours = await readJson(await admin.request("GET", `/api/sites/CAS/catalog/digest?${q}`));
  expect(ours.count).toBeGreaterThan(0);
  expect(ours).toEqual(await upstream.admin("GET", `/admin/digest?${q}`));
}

describe("two API and two worker processes on one Postgres", () => {
  it("resumes a killed worker's run on the other worker; a console on the other API process saw every state in order", async () => {
    const runId = await startSyncWithProgress();
    const victim = await holder(runId);
    victim.process.child.kill("SIGKILL");
    await victim.process.exited;

    const end = await waitForEnd(runId);
    expect(end.state).toBe("succeeded");
    expect(end.resumes).toBe(1);
    // Finished by the surviving worker.
    expect(end.workerId).not.toBeNull();
    expect(await logOf(runId)).toContain("its lease expired");
    await expectCatalogMatchesUpstream();

    const { states, requeued } = await statesSeen(runId);
    expect(states).toEqual(["queued", "running", "queued", "running", "succeeded"]);
    expect(requeued?.waitingReason).toBe("resume");
  });

  it("hands the run back when its worker is stopped with SIGTERM; the process exits 0 and another worker finishes", async () => {
    // A second worker again (one was killed above), and more to fetch: every product and classification.
    const [, stats] = await Promise.all([
      startServer("worker", api1.url),
      upstream.admin<{ byProduct: Record<string, number>; byClassification: Record<string, number> }>(
        "GET",
        "/admin/stats",
      ),
    ]);
    await db.prisma.supSettings.update({
      where: { id: 1 },
      data: { products: Object.keys(stats.byProduct), classifications: Object.keys(stats.byClassification) },
    });

    const runId = await startSyncWithProgress();
    const stopping = await holder(runId);
    const signaled = Date.now();
    stopping.process.child.kill("SIGTERM");
    const exit = await stopping.process.exited;
    const stopMs = Date.now() - signaled;
    expect(exit).toEqual({ code: 0, signal: null });
    // Handed back at once, not after a lease expiry.
    expect(stopMs).toBeLessThan(8_000);
    expect(stopping.process.output()).toContain("handed the run back to the queue");

    const end = await waitForEnd(runId);
    expect(end.state).toBe("succeeded");
    expect(end.resumes).toBe(1);
    const log = await logOf(runId);
    expect(log).toContain("is stopping; it is queued again");
    expect(log).not.toContain("its lease expired");
    await expectCatalogMatchesUpstream();

    const { states, requeued } = await statesSeen(runId);
    expect(states).toEqual(["queued", "running", "queued", "running", "succeeded"]);
    expect(requeued?.waitingReason).toBe("resume");
  });
});
