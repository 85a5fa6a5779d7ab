// Generated from the route and subscription registries: every route × every caller → the expected status. The test
// fails when a route or subscription exists that this table does not list (or the other way round), so no new route
// ships without someone deciding who may call it.
import { createHash, randomUUID } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { routeKey } from "../src/http/route.ts";
import { apiRoutes } from "../src/routes/index.ts";
import { subscriptions } from "../src/realtime/subscriptions.ts";
import { hashPassword } from "../src/services/passwords.ts";
import { createSession } from "../src/services/sessions.ts";
import { createApiToken } from "../src/services/tokens.ts";
import { DEFAULT_SUP_SETTINGS } from "../src/services/seed.ts";
import { packageDir, packageFile } from "../src/services/update-packages.ts";
import { PackageWriter } from "../src/update-package/format.ts";
import { io as connect } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addCatalogUpdate, readJson, startTestServer, type TestServer } from "./harness.ts";
import type { RoleName, SocketAck } from "@syncpoint/contracts";
import type { Principal } from "../src/http/principal.ts";

type Who = "anonymous" | RoleName;
type Expected = "ok" | 401 | 403;
const ROLES: RoleName[] = ["read-only-analyst", "software-update-manager", "full-administrator"];
const EVERYONE: Who[] = ["anonymous", ...ROLES];

const PASSWORD = "matrix password 123";
let passwordHash: string;
let server: TestServer;

const DB_ROLE = {
  "read-only-analyst": "read_only_analyst",
  "software-update-manager": "software_update_manager",
  "full-administrator": "full_administrator",
} as const;

async function makeUser(role: RoleName) {
  return server.db.prisma.user.create({
    data: { username: `u-${randomUUID().slice(0, 12)}`, role: DB_ROLE[role], passwordHash, mustChangePassword: false },
  });
}

interface Actor {
  userId?: string;
  username?: string;
  headers: Record<string, string>;
}

async function makeActor(who: Who, method: "session" | "token"): Promise<Actor> {
  if (who === "anonymous") return { headers: {} };
  const user = await makeUser(who);
  if (method === "session") {
    const { token } = await createSession(server.ctx, user.id, {});
    return { userId: user.id, username: user.username, headers: { cookie: `syncpoint_session=${token}` } };
  }
  const principal = { userId: user.id, permissions: [] } as unknown as Principal;
  const { secret } = await createApiToken(server.ctx, principal, { name: "matrix" });
  return { userId: user.id, username: user.username, headers: { authorization: `Bearer ${secret}` } };
}

interface Case {
  expect: Record<Who, Expected>;
  /** The request to send as `actor`: a path (with real ids) and a valid body (JSON, or `raw` for an upload). */
  request?: (actor: Actor) => Promise<{ path?: string; body?: unknown; raw?: { bytes: Buffer; contentType: string } }>;
  /** Puts back what `request` changed for the case (a setting the other routes need as it was). */
  after?: () => Promise<void>;
}

const all = (expected: Expected): Record<Who, Expected> =>
  Object.fromEntries(EVERYONE.map((w) => [w, expected])) as Record<Who, Expected>;
const signedIn: Record<Who, Expected> = { ...all("ok"), anonymous: 401 };
const adminsOnly: Record<Who, Expected> = {
  anonymous: 401,
  "read-only-analyst": 403,
  "software-update-manager": 403,
  "full-administrator": "ok",
};
const targetUser = async () => (await makeUser("read-only-analyst")).id;
const syncRunners: Record<Who, Expected> = { ...adminsOnly, "software-update-manager": "ok" };
const settingsEditors: Record<Who, Expected> = { ...adminsOnly, "software-update-manager": "ok" };
const importers: Record<Who, Expected> = { ...adminsOnly, "software-update-manager": "ok" };

/** An upstream answering the catalog search (with nothing), set as the top-level site's sync source. */
let catalogSearchServer: Server | undefined;
async function answerCatalogSearches(): Promise<void> {
  if (!catalogSearchServer) {
    catalogSearchServer = createServer((_req, res) =>
      res.writeHead(200, { "content-type": "application/json" }).end('{"items":[]}'),
    );
    await new Promise<void>((resolve) => catalogSearchServer!.listen(0, "127.0.0.1", resolve));
  }
  const { port } = catalogSearchServer.address() as AddressInfo;
  await server.db.prisma.supSettings.update({
    where: { id: 1 },
    data: { syncSource: "upstream_url", upstreamUrl: `http://127.0.0.1:${port}` },
  });
}

