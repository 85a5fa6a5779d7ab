// The first real sync, end to end over real HTTP: the API queues a run, a worker syncs the CAS from the upstream
// process over MS-WSUSSS into Postgres, status messages, log lines and socket events tell the story, and the
// catalog digest equals the upstream's.
import type { SupSyncStatusRow } from "@syncpoint/contracts";
import { io as connect } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SUP_SETTINGS } from "../src/services/seed.ts";
import { Browser, readJson, startTestServer, startWorker, type TestServer } from "./harness.ts";
import { waitFor } from "./processes.ts";
import { startUpstream, type UpstreamProcess } from "./upstream-process.ts";

let upstream: UpstreamProcess;
let server: TestServer;
let stopWorker: () => Promise<void>;
let admin: Browser;

beforeAll(async () => {
  upstream = await startUpstream();
  // Every phase change published at once (RUN_EVENT_INTERVAL_MS 0): the row is seen to pass through each phase. With
  // the default, phases shorter than the interval coalesce (reporter.int).
  server = await startTestServer({
    env: { MICROSOFT_UPDATE_URL: upstream.url, UPSTREAM_TIMEOUT_MS: "10000", RUN_EVENT_INTERVAL_MS: "0" },
  });
  admin = new Browser(server.url);
  await admin.login();
});
afterAll(async () => {
  await stopWorker?.();
  await server?.close();
  await upstream?.stop();
});

async function waitForRun(runId: string, states = ["succeeded", "failed", "canceled"]) {
  let run: { state: string } & Record<string, unknown> = { state: "queued" };
  await waitFor(
    async () => {
      run = await readJson(await admin.request("GET", `/api/sync-runs/${runId}`));
      return states.includes(run.state);
    },
    60_000,
    `run ${runId} to reach ${states.join("/")}`,
  );
  return run;
}

const filterQuery = `products=${DEFAULT_SUP_SETTINGS.products.join(",")}&classifications=${DEFAULT_SUP_SETTINGS.classifications.join(",")}`;

