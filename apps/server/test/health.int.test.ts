import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../src/logger.ts";
import { Heartbeat } from "../src/worker/heartbeat.ts";
import { startTestServer, type TestServer, readJson } from "./harness.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ env: { HEALTH_HEARTBEAT_MAX_AGE_MS: "30000" } });
});
afterAll(() => server.close());

const health = async () => {
  const response = await fetch(`${server.url}/api/health`);
  return { status: response.status, body: await readJson(response) };
};

describe("/api/health", () => {
  it("is 503 while no worker has ever beaten", async () => {
    expect(await health()).toEqual({
      status: 503,
      body: { status: "unavailable", role: "all", reason: "no worker has started" },
    });
  });

  it("is 200 with a fresh worker heartbeat, and 503 again once the worker stops cleanly", async () => {
    const heartbeat = new Heartbeat(server.db.prisma, "worker-test", 60_000, createLogger("silent"));
    await heartbeat.start();
    expect(await health()).toEqual({ status: 200, body: { status: "ok", role: "all" } });
    await heartbeat.stop();
    expect((await health()).status).toBe(503);
  });

  it("is 503 naming the age when the newest heartbeat is older than 30 s", async () => {
    const old = new Date(Date.now() - 45_000);
    await server.db.prisma.workerHeartbeat.create({
      data: { workerId: "stale", hostname: "sup01", pid: 42, startedAt: old, lastBeatAt: old },
    });
    const { status, body } = await health();
    expect(status).toBe(503);
    expect(body.reason).toMatch(/^no worker heartbeat for 4[5-6] s \(last from sup01, pid 42\)$/);
    await server.db.prisma.workerHeartbeat.deleteMany();
  });

  it("is 503 when a migration of this build is not applied", async () => {
    await server.db.prisma.workerHeartbeat.create({
      data: { workerId: "fresh", hostname: "h", pid: 1, startedAt: new Date(), lastBeatAt: new Date() },
    });
    expect((await health()).status).toBe(200);
    const ctx = server.ctx as { migrationNames: readonly string[] };
    const original = ctx.migrationNames;
    ctx.migrationNames = [...original, "29991231000000_from_the_future"];
    try {
      const { status, body } = await health();
      expect(status).toBe(503);
      expect(body.reason).toBe("migrations not applied: 29991231000000_from_the_future");
    } finally {
      ctx.migrationNames = original;
    }
  });
});

describe("/api/health/live", () => {
  it("answers for this process whatever the database says", async () => {
    const response = await fetch(`${server.url}/api/health/live`);
    expect(response.status).toBe(200);
    expect(await readJson(response)).toEqual({
      status: "ok",
      role: "all",
      pid: process.pid,
      uptimeSeconds: expect.any(Number),
    });
  });
});