/** Runs are created directly: the matrix is about who may call a route, not about syncing. */
async function casRun(state: "queued" | "succeeded"): Promise<string> {
  const sup = await server.db.prisma.softwareUpdatePoint.findFirstOrThrow({ where: { siteCode: "CAS" } });
  const run = await server.db.prisma.syncRun.create({
    data: {
      siteCode: "CAS",
      supId: sup.id,
      trigger: "manual",
      state,
      ...(state === "succeeded" ? { finishedAt: new Date() } : {}),
    },
  });
  return run.id;
}
const finishedRun = () => casRun("succeeded");
const queuedRun = () => casRun("queued");
async function endActiveRuns(): Promise<void> {
  await server.db.prisma.syncRun.updateMany({
    where: { state: { in: ["queued", "running", "canceling"] } },
    data: { state: "canceled", finishedAt: new Date() },
  });
}

/** A fresh primary site under CAS (each call its own code), made directly: the matrix is about access. */
let siteCounter = 0;
async function freshSite(): Promise<string> {
  const code = `M${String(siteCounter++).padStart(2, "0")}`;
  await server.db.prisma.site.create({
    data: {
      code,
      name: `Matrix ${code}`,
      type: "primary",
      parentCode: "CAS",
      sups: { create: { serverName: `${code.toLowerCase()}.example.com`, syncSource: "parent" } },
    },
  });
  return code;
}

/** One update in the CAS catalog, for the details route. */
let catalogUpdate: Promise<string> | undefined;
const updateInCatalog = () =>
  (catalogUpdate ??= (async () => {
    const updateId = randomUUID();
    await addCatalogUpdate(
      server.db.prisma,
      { siteCode: "CAS", updateId, revisionNumber: 1 },
      { title: "Matrix update" },
    );
    return updateId;
  })());

const subscription = async () =>
  (
    await server.db.prisma.notificationSubscription.create({
      data: { name: "matrix", kind: "email", targets: ["ops@example.com"], events: ["sync-failed"] },
    })
  ).id;

/** The top-level site set to "Do not synchronize…" (update packages), or back to Microsoft Update. */
const setSyncSource = (syncSource: "disconnected" | "microsoft_update") =>
  server.db.prisma.supSettings.update({ where: { id: 1 }, data: { syncSource } });

/** An empty update package (no categories, no updates) that covers the seeded selection, catalog version 5. */
const PACKAGE_MANIFEST = {
  type: "manifest" as const,
  format: "syncpoint-update-package" as const,
  formatVersion: 1 as const,
  createdAt: "2026-11-24T12:00:00.000Z",
  generator: "matrix",
  source: { siteCode: "CAS", serverName: "cas.example.com" },
  catalogVersion: 5,
  filter: {
    products: DEFAULT_SUP_SETTINGS.products.map((id) => ({ id, title: id })),
    classifications: DEFAULT_SUP_SETTINGS.classifications.map((id) => ({ id, title: id })),
  },
  languages: DEFAULT_SUP_SETTINGS.languages,
  counts: { categories: 0, updates: 0, imported: 0 },
};

async function packageBytes(): Promise<Buffer> {
  const writer = new PackageWriter(PACKAGE_MANIFEST);
  const chunks: Buffer[] = [];
  writer.output.on("data", (chunk: Buffer) => chunks.push(chunk));
  await writer.end();
  return Buffer.concat(chunks);
}

/** A verified update package as an upload stores it (the row, and its file for the apply route). */
async function storedPackage(withFile: boolean): Promise<string> {
  const bytes = await packageBytes();
  const { type: _type, format: _format, ...manifest } = PACKAGE_MANIFEST;
  const row = await server.db.prisma.updatePackage.create({
    data: {
      fileName: "matrix.ndjson.gz",
      sizeBytes: BigInt(bytes.length),
      sha256: createHash("sha256").update(bytes).digest("hex"),
      manifest: { ...manifest, contentSha256: "0".repeat(64) },
      state: "verified",
    },
  });
  if (withFile) {
    await mkdir(packageDir(server.ctx), { recursive: true });
    await writeFile(packageFile(server.ctx, row.id), bytes);
  }
  return row.id;
}

