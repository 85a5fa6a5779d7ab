import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SYNC_QUEUE } from "../src/jobs/queue.ts";
import { recordRunFinished, setSocketClientCounter } from "../src/observability/metrics.ts";
import { startTestServer, type TestServer } from "./harness.ts";

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses the Prometheus text exposition format (0.0.4) into samples; throws on any line it cannot read. */
function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+-?\d+)?$/.exec(line);
    if (!match) throw new Error(`not an exposition line: ${line}`);
    samples.push({ name: match[1]!, labels: parseLabels(match[2] ?? ""), value: parseValue(match[3]!) });
  }
  return samples;
}

function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  const pair = /\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*(,|$)/y;
  while (pair.lastIndex < text.length) {
    const match = pair.exec(text);
    if (!match) throw new Error(`malformed labels: {${text}}`);
    labels[match[1]!] = match[2]!.replace(/\\(.)/g, (_, c: string) => (c === "n" ? "\n" : c));
  }
  return labels;
}

/** As Prometheus reads values (Go's ParseFloat): NaN and Inf in any case — prom-client writes `Nan`. */
function parseValue(text: string): number {
  const special: Record<string, number> = { nan: NaN, "+inf": Infinity, inf: Infinity, "-inf": -Infinity };
  const value = special[text.toLowerCase()] ?? Number(text);
  if (Number.isNaN(value) && text.toLowerCase() !== "nan") throw new Error(`not a sample value: ${text}`);
  return value;
}

/** The one sample with this name whose labels include `labels`. */
function sample(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  const found = samples.filter(
    (s) => s.name === name && Object.entries(labels).every(([key, value]) => s.labels[key] === value),
  );
  if (found.length !== 1) throw new Error(`${found.length} samples ${name} ${JSON.stringify(labels)}`);
  return found[0]!.value;
}

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

async function scrape(headers: Record<string, string> = {}): Promise<Sample[]> {
  const response = await fetch(`${server.url}/metrics`, { headers });
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
  return parseExposition(await response.text());
}

describe("GET /metrics", () => {
  it("counts runs by state from the database and the sync jobs waiting in the queue", async () => {
    const { prisma } = server.ctx;
    const sup = await prisma.softwareUpdatePoint.findFirstOrThrow({ where: { siteCode: "CAS" } });
    const run = (state: "queued" | "succeeded" | "failed") => ({
      siteCode: "CAS",
      supId: sup.id,
      trigger: "manual",
      state,
    });
    await prisma.syncRun.createMany({
      data: [run("succeeded"), run("succeeded"), run("succeeded"), run("failed"), run("queued")],
    });
    const queued = await prisma.syncRun.findFirstOrThrow({ where: { state: "queued" } });
    await server.ctx.queue.send(SYNC_QUEUE, { runId: queued.id });

    const samples = await scrape();
    expect(sample(samples, "syncpoint_sync_runs", { state: "succeeded" })).toBe(3);
    expect(sample(samples, "syncpoint_sync_runs", { state: "failed" })).toBe(1);
    expect(sample(samples, "syncpoint_sync_runs", { state: "queued" })).toBe(1);
    expect(sample(samples, "syncpoint_sync_runs", { state: "running" })).toBe(0);
    expect(sample(samples, "syncpoint_job_queue_depth")).toBe(1);
    expect(sample(samples, "process_cpu_user_seconds_total")).toBeGreaterThan(0);
  });

  it("adds the counts and the duration of every finished run the executor records", async () => {
    const counts = { new: 120, revised: 7, expired: 3, superseded: 2, removed: 1 };
    recordRunFinished(server.ctx, { trigger: "schedule", state: "succeeded", durationSeconds: 90, counts });
    recordRunFinished(server.ctx, {
      trigger: "schedule",
      state: "succeeded",
      durationSeconds: 30,
      counts: { new: 5, revised: 0, expired: 0, superseded: 0, removed: 0 },
    });
    recordRunFinished(server.ctx, {
      trigger: "parent",
      state: "failed",
      durationSeconds: 4,
      counts: { new: 0, revised: 0, expired: 0, superseded: 0, removed: 0 },
    });

    const samples = await scrape();
    const applied = (kind: string) => sample(samples, "syncpoint_updates_applied_total", { kind });
    expect([applied("new"), applied("revised"), applied("expired"), applied("superseded"), applied("removed")]).toEqual(
      [125, 7, 3, 2, 1],
    );
    const scheduled = { trigger: "schedule", state: "succeeded" };
    expect(sample(samples, "syncpoint_sync_run_duration_seconds_count", scheduled)).toBe(2);
    expect(sample(samples, "syncpoint_sync_run_duration_seconds_sum", scheduled)).toBe(120);
    expect(sample(samples, "syncpoint_sync_run_duration_seconds_bucket", { ...scheduled, le: "60" })).toBe(1);
    expect(sample(samples, "syncpoint_sync_run_duration_seconds_bucket", { ...scheduled, le: "+Inf" })).toBe(2);
    expect(sample(samples, "syncpoint_sync_run_duration_seconds_count", { trigger: "parent", state: "failed" })).toBe(
      1,
    );
  });

  it("times requests by route pattern, never by URL, and unmatched ones as `unmatched`", async () => {
    const ids = ["3f1b6a52-3c4e-4c1a-9d0e-1a2b3c4d5e6f", "0e9d8c7b-6a5f-4e3d-8c2b-1a0f9e8d7c6b"];
    for (const id of ids) expect((await fetch(`${server.url}/api/sync-runs/${id}`)).status).toBe(401);
    expect((await fetch(`${server.url}/api/no-such-route`)).status).toBe(404);
    expect((await fetch(`${server.url}/nowhere`)).status).toBe(404);

    const samples = await scrape();
    const count = (labels: Record<string, string>) =>
      sample(samples, "syncpoint_http_request_duration_seconds_count", labels);
    expect(count({ method: "GET", route: "/api/sync-runs/:id", status: "401" })).toBe(2);
    expect(count({ method: "GET", route: "unmatched", status: "404" })).toBe(2);
    // The scrapes before this one were timed too, under the route itself.
    expect(count({ method: "GET", route: "/metrics", status: "200" })).toBeGreaterThanOrEqual(2);
    const routes = new Set(
      samples.filter((s) => s.name.startsWith("syncpoint_http_request")).map((s) => s.labels.route),
    );
    expect([...routes].filter((route) => ids.some((id) => route?.includes(id)))).toEqual([]);
  });

  it("reports the socket clients the gateway counts", async () => {
    setSocketClientCounter(server.ctx, () => 4);
    expect(sample(await scrape(), "syncpoint_socket_clients")).toBe(4);
  });

  it("with METRICS_TOKEN set, answers only the bearer of that token", async () => {
    server.ctx.config.METRICS_TOKEN = "scrape-secret";
    try {
      for (const authorization of [undefined, "Bearer wrong", "Basic c2NyYXBlLXNlY3JldA=="]) {
        const response = await fetch(`${server.url}/metrics`, {
          headers: authorization ? { authorization } : {},
        });
        expect(response.status).toBe(401);
        expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
        expect(await response.text()).toBe("Unauthorized\n");
      }
      const samples = await scrape({ authorization: "Bearer scrape-secret" });
      expect(sample(samples, "syncpoint_sync_runs", { state: "succeeded" })).toBe(3);
    } finally {
      delete server.ctx.config.METRICS_TOKEN;
    }
  });
});
