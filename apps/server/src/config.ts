// Process configuration from the environment (DESIGN.md, "Processes and environment"). Every delay is a setting so
// that tests can shrink it.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { registerConfiguredSecret, urlPassword } from "./security/redact.ts";
import { parseAllowedHosts } from "./security/upstream-url.ts";

export const REPO_ROOT = fileURLToPath(new URL("../../..", import.meta.url));

/** Relative paths are taken from where the user ran the command (pnpm runs scripts inside the package folder). */
export function resolveFromUserCwd(p: string): string {
  return path.resolve(process.env.INIT_CWD ?? process.cwd(), p);
}

const flag = z.enum(["0", "1", "true", "false"]).transform((v) => v === "1" || v === "true");

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default("0.0.0.0"),
  DATA_DIR: z.string().default(path.join(REPO_ROOT, ".data")),
  DATABASE_URL: z.string().url().optional(),
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).default(54320),
  ADMIN_PASSWORD: z.string().min(1).optional(),
  UPSTREAM_PORT: z.coerce.number().int().min(0).max(65535).default(8530),
  EMBEDDED_UPSTREAM: flag.default(true),
  MICROSOFT_UPDATE_URL: z.string().url().optional(),
  /** The console's address as administrators reach it, for links in email and webhook notifications. */
  PUBLIC_URL: z.string().url().optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** When set, GET /metrics answers only `Authorization: Bearer <METRICS_TOKEN>`; unset, anyone who can reach it. */
  METRICS_TOKEN: z.string().min(1).optional(),
  HEARTBEAT_INTERVAL_MS: z.coerce.number().int().positive().default(5_000),
  HEALTH_HEARTBEAT_MAX_AGE_MS: z.coerce.number().int().positive().default(30_000),
  SESSION_IDLE_MINUTES: z.coerce.number().positive().default(60),
  SESSION_ABSOLUTE_HOURS: z.coerce.number().positive().default(12),
  /** Failed sign-ins for one user from one address within the window that lock the pair (DESIGN.md: 10 in 15 min). */
  LOCKOUT_THRESHOLD: z.coerce.number().int().positive().default(10),
  LOCKOUT_WINDOW_MINUTES: z.coerce.number().positive().default(15),
  LOCKOUT_MINUTES: z.coerce.number().positive().default(15),
  CONSOLE_DIST: z.string().default(path.join(REPO_ROOT, "apps/console/dist")),
  /** A run with no progress for this long fails with RUN_TIMEOUT; pg-boss's job expiry is longer. */
  RUN_TIMEOUT_MINUTES: z.coerce.number().positive().default(240),
  /** A worker holds a run by a lease it renews; when the lease runs out (the worker died) another worker resumes it. */
  RUN_LEASE_MS: z.coerce.number().int().positive().default(30_000),
  RUN_LEASE_RENEW_MS: z.coerce.number().int().positive().default(5_000),
  /** How often a worker looks for runs whose lease ran out (ms). */
  LEASE_REAPER_MS: z.coerce.number().int().positive().default(5_000),
  /** How often a running run checks for a cancel request and for the run timeout (ms). */
  RUN_WATCH_MS: z.coerce.number().int().positive().default(1_000),
  /**
   * Least time between two published phase or progress changes of a run (ms); within it they coalesce and the latest
   * goes out at its end. State changes are published at once. 0: every change at once.
   */
  RUN_EVENT_INTERVAL_MS: z.coerce.number().int().min(0).default(250),
  /**
   * All Software Updates: the most matches of a filter that a page reads whole and sorts instead of walking the sort
   * order's index (services/catalog.ts, pageStrategy: up to twice √(page end × catalog size), at most this).
   */
  SOFTWARE_UPDATES_COLLECT_MAX: z.coerce.number().int().min(0).default(20_000),
  /**
   * WSUS Maintenance, "Remove obsolete update revisions": how long one pass after a sync may take (minutes; ConfigMgr's
   * 30) before it stops and resumes after the next sync, and how many revisions it looks at per transaction.
   */
  OBSOLETE_REVISIONS_MAX_MINUTES: z.coerce.number().positive().default(30),
  OBSOLETE_REVISIONS_BATCH: z.coerce.number().int().min(1).max(100_000).default(5_000),
  /**
   * Hosts an upstream server URL entered in the settings may point at: comma-separated `host`, `host:port` or
   * `*.domain` patterns (security/upstream-url.ts); unset, any host.
   */
  UPSTREAM_ALLOWED_HOSTS: z
    .string()
    .optional()
    .superRefine((value, check) => {
      try {
        parseAllowedHosts(value);
      } catch (error) {
        check.addIssue({ code: "custom", message: (error as Error).message });
      }
    }),
  /**
   * Largest update package an upload may be (bytes, compressed; default 4 GiB): a larger one is refused with
   * PACKAGE_TOO_LARGE as it streams in, before anything is stored.
   */
  PACKAGE_MAX_BYTES: z.coerce.number().int().positive().default(4_294_967_296), // 4 GiB
  /** Timeout of each call to an upstream server. */
  UPSTREAM_TIMEOUT_MS: z.coerce.number().int().positive().default(60_000),
  /** SSL for the SUP endpoints (as WSUS's port 8531): PEM certificate chain and key; both or neither. */
  SUP_TLS_CERT_FILE: z.string().min(1).optional(),
  SUP_TLS_KEY_FILE: z.string().min(1).optional(),
  SUP_TLS_PORT: z.coerce.number().int().min(0).max(65535).default(8531),
  /** Transient upstream failures inside a run: tries per call, and the backoff between them. */
  RETRY_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(5),
  RETRY_BASE_MS: z.coerce.number().int().min(0).default(1_000),
  RETRY_MAX_MS: z.coerce.number().int().min(0).default(30_000),
  /** How often a worker looks for queued jobs (seconds; pg-boss's minimum is 0.5). */
  JOB_POLL_SECONDS: z.coerce.number().min(0.5).default(1),
  /**
   * Runs one worker process executes at once (each software update point still has one run at a time). More slots
   * sync a large hierarchy's child sites faster (they mostly wait on Postgres and their parent), but the runs share
   * the process's event loop, so each state change reaches consoles later: measured in `pnpm bench live`, p99 74 ms
   * with 1 slot, 199 ms with 4. For many child sites, prefer more worker processes, or raise this.
   */
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(1),
  /** Where workers reach a parent site's SUP endpoint (any API process); default http://127.0.0.1:PORT. */
  INTERNAL_API_URL: z.string().url().optional(),
  STARTUP_TIMEOUT_MS: z.coerce.number().int().positive().default(120_000),
  /**
   * A server process's graceful stop (SIGTERM): most of it for the run in progress to stop at a checkpoint and be
   * handed back; past it the process exits anyway (launchers send SIGKILL after 10 s).
   */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(1_000).default(8_000),
  /** How often a worker sends the notification deliveries that are due (ms). */
  NOTIFY_POLL_MS: z.coerce.number().int().positive().default(5_000),
  /** Tries per notification delivery before it is given up as failed. */
  NOTIFY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(6),
  /** The first retry delay of a notification delivery; it doubles with each failed attempt (ms). */
  NOTIFY_RETRY_BASE_MS: z.coerce.number().int().positive().default(30_000),
  /** Timeout of one webhook request or SMTP exchange step (ms). */
  NOTIFY_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  /**
   * `largest` fills the hierarchy up to Configuration Manager's documented maximum at start-up (1 central site, 25
   * primaries, 250 secondaries under each: 6 276 sites); `demo` (the default) leaves the demo hierarchy as it is.
   */
  SYNCPOINT_HIERARCHY: z.enum(["demo", "largest"]).default("demo"),
});

export type Config = z.infer<typeof EnvSchema> & { dataDir: string };

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty variables count as unset, as shells and .env files commonly leave them.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid environment: ${problems}`);
  }
  // Configured secrets never appear in a log line (security/redact.ts).
  for (const secret of [
    present.SYNCPOINT_SECRET_KEY,
    present.UPSTREAM_ADMIN_TOKEN,
    parsed.data.METRICS_TOKEN,
    parsed.data.ADMIN_PASSWORD,
    urlPassword(parsed.data.DATABASE_URL),
  ]) {
    registerConfiguredSecret(secret);
  }
  return { ...parsed.data, dataDir: resolveFromUserCwd(parsed.data.DATA_DIR) };
}
