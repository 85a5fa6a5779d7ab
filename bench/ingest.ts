// Benchmarks 1 and 2 (sync-engine issue), printed as ratios measured in one run on this machine:
//   1. a full sync of BENCH_UPDATES updates (default 300 000) from the upstream over MS-WSUSSS, wall clock from
//      POST /api/sync to succeeded, against the physical limit: the same parser plus one COPY FROM STDIN into a table
//      with update_revisions' columns and indexes (target ≥ 50 %);
//   2. a delta of about 1 % of the catalog against that full sync (target ≤ 3 %).
// The upstream's documents are rendered before timing. `pnpm bench ingest` (bench/run.ts) or
// `node --import tsx bench/ingest.ts`; results in bench/results/ingest.{json,md}. The synced database can be kept for
// the All Software Updates benchmark (bench/api.ts), which then needs no seeding of its own.
import type { Server } from "node:http";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import { pathToFileURL } from "node:url";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import type { TestDatabase, TestPostgres } from "../packages/db/src/testing/index.ts";
import { parseUpdateXml, renderUpdateXml } from "../packages/wsusss/src/index.ts";
import { generateCatalog } from "../apps/upstream/src/catalog/generate.ts";
import { createApp } from "../apps/server/src/app.ts";
import { loadConfig } from "../apps/server/src/config.ts";
import { createLogger } from "../apps/server/src/logger.ts";
import { apiRoutes } from "../apps/server/src/routes/index.ts";
import { createRuntime } from "../apps/server/src/runtime.ts";
import { seed } from "../apps/server/src/services/seed.ts";
import { startSyncWorker } from "../apps/server/src/sync/worker.ts";
import { Heartbeat } from "../apps/server/src/worker/heartbeat.ts";
import {
  BENCH_PASSWORD,
  newResult,
  pct,
  requireFreeDisk,
  say,
  writeResult,
  printRows,
  startDatabase,
  startUpstream,
  stopEverything,
  type BenchResult,
} from "./common.ts";

const N = Number(process.env.BENCH_UPDATES ?? 300_000);

/** The synced database, kept for the next benchmark; whoever takes it drops it. */
export interface KeptDatabase {
  postgres: TestPostgres;
  db: TestDatabase;
  /** Revisions stored, and the site whose catalog holds them. */
  revisions: number;
  siteCode: string;
  /** Drops the database and stops its Postgres. */
  dispose(): Promise<void>;
}

