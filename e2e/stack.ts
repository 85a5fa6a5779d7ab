// The real Syncpoint stack for the browser tests, started exactly as a user does (`pnpm start`) on a fresh DATA_DIR
// and free ports, and stopped (process group, SIGTERM) afterwards.
import { spawn, type ChildProcess } from "node:child_process";
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { findFreePort } from "@syncpoint/db";

export const REPO_ROOT = fileURLToPath(new URL("..", import.meta.url));

export interface Stack {
  baseURL: string;
  /** Empty when the stack was started with EMBEDDED_UPSTREAM=0. */
  upstreamURL: string;
  /** Empty when the stack was started with ADMIN_PASSWORD. */
  generatedPassword: string;
  stop(): Promise<void>;
}

export interface StackOptions {
  /** Extra environment, e.g. SYNCPOINT_HIERARCHY=largest for a second stack of the scale spec. */
  env?: Record<string, string>;
  /** Where the stack's output is kept under e2e/artifacts (default stack.log). */
  logName?: string;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const dataDir = await mkdtemp(path.join(tmpdir(), "syncpoint-e2e-"));
  await chmod(dataDir, 0o755);
  const port = await findFreePort();
  const { ADMIN_PASSWORD: _unset, DATABASE_URL: _external, ...env } = process.env;
  const child: ChildProcess = spawn(path.join(REPO_ROOT, "node_modules/.bin/pnpm"), ["start"], {
    cwd: REPO_ROOT,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...env,
      DATA_DIR: dataDir,
      PORT: String(port),
      UPSTREAM_PORT: String(await findFreePort()),
      EMBEDDED_PG_PORT: String(await findFreePort()),
      LOG_LEVEL: "warn",
      // Small enough to sync in seconds, large enough to page through.
      UPSTREAM_UPDATES: "3000",
      JOB_POLL_SECONDS: "0.5",
      ...options.env,
    },
  });
  let output = "";
  const logFile = path.join(REPO_ROOT, "e2e/artifacts", options.logName ?? "stack.log");
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  const ready = await new Promise<RegExpMatchArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the stack did not start within 180 s:\n${output}`)), 180_000);
    const check = () => {
      const match = output.match(
        /Syncpoint ready: (\S+)\n\s+Sign in as "admin" with (?:the password ([A-Za-z0-9]{20}) |the password in ADMIN_PASSWORD)/,
      );
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    };
    child.stdout!.on("data", check);
    void exited.then(() => reject(new Error(`the stack exited during start-up:\n${output}`)));
  });

  const upstream = /Embedded upstream update service: (\S+)/.exec(output);
  return {
    baseURL: ready[1]!,
    // None with EMBEDDED_UPSTREAM=0 (a disconnected site's stack).
    upstreamURL: upstream?.[1] ?? "",
    generatedPassword: ready[2] ?? "",
    async stop() {
      try {
        process.kill(-child.pid!, "SIGTERM");
      } catch {
        // already gone
      }
      await Promise.race([exited, new Promise((r) => setTimeout(r, 20_000))]);
      await writeFile(logFile, output).catch(() => undefined);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
