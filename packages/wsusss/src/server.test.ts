import { describe, expect, it, vi } from "vitest";
import { TokenSigner } from "./cookies.ts";
import { WsusssFault } from "./faults.ts";
import {
  writeGetAuthConfig,
  writeGetAuthorizationCookie,
  writeGetConfigData,
  writeGetCookie,
  writeGetRevisionIdList,
  writeGetUpdateData,
} from "./requests.ts";
import { createWsusssServer, type WsusssBackend, type WsusssServerOptions } from "./server.ts";
import { renderRequestEnvelope } from "./soap.ts";
import { exchange, realDocument, shape } from "./test-support.ts";
import type { Cookie, RevisionFilter, ServerSyncConfig, UpdateIdentity } from "./types.ts";
import { wsusssUpdateKey } from "./types.ts";
import { findChild, Markup, parseXml, type XmlElement } from "./xml.ts";

const SECRET = "a-test-secret-of-enough-length";
const START = new Date("2026-10-04T16:33:26.654Z");
const SERVER_SYNC_URL = "http://127.0.0.1:8530/ServerSyncWebService/ServerSyncWebService.asmx";

const CONFIG: ServerSyncConfig = {
  protocolVersion: "1.20",
  maxNumberOfUpdatesPerRequest: 2,
  catalogOnlySync: false,
  lazySync: true,
  serverHostsPsfFiles: false,
  maxNumberOfDriverSetsPerRequest: 0,
  maxNumberOfComputerIdsInRequest: 0,
  maxNumberOfPnpHardwareIdsInRequest: 0,
  maxUpdatesPerRequestInGetUpdateDecryptionData: 100,
  newConfigAnchor: "config-7",
  languages: [
    { id: 0, shortLanguage: "all", longLanguage: "all", enabled: false },
    { id: 1033, shortLanguage: "en", longLanguage: "English", enabled: true },
  ],
};

const STUB = { updateId: "ccb78947-6453-4ecc-9de8-bc0305c98f2d", revisionNumber: 200 };
const DELTA = { updateId: "266f6222-c89d-43f2-9f8a-69340271e677", revisionNumber: 200 };
const DOCUMENTS = new Map([
  [wsusssUpdateKey(STUB), realDocument("ccb78947")],
  [wsusssUpdateKey(DELTA), realDocument("266f6222")],
]);
const MU_URL =
  "http://download.windowsupdate.com/c/msdownload/update/software/defu/2026/10/am_delta_87f5bd0469585006aa5d3a77d1c662fd2895ddcd.exe";

function setup(overrides: Partial<WsusssBackend> = {}, options: Partial<WsusssServerOptions> = {}) {
  let now = START;
  const filters: RevisionFilter[] = [];
  const backend: WsusssBackend = {
    config: (anchor) => (anchor ? { ...CONFIG, languages: [] } : CONFIG),
    revisionIdList: (filter) => {
      filters.push(filter);
      if (filter.anchor === "garbage") throw new WsusssFault("InvalidParameters", "filter");
      return { anchor: "sync-42", revisions: filter.getConfig ? [] : [STUB, DELTA] };
    },
    updateXml: (ids) =>
      new Map(
        ids.flatMap((id) =>
          DOCUMENTS.has(wsusssUpdateKey(id)) ? [[wsusssUpdateKey(id), DOCUMENTS.get(wsusssUpdateKey(id)) ?? ""]] : [],
        ),
      ),
    fileUrls: (digests) => digests.map((d) => ({ fileDigest: d, muUrl: MU_URL })),
    ...overrides,
  };
  const server = createWsusssServer({
    backend,
    cookieSecret: SECRET,
    now: () => now,
    authConfigLastChange: new Date("2026-10-04T13:16:35.433Z"),
    ...options,
  });
  const sync = (body: Markup | string, soapAction?: string) =>
    server.handleServerSync(typeof body === "string" ? body : renderRequestEnvelope(body), {
      soapAction,
      requestUrl: SERVER_SYNC_URL,
    });
  const dss = (body: Markup | string) =>
    server.handleDssAuth(typeof body === "string" ? body : renderRequestEnvelope(body), {});
  async function authCookie(account = "site.lab.invalid") {
    const answer = await dss(writeGetAuthorizationCookie(account, "6F1C2F6E-3F0B-4D3A-9B1E-0D2F6A1C5E12"));
    return { plugInId: "DssTargeting", cookieData: textOf(answer.body, "CookieData") };
  }
  async function cookie(): Promise<Cookie> {
    const answer = await sync(writeGetCookie(await authCookie(), undefined, "1.20"));
    return { expiration: textOf(answer.body, "Expiration"), encryptedData: textOf(answer.body, "EncryptedData") };
  }
  return {
    server,
    sync,
    dss,
    authCookie,
    cookie,
    filters,
    advance: (minutes: number) => {
      now = new Date(now.getTime() + minutes * 60_000);
    },
  };
}

