// Benchmark 5 (issue #12): All Software Updates over a catalog of BENCH_UPDATES (default 300 000) revisions. 8
// concurrent HTTP clients send 2 000 GET /api/software-updates requests (filter + sort + page, text search included,
// a fixed mix from a seeded random generator) to one `--role api` process; the figure is the p95 of the server's own
// time (its `Server-Timing: app;dur=` header: from the API router to the answer's headers), beside the same SQL run
// directly in Postgres through `pg` with the same concurrency. EXPLAIN ANALYZE of the slowest query of each kind goes
// into bench/results/api.json.
//
// The database: the one the ingest benchmark synced when both run in one `pnpm bench`; otherwise a fresh one seeded
// with the generated catalog through the catalog store (its bulk insert, then one apply as a full sync does).
import pg from "pg";
import { SoftwareUpdatesQuery } from "../packages/contracts/src/index.ts";
import { CLASSIFICATION_IDS, PRODUCTS } from "../apps/upstream/src/catalog/categories.ts";
import { generateCatalog } from "../apps/upstream/src/catalog/generate.ts";
import { seededRandom } from "../apps/upstream/src/catalog/random.ts";
import { loadConfig } from "../apps/server/src/config.ts";
import type { AppContext } from "../apps/server/src/context.ts";
import { softwareUpdatesPageSql } from "../apps/server/src/services/catalog.ts";
import { seed } from "../apps/server/src/services/seed.ts";
import { PostgresCatalogStore } from "../apps/server/src/sync/catalog-store.ts";
import {
  BENCH_PASSWORD,
  cpuAccount,
  cpuLine,
  ms,
  newResult,
  percentile,
  requireFreeDisk,
  say,
  scratchDir,
  signIn,
  startServer,
  type BenchResult,
  startDatabase,
} from "./common.ts";
import type { KeptDatabase } from "./ingest.ts";

const N = Number(process.env.BENCH_UPDATES ?? 300_000);
const REQUESTS = Number(process.env.BENCH_API_REQUESTS ?? 2_000);
const CLIENTS = 8;
const WARM_UP = 16;
const TARGET_MS = 50;
/**
 * Each phase (HTTP, then Postgres) stops taking requests after this long, so that a slow build cannot hold the whole
 * `pnpm bench` for an hour; the output says how many of the requests ran.
 */
const BUDGET_MS = Number(process.env.BENCH_API_BUDGET_S ?? 180) * 1000;

export interface Request {
  kind: string;
  query: string;
}

