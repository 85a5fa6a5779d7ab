// The embedded upstream as a real process on a free port, as `pnpm start` runs it (tests never import an app).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { findFreePort } from "@syncpoint/db";
import { REPO_ROOT } from "../src/config.ts";
import { isAlive, run, type RunningProcess } from "./processes.ts";

export interface UpstreamProcess {
  url: string;
  process: RunningProcess;
  stop(): Promise<void>;
  admin<T>(method: string, path: string, body?: unknown): Promise<T>;
}

export async function startUpstream(env: Record<string, string> = {}): Promise<UpstreamProcess> {
  const port = await findFreePort();
  // Its own DATA_DIR: the upstream persists its period there, and each test starts from period 0.
  const dataDir = await mkdtemp(path.join(tmpdir(), "syncpoint-upstream-"));
  const p = run(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: path.join(REPO_ROOT, "apps/upstream"),
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      UPSTREAM_PORT: String(port),
      UPSTREAM_UPDATES: "300",
      UPSTREAM_SEED: "7",
      ...env,
    },
  });
  await p.waitForOutput(/upstream listening/, 60_000);
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    process: p,
    async stop() {
      if (isAlive(p.child.pid!)) {
        p.child.kill("SIGTERM");
        await p.exited;
      }
      await rm(dataDir, { recursive: true, force: true });
    },
    async admin<T>(method: string, adminPath: string, body?: unknown): Promise<T> {
      const response = await fetch(url + adminPath, {
        method,
        headers: body === undefined ? {} : { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`${method} ${adminPath}: ${response.status} ${await response.text()}`);
      return (response.status === 204 ? undefined : await response.json()) as T;
    },
  };
}