function find(element: XmlElement, local: string): XmlElement | undefined {
  if (element.local === local) return element;
  for (const child of element.children) {
    const found = find(child, local);
    if (found) return found;
  }
  return undefined;
}

function textOf(xml: string, local: string): string {
  const found = find(parseXml(xml), local);
  if (!found) throw new Error(`no <${local}> in ${xml.slice(0, 200)}`);
  return found.text;
}

/** The envelope head (declaration, namespaces) must be WSUS's, byte for byte. */
function head(xml: string): string {
  return xml.slice(0, xml.indexOf("<soap:Body>") + "<soap:Body>".length);
}

function expectSameShape(ours: string, captured: string) {
  expect(shape(ours)).toEqual(shape(captured));
  expect(head(ours)).toBe(head(captured));
}

function fault(xml: string) {
  return {
    faultcode: textOf(xml, "faultcode"),
    faultstring: textOf(xml, "faultstring"),
    faultactor: textOf(xml, "faultactor"),
    errorCode: textOf(xml, "ErrorCode"),
    message: textOf(xml, "Message"),
    id: textOf(xml, "ID"),
    method: textOf(xml, "Method"),
  };
}

/** A captured request with its blanked cookie replaced by a real one. */
function captured(id: string, cookie: Cookie): string {
  return exchange(id).requestBody.replace(
    /<EncryptedData>[^<]*<\/EncryptedData>/,
    `<EncryptedData>${cookie.encryptedData}</EncryptedData>`,
  );
}

