// The command line end to end over a fake API: what each command asks, prints and exits with.
import { describe, expect, it } from "vitest";
import { CATEGORIES, envelope, json, runCli, runDto, settingsDto, type FakeRequest, type Route } from "./testing.ts";

const RUN_ID = "11111111-1111-4111-8111-111111111111";
const OTHER_RUN = "22222222-2222-4222-8222-222222222222";

/** GET /api/sync-runs/:id answering these runs in turn (the last one repeatedly). */
function runSequence(...runs: ReturnType<typeof runDto>[]): Route {
  let i = 0;
  return () => json(runs[Math.min(i++, runs.length - 1)]);
}

describe("sync", () => {
  it("posts a delta or a full sync and prints the run id (or {runId} with --json)", async () => {
    const routes = { "POST /api/sync": () => json({ runId: RUN_ID }, 202) };
    const delta = await runCli(["sync"], routes);
    expect(delta.code).toBe(0);
    expect(delta.requests[0]).toMatchObject({ method: "POST", path: "/api/sync", body: {} });
    expect(delta.requests[0]!.headers.authorization).toBe("Bearer tok");
    expect(delta.stdout).toBe(
      `Started synchronization: run ${RUN_ID}\nFollow it with: syncpoint log ${RUN_ID} --follow\n`,
    );

    const full = await runCli(["sync", "--full", "--json"], routes);
    expect(full.requests[0]!.body).toEqual({ fullSync: true });
    expect(JSON.parse(full.stdout)).toEqual({ runId: RUN_ID });
  });

  it("--wait prints each change every second, then the outcome; exit 0, 2 or 3", async () => {
    const phases = [
      runDto({ state: "queued", startedAt: null, waitingReason: "worker" }),
      runDto({ phase: "updates", percent: 40, processed: 10, total: 30, etaSeconds: 30 }),
      runDto({ phase: "updates", percent: 40, processed: 10, total: 30, etaSeconds: 30 }),
      runDto({ phase: "apply", percent: 85 }),
    ];
    const succeeded = runDto({
      state: "succeeded",
      phase: "notify",
      percent: 100,
      finishedAt: "2026-05-01T12:00:05.000Z",
      counts: { new: 30, revised: 0, expired: 1, superseded: 2, removed: 0 },
      catalogVersionBefore: 0,
      catalogVersionAfter: 1,
    });
    const ok = await runCli(["sync", "--wait"], {
      "POST /api/sync": () => json({ runId: RUN_ID }, 202),
      "GET /api/sync-runs/:id": runSequence(...phases, succeeded),
    });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toBe(
      [
        `Started synchronization: run ${RUN_ID}`,
        "Queued: waiting for a free worker process",
        "Synchronizing updates 40% (10 of 30), about 30 s left",
        "Synchronizing the site database 85%",
        "Succeeded in 4 s: 30 new, 0 revised, 1 expired, 2 superseded, 0 removed; catalog version 0 → 1",
        "",
      ].join("\n"),
    );
    expect(ok.io.sleeps).toEqual([1000, 1000, 1000, 1000]);

    const failed = runDto({ state: "failed", errorCode: "UPSTREAM_HTTP_ERROR", errorMessage: "HTTP 503" });
    const bad = await runCli(["sync", "--wait"], {
      "POST /api/sync": () => json({ runId: RUN_ID }, 202),
      "GET /api/sync-runs/:id": runSequence(failed),
    });
    expect(bad.code).toBe(2);
    expect(bad.stdout.trim().split("\n").at(-1)).toBe("Failed: UPSTREAM_HTTP_ERROR: HTTP 503");

    const canceled = await runCli(["sync", "--wait", "--json"], {
      "POST /api/sync": () => json({ runId: RUN_ID }, 202),
      "GET /api/sync-runs/:id": runSequence(phases[1]!, runDto({ state: "canceled" })),
    });
    expect(canceled.code).toBe(3);
    const lines = canceled.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.map((r) => r.state)).toEqual(["running", "canceled"]);
  });

  it("409 SYNC_ALREADY_ACTIVE: exit 1 with the active run; --wait follows that run instead", async () => {
    const busy = {
      "POST /api/sync": () =>
        envelope(409, "SYNC_ALREADY_ACTIVE", "A synchronization of CAS is already running.", { runId: OTHER_RUN }),
      "GET /api/sync-runs/:id": (r: FakeRequest) =>
        json(runDto({ id: r.path.split("/").at(-1)!, state: "succeeded", catalogVersionAfter: 3 })),
    };
    const refused = await runCli(["sync"], busy);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe("");
    expect(refused.stderr).toBe(
      "error: SYNC_ALREADY_ACTIVE: A synchronization of CAS is already running.\n" +
        `  active run: ${OTHER_RUN} (follow it: syncpoint sync --wait, or syncpoint log ${OTHER_RUN} --follow)\n`,
    );

    const followed = await runCli(["sync", "--wait"], busy);
    expect(followed.code).toBe(0);
    expect(followed.stderr).toBe(`A synchronization is already queued or running: following run ${OTHER_RUN}\n`);
    expect(followed.requests.at(-1)!.path).toBe(`/api/sync-runs/${OTHER_RUN}`);
    expect(followed.stdout).toMatch(/^Succeeded: .*catalog version 3\n$/);
  });

  it("Ctrl-C stops waiting (exit 130), the run goes on", async () => {
    const result = await runCli(
      ["sync", "--wait"],
      { "POST /api/sync": () => json({ runId: RUN_ID }, 202), "GET /api/sync-runs/:id": runSequence(runDto()) },
      {},
      { setup: (io) => (io.sleep = async () => io.abort()) },
    );
    expect(result.code).toBe(130);
    expect(result.stderr).toBe(`Stopped waiting; run ${RUN_ID} goes on (syncpoint log ${RUN_ID} --follow).\n`);
  });
});

