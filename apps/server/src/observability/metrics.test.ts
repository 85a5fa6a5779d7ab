import { describe, expect, it } from "vitest";
import type { AppContext } from "../context.ts";
import { createMetrics, metricsFor, recordRunFinished, routePattern, setSocketClientCounter } from "./metrics.ts";

const noSources = { runsByState: async () => ({}), queueDepth: async () => 0 };

/** Enough of a context for the scrape-time gauges: a fake groupBy and a fake queue. */
function fakeContext(runsByState: Record<string, number>, queueSize: number): AppContext {
  return {
    prisma: {
      syncRun: {
        groupBy: async () => Object.entries(runsByState).map(([state, n]) => ({ state, _count: { _all: n } })),
      },
    },
    queue: { getQueueSize: async (name: string) => (name === "sync-run" ? queueSize : -1) },
  } as unknown as AppContext;
}

async function snapshot(ctx: AppContext) {
  const metrics = await metricsFor(ctx).registry.getMetricsAsJSON();
  return new Map(metrics.map((m) => [m.name, m]));
}

describe("createMetrics", () => {
  it("registers the Syncpoint metrics with their types and labels, and the default process metrics", async () => {
    const metrics = await createMetrics(noSources).registry.getMetricsAsJSON();
    const syncpoint = metrics
      .filter((m) => m.name.startsWith("syncpoint_"))
      .map((m) => ({ name: m.name, type: String(m.type) }))
      .sort((a, b) => a.name.localeCompare(b.name));
    expect(syncpoint).toEqual([
      { name: "syncpoint_http_request_duration_seconds", type: "histogram" },
      { name: "syncpoint_job_queue_depth", type: "gauge" },
      { name: "syncpoint_socket_clients", type: "gauge" },
      { name: "syncpoint_sync_run_duration_seconds", type: "histogram" },
      { name: "syncpoint_sync_runs", type: "gauge" },
      { name: "syncpoint_updates_applied_total", type: "counter" },
    ]);
    const names = metrics.map((m) => m.name);
    expect(names).toContain("process_cpu_user_seconds_total");
    expect(names).toContain("nodejs_heap_size_used_bytes");
  });

  it("gives each registry its own metrics, so two servers in one process do not collide", async () => {
    const a = createMetrics(noSources);
    const b = createMetrics(noSources);
    a.updatesApplied.inc({ kind: "new" }, 5);
    const valueOf = async (m: typeof a) =>
      (await m.updatesApplied.get()).values.find((v) => v.labels.kind === "new")?.value;
    expect(await valueOf(a)).toBe(5);
    expect(await valueOf(b)).toBe(0);
  });
});

describe("scrape-time gauges", () => {
  it("report every run state (0 when absent), the sync queue's depth and the socket clients", async () => {
    const ctx = fakeContext({ succeeded: 4, running: 1 }, 7);
    setSocketClientCounter(ctx, () => 3);
    const metrics = await snapshot(ctx);
    const runs = Object.fromEntries(metrics.get("syncpoint_sync_runs")!.values.map((v) => [v.labels.state, v.value]));
    expect(runs).toEqual({ queued: 0, running: 1, canceling: 0, succeeded: 4, failed: 0, canceled: 0 });
    expect(metrics.get("syncpoint_job_queue_depth")!.values).toEqual([{ labels: {}, value: 7 }]);
    expect(metrics.get("syncpoint_socket_clients")!.values).toEqual([{ labels: {}, value: 3 }]);
  });

  it("report 0 socket clients in a process without a socket server", async () => {
    const metrics = await snapshot(fakeContext({}, 0));
    expect(metrics.get("syncpoint_socket_clients")!.values).toEqual([{ labels: {}, value: 0 }]);
  });
});

describe("recordRunFinished", () => {
  it("observes the duration by trigger and state and adds the counts by kind", async () => {
    const ctx = fakeContext({}, 0);
    const counts = { new: 10, revised: 2, expired: 1, superseded: 0, removed: 3 };
    recordRunFinished(ctx, { trigger: "manual", state: "succeeded", durationSeconds: 42, counts });
    recordRunFinished(ctx, { trigger: "manual", state: "succeeded", durationSeconds: 8, counts });
    const metrics = await snapshot(ctx);
    const applied = Object.fromEntries(
      metrics.get("syncpoint_updates_applied_total")!.values.map((v) => [v.labels.kind, v.value]),
    );
    expect(applied).toEqual({ new: 20, revised: 4, expired: 2, superseded: 0, removed: 6 });
    // Histogram values carry the series name (_count, _sum, _bucket) beyond what prom-client's type declares.
    const duration = metrics.get("syncpoint_sync_run_duration_seconds")!.values as {
      metricName?: string;
      labels: Record<string, string | number>;
      value: number;
    }[];
    const labelled = (name: string) =>
      duration.find((v) => v.metricName === name && v.labels.trigger === "manual" && v.labels.state === "succeeded")
        ?.value;
    expect(labelled("syncpoint_sync_run_duration_seconds_count")).toBe(2);
    expect(labelled("syncpoint_sync_run_duration_seconds_sum")).toBe(50);
  });
});

describe("routePattern", () => {
  it("is the mount path plus the route's pattern, never the URL", () => {
    const req = { baseUrl: "/api", route: { path: "/sync-runs/:id" } };
    expect(routePattern(req as never)).toBe("/api/sync-runs/:id");
    expect(routePattern({ baseUrl: "", route: { path: "/metrics" } } as never)).toBe("/metrics");
  });

  it("is `unmatched` when no route answered", () => {
    expect(routePattern({ baseUrl: "/api", route: undefined } as never)).toBe("unmatched");
  });
});