describe("answers shaped like the captures", () => {
  it("GetAuthConfig (000001)", async () => {
    const { sync } = setup();
    const answer = await sync(
      exchange("000001").requestBody,
      '"http://www.microsoft.com/SoftwareDistribution/GetAuthConfig"',
    );
    expect(answer.status).toBe(200);
    expect(answer.contentType).toBe("text/xml; charset=utf-8");
    expectSameShape(answer.body, exchange("000001").responseBody);
    // Same values too: nothing in this answer is per-server except LastChange, which we pinned.
    expect(answer.body).toBe(exchange("000001").responseBody);
  });

  it("GetAuthorizationCookie (000002)", async () => {
    const { dss } = setup();
    const answer = await dss(exchange("000002").requestBody);
    expect(answer.status).toBe(200);
    expectSameShape(answer.body, exchange("000002").responseBody);
    expect(textOf(answer.body, "PlugInId")).toBe("DssTargeting");
  });

  it("GetCookie (000003), with a 240-minute expiry", async () => {
    const { sync, authCookie } = setup();
    const answer = await sync(writeGetCookie(await authCookie(), undefined, "1.20"));
    expect(answer.status).toBe(200);
    expectSameShape(answer.body, exchange("000003").responseBody);
    expect(textOf(answer.body, "Expiration")).toBe("2026-10-04T20:33:26.654Z");
  });

  it("GetConfigData: full (000005) and short with an anchor (000004)", async () => {
    const { sync, cookie } = setup();
    const c = await cookie();
    const full = await sync(captured("000005", c));
    expect(full.status).toBe(200);
    expectSameShape(full.body, exchange("000005").responseBody);
    expect(textOf(full.body, "NewConfigAnchor")).toBe("config-7");
    expect(textOf(full.body, "MaxNumberOfUpdatesPerRequest")).toBe("2");
    const short = await sync(captured("000004", c));
    expectSameShape(short.body, exchange("000004").responseBody);
  });

  it("GetRevisionIdList: a list (000009) and an empty one (000007)", async () => {
    const { sync, cookie, filters } = setup();
    const c = await cookie();
    const list = await sync(captured("000009", c));
    expect(list.status).toBe(200);
    expectSameShape(list.body, exchange("000009").responseBody);
    expect(filters[0]).toEqual({
      getConfig: false,
      categories: [{ id: "8c3fcc84-7410-4a95-8b89-a166a0190486", delta: false }],
      classifications: [{ id: "e0789628-ce08-4437-be74-2495b842f43b", delta: false }],
    });
    const empty = await sync(captured("000006", c));
    expectSameShape(empty.body, exchange("000007").responseBody);
    expect(filters[1]).toEqual({ getConfig: true });
  });

  it("GetUpdateData: an uncompressed blob without files (000015)", async () => {
    const { sync, cookie } = setup();
    const answer = await sync(captured("000015", await cookie()));
    expect(answer.status).toBe(200);
    expectSameShape(answer.body, exchange("000015").responseBody);
    // The blob is the backend's document, escaped as WSUS escapes it.
    expect(textOf(answer.body, "XmlUpdateBlob")).toBe(realDocument("ccb78947"));
    expect(answer.body).toContain("<XmlUpdateBlob>&lt;upd:Update xmlns:pub=");
  });

  it("GetUpdateData: a leaf with its FileDigestList and fileUrls (000014)", async () => {
    const { sync, cookie } = setup();
    const answer = await sync(writeGetUpdateData(await cookie(), [DELTA]));
    const ours = parseXml(answer.body);
    const data = find(ours, "ServerSyncUpdateData");
    expect(data?.children.map((c) => c.local)).toEqual(["Id", "XmlUpdateBlob", "FileDigestList"]);
    expect(textOf(answer.body, "base64Binary")).toBe("h/W9BGlYUAaqXTp30cZi/SiV3c0=");
    const urls = find(ours, "fileUrls");
    const capturedUrls = find(parseXml(exchange("000014").responseBody), "fileUrls");
    expect(urls && shape(urls)).toEqual(capturedUrls && shape(capturedUrls));
    expect(textOf(answer.body, "MUUrl")).toBe(MU_URL);
    expect(textOf(answer.body, "FileDigest")).toBe(textOf(exchange("000014").responseBody, "FileDigest"));
  });
});

