// What the benchmarks share: the machine, free disk space, results (JSON + a markdown table per benchmark), the
// embedded upstream and Syncpoint server processes (`apps/server/src/main.ts --role api|worker|all`) on free ports,
// signing in, percentiles.
import { spawn, type ChildProcess } from "node:child_process";
import { appendFileSync, readdirSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, statfs, writeFile } from "node:fs/promises";
import { cpus, tmpdir, totalmem } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as prettier from "prettier";
import { embeddedServerSettings } from "../packages/db/src/embedded-postgres.ts";
import { findFreePort } from "../packages/db/src/ports.ts";
import {
  createTestDatabase,
  startTestPostgres,
  type TestDatabase,
  type TestPostgres,
} from "../packages/db/src/testing/index.ts";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));
export const RESULTS_DIR = path.join(ROOT, "bench/results");
/** The administrator's password in every benchmark database. */
export const BENCH_PASSWORD = "benchmark password";
/** Every server process of one benchmark shares it (SUP endpoint cookies, stored secrets). */
const SECRET_KEY = "benchmark: one key for every process";

export const say = (s: string) => process.stdout.write(`${s}\n`);
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** What is still running (processes, Postgres): stopped in reverse order when the benchmark is interrupted. */
const running: (() => Promise<void>)[] = [];

/** Registers how to stop something; the returned function stops it (once) and forgets it. */
export function guard(stop: () => Promise<void>): () => Promise<void> {
  let stopping: Promise<void> | undefined;
  const run = () =>
    (stopping ??= (async () => {
      running.splice(running.indexOf(run) >>> 0, 1);
      await stop();
    })());
  running.push(run);
  return run;
}

/** Ctrl-C or SIGTERM: everything still running stops (servers, upstreams, then the Postgres under them). */
export async function stopEverything(): Promise<void> {
  for (const stop of [...running].reverse()) await stop().catch(() => undefined);
}

/** A throwaway embedded Postgres with one migrated database; `dispose` drops the database and stops the server. */
export async function startDatabase(): Promise<{ postgres: TestPostgres; db: TestDatabase; dispose(): Promise<void> }> {
  // The settings `pnpm start` gives its embedded server, durable (the tests' throwaway cluster skips fsync), plus any
  // BENCH_PG_SETTINGS (`name=value;name=value`, e.g. to preload pg_stat_statements while profiling).
  const settings = {
    ...embeddedServerSettings(),
    ...Object.fromEntries(
      (process.env.BENCH_PG_SETTINGS ?? "")
        .split(";")
        .filter((pair) => pair.includes("="))
        .map((pair) => [pair.slice(0, pair.indexOf("=")).trim(), pair.slice(pair.indexOf("=") + 1).trim()]),
    ),
  };
  profiling = settings.shared_preload_libraries?.includes("pg_stat_statements") ?? false;
  // BENCH_PG_LOG: a file that receives the server's log (with auto_explain in BENCH_PG_SETTINGS, the slow plans).
  const logFile = process.env.BENCH_PG_LOG;
  const postgres = await startTestPostgres({
    settings,
    ...(logFile ? { onLog: (line: string) => appendFileSync(logFile, `${line}\n`) } : {}),
  });
  const stopPostgres = guard(() => postgres.stop());
  const db = await createTestDatabase(postgres.serverUrl);
  const dispose = guard(async () => {
    if (profiling) await printTopStatements(db);
    await db.drop();
    await stopPostgres();
  });
  return { postgres, db, dispose };
}

let profiling = false;

