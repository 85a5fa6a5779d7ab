// Issue #10: every field a 400 (or a 409 that names a field) lists carries a reason code (FieldReason) and the params
// its sentence needs, besides the English message — for the schema's checks, the contracts' refinements and the checks
// only the server makes (upstream URL rules, sites, users, passwords, malformed JSON, bad percent-encoding).
import { FieldError } from "@syncpoint/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser, readJson, startTestServer, type TestServer } from "./harness.ts";

let server: TestServer;
let admin: Browser;

beforeAll(async () => {
  server = await startTestServer({ env: { UPSTREAM_ALLOWED_HOSTS: "*.corp.example" } });
  admin = new Browser(server.url);
  await admin.login();
});
afterAll(async () => {
  await server?.close();
});

/** The answer's status, error code and fields (each checked against the contract's FieldError). */
async function refusal(response: Response) {
  const { error } = await readJson(response);
  const fields = (error.details?.fields ?? []) as FieldError[];
  for (const field of fields) expect(FieldError.parse(field), JSON.stringify(field)).toEqual(field);
  return { status: response.status, code: error.code as string, fields };
}
const put = (body: unknown) => admin.request("PUT", "/api/sup-settings", body);

describe("upstream URLs", () => {
  it.each([
    ["http://wsus.other.example/", "UPSTREAM_URL_NOT_ALLOWED", "url_host_not_allowed", { host: "wsus.other.example" }],
    [
      "http://wsus.other.example:8530/",
      "UPSTREAM_URL_NOT_ALLOWED",
      "url_host_not_allowed",
      { host: "wsus.other.example:8530" },
    ],
    ["ftp://wsus.corp.example/", "VALIDATION_FAILED", "url_scheme_not_allowed", { scheme: "ftp" }],
    ["http://user:secret@wsus.corp.example/", "VALIDATION_FAILED", "url_has_credentials", undefined],
    ["wsus.corp.example", "VALIDATION_FAILED", "invalid_url", undefined],
  ])("refuses %s with %s and the reason %s", async (url, code, reason, params) => {
    const before = await server.db.prisma.supSettings.findUniqueOrThrow({ where: { id: 1 } });
    const answer = await refusal(await put({ syncSource: "upstream-url", upstreamUrl: url }));
    expect(answer).toMatchObject({ status: 400, code });
    expect(answer.fields[0]).toEqual({
      field: "body.upstreamUrl",
      message: expect.any(String),
      code: reason,
      ...(params ? { params } : {}),
    });
    expect(await server.db.prisma.supSettings.findUniqueOrThrow({ where: { id: 1 } })).toEqual(before);
  });

  it("says the upstream URL is required for an upstream data source", async () => {
    await server.db.prisma.supSettings.update({ where: { id: 1 }, data: { upstreamUrl: null } });
    const answer = await refusal(await put({ syncSource: "upstream-url" }));
    expect(answer.fields).toEqual([
      { field: "body.upstreamUrl", message: expect.any(String), code: "upstream_url_required" },
    ]);
  });

  it("names the proxy's and a webhook's refused URLs, and a CA bundle that is not PEM", async () => {
    expect(
      (await refusal(await put({ proxy: { url: "http://u:p@proxy.corp.example:3128" } }))).fields[0],
    ).toMatchObject({ field: "body.proxy.url", code: "url_has_credentials" });
    expect((await refusal(await put({ upstreamCaBundle: "-----BEGIN NOTHING-----" }))).fields[0]).toMatchObject({
      field: "body.upstreamCaBundle",
      code: "ca_bundle_not_pem",
    });
    const hook = await admin.request("POST", "/api/notification-subscriptions", {
      kind: "webhook",
      name: "hook",
      targets: ["gopher://hooks.example/x"],
      events: ["sync-failed"],
    });
    expect((await refusal(hook)).fields[0]).toMatchObject({
      field: "body.targets.0",
      code: "url_scheme_not_allowed",
      params: { scheme: "gopher" },
    });
  });
});

describe("the schema's checks", () => {
  it("answers generic reasons with the limits: a number below its minimum, a missing field", async () => {
    const answer = await refusal(await put({ retryMinutes: 0 }));
    expect(answer).toMatchObject({ status: 400, code: "VALIDATION_FAILED" });
    expect(answer.fields).toEqual([
      { field: "body.retryMinutes", message: "at least 1 minute", code: "too_small", params: { min: 1 } },
    ]);
    const missing = await refusal(await admin.request("POST", "/api/users", { role: "read-only-analyst" }));
    expect(missing.fields[0]).toMatchObject({ field: "body.username", code: "required" });
  });

  it("gives a schedule's range its bounds", async () => {
    const answer = await refusal(await put({ schedule: { kind: "simple", every: 40, unit: "days", timeZone: "UTC" } }));
    expect(answer.fields[0]).toMatchObject({
      field: "body.schedule.every",
      code: "out_of_range",
      params: { min: 1, max: 31, unit: "days" },
    });
  });
});

describe("what only the server checks", () => {
  it("malformed JSON and a path that is not valid percent-encoding", async () => {
    const json = await refusal(await admin.request("PUT", "/api/sup-settings", '{"retryMinutes": '));
    expect(json.fields).toEqual([{ field: "body", message: "the JSON is malformed", code: "malformed_json" }]);
    const path = await refusal(await admin.request("GET", "/api/sites/%E0%A4%A/catalog/digest"));
    expect(path.fields[0]).toMatchObject({ field: "params", code: "bad_percent_encoding" });
  });

  it("sites: a parent that does not exist or cannot take the site, a code already taken", async () => {
    const site = (code: string, parentCode: string, type = "primary") =>
      admin.request("POST", "/api/sites", {
        code,
        name: code,
        type,
        parentCode,
        sup: { serverName: `${code.toLowerCase()}.corp.example` },
      });
    expect((await refusal(await site("P77", "P98"))).fields[0]).toMatchObject({
      field: "body.parentCode",
      code: "site_not_found",
      params: { site: "P98" },
    });
    expect((await refusal(await site("P78", "P01"))).fields[0]).toMatchObject({
      field: "body.parentCode",
      code: "parent_not_central",
      params: { parent: "P01" },
    });
    expect((await refusal(await site("S77", "CAS", "secondary"))).fields[0]).toMatchObject({
      code: "parent_not_primary",
      params: { parent: "CAS" },
    });
    const taken = await refusal(await site("P01", "CAS"));
    expect(taken).toMatchObject({ status: 409, code: "SITE_CODE_TAKEN" });
    expect(taken.fields[0]).toMatchObject({ field: "body.code", code: "site_code_taken", params: { site: "P01" } });
  });

  it("users and passwords: a name taken, a wrong current password", async () => {
    const taken = await refusal(
      await admin.request("POST", "/api/users", { username: "admin", role: "read-only-analyst" }),
    );
    expect(taken).toMatchObject({ status: 409, code: "USERNAME_TAKEN" });
    expect(taken.fields[0]).toMatchObject({ field: "body.username", code: "username_taken" });
    const wrong = await refusal(
      await admin.request("POST", "/api/auth/change-password", {
        currentPassword: "not the password at all",
        newPassword: "a brand new passphrase",
      }),
    );
    expect(wrong.fields[0]).toMatchObject({ field: "body.currentPassword", code: "password_incorrect" });
  });
});