describe("Ctrl-C during a request", () => {
  const hang = (io: () => { abort(): void }) => () => {
    io().abort();
    throw new DOMException("This operation was aborted", "AbortError");
  };

  it("sync --wait: the note and 130; status --watch and log --follow: 0; other commands: 130 quietly", async () => {
    let current: { abort(): void } | undefined;
    const setup = { setup: (io: { abort(): void }) => void (current = io) };
    const waited = await runCli(
      ["sync", "--wait"],
      { "POST /api/sync": () => json({ runId: RUN_ID }, 202), "GET /api/sync-runs/:id": hang(() => current!) },
      {},
      setup,
    );
    expect([waited.code, waited.stderr]).toEqual([
      130,
      `Stopped waiting; run ${RUN_ID} goes on (syncpoint log ${RUN_ID} --follow).\n`,
    ]);
    const watched = await runCli(
      ["status", "--watch"],
      { "GET /api/sup-sync-status": hang(() => current!) },
      {},
      setup,
    );
    expect([watched.code, watched.stderr]).toEqual([0, ""]);
    const followed = await runCli(
      ["log", RUN_ID, "--follow"],
      { "GET /api/sync-runs/:id": hang(() => current!) },
      {},
      setup,
    );
    expect([followed.code, followed.stderr]).toEqual([0, ""]);
    const once = await runCli(["runs"], { "GET /api/sync-runs": hang(() => current!) }, {}, setup);
    expect([once.code, once.stderr]).toEqual([130, ""]);
  });
});