/** Profiling: forgets the statements so far, so that the table printed at the end covers only what is measured. */
export async function resetStatementStats(db: TestDatabase): Promise<void> {
  if (!profiling) return;
  await db.prisma.$executeRawUnsafe("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
  await db.prisma.$queryRawUnsafe("SELECT pg_stat_statements_reset()");
}

/** Profiling (BENCH_PG_SETTINGS=shared_preload_libraries=pg_stat_statements): the statements that took the most time. */
async function printTopStatements(db: TestDatabase, limit = Number(process.env.BENCH_PG_TOP ?? 25)): Promise<void> {
  try {
    await db.prisma.$executeRawUnsafe("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
    const [all] = await db.prisma.$queryRawUnsafe<{ ms: number; calls: number; plan_ms: number }[]>(
      `SELECT sum(total_exec_time)::float8 AS ms, sum(calls)::float8 AS calls, sum(total_plan_time)::float8 AS plan_ms
       FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    );
    say(
      `\nAll statements: ${all?.calls} calls, ${all?.ms.toFixed(0)} ms executing, ${all?.plan_ms.toFixed(0)} ms planning.`,
    );
    const rows = await db.prisma.$queryRawUnsafe<{ ms: number; calls: bigint; mean: number; query: string }[]>(
      `SELECT total_exec_time::float8 AS ms, calls, mean_exec_time::float8 AS mean, query
       FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
       ORDER BY total_exec_time DESC LIMIT ${limit}`,
    );
    say(`\nTop ${limit} statements by total time (pg_stat_statements):`);
    for (const r of rows)
      say(
        `${r.ms.toFixed(0).padStart(8)} ms ${String(r.calls).padStart(7)} calls ${r.mean.toFixed(2).padStart(8)} ms  ${r.query.replace(/\s+/g, " ").slice(0, 220)}`,
      );
  } catch (error) {
    say(`(pg_stat_statements not readable: ${(error as Error).message})`);
  }
}

export interface Machine {
  cpus: number;
  cpu: string;
  memoryGiB: number;
  node: string;
}

export function machine(): Machine {
  return {
    cpus: cpus().length,
    cpu: cpus()[0]?.model.trim() ?? "?",
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  };
}

export const machineLine = (m: Machine) => `${m.cpus} × ${m.cpu}, ${m.memoryGiB} GiB, Node ${m.node}`;

/** Refuses to go on (before any large data is made) when the temporary directory's disk has less than `minGiB` free. */
export async function requireFreeDisk(minGiB: number, what: string): Promise<void> {
  const free = await statfs(tmpdir());
  const freeGiB = (free.bavail * free.bsize) / 2 ** 30;
  if (freeGiB < minGiB) {
    throw new Error(
      `only ${freeGiB.toFixed(1)} GiB free in ${tmpdir()}; ${what} needs ${minGiB} GiB. Free some space (or point TMPDIR elsewhere) and run it again.`,
    );
  }
  say(`  ${freeGiB.toFixed(0)} GiB free in ${tmpdir()} (≥ ${minGiB} GiB needed)`);
}

/** One line of a results table: a figure beside its reference, their ratio, the target and whether it is met. */
export interface Row {
  benchmark: string;
  measured: string;
  reference: string;
  ratio: string;
  target: string;
  /** Absent when the issue sets no target for this figure. */
  met?: boolean;
}

export interface BenchResult {
  /** File name under bench/results/ (without extension). */
  name: string;
  title: string;
  date: string;
  machine: Machine;
  rows: Row[];
  /** How it was measured: sizes, start and end points, what the reference is. */
  notes: string[];
  /** The raw figures. */
  data: Record<string, unknown>;
}

export function newResult(name: string, title: string): BenchResult {
  return { name, title, date: new Date().toISOString(), machine: machine(), rows: [], notes: [], data: {} };
}

const verdict = (row: Row) => (row.met === undefined ? "" : row.met ? " ✓" : " ✗ missed");

export function markdownTable(rows: Row[]): string {
  const lines = [
    "| benchmark | measured | reference | ratio | target |",
    "| --- | --- | --- | --- | --- |",
    ...rows.map(
      (r) =>
        `| ${esc(r.benchmark)} | ${esc(r.measured)} | ${esc(r.reference)} | ${esc(r.ratio)} | ${esc(r.target)}${verdict(r)} |`,
    ),
  ];
  return lines.join("\n");
}

const esc = (s: string) => s.replaceAll("|", "\\|");

/** The figures as printed on the terminal: one line per row. */
export function printRows(rows: Row[]): void {
  for (const r of rows) {
    say(
      `  ${r.benchmark}: ${r.measured} — reference ${r.reference}, ratio ${r.ratio}, target ${r.target}${verdict(r)}`,
    );
  }
}

export function resultMarkdown(result: BenchResult): string {
  return [
    `### ${result.title}`,
    "",
    markdownTable(result.rows),
    "",
    ...result.notes.map((n) => `- ${n}`),
    "",
    `Machine: ${machineLine(result.machine)}; ${result.date}.`,
    "",
  ].join("\n");
}

const README_START = "<!-- bench:start (written by `pnpm bench`) -->";
const README_END = "<!-- bench:end -->";

/** The table goes between the README's markers in "## Benchmarks", which is added at the end if missing. */
export async function updateReadme(latest: string, file: string): Promise<void> {
  // Only the benchmark block is formatted (Prettier, as `pnpm lint` checks it): the rest of the README is left as it is.
  const options = (await prettier.resolveConfig(file)) ?? {};
  const format = async (markdown: string) =>
    (await prettier.format(markdown, { ...options, filepath: file })).trimEnd();
  const block = await format(`${README_START}\n\n${latest.trim()}\n\n${README_END}`);
  let readme = await readFile(file, "utf8");
  if (readme.includes(README_START) && readme.includes(README_END)) {
    readme =
      readme.slice(0, readme.indexOf(README_START)) +
      block +
      readme.slice(readme.indexOf(README_END) + README_END.length);
  } else {
    const intro = await format(
      "## Benchmarks\n\n" +
        "`pnpm bench` runs the benchmarks of DESIGN.md's targets in one run (about half an hour on 2 cores) and prints\n" +
        "each figure beside its reference, their ratio and the target; `pnpm bench <name>…` runs some of them (`ingest`,\n" +
        "`cascade`, `live`, `api`, `console`). Results go to `bench/results/` (JSON and markdown per benchmark); a run of\n" +
        "all of them writes `latest.md` and the table below.",
    );
    readme = `${readme.trimEnd()}\n\n${intro}\n\n${block}\n`;
  }
  await writeFile(file, readme);
}

/** bench/results/<name>.json (everything) and <name>.md (the table and its notes). */
export async function writeResult(result: BenchResult): Promise<void> {
  await mkdir(RESULTS_DIR, { recursive: true });
  await writeFile(path.join(RESULTS_DIR, `${result.name}.json`), JSON.stringify(result, null, 2) + "\n");
  await writeFile(path.join(RESULTS_DIR, `${result.name}.md`), resultMarkdown(result));
}

/** The p-th percentile (0–100) of sorted values, nearest rank. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export const ms = (v: number) => (v >= 100 ? `${Math.round(v)} ms` : `${v.toFixed(1)} ms`);
export const seconds = (msValue: number) => `${(msValue / 1000).toFixed(1)} s`;
export const pct = (v: number) => (v >= 0.1 ? `${(v * 100).toFixed(0)} %` : `${(v * 100).toFixed(1)} %`);

/** A scratch directory, readable by the `postgres` OS user (the embedded Postgres runs as it when we are root). */
export async function scratchDir(prefix: string): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), `syncpoint-bench-${prefix}-`));
  return { dir, remove: guard(() => rm(dir, { recursive: true, force: true })) };
}

