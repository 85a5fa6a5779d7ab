// Benchmark 3 (issue #12): the cascade. A 1 + 25 + 250 hierarchy (the central site, 25 primaries, 250 secondaries,
// 10 under each primary: 276 sites) runs as real processes — one `--role api`, BENCH_CASCADE_WORKERS (default 2)
// `--role worker` (BENCH_CASCADE_CONCURRENCY run slots each, default 4; WORKER_CONCURRENCY is 1 unless set) — against the embedded upstream with BENCH_CASCADE_UPDATES (default 10 000) updates, every product
// and classification selected (so each site's catalog holds all of them; 25 000 takes 3–4 times as long to set up). After a first full cascade (timed, for information) and a VACUUM ANALYZE, the upstream
// publishes about 1 % of the catalog anew (`/admin/advance`) and the top-level site syncs (POST /api/sync). The figure:
// from the top-level site's commit of that delta (its software update point's lastSuccessfulSyncAt, written in the
// commit by the worker) until the last site's status row with the new catalog version reaches a socket.io client
// (`sup-status` events) — target ≤ 10 s; the time from POST /api/sync is printed beside it.
import { MAX_PRIMARIES_PER_CENTRAL } from "../packages/contracts/src/index.ts";
import { largestHierarchyPlan } from "../apps/server/src/services/largest-hierarchy.ts";
import { DEMO_DOMAIN, seed } from "../apps/server/src/services/seed.ts";
import {
  BENCH_PASSWORD,
  cpuAccount,
  cpuLine,
  newResult,
  requireFreeDisk,
  resetStatementStats,
  say,
  scratchDir,
  seconds,
  signIn,
  sleep,
  startServer,
  startUpstream,
  type BenchResult,
  type ServerProcess,
  startDatabase,
} from "./common.ts";
import { io } from "./deps.ts";

const UPDATES = Number(process.env.BENCH_CASCADE_UPDATES ?? 10_000);
const WORKERS = Number(process.env.BENCH_CASCADE_WORKERS ?? 2);
/** Run slots per worker process (WORKER_CONCURRENCY; the product's default is 1, a large hierarchy wants more). */
const CONCURRENCY = Number(process.env.BENCH_CASCADE_CONCURRENCY ?? 4);
const SECONDARIES_PER_PRIMARY = 10;
const SITES = 1 + MAX_PRIMARIES_PER_CENTRAL * (1 + SECONDARIES_PER_PRIMARY);
const TARGET_MS = 10_000;

interface StatusEvent {
  siteCode: string;
  catalogVersion: number;
  state: string;
  removed?: true;
}

