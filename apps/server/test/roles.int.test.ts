// `apps/server --role api|worker` as separate processes against one database: the API is healthy only once some
// worker beats, and each process reports its own role.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findFreePort } from "@syncpoint/db";
import { createTestDatabase, type TestDatabase } from "@syncpoint/db/testing";
import { REPO_ROOT } from "../src/config.ts";
import { readJson } from "./harness.ts";
import { isAlive, run, waitFor, type RunningProcess } from "./processes.ts";

let db: TestDatabase;
const started: RunningProcess[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  for (const p of started) if (isAlive(p.child.pid!)) p.child.kill("SIGKILL");
  await db.drop();
});

function startRole(role: string, port: number): RunningProcess {
  const p = run(process.execPath, ["--import", "tsx", "src/main.ts", "--role", role], {
    cwd: path.join(REPO_ROOT, "apps/server"),
    env: {
      ...process.env,
      DATABASE_URL: db.url,
      PORT: String(port),
      ADMIN_PASSWORD: "x".repeat(16),
      LOG_LEVEL: "info",
      HEARTBEAT_INTERVAL_MS: "200",
    },
  });
  started.push(p);
  return p;
}

const getJson = async (url: string) => {
  const response = await fetch(url);
  return { status: response.status, body: await readJson(response) };
};

describe("server roles", () => {
  it("runs api and worker as separate processes", async () => {
    const apiPort = await findFreePort();
    const api = startRole("api", apiPort);
    await api.waitForOutput(/"msg":"listening"/, 60_000);
    expect(await getJson(`http://127.0.0.1:${apiPort}/api/health/live`)).toMatchObject({
      status: 200,
      body: { role: "api" },
    });
    expect(await getJson(`http://127.0.0.1:${apiPort}/api/health`)).toEqual({
      status: 503,
      body: { status: "unavailable", role: "api", reason: "no worker has started" },
    });

    const workerPort = await findFreePort();
    const worker = startRole("worker", workerPort);
    await worker.waitForOutput(/"msg":"listening"/, 60_000);
    expect(await getJson(`http://127.0.0.1:${workerPort}/api/health/live`)).toMatchObject({
      status: 200,
      body: { role: "worker" },
    });
    // A worker has no API: only health.
    expect((await fetch(`http://127.0.0.1:${workerPort}/api/sites`)).status).toBe(404);
    await waitFor(
      async () => (await fetch(`http://127.0.0.1:${apiPort}/api/health`)).status === 200,
      10_000,
      "api health",
    );

    worker.child.kill("SIGTERM");
    expect((await worker.exited).code).toBe(0);
    // A cleanly stopped worker removes its heartbeat at once.
    expect((await getJson(`http://127.0.0.1:${apiPort}/api/health`)).status).toBe(503);
    api.child.kill("SIGTERM");
    expect((await api.exited).code).toBe(0);
  });

  it("refuses an unknown role", async () => {
    const p = startRole("everything", await findFreePort());
    const { code } = await p.exited;
    expect(code).toBe(1);
    expect(p.output()).toContain('--role must be api, worker or all (got "everything")');
  });
});