interface Spawned {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

function spawnProcess(
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; ipc?: boolean; nodeArgs?: string[] },
): Spawned {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), "--import", "tsx", ...args], {
    cwd: options.cwd,
    env: options.env,
    stdio: options.ipc ? ["ignore", "pipe", "pipe", "ipc"] : ["ignore", "pipe", "pipe"],
  });
  let output = "";
  // Kept short: a server that logs warnings for minutes must not grow the benchmark's memory.
  const keep = (d: Buffer) => {
    output = (output + d.toString()).slice(-20_000);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    child,
    output: () => output,
    exited,
    stop: guard(async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      await exited;
      clearTimeout(timer);
    }),
  };
}

export interface UpstreamProcess {
  url: string;
  stop(): Promise<void>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the upstream admin API's JSON, read field by field
  admin(method: string, path: string, body?: unknown): Promise<any>;
}

/** The embedded upstream (apps/upstream) with `updates` generated updates, on a free port and a data dir of its own. */
export async function startUpstream(options: {
  updates: number;
  seed?: number;
  prerender?: boolean;
}): Promise<UpstreamProcess> {
  const port = await findFreePort();
  const scratch = await scratchDir("upstream");
  const p = spawnProcess(["src/main.ts"], {
    cwd: path.join(ROOT, "apps/upstream"),
    env: {
      ...process.env,
      UPSTREAM_PORT: String(port),
      UPSTREAM_UPDATES: String(options.updates),
      UPSTREAM_SEED: String(options.seed ?? 1),
      UPSTREAM_PRERENDER: options.prerender ? "1" : "0",
      DATA_DIR: scratch.dir,
    },
  });
  const deadline = Date.now() + 600_000;
  while (!p.output().includes("upstream listening")) {
    if (p.child.exitCode !== null) throw new Error(`the upstream exited during start-up:\n${p.output()}`);
    if (Date.now() > deadline) throw new Error(`the upstream did not start:\n${p.output()}`);
    await sleep(100);
  }
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    async stop() {
      await p.stop();
      await scratch.remove();
    },
    async admin(method, adminPath, body) {
      const response = await fetch(url + adminPath, {
        method,
        headers: body === undefined ? {} : { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`upstream ${method} ${adminPath}: ${response.status} ${await response.text()}`);
      return response.status === 204 ? undefined : response.json();
    },
  };
}

export interface ServerProcess {
  role: "api" | "worker" | "all";
  url: string;
  pid: number;
  output(): string;
  stop(): Promise<void>;
}

/**
 * One Syncpoint server process as `pnpm start` runs it (`apps/server/src/main.ts --role <role>`), on a free loopback
 * port and the given database; resolves when it reports ready over IPC (migrations, seed, listening).
 */
export async function startServer(options: {
  role: "api" | "worker" | "all";
  databaseUrl: string;
  dataDir: string;
  env?: Record<string, string>;
  /** Options for node itself (e.g. --cpu-prof, which NODE_OPTIONS may not carry). */
  nodeArgs?: string[];
}): Promise<ServerProcess> {
  const port = await findFreePort();
  const p = spawnProcess(["src/main.ts", "--role", options.role], {
    cwd: path.join(ROOT, "apps/server"),
    ipc: true,
    ...(options.nodeArgs ? { nodeArgs: options.nodeArgs } : {}),
    env: {
      ...process.env,
      DATABASE_URL: options.databaseUrl,
      HOST: "127.0.0.1",
      PORT: String(port),
      DATA_DIR: options.dataDir,
      SYNCPOINT_SECRET_KEY: SECRET_KEY,
      ADMIN_PASSWORD: BENCH_PASSWORD,
      LOG_LEVEL: "warn",
      ...options.env,
    },
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the ${options.role} process did not start within 180 s:\n${p.output()}`)),
      180_000,
    );
    p.child.on("message", (message: { type?: string }) => {
      if (message?.type !== "ready") return;
      clearTimeout(timer);
      resolve();
    });
    void p.exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the ${options.role} process exited (${code}) during start-up:\n${p.output()}`));
    });
  });
  return { role: options.role, url: `http://127.0.0.1:${port}`, pid: p.child.pid!, output: p.output, stop: p.stop };
}

