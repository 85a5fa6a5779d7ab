// `pnpm test`: every test — unit, console, integration (vitest, real embedded PostgreSQL) and e2e (Playwright in
// Debian's Chromium against the stack `pnpm start` runs) — and one closing line `N passed, N failed`.
// Exits non-zero when anything failed or a runner could not run; nothing is skipped for want of a browser.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const tmp = path.join(root, ".tmp");
mkdirSync(tmp, { recursive: true });
const bin = (name) => path.join(root, "node_modules/.bin", name);

let passed = 0;
let failed = 0;
const problems = [];

function stage(name, command, args, options = {}) {
  const started = Date.now();
  process.stdout.write(`\n=== ${name} ===\n`);
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", ...options });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  process.stdout.write(`=== ${name}: exit ${result.status ?? result.signal} in ${seconds} s ===\n`);
  return result.status;
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return undefined;
  }
}

// 1. vitest: unit, console and integration projects in one run.
const vitestJson = path.join(tmp, "vitest.json");
rmSync(vitestJson, { force: true });
const vitestExit = stage("unit, console and integration tests (vitest)", bin("vitest"), [
  "run",
  "--reporter=default",
  "--reporter=json",
  `--outputFile.json=${vitestJson}`,
]);
const vitest = readJson(vitestJson);
if (vitest) {
  passed += vitest.numPassedTests;
  failed += vitest.numFailedTests;
  if (vitest.numPendingTests + vitest.numTodoTests > 0)
    problems.push(`${vitest.numPendingTests + vitest.numTodoTests} vitest tests skipped`);
  if (vitestExit !== 0 && vitest.numFailedTests === 0)
    problems.push(`vitest exited ${vitestExit} (a suite failed to load?)`);
} else {
  problems.push("vitest produced no report");
}

// 2. e2e: Chromium must be there (installed when we may), then Playwright against the real stack.
if (stage("Chromium for the browser tests", "bash", [path.join(root, "scripts/ensure-chromium.sh")]) !== 0) {
  problems.push("Chromium is missing, so the browser tests could not run");
} else {
  const playwrightJson = path.join(tmp, "playwright.json");
  rmSync(playwrightJson, { force: true });
  const e2eExit = stage("browser tests (Playwright in Chromium)", bin("pnpm"), ["--filter", "@syncpoint/e2e", "test"], {
    env: { ...process.env, PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightJson },
  });
  const report = existsSync(playwrightJson) ? readJson(playwrightJson) : undefined;
  if (report?.stats) {
    passed += report.stats.expected + report.stats.flaky;
    failed += report.stats.unexpected;
    if (report.stats.skipped > 0) problems.push(`${report.stats.skipped} browser tests skipped`);
    if (report.stats.flaky > 0) problems.push(`${report.stats.flaky} browser tests were flaky`);
    if (e2eExit !== 0 && report.stats.unexpected === 0)
      problems.push(`playwright exited ${e2eExit} (global setup failed?)`);
  } else {
    problems.push("playwright produced no report");
  }
}

for (const problem of problems) process.stdout.write(`! ${problem}\n`);
const broken = problems.some((p) => !p.includes("flaky"));
process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
process.exit(failed > 0 || broken ? 1 : 0);