const ROUTES: Record<string, Case> = {
  "GET /health": { expect: all("ok") },
  "GET /health/live": { expect: all("ok") },
  // Public: the API's shape, no data; tools fetch it before they have credentials.
  "GET /openapi.json": { expect: all("ok") },
  "POST /auth/login": {
    expect: all("ok"),
    request: async (actor) => ({
      body: { username: actor.username ?? (await makeUser("read-only-analyst")).username, password: PASSWORD },
    }),
  },
  "POST /auth/logout": { expect: signedIn, request: async () => ({ body: {} }) },
  "POST /auth/logout-everywhere": { expect: signedIn, request: async () => ({ body: {} }) },
  "GET /auth/me": { expect: signedIn },
  "PUT /auth/locale": { expect: signedIn, request: async () => ({ body: { locale: "sv-SE" } }) },
  "POST /auth/change-password": {
    expect: signedIn,
    request: async () => ({ body: { currentPassword: PASSWORD, newPassword: "another matrix password" } }),
  },
  "GET /users": { expect: signedIn },
  "POST /users": {
    expect: adminsOnly,
    request: async () => ({ body: { username: `new-${randomUUID().slice(0, 8)}`, role: "read-only-analyst" } }),
  },
  "PATCH /users/:id": {
    expect: adminsOnly,
    request: async () => ({ path: `/users/${await targetUser()}`, body: { role: "software-update-manager" } }),
  },
  "POST /users/:id/reset-password": {
    expect: adminsOnly,
    request: async () => ({ path: `/users/${await targetUser()}/reset-password`, body: {} }),
  },
  "DELETE /users/:id": { expect: adminsOnly, request: async () => ({ path: `/users/${await targetUser()}` }) },
  "GET /tokens": { expect: signedIn },
  "POST /tokens": { expect: signedIn, request: async () => ({ body: { name: "ci" } }) },
  "DELETE /tokens/:id": {
    expect: signedIn,
    request: async (actor) => {
      const owner = actor.userId ?? (await makeUser("read-only-analyst")).id;
      const { token } = await createApiToken(server.ctx, { userId: owner, permissions: [] } as unknown as Principal, {
        name: "x",
      });
      return { path: `/tokens/${token.id}` };
    },
  },
  "GET /audit": { expect: signedIn },
  "GET /sites": { expect: signedIn },
  "POST /sites": {
    expect: adminsOnly,
    request: async () => {
      // A code no site has yet (the site is removed again, so the 25-primary limit is never reached).
      const code = await freshSite();
      await server.db.prisma.site.delete({ where: { code } });
      return {
        body: {
          code,
          name: `Matrix ${code}`,
          type: "primary",
          parentCode: "CAS",
          sup: { serverName: `${code}.example.com` },
        },
      };
    },
  },
  "PATCH /sites/:code": {
    expect: adminsOnly,
    request: async () => ({ path: "/sites/P01", body: { name: "Primary Site 01" } }),
  },
  "DELETE /sites/:code": { expect: adminsOnly, request: async () => ({ path: `/sites/${await freshSite()}` }) },
  "POST /sync": {
    expect: syncRunners,
    request: async () => {
      await endActiveRuns();
      return { body: {} };
    },
  },
  "GET /sync-runs": { expect: signedIn },
  "GET /sync-runs/:id": { expect: signedIn, request: async () => ({ path: `/sync-runs/${await finishedRun()}` }) },
  "GET /sync-runs/:id/log": {
    expect: signedIn,
    request: async () => ({ path: `/sync-runs/${await finishedRun()}/log` }),
  },
  "POST /sync-runs/:id/cancel": {
    expect: syncRunners,
    request: async () => {
      await endActiveRuns();
      return { path: `/sync-runs/${await queuedRun()}/cancel`, body: {} };
    },
  },
  "POST /sync-runs/:id/retry": {
    expect: syncRunners,
    request: async () => {
      await endActiveRuns();
      const failed = await casRun("succeeded");
      await server.db.prisma.syncRun.update({ where: { id: failed }, data: { state: "failed" } });
      return { path: `/sync-runs/${failed}/retry`, body: {} };
    },
  },
  "GET /sup-sync-status": { expect: signedIn },
  "GET /status-messages": { expect: signedIn },
  "GET /software-updates": { expect: signedIn },
  "GET /software-updates/export.csv": { expect: signedIn },
  "GET /software-updates/:updateId": {
    expect: signedIn,
    request: async () => ({ path: `/software-updates/${await updateInCatalog()}` }),
  },
  "GET /sites/:code/catalog/digest": { expect: signedIn, request: async () => ({ path: "/sites/CAS/catalog/digest" }) },
  "GET /categories": { expect: signedIn },
  "GET /sites/:code/update-package": {
    expect: signedIn,
    request: async () => {
      await server.db.prisma.softwareUpdatePoint.updateMany({
        where: { siteCode: "CAS" },
        data: { catalogVersion: 1 },
      });
      return { path: "/sites/CAS/update-package" };
    },
  },
  "GET /update-packages": { expect: signedIn },
  "POST /update-packages": {
    expect: syncRunners,
    request: async () => {
      await setSyncSource("disconnected");
      return { raw: { bytes: await packageBytes(), contentType: "application/gzip" } };
    },
    after: async () => void (await setSyncSource("microsoft_update")),
  },
  "GET /update-packages/:id": {
    expect: signedIn,
    request: async () => ({ path: `/update-packages/${await storedPackage(false)}` }),
  },
  "POST /update-packages/:id/apply": {
    expect: syncRunners,
    request: async () => {
      await endActiveRuns();
      await setSyncSource("disconnected");
      return { path: `/update-packages/${await storedPackage(true)}/apply`, body: {} };
    },
    after: async () => {
      await endActiveRuns();
      await setSyncSource("microsoft_update");
    },
  },
  "DELETE /update-packages/:id": {
    expect: syncRunners,
    request: async () => ({ path: `/update-packages/${await storedPackage(false)}` }),
  },
  "GET /sup-settings": { expect: signedIn },
  "GET /sup-settings/schedule-preview": {
    expect: signedIn,
    request: async () => ({
      path: `/sup-settings/schedule-preview?schedule=${encodeURIComponent(JSON.stringify({ kind: "simple", every: 7, unit: "days", timeZone: "UTC" }))}`,
    }),
  },
  "GET /alerts": { expect: signedIn },
  "PUT /sup-settings": { expect: syncRunners, request: async () => ({ body: { retryMinutes: 60 } }) },
  "POST /sup-settings/test-connection": { expect: syncRunners, request: async () => ({ body: {} }) },
  "POST /alerts/:id/acknowledge": {
    expect: syncRunners,
    request: async () => {
      const alert = await server.db.prisma.alert.create({
        data: { key: `matrix-${randomUUID()}`, type: "sync-failed", severity: "error", title: "t", message: "m" },
      });
      return { path: `/alerts/${alert.id}/acknowledge`, body: {} };
    },
  },
  "GET /catalog/search": {
    expect: importers,
    request: async () => {
      await answerCatalogSearches();
      return { path: "/catalog/search?q=KB5034441" };
    },
  },
  "GET /imported-updates": { expect: signedIn },
  "POST /imported-updates": {
    expect: importers,
    request: async () => ({ body: { updates: [{ updateId: randomUUID(), revisionNumber: 1 }] } }),
  },
  "DELETE /imported-updates/:updateId": {
    expect: importers,
    request: async () => {
      const row = await server.db.prisma.importedUpdate.create({
        data: { updateId: randomUUID(), revisionNumber: 1, title: "matrix", state: "failed" },
      });
      return { path: `/imported-updates/${row.updateId}` };
    },
  },
  "GET /notification-subscriptions": { expect: signedIn },
  "POST /notification-subscriptions": {
    expect: settingsEditors,
    request: async () => ({
      body: { kind: "email", name: "matrix", targets: ["ops@example.com"], events: ["sync-failed"] },
    }),
  },
  "DELETE /notification-subscriptions/:id": {
    expect: settingsEditors,
    request: async () => ({ path: `/notification-subscriptions/${await subscription()}` }),
  },
  "POST /notification-subscriptions/:id/test": {
    expect: settingsEditors,
    // No SMTP server is configured, so the test ends "failed" quickly — still a 200 answer.
    request: async () => ({ path: `/notification-subscriptions/${await subscription()}/test`, body: {} }),
  },
};

