// A disconnected top-level site (issue #11): two independent Syncpoint instances — A syncs from the embedded upstream,
// B has its own database, no upstream (EMBEDDED_UPSTREAM=0) and the sync source "Do not synchronize…". A's catalog
// travels to B in update packages: exported over HTTP, uploaded (verified as it streams in) and applied by a run with
// phases, log and counts, after which both catalogs have the same digest and B has A's catalog version. Corrupted,
// truncated, older, oversized and mismatched packages are refused with their own code and change nothing. The CLI's
// `export` and `import` do the same as child processes, with their exit codes.
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { gunzipSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SUP_SETTINGS } from "../src/services/seed.ts";
import { PackageSession } from "../src/sync/package-session.ts";
import {
  Browser,
  hierarchySettled,
  readJson,
  startSyncTestbed,
  startTestServer,
  startWorker,
  syncAndWait,
  type SyncTestbed,
  type TestServer,
} from "./harness.ts";
import { runCli, type CliResult } from "./cli-process.ts";
import { waitFor } from "./processes.ts";

let a: SyncTestbed;
let b: TestServer;
let adminB: Browser;
let stopWorkerB: () => Promise<void>;
let dataDirA: string;
let dataDirB: string;
let tokenA: string;
let tokenB: string;
let catalogOnlyUpdate: { updateId: string; kb: string };

const filterQuery = `products=${DEFAULT_SUP_SETTINGS.products.join(",")}&classifications=${DEFAULT_SUP_SETTINGS.classifications.join(",")}`;
/** Tables a refused request may write: the audit record, the session's last-seen time, heartbeats. */
const UNCHECKED_TABLES = new Set(["audit_events", "login_failures", "login_lockouts", "sessions", "worker_heartbeats"]);

