// `pnpm bench [name…]`: the benchmarks of the sync-engine issue and issue #12 in one run, each figure printed beside
// its reference with their ratio and the target. Names (default: all, in this order):
//   ingest   1–2. full sync of 300 000 updates vs parse + COPY; a 1 % delta vs the full sync   (bench/ingest.ts)
//   cascade  3.   a 1 % delta at the top until all 276 sites of a 1 + 25 + 250 hierarchy report it (bench/cascade.ts)
//   live     4.   500 socket.io clients on two API processes: a worker's state change → receipt (bench/live.ts)
//   api      5.   All Software Updates over 300 000 revisions, 8 clients, 2 000 requests      (bench/api.ts)
//   console  6.   initial JS gzipped; first status row in Chromium with 6 276 sites           (bench/console.ts)
// Each writes bench/results/<name>.json and .md; a run of all of them also writes bench/results/latest.md and puts
// that table into README.md ("## Benchmarks"). When ingest and api run together, api reuses ingest's database.
import { writeFile } from "node:fs/promises";
import { loadavg } from "node:os";
import path from "node:path";
import { runApi } from "./api.ts";
import { runCascade } from "./cascade.ts";
import {
  machine,
  machineLine,
  markdownTable,
  printRows,
  RESULTS_DIR,
  ROOT,
  say,
  stopEverything,
  updateReadme,
  writeResult,
  type BenchResult,
} from "./common.ts";
import { runConsole } from "./console.ts";
import { runIngest, type KeptDatabase } from "./ingest.ts";
import { runLive } from "./live.ts";

const ALL = ["ingest", "cascade", "live", "api", "console"] as const;
type Name = (typeof ALL)[number];

async function main(): Promise<number> {
  const asked = process.argv.slice(2).filter((a) => a !== "--");
  const unknown = asked.filter((a) => !(ALL as readonly string[]).includes(a));
  if (unknown.length > 0) {
    process.stderr.write(`unknown benchmark ${unknown.join(", ")}; choose from ${ALL.join(", ")}\n`);
    return 2;
  }
  const names: Name[] = asked.length === 0 ? [...ALL] : ALL.filter((n) => asked.includes(n));
  const started = new Date();
  const loadBefore = loadavg()[0]!;
  say(`Benchmarks: ${names.join(", ")} on ${machineLine(machine())}; load average ${loadBefore.toFixed(1)}`);

  const results: BenchResult[] = [];
  const failures: string[] = [];
  let kept: KeptDatabase | undefined;
  for (const name of names) {
    say(`\n== ${name} ==`);
    const t0 = performance.now();
    try {
      let result: BenchResult;
      if (name === "ingest") {
        const outcome = await runIngest({ keepDatabase: names.includes("api") });
        result = outcome.result;
        kept = outcome.kept;
      } else if (name === "api") {
        const database = kept;
        kept = undefined;
        result = await runApi({ database });
      } else if (name === "cascade") result = await runCascade();
      else if (name === "live") result = await runLive();
      else result = await runConsole();
      await writeResult(result);
      results.push(result);
      say(`-- ${name} done in ${((performance.now() - t0) / 1000).toFixed(0)} s:`);
      printRows(result.rows);
    } catch (error) {
      failures.push(name);
      process.stderr.write(`benchmark ${name} failed: ${(error as Error).stack ?? String(error)}\n`);
    }
  }
  // A kept database whose taker failed or did not run.
  await kept?.dispose().catch(() => undefined);

  const rows = results.flatMap((r) => r.rows);
  say(`\n${markdownTable(rows)}`);
  const complete = failures.length === 0 && names.length === ALL.length;
  if (complete) {
    // The machine may be shared (other developers' tests): the load says how quiet it was.
    const load = `load average ${loadBefore.toFixed(1)} at the start, ${loadavg()[0]!.toFixed(1)} at the end`;
    await writeFile(path.join(RESULTS_DIR, "latest.md"), latestMarkdown(results, started, load, true));
    await updateReadme(latestMarkdown(results, started, load, false), path.join(ROOT, "README.md"));
    say("\nWrote bench/results/latest.md and the README's benchmark section.");
  } else {
    say(
      `\nbench/results/latest.md and the README are written by a run of every benchmark (${failures.length > 0 ? `failed: ${failures.join(", ")}` : "this run was partial"}).`,
    );
  }
  return failures.length > 0 ? 1 : 0;
}

/** The run's table and where it ran; `withNotes` adds how each figure was measured (latest.md; the README links it). */
function latestMarkdown(results: BenchResult[], started: Date, load: string, withNotes: boolean): string {
  return [
    markdownTable(results.flatMap((r) => r.rows)),
    "",
    `Measured by \`pnpm bench\` in one run on ${machineLine(machine())}, started ${started.toISOString()} (${load}).`,
    "",
    ...(withNotes
      ? results.flatMap((r) => r.notes.map((n) => `- ${r.title.replace(/ \(.*\)$/, "")}: ${n}`))
      : ["How each figure is measured: [bench/results/latest.md](bench/results/latest.md)."]),
    "",
  ].join("\n");
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    say(`\n${signal}: stopping the benchmark's processes and databases…`);
    void stopEverything().finally(() => process.exit(130));
  });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`benchmark failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
