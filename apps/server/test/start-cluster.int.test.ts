// `pnpm start:cluster`: 2 API + 2 worker processes behind its own proxy, with the embedded PostgreSQL and upstream.
// Through the proxy: sign in, a live socket, a sync of the whole hierarchy (children sync from their parent's SUP
// endpoint through the proxy, whichever API process answers); Ctrl-C leaves no process behind.
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { connect as connectTcp } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { io as connect } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findFreePort } from "@syncpoint/db";
import { REPO_ROOT } from "../src/config.ts";
import { Browser, readJson } from "./harness.ts";
import { descendants, isAlive, run, waitFor } from "./processes.ts";

let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "syncpoint-start-cluster-"));
  await chmod(dataDir, 0o755);
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

const portIsClosed = (p: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connectTcp(p, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(true));
  });

describe("pnpm start:cluster", () => {
  it("serves the console, the API and live events through its proxy, syncs the hierarchy, and Ctrl-C stops it all", async () => {
    const port = await findFreePort();
    const pgPort = await findFreePort();
    const { DATABASE_URL: _external, ...inherited } = process.env;
    const started = run(path.join(REPO_ROOT, "node_modules/.bin/pnpm"), ["start:cluster"], {
      cwd: REPO_ROOT,
      detached: true,
      env: {
        ...inherited,
        DATA_DIR: dataDir,
        PORT: String(port),
        UPSTREAM_PORT: String(await findFreePort()),
        EMBEDDED_PG_PORT: String(pgPort),
        ADMIN_PASSWORD: "cluster admin password",
        UPSTREAM_UPDATES: "300",
        JOB_POLL_SECONDS: "0.5",
        LOG_LEVEL: "warn",
      },
    });
    try {
      await started.waitForOutput(/Syncpoint ready: http:\/\/localhost:\d+\n\s+Sign in as "admin"/, 120_000);
      expect(started.output()).toContain(`Syncpoint ready: http://localhost:${port}`);
      expect(started.output()).toMatch(/2 API processes \(ports \d+, \d+\) behind the proxy on port \d+, 2 worker/);
      const tree = descendants(started.child.pid!);

      expect((await fetch(`http://localhost:${port}/`)).headers.get("content-type")).toMatch(/^text\/html/);
      const admin = new Browser(`http://localhost:${port}`);
      expect((await admin.login("admin", "cluster admin password")).status).toBe(200);
      const socket = connect(`http://localhost:${port}`, {
        transports: ["websocket"],
        reconnection: false,
        extraHeaders: { cookie: admin.sessionCookie! },
      });
      const states: string[] = [];
      socket.on("sync-run", (event) => void states.push(`${String(event.siteCode)} ${String(event.state)}`));
      await new Promise<void>((resolve, reject) => {
        socket.once("connect", () => resolve());
        socket.once("connect_error", reject);
      });

      expect((await admin.request("POST", "/api/sync", {})).status).toBe(202);
      let rows: { siteCode: string; state: string }[] = [];
      await waitFor(
        async () =>
          (rows = (await readJson(await admin.request("GET", "/api/sup-sync-status"))).items).every(
            (r: { state: string }) => r.state === "succeeded",
          ),
        60_000,
        "every site to sync",
      );
      expect(rows.map((r) => r.siteCode)).toEqual(["CAS", "P01", "P02", "S01", "S02"]);
      await waitFor(() => states.includes("S02 succeeded"), 5_000, "the last site's event");
      expect(states).toContain("CAS queued");
      socket.disconnect();

      process.kill(-started.child.pid!, "SIGINT");
      expect((await started.exited).code).toBe(0);
      await waitFor(() => tree.every((pid) => !isAlive(pid)), 20_000, "every started process to exit");
      expect(await portIsClosed(port)).toBe(true);
      expect(await portIsClosed(pgPort)).toBe(true);
      expect(started.output()).toContain("Syncpoint: stopped.");
    } finally {
      if (isAlive(started.child.pid!)) process.kill(-started.child.pid!, "SIGKILL");
    }
  }, 180_000);
});