/** Seeds a fresh database: the generated catalog stored and applied to the top-level site's catalog. */
export async function seedDatabase(): Promise<KeptDatabase> {
  await requireFreeDisk(10, `the All Software Updates benchmark (${N.toLocaleString("en-US")} revisions)`);
  const { postgres, db, dispose } = await startDatabase();
  const t0 = performance.now();
  await seed(db.prisma, { adminPassword: BENCH_PASSWORD });
  const sup = await db.prisma.softwareUpdatePoint.findFirstOrThrow({ where: { siteCode: "CAS" } });
  const everything = {
    products: Object.values(PRODUCTS) as string[],
    classifications: Object.values(CLASSIFICATION_IDS) as string[],
  };
  await db.prisma.supSettings.update({ where: { id: 1 }, data: everything });
  const pool = new pg.Pool({ connectionString: db.url, max: 2 });
  const store = new PostgresCatalogStore(db.prisma, pool, { code: "CAS", supId: sup.id });
  const { categories, updates, catalogOnly } = generateCatalog({ seed: 1, updates: N });
  await store.saveCategories(categories);
  const listed = updates.filter((u) => !catalogOnly.has(u.updateId));
  for (let i = 0; i < listed.length; i += 2_000) await store.saveRevisions(listed.slice(i, i + 2_000));
  await store.applyCatalog(
    {
      revisions: listed.map((u) => ({ updateId: u.updateId, revisionNumber: u.revisionNumber })),
      complete: true,
      ...everything,
      anchor: "benchmark seed",
    },
    async () => undefined,
  );
  await pool.end();
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  await client.query("VACUUM ANALYZE");
  await client.end();
  say(`  seeded ${listed.length} revisions in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return {
    postgres,
    db,
    revisions: listed.length,
    siteCode: "CAS",
    dispose,
  };
}

/** The request mix: plain paging and sorting, text search (title words, KB, CVE), classification and product filters. */
export async function requestMix(client: pg.Client, siteCode: string): Promise<Request[]> {
  const { rows: samples } = await client.query<{ title: string; kb: string | null; cve: string | null }>(
    `SELECT r.title, r.kb_article_ids[1] AS kb, r.cve_ids[1] AS cve
     FROM site_catalog_entries e JOIN update_revisions r USING (update_id, revision_number)
     WHERE e.site_code = $1 ORDER BY hashtext(r.update_id::text) LIMIT 500`,
    [siteCode],
  );
  const kbs = samples.flatMap((s) => (s.kb ? [s.kb] : []));
  const cves = samples.flatMap((s) => (s.cve ? [s.cve] : []));
  const titleWords = [
    "Cumulative Update",
    "Security Update",
    "Microsoft Edge",
    "Defender",
    "SQL Server",
    "Windows Server 2022",
    "x64-based",
    "Office",
    ".NET",
    "Servicing Stack",
    "Security Intelligence",
    "Windows 11",
  ];
  // The upstream generator's seeded mulberry32: the same mix on every run.
  const rnd = seededRandom(12);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(rnd() * values.length)]!;
  const sorts = [
    "-releaseDate",
    "-releaseDate",
    "releaseDate",
    "title",
    "-title",
    "severity",
    "-severity",
    "kb",
    "-kb",
  ];
  const pages = [1, 1, 1, 1, 2, 2, 3, 5, 10, 50];
  const sizes = [50, 50, 50, 100, 200];
  const classifications = [
    CLASSIFICATION_IDS.securityUpdates,
    CLASSIFICATION_IDS.criticalUpdates,
    CLASSIFICATION_IDS.updates,
    CLASSIFICATION_IDS.definitionUpdates,
    CLASSIFICATION_IDS.updateRollups,
  ];
  const products = [PRODUCTS.windows11, PRODUCTS.windows10, PRODUCTS.server2022, PRODUCTS.edge, PRODUCTS.m365Apps];
  const mix: Request[] = [];
  for (let i = 0; i < REQUESTS + WARM_UP; i++) {
    const params = new URLSearchParams();
    const r = rnd();
    let kind: string;
    if (r < 0.25) kind = "page + sort";
    else if (r < 0.4) kind = "search: title";
    else if (r < 0.5) kind = "search: KB";
    else if (r < 0.55) kind = "search: CVE";
    else if (r < 0.7) kind = "classification";
    else if (r < 0.8) kind = "product";
    else if (r < 0.9) kind = "classification + product + flags";
    else kind = "search + filters";
    if (kind === "search: title" || kind === "search + filters") params.set("search", pick(titleWords));
    if (kind === "search: KB") params.set("search", `KB${pick(kbs)}`);
    if (kind === "search: CVE") params.set("search", pick(cves));
    if (kind === "classification" || kind.includes("filters") || kind.includes("classification +")) {
      params.set("classification", pick(classifications));
    }
    if (kind === "product" || kind.includes("+ product")) params.set("product", pick(products));
    if (kind.includes("flags")) {
      params.set("superseded", "false");
      if (rnd() < 0.5) params.set("expired", "false");
      if (rnd() < 0.3) params.set("severity", pick(["Critical", "Important"]));
    }
    params.set("sort", pick(sorts));
    // Searches and narrow filters are mostly read from their first page.
    params.set("page", String(kind.startsWith("search") ? pick([1, 1, 1, 2]) : pick(pages)));
    params.set("pageSize", String(pick(sizes)));
    mix.push({ kind, query: params.toString() });
  }
  return mix;
}

/** Runs `each` over the items, `workers` at a time, in order; no item starts after `deadline`. Returns how many ran. */
async function concurrently<T>(
  items: readonly T[],
  workers: number,
  each: (item: T, i: number) => Promise<void>,
  deadline = Infinity,
): Promise<number> {
  let next = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < items.length && performance.now() < deadline) {
        const i = next++;
        await each(items[i]!, i);
      }
    }),
  );
  return next;
}

type CpuUsed = ReturnType<ReturnType<typeof cpuAccount>["stop"]>;

/** Each process group's CPU per request, ms. */
function perRequest(used: CpuUsed, requests: number): Record<string, number> {
  return Object.fromEntries(Object.entries(used.byGroup).map(([name, value]) => [name, value / requests]));
}

/** "postgres 9.1 ms, api 4.2 ms, benchmark 1.0 ms" per request. */
function cpuPerRequestLine(used: CpuUsed, requests: number): string {
  return Object.entries(perRequest(used, requests))
    .filter(([, value]) => value > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([name, value]) => `${name} ${ms(value)}`)
    .join(", ");
}

interface Stats {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  count: number;
}

function stats(values: number[]): Stats {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? NaN,
    count: sorted.length,
  };
}

/** The SQL listSoftwareUpdates sends for a query's page (as a first request does, with no remembered start). */
async function captureSql(
  query: string,
  ctx: Pick<AppContext, "prisma" | "pool" | "config">,
): Promise<{ text: string; values: unknown[] }> {
  const parsed = SoftwareUpdatesQuery.parse(Object.fromEntries(new URLSearchParams(query)));
  const sql = await softwareUpdatesPageSql(ctx as AppContext, parsed);
  return { text: sql.text, values: sql.values };
}

export async function runApi(options: { database?: KeptDatabase } = {}): Promise<BenchResult> {
  const result = newResult("api", "All Software Updates (issue #12, benchmark 5)");
  const reused = options.database !== undefined;
  say(
    reused
      ? `Reusing the database the ingest benchmark synced (${options.database!.revisions} revisions).`
      : `Seeding ${N.toLocaleString("en-US")} revisions with the catalog store's bulk insert…`,
  );
  const database = options.database ?? (await seedDatabase());
  const scratch = await scratchDir("api");
  const client = new pg.Client({ connectionString: database.db.url });
  await client.connect();
  try {
    const [{ revisions, entries }] = (
      await client.query<{ revisions: number; entries: number }>(
        `SELECT (SELECT count(*) FROM update_revisions)::int AS revisions,
                (SELECT count(*) FROM site_catalog_entries WHERE site_code = $1)::int AS entries`,
        [database.siteCode],
      )
    ).rows as [{ revisions: number; entries: number }];
    const mix = await requestMix(client, database.siteCode);
    // Profiling: BENCH_CPU_PROF=<dir> runs the API process with --cpu-prof.
    const profile = process.env.BENCH_CPU_PROF;
    const api = await startServer({
      role: "api",
      databaseUrl: database.db.url,
      dataDir: scratch.dir,
      ...(profile ? { nodeArgs: ["--cpu-prof", `--cpu-prof-dir=${profile}`] } : {}),
    });
    try {
      const session = await signIn(api.url);
      say(
        `${REQUESTS} requests from ${CLIENTS} concurrent clients over ${entries.toLocaleString("en-US")} catalog entries (${revisions.toLocaleString("en-US")} revisions)…`,
      );
      const server: number[] = [];
      const clientSide: number[] = [];
      const byKind = new Map<string, number[]>();
      const slowestServer: { ms: number; query: string }[] = [];
      let missingHeader = 0;
      const send = async (request: Request, counted: boolean) => {
        const t0 = performance.now();
        const response = await fetch(`${api.url}/api/software-updates?${request.query}`, {
          headers: { authorization: `Bearer ${session.token}` },
        });
        const body = await response.text();
        const elapsed = performance.now() - t0;
        if (!response.ok) throw new Error(`GET /api/software-updates?${request.query}: ${response.status} ${body}`);
        if (!counted) return;
        const timing = /app;dur=([\d.]+)/.exec(response.headers.get("server-timing") ?? "");
        if (!timing) missingHeader++;
        const serverMs = timing ? Number(timing[1]) : elapsed;
        server.push(serverMs);
        clientSide.push(elapsed);
        byKind.set(request.kind, [...(byKind.get(request.kind) ?? []), serverMs]);
        slowestServer.push({ ms: serverMs, query: request.query });
      };
      await concurrently(mix.slice(0, WARM_UP), CLIENTS, (r) => send(r, false));
      const httpCpu = cpuAccount({ api: () => [api.pid] });
      const t0 = performance.now();
      const sent = await concurrently(mix.slice(WARM_UP), CLIENTS, (r) => send(r, true), t0 + BUDGET_MS);
      const wallMs = performance.now() - t0;
      const httpCpuUsed = httpCpu.stop();
      if (sent < REQUESTS) say(`  only ${sent} of ${REQUESTS} requests within the ${BUDGET_MS / 1000} s budget`);
      await api.stop();

      // The same statements straight into Postgres, with the same concurrency.
      say("The same SQL directly in Postgres…");
      const pool = new pg.Pool({ connectionString: database.db.url, max: CLIENTS });
      // The API process's settings (the same environment): its choice of plan per filter is the statement's.
      const config = loadConfig({ ...process.env, DATABASE_URL: database.db.url });
      const statements = [];
      for (const r of mix) statements.push(await captureSql(r.query, { prisma: database.db.prisma, pool, config }));
      const direct: number[] = [];
      const directByKind = new Map<string, number[]>();
      const slowest = new Map<string, { ms: number; index: number }>();
      await concurrently(statements.slice(0, WARM_UP), CLIENTS, async (s) => void (await pool.query(s.text, s.values)));
      // The requests the HTTP phase sent, in the same order.
      const replay = statements.slice(WARM_UP, WARM_UP + sent);
      const directCpu = cpuAccount({});
      const p0 = performance.now();
      const replayed = await concurrently(
        replay,
        CLIENTS,
        async (s, i) => {
          const t = performance.now();
          await pool.query(s.text, s.values);
          const elapsed = performance.now() - t;
          const kind = mix[WARM_UP + i]!.kind;
          direct.push(elapsed);
          directByKind.set(kind, [...(directByKind.get(kind) ?? []), elapsed]);
          if (elapsed > (slowest.get(kind)?.ms ?? -1)) slowest.set(kind, { ms: elapsed, index: WARM_UP + i });
        },
        p0 + BUDGET_MS,
      );
      const directCpuUsed = directCpu.stop();
      // Where the time goes: the slowest statement of each kind, explained alone.
      const plans: Record<string, { query: string; ms: number; plan: string }> = {};
      for (const [kind, { ms: elapsed, index }] of slowest) {
        const s = statements[index]!;
        const { rows } = await pool.query<{ "QUERY PLAN": string }>(
          `EXPLAIN (ANALYZE, BUFFERS) ${s.text}`,
          s.values as unknown[],
        );
        plans[kind] = { query: mix[index]!.query, ms: elapsed, plan: rows.map((r) => r["QUERY PLAN"]).join("\n") };
      }
      await pool.end();

      const s = stats(server);
      const c = stats(clientSide);
      const d = stats(direct);
      const kinds = [...byKind.keys()].sort();
      const perKind = Object.fromEntries(
        kinds.map((k) => [k, { server: stats(byKind.get(k)!), postgres: stats(directByKind.get(k) ?? []) }]),
      );
      result.data = {
        database: reused ? "reused from the ingest benchmark" : "seeded (catalog store bulk insert + apply)",
        revisions,
        catalogEntries: entries,
        requests: REQUESTS,
        sent,
        replayedInPostgres: replayed,
        budgetSeconds: BUDGET_MS / 1000,
        clients: CLIENTS,
        warmUp: WARM_UP,
        throughputPerSecond: sent / (wallMs / 1000),
        serverTimeMs: s,
        clientTimeMs: c,
        postgresMs: d,
        missingServerTimingHeaders: missingHeader,
        perKind,
        slowestServerRequests: slowestServer.sort((a, b) => b.ms - a.ms).slice(0, 20),
        cpuMsPerRequest: {
          http: perRequest(httpCpuUsed, sent),
          postgresAlone: perRequest(directCpuUsed, replayed),
        },
        plans,
      };
      result.rows.push({
        benchmark: `5. All Software Updates p95 over ${revisions.toLocaleString("en-US")} revisions (${CLIENTS} clients, ${sent < REQUESTS ? `${sent} of ` : ""}${REQUESTS} requests)`,
        measured: `${ms(s.p95)} server time (p50 ${ms(s.p50)})`,
        reference: `same SQL in Postgres p95 ${ms(d.p95)} (p50 ${ms(d.p50)})`,
        ratio: `${(s.p95 / d.p95).toFixed(2)} ×`,
        target: `≤ ${TARGET_MS} ms`,
        met: s.p95 <= TARGET_MS,
      });
      result.notes.push(
        `Database: ${reused ? "the one the ingest benchmark synced (reused)" : "seeded for this run through the catalog store (bulk insert, then one apply like a full sync)"}; ` +
          `${entries.toLocaleString("en-US")} entries in the top-level site's catalog.`,
        `Server time: the API process's \`Server-Timing: app;dur\` (API router → response headers: token check, route, SQL, JSON); ` +
          `client-side p50 ${ms(c.p50)}, p95 ${ms(c.p95)}; ${(sent / (wallMs / 1000)).toFixed(1)} requests/s. ` +
          `Postgres: the statement listSoftwareUpdates builds for each request, sent through \`pg\` by ${CLIENTS} connections (${replayed} of them). ${WARM_UP} warm-up requests first, not counted.` +
          (sent < REQUESTS
            ? ` Each phase stops after ${BUDGET_MS / 1000} s (BENCH_API_BUDGET_S): ${sent} of the ${REQUESTS} requests ran.`
            : ""),
        `CPU per request: through the API ${cpuPerRequestLine(httpCpuUsed, sent)} (${cpuLine(httpCpuUsed)}); ` +
          `the SQL alone ${cpuPerRequestLine(directCpuUsed, replayed)}.`,
        `Mix: ${kinds.map((k) => `${k} p95 ${ms(perKind[k]!.server.p95)} (Postgres ${ms(perKind[k]!.postgres.p95)})`).join("; ")}.`,
      );
      say(
        `  CPU per request: through the API ${cpuPerRequestLine(httpCpuUsed, sent)}; the SQL alone ${cpuPerRequestLine(directCpuUsed, replayed)}`,
      );
      say(`  server p50 ${ms(s.p50)} p95 ${ms(s.p95)} p99 ${ms(s.p99)}; Postgres p50 ${ms(d.p50)} p95 ${ms(d.p95)}`);
      say(
        `  slowest through the API: ${slowestServer
          .slice(0, 8)
          .map((r) => `${ms(r.ms)} ${r.query}`)
          .join("; ")}`,
      );
      for (const k of kinds) {
        say(
          `    ${k}: server p95 ${ms(perKind[k]!.server.p95)}, Postgres p95 ${ms(perKind[k]!.postgres.p95)} (${perKind[k]!.server.count} requests)`,
        );
      }
    } finally {
      await api.stop();
    }
  } finally {
    await client.end();
    await scratch.remove();
    await database.dispose();
  }
  return result;
}