export async function runCascade(): Promise<BenchResult> {
  const result = newResult("cascade", "Cascade (issue #12, benchmark 3)");
  await requireFreeDisk(10, `the cascade benchmark (${SITES} catalogs of ${UPDATES.toLocaleString("en-US")} updates)`);
  const { db, dispose } = await startDatabase();
  const scratch = await scratchDir("cascade");
  const processes: ServerProcess[] = [];
  const upstream = await startUpstream({ updates: UPDATES, seed: 1 });
  try {
    // The hierarchy: the demo's CAS, P01, P02, S01, S02, filled up to 25 primaries with 10 secondaries each.
    await seed(db.prisma, { adminPassword: BENCH_PASSWORD });
    const existing = new Set((await db.prisma.site.findMany({ select: { code: true } })).map((s) => s.code));
    const perPrimary = new Map<string, number>();
    for (const s of await db.prisma.site.findMany({ where: { type: "secondary" } })) {
      perPrimary.set(s.parentCode!, (perPrimary.get(s.parentCode!) ?? 0) + 1);
    }
    const wanted = largestHierarchyPlan("CAS").filter((site) => {
      if (existing.has(site.code)) return false;
      if (site.type !== "secondary") return true;
      const count = perPrimary.get(site.parentCode!) ?? 0;
      if (count >= SECONDARIES_PER_PRIMARY) return false;
      perPrimary.set(site.parentCode!, count + 1);
      return true;
    });
    await db.prisma.site.createMany({ data: wanted });
    await db.prisma.softwareUpdatePoint.createMany({
      data: wanted.map((site) => ({
        siteCode: site.code,
        serverName: `${site.code.toLowerCase()}-sup01.${DEMO_DOMAIN}`,
        syncSource: "parent" as const,
      })),
    });
    const sites = await db.prisma.site.count();
    if (sites !== SITES) throw new Error(`the hierarchy has ${sites} sites, not ${SITES}`);
    const stats = await upstream.admin("GET", "/admin/stats");
    await db.prisma.supSettings.update({
      where: { id: 1 },
      data: { products: Object.keys(stats.byProduct), classifications: Object.keys(stats.byClassification) },
    });

    const env = { MICROSOFT_UPDATE_URL: upstream.url };
    const api = await startServer({ role: "api", databaseUrl: db.url, dataDir: scratch.dir, env });
    processes.push(api);
    processes.push(
      ...(await Promise.all(
        Array.from({ length: WORKERS }, () =>
          startServer({
            role: "worker",
            databaseUrl: db.url,
            dataDir: scratch.dir,
            env: { ...env, INTERNAL_API_URL: api.url, WORKER_CONCURRENCY: String(CONCURRENCY) },
          }),
        ),
      )),
    );
    const client = await signIn(api.url);

    // Every status row as consoles see it: the sup-status events, stamped when they arrive.
    const versions = new Map<string, { version: number; at: number }>();
    const socket = io(api.url, { transports: ["websocket"], auth: { token: client.token }, reconnection: false });
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", () => resolve());
      socket.once("connect_error", reject);
    });
    socket.on("sup-status", (event: StatusEvent) => {
      const at = Date.now();
      const known = versions.get(event.siteCode);
      if (!known || event.catalogVersion > known.version)
        versions.set(event.siteCode, { version: event.catalogVersion, at });
    });
    const rows = async () => (await client.json("GET", "/api/sup-sync-status")).items as StatusEvent[];
    for (const row of await rows()) versions.set(row.siteCode, { version: row.catalogVersion, at: Date.now() });

    /** Resolves when every site reports `version` (by event), with the time the last one arrived. */
    const allAt = async (version: number, timeoutMs: number): Promise<number> => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const behind = [...versions.values()].filter((v) => v.version < version).length + (SITES - versions.size);
        if (behind === 0) return Math.max(...[...versions.values()].map((v) => v.at));
        if (Date.now() > deadline) {
          const failed = (await rows()).filter((r) => r.state === "failed").length;
          throw new Error(
            `${behind} of ${SITES} sites still below catalog version ${version} after ${timeoutMs / 1000} s (${failed} failed)`,
          );
        }
        await sleep(20);
      }
    };
    const idle = async () => {
      for (;;) {
        const active = await db.prisma.syncRun.count({ where: { state: { in: ["queued", "running", "canceling"] } } });
        if (active === 0) return;
        await sleep(200);
      }
    };

    say(
      `First full cascade: ${SITES} sites (1 + 25 + 250), ${UPDATES.toLocaleString("en-US")} updates, ${WORKERS} worker processes…`,
    );
    const f0 = Date.now();
    await client.json("POST", "/api/sync", {});
    const fullDone = await allAt(1, 30 * 60_000);
    const fullMs = fullDone - f0;
    await idle();
    const entries = await db.prisma.siteCatalogEntry.count({ where: { siteCode: "CAS" } });
    say(`  ${seconds(fullMs)}; ${entries} updates in each catalog`);
    // The delta comes hours later in life: autovacuum has caught up with the first sync by then.
    await db.prisma.$executeRawUnsafe("VACUUM ANALYZE");
    await db.prisma.$executeRawUnsafe("CHECKPOINT");
    await resetStatementStats(db);
    // Profiling: BENCH_CPU_PROF=<dir> restarts the worker processes with --cpu-prof for the delta alone.
    if (process.env.BENCH_CPU_PROF) {
      const workers = processes.filter((p) => p.role === "worker");
      for (const w of workers) {
        await w.stop();
        processes.splice(processes.indexOf(w), 1);
      }
      processes.push(
        ...(await Promise.all(
          workers.map(() =>
            startServer({
              role: "worker",
              databaseUrl: db.url,
              dataDir: scratch.dir,
              env: {
                ...env,
                INTERNAL_API_URL: api.url,
                WORKER_CONCURRENCY: String(CONCURRENCY),
              },
              nodeArgs: ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`],
            }),
          ),
        )),
      );
    }

    const wantedChanges = Math.ceil(entries * 0.01);
    let changed = 0;
    let periods = 0;
    while (changed < wantedChanges && periods < 400) {
      const r = await upstream.admin("POST", "/admin/advance", { periods: 1 });
      changed += r.added + r.revised + r.expired;
      periods++;
    }
    const before = (await db.prisma.softwareUpdatePoint.findFirstOrThrow({ where: { siteCode: "CAS" } }))
      .catalogVersion;
    say(`Delta: ${changed} changed revisions upstream (${periods} periods), then POST /api/sync…`);
    // Where the CPU goes during the cascade (the bench's socket.io client is the "benchmark" process).
    const cpu = cpuAccount({
      workers: () => processes.filter((p) => p.role === "worker").map((p) => p.pid),
      api: () => processes.filter((p) => p.role === "api").map((p) => p.pid),
    });
    const walAt = async () =>
      (await db.prisma.$queryRawUnsafe<{ lsn: string }[]>("SELECT pg_current_wal_lsn()::text AS lsn"))[0]!.lsn;
    const walBefore = await walAt();
    // Database sessions opened meanwhile (a pool's connections close after 10 s idle; each new one is a forked backend
    // with a SCRAM authentication and cold catalog caches).
    const sessionsNow = async () =>
      (
        await db.prisma.$queryRawUnsafe<{ n: number }[]>(
          "SELECT sessions::int AS n FROM pg_stat_database WHERE datname = current_database()",
        )
      )[0]!.n;
    const sessionsBefore = await sessionsNow();
    const t0 = Date.now();
    const { runId } = await client.json("POST", "/api/sync", {});
    const doneAt = await allAt(before + 1, 10 * 60_000);
    const cpuUsed = cpu.stop();
    // The write-ahead log the cascade wrote (full-page images after the checkpoint above are most of it).
    const [wal] = await db.prisma.$queryRawUnsafe<{ bytes: number }[]>(
      "SELECT pg_wal_lsn_diff($1::pg_lsn, $2::pg_lsn)::float8 AS bytes",
      await walAt(),
      walBefore,
    );
    const walMiB = (wal?.bytes ?? NaN) / 1024 / 1024;
    const newSessions = (await sessionsNow()) - sessionsBefore; // the benchmark's own connection included, if it had closed
    await idle();
    const cas = await db.prisma.softwareUpdatePoint.findFirstOrThrow({ where: { siteCode: "CAS" } });
    const casRun = await db.prisma.syncRun.findUniqueOrThrow({ where: { id: runId } });
    if (cas.catalogVersion !== before + 1) throw new Error(`the top-level site is at version ${cas.catalogVersion}`);
    const committedAt = cas.lastSuccessfulSyncAt!.getTime();
    const fromCommit = doneAt - committedAt;
    const fromPost = doneAt - t0;
    const topLevel = committedAt - t0;
    const childRuns = await db.prisma.syncRun.findMany({
      where: { trigger: "parent", queuedAt: { gte: casRun.queuedAt } },
      select: { id: true, startedAt: true, finishedAt: true, state: true, siteCode: true, workerId: true },
    });
    const durations = childRuns
      .filter((r) => r.startedAt && r.finishedAt)
      .map((r) => r.finishedAt!.getTime() - r.startedAt!.getTime())
      .sort((a, b) => a - b);
    const failed = childRuns.filter((r) => r.state !== "succeeded").length;
    const median = durations[Math.floor(durations.length / 2)] ?? NaN;
    socket.close();

    // Where the time goes: the child runs' durations added up, over the cascade's wall time — how many ran at once on
    // average, against the WORKERS × WORKER_CONCURRENCY slots.
    const busyMs = durations.reduce((a, b) => a + b, 0);
    const cascadeWallMs = doneAt - committedAt;
    // The run of median duration, line by line (ms from its start).
    const medianRun = childRuns.find(
      (r) => r.startedAt && r.finishedAt && r.finishedAt.getTime() - r.startedAt.getTime() === median,
    );
    const medianLog = medianRun
      ? (await db.prisma.syncLogLine.findMany({ where: { runId: medianRun.id }, orderBy: { id: "asc" } })).map(
          (l) => `${l.time.getTime() - medianRun.startedAt!.getTime()} ms ${l.text.slice(0, 100)}`,
        )
      : [];

    result.data = {
      sites: SITES,
      shape: `1 central + ${MAX_PRIMARIES_PER_CENTRAL} primaries + ${MAX_PRIMARIES_PER_CENTRAL * SECONDARIES_PER_PRIMARY} secondaries (${SECONDARIES_PER_PRIMARY} per primary)`,
      updates: UPDATES,
      catalogEntriesPerSite: entries,
      workers: WORKERS,
      firstFullCascadeMs: fullMs,
      delta: { changedRevisions: changed, periods },
      fromCommitMs: fromCommit,
      fromPostMs: fromPost,
      topLevelDeltaMs: topLevel,
      childRuns: childRuns.length,
      childRunsNotSucceeded: failed,
      childRunMedianMs: median,
      childRunMaxMs: durations.at(-1) ?? NaN,
      childRunsBusyMs: busyMs,
      workerConcurrency: CONCURRENCY,
      childRunsInFlightAverage: busyMs / cascadeWallMs,
      medianChildRunLog: medianLog,
      cpuMs: cpuUsed.byGroup,
      walMiB,
      newSessions,
      machineBusy: cpuUsed.machineBusyMs / cpuUsed.machineTotalMs,
    };
    result.rows.push({
      benchmark: `3. cascade of a 1 % delta to all ${SITES} sites (1 + 25 + 250)`,
      measured: `${seconds(fromCommit)} from the top-level commit (${seconds(fromPost)} from POST /api/sync)`,
      reference: `the top-level delta alone ${seconds(topLevel)}`,
      ratio: `${(fromCommit / topLevel).toFixed(1)} ×`,
      target: "≤ 10 s",
      met: fromCommit <= TARGET_MS,
    });
    result.notes.push(
      `${SITES} sites: 1 central, 25 primaries, 250 secondaries (10 under each primary); one \`--role api\` and ${WORKERS} \`--role worker\` processes; ` +
        `${UPDATES.toLocaleString("en-US")} upstream updates, all selected (${entries.toLocaleString("en-US")} in each site's catalog).`,
      `Delta: ${changed} changed revisions upstream (${periods} \`/admin/advance\` periods, ≥ 1 % of the catalog). Start: the top-level site's commit ` +
        `(its software update point's lastSuccessfulSyncAt); end: the last site's \`sup-status\` event with the new catalog version received by a socket.io client. ` +
        `${childRuns.length} child runs (median ${seconds(median)}, longest ${seconds(durations.at(-1) ?? NaN)}, ${failed} not succeeded), ` +
        `together ${seconds(busyMs)}: ${(busyMs / cascadeWallMs).toFixed(1)} runs at once on average in ${WORKERS} × ${CONCURRENCY} run slots (\`WORKER_CONCURRENCY\`). First full cascade: ${seconds(fullMs)}.`,
      `CPU from POST /api/sync until the last site reported: ${cpuLine(cpuUsed)}; ${walMiB.toFixed(0)} MiB of write-ahead log; ${newSessions} database sessions opened.`,
    );
    say(`  a child run of median length, line by line:\n${medianLog.map((l) => `    ${l}`).join("\n")}`);
    say(
      `  CPU: ${cpuLine(cpuUsed)}; write-ahead log ${walMiB.toFixed(0)} MiB; ${newSessions} database sessions opened`,
    );
    say(
      `  all ${SITES} sites at version ${before + 1}: ${seconds(fromCommit)} after the top-level commit, ${seconds(fromPost)} after POST /api/sync (top-level delta ${seconds(topLevel)}); ${childRuns.length} child runs, median ${seconds(median)}`,
    );
  } finally {
    await Promise.all(processes.map((p) => p.stop()));
    await upstream.stop();
    await dispose();
    await scratch.remove();
  }
  return result;
}
