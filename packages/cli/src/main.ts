// The `syncpoint` CLI's entry point (`pnpm syncpoint …`, or packages/cli/bin/syncpoint.mjs): the real process
// around program.ts. Ctrl-C stops `--wait`, `--watch` and `--follow` at their next tick; a second one exits at once.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { sleeper } from "./io.ts";
import { run } from "./program.ts";

const interrupt = new AbortController();
process.on("SIGINT", () => {
  if (interrupt.signal.aborted) process.exit(130);
  interrupt.abort();
});

process.exitCode = await run(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  fetch: globalThis.fetch,
  interrupt: interrupt.signal,
  sleep: sleeper(interrupt.signal),
  // `pnpm syncpoint` runs in the repository root: files named on the command line are relative to where it was typed.
  readFile: (file) => readFile(path.resolve(process.env.INIT_CWD ?? process.cwd(), file), "utf8"),
  cwd: process.env.INIT_CWD ?? process.cwd(),
});