/** An API client signed in as `admin`: a session cookie, then an API token for everything after. */
export interface ApiClient {
  base: string;
  token: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers, read field by field
  json(method: string, path: string, body?: unknown): Promise<any>;
}

export async function signIn(base: string, password = BENCH_PASSWORD): Promise<ApiClient> {
  const login = await fetch(`${base}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: "admin", password }),
  });
  if (!login.ok) throw new Error(`admin cannot sign in: ${login.status} ${await login.text()}`);
  const cookie = login.headers.getSetCookie()[0]!.split(";")[0]!;
  const created = await fetch(`${base}/api/tokens`, {
    method: "POST",
    headers: { cookie, "content-type": "application/json" },
    body: JSON.stringify({ name: `benchmark ${Date.now()}` }),
  });
  if (!created.ok) throw new Error(`no API token: ${created.status} ${await created.text()}`);
  const { secret } = (await created.json()) as { secret: string };
  const json: ApiClient["json"] = async (method, apiPath, body) => {
    const response = await fetch(base + apiPath, {
      method,
      headers: {
        authorization: `Bearer ${secret}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${apiPath}: ${response.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  return { base, token: secret, json };
}

/**
 * CPU time (user + system, ms) of one process so far, with that of its children it has waited for (a Postgres
 * server's exited backends: a pool closes idle connections), from /proc (Linux); 0 when it is gone.
 */
function processCpuMs(pid: number): number {
  try {
    // Fields after the command name (which may hold spaces): utime, stime, cutime, cstime are the 12th to 15th.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
    return (ticks * 1000) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

/** Linux's USER_HZ: the unit of /proc's CPU times (100 on every mainstream architecture). */
const CLOCK_TICKS = 100;

/** The pids of every running `postgres` process (the server and its backends). */
function postgresPids(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, "utf8").trim() === "postgres") pids.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return pids;
}

/** The whole machine's busy and total CPU time so far (ms, over every core), from /proc/stat. */
function machineCpuMs(): { busy: number; total: number } {
  const [, ...ticks] = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/);
  const values = ticks.map(Number);
  const total = values.reduce((a, b) => a + b, 0);
  const idle = (values[3] ?? 0) + (values[4] ?? 0); // idle + iowait
  return { busy: ((total - idle) * 1000) / CLOCK_TICKS, total: (total * 1000) / CLOCK_TICKS };
}

/**
 * Where the CPU went while something ran: each named group of processes' CPU time, Postgres (all its processes), this
 * benchmark process and the machine as a whole. `start()` then `stop()` gives the deltas, in ms of CPU.
 */
export function cpuAccount(groups: Record<string, () => number[]>) {
  const read = () => {
    const byGroup: Record<string, number> = {};
    for (const [name, pids] of Object.entries(groups)) byGroup[name] = pids().reduce((a, p) => a + processCpuMs(p), 0);
    byGroup.postgres = postgresPids().reduce((a, p) => a + processCpuMs(p), 0);
    const self = process.cpuUsage();
    byGroup.benchmark = (self.user + self.system) / 1000;
    return { byGroup, machine: machineCpuMs() };
  };
  const first = read();
  return {
    stop(): { byGroup: Record<string, number>; machineBusyMs: number; machineTotalMs: number } {
      const last = read();
      const byGroup: Record<string, number> = {};
      for (const name of Object.keys(last.byGroup)) byGroup[name] = last.byGroup[name]! - (first.byGroup[name] ?? 0);
      return {
        byGroup,
        machineBusyMs: last.machine.busy - first.machine.busy,
        machineTotalMs: last.machine.total - first.machine.total,
      };
    },
  };
}

/** "workers 12.1 s, api 3.0 s, …; machine 95 % busy" for a cpuAccount's result. */
export function cpuLine(usage: ReturnType<ReturnType<typeof cpuAccount>["stop"]>): string {
  const parts = Object.entries(usage.byGroup)
    .sort((a, b) => b[1] - a[1])
    .map(([name, value]) => `${name} ${seconds(value)}`);
  return `${parts.join(", ")}; the machine ${pct(usage.machineBusyMs / usage.machineTotalMs)} busy`;
}
