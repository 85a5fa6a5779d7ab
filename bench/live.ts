// Benchmark 4 (issue #12): live status. Two `--role api` processes and one `--role worker` on one Postgres; a
// separate process (bench/live-clients.ts) holds BENCH_LIVE_CLIENTS (default 500) socket.io clients, half on each API
// process. For BENCH_LIVE_SECONDS (default 40) the benchmark keeps the demo hierarchy (CAS, P01, P02, S01, S02)
// syncing from the embedded upstream — one top-level sync after another, each cascading to the four child sites —
// and every client times each run's state changes from the worker's stamp (`startedAt`, `finishedAt`: Date.now() in
// the worker when the state changed) to the event's arrival: p50/p99, target p99 ≤ 100 ms. The reference, measured
// right after in the same processes: events published straight into Postgres (NOTIFY, as workers publish) from
// here, i.e. the transport alone (adapter → socket.io → 500 clients) without the worker's own work.
import { fork } from "node:child_process";
import path from "node:path";
import pg from "pg";
import { STATUS_ROOM } from "../packages/contracts/src/index.ts";
import { EventPublisher, type EventSql } from "../apps/server/src/realtime/events.ts";
import { seed } from "../apps/server/src/services/seed.ts";
import {
  BENCH_PASSWORD,
  guard,
  ms,
  newResult,
  percentile,
  ROOT,
  say,
  scratchDir,
  signIn,
  sleep,
  startServer,
  startUpstream,
  type BenchResult,
  type ServerProcess,
  startDatabase,
} from "./common.ts";

const CLIENTS = Number(process.env.BENCH_LIVE_CLIENTS ?? 500);
const SECONDS = Number(process.env.BENCH_LIVE_SECONDS ?? 40);
const UPDATES = Number(process.env.BENCH_LIVE_UPDATES ?? 3_000);
const PINGS = 100;
const TARGET_MS = 100;

interface Report {
  type: "report";
  samples: { running: number[]; ended: number[]; ping: number[] }[];
  events: number;
  disconnects: number;
}

const summary = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? NaN,
  };
};

