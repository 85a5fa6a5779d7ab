// Integration-test harness: the real Express app of one process over real HTTP, on a database of its own cloned from
// the migrated template (see @syncpoint/db/testing).
import type { Server } from "node:http";
import type { DestinationStream } from "pino";
import { createTestDatabase, type TestDatabase } from "@syncpoint/db/testing";
import type { ProcessRole } from "@syncpoint/contracts";
import { createApp } from "../src/app.ts";
import { answerClientErrors } from "../src/http/client-errors.ts";
import { loadConfig, type Config } from "../src/config.ts";
import type { AppContext } from "../src/context.ts";
import { createRuntime, type Runtime } from "../src/runtime.ts";
import { createLogger } from "../src/logger.ts";
import { attachRealtime, type RealtimeServer } from "../src/realtime/gateway.ts";
import { apiRoutes } from "../src/routes/index.ts";
import { seed, type SeedResult } from "../src/services/seed.ts";
import { setSocketClientCounter } from "../src/observability/metrics.ts";
import { startSyncWorker } from "../src/sync/worker.ts";
import { waitFor } from "./processes.ts";
import { startUpstream, type UpstreamProcess } from "./upstream-process.ts";
import { Heartbeat } from "../src/worker/heartbeat.ts";
import { CLASSIFICATION_IDS, PRODUCTS } from "../../upstream/src/catalog/categories.ts";

export const TEST_ADMIN_PASSWORD = "correct horse battery staple";

/** Makes this test server also a worker: a heartbeat and the sync job handler, with short delays. */
export async function startWorker(server: TestServer): Promise<() => Promise<void>> {
  const heartbeat = new Heartbeat(server.ctx.prisma, `test-worker-${Date.now()}`, 1_000, server.ctx.logger);
  await heartbeat.start();
  const worker = await startSyncWorker(server.ctx, {
    workerId: heartbeat.workerId,
    cancelPollMs: 200,
    upstreamTimeoutMs: server.ctx.config.UPSTREAM_TIMEOUT_MS,
    pollingIntervalSeconds: 0.5,
    // At least four run slots: a test's hierarchy syncs its sibling sites at once (faster, and the runs share the
    // process as they do in a deployment with WORKER_CONCURRENCY raised).
    concurrency: Math.max(4, server.ctx.config.WORKER_CONCURRENCY),
    // Tests call tick() with their own clock; a real-time cron tick would race them.
    cron: false,
  });
  return async () => {
    await worker.stop();
    await heartbeat.stop();
  };
}

export interface TestServer {
  url: string;
  ctx: AppContext;
  realtime: RealtimeServer;
  db: TestDatabase;
  seeded: SeedResult;
  close(): Promise<void>;
}

export async function startTestServer(
  options: {
    env?: Record<string, string>;
    role?: ProcessRole;
    seed?: boolean;
    /** Serve CONSOLE_DIST as `pnpm start` does (default: API and SUP endpoints only). */
    serveConsole?: boolean;
    /** Where the server's log lines go (default: stdout, silent unless LOG_LEVEL is set). */
    logDestination?: DestinationStream;
  } = {},
): Promise<TestServer> {
  const db = await createTestDatabase();
  // Short retry delays: the tests are about what happens, not about waiting for it.
  const config: Config = loadConfig({ LOG_LEVEL: "silent", RETRY_BASE_MS: "20", RETRY_MAX_MS: "100", ...options.env });
  const runtime: Runtime = await createRuntime({
    config,
    role: options.role ?? "all",
    databaseUrl: db.url,
    logger: createLogger(config.LOG_LEVEL, {}, options.logDestination),
    prisma: db.prisma,
    secretKey: "test secret key",
  });
  const { ctx } = runtime;
  const seeded =
    options.seed === false
      ? { createdAdmin: false, createdHierarchy: false }
      : await seed(db.prisma, { adminPassword: TEST_ADMIN_PASSWORD });
  const app = createApp(ctx, apiRoutes, { serveConsole: options.serveConsole ?? false, serveSupEndpoints: true });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
    answerClientErrors(s);
  });
  const realtime = attachRealtime(server, ctx);
  setSocketClientCounter(ctx, () => realtime.engine.clientsCount);
  const { port } = server.address() as { port: number };
  // Child sites sync from their parent's SUP endpoint on this server.
  ctx.config.INTERNAL_API_URL = `http://127.0.0.1:${port}`;
  return {
    url: `http://127.0.0.1:${port}`,
    ctx,
    realtime,
    db,
    seeded,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => void realtime.close(resolve));
      await runtime.close();
      await db.drop();
    },
  };
}

/** A tiny cookie-keeping HTTP client, as a browser would behave towards one origin. */
export class Browser {
  private cookie: string | undefined;