describe("Synchronize Software Updates", () => {
  let runId: string;
  const events: (SupSyncStatusRow & { seq: number })[] = [];

  it("queues one run and answers 409 with that run to a second request", async () => {
    const socket = connect(server.url, { transports: ["websocket"], extraHeaders: { cookie: admin.sessionCookie! } });
    socket.on("sup-status", (row) => {
      if ((row as unknown as SupSyncStatusRow).siteCode === "CAS")
        events.push(row as unknown as SupSyncStatusRow & { seq: number });
    });
    await new Promise<void>((resolve) => socket.once("connect", () => resolve()));

    const first = await admin.request("POST", "/api/sync", {});
    expect(first.status).toBe(202);
    runId = (await readJson(first)).runId;
    const second = await admin.request("POST", "/api/sync", { fullSync: true });
    expect(second.status).toBe(409);
    expect(await readJson(second)).toEqual({
      error: {
        code: "SYNC_ALREADY_ACTIVE",
        message: "A synchronization of CAS is already queued.",
        details: { runId },
      },
    });
    expect((await readJson(await admin.request("GET", `/api/sync-runs/${runId}`))).state).toBe("queued");

    stopWorker = await startWorker(server);
    const run = await waitForRun(runId);
    expect(run).toMatchObject({
      state: "succeeded",
      trigger: "manual",
      requestedBy: "admin",
      catalogVersionAfter: 1,
      percent: 100,
    });
    await waitFor(() => events.some((e) => e.state === "succeeded"), 5_000, "the succeeded event");
    socket.disconnect();
  });

  it("stores a catalog whose digest equals the upstream's for the same filter", async () => {
    const ours = await readJson(await admin.request("GET", `/api/sites/CAS/catalog/digest?${filterQuery}`));
    const theirs = await upstream.admin<{ count: number; digest: string }>("GET", `/admin/digest?${filterQuery}`);
    expect(theirs.count).toBeGreaterThan(20);
    expect(ours).toEqual(theirs);
    const run = await readJson(await admin.request("GET", `/api/sync-runs/${runId}`));
    expect(run.counts.new).toBe(theirs.count);
    // Nothing outside the selection: the unfiltered digest of the site is the same set.
    expect((await readJson(await admin.request("GET", "/api/sites/CAS/catalog/digest"))).count).toBe(theirs.count);
  });

  it("pushed the row Queued → In progress → Completed by socket events, in seq order", () => {
    const states = events.map((e) => e.state);
    expect(states[0]).toBe("queued");
    expect(states).toContain("running");
    expect(states.at(-1)).toBe("succeeded");
    const seqs = events.map((e) => e.seq);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    const phases = new Set(events.map((e) => e.phase).filter(Boolean));
    expect([...phases]).toEqual(expect.arrayContaining(["authorize", "categories", "updates", "apply", "commit"]));
    const last = events.at(-1)!;
    expect(last).toMatchObject({ lastSyncStateId: 6702, catalogVersion: 1, lastErrorCode: null, runId });
  });

  it("wrote status messages 6701, 6704, 6705, 6702 and a wsyncmgr-format log", async () => {
    const messages = await readJson(await admin.request("GET", `/api/status-messages?runId=${runId}&sort=time`));
    expect(messages.items.map((m: { messageId: number }) => m.messageId)).toEqual([6701, 6704, 6705, 6702]);
    expect(messages.items[0]).toMatchObject({ component: "SMS_WSUS_SYNC_MANAGER", severity: "I", siteCode: "CAS" });

    const log = await admin.request("GET", `/api/sync-runs/${runId}/log`);
    expect(log.headers.get("content-type")).toMatch(/^text\/plain/);
    const text = await log.text();
    const lines = text.trimEnd().split("\n");
    for (const line of lines) {
      expect(line).toMatch(
        / \$\$<SMS_WSUS_SYNC_MANAGER><\d{2}-\d{2}-\d{4} \d{2}:\d{2}:\d{2}\.\d{3}\+000><thread=\d+ \(0x[0-9A-F]+\)>$/,
      );
    }
    expect(text).toContain("Starting Sync $$");
    expect(text).toContain("Performing sync on local request");
    expect(text).toMatch(/sync: WSUS synchronizing updates, processed \d+ out of \d+ items \(100%\)/);
    expect(text).toContain("new update source content version is 1");
    expect(text).toMatch(/Sync time: 0d00h00m\d{2}s/);
    const seq = Number(log.headers.get("x-log-seq"));
    const after = await admin.request("GET", `/api/sync-runs/${runId}/log?after=${seq - 2}`);
    expect((await after.text()).trimEnd().split("\n")).toHaveLength(2);
  });

  it("lists the synced updates with server-side paging, sorting and search", async () => {
    const first = await readJson(await admin.request("GET", "/api/software-updates?pageSize=10&sort=-releaseDate"));
    const digest = await readJson(await admin.request("GET", `/api/sites/CAS/catalog/digest?${filterQuery}`));
    expect(first.total).toBe(digest.count);
    expect(first.items).toHaveLength(10);
    const item = first.items[0];
    expect(item.title).toMatch(/\(KB\d+\)|KB890830|Version/);
    expect(item.classifications[0].title).toMatch(/Updates|Rollups/);
    expect(item.products[0].title).toMatch(/Windows|Server/);
    const dates = first.items.map((i: { releaseDate: string }) => i.releaseDate);
    expect([...dates].sort().reverse()).toEqual(dates);

    const page2 = await readJson(
      await admin.request("GET", "/api/software-updates?pageSize=10&page=2&sort=-releaseDate"),
    );
    expect(page2.items[0].updateId).not.toBe(item.updateId);

    const kb = item.kbArticleIds[0];
    const found = await readJson(await admin.request("GET", `/api/software-updates?search=KB${kb}`));
    expect(found.items.map((i: { updateId: string }) => i.updateId)).toContain(item.updateId);
    const critical = await readJson(await admin.request("GET", "/api/software-updates?severity=Critical&pageSize=500"));
    expect(critical.items.every((i: { severity: string }) => i.severity === "Critical")).toBe(true);
    const superseded = await readJson(await admin.request("GET", "/api/software-updates?superseded=true&pageSize=500"));
    expect(superseded.total).toBeGreaterThan(0);

    const bad = await admin.request("GET", "/api/software-updates?product=windows&pageSize=0");
    expect(bad.status).toBe(400);
  });

  it("discovered the categories with GetConfig=true", async () => {
    const classes = await readJson(await admin.request("GET", "/api/categories?type=classification"));
    expect(classes.items.map((c: { title: string }) => c.title)).toEqual(
      expect.arrayContaining(["Security Updates", "Critical Updates", "Drivers"]),
    );
    const products = await readJson(await admin.request("GET", "/api/categories?type=product"));
    expect(products.items.find((c: { id: string }) => c.id === "72e7624a-5b00-45d2-b92f-e561c0a6a160")).toMatchObject({
      title: "Windows 11",
      type: "Product",
    });
  });

  it("a second sync with nothing new fetches no update bodies and keeps the catalog version", async () => {
    const { runId: again } = await readJson(await admin.request("POST", "/api/sync", {}));
    const run = await waitForRun(again);
    expect(run).toMatchObject({
      state: "succeeded",
      catalogVersionAfter: 1,
      counts: { new: 0, revised: 0, expired: 0, superseded: 0, removed: 0 },
    });
    const text = await (await admin.request("GET", `/api/sync-runs/${again}/log`)).text();
    expect(text).toContain("sync: WSUS synchronizing updates, processed 0 out of 0 items (100%)");
  });

  it("is refused to a Read-only Analyst", async () => {
    await admin.request("POST", "/api/users", {
      username: "viewer",
      role: "read-only-analyst",
      password: "viewer password 1",
    });
    const viewer = new Browser(server.url);
    await viewer.login("viewer", "viewer password 1");
    await viewer.request("POST", "/api/auth/change-password", {
      currentPassword: "viewer password 1",
      newPassword: "viewer password 2",
    });
    const response = await viewer.request("POST", "/api/sync", {});
    expect(response.status).toBe(403);
    expect(await server.db.prisma.syncRun.count({ where: { requestedBy: "viewer" } })).toBe(0);
  });

  it("fails with UPSTREAM_UNREACHABLE and 6703 when the upstream is down, leaving the catalog as it was", async () => {
    const before = await readJson(await admin.request("GET", `/api/sites/CAS/catalog/digest?${filterQuery}`));
    await upstream.stop();
    const { runId: failing } = await readJson(await admin.request("POST", "/api/sync", {}));
    const run = await waitForRun(failing);
    expect(run).toMatchObject({ state: "failed", errorCode: "UPSTREAM_UNREACHABLE" });
    const messages = await readJson(await admin.request("GET", `/api/status-messages?runId=${failing}&sort=time`));
    const failed = messages.items.at(-1);
    expect(failed).toMatchObject({ messageId: 6703, severity: "E" });
    expect(failed.insertionStrings[2]).toBe("UPSTREAM_UNREACHABLE");
    expect(await readJson(await admin.request("GET", `/api/sites/CAS/catalog/digest?${filterQuery}`))).toEqual(before);
    const status = await readJson(await admin.request("GET", "/api/sup-sync-status"));
    expect(status.items.find((r: { siteCode: string }) => r.siteCode === "CAS")).toMatchObject({
      state: "failed",
      lastSyncStateId: 6703,
      lastErrorCode: "UPSTREAM_UNREACHABLE",
      catalogVersion: 1,
    });
  });
});
