// The `syncpoint` CLI (packages/cli) as a real child process against the real stack: an upstream process, the API
// with a worker, and a database of its own. It drives `sync --wait` to the end (exit code and output), reads the
// status, runs and log, changes settings, and fails as it says it does (a bad token: 1; a failed run: 2).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, type CliResult } from "./cli-process.ts";
import { readJson, startSyncTestbed, TEST_ADMIN_PASSWORD, type SyncTestbed } from "./harness.ts";

let testbed: SyncTestbed;
let token: string;

beforeAll(async () => {
  testbed = await startSyncTestbed();
  const created = await testbed.admin.request("POST", "/api/tokens", { name: "cli test" });
  expect(created.status).toBe(201);
  token = (await readJson(created)).secret;
});
afterAll(() => testbed?.stop());

/** The CLI with SYNCPOINT_URL and the API token unless `env` says else. */
function cli(args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  return runCli(args, { SYNCPOINT_URL: testbed.server.url, SYNCPOINT_TOKEN: token, ...env });
}

const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
let firstRunId: string;

describe("syncpoint CLI against the running stack", () => {
  it("sync starts a run; a second one is refused with the active run; sync --wait follows it to Succeeded", async () => {
    await testbed.stopWorker(); // the run stays queued while the CLI asks again

    const started = await cli(["sync"]);
    expect(started.stderr).toBe("");
    expect(started.code).toBe(0);
    firstRunId = started.stdout.match(new RegExp(`^Started synchronization: run (${UUID})$`, "m"))![1]!;

    const again = await cli(["sync"]);
    expect(again.code).toBe(1);
    expect(again.stdout).toBe("");
    expect(again.stderr).toMatch(/^error: SYNC_ALREADY_ACTIVE: A synchronization of CAS is already queued\.$/m);
    expect(again.stderr).toContain(`active run: ${firstRunId}`);

    // Slow answers for the revision list and the update bodies, so that the CLI sees the run's phases go by.
    for (const operation of ["GetRevisionIdList", "GetUpdateData"]) {
      await testbed.upstream.admin("POST", "/admin/faults", { operation, kind: "latency", latencyMs: 500 });
    }
    await testbed.startWorker();
    const waited = await cli(["sync", "--wait"]).finally(() => testbed.upstream.admin("DELETE", "/admin/faults"));
    expect(waited.code, waited.stderr).toBe(0);
    expect(waited.stderr).toBe(`A synchronization is already queued or running: following run ${firstRunId}\n`);
    const lines = waited.stdout.trim().split("\n");
    const run = await readJson(await testbed.admin.request("GET", `/api/sync-runs/${firstRunId}`));
    expect(run).toMatchObject({ state: "succeeded", catalogVersionAfter: 1 });
    expect(run.counts.new).toBeGreaterThan(0);
    // Progress lines change as they are printed (never the same line twice in a row), then the outcome with counts.
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const line of lines.slice(0, -1)) {
      expect(line).toMatch(
        /^(Queued(: .+)?|Starting \d+%|(Authorizing with the upstream server|Getting the server configuration|Synchronizing categories|Getting the update revisions|Synchronizing updates|Synchronizing the site database|Applying supersedence rules|Committing the catalog|Notifying child sites) \d+%( \([\d,]+ of [\d,]+\))?(, about .+ left)?)$/,
      );
    }
    lines.forEach((line, i) => expect(line).not.toBe(lines[i - 1]));
    expect(
      lines.some((line) => /^(Synchronizing|Getting) .* \d+%/.test(line)),
      waited.stdout,
    ).toBe(true);
    expect(lines.at(-1)).toMatch(
      new RegExp(
        `^Succeeded in .+: ${run.counts.new} new, ${run.counts.revised} revised, ${run.counts.expired} expired, ` +
          `${run.counts.superseded} superseded, ${run.counts.removed} removed; catalog version 0 → 1$`,
      ),
    );
  });

  it("sync --full --wait --json prints the run as one JSON line per change and exits 0", async () => {
    await testbed.upstream.admin("POST", "/admin/advance", { periods: 1 });
    const result = await cli(["sync", "--full", "--wait", "--json"]);
    expect(result.code, result.stderr).toBe(0);
    const runs = result.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    const last = runs.at(-1);
    expect(last).toMatchObject({ state: "succeeded", fullSync: true, trigger: "manual", catalogVersionAfter: 2 });
    expect(new Set(runs.map((r) => r.id))).toEqual(new Set([last.id]));
  });

  it("status --json shows the new catalog version; status prints the table", async () => {
    const [json, text] = await Promise.all([cli(["status", "--json"]), cli(["status", "--search", "CAS"])]);
    expect(json.code, json.stderr).toBe(0);
    const list = JSON.parse(json.stdout);
    expect(list.items.find((row: { siteCode: string }) => row.siteCode === "CAS")).toMatchObject({
      state: "succeeded",
      catalogVersion: 2,
      lastErrorCode: null,
      linkState: "healthy",
    });

    expect(text.code, text.stderr).toBe(0);
    const [header, row] = text.stdout.split("\n");
    expect(header).toMatch(/^SITE\s+SERVER\s+STATE\s+PROGRESS\s+LAST SYNC\s+ERROR\s+CATALOG\s+LINK$/);
    expect(row).toMatch(/^CAS\s+\S+\s+succeeded\s+—\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ\s+—\s+2\s+healthy$/);
    // The child sites sync after the CAS (cascade): they may still be in progress.
    expect(text.stdout).toMatch(/\n\n\d+ in sync, \d+ in progress, 0 failed, \d+ behind, \d+ never synchronized\n$/);
  });

  it("runs lists the runs; log prints the run's wsyncmgr.log lines (signed in with a user name and password)", async () => {
    const runs = await cli(["runs", "--site", "CAS", "--limit", "5"]);
    expect(runs.code, runs.stderr).toBe(0);
    expect(runs.stdout).toMatch(new RegExp(`^${firstRunId}\\s+CAS\\s+manual\\s+succeeded\\s+delta\\s`, "m"));
    expect(runs.stdout).toMatch(/\n2 of 2 runs, newest first\n$/);

    const password = { SYNCPOINT_TOKEN: undefined, SYNCPOINT_USER: "admin", SYNCPOINT_PASSWORD: TEST_ADMIN_PASSWORD };
    const log = await cli(["log", firstRunId], password);
    expect(log.code, log.stderr).toBe(0);
    const lines = log.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^Starting Sync \$\$<SMS_WSUS_SYNC_MANAGER><\d\d-\d\d-\d{4} [\d:.]+\+000><thread=/);
    expect(log.stdout).toContain("Sync succeeded. Setting sync alert to canceled state on site CAS");
    expect(log.stdout).toMatch(/^Sync time: \dd\d\dh\d\dm\d\ds \$\$<SMS_WSUS_SYNC_MANAGER>/m);
    // The CLI's session ended with the command.
    const sessions = await testbed.server.db.prisma.session.count();
    expect(sessions).toBe(1); // the harness's own admin
  });

  it("settings set changes what the options name and says what changed; settings get shows it", async () => {
    const set = await cli([
      "settings",
      "set",
      "--supersedence-months",
      "5",
      "--schedule-every",
      "2",
      "--schedule-unit",
      "days",
      "--no-sync-failure-alert",
      "--add-language",
      "de",
      "--set",
      "retention.runDays=30",
    ]);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toMatch(/^Changed:\n/);
    expect(set.stdout).toMatch(/^ {2}supersedence\.months: \d+ → 5$/m);
    expect(set.stdout).toMatch(/^ {2}schedule\.every: \d+ → 2$/m);
    expect(set.stdout).toMatch(/^ {2}syncFailureAlert: true → false$/m);
    expect(set.stdout).toMatch(/^ {2}languages: \+ de$/m);
    expect(set.stdout).toMatch(/^ {2}retention\.runDays: \d+ → 30$/m);

    const [get, text] = await Promise.all([cli(["settings", "get", "--json"]), cli(["settings", "get"])]);
    expect(get.code, get.stderr).toBe(0);
    expect(JSON.parse(get.stdout)).toMatchObject({
      supersedence: { months: 5 },
      schedule: { kind: "simple", every: 2, unit: "days" },
      syncFailureAlert: false,
      retention: { runDays: 30 },
    });
    expect(text.stdout).toMatch(/^Supersedence\s+expire after 5 months;/m);
    expect(text.stdout).toMatch(
      /^Schedule\s+every 2 days \(UTC\), starting \d{4}-\d\d-\d\d [\d:]+Z, (enabled|disabled)$/m,
    );

    const [same, bad] = await Promise.all([
      cli(["settings", "set", "--supersedence-months", "5"]),
      cli(["settings", "set", "--upstream-url", "ftp://example.com"]),
    ]);
    expect(same.stdout).toBe("No setting changed.\n");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^error: VALIDATION_FAILED: /);
  });

  it("updates search finds updates of the catalog", async () => {
    const all = await cli(["updates", "search", "--limit", "3", "--json"]);
    expect(all.code, all.stderr).toBe(0);
    const page = JSON.parse(all.stdout);
    expect(page.items).toHaveLength(3);
    const kb = page.items.find((u: { kbArticleIds: string[] }) => u.kbArticleIds.length > 0)?.kbArticleIds[0];
    const found = await cli(["updates", "search", kb]);
    expect(found.code, found.stderr).toBe(0);
    expect(found.stdout).toMatch(new RegExp(`^KB${kb}\\s`, "m"));
  });

  it("a bad token exits 1 with the error code", async () => {
    const result = await cli(["status"], { SYNCPOINT_TOKEN: "not-a-token" });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/^error: INVALID_TOKEN: /);
  });

  it("a failing sync --wait exits 2 with the error code and message", async () => {
    await testbed.upstream.admin("POST", "/admin/faults", {
      operation: "*",
      kind: "soap-fault",
      errorCode: "IncompatibleProtocolVersion",
    });
    try {
      const result = await cli(["sync", "--wait"]);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stdout.trim().split("\n").at(-1)).toMatch(/^Failed in .+: UPSTREAM_SOAP_FAULT: .+/);
    } finally {
      await testbed.upstream.admin("DELETE", "/admin/faults");
    }
  });
});
