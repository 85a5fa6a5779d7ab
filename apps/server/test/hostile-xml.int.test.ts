// Hostile XML from the upstream during a sync (issue #9): the upstream answers with a document of the wsusss hostile
// corpus (fault kinds hostile-xml and hostile-record). The run fails with a specific error code — UPSTREAM_UNSAFE_ANSWER
// for what a safety rule refuses, UPSTREAM_PROTOCOL_ERROR for what is merely malformed —, the catalog (digest, catalog
// version, anchor) is exactly as it was, and the worker goes on: the next sync, the fault removed, succeeds.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "./harness.ts";
import { readJson, startSyncTestbed, syncAndWait, type SyncTestbed, type TestServer } from "./harness.ts";
import type { UpstreamProcess } from "./upstream-process.ts";

let upstream: UpstreamProcess;
let server: TestServer;
let admin: Browser;
let testbed: SyncTestbed | undefined;

beforeAll(async () => {
  testbed = await startSyncTestbed({ upstreamEnv: { UPSTREAM_UPDATES: "200" } });
  ({ upstream, server, admin } = testbed);
  const first = await sync();
  expect(first.run.state, String(first.run.errorMessage)).toBe("succeeded");
});
afterAll(() => testbed?.stop());

const sync = () => syncAndWait(admin, {}, 90_000);

/** What must not change when a sync fails: the catalog's digest, its version and the anchor. */
async function catalogState() {
  const s = await server.db.prisma.supSettings.findUniqueOrThrow({ where: { id: 1 } });
  const q = `products=${s.products.join(",")}&classifications=${s.classifications.join(",")}`;
  const digest = await readJson(await admin.request("GET", `/api/sites/CAS/catalog/digest?${q}`));
  const sup = await server.db.prisma.softwareUpdatePoint.findFirstOrThrow({ where: { siteCode: "CAS" } });
  return { digest, catalogVersion: sup.catalogVersion, anchor: sup.anchor };
}

const CASES: { kind: string; document: string; operation: string; code: string }[] = [
  { kind: "hostile-xml", document: "billion-laughs", operation: "GetConfigData", code: "UPSTREAM_UNSAFE_ANSWER" },
  { kind: "hostile-xml", document: "external-entity", operation: "GetRevisionIdList", code: "UPSTREAM_UNSAFE_ANSWER" },
  { kind: "hostile-xml", document: "quadratic-blowup", operation: "GetCookie", code: "UPSTREAM_UNSAFE_ANSWER" },
  { kind: "hostile-xml", document: "deep-nesting", operation: "GetUpdateData", code: "UPSTREAM_UNSAFE_ANSWER" },
  { kind: "hostile-xml", document: "huge-attribute", operation: "GetUpdateData", code: "UPSTREAM_UNSAFE_ANSWER" },
  { kind: "hostile-xml", document: "many-attributes", operation: "GetAuthConfig", code: "UPSTREAM_UNSAFE_ANSWER" },
  { kind: "hostile-xml", document: "many-elements", operation: "GetUpdateData", code: "UPSTREAM_UNSAFE_ANSWER" },
  {
    kind: "hostile-xml",
    document: "processing-instruction",
    operation: "GetAuthorizationCookie",
    code: "UPSTREAM_UNSAFE_ANSWER",
  },
  { kind: "hostile-xml", document: "cdata-doctype", operation: "GetUpdateData", code: "UPSTREAM_UNSAFE_ANSWER" },
  { kind: "hostile-xml", document: "invalid-utf8", operation: "GetUpdateData", code: "UPSTREAM_PROTOCOL_ERROR" },
  { kind: "hostile-xml", document: "truncated", operation: "GetRevisionIdList", code: "UPSTREAM_PROTOCOL_ERROR" },
  { kind: "hostile-xml", document: "cdata-after-root", operation: "GetConfigData", code: "UPSTREAM_PROTOCOL_ERROR" },
  { kind: "hostile-record", document: "billion-laughs", operation: "GetUpdateData", code: "UPSTREAM_UNSAFE_ANSWER" },
];

describe("hostile XML from the upstream", () => {
  for (const { kind, document, operation, code } of CASES) {
    it(`${kind} ${document} in ${operation}: fails with ${code}, the catalog unchanged, and the next sync succeeds`, async () => {
      // Something to apply: the next period upstream.
      await upstream.admin("POST", "/admin/advance", { periods: 1 });
      const before = await catalogState();

      await upstream.admin("POST", "/admin/faults", { operation, kind, document, rate: 1 });
      const failed = await sync();
      await upstream.admin("DELETE", "/admin/faults");
      expect(failed.run, `${String(failed.run.errorMessage)}\n${failed.log}`).toMatchObject({
        state: "failed",
        errorCode: code,
      });
      expect(failed.log).toMatch(/Sync failed: /);
      expect(await catalogState()).toEqual(before);
      if (code === "UPSTREAM_UNSAFE_ANSWER") {
        // Refused as unsafe: not asked again (a malformed answer is retried, then fails).
        expect(failed.log).not.toMatch(/Retrying /);
        expect(failed.run.errorMessage).toMatch(/refused/);
      }

      const healed = await sync();
      expect(healed.run.state, `${String(healed.run.errorMessage)}\n${healed.log}`).toBe("succeeded");
      expect((await catalogState()).catalogVersion).toBe(before.catalogVersion + 1);
    });
  }
});
