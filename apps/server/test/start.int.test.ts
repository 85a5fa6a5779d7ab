// `pnpm start` on an empty DATA_DIR becomes ready, a second start reuses the data, and SIGTERM / Ctrl-C leave no
// process behind — Postgres included.
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findFreePort } from "@syncpoint/db";
import { REPO_ROOT } from "../src/config.ts";
import { descendants, isAlive, run, waitFor } from "./processes.ts";

let dataDir: string;
let env: NodeJS.ProcessEnv;
let port: number;
let pgPort: number;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "syncpoint-start-"));
  await chmod(dataDir, 0o755);
  port = await findFreePort();
  pgPort = await findFreePort();
  const { ADMIN_PASSWORD: _ignored, DATABASE_URL: _external, ...inherited } = process.env;
  env = {
    ...inherited,
    // Not created yet, as on a fresh clone: `pnpm start` makes it (and the folders on the way) itself.
    DATA_DIR: path.join(dataDir, "fresh", "data"),
    PORT: String(port),
    UPSTREAM_PORT: String(await findFreePort()),
    EMBEDDED_PG_PORT: String(pgPort),
    LOG_LEVEL: "warn",
  };
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

const portIsClosed = (p: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(p, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(true));
  });

/** `group`: the signal goes to the whole process group, as a terminal sends Ctrl-C; `pnpm`: only to pnpm's own pid. */
async function startAndStop(signal: "SIGTERM" | "SIGINT", target: "group" | "pnpm" = "group"): Promise<string> {
  // Its own process group, as a terminal gives a foreground job: the signal goes to the whole group.
  const started = run(path.join(REPO_ROOT, "node_modules/.bin/pnpm"), ["start"], {
    cwd: REPO_ROOT,
    env,
    detached: true,
  });
  try {
    await started.waitForOutput(/Syncpoint ready: (http:\/\/localhost:\d+)/, 180_000);
    const health = await fetch(`http://localhost:${port}/api/health`);
    expect(health.status).toBe(200);
    const tree = descendants(started.child.pid!);
    expect(tree.length).toBeGreaterThanOrEqual(4); // launcher, upstream, server, postgres (and its workers)

    process.kill(target === "group" ? -started.child.pid! : started.child.pid!, signal);
    const { code, signal: exitSignal } = await started.exited;
    if (target === "group") expect(code).toBe(0);
    else expect(code !== null || exitSignal !== null).toBe(true);
    await waitFor(() => tree.every((pid) => !isAlive(pid)), 20_000, "every started process to exit");
    expect(await portIsClosed(port)).toBe(true);
    expect(await portIsClosed(pgPort)).toBe(true);
    return started.output();
  } finally {
    if (isAlive(started.child.pid!)) process.kill(-started.child.pid!, "SIGKILL");
  }
}

describe("pnpm start", () => {
  it("starts everything on an empty DATA_DIR, prints the URL and a generated password, and SIGTERM stops it all", async () => {
    const output = await startAndStop("SIGTERM");
    expect(output).toContain(`Syncpoint ready: http://localhost:${port}`);
    expect(output).toMatch(
      /Sign in as "admin" with the password [A-Za-z0-9]{20} \(shown only now; you will be asked to change it\)/,
    );
    expect(output).toContain("Syncpoint: stopped.");
  });

  it("reuses the data on a second start (no new password) and Ctrl-C stops it all", async () => {
    const output = await startAndStop("SIGINT");
    expect(output).toContain(`Syncpoint ready: http://localhost:${port}`);
    expect(output).toContain('Sign in as "admin" with the password you chose');
    expect(output).not.toMatch(/password [A-Za-z0-9]{20} \(shown only now/);
  });

  it("stops everything when only pnpm itself is killed (it does not pass the signal on)", async () => {
    await startAndStop("SIGTERM", "pnpm");
  });
});
