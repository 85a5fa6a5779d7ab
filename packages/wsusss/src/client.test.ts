import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { WsusssClient } from "./client.ts";
import { WsusssFault, WsusssProtocolError, WsusssTransportError } from "./faults.ts";
import { exchange, FIXTURES, realDocument, tree, type Exchange } from "./test-support.ts";
import type { RevisionFilter } from "./types.ts";
import { parseUpdateXml } from "./update-xml.ts";

const BASE = "http://wsus.test:8530";
// The probe's identity in exchanges/ (000002).
const PROBE = { accountName: "probe.lab.invalid", accountGuid: "6f1c2f6e-3f0b-4d3a-9b1e-0d2f6a1c5e12" };
const COOKIE_TEXT = ["CookieData", "EncryptedData", "Expiration"];

interface Sent {
  url: string;
  soapAction: string;
  contentType: string;
  body: string;
}

type Answer = Exchange | { status: number; body: string; statusText?: string };

/**
 * A fetch that answers by SOAPAction operation from captured exchanges. `answers[op]` is either one answer for
 * every call, or a list consumed in order.
 */
function fakeUpstream(answers: Record<string, Answer | Answer[]>) {
  const sent: Sent[] = [];
  const fetchImpl = async (input: string | URL | Request, init?: RequestInit) => {
    const headers = new Headers(init?.headers);
    const soapAction = headers.get("soapaction") ?? "";
    sent.push({
      url: String(input),
      soapAction,
      contentType: headers.get("content-type") ?? "",
      body: String(init?.body),
    });
    const operation = soapAction.replace(/"/g, "").split("/").pop() ?? "";
    const configured = answers[operation];
    const answer = Array.isArray(configured) ? configured.shift() : configured;
    if (!answer) throw new Error(`no answer for ${operation}`);
    const body = "responseBody" in answer ? answer.responseBody : answer.body;
    const statusText = "statusText" in answer ? answer.statusText : undefined;
    return new Response(body, {
      status: answer.status,
      statusText,
      headers: { "content-type": "text/xml; charset=utf-8" },
    });
  };
  return { fetch: fetchImpl as typeof fetch, sent };
}

const AUTH = {
  GetAuthConfig: exchange("000001"),
  GetAuthorizationCookie: exchange("000002"),
  GetCookie: exchange("000003"),
};

function client(
  answers: Record<string, Answer | Answer[]>,
  baseUrl = BASE,
  options: Partial<ConstructorParameters<typeof WsusssClient>[0]> = {},
) {
  const upstream = fakeUpstream({ ...AUTH, ...answers });
  return { client: new WsusssClient({ baseUrl, fetch: upstream.fetch, ...PROBE, ...options }), sent: upstream.sent };
}

const operationsOf = (sent: Sent[]) => sent.map((s) => s.soapAction.replace(/"/g, "").split("/").pop());

/** The request tree must equal the captured one, cookie values aside. */
function expectSameRequest(sent: Sent | undefined, captured: Exchange) {
  expect(sent).toBeDefined();
  expect(tree(sent?.body ?? "", COOKIE_TEXT)).toEqual(tree(captured.requestBody, COOKIE_TEXT));
  expect(sent?.soapAction).toBe(`"${captured.soapAction}"`);
  expect(sent?.contentType).toBe("text/xml; charset=utf-8");
}

describe("authorization chain (000001–000003)", () => {
  it("runs GetAuthConfig → GetAuthorizationCookie → GetCookie and keeps the cookie", async () => {
    const { client: c, sent } = client({});
    const cookie = await c.authorize();
    const encrypted = /<EncryptedData>([^<]*)</.exec(exchange("000003").responseBody)?.[1];
    expect(cookie).toEqual({ expiration: "2026-10-04T20:33:26.65455Z", encryptedData: encrypted });
    expect(c.cookie).toEqual(cookie);
    expect(sent.map((s) => s.url)).toEqual([
      `${BASE}/ServerSyncWebService/ServerSyncWebService.asmx`,
      `${BASE}/DssAuthWebService/DssAuthWebService.asmx`,
      `${BASE}/ServerSyncWebService/ServerSyncWebService.asmx`,
    ]);
    expectSameRequest(sent[0], exchange("000001"));
    expectSameRequest(sent[1], exchange("000002"));
    expectSameRequest(sent[2], exchange("000003"));
    // The DSS auth request uses its own namespace and carries our identity.
    expect(sent[1]?.body).toContain(
      '<GetAuthorizationCookie xmlns="http://www.microsoft.com/SoftwareDistribution/Server/DssAuthWebService">' +
        "<accountName>probe.lab.invalid</accountName><accountGuid>6f1c2f6e-3f0b-4d3a-9b1e-0d2f6a1c5e12</accountGuid>",
    );
    expect(sent[2]?.body).toContain("<protocolVersion>1.20</protocolVersion>");
  });

  it("reads each step's answer", async () => {
    const { client: c } = client({});
    expect(await c.getAuthConfig()).toEqual([
      { plugInId: "DssTargeting", serviceUrl: "DssAuthWebService/DssAuthWebService.asmx" },
    ]);
    const auth = await c.getAuthorizationCookie("DssAuthWebService/DssAuthWebService.asmx");
    expect(auth.plugInId).toBe("DssTargeting");
    expect(auth.cookieData).toMatch(/^A{500,}$/);
    const cookie = await c.getCookie(auth);
    expect(cookie.expiration).toBe("2026-10-04T20:33:26.65455Z");
  });

  it("resolves the relative service URL under a base URL with a path", async () => {
    const { client: c, sent } = client({}, "http://cas.test:8080/sup/CAS");
    await c.authorize();
    expect(sent.map((s) => s.url)).toEqual([
      "http://cas.test:8080/sup/CAS/ServerSyncWebService/ServerSyncWebService.asmx",
      "http://cas.test:8080/sup/CAS/DssAuthWebService/DssAuthWebService.asmx",
      "http://cas.test:8080/sup/CAS/ServerSyncWebService/ServerSyncWebService.asmx",
    ]);
  });

  describe("an earlier session's cookie", () => {
    const earlier = { expiration: "2026-10-04T20:33:26.65455Z", encryptedData: "ZWFybGllcg==" };
    // The captured cookie's expiry, less 10 minutes: the earlier cookie is still good for 10.
    const now = () => Date.parse(earlier.expiration) - 10 * 60_000;

    it("is taken instead of the chain while it is good for more than renewBeforeMs", async () => {
      const { client: c, sent } = client({ GetConfigData: exchange("000005") }, BASE, { cookie: earlier, now });
      expect(await c.authorize()).toEqual(earlier);
      await c.getConfigData();
      expect(operationsOf(sent)).toEqual(["GetConfigData"]);
      expect(sent[0]!.body).toContain(`<EncryptedData>${earlier.encryptedData}</EncryptedData>`);
    });

    it("is not taken when it expires within renewBeforeMs: the chain runs", async () => {
      const { client: c, sent } = client({}, BASE, { cookie: earlier, now, renewBeforeMs: 11 * 60_000 });
      const cookie = await c.authorize();
      expect(cookie.encryptedData).not.toBe(earlier.encryptedData);
      expect(operationsOf(sent)).toEqual(["GetAuthConfig", "GetAuthorizationCookie", "GetCookie"]);
    });

    it("is dropped when the server refuses it (InvalidCookie): the chain runs and the call is made again", async () => {
      const { client: c, sent } = client({ GetRevisionIdList: [exchange("000019"), exchange("000006")] }, BASE, {
        cookie: earlier,
        now,
      });
      await c.authorize();
      const list = await c.getRevisionIdList({ getConfig: true });
      expect(list.revisions).toHaveLength(30);
      expect(operationsOf(sent)).toEqual([
        "GetRevisionIdList",
        "GetAuthConfig",
        "GetAuthorizationCookie",
        "GetCookie",
        "GetRevisionIdList",
      ]);
      expect(c.cookie?.encryptedData).not.toBe(earlier.encryptedData);
    });
  });

  it("sends the old cookie when renewing", async () => {
    const { client: c, sent } = client({});
    const first = await c.authorize();
    await c.authorize();
    expect(sent[5]?.body).toContain(`<oldCookie><Expiration>${first.expiration}</Expiration>`);
  });
});

describe("GetConfigData", () => {
  it("reads limits, languages and the anchor (000005)", async () => {
    const { client: c, sent } = client({ GetConfigData: exchange("000005") });
    const config = await c.getConfigData();
    expectSameRequest(sent[3], exchange("000005"));
    expect(config).toMatchObject({
      protocolVersion: "1.20",
      maxNumberOfUpdatesPerRequest: 100,
      catalogOnlySync: false,
      lazySync: true,
      serverHostsPsfFiles: false,
      maxNumberOfDriverSetsPerRequest: 0,
      maxNumberOfComputerIdsInRequest: 0,
      maxNumberOfPnpHardwareIdsInRequest: 0,
      maxUpdatesPerRequestInGetUpdateDecryptionData: 100,
      newConfigAnchor: "9438,2026-10-04 16:33:26.670",
    });
    expect(config.languages).toHaveLength(39);
    expect(config.languages[0]).toEqual({ id: 0, shortLanguage: "all", longLanguage: "all", enabled: false });
    expect(config.languages.filter((l) => l.enabled)).toEqual([
      { id: 1033, shortLanguage: "en", longLanguage: "English", enabled: true },
    ]);
    expect(config.languages.find((l) => l.id === 1028)?.shortLanguage).toBe("zh-tw");
  });

  it("sends the config anchor and reads the short answer (000004)", async () => {
    const { client: c, sent } = client({ GetConfigData: exchange("000004") });
    const config = await c.getConfigData("9438,2026-10-04 16:09:27.167");
    expectSameRequest(sent[3], exchange("000004"));
    expect(config.languages).toEqual([]);
    expect(config.newConfigAnchor).toBe("9438,2026-10-04 16:33:26.668");
  });

  it("reads Microsoft Update's answer, whose fields come in another order", async () => {
    const body = readFileSync(join(FIXTURES, "microsoft_sync_config_20261006.xml"), "utf8");
    const { client: c } = client({ GetConfigData: { status: 200, body } });
    const config = await c.getConfigData();
    expect(config).toMatchObject({
      protocolVersion: "1.21",
      catalogOnlySync: true,
      lazySync: true,
      serverHostsPsfFiles: true,
      maxNumberOfUpdatesPerRequest: 100,
      maxNumberOfDriverSetsPerRequest: 100,
      maxNumberOfComputerIdsInRequest: 200,
      maxNumberOfPnpHardwareIdsInRequest: 450,
      maxUpdatesPerRequestInGetUpdateDecryptionData: 500,
      newConfigAnchor: "2026-10-05 17:27:44.393",
    });
    expect(config.languages).toHaveLength(39);
    expect(config.languages.filter((l) => l.enabled).map((l) => l.shortLanguage)).toEqual(["all"]);
  });
});

describe("GetRevisionIdList", () => {
  const product = "8c3fcc84-7410-4a95-8b89-a166a0190486";
  const definitions = "e0789628-ce08-4437-be74-2495b842f43b";

  it("lists the categories with GetConfig true (000006)", async () => {
    const { client: c, sent } = client({ GetRevisionIdList: exchange("000006") });
    const list = await c.getRevisionIdList({ getConfig: true });
    expectSameRequest(sent[3], exchange("000006"));
    expect(list.anchor).toBe("9438,2026-10-04 16:33:26.671");
    expect(list.revisions).toHaveLength(30);
    expect(list.revisions[0]).toEqual({ updateId: "e6cf1350-c01b-414d-a61f-263d14d133b4", revisionNumber: 100 });
    expect(list.revisions).toContainEqual({ updateId: "56309036-4c77-4dd9-951a-99ee9c246a94", revisionNumber: 101 });
    expect(list.revisions[29]).toEqual({ updateId: "7c40e8c2-01ae-47f5-9af2-6e75a0582518", revisionNumber: 2 });
  });

  it("lists a product's updates of one classification (000009)", async () => {
    const { client: c, sent } = client({ GetRevisionIdList: exchange("000009") });
    const list = await c.getRevisionIdList({
      getConfig: false,
      categories: [{ id: product, delta: false }],
      classifications: [{ id: definitions, delta: false }],
    });
    expectSameRequest(sent[3], exchange("000009"));
    expect(list.anchor).toBe("9438,2026-10-04 16:33:26.750");
    expect(list.revisions).toHaveLength(30);
    expect(list.revisions[0]).toEqual({ updateId: "8c55755c-2b9d-48cc-be8b-aedbf20911ec", revisionNumber: 201 });
    expect(list.revisions[29]).toEqual({ updateId: "a88bc768-7f57-42ba-b9b2-086f5c7c0b8b", revisionNumber: 200 });
  });

  it("asks for the delta since an anchor and gets nothing new (000011)", async () => {
    const { client: c, sent } = client({ GetRevisionIdList: exchange("000011") });
    const list = await c.getRevisionIdList({
      anchor: "9438,2026-10-04 16:09:27.371",
      getConfig: false,
      categories: [{ id: product, delta: true }],
      classifications: [{ id: definitions, delta: true }],
    });
    expectSameRequest(sent[3], exchange("000011"));
    expect(list).toEqual({ anchor: "9438,2026-10-04 16:33:26.848", revisions: [] });
  });

  const filters: [string, RevisionFilter][] = [
    ["000007", { getConfig: false, categories: [{ id: product, delta: false }] }],
    [
      "000008",
      {
        getConfig: false,
        categories: [{ id: product, delta: false }],
        classifications: [{ id: "0fa1201d-4330-4fa8-8ae9-b877473b6441", delta: false }],
      },
    ],
    [
      "000010",
      {
        anchor: "9438,2026-10-04 16:09:27.371",
        getConfig: false,
        categories: [{ id: product, delta: false }],
        classifications: [{ id: definitions, delta: false }],
      },
    ],
    ["000012", { anchor: "9438,2026-10-04 16:09:27.371", getConfig: false }],
  ];
  it.each(filters)("sends the filter of %s as captured", async (id, filter) => {
    const { client: c, sent } = client({ GetRevisionIdList: exchange(id) });
    await c.getRevisionIdList(filter);
    expectSameRequest(sent[3], exchange(id));
  });

  it("writes a language filter as LanguageAndDelta/Id", async () => {
    const { client: c, sent } = client({ GetRevisionIdList: exchange("000007") });
    await c.getRevisionIdList({ getConfig: false, languages: [{ lcid: 1033, delta: true }] });
    expect(sent[3]?.body).toContain(
      "<GetConfig>false</GetConfig><Languages><LanguageAndDelta><Id>1033</Id><Delta>true</Delta></LanguageAndDelta></Languages>",
    );
  });
});

describe("GetUpdateData", () => {
  it("returns the uncompressed blob of 000015 as a document parseUpdateXml reads", async () => {
    const { client: c, sent } = client({ GetUpdateData: exchange("000015") });
    const data = await c.getUpdateData([{ updateId: "ccb78947-6453-4ecc-9de8-bc0305c98f2d", revisionNumber: 200 }]);
    expectSameRequest(sent[3], exchange("000015"));
    expect(data.fileUrls).toEqual([]);
    expect(data.updates).toHaveLength(1);
    const [update] = data.updates;
    expect(update?.identity).toEqual({ updateId: "ccb78947-6453-4ecc-9de8-bc0305c98f2d", revisionNumber: 200 });
    expect(update?.fileDigests).toBeUndefined();
    expect(update?.xml.startsWith('<upd:Update xmlns:pub="http://schemas.microsoft.com/msus/2002/12/Publishing"')).toBe(
      true,
    );
    const record = parseUpdateXml(update?.xml ?? "");
    expect(record).toEqual(parseUpdateXml(realDocument("ccb78947")));
    expect(record.localized[0]?.title).toBe(
      "HIDDEN: Defender MpSigStub 1.1.24010.2001 for EngineBroad (Installer 1.1.24010.2001-Q)",
    );
  });

  it.each([
    ["000013", "a2fef9b0-7951-4c2c-a42b-9e351dd1c1fe", 200],
    ["000014", "266f6222-c89d-43f2-9f8a-69340271e677", 200],
    ["000016", "56309036-4c77-4dd9-951a-99ee9c246a94", 101],
  ] as const)(
    "sends the captured request of %s and decodes its compressed blob to the real document",
    async (id, updateId, revisionNumber) => {
      const { client: c, sent } = client({ GetUpdateData: exchange(id) });
      const data = await c.getUpdateData([{ updateId, revisionNumber }]);
      expectSameRequest(sent[3], exchange(id));
      expect(data.updates).toHaveLength(1);
      expect(data.updates[0]?.identity).toEqual({ updateId, revisionNumber });
      const doc = readFileSync(join(FIXTURES, "docs", `${updateId}-r${revisionNumber}.xml`), "utf8");
      expect(data.updates[0]?.xml).toBe(doc);
    },
  );

  it("returns the compressed (CAB/LZX) blob of 000013 as a document parseUpdateXml reads", async () => {
    const { client: c } = client({ GetUpdateData: exchange("000013") });
    const data = await c.getUpdateData([{ updateId: "a2fef9b0-7951-4c2c-a42b-9e351dd1c1fe", revisionNumber: 200 }]);
    expect(data.fileUrls).toEqual([]);
    const record = parseUpdateXml(data.updates[0]?.xml ?? "");
    expect(record.updateId).toBe("a2fef9b0-7951-4c2c-a42b-9e351dd1c1fe");
    expect(record.revisionNumber).toBe(200);
    expect(record.localized[0]?.title).toBe(
      "Security Intelligence Update for Microsoft Defender Antivirus - KB2267602 (Version 1.459.547.0) - Current Channel (Broad)",
    );
    expect(record.bundledUpdates).toHaveLength(124);
  });

  it("keeps the FileDigestList and fileUrls beside a compressed blob (000014)", async () => {
    const { client: c } = client({ GetUpdateData: exchange("000014") });
    const data = await c.getUpdateData([{ updateId: "266f6222-c89d-43f2-9f8a-69340271e677", revisionNumber: 200 }]);
    expect(data.updates[0]?.fileDigests).toEqual(["h/W9BGlYUAaqXTp30cZi/SiV3c0="]);
    expect(data.fileUrls).toHaveLength(1);
    expect(parseUpdateXml(data.updates[0]?.xml ?? "").files).toHaveLength(1);
  });

  it("reports a compressed blob it cannot decode as a protocol error naming the update and the fault", async () => {
    const captured = exchange("000016");
    const blob = /<XmlUpdateBlobCompressed>([^<]*)</.exec(captured.responseBody)?.[1] ?? "";
    const cabinet = Buffer.from(blob, "base64");
    cabinet.write("MSCX", 0, "latin1");
    const corrupted = { ...captured, responseBody: captured.responseBody.replace(blob, cabinet.toString("base64")) };
    const { client: c } = client({ GetUpdateData: corrupted });
    const call = c.getUpdateData([{ updateId: "56309036-4c77-4dd9-951a-99ee9c246a94", revisionNumber: 101 }]);
    await expect(call).rejects.toThrow(WsusssProtocolError);
    await expect(
      client({ GetUpdateData: corrupted }).client.getUpdateData([
        { updateId: "56309036-4c77-4dd9-951a-99ee9c246a94", revisionNumber: 101 },
      ]),
    ).rejects.toThrow(
      "GetUpdateData: GetUpdateDataResult/updates/ServerSyncUpdateData/XmlUpdateBlobCompressed: update 56309036-4c77-4dd9-951a-99ee9c246a94 " +
        'revision 101: the compressed blob cannot be decoded: signature is "MSCX", not "MSCF" (at cabinet offset 0)',
    );
  });

  it("reports truncated LZX data inside a compressed blob with the CFDATA block and offset", async () => {
    const captured = exchange("000014");
    const blob = /<XmlUpdateBlobCompressed>([^<]*)</.exec(captured.responseBody)?.[1] ?? "";
    const cabinet = Buffer.from(blob, "base64");
    const block = cabinet.readUInt32LE(0x24);
    const truncated = Buffer.from(cabinet.subarray(0, block + 8 + 900));
    truncated.writeUInt32LE(truncated.length, 8);
    truncated.writeUInt16LE(900, block + 4);
    truncated.writeUInt32LE(0, block);
    const corrupted = { ...captured, responseBody: captured.responseBody.replace(blob, truncated.toString("base64")) };
    const { client: c } = client({ GetUpdateData: corrupted });
    await expect(
      c.getUpdateData([{ updateId: "266f6222-c89d-43f2-9f8a-69340271e677", revisionNumber: 200 }]),
    ).rejects.toThrow(
      /^GetUpdateData: .*update 266f6222-c89d-43f2-9f8a-69340271e677 revision 200: the compressed blob cannot be decoded: .* in folder 0, CFDATA 0, byte \d+ \(cabinet offset \d+\)$/,
    );
  });
});

describe("faults", () => {
  it("reports InternalServerError for an unknown update (000017)", async () => {
    const { client: c, sent } = client({ GetUpdateData: exchange("000017") });
    const error = await c
      .getUpdateData([{ updateId: "00000000-0000-0000-0000-000000000001", revisionNumber: 1 }])
      .catch((e: unknown) => e);
    expectSameRequest(sent[3], exchange("000017"));
    expect(error).toBeInstanceOf(WsusssFault);
    expect(error).toMatchObject({
      errorCode: "InternalServerError",
      faultMessage: undefined,
      method: "http://www.microsoft.com/SoftwareDistribution/GetUpdateData",
      operation: "GetUpdateData",
      faultId: "b6114a8d-9939-41e0-ad7f-0d9a72260804",
      faultCode: "soap:Server",
      faultString: "Fault occurred",
      message: "WSUSSS fault InternalServerError (GetUpdateData)",
    });
  });

  it("reports InvalidParameters naming the filter for a bad anchor (000018)", async () => {
    const { client: c, sent } = client({ GetRevisionIdList: exchange("000018") });
    const error = await c.getRevisionIdList({ anchor: "garbage", getConfig: false }).catch((e: unknown) => e);
    expectSameRequest(sent[3], exchange("000018"));
    expect(error).toMatchObject({ errorCode: "InvalidParameters", faultMessage: "filter", faultCode: "soap:Client" });
    expect((error as Error).message).toBe("WSUSSS fault InvalidParameters: filter (GetRevisionIdList)");
  });

  it("re-authorizes once on InvalidCookie, then reports it (000019)", async () => {
    const { client: c, sent } = client({ GetRevisionIdList: exchange("000019") });
    const error = await c.getRevisionIdList({ getConfig: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WsusssFault);
    expect(error).toMatchObject({ errorCode: "InvalidCookie", faultId: "6ea693bc-a66e-4334-a797-043728561c7d" });
    const operations = sent.map((s) => s.soapAction.replace(/"/g, "").split("/").pop());
    expect(operations).toEqual([
      "GetAuthConfig",
      "GetAuthorizationCookie",
      "GetCookie",
      "GetRevisionIdList",
      "GetAuthConfig",
      "GetAuthorizationCookie",
      "GetCookie",
      "GetRevisionIdList",
    ]);
  });

  it("succeeds when the retry after InvalidCookie does", async () => {
    const { client: c } = client({ GetRevisionIdList: [exchange("000019"), exchange("000006")] });
    const list = await c.getRevisionIdList({ getConfig: true });
    expect(list.revisions).toHaveLength(30);
  });
});

describe("protocol and transport errors", () => {
  const config = exchange("000005").responseBody;

  it("names the operation and the element of a truncated answer", async () => {
    const cut = config.slice(0, config.indexOf("</LanguageUpdateList>"));
    const { client: c } = client({ GetConfigData: { status: 200, body: cut } });
    await expect(c.getConfigData()).rejects.toThrow(WsusssProtocolError);
    await expect(client({ GetConfigData: { status: 200, body: cut } }).client.getConfigData()).rejects.toThrow(
      /^GetConfigData: not well-formed XML: unclosed element <(ServerSyncLanguageData|LanguageUpdateList|[A-Za-z]+)>/,
    );
  });

  it("names a missing field", async () => {
    const body = config.replace(/<MaxNumberOfUpdatesPerRequest>100<\/MaxNumberOfUpdatesPerRequest>/, "");
    await expect(client({ GetConfigData: { status: 200, body } }).client.getConfigData()).rejects.toThrow(
      "GetConfigData: GetConfigDataResult/MaxNumberOfUpdatesPerRequest: missing",
    );
  });

  it("reports an unexpected HTTP status and a body that is not SOAP", async () => {
    const html = { status: 404, statusText: "Not Found", body: "<html><body>Not Found</body></html>" };
    await expect(client({ GetConfigData: html }).client.getConfigData()).rejects.toThrow(
      /^GetConfigData: HTTP 404 Not Found, expected a SOAP 1\.1 Envelope, found <html>/,
    );
    await expect(client({ GetConfigData: { status: 200, body: "OK" } }).client.getConfigData()).rejects.toThrow(
      /^GetConfigData: not well-formed XML/,
    );
    const wrong = exchange("000006").responseBody;
    await expect(client({ GetConfigData: { status: 200, body: wrong } }).client.getConfigData()).rejects.toThrow(
      "GetConfigData: expected GetConfigDataResponse, found <GetRevisionIdListResponse>",
    );
    await expect(client({ GetConfigData: { status: 503, body: config } }).client.getConfigData()).rejects.toThrow(
      "GetConfigData: unexpected HTTP status 503 without a SOAP fault",
    );
  });

  it("refuses an answer with a DOCTYPE", async () => {
    const body = `<!DOCTYPE x [<!ENTITY e "e">]>${config.replace(/^<\?xml[^>]*\?>/, "")}`;
    await expect(client({ GetConfigData: { status: 200, body } }).client.getConfigData()).rejects.toThrow(
      /DOCTYPE and ENTITY declarations are not accepted/,
    );
  });

  it("wraps network failures with their cause", async () => {
    const cause = new TypeError("fetch failed");
    const c = new WsusssClient({ baseUrl: BASE, fetch: (async () => Promise.reject(cause)) as typeof fetch });
    const error = await c.getAuthConfig().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WsusssTransportError);
    expect((error as WsusssTransportError).cause).toBe(cause);
    expect((error as Error).message).toBe(
      `GetAuthConfig: fetch failed (POST ${BASE}/ServerSyncWebService/ServerSyncWebService.asmx)`,
    );
  });

  it("times out a call that does not answer", async () => {
    const hanging = ((_url: unknown, init?: RequestInit) =>
      new Promise((_resolve, reject) => {
        init?.signal?.addEventListener("abort", () => reject(init.signal?.reason));
      })) as typeof fetch;
    const c = new WsusssClient({ baseUrl: BASE, fetch: hanging, timeoutMs: 30 });
    const error = await c.getAuthConfig().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WsusssTransportError);
    expect((error as Error).message).toMatch(/^GetAuthConfig: timed out after 30 ms/);
  });

  it("refuses an answer larger than maxResponseBytes, announced or streamed", async () => {
    const big = exchange("000005");
    const announced = new WsusssClient({
      baseUrl: BASE,
      fetch: fakeUpstream({ GetAuthConfig: big }).fetch,
      maxResponseBytes: 1000,
    });
    await expect(announced.getAuthConfig()).rejects.toThrow("GetAuthConfig: answer is larger than 1000 bytes");
    const chunked = (async () => {
      const chunk = new TextEncoder().encode("x".repeat(600));
      const body = new ReadableStream({
        start(controller) {
          controller.enqueue(chunk);
          controller.enqueue(chunk);
          controller.close();
        },
      });
      return new Response(body, { status: 200 });
    }) as typeof fetch;
    const streamed = new WsusssClient({ baseUrl: BASE, fetch: chunked, maxResponseBytes: 1000 });
    await expect(streamed.getAuthConfig()).rejects.toThrow("GetAuthConfig: answer is larger than 1000 bytes");
  });

  it("refuses a service URL that is not http(s)", async () => {
    const c = new WsusssClient({ baseUrl: BASE, fetch: fakeUpstream({}).fetch });
    await expect(c.getAuthorizationCookie("file:///etc/passwd")).rejects.toThrow(/is not http or https/);
  });
});