describe("faults shaped like the captures", () => {
  it("InternalServerError for an unknown revision (000017)", async () => {
    const { sync, cookie } = setup();
    const answer = await sync(captured("000017", await cookie()));
    expect(answer.status).toBe(500);
    expectSameShape(answer.body, exchange("000017").responseBody);
    const ours = fault(answer.body);
    const theirs = fault(exchange("000017").responseBody);
    expect(ours).toMatchObject({
      faultcode: theirs.faultcode,
      faultstring: theirs.faultstring,
      faultactor: theirs.faultactor,
      errorCode: "InternalServerError",
      method: theirs.method,
    });
    expect(ours.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(ours.message).toBe("update 00000000-0000-0000-0000-000000000001 revision 1 is unknown");
  });

  it("InvalidParameters with Message filter for a bad anchor (000018)", async () => {
    const { sync, cookie } = setup();
    const answer = await sync(captured("000018", await cookie()));
    expect(answer.status).toBe(500);
    expectSameShape(answer.body, exchange("000018").responseBody);
    const { id: _ours, ...ours } = fault(answer.body);
    const { id: _theirs, ...theirs } = fault(exchange("000018").responseBody);
    expect(ours).toEqual(theirs);
  });

  it("InvalidCookie without a cookie (000019)", async () => {
    const { sync } = setup();
    const answer = await sync(exchange("000019").requestBody);
    expect(answer.status).toBe(500);
    expectSameShape(answer.body, exchange("000019").responseBody);
    const { id: _ours, ...ours } = fault(answer.body);
    const { id: _theirs, ...theirs } = fault(exchange("000019").responseBody);
    expect(ours).toEqual(theirs);
  });
});

describe("cookies", () => {
  const list = (c: Cookie) => writeGetRevisionIdList(c, { getConfig: true });

  it("accepts its own cookie until it expires, whatever Expiration the client sends back", async () => {
    const { sync, cookie, advance } = setup();
    const c = await cookie();
    expect((await sync(list(c))).status).toBe(200);
    advance(239);
    expect((await sync(list({ ...c, expiration: "1999-01-01T00:00:00Z" }))).status).toBe(200);
    advance(2);
    const expired = await sync(list({ ...c, expiration: "2999-01-01T00:00:00Z" }));
    expect(fault(expired.body).errorCode).toBe("InvalidCookie");
  });

  it("refuses forged, foreign, truncated and authorization cookies as session cookies", async () => {
    const { sync, cookie, authCookie } = setup();
    const c = await cookie();
    const bytes = Buffer.from(c.encryptedData, "base64");
    bytes[5] = (bytes[5] ?? 0) ^ 1;
    const tampered = { ...c, encryptedData: bytes.toString("base64") };
    const foreign = {
      ...c,
      encryptedData: new TokenSigner("another-secret-of-enough-length").issue({
        kind: "session",
        accountName: "x",
        accountGuid: "y",
        expiresAt: START.getTime() + 3_600_000,
      }),
    };
    const truncated = { ...c, encryptedData: c.encryptedData.slice(0, 40) };
    const wrongKind = { ...c, encryptedData: (await authCookie()).cookieData };
    const garbage = { ...c, encryptedData: "not base64 at all!" };
    for (const bad of [tampered, foreign, truncated, wrongKind, garbage]) {
      expect(fault((await sync(list(bad))).body).errorCode).toBe("InvalidCookie");
    }
  });

  it("checks the protocol version's major number", async () => {
    const { sync, authCookie } = setup();
    expect((await sync(writeGetCookie(await authCookie(), undefined, "1.7"))).status).toBe(200);
    const two = fault((await sync(writeGetCookie(await authCookie(), undefined, "2.0"))).body);
    expect(two).toMatchObject({ errorCode: "IncompatibleProtocolVersion", message: "2.0", faultcode: "soap:Client" });
    const word = fault((await sync(writeGetCookie(await authCookie(), undefined, "latest"))).body);
    expect(word).toMatchObject({ errorCode: "InvalidParameters", message: "protocolVersion" });
  });

  it("refuses an authorization cookie it did not issue, or one the backend rejects", async () => {
    const authorize = vi.fn(({ accountName }: { accountName: string }) => accountName !== "banned.lab.invalid");
    const { sync, authCookie } = setup({ authorize });
    const forged = { plugInId: "DssTargeting", cookieData: Buffer.from("hello, world, this is me").toString("base64") };
    expect(fault((await sync(writeGetCookie(forged, undefined, "1.20"))).body).errorCode).toBe(
      "InvalidAuthorizationCookie",
    );
    const banned = await sync(writeGetCookie(await authCookie("banned.lab.invalid"), undefined, "1.20"));
    expect(fault(banned.body).errorCode).toBe("InvalidAuthorizationCookie");
    expect((await sync(writeGetCookie(await authCookie(), undefined, "1.20"))).status).toBe(200);
    // The backend gets the account the DSS presented, its GUID lower-cased.
    expect(authorize).toHaveBeenLastCalledWith({
      accountName: "site.lab.invalid",
      accountGuid: "6f1c2f6e-3f0b-4d3a-9b1e-0d2f6a1c5e12",
    });
  });

  it("refuses an expired authorization cookie", async () => {
    const { sync, authCookie, advance } = setup({}, { cookieLifetimeMinutes: 5 });
    const auth = await authCookie();
    advance(6);
    expect(fault((await sync(writeGetCookie(auth, undefined, "1.20"))).body).errorCode).toBe(
      "InvalidAuthorizationCookie",
    );
  });
});

describe("GetUpdateData limits and failures", () => {
  it("enforces MaxNumberOfUpdatesPerRequest", async () => {
    const { sync, cookie } = setup();
    const three: UpdateIdentity[] = [STUB, DELTA, { ...STUB, revisionNumber: 1 }];
    const answer = await sync(writeGetUpdateData(await cookie(), three));
    expect(fault(answer.body)).toMatchObject({
      errorCode: "InvalidParameters",
      message: "updateIds: 3 revisions, at most 2 per request",
    });
  });

  it("hides a backend failure behind InternalServerError and reports it with the fault ID", async () => {
    const onError = vi.fn();
    const boom = new Error("database is down");
    const { sync, cookie } = setup(
      {
        updateXml: () => {
          throw boom;
        },
      },
      { onError },
    );
    const answer = await sync(writeGetUpdateData(await cookie(), [STUB]));
    const f = fault(answer.body);
    expect(f).toMatchObject({ errorCode: "InternalServerError", message: "", faultcode: "soap:Server" });
    expect(answer.body).not.toContain("database");
    expect(onError).toHaveBeenCalledWith(boom, { operation: "GetUpdateData", faultId: f.id });
  });
});

describe("malformed requests become faults, never throws", () => {
  const cases: [string, string, string][] = [
    ["empty body", "", "malformed request: not well-formed XML"],
    ["not XML", "hello", "malformed request: not well-formed XML"],
    [
      "truncated",
      exchange("000001").requestBody.replace("</soap:Body></soap:Envelope>", ""),
      "malformed request: not well-formed XML: unclosed element <soap:Body>",
    ],
    [
      "a DOCTYPE",
      `<!DOCTYPE x [<!ENTITY e "e">]>${exchange("000001").requestBody.replace(/^<\?xml[^>]*\?>/, "")}`,
      "DOCTYPE and ENTITY declarations are not accepted",
    ],
    ["not SOAP", "<GetAuthConfig/>", "malformed request: expected a SOAP 1.1 Envelope, found <GetAuthConfig>"],
    [
      "an unknown operation",
      renderRequestEnvelope(parseLike("<Ping xmlns='http://www.microsoft.com/SoftwareDistribution'/>")),
      "unknown operation {http://www.microsoft.com/SoftwareDistribution}Ping",
    ],
    [
      "the DSS operation on the sync endpoint",
      exchange("000002").requestBody,
      "unknown operation {http://www.microsoft.com/SoftwareDistribution/Server/DssAuthWebService}GetAuthorizationCookie",
    ],
    ["deep nesting", envelopeWith(`${"<a>".repeat(200)}${"</a>".repeat(200)}`), "nested deeper than 32 levels"],
  ];

  it.each(cases)("%s", async (_name, body, message) => {
    const { sync } = setup();
    const answer = await sync(body);
    expect(answer.status).toBe(500);
    expect(fault(answer.body)).toMatchObject({ errorCode: "InvalidParameters", faultcode: "soap:Client" });
    expect(fault(answer.body).message).toContain(message);
  });

  it("names the parameter of a missing or bad element", async () => {
    const { sync, cookie } = setup();
    const c = await cookie();
    const noFilter = captured("000006", c).replace(/<filter>.*<\/filter>/, "");
    expect(fault((await sync(noFilter)).body)).toMatchObject({
      errorCode: "InvalidParameters",
      message: "filter: missing",
    });
    const badGuid = captured("000009", c).replace("8c3fcc84-7410-4a95-8b89-a166a0190486", "defender");
    expect(fault((await sync(badGuid)).body).message).toBe('filter/Categories/IdAndDelta/Id: "defender" is not a GUID');
    const badBool = captured("000006", c).replace("<GetConfig>true</GetConfig>", "<GetConfig>yes</GetConfig>");
    expect(fault((await sync(badBool)).body).message).toBe('filter/GetConfig: "yes" is not a boolean');
    const badRevision = captured("000015", c).replace(
      "<RevisionNumber>200</RevisionNumber>",
      "<RevisionNumber>-3</RevisionNumber>",
    );
    expect(fault((await sync(badRevision)).body).message).toBe(
      "updateIds/UpdateIdentity/RevisionNumber: -3 is negative",
    );
  });

  it("refuses a body over the size limit and a SOAPAction that does not match", async () => {
    const { server, sync } = setup({}, { maxBodyBytes: 100 });
    const big = await server.handleServerSync(exchange("000001").requestBody, {});
    expect(fault(big.body).message).toBe("request body is larger than 100 bytes");
    const { sync: normal } = setup();
    const mismatch = await normal(writeGetAuthConfig(), '"http://www.microsoft.com/SoftwareDistribution/GetCookie"');
    expect(fault(mismatch.body).message).toContain("does not match GetAuthConfig");
    expect((await sync("x")).status).toBe(500);
  });

  it("takes upper-case GUIDs and gives the backend lower case", async () => {
    const { sync, cookie, filters } = setup();
    await sync(
      writeGetRevisionIdList(await cookie(), {
        getConfig: false,
        categories: [{ id: "8C3FCC84-7410-4A95-8B89-A166A0190486", delta: true }],
        languages: [{ lcid: 1033, delta: false }],
      }),
    );
    expect(filters[0]).toEqual({
      getConfig: false,
      categories: [{ id: "8c3fcc84-7410-4a95-8b89-a166a0190486", delta: true }],
      languages: [{ lcid: 1033, delta: false }],
    });
  });

  it("answers GetConfigData with the cookie it just issued", async () => {
    const { sync, cookie } = setup();
    const answer = await sync(writeGetConfigData(await cookie()));
    expect(answer.status).toBe(200);
    expect(findChild(parseXml(answer.body), "http://schemas.xmlsoap.org/soap/envelope/", "Body")).toBeDefined();
  });
});

function parseLike(xml: string): Markup {
  return new Markup(xml);
}

function envelopeWith(inner: string): string {
  return `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><GetAuthConfig xmlns="http://www.microsoft.com/SoftwareDistribution">${inner}</GetAuthConfig></soap:Body></soap:Envelope>`;
}

describe("WsusssFault as a backend throws it", () => {
  it("takes the method as details or as a plain string, and the server writes its own Method", async () => {
    expect(new WsusssFault("InvalidParameters", "filter", "GetRevisionIdList")).toMatchObject({
      method: "GetRevisionIdList",
      operation: "GetRevisionIdList",
      message: "WSUSSS fault InvalidParameters: filter (GetRevisionIdList)",
    });
    const { sync, cookie } = setup({
      revisionIdList: () => {
        throw new WsusssFault("InvalidParameters", "filter", "SomethingElse");
      },
    });
    const answer = await sync(writeGetRevisionIdList(await cookie(), { getConfig: true }));
    expect(fault(answer.body).method).toBe('"http://www.microsoft.com/SoftwareDistribution/GetRevisionIdList"');
  });
});
