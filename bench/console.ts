// Benchmark 6 (issue #12): the console. (a) `pnpm --filter @syncpoint/console build` (into a scratch directory, so
// that a stack serving apps/console/dist meanwhile is not disturbed), then the initial JavaScript — the module script
// and the modulepreloads index.html names, not the lazy chunks — gzipped (zlib level 9), beside all the JavaScript
// of the build. (b) A `--role all` process with SYNCPOINT_HIERARCHY=largest (6 276 sites) serving that build; in
// Debian's Chromium through Playwright, signed in, the time from navigation to the first rendered status row of
// Monitoring › Software Update Point Synchronization Status (the e2e spec 09-largest-hierarchy's page and rows):
// the median of BENCH_CONSOLE_LOADS (default 5) loads in a fresh browser context (nothing cached), and of as many
// reloads (the console's files cached), beside the status API's answer alone.
import { spawn } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { gzipSync } from "node:zlib";
import {
  BENCH_PASSWORD,
  ms,
  newResult,
  pct,
  say,
  scratchDir,
  signIn,
  startServer,
  type BenchResult,
  type ServerProcess,
  startDatabase,
} from "./common.ts";
import { chromium } from "./deps.ts";

const LOADS = Number(process.env.BENCH_CONSOLE_LOADS ?? 5);
const SITES = 6_276;
/** Daily runs for the default 90-day run retention (SupSettings.runRetentionDays). */
const RETAINED_RUNS = 90;
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