beforeAll(async () => {
  dataDirA = await mkdtemp(path.join(tmpdir(), "syncpoint-a-"));
  dataDirB = await mkdtemp(path.join(tmpdir(), "syncpoint-b-"));
  a = await startSyncTestbed({ serverEnv: { DATA_DIR: dataDirA } });
  const first = await syncAndWait(a.admin);
  expect(first.run.state).toBe("succeeded");
  // A catalog-only update imported at A: the package carries it, and B keeps it whatever its selection.
  const search = await readJson(await a.admin.request("GET", "/api/catalog/search?q=out-of-band"));
  const hit = (
    search.items as { updateId: string; revisionNumber: number; catalogOnly: boolean; kbArticleIds: string[] }[]
  ).find((h) => h.catalogOnly)!;
  catalogOnlyUpdate = { updateId: hit.updateId, kb: hit.kbArticleIds[0]! };
  const imported = await readJson(
    await a.admin.request("POST", "/api/imported-updates", {
      updates: [{ updateId: hit.updateId, revisionNumber: hit.revisionNumber }],
    }),
  );
  await runEnded(a.admin, imported.runId);

  b = await startTestServer({
    env: { DATA_DIR: dataDirB, EMBEDDED_UPSTREAM: "0", MICROSOFT_UPDATE_URL: "http://127.0.0.1:9" },
  });
  stopWorkerB = await startWorker(b);
  adminB = new Browser(b.url);
  await adminB.login();
  tokenA = (await readJson(await a.admin.request("POST", "/api/tokens", { name: "package test" }))).secret;
  tokenB = (await readJson(await adminB.request("POST", "/api/tokens", { name: "package test" }))).secret;
});
afterAll(async () => {
  await stopWorkerB?.();
  await b?.close();
  await a?.stop();
  for (const dir of [dataDirA, dataDirB]) if (dir) await rm(dir, { recursive: true, force: true });
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the run as the API returns it, for assertions
async function runEnded(browser: Browser, runId: string): Promise<any> {
  let run = { state: "queued" } as { state: string };
  await waitFor(
    async () => {
      run = await readJson(await browser.request("GET", `/api/sync-runs/${runId}`));
      return ["succeeded", "failed", "canceled"].includes(run.state);
    },
    90_000,
    `run ${runId} to end`,
  );
  return run;
}

async function exportFrom(testbed: SyncTestbed): Promise<{ bytes: Buffer; response: Response }> {
  const response = await testbed.admin.request("GET", "/api/sites/CAS/update-package");
  expect(response.status).toBe(200);
  return { bytes: Buffer.from(await response.arrayBuffer()), response };
}

/** An upload as the console sends it: the session cookie, the file as the body. */
function upload(
  bytes: Buffer | ReadableStream<Uint8Array>,
  headers: Record<string, string> = {},
  fileName = "pkg.ndjson.gz",
) {
  return fetch(`${b.url}/api/update-packages?fileName=${encodeURIComponent(fileName)}`, {
    method: "POST",
    headers: { cookie: adminB.sessionCookie!, "content-type": "application/gzip", ...headers },
    body: bytes,
    ...(bytes instanceof Buffer ? {} : { duplex: "half" }),
  } as RequestInit);
}

async function digest(browser: Browser, query = filterQuery): Promise<{ count: number; digest: string }> {
  return readJson(await browser.request("GET", `/api/sites/CAS/catalog/digest?${query}`));
}

async function tableChecksums(server: TestServer): Promise<Map<string, string>> {
  const tables = await server.db.prisma.$queryRaw<{ name: string }[]>`
    SELECT table_name AS name FROM information_schema.tables
    WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`;
  const sql = tables
    .map((t) => t.name)
    .filter((name) => !UNCHECKED_TABLES.has(name))
    .map(
      (name) =>
        `SELECT '${name}' AS name, count(*) || ':' || coalesce(sum(hashtextextended(x::text, 0)), 0) AS sum FROM "${name}" x`,
    )
    .join(" UNION ALL ");
  const { rows } = await server.ctx.pool.query<{ name: string; sum: string }>(sql);
  return new Map(rows.map((r) => [r.name, r.sum]));
}

const setSourceB = (syncSource: string) => adminB.request("PUT", "/api/sup-settings", { syncSource });

let packageV1: Buffer;
let packageV2: Buffer;

describe("update packages between two independent instances", () => {
  it("exports a site's catalog as a gzip NDJSON package with a manifest, streamed as an attachment", async () => {
    const { bytes, response } = await exportFrom(a);
    packageV1 = bytes;
    expect(response.headers.get("content-type")).toBe("application/gzip");
    expect(response.headers.get("content-disposition")).toMatch(
      /^attachment; filename="syncpoint-CAS-v2-\d{8}\.ndjson\.gz"$/,
    );
    expect(response.headers.get("x-syncpoint-catalog-version")).toBe("2");
    const lines = gunzipSync(bytes)
      .toString("utf8")
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    const manifest = lines[0];
    expect(manifest).toMatchObject({
      type: "manifest",
      format: "syncpoint-update-package",
      formatVersion: 1,
      source: { siteCode: "CAS" },
      catalogVersion: 2,
      languages: ["en"],
    });
    expect(manifest.filter.products.map((p: { id: string }) => p.id).sort()).toEqual(
      [...DEFAULT_SUP_SETTINGS.products].sort(),
    );
    expect(manifest.filter.products.map((p: { title: string }) => p.title)).toContain("Windows 11");
    const updates = lines.filter((l) => l.type === "update");
    expect(updates).toHaveLength(manifest.counts.updates);
    expect(manifest.counts.updates).toBe((await digest(a.admin, "")).count);
    expect(updates.filter((u) => u.imported).map((u) => u.updateId)).toEqual([catalogOnlyUpdate.updateId]);
    expect(lines.at(-1)).toMatchObject({ type: "end", counts: manifest.counts });
  });

  it("refuses an upload while the top-level site synchronizes from an upstream, before reading it", async () => {
    const before = await tableChecksums(b);
    const response = await upload(packageV1);
    expect(response.status).toBe(409);
    expect((await readJson(response)).error.code).toBe("SITE_NOT_DISCONNECTED");
    expect(await tableChecksums(b)).toEqual(before);
  });

  it("verifies an upload to the disconnected site and applies it like a sync: B's digest equals A's", async () => {
    expect((await setSourceB("disconnected")).status).toBe(200);
    const response = await upload(packageV1);
    expect(response.status, await response.clone().text()).toBe(201);
    const pkg = await readJson(response);
    expect(pkg).toMatchObject({
      fileName: "pkg.ndjson.gz",
      sizeBytes: packageV1.length,
      state: "verified",
      uploadedBy: "admin",
      manifest: { catalogVersion: 2, source: { siteCode: "CAS" }, counts: { imported: 1 } },
      lastRun: null,
    });
    expect((await readJson(await adminB.request("GET", "/api/update-packages"))).items[0].id).toBe(pkg.id);

    const applied = await adminB.request("POST", `/api/update-packages/${pkg.id}/apply`, {});
    expect(applied.status).toBe(202);
    const { runId } = await readJson(applied);
    const run = await runEnded(adminB, runId);
    expect(run).toMatchObject({
      state: "succeeded",
      trigger: "import",
      packageId: pkg.id,
      catalogVersionBefore: 0,
      catalogVersionAfter: 2,
      phase: "notify",
    });
    expect(run.counts.new).toBe(pkg.manifest.counts.updates);
    const log = await (await adminB.request("GET", `/api/sync-runs/${runId}/log`)).text();
    expect(log).toContain("Performing sync on import request (full sync)");
    expect(log).toContain("Synchronizing WSUS server update package pkg.ndjson.gz");
    expect(log).toMatch(/sync: WSUS synchronizing updates, processed (\d+) out of \1 items \(100%\)/);
    expect(log).toContain("new update source content version is 2");
    const messages = (await readJson(await adminB.request("GET", "/api/status-messages?site=CAS"))).items as {
      messageId: number;
    }[];
    expect(messages.map((m) => m.messageId)).toEqual(expect.arrayContaining([6701, 6704, 6705, 6702]));

    expect(await digest(adminB)).toEqual(await digest(a.admin));
    expect(await digest(adminB, "")).toEqual(await digest(a.admin, ""));
    expect((await digest(adminB)).count).toBeGreaterThan(100);
    // The catalog-only update imported at A is an imported update at B too.
    const importedB = (await readJson(await adminB.request("GET", "/api/imported-updates"))).items as {
      updateId: string;
      state: string;
      reason: string;
    }[];
    expect(importedB).toEqual([
      expect.objectContaining({ updateId: catalogOnlyUpdate.updateId, state: "imported", reason: "basket" }),
    ]);
    const status = (await readJson(await adminB.request("GET", "/api/sup-sync-status"))).items.find(
      (r: { siteCode: string }) => r.siteCode === "CAS",
    );
    expect(status).toMatchObject({ catalogVersion: 2, state: "succeeded", syncSource: "disconnected" });
    expect((await readJson(await adminB.request("GET", `/api/update-packages/${pkg.id}`))).state).toBe("applied");
    // Child sites sync from the disconnected site's SUP endpoint as always.
    await hierarchySettled(adminB);
  });

  it("applies the next package: revisions, expirations and the catalog version follow A's", async () => {
    await a.upstream.admin("POST", "/admin/advance", { periods: 1 });
    expect((await syncAndWait(a.admin)).run.state).toBe("succeeded");
    packageV2 = (await exportFrom(a)).bytes;
    const pkg = await readJson(await upload(packageV2, {}, "v3.ndjson.gz"));
    expect(pkg.manifest.catalogVersion).toBe(3);
    const { runId } = await readJson(await adminB.request("POST", `/api/update-packages/${pkg.id}/apply`, {}));
    const run = await runEnded(adminB, runId);
    expect(run).toMatchObject({ state: "succeeded", catalogVersionBefore: 2, catalogVersionAfter: 3 });
    expect(run.counts.new + run.counts.revised + run.counts.expired).toBeGreaterThan(0);
    expect(await digest(adminB)).toEqual(await digest(a.admin));
    await hierarchySettled(adminB);
  });

  describe("refusals change nothing", () => {
    let before: Map<string, string>;
    beforeAll(async () => {
      await hierarchySettled(adminB);
      before = await tableChecksums(b);
    });
    const refused = async (response: Response, status: number, code: string) => {
      const body = await readJson(response);
      expect(response.status, JSON.stringify(body)).toBe(status);
      expect(body.error.code).toBe(code);
      expect(await tableChecksums(b)).toEqual(before);
      const files = await readdir(path.join(dataDirB, "packages"));
      expect(files.filter((f) => f.endsWith(".uploading"))).toEqual([]);
      expect(files).toHaveLength(2);
      return body.error as { message: string; details?: Record<string, unknown> };
    };

    it("a corrupted package", async () => {
      const damaged = Buffer.from(packageV2);
      // Damage past the manifest line: a garbled first line reads as a file that is not a package (refused too, as
      // PACKAGE_FORMAT_UNSUPPORTED, before the gzip check sees the damage), which made this test depend on where
      // the manifest's bytes ended in each run's package.
      for (let at = damaged.length >> 1; at < damaged.length; at += 997) damaged[at]! ^= 0x5a;
      const error = await refused(await upload(damaged), 422, "PACKAGE_CORRUPT");
      expect(error.message).toMatch(/not valid gzip data or is damaged|not valid|^Line \d+ of the package: /);
    });

    it("a truncated package", async () => {
      const error = await refused(
        await upload(packageV2.subarray(0, Math.floor(packageV2.length * 0.7))),
        422,
        "PACKAGE_TRUNCATED",
      );
      expect(error.message).toMatch(/incomplete/);
      const empty = await refused(await upload(Buffer.alloc(0)), 422, "PACKAGE_TRUNCATED");
      expect(empty.message).toBe("The upload is empty: send the package file as the request body.");
    });

    it("a package whose lines no longer match its checksum", async () => {
      const lines = gunzipSync(packageV2).toString("utf8").split("\n");
      lines[0] = lines[0]!.replace('"generator":"Syncpoint', '"generator":"Someone');
      await refused(await upload(gzipSync(lines.join("\n"))), 422, "PACKAGE_CHECKSUM_MISMATCH");
    });

    it("a package of a newer format version, and a file that is not a package", async () => {
      const lines = gunzipSync(packageV2).toString("utf8").split("\n");
      lines[0] = lines[0]!.replace('"formatVersion":1', '"formatVersion":7');
      const error = await refused(await upload(gzipSync(lines.join("\n"))), 422, "PACKAGE_FORMAT_UNSUPPORTED");
      expect(error.message).toContain("format version 7; this Syncpoint reads format version 1");
      await refused(await upload(gzipSync("Title,KB\n")), 422, "PACKAGE_FORMAT_UNSUPPORTED");
    });

    it("an older package than the site has", async () => {
      const error = await refused(await upload(packageV1), 409, "PACKAGE_OLDER_THAN_CATALOG");
      expect(error.message).toBe(
        "This package holds catalog version 2; CAS already has version 3. Export a newer package.",
      );
    });

    it("a package past PACKAGE_MAX_BYTES, declared or streamed", async () => {
      const limit = b.ctx.config.PACKAGE_MAX_BYTES;
      b.ctx.config.PACKAGE_MAX_BYTES = 10_000;
      try {
        const declared = await refused(await upload(packageV2), 413, "PACKAGE_TOO_LARGE");
        expect(declared.message).toMatch(/PACKAGE_MAX_BYTES/);
        const stream = Readable.toWeb(Readable.from([packageV2.subarray(0, 8_000), packageV2.subarray(8_000)]));
        await refused(await upload(stream as ReadableStream<Uint8Array>), 413, "PACKAGE_TOO_LARGE");
      } finally {
        b.ctx.config.PACKAGE_MAX_BYTES = limit;
      }
    });

    it("a package that lacks a product the site selects, named in words", async () => {
      const products = (await readJson(await adminB.request("GET", "/api/categories?type=product"))).items as {
        id: string;
        type: string;
        title: string;
      }[];
      const extra = products.find((p) => p.type === "Product" && !DEFAULT_SUP_SETTINGS.products.includes(p.id))!;
      const put = await adminB.request("PUT", "/api/sup-settings", {
        products: [...DEFAULT_SUP_SETTINGS.products, extra.id],
      });
      expect(put.status).toBe(200);
      before = await tableChecksums(b);
      try {
        const error = await refused(await upload(packageV2), 422, "PACKAGE_FILTER_MISMATCH");
        expect(error.message).toContain(`the products ${extra.title}`);
        expect(error.details?.missingProducts).toEqual([{ id: extra.id, title: extra.title }]);
      } finally {
        await adminB.request("PUT", "/api/sup-settings", { products: DEFAULT_SUP_SETTINGS.products });
        before = await tableChecksums(b);
      }
    });

    it("anything but the package as the body, and a cross-site upload", async () => {
      await refused(await upload(packageV2, { "content-type": "application/json" }), 415, "UNSUPPORTED_MEDIA_TYPE");
      await refused(await upload(packageV2, { "content-type": "text/plain" }), 415, "UNSUPPORTED_MEDIA_TYPE");
      await refused(await upload(packageV2, { "content-encoding": "gzip" }), 415, "UNSUPPORTED_MEDIA_TYPE");
      await refused(await upload(packageV2, { origin: "https://evil.example" }), 403, "FORBIDDEN");
    });
  });
});

/** The real CLI as a child process, against `url` with `token`. */
function cli(args: string[], url: string, token: string): Promise<CliResult> {
  return runCli(args, { SYNCPOINT_URL: url, SYNCPOINT_TOKEN: token, INIT_CWD: dataDirA }, 90_000);
}

describe("syncpoint export and import", () => {
  it("export writes the package file; import verifies, applies and follows the run to Succeeded (exit 0)", async () => {
    await a.upstream.admin("POST", "/admin/advance", { periods: 1 });
    expect((await syncAndWait(a.admin)).run.state).toBe("succeeded");
    const exported = await cli(["export", "cas.ndjson.gz"], a.server.url, tokenA);
    expect(exported.stderr).toBe("");
    expect(exported.code).toBe(0);
    expect(exported.stdout).toMatch(
      /^Exported CAS's catalog, version 4 \(\d+ categories, \d+ updates, 1 imported\), to cas\.ndjson\.gz \([\d.]+ KiB\)\.$/m,
    );
    const file = path.join(dataDirA, "cas.ndjson.gz");
    expect(
      JSON.parse(
        gunzipSync(await readFile(file))
          .toString("utf8")
          .split("\n")[0]!,
      ),
    ).toMatchObject({
      catalogVersion: 4,
    });
    expect((await readdir(dataDirA)).filter((f) => f.endsWith(".partial"))).toEqual([]);

    const imported = await cli(["import", "cas.ndjson.gz"], b.url, tokenB);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(/^Verified cas\.ndjson\.gz \([\d.]+ KiB\): catalog version 4 of CAS/m);
    expect(imported.stdout).toMatch(/^ {2}products: .*Windows 11/m);
    expect(imported.stdout).toMatch(/^Applying the package: run [0-9a-f-]{36}$/m);
    expect(imported.stdout.trim().split("\n").at(-1)).toMatch(/^Succeeded in .*; catalog version 3 → 4$/);
    expect(await digest(adminB)).toEqual(await digest(a.admin));
    await hierarchySettled(adminB);
  });

  it("--json everywhere; a damaged package fails with its code (exit 1), an older one too", async () => {
    const json = await cli(["--json", "export", "again.ndjson.gz"], a.server.url, tokenA);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ siteCode: "CAS", catalogVersion: 4 });

    const bytes = await readFile(path.join(dataDirA, "again.ndjson.gz"));
    await writeFile(path.join(dataDirA, "cut.ndjson.gz"), bytes.subarray(0, Math.floor(bytes.length / 2)));
    const cut = await cli(["import", "cut.ndjson.gz"], b.url, tokenB);
    expect(cut.code).toBe(1);
    expect(cut.stdout).toBe("");
    expect(cut.stderr).toMatch(/^error: PACKAGE_TRUNCATED: /);

    const verifyOnly = await cli(["--json", "import", "--no-apply", "again.ndjson.gz"], b.url, tokenB);
    expect(verifyOnly.code, verifyOnly.stderr).toBe(0);
    expect(JSON.parse(verifyOnly.stdout)).toMatchObject({ state: "verified", manifest: { catalogVersion: 4 } });

    await writeFile(path.join(dataDirA, "old.ndjson.gz"), packageV1);
    const old = await cli(["import", "old.ndjson.gz"], b.url, tokenB);
    expect(old.code).toBe(1);
    expect(old.stderr).toContain("error: PACKAGE_OLDER_THAN_CATALOG: This package holds catalog version 2");
  });
});