const SUBSCRIPTIONS: Record<string, Record<Who, "ok" | "refused" | 403>> = {
  subscribe: {
    anonymous: "refused",
    "read-only-analyst": "ok",
    "software-update-manager": "ok",
    "full-administrator": "ok",
  },
  unsubscribe: {
    anonymous: "refused",
    "read-only-analyst": "ok",
    "software-update-manager": "ok",
    "full-administrator": "ok",
  },
};

let dataDir: string;
beforeAll(async () => {
  // Uploaded update packages go to DATA_DIR/packages.
  dataDir = await mkdtemp(path.join(tmpdir(), "syncpoint-matrix-"));
  server = await startTestServer({ env: { DATA_DIR: dataDir } });
  passwordHash = await hashPassword(PASSWORD);
  // A worker heartbeat far in the future keeps /api/health at 200 for the whole run.
  const future = new Date(Date.now() + 3_600_000);
  await server.db.prisma.workerHeartbeat.create({
    data: { workerId: "matrix", hostname: "test", pid: 1, startedAt: future, lastBeatAt: future },
  });
});
afterAll(async () => {
  catalogSearchServer?.close();
  await server.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe("the route access table", () => {
  it("lists exactly the registered routes", () => {
    expect(Object.keys(ROUTES).sort()).toEqual(apiRoutes.map(routeKey).sort());
  });

  for (const route of apiRoutes) {
    const key = routeKey(route);
    const testCase = ROUTES[key];
    for (const who of EVERYONE) {
      for (const method of who === "anonymous" ? (["session"] as const) : (["session", "token"] as const)) {
        it(`${key} as ${who}${who === "anonymous" ? "" : ` (${method})`} → ${testCase?.expect[who] ?? "?"}`, async () => {
          if (!testCase) throw new Error(`${key} is missing from the access table`);
          const actor = await makeActor(who, method);
          const { path, body, raw } = (await testCase.request?.(actor)) ?? {};
          const response = await fetch(`${server.url}/api${path ?? route.path}`, {
            method: route.method.toUpperCase(),
            headers: {
              ...actor.headers,
              ...(raw ? { "content-type": raw.contentType } : {}),
              ...(route.method === "get" || body === undefined ? {} : { "content-type": "application/json" }),
            },
            body: raw ? raw.bytes : route.method === "get" || body === undefined ? undefined : JSON.stringify(body),
          }).finally(() => testCase.after?.());
          const expected = testCase.expect[who];
          if (expected === "ok") {
            expect(response.status, await response.clone().text()).toBeLessThan(300);
          } else {
            expect(response.status).toBe(expected);
            expect((await readJson(response)).error.code).toBe(expected === 401 ? "UNAUTHENTICATED" : "FORBIDDEN");
          }
        });
      }
    }
  }
});

describe("the socket subscription table", () => {
  it("lists exactly the registered subscriptions", () => {
    expect(Object.keys(SUBSCRIPTIONS).sort()).toEqual(subscriptions.map((s) => s.event).sort());
  });

  for (const spec of subscriptions) {
    for (const who of EVERYONE) {
      it(`${spec.event} as ${who} → ${SUBSCRIPTIONS[spec.event]?.[who] ?? "?"}`, async () => {
        const expected = SUBSCRIPTIONS[spec.event]![who];
        const actor = await makeActor(who, "session");
        const socket = connect(server.url, {
          transports: ["websocket"],
          extraHeaders: actor.headers,
          reconnection: false,
        });
        try {
          const connected = await new Promise<boolean | string>((resolve) => {
            socket.once("connect", () => resolve(true));
            socket.once("connect_error", (error) => resolve(error.message));
          });
          if (expected === "refused") {
            expect(connected).toBe("UNAUTHENTICATED");
            return;
          }
          expect(connected).toBe(true);
          const ack = await socket.timeout(5_000).emitWithAck(spec.event as "subscribe", { runId: randomUUID() });
          if (expected === "ok") expect(ack).toEqual({ ok: true });
          else expect((ack as Exclude<SocketAck, { ok: true }>).error.code).toBe("FORBIDDEN");
        } finally {
          socket.disconnect();
        }
      });
    }
  }
});
