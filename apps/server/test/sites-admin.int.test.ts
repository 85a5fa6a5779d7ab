// Administration › Sites (console issue, server side): adding, changing and removing child sites under Configuration
// Manager's rules (domain.md §1) — codes, parents, the 25/250 limits, immutable fields, what a removal refuses and what
// it takes with it —, the audit records, and the status rows pushed to live consoles. Also the status list's filters
// and summary, which a 6 276-site hierarchy needs.
import { SiteDto, SiteTree, SupSyncStatusList, type SupSyncStatusRow } from "@syncpoint/contracts";
import { io as connect, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addCatalogUpdate, Browser, readJson, startTestServer, type TestServer } from "./harness.ts";
import { waitFor } from "./processes.ts";

let server: TestServer;
let admin: Browser;
let socket: Socket;
/** Every `sup-status` event a signed-in console received. */
const events: (SupSyncStatusRow & { seq: number })[] = [];

beforeAll(async () => {
  server = await startTestServer();
  admin = new Browser(server.url);
  await admin.login();
  socket = connect(server.url, {
    transports: ["websocket"],
    reconnection: false,
    extraHeaders: { cookie: admin.sessionCookie! },
  });
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("connect_error", reject);
  });
  socket.on("sup-status", (row) => void events.push(row as unknown as SupSyncStatusRow & { seq: number }));
});
afterAll(async () => {
  socket?.disconnect();
  await server?.close();
});

const sup = (code: string) => ({ serverName: `${code.toLowerCase()}-sup01.corp.contoso.com` });
const create = (body: unknown) => admin.request("POST", "/api/sites", body);
const patch = (code: string, body: unknown) => admin.request("PATCH", `/api/sites/${code}`, body);
const remove = (code: string) => admin.request("DELETE", `/api/sites/${code}`);

async function expectError(response: Response, status: number, code: string, message?: RegExp) {
  const body = await readJson(response);
  expect(response.status, JSON.stringify(body)).toBe(status);
  expect(body.error.code).toBe(code);
  if (message) expect(body.error.message).toMatch(message);
  return body.error;
}

const lastAudit = (action: string) =>
  server.db.prisma.auditEvent.findFirstOrThrow({ where: { action }, orderBy: { id: "desc" } });

/** Sites made directly in the database: the rules are about the count, not about how the siblings came. */
async function addSites(parentCode: string, type: "primary" | "secondary", codes: string[]) {
  for (const code of codes) {
    await server.db.prisma.site.create({
      data: {
        code,
        name: `Site ${code}`,
        type,
        parentCode,
        sups: { create: { serverName: `${code.toLowerCase()}-sup01.corp.contoso.com`, syncSource: "parent" } },
      },
    });
  }
}