describe("the package session", () => {
  it("serves documents in list order in one pass, and one asked for again from the top", async () => {
    const packages = (await readJson(await adminB.request("GET", "/api/update-packages?pageSize=500"))).items as {
      id: string;
      state: string;
      manifest: { catalogVersion: number };
    }[];
    const latest = packages.find((p) => p.state === "applied" && p.manifest.catalogVersion === 4)!;
    const session = new PackageSession(b.ctx, { packageId: latest.id, siteCode: "CAS" });
    try {
      await session.authorize();
      expect((await session.getConfigData()).newConfigAnchor).toMatch(/^4,/);
      const categories = await session.getRevisionIdList({ getConfig: true });
      expect(categories.revisions.length).toBeGreaterThan(10);
      const filter = {
        getConfig: false,
        categories: DEFAULT_SUP_SETTINGS.products.map((id) => ({ id, delta: false })),
        classifications: DEFAULT_SUP_SETTINGS.classifications.map((id) => ({ id, delta: false })),
      };
      const list = await session.getRevisionIdList(filter);
      expect(list.revisions.length).toBe((await digest(adminB)).count);
      expect(session.importedRevisions().map((i) => i.updateId)).toEqual([catalogOnlyUpdate.updateId]);
      // Pipelined as the engine asks: batches in list order, the second asked before the first is answered.
      const [first, second] = await Promise.all([
        session.getUpdateData(list.revisions.slice(0, 100)),
        session.getUpdateData(list.revisions.slice(150, 250)),
      ]);
      expect(first.updates.map((u) => u.identity)).toEqual(list.revisions.slice(0, 100));
      expect(second.updates.map((u) => u.identity)).toEqual(list.revisions.slice(150, 250));
      // A document retried on its own, behind the cursor: read again from the top.
      const again = await session.getUpdateData([list.revisions[3]!]);
      expect(again.updates[0]!.xml).toBe(first.updates[3]!.xml);
      expect(again.updates[0]!.xml).toContain(list.revisions[3]!.updateId);
      const missing = { updateId: "00000000-0000-4000-8000-000000000000", revisionNumber: 1 };
      await expect(session.getUpdateData([missing])).rejects.toMatchObject({ code: "PACKAGE_CORRUPT" });
    } finally {
      await session.close();
    }
  });
});