describe("errors", () => {
  it("the API's envelope: error: CODE: message on stderr, exit 1, field details listed", async () => {
    const result = await runCli(["runs"], {
      "GET /api/sync-runs": () =>
        envelope(400, "VALIDATION_FAILED", "query.site: site is a site code such as CAS", {
          fields: [{ field: "query.site", message: "site is a site code such as CAS" }],
        }),
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      "error: VALIDATION_FAILED: query.site: site is a site code such as CAS\n" +
        "  query.site: site is a site code such as CAS\n",
    );
  });

  it("no credentials: the 401 says how to give them; an answer that is not the envelope still has a code", async () => {
    const none = await runCli(
      ["status"],
      { "GET /api/sup-sync-status": () => envelope(401, "UNAUTHENTICATED", "Sign in first.") },
      { SYNCPOINT_TOKEN: "" },
    );
    expect(none.requests[0]!.headers.authorization).toBeUndefined();
    expect(none.stderr).toBe(
      "error: UNAUTHENTICATED: Sign in first.\n  set SYNCPOINT_TOKEN (an API token), or SYNCPOINT_USER and SYNCPOINT_PASSWORD\n",
    );
    const proxy = await runCli(["status"], {
      "GET /api/sup-sync-status": () =>
        new Response("<html>Bad Gateway</html>", { status: 502, statusText: "Bad Gateway" }),
    });
    expect(proxy.code).toBe(1);
    expect(proxy.stderr).toBe("error: HTTP_502: Bad Gateway from http://sp.test: <html>Bad Gateway</html>\n");
  });

  it("a server that cannot be reached is named with its URL", async () => {
    const refused = Object.assign(new TypeError("fetch failed"), {
      cause: { code: "ECONNREFUSED", message: "connect ECONNREFUSED 127.0.0.1:9" },
    });
    const result = await runCli(["runs"], {
      "GET /api/sync-runs": () => {
        throw refused;
      },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      "error: cannot reach Syncpoint at http://sp.test (connect ECONNREFUSED 127.0.0.1:9). " +
        "Is it running (pnpm start)? Set SYNCPOINT_URL to its address.\n",
    );
  });

  it("an answer outside the contract is reported, not printed", async () => {
    const result = await runCli(["runs"], { "GET /api/sync-runs": () => json({ items: "no" }) });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^error: GET \/sync-runs at http:\/\/sp.test answered something this CLI does not understand \(items: /,
    );
  });

  it("usage errors exit 1 before any request; --help and --version exit 0", async () => {
    for (const argv of [["runs", "--limit", "0"], ["frobnicate"], ["settings", "set"], ["status", "--state", "odd"]]) {
      const result = await runCli(argv, { "GET /api/sup-settings": () => json(settingsDto()) });
      expect(result.code, argv.join(" ")).toBe(1);
      expect(result.stderr, argv.join(" ")).toMatch(/^error: /);
    }
    expect((await runCli(["runs", "--limit", "0"], {})).requests).toEqual([]);
    const help = await runCli(["sync", "--help"], {});
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("--wait");
    expect((await runCli(["--version"], {})).stdout).toBe("0.1.0\n");
  });
});

describe("signing in with SYNCPOINT_USER and SYNCPOINT_PASSWORD", () => {
  it("logs in once, sends the session cookie, logs out at the end", async () => {
    const result = await runCli(
      ["runs", "--json"],
      {
        "POST /api/auth/login": () =>
          json(
            {
              username: "admin",
              role: "full-administrator",
              permissions: [],
              mustChangePassword: false,
              locale: "en-US",
            },
            200,
            { "set-cookie": "syncpoint_session=abc; Path=/; HttpOnly; SameSite=Lax" },
          ),
        "GET /api/sync-runs": () => json({ items: [], total: 0, page: 1, pageSize: 20 }),
        "POST /api/auth/logout": () => new Response(null, { status: 204 }),
      },
      { SYNCPOINT_TOKEN: "", SYNCPOINT_USER: "admin", SYNCPOINT_PASSWORD: "pw" },
    );
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      "POST /api/auth/login",
      "GET /api/sync-runs",
      "POST /api/auth/logout",
    ]);
    expect(result.requests[0]!.body).toEqual({ username: "admin", password: "pw" });
    expect(result.requests[1]!.headers.cookie).toBe("syncpoint_session=abc");
    expect(result.requests[1]!.headers.authorization).toBeUndefined();
  });

  it("a wrong password is the API's INVALID_CREDENTIALS", async () => {
    const result = await runCli(
      ["status"],
      { "POST /api/auth/login": () => envelope(401, "INVALID_CREDENTIALS", "The user name or password is incorrect.") },
      { SYNCPOINT_TOKEN: "", SYNCPOINT_USER: "admin", SYNCPOINT_PASSWORD: "no" },
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toBe("error: INVALID_CREDENTIALS: The user name or password is incorrect.\n");
  });
});

describe("status, runs, log, updates", () => {
  const statusList = {
    items: [
      {
        siteCode: "CAS",
        parentCode: null,
        supServer: "cas-sup01",
        syncSource: "microsoft-update",
        syncSourceUrl: null,
        state: "running",
        phase: "updates",
        percent: 62,
        processed: 1234,
        total: 3000,
        etaSeconds: 70,
        waitingReason: null,
        runId: RUN_ID,
        lastSyncStateId: 6704,
        lastSyncTime: "2026-05-01T12:00:00.000Z",
        lastSuccessfulSyncTime: null,
        lastErrorCode: null,
        catalogVersion: 4,
        linkState: "healthy",
        retryAt: null,
      },
    ],
    summary: { inSync: 0, inProgress: 1, failed: 0, behind: 0, never: 0 },
  };

  it("status: the table and summary, filters as query; --watch redraws every 2 s until Ctrl-C", async () => {
    const result = await runCli(["status", "--state", "running", "--search", "ca"], {
      "GET /api/sup-sync-status": () => json(statusList),
    });
    expect(result.code).toBe(0);
    expect(result.requests[0]!.query.toString()).toBe("state=running&search=ca");
    expect(result.stdout).toBe(
      "SITE  SERVER     STATE    PROGRESS                          LAST SYNC             ERROR  CATALOG  LINK\n" +
        "CAS   cas-sup01  running  updates 62% (1,234/3,000) ~1 min  2026-05-01 12:00:00Z  —            4  healthy\n" +
        "\n0 in sync, 1 in progress, 0 failed, 0 behind, 0 never synchronized\n",
    );

    let polls = 0;
    const watched = await runCli(
      ["status", "--watch", "--json"],
      { "GET /api/sup-sync-status": () => json(statusList) },
      {},
      { setup: (io) => (io.sleep = async () => void (++polls === 3 && io.abort())) },
    );
    expect(watched.code).toBe(0);
    expect(
      watched.stdout
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l).summary.inProgress),
    ).toEqual([1, 1, 1]);
  });

  it("runs: --site and --limit as query; the table with counts", async () => {
    const page = {
      items: [
        runDto({
          state: "failed",
          finishedAt: "2026-05-01T12:00:13.000Z",
          errorCode: "UPSTREAM_TIMEOUT",
          counts: { new: 1500, revised: 0, expired: 0, superseded: 0, removed: 0 },
        }),
      ],
      total: 7,
      page: 1,
      pageSize: 5,
    };
    const result = await runCli(["runs", "--site", "cas", "--limit", "5"], { "GET /api/sync-runs": () => json(page) });
    expect(result.requests[0]!.query.toString()).toBe("site=CAS&pageSize=5&sort=-queuedAt");
    const [header, row, , footer] = result.stdout.split("\n");
    expect(header).toMatch(/^RUN\s+SITE\s+TRIGGER\s+STATE\s+TYPE\s+QUEUED\s+TOOK\s+NEW\s+REVISED/);
    expect(row).toMatch(
      new RegExp(`^${RUN_ID}  CAS   manual   failed  delta  2026-05-01 12:00:00Z  12 s\\s+1,500\\s.*UPSTREAM_TIMEOUT$`),
    );
    expect(footer).toBe("1 of 7 runs, newest first");
  });

  it("log: the text as the API returns it; latest; --follow asks after the last seq until the run ends", async () => {
    const line = (n: number) => `line ${n} $$<SMS_WSUS_SYNC_MANAGER><05-01-2026 12:00:0${n}.000+000><thread=1 (0x1)>\n`;
    const plain = await runCli(["log", "latest"], {
      "GET /api/sync-runs": () => json({ items: [runDto()], total: 1, page: 1, pageSize: 1 }),
      "GET /api/sync-runs/:id/log": () => new Response(line(1) + line(2), { headers: { "x-log-seq": "2" } }),
    });
    expect(plain.code).toBe(0);
    expect(plain.stdout).toBe(line(1) + line(2));
    expect(plain.requests[1]!.path).toBe(`/api/sync-runs/${RUN_ID}/log`);

    const batches: Record<string, string> = { "": line(1), "1": line(2) + line(3), "3": "" };
    const followed = await runCli(["log", RUN_ID, "--follow"], {
      "GET /api/sync-runs/:id": runSequence(runDto(), runDto(), runDto({ state: "succeeded" })),
      "GET /api/sync-runs/:id/log": (r) => {
        const after = r.query.get("after") ?? "";
        const text = batches[after]!;
        const last = text ? String(Number(after || 0) + text.split("\n").length - 1) : undefined;
        return new Response(text, { headers: last ? { "x-log-seq": last } : {} });
      },
    });
    expect(followed.code).toBe(0);
    expect(followed.stdout).toBe(line(1) + line(2) + line(3));
    expect(followed.requests.filter((r) => r.path.endsWith("/log")).map((r) => r.query.get("after"))).toEqual([
      null,
      "1",
      "3",
    ]);
  });

  it("updates search: text, filters by GUID or title, limit; a table of the page", async () => {
    const update = {
      updateId: "9a0c7f3e-2d5b-4c8a-9b1e-123456789abc",
      revisionNumber: 200,
      title: "2026-05 Cumulative Update for Windows 11",
      kbArticleIds: ["5031234"],
      bulletinIds: [],
      cveIds: [],
      severity: "Critical",
      classifications: [{ id: "0fa1201d-4330-4fa8-8ae9-b877473b6441", title: "Security Updates" }],
      products: [{ id: "72e7624a-5b00-45d2-b92f-e561c0a6a160", title: "Windows 11" }],
      releaseDate: "2026-05-12T17:00:00.000Z",
      isExpired: false,
      isSuperseded: true,
      maxRunTimeMinutes: 60,
    };
    const routes = {
      "GET /api/categories": () => json(CATEGORIES),
      "GET /api/software-updates": () => json({ items: [update], total: 41, page: 1, pageSize: 5 }),
    };
    const result = await runCli(
      [
        "updates",
        "search",
        "cumulative",
        "--classification",
        "security updates",
        "--product",
        "windows 11,F702A48C-919B-45D6-9AEF-CA4248D50397",
        "--no-expired",
        "--limit",
        "5",
      ],
      routes,
    );
    expect(result.stderr).toBe("");
    const query = result.requests.at(-1)!.query;
    expect(Object.fromEntries(query)).toEqual({
      search: "cumulative",
      classification: "0fa1201d-4330-4fa8-8ae9-b877473b6441",
      product: "72e7624a-5b00-45d2-b92f-e561c0a6a160,f702a48c-919b-45d6-9aef-ca4248d50397",
      expired: "false",
      pageSize: "5",
    });
    expect(result.stdout).toMatch(
      /^KB5031234\s+2026-05 Cumulative Update for Windows 11\s+Security Updates\s+Critical\s+2026-05-12\s+superseded\s+9a0c7f3e-/m,
    );
    expect(result.stdout).toMatch(/\n1 of 41 updates\n$/);

    const ambiguous = await runCli(["updates", "search", "--product", "windows"], routes);
    expect(ambiguous.code).toBe(1);
    expect(ambiguous.stderr).toBe(
      'error: "windows" matches 3 products: "Windows 10", "Windows 11", "Windows Server 2019"; be more precise or give the GUID\n',
    );
  });
});

