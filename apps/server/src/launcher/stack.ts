// What `pnpm start` (launch.ts) and `pnpm start:cluster` (launch-cluster.ts) share: the data directory check, the
// console build, the database (embedded PostgreSQL unless DATABASE_URL), the embedded upstream (unless
// EMBEDDED_UPSTREAM=0), supervised server processes, `Syncpoint ready: <url>` once /api/health is ok, and stopping
// everything — on Ctrl-C, SIGTERM, SIGHUP, when a process stops unexpectedly, or when our own parent disappears.
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { ProcessRole } from "@syncpoint/contracts";
import { REPO_ROOT, loadConfig, type Config } from "../config.ts";
import { openDatabase, type OpenDatabase } from "../database.ts";
import { assertDataDirUsable, stampDataDir } from "../data-dir-version.ts";
import { createLogger, type Logger } from "../logger.ts";
import type { ReadyMessage } from "../main.ts";
import { buildConsole, consoleBuildIsStale } from "./console-build.ts";
import { Supervisor } from "./supervisor.ts";

export const say = (message: string) => process.stdout.write(`Syncpoint: ${message}\n`);

export interface LaunchContext {
  config: Config;
  logger: Logger;
  database: OpenDatabase;
  /** Starts `apps/server --role <role>` under the supervisor; resolves once it serves requests. */
  startServer(spec: { name: string; role: ProcessRole; env?: NodeJS.ProcessEnv }): Promise<ReadyMessage>;
  /** Runs first when stopping, before the processes are stopped (a proxy stops taking connections). */
  onStop(hook: () => Promise<void>): void;
}

export interface Started {
  /** Where the console is, as printed. */
  url: string;
  generatedAdminPassword?: string;
}

/** Runs a launcher: `start` starts the server process(es) once the database and the upstream are up. */
export async function launchStack(start: (launch: LaunchContext) => Promise<Started>): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL, { role: "launcher" });
  let database: OpenDatabase | undefined;
  let exitCode = 0;
  const stopHooks: (() => Promise<void>)[] = [];

  const supervisor = new Supervisor((name, code, signal) => {
    say(`${name} stopped unexpectedly (${signal ?? `exit code ${code}`}); stopping everything.`);
    exitCode = 1;
    void shutdown();
  });

  let shuttingDown: Promise<void> | undefined;
  const shutdown = () =>
    (shuttingDown ??= (async () => {
      say("stopping…");
      for (const hook of stopHooks) await hook().catch(() => undefined);
      await supervisor.stopAll();
      await database?.close();
      say("stopped.");
      process.exit(exitCode);
    })());
  process.on("SIGINT", () => void shutdown());
  process.on("SIGTERM", () => void shutdown());
  process.on("SIGHUP", () => void shutdown());
  watchParent(() => {
    say("the process that started Syncpoint has gone; stopping.");
    void shutdown();
  });

  try {
    await assertDataDirUsable(config.dataDir);
    if (consoleBuildIsStale(config.CONSOLE_DIST)) {
      say("building the console…");
      await buildConsole();
    }
    database = await openDatabase(config, logger);
    const db = database;
    say(
      config.DATABASE_URL
        ? "using the PostgreSQL at DATABASE_URL."
        : `PostgreSQL started (data in ${path.join(config.dataDir, "pg")}).`,
    );

    const env = { ...process.env, DATA_DIR: config.dataDir };
    const upstreamUrl = `http://localhost:${config.UPSTREAM_PORT}`;
    if (config.EMBEDDED_UPSTREAM) {
      supervisor.start({
        name: "upstream",
        entry: path.join(REPO_ROOT, "apps/upstream/src/main.ts"),
        cwd: path.join(REPO_ROOT, "apps/upstream"),
        env: { ...env, UPSTREAM_PORT: String(config.UPSTREAM_PORT) },
      });
    }
    const started = await start({
      config,
      logger,
      database: db,
      onStop: (hook) => void stopHooks.push(hook),
      startServer({ name, role, env: extra }) {
        const server = supervisor.start({
          name,
          entry: path.join(REPO_ROOT, "apps/server/src/main.ts"),
          args: ["--role", role],
          cwd: path.join(REPO_ROOT, "apps/server"),
          env: {
            ...env,
            DATABASE_URL: db.url,
            MICROSOFT_UPDATE_URL: config.MICROSOFT_UPDATE_URL ?? upstreamUrl,
            ...extra,
          },
        });
        return new Promise<ReadyMessage>((resolve, reject) => {
          server.on("message", (message: ReadyMessage) => message.type === "ready" && resolve(message));
          server.once("exit", () => reject(new Error(`${name} exited during start-up`)));
        });
      },
    });
    await waitUntil(`${started.url}/api/health`, config.STARTUP_TIMEOUT_MS);
    if (config.EMBEDDED_UPSTREAM) await waitUntil(`${upstreamUrl}/health`, config.STARTUP_TIMEOUT_MS);
    // Healthy means every migration is applied; the stamp describes the embedded database, so only that is stamped.
    if (!config.DATABASE_URL) await stampDataDir(config.dataDir);

    const signIn = started.generatedAdminPassword
      ? `Sign in as "admin" with the password ${started.generatedAdminPassword} (shown only now; you will be asked to change it).`
      : config.ADMIN_PASSWORD
        ? `Sign in as "admin" with the password in ADMIN_PASSWORD.`
        : `Sign in as "admin" with the password you chose (it was shown at the first start). To start over, stop Syncpoint and delete ${config.dataDir}.`;
    process.stdout.write(
      `\nSyncpoint ready: ${started.url}\n  ${signIn}\n` +
        (config.EMBEDDED_UPSTREAM ? `  Embedded upstream update service: ${upstreamUrl}\n` : "") +
        `  Press Ctrl-C to stop.\n\n`,
    );
  } catch (error) {
    say(`failed to start: ${(error as Error).message}`);
    exitCode = 1;
    await shutdown();
  }
}

/**
 * When whatever started us (pnpm, a shell) is killed without passing the signal on, we are re-parented: stop too,
 * rather than keep Postgres and the servers running with nobody to stop them.
 */
function watchParent(onGone: () => void): void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid !== parent) {
      clearInterval(timer);
      onGone();
    }
  }, 500);
  timer.unref();
}

/** Polls a health URL until it answers 200 or the time is up. */
async function waitUntil(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer";
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
      last = `${response.status} ${await response.text()}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await sleep(200);
  }
  throw new Error(`${url} did not become healthy within ${Math.round(timeoutMs / 1000)} s (last: ${last})`);
}