export async function runIngest(options: { keepDatabase?: boolean } = {}): Promise<{
  result: BenchResult;
  kept?: KeptDatabase;
}> {
  await requireFreeDisk(10, `the ingest benchmark (${N.toLocaleString("en-US")} updates)`);

  const { postgres, db, dispose } = await startDatabase();
  say(`Generating and pre-rendering ${N} updates in the upstream…`);
  const upstream = await startUpstream({ updates: N, seed: 1, prerender: true });
  const upstreamUrl = upstream.url;
  const admin = upstream.admin;

  // The server: API and worker in this process, on the benchmark database.
  const config = loadConfig({ LOG_LEVEL: "warn", MICROSOFT_UPDATE_URL: upstreamUrl, RETRY_BASE_MS: "200" });
  const runtime = await createRuntime({
    config,
    role: "all",
    databaseUrl: db.url,
    logger: createLogger("warn"),
    prisma: db.prisma,
    secretKey: "benchmark",
  });
  const { ctx } = runtime;
  await seed(db.prisma, { adminPassword: BENCH_PASSWORD });
  const stats = await admin("GET", "/admin/stats");
  // Everything selected: the whole catalog is synced.
  await db.prisma.supSettings.update({
    where: { id: 1 },
    data: { products: Object.keys(stats.byProduct), classifications: Object.keys(stats.byClassification) },
  });
  const app = createApp(ctx, apiRoutes, { serveConsole: false, serveSupEndpoints: true });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  ctx.config.INTERNAL_API_URL = base;
  const heartbeat = new Heartbeat(db.prisma, "bench", 5_000, ctx.logger);
  await heartbeat.start();
  // Children are not part of this benchmark: only the top-level site syncs.
  await db.prisma.site.deleteMany({ where: { parentCode: { not: null }, type: "secondary" } });
  await db.prisma.site.deleteMany({ where: { parentCode: { not: null } } });
  const worker = await startSyncWorker(ctx, {
    workerId: "bench",
    pollingIntervalSeconds: 0.5,
    upstreamTimeoutMs: 120_000,
  });
  const login = await fetch(`${base}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: "admin", password: BENCH_PASSWORD }),
  });
  const cookie = login.headers.getSetCookie()[0]!.split(";")[0]!;

  async function timedSync(): Promise<{ ms: number; run: Record<string, unknown> }> {
    const t0 = performance.now();
    const { runId } = (await (
      await fetch(`${base}/api/sync`, {
        method: "POST",
        headers: { cookie, "content-type": "application/json" },
        body: "{}",
      })
    ).json()) as { runId: string };
    for (;;) {
      const run = (await (await fetch(`${base}/api/sync-runs/${runId}`, { headers: { cookie } })).json()) as Record<
        string,
        unknown
      >;
      if (run.state === "succeeded") return { ms: performance.now() - t0, run };
      if (run.state === "failed" || run.state === "canceled")
        throw new Error(`the run ended ${String(run.state)}: ${String(run.errorMessage)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Where a run's time went: the time from each phase's first log line to the next one's. */
  async function phaseTimes(runId: string): Promise<string> {
    const lines = await db.prisma.syncLogLine.findMany({ where: { runId }, orderBy: { id: "asc" } });
    const marks: [string, RegExp][] = [
      ["authorize+config", /^Synchronizing WSUS server/],
      ["categories", /^sync: WSUS synchronizing categories$/],
      ["revision list", /^Found \d+ new categories|^sync: WSUS synchronizing categories, processed/],
      ["update data", /^Found \d+ (update revisions|changed)/],
      ["apply", /^Synchronizing SMS database/],
      ["end", /^Sync time:/],
    ];
    const at = marks.map(([name, re]) => [name, lines.find((l) => re.test(l.text))?.time.getTime()] as const);
    const parts: string[] = [];
    for (let i = 0; i + 1 < at.length; i++) {
      const [name, start] = at[i]!;
      const next = at.slice(i + 1).find(([, t]) => t !== undefined)?.[1];
      if (start !== undefined && next !== undefined) parts.push(`${name} ${((next - start) / 1000).toFixed(2)} s`);
    }
    return parts.join(", ");
  }

  say("Full sync…");
  const full = await timedSync();
  say(`  ${await phaseTimes(String(full.run.id))}`);
  const revisions = await db.prisma.updateRevision.count();
  say(`  ${revisions} revisions in ${(full.ms / 1000).toFixed(1)} s`);

  // The physical limit: the same documents, parsed by the same parser, loaded by one COPY into a table shaped and
  // indexed like update_revisions. Rendering happens before timing.
  say("Physical limit (parse + COPY)…");
  const { updates, catalogOnly } = generateCatalog({ seed: 1, updates: N });
  // The same documents the sync fetched: catalog-only updates are not listed by a filtered GetRevisionIdList.
  const docs = updates.filter((u) => !catalogOnly.has(u.updateId)).map((u) => renderUpdateXml(u));
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  await client.query("CREATE TABLE bench_copy (LIKE update_revisions INCLUDING ALL)");
  const esc = (v: string) => v.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r");
  const arr = (a: string[]) => `{${a.map((x) => `"${x.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`).join(",")}}`;
  const t1 = performance.now();
  const rows = (function* () {
    for (const doc of docs) {
      const r = parseUpdateXml(doc);
      const en = r.localized.find((l) => l.language === r.defaultLanguage) ?? r.localized[0];
      yield (
        [
          r.updateId,
          r.revisionNumber,
          r.updateType,
          esc(en?.title ?? ""),
          en?.description ? esc(en.description) : "\\N",
          esc(JSON.stringify(r.localized)),
          arr([...new Set(r.localized.map((l) => l.language))]),
          arr(r.kbArticleIds),
          arr(r.securityBulletinIds),
          arr(r.cveIds),
          r.msrcSeverity ?? "\\N",
          arr(r.classificationIds),
          arr(r.productIds),
          r.creationDate,
          r.publicationState,
          r.bundledUpdates.length > 0 ? "t" : "f",
          esc(JSON.stringify(r.bundledUpdates)),
          arr(r.supersededUpdateIds),
          arr(r.prerequisiteIds),
          esc(JSON.stringify(r.files)),
          r.supportUrl ? esc(r.supportUrl) : "\\N",
          "\\N",
          r.maxDownloadSize ?? "\\N",
          "60",
          new Date().toISOString(),
          r.defaultLanguage,
          "\\N",
        ].join("\t") + "\n"
      );
    }
  })();
  await pipeline(
    Readable.from(rows),
    client.query(
      copyFrom(`COPY bench_copy (update_id, revision_number, update_type, title, description, localized, languages, kb_article_ids,
        security_bulletin_ids, cve_ids, msrc_severity, classification_ids, product_ids, creation_date, publication_state,
        is_bundle, bundled_updates, superseded_update_ids, prerequisite_ids, files, support_url, more_info_url,
        max_download_size, max_run_time_minutes, stored_at, default_language, is_beta) FROM STDIN`),
    ),
  );
  const limitMs = performance.now() - t1;
  // The delta runs on a settled database, as it would hours after the full sync: the reference table gone and
  // autovacuum's work (statistics, visibility map) done, instead of racing it.
  await client.query("DROP TABLE bench_copy");
  await client.query("VACUUM ANALYZE");
  await client.query("CHECKPOINT");
  await client.end();
  say(`  ${docs.length} documents in ${(limitMs / 1000).toFixed(1)} s`);

  // About 1 % of the catalog changed upstream, then a delta sync.
  const wanted = Math.ceil(N * 0.01);
  let changed = 0;
  let periods = 0;
  while (changed < wanted && periods < 400) {
    const r = await admin("POST", "/admin/advance", { periods: 1 });
    changed += r.added + r.revised + r.expired;
    periods++;
  }
  say(`Delta sync after ${periods} upstream periods (${changed} changed revisions)…`);
  const delta = await timedSync();
  say(`  ${(delta.ms / 1000).toFixed(1)} s: ${await phaseTimes(String(delta.run.id))}`);

  const fullRate = revisions / (full.ms / 1000);
  const limitRate = docs.length / (limitMs / 1000);
  const result = newResult("ingest", "Ingest and delta (sync-engine issue, benchmarks 1–2)");
  result.data = {
    updates: N,
    fullSync: { seconds: full.ms / 1000, revisions, perSecond: fullRate },
    physicalLimit: { seconds: limitMs / 1000, documents: docs.length, perSecond: limitRate },
    fullVsLimit: fullRate / limitRate,
    delta: { seconds: delta.ms / 1000, changedRevisions: changed, periods },
    deltaVsFull: delta.ms / full.ms,
  };
  result.rows.push(
    {
      benchmark: `1. full sync of ${N.toLocaleString("en-US")} updates`,
      measured: `${(full.ms / 1000).toFixed(1)} s (${Math.round(fullRate)}/s)`,
      reference: `parse + COPY ${(limitMs / 1000).toFixed(1)} s (${Math.round(limitRate)}/s)`,
      ratio: pct(fullRate / limitRate),
      target: "≥ 50 %",
      met: fullRate / limitRate >= 0.5,
    },
    {
      benchmark: `2. delta of ${changed} revisions (≈ 1 %)`,
      measured: `${(delta.ms / 1000).toFixed(1)} s`,
      reference: "the full sync",
      ratio: `${((delta.ms / full.ms) * 100).toFixed(1)} %`,
      target: "≤ 3 %",
      met: delta.ms / full.ms <= 0.03,
    },
  );
  result.notes.push(
    "Full sync: wall clock from POST /api/sync to the run's `succeeded`, every product and classification selected; " +
      "physical limit: the same documents through the same parser and one `COPY FROM STDIN` into a copy of " +
      "update_revisions (columns and indexes).",
    `Delta: after ${periods} upstream periods (\`POST /admin/advance\`), on a vacuumed database.`,
  );

  const [top] = await db.prisma.$queryRaw<{ site_code: string }[]>`
    SELECT site_code FROM site_catalog_entries GROUP BY site_code ORDER BY count(*) DESC LIMIT 1`;
  await worker.stop();
  await heartbeat.stop();
  server.closeAllConnections();
  server.close();
  await runtime.close();
  await upstream.stop();
  if (!options.keepDatabase) {
    await dispose();
    return { result };
  }
  return { result, kept: { postgres, db, revisions, siteCode: top?.site_code ?? "CAS", dispose } };
}

// `node --import tsx bench/ingest.ts`: this benchmark alone, as before.
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  process.once("SIGINT", () => void stopEverything().finally(() => process.exit(130)));
  runIngest().then(
    async ({ result }) => {
      await writeResult(result);
      printRows(result.rows);
      process.exit(0);
    },
    (error: unknown) => {
      process.stderr.write(`benchmark failed: ${(error as Error).stack ?? String(error)}\n`);
      process.exit(1);
    },
  );
}
