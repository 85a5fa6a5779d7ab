// One Syncpoint server process: `--role api` (REST + console), `--role worker` (sync jobs, heartbeat) or
// `--role all` (both, the default). Several of each can run against one Postgres.
import { randomUUID } from "node:crypto";
import type { Server } from "node:http";
import { parseArgs } from "node:util";
import { ProcessRole } from "@syncpoint/contracts";
import { applyMigrations } from "@syncpoint/db";
import { createApp } from "./app.ts";
import { answerClientErrors } from "./http/client-errors.ts";
import { loadConfig } from "./config.ts";
import { openDatabase } from "./database.ts";
import { attachRealtime } from "./realtime/gateway.ts";
import { createLogger } from "./logger.ts";
import { apiRoutes, workerRoutes } from "./routes/index.ts";
import { createRuntime } from "./runtime.ts";
import { ensureLargestHierarchy } from "./services/largest-hierarchy.ts";
import { seed } from "./services/seed.ts";
import { listenSupTls } from "./sup-endpoint/tls.ts";
import { startSyncWorker } from "./sync/worker.ts";
import { setSocketClientCounter } from "./observability/metrics.ts";
import { Heartbeat } from "./worker/heartbeat.ts";

/** Sent to a supervising launcher over IPC once the process serves requests. */
export interface ReadyMessage {
  type: "ready";
  port: number;
  generatedAdminPassword?: string;
}

/** What to undo when start-up fails half-way (an embedded Postgres must not outlive us). */
const cleanups: (() => Promise<void>)[] = [];

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { role: { type: "string", default: "all" } } });
  const roleParse = ProcessRole.safeParse(values.role);
  if (!roleParse.success) throw new Error(`--role must be api, worker or all (got "${values.role}")`);
  const role = roleParse.data;
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL, { role });

  const database = await openDatabase(config, logger);
  cleanups.push(() => database.close());
  const migrations = await applyMigrations(database.url);
  if (migrations.applied.length > 0) logger.info({ applied: migrations.applied }, "migrations applied");
  const runtime = await createRuntime({ config, role, databaseUrl: database.url, logger });
  cleanups.push(() => runtime.close());
  const { ctx } = runtime;
  const { prisma } = ctx;
  const seeded = await seed(prisma, { adminPassword: config.ADMIN_PASSWORD });
  if (seeded.createdHierarchy) logger.info("seeded the demo hierarchy (CAS, P01, P02, S01, S02)");
  if (config.SYNCPOINT_HIERARCHY === "largest" && role !== "worker") {
    const largest = await ensureLargestHierarchy(prisma);
    logger.info(largest, "the largest hierarchy is in place");
  }

  const heartbeat =
    role === "api" ? undefined : new Heartbeat(prisma, `${role}-${randomUUID()}`, config.HEARTBEAT_INTERVAL_MS, logger);
  await heartbeat?.start();
  const worker = !heartbeat
    ? undefined
    : await startSyncWorker(ctx, {
        workerId: heartbeat.workerId,
        upstreamTimeoutMs: config.UPSTREAM_TIMEOUT_MS,
        pollingIntervalSeconds: config.JOB_POLL_SECONDS,
        concurrency: config.WORKER_CONCURRENCY,
      });

  const app = createApp(ctx, role === "worker" ? workerRoutes : apiRoutes, { serveConsole: role !== "worker" });
  const server = await listen(app, config.PORT, config.HOST);
  const realtime = role === "worker" ? undefined : attachRealtime(server, ctx);
  if (realtime) setSocketClientCounter(ctx, () => realtime.engine.clientsCount);
  const port = (server.address() as { port: number }).port;
  config.INTERNAL_API_URL ??= `http://127.0.0.1:${port}`;
  logger.info({ port }, "listening");
  if (Boolean(config.SUP_TLS_CERT_FILE) !== Boolean(config.SUP_TLS_KEY_FILE)) {
    throw new Error("Set both SUP_TLS_CERT_FILE and SUP_TLS_KEY_FILE to serve the SUP endpoints over SSL, or neither.");
  }
  const supTls =
    role !== "worker" && config.SUP_TLS_CERT_FILE && config.SUP_TLS_KEY_FILE
      ? await listenSupTls(ctx, {
          certFile: config.SUP_TLS_CERT_FILE,
          keyFile: config.SUP_TLS_KEY_FILE,
          port: config.SUP_TLS_PORT,
          host: config.HOST,
        })
      : undefined;
  if (supTls) logger.info({ port: (supTls.address() as { port: number }).port }, "SUP endpoints listening over SSL");

  const ready: ReadyMessage = {
    type: "ready",
    port,
    ...(seeded.generatedAdminPassword ? { generatedAdminPassword: seeded.generatedAdminPassword } : {}),
  };
  if (process.send) process.send(ready);
  else if (seeded.generatedAdminPassword) printGeneratedPassword(seeded.generatedAdminPassword);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    // Whatever hangs below, the process ends within the bound (before a supervisor's SIGKILL).
    setTimeout(() => {
      logger.error({ timeoutMs: config.SHUTDOWN_TIMEOUT_MS }, "graceful shutdown took too long; exiting");
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS).unref();
    const closeHttp = async () => {
      // socket.io's close disconnects every socket, closes the adapter (its LISTEN connection) and the HTTP server.
      const closed = realtime
        ? new Promise<void>((resolve) => void realtime.close(() => resolve()))
        : new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      // Requests still running get a moment to finish; then their connections are cut.
      const force = setTimeout(() => server.closeAllConnections(), 3_000);
      await closed;
      clearTimeout(force);
      supTls?.closeAllConnections();
      supTls?.close();
    };
    // At the same time: the API stops accepting, and the worker stops taking jobs and hands back the run in progress
    // at its next checkpoint (queued, to resume on another worker); if it cannot in time, its lease runs out instead.
    const [, handedBack] = await Promise.all([closeHttp(), worker?.stop(Math.round(config.SHUTDOWN_TIMEOUT_MS * 0.6))]);
    if (handedBack === false) logger.warn("the run in progress did not stop in time; its lease will run out instead");
    await heartbeat?.stop();
    await runtime.close();
    await database.close();
    logger.info("stopped");
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
  // A supervisor that dies without signalling leaves its IPC channel closed: do not outlive it.
  process.on("disconnect", () => void shutdown("disconnect"));
}

function listen(app: ReturnType<typeof createApp>, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, (error?: Error) => (error ? reject(error) : resolve(server)));
    answerClientErrors(server);
  });
}

function printGeneratedPassword(password: string): void {
  process.stdout.write(
    `\n  The initial password of the user "admin" is: ${password}\n  It is shown only now; you must change it when you first sign in.\n\n`,
  );
}

main().catch(async (error: unknown) => {
  process.stderr.write(`Syncpoint server failed to start: ${(error as Error).message}\n`);
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  process.exit(1);
});