export async function runLive(): Promise<BenchResult> {
  const result = newResult("live", "Live status (issue #12, benchmark 4)");
  const { db, dispose } = await startDatabase();
  const scratch = await scratchDir("live");
  const upstream = await startUpstream({ updates: UPDATES, seed: 1 });
  const processes: ServerProcess[] = [];
  const pool = new pg.Pool({ connectionString: db.url, max: 2 });
  let stopClients: (() => Promise<void>) | undefined;
  try {
    await seed(db.prisma, { adminPassword: BENCH_PASSWORD });
    const env = { MICROSOFT_UPDATE_URL: upstream.url };
    const [api1, api2] = await Promise.all([
      startServer({ role: "api", databaseUrl: db.url, dataDir: scratch.dir, env }),
      startServer({ role: "api", databaseUrl: db.url, dataDir: scratch.dir, env }),
    ]);
    processes.push(api1, api2);
    processes.push(
      await startServer({
        role: "worker",
        databaseUrl: db.url,
        dataDir: scratch.dir,
        env: { ...env, INTERNAL_API_URL: api1.url },
      }),
    );
    const client = await signIn(api1.url);
    const client2 = await signIn(api2.url);
    // A first cascade, so that the measured runs are deltas like most runs in life.
    await client.json("POST", "/api/sync", {});
    const idle = async () => {
      for (;;) {
        const active = await db.prisma.syncRun.count({ where: { state: { in: ["queued", "running", "canceling"] } } });
        if (active === 0) return;
        await sleep(100);
      }
    };
    await idle();

    say(`Connecting ${CLIENTS} socket.io clients (a separate process) to two API processes…`);
    const child = fork(path.join(ROOT, "bench/live-clients.ts"), [], {
      execArgv: ["--import", "tsx"],
      env: {
        ...process.env,
        BENCH_LIVE_URLS: `${api1.url},${api2.url}`,
        BENCH_LIVE_TOKEN: client.token,
        BENCH_LIVE_CLIENTS: String(CLIENTS),
        BENCH_LIVE_MAX_MS: String((SECONDS + 90) * 1000),
      },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    stopClients = guard(async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    });
    const message = <T>(type: string, timeoutMs: number) =>
      new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${type} from the clients in ${timeoutMs} ms`)), timeoutMs);
        child.on("message", (m: { type?: string }) => {
          if (m?.type !== type) return;
          clearTimeout(timer);
          resolve(m as T);
        });
        child.once("exit", (code) => reject(new Error(`the clients' process exited (${code})`)));
      });
    const connected = await message<{ clients: number; ms: number }>("connected", 60_000);
    say(`  ${connected.clients} connected in ${(connected.ms / 1000).toFixed(1)} s`);

    say(`Syncing the hierarchy over and over for ${SECONDS} s…`);
    const end = Date.now() + SECONDS * 1000;
    let cycles = 0;
    while (Date.now() < end) {
      // Through either API process, as consoles would.
      await (cycles % 2 === 0 ? client : client2).json("POST", "/api/sync", {});
      if (cycles % 3 === 2) await upstream.admin("POST", "/admin/advance", { periods: 1 });
      await idle();
      cycles++;
    }
    const runs = await db.prisma.syncRun.count();

    // The reference: the same path without the worker — an event committed into Postgres here, delivered by the
    // adapters of both API processes to every client.
    await sleep(500);
    const publisher = new EventPublisher(pool as never);
    const via: EventSql = {
      rows: async <T>(text: string, values: unknown[]) => (await pool.query(text, values)).rows as T[],
      exec: async (text, values) => void (await pool.query(text, values)),
    };
    for (let i = 0; i < PINGS; i++) {
      await publisher.emit(STATUS_ROOM, "bench-ping", { seq: i, sentAt: Date.now() }, via);
      await sleep(50);
    }
    await sleep(1_000);
    const reportPromise = message<Report>("report", 30_000);
    child.send({ type: "report" });
    const report = await reportPromise;

    const state = summary(report.samples.flatMap((s) => [...s.running, ...s.ended]));
    const ping = summary(report.samples.flatMap((s) => s.ping));
    const running = summary(report.samples.flatMap((s) => s.running));
    const ended = summary(report.samples.flatMap((s) => s.ended));
    const perServer = report.samples.map((s) => ({
      state: summary([...s.running, ...s.ended]),
      ping: summary(s.ping),
    }));
    const stateChanges = await db.prisma.syncRun.count({ where: { state: "succeeded" } });
    result.data = {
      clients: connected.clients,
      apiProcesses: 2,
      workerProcesses: 1,
      seconds: SECONDS,
      syncCycles: cycles,
      runs,
      succeededRuns: stateChanges,
      eventsReceived: report.events,
      disconnects: report.disconnects,
      stateChangeMs: state,
      runningMs: running,
      endedMs: ended,
      transportMs: ping,
      perApiProcess: perServer,
    };
    result.rows.push({
      benchmark: `4. live status: worker state change → ${connected.clients} clients on 2 API processes`,
      measured: `p99 ${ms(state.p99)} (p50 ${ms(state.p50)}, ${state.count.toLocaleString("en-US")} receipts)`,
      reference: `NOTIFY → clients alone p99 ${ms(ping.p99)} (p50 ${ms(ping.p50)})`,
      ratio: `${(state.p99 / ping.p99).toFixed(1)} ×`,
      target: `p99 ≤ ${TARGET_MS} ms`,
      met: state.p99 <= TARGET_MS,
    });
    result.notes.push(
      `${connected.clients} socket.io clients (WebSocket, API token) in a separate process, half on each of 2 \`--role api\` processes; 1 \`--role worker\`; ` +
        `${cycles} top-level syncs of the demo hierarchy (5 sites, ${UPDATES.toLocaleString("en-US")} upstream updates) in ${SECONDS} s: ${runs} runs.`,
      "Each receipt: a client seeing a run turn running (stamp: its startedAt) or end (finishedAt), both set by the worker with Date.now(); " +
        `progress events that repeat a state are not counted. Reference: ${PINGS} events published into Postgres by the benchmark (as a worker publishes) after the runs, timed from their own stamp.`,
    );
    say(
      `  state change → receipt: p50 ${ms(state.p50)}, p99 ${ms(state.p99)}, max ${ms(state.max)} over ${state.count} receipts; transport alone p99 ${ms(ping.p99)}`,
    );
  } finally {
    await stopClients?.();
    await pool.end();
    await Promise.all(processes.map((p) => p.stop()));
    await upstream.stop();
    await dispose();
    await scratch.remove();
  }
  return result;
}
