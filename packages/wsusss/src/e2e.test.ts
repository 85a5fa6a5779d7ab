// The client against the server over real HTTP on 127.0.0.1, with an in-memory upstream holding real and generated
// documents: the whole DSS sync (authorize, config, categories, filtered updates, batched documents, a delta).
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WsusssClient } from "./client.ts";
import { WsusssFault } from "./faults.ts";
import { createWsusssServer, type WsusssBackend, type WsusssServer } from "./server.ts";
import { realDocument } from "./test-support.ts";
import type { FileUrl, RevisionFilter, ServerSyncConfig, UpdateIdentity, UpdateRecord } from "./types.ts";
import { wsusssUpdateKey } from "./types.ts";
import { parseUpdateXml, renderUpdateXml } from "./update-xml.ts";

const DEFENDER = "8c3fcc84-7410-4a95-8b89-a166a0190486";
const DEFINITION_UPDATES = "e0789628-ce08-4437-be74-2495b842f43b";
const SECURITY_UPDATES = "0fa1201d-4330-4fa8-8ae9-b877473b6441";
const CONTOSO = "c0c0c0c0-0000-4000-8000-000000000001";
const BASE_PATH = "/sup/CAS";

interface Entry {
  record: UpdateRecord;
  xml: string;
  version: number;
}

/** A small upstream: versions for anchors, product/classification filtering, Delta honoured. */
class MemoryUpstream implements WsusssBackend {
  private version = 0;
  readonly entries: Entry[] = [];
  readonly requestedBatches: number[] = [];

  add(record: UpdateRecord, xml = renderUpdateXml(record)): void {
    this.version += 1;
    this.entries.push({ record, xml, version: this.version });
  }

  config(configAnchor?: string): ServerSyncConfig {
    return {
      protocolVersion: "1.20",
      maxNumberOfUpdatesPerRequest: 100,
      catalogOnlySync: true,
      lazySync: true,
      serverHostsPsfFiles: false,
      maxNumberOfDriverSetsPerRequest: 0,
      maxNumberOfComputerIdsInRequest: 0,
      maxNumberOfPnpHardwareIdsInRequest: 0,
      maxUpdatesPerRequestInGetUpdateDecryptionData: 100,
      newConfigAnchor: "config-1",
      languages:
        configAnchor === "config-1"
          ? []
          : [
              { id: 0, shortLanguage: "all", longLanguage: "all", enabled: false },
              { id: 1033, shortLanguage: "en", longLanguage: "English", enabled: true },
            ],
    };
  }

  revisionIdList(filter: RevisionFilter) {
    let since = 0;
    if (filter.anchor !== undefined) {
      const match = /^v(\d+)$/.exec(filter.anchor);
      if (!match) throw new WsusssFault("InvalidParameters", "filter");
      since = Number(match[1]);
    }
    const items = [...(filter.categories ?? []), ...(filter.classifications ?? [])];
    const deltaOnly = filter.getConfig || (items.length > 0 && items.every((i) => i.delta));
    const categories = new Set(filter.categories?.map((c) => c.id));
    const classifications = new Set(filter.classifications?.map((c) => c.id));
    const revisions = this.entries
      .filter(({ record, version }) => {
        if (deltaOnly && version <= since) return false;
        const isConfig = record.updateType === "Category" || record.updateType === "Detectoid";
        if (filter.getConfig) return isConfig;
        if (isConfig) return false;
        const inProduct = categories.size === 0 || record.productIds.some((id) => categories.has(id));
        const inClassification =
          classifications.size === 0 ||
          record.classificationIds.length === 0 ||
          record.classificationIds.some((id) => classifications.has(id));
        return inProduct && inClassification;
      })
      .map(({ record }) => ({ updateId: record.updateId, revisionNumber: record.revisionNumber }));
    return { anchor: `v${this.version}`, revisions };
  }