function build(outDir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      "corepack",
      ["pnpm", "--filter", "@syncpoint/console", "build", "--outDir", outDir, "--emptyOutDir", "--logLevel", "warn"],
      { stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, COREPACK_ENABLE_DOWNLOAD_PROMPT: "0" } },
    );
    child.once("error", reject);
    child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`the console build failed (${code})`))));
  });
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** In the page (a string: the benchmark is compiled without the DOM's types): stamps the first status row's frame. */
const FIRST_ROW_SCRIPT = `
  new MutationObserver((_records, observer) => {
    if (!document.querySelector("tr[data-site-code]")) return;
    observer.disconnect();
    requestAnimationFrame(() => { window.__benchFirstRow = performance.now(); });
  }).observe(document, { childList: true, subtree: true });`;

export async function runConsole(): Promise<BenchResult> {
  const result = newResult("console", "Console (issue #12, benchmark 6)");
  const scratch = await scratchDir("console");
  const dist = path.join(scratch.dir, "dist");
  const processes: ServerProcess[] = [];
  const { db, dispose } = await startDatabase();
  try {
    say("Building the console…");
    const b0 = performance.now();
    await build(dist);
    const buildMs = performance.now() - b0;
    const html = await readFile(path.join(dist, "index.html"), "utf8");
    const initial = [
      ...html.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+\.js)"/g),
      ...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+\.js)"/g),
    ].map((m) => m[1]!);
    const gz = async (file: string) => {
      const content = await readFile(path.join(dist, file));
      return { raw: content.length, gzip: gzipSync(content, { level: 9 }).length };
    };
    const initialSizes = await Promise.all(initial.map((f) => gz(f.replace(/^\//, ""))));
    const allJs = (await readdir(path.join(dist, "assets"))).filter((f) => f.endsWith(".js"));
    const allSizes = await Promise.all(allJs.map((f) => gz(path.join("assets", f))));
    const sum = (xs: { raw: number; gzip: number }[], k: "raw" | "gzip") => xs.reduce((a, x) => a + x[k], 0);
    const initialGzip = sum(initialSizes, "gzip");
    const allGzip = sum(allSizes, "gzip");
    say(
      `  initial JS: ${initial.length} files, ${kib(sum(initialSizes, "raw"))} → ${kib(initialGzip)} gzipped; all JS ${kib(allGzip)} gzipped`,
    );

    const api = await startServer({
      role: "all",
      databaseUrl: db.url,
      dataDir: scratch.dir,
      env: { SYNCPOINT_HIERARCHY: "largest", CONSOLE_DIST: dist },
    });
    processes.push(api);
    const client = await signIn(api.url);
    // GET /api/sup-sync-status from Node, LOADS times after one unmeasured request: each request's ms.
    const timeStatusApi = async () => {
      const times: number[] = [];
      for (let i = 0; i < LOADS + 1; i++) {
        const t = performance.now();
        const list = await client.json("GET", "/api/sup-sync-status");
        if (i > 0) times.push(performance.now() - t);
        if (list.items.length !== SITES)
          throw new Error(`the status API lists ${list.items.length} sites, not ${SITES}`);
      }
      return times;
    };
    const apiTimes = await timeStatusApi();

    say(`First status row in Chromium with ${SITES.toLocaleString("en-US")} sites…`);
    const browser = await chromium().launch({
      executablePath: CHROMIUM,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    });
    const cold: number[] = [];
    const warm: number[] = [];
    try {
      for (let i = 0; i < LOADS; i++) {
        const context = await browser.newContext({
          baseURL: api.url,
          locale: "en-US",
          viewport: { width: 1280, height: 720 },
        });
        // Milliseconds from navigation start to the frame after the first status row entered the page.
        await context.addInitScript({ content: FIRST_ROW_SCRIPT });
        const login = await context.request.post("/api/auth/login", {
          data: { username: "admin", password: BENCH_PASSWORD },
        });
        if (!login.ok()) throw new Error(`sign-in failed: ${login.status()}`);
        const page = await context.newPage();
        // Functions, not strings: the console's CSP forbids eval, and Playwright evaluates a string predicate with it.
        const stamp = () => (globalThis as { __benchFirstRow?: number }).__benchFirstRow;
        const firstRow = async () => {
          await page.waitForFunction(stamp, null, { timeout: 60_000 });
          return (await page.evaluate(stamp))!;
        };
        await page.goto("/monitoring/sup-sync-status");
        cold.push(await firstRow());
        const rowCount = await page
          .getByRole("table", { name: "Software Update Point Synchronization Status" })
          .getAttribute("aria-rowcount");
        if (rowCount !== String(SITES + 1)) throw new Error(`the status table has aria-rowcount ${rowCount}`);
        await page.reload();
        warm.push(await firstRow());
        await context.close();
      }
    } finally {
      await browser.close();
    }
    // Three months of daily syncs, as the default run retention (90 days) keeps them: the status rows must still
    // read one run per lookup.
    say(`The status API with ${RETAINED_RUNS} retained runs per software update point…`);
    await db.prisma.$executeRawUnsafe(`
      INSERT INTO sync_runs (id, site_code, sup_id, trigger, state, queued_at, started_at, finished_at, phase, percent)
      SELECT gen_random_uuid(), p.site_code, p.id, 'schedule', 'succeeded', now() - make_interval(days => g),
             now() - make_interval(days => g), now() - make_interval(days => g) + interval '2 minutes', 'commit', 100
      FROM software_update_points p CROSS JOIN generate_series(1, ${RETAINED_RUNS}) g`);
    await db.prisma.$executeRawUnsafe("VACUUM ANALYZE sync_runs");
    const historyTimes = await timeStatusApi();
    const coldMs = median(cold);
    const warmMs = median(warm);
    const apiMs = median(apiTimes);
    const historyMs = median(historyTimes);
    result.data = {
      buildMs,
      initialJs: initial.map((file, i) => ({ file, ...initialSizes[i] })),
      initialJsGzipBytes: initialGzip,
      initialJsRawBytes: sum(initialSizes, "raw"),
      allJsGzipBytes: allGzip,
      allJsFiles: allJs.length,
      sites: SITES,
      firstRowColdMs: cold,
      firstRowWarmMs: warm,
      statusApiMs: apiTimes,
      retainedRunsPerSup: RETAINED_RUNS,
      statusApiWithHistoryMs: historyTimes,
    };
    result.rows.push(
      {
        benchmark: `6. console initial JS (${initial.length} files, gzip -9)`,
        measured: kib(initialGzip),
        reference: `all ${allJs.length} JS files ${kib(allGzip)}`,
        ratio: pct(initialGzip / allGzip),
        target: "— (none set)",
      },
      {
        benchmark: `6. first status row, ${SITES.toLocaleString("en-US")} sites (Chromium)`,
        measured: `${ms(coldMs)} nothing cached (${ms(warmMs)} reload)`,
        reference: `status API alone ${ms(apiMs)}`,
        ratio: `${(coldMs / apiMs).toFixed(1)} ×`,
        target: "— (none set)",
      },
      {
        benchmark: `6. status API, ${SITES.toLocaleString("en-US")} sites with ${RETAINED_RUNS} retained runs each`,
        measured: ms(historyMs),
        reference: `no runs ${ms(apiMs)}`,
        ratio: `${(historyMs / apiMs).toFixed(1)} ×`,
        target: "— (none set)",
      },
    );
    result.notes.push(
      `Built with \`pnpm --filter @syncpoint/console build --outDir <scratch>\` (${(buildMs / 1000).toFixed(0)} s); initial JS = the module script and modulepreloads of index.html (${initial.join(", ")}), gzip level 9; lazy chunks not counted.`,
      `First row: a \`--role all\` process with SYNCPOINT_HIERARCHY=largest (${SITES.toLocaleString("en-US")} sites, never synced) serving that build; Chromium ${CHROMIUM} (Playwright), 1280 × 720, signed in through the API; ` +
        `from navigation start to the animation frame after the first \`tr[data-site-code]\` entered the page; median of ${LOADS} loads in fresh contexts (all: ${cold.map((v) => Math.round(v)).join(", ")} ms) and of ${LOADS} reloads. ` +
        `Status API alone: GET /api/sup-sync-status (${SITES} rows) from Node, median of ${LOADS}.`,
      `With history: ${(RETAINED_RUNS * SITES).toLocaleString("en-US")} finished runs (${RETAINED_RUNS} daily runs per software update point, what the default 90-day run retention keeps), vacuumed; the same request, median of ${LOADS}.`,
    );
    say(
      `  first status row: ${ms(coldMs)} (reload ${ms(warmMs)}); status API alone ${ms(apiMs)}, with ${RETAINED_RUNS} runs per SUP ${ms(historyMs)}`,
    );
  } finally {
    await Promise.all(processes.map((p) => p.stop()));
    await dispose();
    await scratch.remove();
  }
  return result;
}
