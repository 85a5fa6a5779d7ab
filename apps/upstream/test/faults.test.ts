// Each injected fault kind, seen by our own MS-WSUSSS client over real HTTP: what a downstream server experiences.
import {
  HOSTILE_XML_ATTACKS,
  HOSTILE_XML_VERDICTS,
  hostileXml,
  WsusssClient,
  WsusssFault,
  WsusssLimitError,
  WsusssProtocolError,
  WsusssTransportError,
  parseUpdateXml,
  UpdateXmlError,
} from "@syncpoint/wsusss";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { json, startUpstream, type RunningUpstream } from "./harness.ts";

let upstream: RunningUpstream;
beforeAll(async () => {
  upstream = await startUpstream();
});
afterAll(() => upstream.close());
afterEach(() => void upstream.faults.remove());

const client = () => new WsusssClient({ baseUrl: upstream.url, timeoutMs: 5_000 });
const someIds = () => upstream.store.revisionIdList({ getConfig: false }).revisions.slice(0, 5);

async function admin(method: string, path: string, body?: unknown) {
  return fetch(upstream.url + path, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

describe("fault injection", () => {
  it("latency delays the chosen operation only", async () => {
    await admin("POST", "/admin/faults", { operation: "GetConfigData", kind: "latency", latencyMs: 300 });
    const c = client();
    await c.authorize();
    const t0 = Date.now();
    await c.getRevisionIdList({ getConfig: true });
    const fast = Date.now() - t0;
    const t1 = Date.now();
    await c.getConfigData();
    expect(Date.now() - t1).toBeGreaterThanOrEqual(290);
    expect(fast).toBeLessThan(250);
  });

  it("http-5xx answers an HTML error page with the status", async () => {
    await admin("POST", "/admin/faults", { operation: "GetConfigData", kind: "http-5xx", errorCode: "502" });
    const c = client();
    await c.authorize();
    await expect(c.getConfigData()).rejects.toSatisfy(
      (e: unknown) => e instanceof WsusssProtocolError && /502/.test((e as Error).message),
    );
  });

  it("reset drops the connection", async () => {
    await admin("POST", "/admin/faults", { operation: "GetAuthConfig", kind: "reset" });
    await expect(client().authorize()).rejects.toBeInstanceOf(WsusssTransportError);
  });

  it("soap-fault answers a real SOAP fault with the given code", async () => {
    await admin("POST", "/admin/faults", {
      operation: "GetRevisionIdList",
      kind: "soap-fault",
      errorCode: "InternalServerError",
    });
    const c = client();
    await c.authorize();
    await expect(c.getRevisionIdList({ getConfig: true })).rejects.toSatisfy(
      (e: unknown) => e instanceof WsusssFault && e.errorCode === "InternalServerError",
    );
  });

  it("invalid-cookie: the client re-authorizes once and succeeds; a persistent one fails", async () => {
    await admin("POST", "/admin/faults", { operation: "GetConfigData", kind: "invalid-cookie", count: 1 });
    const c = client();
    await c.authorize();
    await expect(c.getConfigData()).resolves.toMatchObject({ maxNumberOfUpdatesPerRequest: 100 });
    await admin("POST", "/admin/faults", { operation: "GetConfigData", kind: "invalid-cookie" });
    await expect(c.getConfigData()).rejects.toSatisfy(
      (e: unknown) => e instanceof WsusssFault && e.errorCode === "InvalidCookie",
    );
  });

  it("malformed and truncated answers are protocol errors, not crashes", async () => {
    const c = client();
    await c.authorize();
    await admin("POST", "/admin/faults", { operation: "GetRevisionIdList", kind: "malformed", count: 1 });
    await expect(c.getRevisionIdList({ getConfig: true })).rejects.toBeInstanceOf(WsusssProtocolError);
    await admin("POST", "/admin/faults", { operation: "GetRevisionIdList", kind: "truncated", count: 1 });
    await expect(c.getRevisionIdList({ getConfig: true })).rejects.toBeInstanceOf(WsusssProtocolError);
    await expect(c.getRevisionIdList({ getConfig: true })).resolves.toMatchObject({ revisions: expect.any(Array) });
  });

  it("bad-record corrupts one update document of a GetUpdateData answer", async () => {
    await admin("POST", "/admin/faults", { operation: "GetUpdateData", kind: "bad-record" });
    const c = client();
    await c.authorize();
    const data = await c.getUpdateData(someIds());
    const outcomes = data.updates.map(({ xml }) => {
      try {
        parseUpdateXml(xml);
        return "ok";
      } catch {
        return "bad";
      }
    });
    expect(outcomes).toEqual(["bad", "ok", "ok", "ok", "ok"]);
  });

  it("slow-drip delivers the real answer slowly", async () => {
    await admin("POST", "/admin/faults", { operation: "GetUpdateData", kind: "slow-drip", latencyMs: 400 });
    const c = client();
    await c.authorize();
    const t0 = Date.now();
    const data = await c.getUpdateData(someIds());
    expect(Date.now() - t0).toBeGreaterThanOrEqual(350);
    expect(data.updates).toHaveLength(5);
  });

  it.each(HOSTILE_XML_ATTACKS)(
    "hostile-xml %s: the client refuses the answer with the attack's error",
    async (attack) => {
      const c = new WsusssClient({ baseUrl: upstream.url, timeoutMs: 5_000, maxResponseBytes: 4 * 1024 * 1024 });
      await c.authorize();
      await admin("POST", "/admin/faults", {
        operation: "GetConfigData",
        kind: "hostile-xml",
        document: attack,
        count: 1,
      });
      const error = await c.getConfigData().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WsusssProtocolError);
      expect(error instanceof WsusssLimitError, String(error)).toBe(HOSTILE_XML_VERDICTS[attack] === "refused");
      await expect(c.getConfigData()).resolves.toMatchObject({ maxNumberOfUpdatesPerRequest: 100 });
    },
  );

  it("hostile-record turns the first update document of a GetUpdateData answer into a hostile one", async () => {
    await admin("POST", "/admin/faults", {
      operation: "GetUpdateData",
      kind: "hostile-record",
      document: "deep-nesting",
    });
    const c = client();
    await c.authorize();
    const data = await c.getUpdateData(someIds());
    const outcomes = data.updates.map(({ xml }) => {
      try {
        parseUpdateXml(xml);
        return "ok";
      } catch (err) {
        return err instanceof UpdateXmlError && err.unsafe ? "refused" : "bad";
      }
    });
    expect(outcomes).toEqual(["refused", "ok", "ok", "ok", "ok"]);
  });

  it("hostile-xml needs a known document", async () => {
    const bad = await admin("POST", "/admin/faults", { operation: "*", kind: "hostile-xml", document: "meteor" });
    expect(bad.status).toBe(400);
  });

  it("fires at the given rate, for the given count, and can be listed and removed", async () => {
    const created = await json(
      await admin("POST", "/admin/faults", { operation: "*", kind: "latency", latencyMs: 1, rate: 0.5 }),
    );
    const listed = await json(await admin("GET", "/admin/faults"));
    expect(listed.items).toEqual([expect.objectContaining({ id: created.id, operation: "*", rate: 0.5 })]);
    expect((await admin("DELETE", `/admin/faults/${created.id}`)).status).toBe(204);
    expect((await admin("DELETE", `/admin/faults/${created.id}`)).status).toBe(404);
    const bad = await admin("POST", "/admin/faults", { operation: "GetUpdateData", kind: "meteor" });
    expect(bad.status).toBe(400);
  });
});

describe("the SOAP endpoints", () => {
  it("answer hostile requests with a SOAP fault and keep answering", async () => {
    const valid =
      '<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">' +
      '<soap:Body><GetAuthConfig xmlns="http://www.microsoft.com/SoftwareDistribution" /></soap:Body></soap:Envelope>';
    const post = (body: NonNullable<RequestInit["body"]>) =>
      fetch(`${upstream.url}/ServerSyncWebService/ServerSyncWebService.asmx`, {
        method: "POST",
        headers: { "content-type": "text/xml; charset=utf-8" },
        body,
      });
    for (const attack of HOSTILE_XML_ATTACKS) {
      const response = await post(hostileXml(attack, valid));
      expect(response.status, attack).toBe(500);
      expect(await response.text(), attack).toContain("<ErrorCode>InvalidParameters</ErrorCode>");
      expect((await post(valid)).status, attack).toBe(200);
    }
  });
});

describe("the admin API", () => {
  it("answers stats, digest and advance", async () => {
    const stats = await json(await admin("GET", "/admin/stats"));
    expect(stats).toMatchObject({ total: 300, period: expect.any(Number) });
    const digest = await json(await admin("GET", "/admin/digest"));
    expect(digest.count).toBe(stats.total);
    const advanced = await json(await admin("POST", "/admin/advance", {}));
    expect(advanced).toMatchObject({
      period: stats.period + 1,
      added: expect.any(Number),
      newProducts: expect.any(Array),
    });
    const bad = await admin("GET", "/admin/digest?products=windows");
    expect(bad.status).toBe(400);
  });

  it("requires the bearer token when one is configured", async () => {
    const secured = await startUpstream({ adminToken: "a-long-enough-admin-token" });
    try {
      expect((await fetch(`${secured.url}/admin/stats`)).status).toBe(401);
      const ok = await fetch(`${secured.url}/admin/stats`, {
        headers: { authorization: "Bearer a-long-enough-admin-token" },
      });
      expect(ok.status).toBe(200);
    } finally {
      await secured.close();
    }
  });

  it("searches the catalog", async () => {
    const found = await json(
      await fetch(`${upstream.url}/catalog/search?q=${encodeURIComponent("cumulative update")}`),
    );
    expect(found.items.length).toBeGreaterThan(0);
    expect((await fetch(`${upstream.url}/catalog/search?q=`)).status).toBe(400);
  });
});