  updateXml(ids: UpdateIdentity[]): Map<string, string> {
    this.requestedBatches.push(ids.length);
    const byKey = new Map(this.entries.map((e) => [wsusssUpdateKey(e.record), e.xml]));
    return new Map(
      ids.flatMap((id) =>
        byKey.has(wsusssUpdateKey(id)) ? [[wsusssUpdateKey(id), byKey.get(wsusssUpdateKey(id)) ?? ""]] : [],
      ),
    );
  }

  fileUrls(digests: string[]): FileUrl[] {
    return digests.map((d) => ({
      fileDigest: d,
      muUrl: `http://download.windowsupdate.com/d/${Buffer.from(d, "base64").toString("hex")}`,
    }));
  }

  record(identity: UpdateIdentity): UpdateRecord | undefined {
    return this.entries.find((e) => wsusssUpdateKey(e.record) === wsusssUpdateKey(identity))?.record;
  }
}

function category(
  updateId: string,
  categoryType: UpdateRecord["categoryType"],
  title: string,
  parents: string[] = [],
): UpdateRecord {
  return {
    updateId,
    revisionNumber: 100,
    updateType: "Category",
    categoryType,
    parentCategoryIds: parents,
    defaultLanguage: "en",
    localized: [{ language: "en", title, description: title }],
    creationDate: "2005-09-22T00:05:11.471Z",
    publicationState: "Published",
    kbArticleIds: [],
    securityBulletinIds: [],
    cveIds: [],
    classificationIds: [],
    productIds: [],
    prerequisiteIds: [],
    bundledUpdates: [],
    supersededUpdateIds: [],
    files: [],
  };
}