describe("settings", () => {
  it("get: a summary with category titles, or the JSON", async () => {
    const routes = {
      "GET /api/sup-settings": () => json(settingsDto()),
      "GET /api/categories": () => json(CATEGORIES),
    };
    const text = await runCli(["settings", "get"], routes);
    expect(text.stdout).toMatch(/^Products \(1\)\s+Windows 10 \(a3c2375d-0c8a-42f9-bce0-28333e198407\)$/m);
    expect(text.stdout).toMatch(/^Schedule\s+every 7 days \(UTC\), enabled$/m);
    expect(text.stdout).toMatch(/^Proxy\s+http:\/\/proxy:3128 as svc \(password set\)$/m);
    const asJson = await runCli(["settings", "get", "--json"], routes);
    expect(JSON.parse(asJson.stdout)).toEqual(settingsDto());
  });

  it("set: reads, sends only the touched groups whole, prints what changed", async () => {
    let sent: Record<string, unknown> = {};
    const result = await runCli(
      [
        "settings",
        "set",
        "--supersedence-months",
        "6",
        "--add-product",
        "Windows 11",
        "--remove-product",
        "a3c2375d-0c8a-42f9-bce0-28333e198407",
        "--schedule-every",
        "1",
        "--schedule-unit",
        "weeks",
        "--no-sync-failure-alert",
        "--proxy-username",
        "none",
      ],
      {
        "GET /api/sup-settings": () => json(settingsDto()),
        "GET /api/categories": () => json(CATEGORIES),
        "PUT /api/sup-settings": (r) => {
          sent = r.body as Record<string, unknown>;
          return json(
            settingsDto({
              supersedence: { ...settingsDto().supersedence, months: 6 },
              products: ["72e7624a-5b00-45d2-b92f-e561c0a6a160"],
              schedule: { kind: "simple", every: 1, unit: "weeks", timeZone: "UTC" },
              syncFailureAlert: false,
              proxy: { url: "http://proxy:3128", username: null, hasPassword: true },
              updatedAt: "2026-05-02T00:00:00.000Z",
            }),
          );
        },
      },
    );
    expect(result.stderr).toBe("");
    expect(sent).toEqual({
      products: ["72e7624a-5b00-45d2-b92f-e561c0a6a160"],
      supersedence: { expireImmediately: false, months: 6, featureExpireImmediately: false, featureMonths: 3 },
      schedule: { kind: "simple", every: 1, unit: "weeks", timeZone: "UTC" },
      syncFailureAlert: false,
      proxy: { url: "http://proxy:3128", username: null },
    });
    expect(result.stdout).toBe(
      [
        "Changed:",
        "  products: + Windows 11 (72e7624a-5b00-45d2-b92f-e561c0a6a160)",
        "  products: - Windows 10 (a3c2375d-0c8a-42f9-bce0-28333e198407)",
        "  supersedence.months: 3 → 6",
        "  schedule.every: 7 → 1",
        "  schedule.unit: days → weeks",
        "  syncFailureAlert: true → false",
        "  proxy.username: svc → none",
        "",
      ].join("\n"),
    );
  });
});