describe("POST /api/sites", () => {
  it("adds a primary under the central site with its software update point, audited and pushed to consoles", async () => {
    const response = await create({
      code: "p03",
      name: "Primary Site 03",
      type: "primary",
      parentCode: "CAS",
      sup: { serverName: "P03-SUP01.corp.contoso.com", useSsl: true },
    });
    expect(response.status).toBe(201);
    const site = SiteDto.parse(await readJson(response));
    expect(site).toMatchObject({ code: "P03", name: "Primary Site 03", type: "primary", parentCode: "CAS" });
    // Stored in lower case; WSUS's default ports; child sites synchronize from their parent.
    expect(site.sups).toEqual([
      {
        serverName: "p03-sup01.corp.contoso.com",
        syncSource: "parent",
        catalogVersion: 0,
        port: 8530,
        sslPort: 8531,
        useSsl: true,
      },
    ]);

    const tree = SiteTree.parse(await readJson(await admin.request("GET", "/api/sites")));
    expect(tree.items[0]!.children.map((c) => c.code)).toEqual(["P01", "P02", "P03"]);

    const audit = await lastAudit("site.create");
    expect(audit).toMatchObject({ outcome: "success", targetType: "site", targetId: "P03", actorUsername: "admin" });
    expect(audit.after).toMatchObject({
      code: "P03",
      parentCode: "CAS",
      sups: [{ serverName: site.sups[0]!.serverName }],
    });

    await waitFor(() => events.some((e) => e.siteCode === "P03"), 5_000, "the new site's sup-status event");
    expect(events.find((e) => e.siteCode === "P03")).toMatchObject({
      parentCode: "CAS",
      supServer: "p03-sup01.corp.contoso.com",
      state: "never",
      syncSource: "parent",
    });
  });

  it("adds a secondary under a primary with exactly one software update point", async () => {
    const response = await create({
      code: "S03",
      name: "Secondary Site 03",
      type: "secondary",
      parentCode: "P03",
      sup: { ...sup("S03"), port: 80, sslPort: 443 },
    });
    expect(response.status).toBe(201);
    const site = SiteDto.parse(await readJson(response));
    expect(site.sups).toHaveLength(1);
    expect(site.sups[0]).toMatchObject({ port: 80, sslPort: 443, useSsl: false });
    // A secondary has one SUP: the request names one server, not a list.
    await expectError(
      await create({ code: "S04", name: "S", type: "secondary", parentCode: "P03", sup: [sup("S04"), sup("S05")] }),
      400,
      "VALIDATION_FAILED",
      /^body\.sup/,
    );
  });

  it("refuses a code that is not three letters or digits, naming the field", async () => {
    for (const code of ["P1", "P001", "P-1", ""]) {
      const error = await expectError(
        await create({ code, name: "x", type: "primary", parentCode: "CAS", sup: sup("PXX") }),
        400,
        "VALIDATION_FAILED",
      );
      expect(error.details.fields[0].field).toBe("body.code");
    }
  });

  it("refuses a code already in use with SITE_CODE_TAKEN", async () => {
    const error = await expectError(
      await create({ code: "s01", name: "Again", type: "secondary", parentCode: "P02", sup: sup("S01b") }),
      409,
      "SITE_CODE_TAKEN",
      /S01/,
    );
    expect(error.details.fields[0].field).toBe("body.code");
    const audit = await lastAudit("site.create");
    expect(audit).toMatchObject({ outcome: "failure", errorCode: "SITE_CODE_TAKEN", targetId: "S01" });
  });

  it("puts a primary only under the central site and a secondary only under a primary", async () => {
    await expectError(
      await create({ code: "P09", name: "x", type: "primary", parentCode: "P01", sup: sup("P09") }),
      400,
      "VALIDATION_FAILED",
      /^body\.parentCode: a primary site's parent is the central administration site/,
    );
    await expectError(
      await create({ code: "S09", name: "x", type: "secondary", parentCode: "CAS", sup: sup("S09") }),
      400,
      "VALIDATION_FAILED",
      /^body\.parentCode: a secondary site's parent is a primary site/,
    );
    await expectError(
      await create({ code: "S09", name: "x", type: "secondary", parentCode: "S01", sup: sup("S09") }),
      400,
      "VALIDATION_FAILED",
      /^body\.parentCode/,
    );
    await expectError(
      await create({ code: "S09", name: "x", type: "secondary", parentCode: "ZZZ", sup: sup("S09") }),
      400,
      "VALIDATION_FAILED",
      /^body\.parentCode: there is no site ZZZ/,
    );
    // Only child sites are created here: a second central site is not a thing.
    await expectError(
      await create({ code: "CA2", name: "x", type: "central", parentCode: "CAS", sup: sup("CA2") }),
      400,
      "VALIDATION_FAILED",
      /^body\.type/,
    );
  });

  it("validates the software update point's server name and ports, naming the field", async () => {
    const cases: [unknown, string][] = [
      [{ serverName: "not a host" }, "body.sup.serverName"],
      [{ serverName: "ok.example.com", port: 0 }, "body.sup.port"],
      [{ serverName: "ok.example.com", sslPort: 70000 }, "body.sup.sslPort"],
      [{ serverName: "ok.example.com", port: 8531 }, "body.sup.sslPort"],
      [{ serverName: "ok.example.com", extra: 1 }, "body.sup"],
    ];
    for (const [value, field] of cases) {
      const error = await expectError(
        await create({ code: "P08", name: "x", type: "primary", parentCode: "CAS", sup: value }),
        400,
        "VALIDATION_FAILED",
      );
      expect(error.details.fields[0].field, JSON.stringify(value)).toBe(field);
    }
  });

  it("allows 25 primaries under a central site; the 26th is refused with SITE_LIMIT_REACHED", async () => {
    // P01, P02 (seed) and P03 exist; 21 more through the database, the 25th through the API.
    const codes = Array.from({ length: 21 }, (_, i) => `Q${String(i + 10)}`);
    await addSites("CAS", "primary", codes);
    expect(
      (await create({ code: "Q99", name: "25th", type: "primary", parentCode: "CAS", sup: sup("Q99") })).status,
    ).toBe(201);
    expect(await server.db.prisma.site.count({ where: { parentCode: "CAS" } })).toBe(25);
    const error = await expectError(
      await create({ code: "Q98", name: "26th", type: "primary", parentCode: "CAS", sup: sup("Q98") }),
      409,
      "SITE_LIMIT_REACHED",
      /CAS already has 25 primary sites; a central administration site can have at most 25/,
    );
    expect(error.details).toEqual({ parentCode: "CAS", limit: 25, count: 25 });
    expect(await server.db.prisma.site.findUnique({ where: { code: "Q98" } })).toBeNull();
  });

  it("allows 250 secondaries under a primary; the 251st is refused with SITE_LIMIT_REACHED", async () => {
    const codes = Array.from({ length: 249 }, (_, i) => `T${i.toString(36).toUpperCase().padStart(2, "0")}`);
    await addSites("Q10", "secondary", codes);
    expect(
      (await create({ code: "U00", name: "250th", type: "secondary", parentCode: "Q10", sup: sup("U00") })).status,
    ).toBe(201);
    await expectError(
      await create({ code: "U01", name: "251st", type: "secondary", parentCode: "Q10", sup: sup("U01") }),
      409,
      "SITE_LIMIT_REACHED",
      /Q10 already has 250 secondary sites; a primary site can have at most 250/,
    );
  });

  it("keeps exactly 25 primaries when many are requested at once", async () => {
    expect((await remove("Q99")).status).toBe(204);
    const attempts = await Promise.all(
      ["R01", "R02", "R03", "R04"].map((code) =>
        create({ code, name: code, type: "primary", parentCode: "CAS", sup: sup(code) }),
      ),
    );
    expect(attempts.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
    expect(await server.db.prisma.site.count({ where: { parentCode: "CAS" } })).toBe(25);
  });
});

describe("PATCH /api/sites/:code", () => {
  it("changes the name and the software update point's server, ports and SSL, audited with before and after", async () => {
    const response = await patch("s03", {
      name: "Secondary Site 03 (Lyon)",
      sup: { serverName: "s03-wsus.corp.contoso.com", port: 8530, sslPort: 8531, useSsl: true },
    });
    expect(response.status).toBe(200);
    const site = SiteDto.parse(await readJson(response));
    expect(site).toMatchObject({ code: "S03", name: "Secondary Site 03 (Lyon)", type: "secondary", parentCode: "P03" });
    expect(site.sups).toEqual([
      expect.objectContaining({ serverName: "s03-wsus.corp.contoso.com", port: 8530, sslPort: 8531, useSsl: true }),
    ]);
    const audit = await lastAudit("site.update");
    expect(audit).toMatchObject({ outcome: "success", targetId: "S03" });
    expect(audit.before).toMatchObject({
      name: "Secondary Site 03",
      sups: [{ serverName: "s03-sup01.corp.contoso.com" }],
    });
    expect(audit.after).toMatchObject({
      name: "Secondary Site 03 (Lyon)",
      sups: [{ serverName: "s03-wsus.corp.contoso.com" }],
    });
    // The status row shows the new server name.
    await waitFor(
      () => events.some((e) => e.siteCode === "S03" && e.supServer === "s03-wsus.corp.contoso.com"),
      5_000,
      "the renamed server's sup-status event",
    );
    // Only what is sent changes.
    const renamed = SiteDto.parse(await readJson(await patch("S03", { name: "Lyon" })));
    expect(renamed.sups[0]).toMatchObject({ serverName: "s03-wsus.corp.contoso.com", useSsl: true });
  });

  it("refuses to change the code, type or parent, naming the field", async () => {
    for (const [field, value] of [
      ["code", "S33"],
      ["type", "primary"],
      ["parentCode", "P01"],
    ] as const) {
      const error = await expectError(await patch("S03", { [field]: value }), 400, "VALIDATION_FAILED");
      expect(error.details.fields[0].field).toBe(`body.${field}`);
      expect(error.message).toContain("cannot be changed");
    }
    expect((await server.db.prisma.site.findUniqueOrThrow({ where: { code: "S03" } })).parentCode).toBe("P03");
  });

  it("refuses an empty change, equal ports and unknown sites", async () => {
    await expectError(await patch("S03", {}), 400, "VALIDATION_FAILED", /send name or sup/);
    await expectError(await patch("S03", { sup: { sslPort: 8530 } }), 400, "VALIDATION_FAILED", /^body\.sup\.sslPort/);
    await expectError(await patch("ZZZ", { name: "x" }), 404, "NOT_FOUND");
  });
});

describe("DELETE /api/sites/:code", () => {
  it("refuses the top-level site with TOP_LEVEL_SITE", async () => {
    await expectError(await remove("CAS"), 409, "TOP_LEVEL_SITE");
    expect(await lastAudit("site.delete")).toMatchObject({ outcome: "failure", errorCode: "TOP_LEVEL_SITE" });
  });

  it("refuses a site with child sites with SITE_HAS_CHILDREN", async () => {
    const error = await expectError(await remove("P01"), 409, "SITE_HAS_CHILDREN", /P01 has 1 child site \(S01\)/);
    expect(error.details).toEqual({ children: 1 });
  });

  it("refuses a site while a synchronization is queued, running or canceling", async () => {
    const supRow = await server.db.prisma.softwareUpdatePoint.findFirstOrThrow({ where: { siteCode: "S02" } });
    for (const state of ["queued", "running", "canceling"] as const) {
      const run = await server.db.prisma.syncRun.create({
        data: { siteCode: "S02", supId: supRow.id, trigger: "parent", state },
      });
      const error = await expectError(await remove("S02"), 409, "SYNC_ALREADY_ACTIVE");
      expect(error.details).toEqual({ runId: run.id });
      await server.db.prisma.syncRun.update({
        where: { id: run.id },
        data: { state: "canceled", finishedAt: new Date() },
      });
    }
  });

  it("removes a site with its software update point, catalog, runs and status messages; cancels its alerts", async () => {
    const prisma = server.db.prisma;
    const supRow = await prisma.softwareUpdatePoint.findFirstOrThrow({ where: { siteCode: "S02" } });
    // A catalog entry needs a stored revision.
    const updateId = "6f1d7a3e-3c7b-4f7e-9a55-0e1f2a3b4c5d";
    await addCatalogUpdate(prisma, { siteCode: "S02", updateId, revisionNumber: 200 });
    const run = await prisma.syncRun.create({
      data: { siteCode: "S02", supId: supRow.id, trigger: "parent", state: "failed", finishedAt: new Date() },
    });
    await prisma.syncLogLine.create({ data: { runId: run.id, severity: "error", thread: 1, text: "failed" } });
    await prisma.statusMessage.create({
      data: {
        siteCode: "S02",
        runId: run.id,
        messageId: 6703,
        severity: "E",
        component: "SMS_WSUS_SYNC_MANAGER",
        insertionStrings: [],
      },
    });
    const alert = await prisma.alert.create({
      data: {
        key: "sync-failed:S02",
        type: "sync-failed",
        severity: "error",
        siteCode: "S02",
        title: "t",
        message: "m",
      },
    });
    const seen = events.length;

    const response = await remove("s02");
    expect(response.status).toBe(204);

    expect(await prisma.site.findUnique({ where: { code: "S02" } })).toBeNull();
    expect(await prisma.softwareUpdatePoint.count({ where: { siteCode: "S02" } })).toBe(0);
    expect(await prisma.siteCatalogEntry.count({ where: { siteCode: "S02" } })).toBe(0);
    expect(await prisma.syncRun.count({ where: { siteCode: "S02" } })).toBe(0);
    expect(await prisma.syncLogLine.count({ where: { runId: run.id } })).toBe(0);
    expect(await prisma.statusMessage.count({ where: { siteCode: "S02" } })).toBe(0);
    // Revisions are shared by every site's catalog: they stay.
    expect(await prisma.updateRevision.count({ where: { updateId } })).toBe(1);
    expect(await prisma.alert.findUniqueOrThrow({ where: { id: alert.id } })).toMatchObject({ state: "canceled" });
    // The parent stays, now without children, and can go next.
    expect((await readJson(await admin.request("GET", "/api/sites"))).items[0].children[1].children).toEqual([]);

    const audit = await lastAudit("site.delete");
    expect(audit).toMatchObject({ outcome: "success", targetType: "site", targetId: "S02" });
    expect(audit.before).toMatchObject({
      code: "S02",
      parentCode: "P02",
      sups: [{ serverName: "s02-sup01.corp.contoso.com" }],
    });
    // The failed run and the three canceled ones of the previous test.
    expect(audit.details).toEqual({ removed: { catalogEntries: 1, runs: 4, statusMessages: 1 } });

    // Consoles drop the row: its last state, marked removed.
    await waitFor(() => events.slice(seen).some((e) => e.siteCode === "S02"), 5_000, "the removed site's event");
    expect(events.slice(seen).find((e) => e.siteCode === "S02")).toMatchObject({
      removed: true,
      supServer: "s02-sup01.corp.contoso.com",
      state: "failed",
    });
    const status = SupSyncStatusList.parse(await readJson(await admin.request("GET", "/api/sup-sync-status")));
    expect(status.items.some((row) => row.siteCode === "S02")).toBe(false);
    expect(status.items.some((row) => "removed" in row)).toBe(false);

    expect((await remove("P02")).status).toBe(204);
    await expectError(await remove("P02"), 404, "NOT_FOUND");
  });
});

describe("a stand-alone primary at the top level (older data)", () => {
  it("keeps working: listed, its secondaries can be added, and it cannot be removed", async () => {
    const prisma = server.db.prisma;
    await prisma.site.create({
      data: {
        code: "SAP",
        name: "Stand-alone primary",
        type: "primary",
        sups: { create: { serverName: "sap-sup01.corp.contoso.com", syncSource: "microsoft_update" } },
      },
    });
    const tree = SiteTree.parse(await readJson(await admin.request("GET", "/api/sites")));
    expect(tree.items.map((s) => s.code).sort()).toEqual(["CAS", "SAP"]);
    expect(
      (await create({ code: "SA1", name: "x", type: "secondary", parentCode: "SAP", sup: sup("SA1") })).status,
    ).toBe(201);
    await expectError(
      await create({ code: "SA2", name: "x", type: "primary", parentCode: "SAP", sup: sup("SA2") }),
      400,
      "VALIDATION_FAILED",
      /^body\.parentCode/,
    );
    expect((await remove("SA1")).status).toBe(204);
    await expectError(await remove("SAP"), 409, "TOP_LEVEL_SITE");
    await prisma.site.delete({ where: { code: "SAP" } });
  });
});

describe("sites.edit", () => {
  it("is for full administrators only", async () => {
    const manager = new Browser(server.url);
    const { initialPassword } = await readJson(
      await admin.request("POST", "/api/users", { username: "manager", role: "software-update-manager" }),
    );
    await manager.login("manager", initialPassword);
    await manager.request("POST", "/api/auth/change-password", {
      currentPassword: initialPassword,
      newPassword: "a manager's password",
    });
    const response = await manager.request("POST", "/api/sites", {
      code: "P07",
      name: "x",
      type: "primary",
      parentCode: "CAS",
      sup: sup("P07"),
    });
    await expectError(response, 403, "FORBIDDEN", /sites\.edit/);
  });
});

describe("GET /api/sup-sync-status filters and summary", () => {
  it("filters by state, parent and site code or server prefix; the summary covers the whole hierarchy", async () => {
    const prisma = server.db.prisma;
    const supOf = (code: string) => prisma.softwareUpdatePoint.findFirstOrThrow({ where: { siteCode: code } });
    const cas = await supOf("CAS");
    await prisma.softwareUpdatePoint.update({ where: { id: cas.id }, data: { catalogVersion: 3 } });
    await prisma.syncRun.create({
      data: { siteCode: "CAS", supId: cas.id, trigger: "manual", state: "succeeded", finishedAt: new Date() },
    });
    // P01: in sync with CAS. P03: synced an older version (behind). Q10: failed. Q11: running. Others: never.
    for (const [code, state, version] of [
      ["P01", "succeeded", 3],
      ["P03", "succeeded", 2],
      ["Q10", "failed", 0],
      ["Q11", "running", 0],
    ] as const) {
      const row = await supOf(code);
      await prisma.softwareUpdatePoint.update({ where: { id: row.id }, data: { catalogVersion: version } });
      await prisma.syncRun.create({
        data: {
          siteCode: code,
          supId: row.id,
          trigger: "parent",
          state,
          ...(state === "running" ? { startedAt: new Date() } : { finishedAt: new Date() }),
          ...(state === "failed" ? { errorCode: "UPSTREAM_UNREACHABLE" } : {}),
        },
      });
    }
    const get = async (query = "") =>
      SupSyncStatusList.parse(await readJson(await admin.request("GET", `/api/sup-sync-status${query}`)));

    const all = await get();
    const total = await prisma.softwareUpdatePoint.count();
    expect(all.items).toHaveLength(total);
    expect(all.summary).toEqual({ inSync: 2, behind: 1, failed: 1, inProgress: 1, never: total - 5 });

    const failed = await get("?state=failed");
    expect(failed.items.map((r) => r.siteCode)).toEqual(["Q10"]);
    expect(failed.items[0]).toMatchObject({ lastErrorCode: "UPSTREAM_UNREACHABLE", linkState: "error" });
    // The summary never depends on the filters.
    expect(failed.summary).toEqual(all.summary);
    expect((await get("?state=running")).items.map((r) => r.siteCode)).toEqual(["Q11"]);
    expect((await get("?state=never")).items).toHaveLength(total - 5);

    const underQ10 = await get("?parent=q10");
    expect(underQ10.items).toHaveLength(250);
    expect(underQ10.items.every((r) => r.parentCode === "Q10")).toBe(true);
    expect((await get("?parent=P03")).items.map((r) => r.siteCode)).toEqual(["S03"]);

    // Site code prefix, or server name prefix, case-insensitive.
    expect((await get("?search=q1")).items.map((r) => r.siteCode)).toEqual(
      Array.from({ length: 10 }, (_, i) => `Q1${i}`),
    );
    expect((await get("?search=S03-WSUS")).items.map((r) => r.supServer)).toEqual(["s03-wsus.corp.contoso.com"]);
    expect((await get("?search=corp")).items).toEqual([]);
    expect((await get("?state=succeeded&parent=CAS")).items.map((r) => r.siteCode)).toEqual(["P01", "P03"]);
    expect((await get("?state=succeeded&parent=CAS")).items.map((r) => r.linkState)).toEqual(["healthy", "degraded"]);
  });

  it("names a bad filter", async () => {
    const response = await admin.request("GET", "/api/sup-sync-status?state=done");
    const error = await expectError(response, 400, "VALIDATION_FAILED");
    expect(error.details.fields[0].field).toBe("query.state");
    await expectError(
      await admin.request("GET", "/api/sup-sync-status?parent=TOOLONG"),
      400,
      "VALIDATION_FAILED",
      /^query\.parent/,
    );
  });
});