function contosoUpdate(n: number, revisionNumber = 200): UpdateRecord {
  const hex = n.toString(16).padStart(12, "0");
  return {
    updateId: `a0000000-0000-4000-8000-${hex}`,
    revisionNumber,
    updateType: "Software",
    parentCategoryIds: [],
    defaultLanguage: "en",
    localized: [
      {
        language: "en",
        title: `2026-10 Security Update for Contoso Widgets (KB${5040000 + n})`,
        description: "Fixes <things> & stuff",
      },
      { language: "de", title: `2026-10 Sicherheitsupdate für Contoso Widgets (KB${5040000 + n})` },
    ],
    creationDate: new Date(Date.UTC(2026, 9, 1) + n * 60_000).toISOString(),
    publicationState: n % 17 === 0 ? "Expired" : "Published",
    msrcSeverity: n % 2 === 0 ? "Important" : "Critical",
    kbArticleIds: [String(5040000 + n)],
    securityBulletinIds: [],
    cveIds: [`CVE-2026-${20000 + n}`],
    supportUrl: "https://support.contoso.example/help",
    moreInfoUrl: `https://support.contoso.example/kb/${5040000 + n}`,
    classificationIds: [SECURITY_UPDATES],
    productIds: [CONTOSO],
    prerequisiteIds: ["59653007-e2e9-4f71-8525-2ff588527978"],
    bundledUpdates: [],
    supersededUpdateIds: n > 1 ? [`a0000000-0000-4000-8000-${(n - 1).toString(16).padStart(12, "0")}`] : [],
    files: [
      {
        fileName: `widgets-kb${5040000 + n}-x64.msu`,
        size: 1_000_000 + n,
        sha1Digest: Buffer.alloc(20, n).toString("base64"),
        sha256Digest: Buffer.alloc(32, n).toString("base64"),
        modified: "2026-10-01T00:00:00Z",
      },
    ],
    maxDownloadSize: 1_000_000 + n,
  };
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

const upstream = new MemoryUpstream();
let wsus: WsusssServer = createWsusssServer({ backend: upstream, cookieSecret: "first-secret-for-e2e-tests" });
let http: Server;
let baseUrl: string;

beforeAll(async () => {
  for (const prefix of ["56309036", "6964aab4", "dd78b8a1"]) {
    const xml = realDocument(prefix);
    upstream.add(parseUpdateXml(xml), xml);
  }
  upstream.add(category(DEFENDER, "Product", "Microsoft Defender Antivirus", ["6964aab4-c5b5-43bd-a17d-ffb4346a8e1d"]));
  upstream.add(category(CONTOSO, "Product", "Contoso Widgets", ["56309036-4c77-4dd9-951a-99ee9c246a94"]));
  upstream.add(category(DEFINITION_UPDATES, "UpdateClassification", "Definition Updates"));
  upstream.add(category(SECURITY_UPDATES, "UpdateClassification", "Security Updates"));
  for (const prefix of ["a2fef9b0", "ccb78947", "1f9bd9bb", "266f6222", "7366a74a", "ff36f0b5"]) {
    const xml = realDocument(prefix);
    upstream.add(parseUpdateXml(xml), xml);
  }
  for (let n = 1; n <= 230; n++) upstream.add(contosoUpdate(n));

  http = createServer((request, response) => {
    void (async () => {
      const body = await readBody(request);
      const path = request.url ?? "";
      const headers = { soapAction: request.headers.soapaction as string | undefined };
      const answer =
        request.method !== "POST"
          ? { status: 405, contentType: "text/plain", body: "POST only" }
          : path === `${BASE_PATH}/ServerSyncWebService/ServerSyncWebService.asmx`
            ? await wsus.handleServerSync(body, headers)
            : path === `${BASE_PATH}/DssAuthWebService/DssAuthWebService.asmx`
              ? await wsus.handleDssAuth(body, headers)
              : { status: 404, contentType: "text/plain", body: "Not Found" };
      response.writeHead(answer.status, { "content-type": answer.contentType });
      response.end(answer.body);
    })();
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}${BASE_PATH}`;
});

afterAll(async () => {
  await new Promise<void>((resolve, reject) => http.close((err) => (err ? reject(err) : resolve())));
});

describe("a DSS syncing from our server over HTTP", () => {
  let client: WsusssClient;
  let updatesAnchor: string;

  it("authorizes and reads the configuration", async () => {
    client = new WsusssClient({
      baseUrl,
      accountName: "primary.lab.invalid",
      accountGuid: "6f1c2f6e-3f0b-4d3a-9b1e-0d2f6a1c5e99",
    });
    const cookie = await client.authorize();
    expect(Date.parse(cookie.expiration) - Date.now()).toBeGreaterThan(239 * 60_000);
    const config = await client.getConfigData();
    expect(config).toEqual(upstream.config());
    expect((await client.getConfigData(config.newConfigAnchor)).languages).toEqual([]);
  });

  let categoryIds: Set<string>;

  it("syncs the categories (GetConfig true) and gets their documents back unchanged", async () => {
    const list = await client.getRevisionIdList({ getConfig: true });
    expect(list.anchor).toBe("v243");
    expect(list.revisions).toHaveLength(7);
    const data = await client.getUpdateData(list.revisions);
    const records = data.updates.map((u) => parseUpdateXml(u.xml));
    expect(records).toEqual(list.revisions.map((r) => upstream.record(r)));
    expect(records.map((r) => [r.localized[0]?.title, r.categoryType])).toEqual([
      ["Microsoft", "Company"],
      ["Windows", "ProductFamily"],
      ["OOBE ZDP", "Product"],
      ["Microsoft Defender Antivirus", "Product"],
      ["Contoso Widgets", "Product"],
      ["Definition Updates", "UpdateClassification"],
      ["Security Updates", "UpdateClassification"],
    ]);
    categoryIds = new Set(records.map((r) => r.updateId));
  });

  it("syncs the filtered updates in batches of MaxNumberOfUpdatesPerRequest", async () => {
    const list = await client.getRevisionIdList({
      getConfig: false,
      categories: [
        { id: DEFENDER, delta: false },
        { id: CONTOSO, delta: false },
      ],
      classifications: [
        { id: DEFINITION_UPDATES, delta: false },
        { id: SECURITY_UPDATES, delta: false },
      ],
    });
    updatesAnchor = list.anchor;
    expect(list.revisions).toHaveLength(236);

    const batches: UpdateIdentity[][] = [];
    for (let i = 0; i < list.revisions.length; i += 100) batches.push(list.revisions.slice(i, i + 100));
    upstream.requestedBatches.length = 0;
    const answers = await Promise.all(batches.map((batch) => client.getUpdateData(batch)));
    expect(upstream.requestedBatches).toEqual([100, 100, 36]);

    const updates = answers.flatMap((a) => a.updates);
    expect(updates.map((u) => u.identity)).toEqual(list.revisions);
    const isCategoryId = (id: string) => categoryIds.has(id);
    for (const update of updates) {
      expect(parseUpdateXml(update.xml, { isCategoryId })).toEqual(upstream.record(update.identity));
    }

    // File URLs come with the documents that have files: two Defender deltas, the engine, 230 Contoso packages.
    const fileUrls = answers.flatMap((a) => a.fileUrls);
    expect(fileUrls).toHaveLength(233);
    expect(fileUrls).toContainEqual({
      fileDigest: "h/W9BGlYUAaqXTp30cZi/SiV3c0=",
      muUrl: "http://download.windowsupdate.com/d/87f5bd0469585006aa5d3a77d1c662fd2895ddcd",
    });
    const delta = updates.find((u) => u.identity.updateId === "266f6222-c89d-43f2-9f8a-69340271e677");
    expect(delta?.fileDigests).toEqual(["h/W9BGlYUAaqXTp30cZi/SiV3c0="]);
  });

  it("gets only the new revision on the next delta sync", async () => {
    const revised = contosoUpdate(42, 201);
    revised.localized[0] = { language: "en", title: "2026-10 Security Update for Contoso Widgets (KB5040042) v2" };
    upstream.add(revised);
    const list = await client.getRevisionIdList({
      anchor: updatesAnchor,
      getConfig: false,
      categories: [{ id: CONTOSO, delta: true }],
      classifications: [{ id: SECURITY_UPDATES, delta: true }],
    });
    expect(list).toEqual({ anchor: "v244", revisions: [{ updateId: revised.updateId, revisionNumber: 201 }] });
    const data = await client.getUpdateData(list.revisions);
    expect(parseUpdateXml(data.updates[0]?.xml ?? "")).toEqual(revised);
  });

  it("reports a bad anchor as InvalidParameters naming the filter", async () => {
    const error = await client.getRevisionIdList({ anchor: "garbage", getConfig: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WsusssFault);
    expect(error).toMatchObject({ errorCode: "InvalidParameters", faultMessage: "filter" });
  });

  it("re-authorizes by itself when the server no longer knows its cookie", async () => {
    const before = client.cookie;
    wsus = createWsusssServer({ backend: upstream, cookieSecret: "second-secret-after-a-restart" });
    const list = await client.getRevisionIdList({ getConfig: true });
    expect(list.revisions).toHaveLength(7);
    expect(client.cookie?.encryptedData).not.toBe(before?.encryptedData);
  });

  it("faults an unknown revision as InternalServerError", async () => {
    const error = await client
      .getUpdateData([{ updateId: "00000000-0000-0000-0000-000000000001", revisionNumber: 1 }])
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ errorCode: "InternalServerError", faultCode: "soap:Server" });
  });
});

describe("cookie renewal", () => {
  it("renews a cookie that is about to expire before using it, sending the old one", async () => {
    let clock = Date.now();
    const bodies: string[] = [];
    const counting: typeof fetch = async (input, init) => {
      bodies.push(String(init?.body ?? ""));
      return fetch(input, init);
    };
    const client = new WsusssClient({ baseUrl, fetch: counting, now: () => clock, renewBeforeMs: 2 * 60_000 });
    await client.authorize();
    await client.getConfigData();
    const getCookies = () => bodies.filter((b) => b.includes("<GetCookie ")).length;
    expect(getCookies()).toBe(1);
    // 239 minutes later, one minute of the 240-minute cookie is left: the next call renews first.
    clock += 239 * 60_000;
    await client.getConfigData();
    expect(getCookies()).toBe(2);
    expect(bodies.filter((b) => b.includes("<GetCookie ")).at(-1)).toContain("<oldCookie>");
    // Back to the server's time: the fresh cookie has its 240 minutes and is used as it is.
    clock = Date.now();
    await client.getConfigData();
    expect(getCookies()).toBe(2);
  });
});
