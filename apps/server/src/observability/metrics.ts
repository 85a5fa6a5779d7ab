// Prometheus metrics of one process, served at GET /metrics. Each AppContext gets a registry of its own rather than
// prom-client's global one, so that several servers in one process (the integration tests) never share or collide.
// Gauges that describe the whole installation (runs by state, queue depth) are read from Postgres at scrape time, so
// every process reports the same value; aggregate them with max(), not sum().
import { createHash, timingSafeEqual } from "node:crypto";
import { RUN_STATES } from "@syncpoint/contracts";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { AppContext } from "../context.ts";
import { SYNC_QUEUE } from "../jobs/queue.ts";

export const UPDATE_KINDS = ["new", "revised", "expired", "superseded", "removed"] as const;
export type UpdateKind = (typeof UPDATE_KINDS)[number];

export interface RunFinished {
  trigger: string;
  state: string;
  durationSeconds: number;
  counts: Readonly<Record<UpdateKind, number>>;
}

/** Where the scrape-time gauges read from; a seam so the unit test needs no database. */
export interface MetricSources {
  runsByState(): Promise<Partial<Record<string, number>>>;
  queueDepth(): Promise<number>;
}

export interface Metrics {
  registry: Registry;
  runDuration: Histogram<"trigger" | "state">;
  updatesApplied: Counter<"kind">;
  httpDuration: Histogram<"method" | "route" | "status">;
  setSocketClientCounter(count: () => number): void;
}

// Runs last from seconds (a small delta) to hours (a first full sync of a large catalog).
const RUN_BUCKETS = [1, 5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200, 14400];

export function createMetrics(sources: MetricSources): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  let socketClients: (() => number) | undefined;

  new Gauge({
    name: "syncpoint_sync_runs",
    help: "Sync runs in the database, by state.",
    labelNames: ["state"],
    registers,
    async collect() {
      const counts = await sources.runsByState();
      // Every state is always present, so a state that empties reads 0 instead of vanishing from the series.
      for (const state of RUN_STATES) this.set({ state }, counts[state] ?? 0);
    },
  });
  new Gauge({
    name: "syncpoint_job_queue_depth",
    help: "Sync jobs waiting in the job queue for a worker.",
    registers,
    async collect() {
      this.set(await sources.queueDepth());
    },
  });
  new Gauge({
    name: "syncpoint_socket_clients",
    help: "Socket.io clients connected to this process.",
    registers,
    collect() {
      this.set(socketClients?.() ?? 0);
    },
  });
  const runDuration = new Histogram({
    name: "syncpoint_sync_run_duration_seconds",
    help: "Duration of finished sync runs.",
    labelNames: ["trigger", "state"],
    buckets: RUN_BUCKETS,
    registers,
  });
  const updatesApplied = new Counter({
    name: "syncpoint_updates_applied_total",
    help: "Updates applied to site catalogs by finished sync runs, by kind of change.",
    labelNames: ["kind"],
    registers,
  });
  for (const kind of UPDATE_KINDS) updatesApplied.inc({ kind }, 0);
  const httpDuration = new Histogram({
    name: "syncpoint_http_request_duration_seconds",
    help: "Duration of HTTP requests, by route pattern.",
    labelNames: ["method", "route", "status"],
    registers,
  });

  return {
    registry,
    runDuration,
    updatesApplied,
    httpDuration,
    setSocketClientCounter(count) {
      socketClients = count;
    },
  };
}

const byContext = new WeakMap<AppContext, Metrics>();

/** The metrics of this process (its context), created on first use. */
export function metricsFor(ctx: AppContext): Metrics {
  let metrics = byContext.get(ctx);
  if (!metrics) {
    metrics = createMetrics({
      async runsByState() {
        const rows = await ctx.prisma.syncRun.groupBy({ by: ["state"], _count: { _all: true } });
        return Object.fromEntries(rows.map((row) => [row.state, row._count._all]));
      },
      queueDepth: async () => (await ctx.queue.getQueueSize(SYNC_QUEUE)) ?? 0,
    });
    byContext.set(ctx, metrics);
  }
  return metrics;
}

/** Called by the run executor once a run has ended, whatever the outcome. */
export function recordRunFinished(ctx: AppContext, run: RunFinished): void {
  const metrics = metricsFor(ctx);
  metrics.runDuration.observe({ trigger: run.trigger, state: run.state }, Math.max(0, run.durationSeconds));
  for (const kind of UPDATE_KINDS) {
    const count = run.counts[kind];
    if (count > 0) metrics.updatesApplied.inc({ kind }, count);
  }
}

/** Lets the realtime gateway report its connected clients without this module depending on socket.io. */
export function setSocketClientCounter(ctx: AppContext, count: () => number): void {
  metricsFor(ctx).setSocketClientCounter(count);
}

/** Times every request, labelled with the route pattern (bounded cardinality) rather than the URL. */
export function observeHttp(ctx: AppContext): RequestHandler {
  const { httpDuration } = metricsFor(ctx);
  return (req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    res.once("finish", () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      httpDuration.observe({ method: req.method, route: routePattern(req), status: String(res.statusCode) }, seconds);
    });
    next();
  };
}

/**
 * The matched route's pattern, prefixed by the mount path of its router. `req.route` stays set after the handler ran;
 * `req.baseUrl` is still the router's while its handler (or its error handler) answers.
 */
export function routePattern(req: Pick<Request, "route" | "baseUrl">): string {
  const route = req.route as { path?: unknown } | undefined;
  return typeof route?.path === "string" ? req.baseUrl + route.path : "unmatched";
}

/** GET /metrics: the exposition text; with METRICS_TOKEN set, only for `Authorization: Bearer <token>`. */
export function metricsEndpoint(ctx: AppContext): RequestHandler {
  const { registry } = metricsFor(ctx);
  return async (req: Request, res: Response) => {
    const token = ctx.config.METRICS_TOKEN;
    if (token !== undefined && !bearerMatches(req.get("authorization"), token)) {
      res.status(401).set("WWW-Authenticate", 'Bearer realm="metrics"').type("text/plain").send("Unauthorized\n");
      return;
    }
    try {
      const body = await registry.metrics();
      res.set("Cache-Control", "no-store").type(registry.contentType).send(body);
    } catch (error) {
      // Failing the scrape (rather than serving stale gauges) makes Prometheus' `up` show that this process cannot
      // reach its database.
      ctx.logger.error({ err: error }, "could not collect metrics");
      res.status(500).type("text/plain").send("Could not collect metrics.\n");
    }
  };
}

function bearerMatches(header: string | undefined, token: string): boolean {
  const presented = /^Bearer\s+(\S+)$/i.exec(header ?? "")?.[1];
  if (presented === undefined) return false;
  // Comparing fixed-length digests keeps the comparison constant-time whatever the presented length.
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(presented), digest(token));
}
