// Upstream faults during a sync (sync-engine issue): for each fault kind, at rate 0.3 the run retries and succeeds
// with digests equal to the upstream's; at rate 1 it ends failed with that kind's error code and the catalog exactly
// as it was.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "./harness.ts";
import { readJson, syncAndWait, type TestServer, startSyncTestbed, type SyncTestbed } from "./harness.ts";
import type { UpstreamProcess } from "./upstream-process.ts";

let upstream: UpstreamProcess;
let server: TestServer;
let admin: Browser;
let testbed: SyncTestbed | undefined;

beforeAll(async () => {
  testbed = await startSyncTestbed({
    upstreamEnv: { UPSTREAM_UPDATES: "300" },
    serverEnv: { UPSTREAM_TIMEOUT_MS: "400", RETRY_ATTEMPTS: "10" },
  });
  ({ upstream, server, admin } = testbed);
  const first = await sync();
  expect(first.run.state).toBe("succeeded");
});
afterAll(() => testbed?.stop());

const sync = () => syncAndWait(admin, {}, 90_000);

async function ourDigest() {
  const s = await server.db.prisma.supSettings.findUniqueOrThrow({ where: { id: 1 } });
  const q = `products=${s.products.join(",")}&classifications=${s.classifications.join(",")}`;
  return { ours: await readJson(await admin.request("GET", `/api/sites/CAS/catalog/digest?${q}`)), q };
}

const KINDS: { kind: string; operation: string; code: string; extra?: Record<string, unknown> }[] = [
  { kind: "http-5xx", operation: "GetUpdateData", code: "UPSTREAM_HTTP_ERROR" },
  { kind: "reset", operation: "GetUpdateData", code: "UPSTREAM_UNREACHABLE" },
  {
    kind: "soap-fault",
    operation: "GetUpdateData",
    code: "UPSTREAM_SOAP_FAULT",
    extra: { errorCode: "InternalServerError" },
  },
  { kind: "invalid-cookie", operation: "GetRevisionIdList", code: "UPSTREAM_AUTH_FAILED" },
  { kind: "malformed", operation: "GetUpdateData", code: "UPSTREAM_PROTOCOL_ERROR" },
  { kind: "truncated", operation: "GetUpdateData", code: "UPSTREAM_PROTOCOL_ERROR" },
  { kind: "bad-record", operation: "GetUpdateData", code: "UPSTREAM_BAD_RECORD" },
  { kind: "latency", operation: "GetUpdateData", code: "UPSTREAM_TIMEOUT", extra: { latencyMs: 1_000 } },
  { kind: "slow-drip", operation: "GetUpdateData", code: "UPSTREAM_TIMEOUT", extra: { latencyMs: 1_000 } },
];

describe("upstream faults during a sync", () => {
  for (const { kind, operation, code, extra } of KINDS) {
    it(`${kind}: fails with ${code} at rate 1 leaving the catalog as it was; succeeds with retries at rate 0.3`, async () => {
      // Something to apply: the next period upstream.
      await upstream.admin("POST", "/admin/advance", { periods: 1 });
      const before = await ourDigest();

      await upstream.admin("POST", "/admin/faults", { operation, kind, rate: 1, ...extra });
      const failed = await sync();
      await upstream.admin("DELETE", "/admin/faults");
      expect(failed.run, String(failed.run.errorMessage)).toMatchObject({ state: "failed", errorCode: code });
      expect((await ourDigest()).ours).toEqual(before.ours);

      // At 0.3 on every operation a run meets several faults (the faults' random sequence is seeded). Bad records
      // only exist in GetUpdateData answers, of which a delta makes few: sync again (after another period) until a
      // fault was met — every one of those runs must succeed.
      await upstream.admin("POST", "/admin/faults", {
        operation: kind === "bad-record" ? operation : "*",
        kind,
        rate: 0.3,
        ...extra,
      });
      let retried = false;
      for (let attempt = 0; attempt < 4 && !retried; attempt++) {
        if (attempt > 0) await upstream.admin("POST", "/admin/advance", { periods: 1 });
        const healed = await sync();
        expect(healed.run.state, `${String(healed.run.errorMessage)}\n${healed.log}`).toBe("succeeded");
        retried = /Retrying /.test(healed.log) || kind === "invalid-cookie";
      }
      await upstream.admin("DELETE", "/admin/faults");
      expect(retried).toBe(true);
      const after = await ourDigest();
      expect(after.ours).toEqual(await upstream.admin("GET", `/admin/digest?${after.q}`));
    });
  }
});