  constructor(private readonly base: string) {}

  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
    const response = await fetch(this.base + path, {
      method,
      headers: {
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    const setCookie = response.headers.getSetCookie();
    for (const c of setCookie) {
      const [pair] = c.split(";");
      if (!pair) continue;
      const value = pair.slice(pair.indexOf("=") + 1);
      this.cookie = value ? pair : undefined;
    }
    return response;
  }

  get sessionCookie(): string | undefined {
    return this.cookie;
  }

  login(username = "admin", password = TEST_ADMIN_PASSWORD): Promise<Response> {
    return this.request("POST", "/api/auth/login", { username, password });
  }
}

/** A response's JSON body, loosely typed for assertions (the assertions are the type check). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const readJson = (response: Response): Promise<any> => response.json();

/** Starts a top-level sync as `browser` and waits until the run ends; returns the run and its log. */
export async function syncAndWait(
  browser: Browser,
  body: Record<string, unknown> = {},
  timeoutMs = 60_000,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the run as the API returns it, for assertions
): Promise<{ runId: string; run: any; log: string }> {
  const { runId } = await readJson(await browser.request("POST", "/api/sync", body));
  let run = await readJson(await browser.request("GET", `/api/sync-runs/${runId}`));
  const deadline = Date.now() + timeoutMs;
  while (!["succeeded", "failed", "canceled"].includes(run.state)) {
    if (Date.now() > deadline) throw new Error(`run ${runId} did not end within ${timeoutMs} ms (${run.state})`);
    await new Promise((r) => setTimeout(r, 100));
    run = await readJson(await browser.request("GET", `/api/sync-runs/${runId}`));
  }
  const log = await (await browser.request("GET", `/api/sync-runs/${runId}/log`)).text();
  return { runId, run, log };
}

/** Until every site of the hierarchy is idle at the top-level site's catalog version: the cascade has settled. */
export async function hierarchySettled(browser: Browser, timeoutMs = 90_000): Promise<void> {
  await waitFor(
    async () => {
      const rows = (await readJson(await browser.request("GET", "/api/sup-sync-status"))).items as {
        state: string;
        catalogVersion: number;
        parentCode: string | null;
      }[];
      const top = rows.find((r) => r.parentCode === null)!.catalogVersion;
      return rows.every((r) => !["queued", "running", "canceling"].includes(r.state) && r.catalogVersion === top);
    },
    timeoutMs,
    "every site idle at the top-level site's catalog version",
  );
}

/** An upstream process, a test server syncing from it, a worker and a signed-in admin: what sync tests start with. */
export interface SyncTestbed {
  upstream: UpstreamProcess;
  server: TestServer;
  admin: Browser;
  /** Stops the worker (runs stay queued) and starts a new one. */
  stopWorker(): Promise<void>;
  startWorker(): Promise<void>;
  stop(): Promise<void>;
}

export async function startSyncTestbed(
  options: { upstreamEnv?: Record<string, string>; serverEnv?: Record<string, string> } = {},
): Promise<SyncTestbed> {
  const upstream = await startUpstream(options.upstreamEnv);
  const server = await startTestServer({ env: { MICROSOFT_UPDATE_URL: upstream.url, ...options.serverEnv } });
  let stopWorker: (() => Promise<void>) | undefined = await startWorker(server);
  const admin = new Browser(server.url);
  await admin.login();
  return {
    upstream,
    server,
    admin,
    async stopWorker() {
      await stopWorker?.();
      stopWorker = undefined;
    },
    async startWorker() {
      stopWorker ??= await startWorker(server);
    },
    async stop() {
      await stopWorker?.();
      await server.close();
      await upstream.stop();
    },
  };
}

/**
 * A testbed whose catalog was synced with Defender's security intelligence updates selected besides the demo's
 * selection (they are bundles with long supersedence chains): `advancePeriods` more months published upstream and
 * synced again (revisions of existing updates, new supersedence); the hierarchy settled.
 */
export async function startDefenderTestbed(options: {
  updates: number;
  advancePeriods?: number;
  serverEnv?: Record<string, string>;
}): Promise<SyncTestbed> {
  const testbed = await startSyncTestbed({
    upstreamEnv: { UPSTREAM_UPDATES: String(options.updates) },
    ...(options.serverEnv ? { serverEnv: options.serverEnv } : {}),
  });
  const succeeded = async () => {
    const { run } = await syncAndWait(testbed.admin);
    if (run.state !== "succeeded") throw new Error(`the set-up sync ended ${run.state}`);
  };
  await testbed.server.db.prisma.supSettings.update({
    where: { id: 1 },
    data: {
      products: { push: PRODUCTS.defenderAntivirus },
      classifications: { push: CLASSIFICATION_IDS.definitionUpdates },
    },
  });
  await succeeded();
  if (options.advancePeriods) {
    await testbed.upstream.admin("POST", "/admin/advance", { periods: options.advancePeriods });
    await succeeded();
  }
  await hierarchySettled(testbed.admin);
  return testbed;
}

/**
 * Stores one update revision — a published software update with no categories, KBs or files unless `revision` says
 * otherwise — and puts it in a site's catalog: a row for tests that need an update without syncing one.
 */
export async function addCatalogUpdate(
  prisma: TestServer["db"]["prisma"],
  entry: { siteCode: string; updateId: string; revisionNumber: number; version?: number },
  revision: Partial<Parameters<TestServer["db"]["prisma"]["updateRevision"]["create"]>[0]["data"]> = {},
): Promise<void> {
  await prisma.updateRevision.create({
    data: {
      updateId: entry.updateId,
      revisionNumber: entry.revisionNumber,
      updateType: "Software",
      title: "Test update",
      localized: [],
      languages: ["en"],
      kbArticleIds: [],
      securityBulletinIds: [],
      cveIds: [],
      classificationIds: [],
      productIds: [],
      creationDate: new Date(),
      publicationState: "Published",
      isBundle: false,
      bundledUpdates: [],
      supersededUpdateIds: [],
      prerequisiteIds: [],
      files: [],
      ...revision,
    },
  });
  await prisma.siteCatalogEntry.create({
    data: {
      siteCode: entry.siteCode,
      updateId: entry.updateId,
      revisionNumber: entry.revisionNumber,
      version: entry.version ?? 1,
    },
  });
}
