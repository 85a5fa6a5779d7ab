// Hostile XML against both halves (issue #9): every document of the corpus in hostile-xml.ts, written into each real
// request and answer of the captures, is refused by the client with a specific error (WsusssLimitError when a safety
// rule refused it, WsusssProtocolError when it is malformed — never a crash, never a hang), and answered by the server
// half with a SOAP fault, after which the server answers the next valid request as before. Also over real HTTP, where
// the body limit is enforced while the body streams in.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CabLimitError } from "./cab.ts";
import { storedBlocks, writeCabinet } from "./cab-test-support.ts";
import { WsusssClient } from "./client.ts";
import { WsusssLimitError, WsusssProtocolError } from "./faults.ts";
import { HOSTILE_XML_ATTACKS, HOSTILE_XML_VERDICTS, hostileXml, type HostileXmlAttack } from "./hostile-xml.ts";
import { createWsusssServer, type WsusssServer } from "./server.ts";
import { exchange, realDocument } from "./test-support.ts";
import { wsusssUpdateKey } from "./types.ts";
import { decodeCompressedUpdateBlob, MAX_UPDATE_BLOB_BYTES } from "./update-blob.ts";
import { parseUpdateXml, UpdateXmlError } from "./update-xml.ts";
import { decodeUtf8, firstInvalidUtf8, Utf8Error } from "./utf8.ts";
import { parseXml, XmlError, XmlLimitError } from "./xml.ts";

const BASE = "http://wsus.test:8530";
const MAX_ANSWER = 4 * 1024 * 1024; // the client's answer limit in these tests, so "oversized" (5 MiB) passes it

const AUTH = { GetAuthConfig: "000001", GetAuthorizationCookie: "000002", GetCookie: "000003" };
const STUB = { updateId: "ccb78947-6453-4ecc-9de8-bc0305c98f2d", revisionNumber: 200 };

/** A client whose upstream answers `operation` with `bytes` and everything else from the captures. */
function clientAnswering(operation: string, bytes: Buffer, maxResponseBytes = MAX_ANSWER) {
  const fetchImpl = async (_url: string | URL | Request, init?: RequestInit) => {
    const action = new Headers(init?.headers).get("soapaction") ?? "";
    const op = action.replace(/"/g, "").split("/").pop() ?? "";
    const body = op === operation ? bytes : exchange(AUTH[op as keyof typeof AUTH]).responseBody;
    return new Response(body, { status: 200, headers: { "content-type": "text/xml; charset=utf-8" } });
  };
  return new WsusssClient({ baseUrl: BASE, fetch: fetchImpl as typeof fetch, maxResponseBytes });
}

const CLIENT_CALLS: Record<string, { capture: string; call: (c: WsusssClient) => Promise<unknown> }> = {
  GetAuthConfig: { capture: "000001", call: (c) => c.getAuthConfig() },
  GetAuthorizationCookie: { capture: "000002", call: (c) => c.getAuthorizationCookie("/DssAuthWebService/x.asmx") },
  GetCookie: {
    capture: "000003",
    call: (c) => c.getCookie({ plugInId: "DssTargeting", cookieData: "AAAA" }),
  },
  GetConfigData: { capture: "000005", call: (c) => c.getConfigData() },
  GetRevisionIdList: { capture: "000006", call: (c) => c.getRevisionIdList({ getConfig: true }) },
  GetUpdateData: { capture: "000013", call: (c) => c.getUpdateData([STUB]) },
};

async function outcome(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
    return "accepted";
  } catch (err) {
    return err;
  }
}

describe("the corpus", () => {
  it("has every attack the issue names, each with a verdict", () => {
    expect(HOSTILE_XML_ATTACKS).toEqual(Object.keys(HOSTILE_XML_VERDICTS));
    expect(HOSTILE_XML_ATTACKS.length).toBeGreaterThanOrEqual(13);
  });

  it.each(HOSTILE_XML_ATTACKS)("%s: parseXml answers with the verdict's error class", (attack) => {
    const bytes = hostileXml(attack, exchange("000005").responseBody);
    let error: unknown;
    try {
      parseXml(decodeUtf8(bytes), { maxLength: MAX_ANSWER });
    } catch (err) {
      error = err;
    }
    if (HOSTILE_XML_VERDICTS[attack] === "refused") expect(error).toBeInstanceOf(XmlLimitError);
    else {
      expect(error instanceof Utf8Error || error instanceof XmlError).toBe(true);
      expect(error).not.toBeInstanceOf(XmlLimitError);
    }
  });

  it("refuses the cheap attacks quickly (nothing is expanded or built)", () => {
    const base = exchange("000005").responseBody;
    for (const attack of ["billion-laughs", "quadratic-blowup", "deep-nesting", "many-elements"] as const) {
      const text = decodeUtf8(hostileXml(attack, base));
      const started = performance.now();
      expect(() => parseXml(text)).toThrow(XmlLimitError);
      expect(performance.now() - started, attack).toBeLessThan(1000);
    }
  });
});

describe("strict UTF-8", () => {
  it("names the first invalid byte and decodes valid text, BOM dropped", () => {
    expect(decodeUtf8(Buffer.from("\uFEFFgrüße 𝄞", "utf8"))).toBe("grüße 𝄞");
    const cases: [number[], number][] = [
      [[0x41, 0xc3, 0x28], 1], // a two-byte lead without its continuation
      [[0x41, 0xff], 1],
      [[0xed, 0xa0, 0x80], 0], // an encoded surrogate
      [[0xc0, 0xaf], 0], // overlong "/"
      [[0xf4, 0x90, 0x80, 0x80], 0], // past U+10FFFF
      [[0x41, 0x42, 0xe2, 0x82], 2], // cut short
    ];
    for (const [bytes, offset] of cases) {
      expect(firstInvalidUtf8(Uint8Array.from(bytes)), bytes.join(",")).toBe(offset);
      expect(() => decodeUtf8(Uint8Array.from(bytes))).toThrow(`not valid UTF-8 (at byte ${offset})`);
    }
  });
});

describe("the client refuses every hostile answer with a specific error", () => {
  for (const [operation, { capture, call }] of Object.entries(CLIENT_CALLS)) {
    it.each(HOSTILE_XML_ATTACKS)(`${operation}: %s`, async (attack) => {
      // A revision list may hold up to 4 million elements (16 MB of them): for it, "many elements" means more.
      const longList = operation === "GetRevisionIdList" && attack === "many-elements";
      const bytes = longList
        ? Buffer.from(
            exchange(capture).responseBody.replace("<GetRevisionIdListResult>", `$&${"<e/>".repeat(4_000_001)}`),
          )
        : hostileXml(attack, exchange(capture).responseBody);
      const client = clientAnswering(operation, bytes, longList ? 32 * 1024 * 1024 : MAX_ANSWER);
      const error = await outcome(call(client));
      expect(error).toBeInstanceOf(WsusssProtocolError);
      const message = (error as Error).message;
      expect(message.startsWith(`${operation}: `), message).toBe(true);
      if (longList) expect(message).toBe("GetRevisionIdList: refused XML: more than 4000000 elements");
      if (HOSTILE_XML_VERDICTS[attack] === "refused") expect(error, message).toBeInstanceOf(WsusssLimitError);
      else expect(error, message).not.toBeInstanceOf(WsusssLimitError);
      // And the same client goes on with a valid answer.
      const healthy = clientAnswering(operation, Buffer.from(exchange(capture).responseBody));
      await expect(call(healthy)).resolves.toBeDefined();
    });
  }

  it("names what was refused", async () => {
    const config = exchange("000005").responseBody;
    const cases: [HostileXmlAttack, RegExp][] = [
      ["billion-laughs", /^GetConfigData: refused XML: DOCTYPE and ENTITY declarations are not accepted$/],
      ["external-entity", /DOCTYPE and ENTITY declarations are not accepted/],
      ["deep-nesting", /refused XML: elements nested deeper than 32 levels/],
      ["huge-attribute", /refused XML: an attribute of <GetConfigDataResponse> is longer than 65536 characters/],
      ["many-attributes", /refused XML: <GetConfigDataResponse> has more than 256 attributes/],
      ["many-elements", /refused XML: more than 500000 elements/],
      ["processing-instruction", /refused XML: processing instructions are not accepted/],
      ["invalid-utf8", /^GetConfigData: the answer is not valid UTF-8 \(at byte \d+\)$/],
      ["truncated", /^GetConfigData: not well-formed XML: /],
      ["cdata-after-root", /a CDATA section outside the root element/],
      ["oversized", /^GetConfigData: answer is larger than 4194304 bytes$/],
    ];
    for (const [attack, pattern] of cases) {
      const error = await outcome(clientAnswering("GetConfigData", hostileXml(attack, config)).getConfigData());
      expect((error as Error).message, attack).toMatch(pattern);
    }
  });

  it("cuts off a compressed answer (Content-Encoding gzip) once it inflates past the limit", async () => {
    // 64 MiB of spaces gzip to 64 KiB; the client counts what fetch inflates, and stops there.
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20));
    const http = createServer((_request, response) => {
      response.writeHead(200, { "content-type": "text/xml; charset=utf-8", "content-encoding": "gzip" });
      response.end(bomb);
    });
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    try {
      const client = new WsusssClient({
        baseUrl: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
        maxResponseBytes: 1024 * 1024,
      });
      const error = await outcome(client.getAuthConfig());
      expect(error).toBeInstanceOf(WsusssLimitError);
      expect((error as Error).message).toBe("GetAuthConfig: answer is larger than 1048576 bytes");
    } finally {
      http.closeAllConnections();
      http.close();
    }
  });

  it("refuses a compressed blob that would decompress past the limit, before decompressing it", async () => {
    // 1100 stored blocks of 32 KiB declared, none present: 36 MB, over MAX_UPDATE_BLOB_BYTES.
    const blocks = Array.from({ length: 1100 }, () => ({ compressed: new Uint8Array(0), uncompressed: 32768 }));
    const bomb = writeCabinet({ files: [{ name: "blob", size: 1 }], folders: [{ typeCompress: 0x1503, blocks }] });
    expect(() => decodeCompressedUpdateBlob(bomb.toString("base64"))).toThrow(CabLimitError);
    expect(() => decodeCompressedUpdateBlob(bomb.toString("base64"))).toThrow(
      new RegExp(`more than the limit of ${MAX_UPDATE_BLOB_BYTES}`),
    );
    const answer = exchange("000013").responseBody.replace(
      /(<XmlUpdateBlobCompressed>)[^<]*/,
      `$1${bomb.toString("base64")}`,
    );
    const error = await outcome(clientAnswering("GetUpdateData", Buffer.from(answer)).getUpdateData([STUB]));
    expect(error).toBeInstanceOf(WsusssLimitError);
    expect((error as Error).message).toMatch(/the compressed blob cannot be decoded: .*more than the limit/);
  });

  it("refuses a hostile update document inside a blob as unsafe, a broken one as malformed", () => {
    const doc = realDocument("ccb78947");
    for (const attack of HOSTILE_XML_ATTACKS) {
      if (attack === "invalid-utf8" || attack === "oversized") continue; // bytes and size: the answer's business
      const hostile = decodeUtf8(hostileXml(attack, doc));
      let error: unknown;
      try {
        parseUpdateXml(hostile);
      } catch (err) {
        error = err;
      }
      expect(error, attack).toBeInstanceOf(UpdateXmlError);
      expect((error as UpdateXmlError).unsafe, attack).toBe(HOSTILE_XML_VERDICTS[attack] === "refused");
    }
    // A blob whose UTF-16 holds a hostile document decodes, and the document is then refused.
    const bytes = Buffer.from(decodeUtf8(hostileXml("billion-laughs", doc)), "utf16le");
    const cabinet = writeCabinet({
      files: [{ name: "blob", size: bytes.length }],
      folders: [{ typeCompress: 0, blocks: storedBlocks(bytes) }],
    });
    expect(() => parseUpdateXml(decodeCompressedUpdateBlob(cabinet.toString("base64")))).toThrow(
      "update XML is refused: DOCTYPE and ENTITY declarations are not accepted",
    );
  });
});

// ---------------------------------------------------------------- the server half

const SECRET = "a-test-secret-of-enough-length";

function testServer(options: { maxBodyBytes?: number } = {}): WsusssServer {
  const documents = new Map([[wsusssUpdateKey(STUB), realDocument("ccb78947")]]);
  return createWsusssServer({
    backend: {
      config: () => ({
        protocolVersion: "1.20",
        maxNumberOfUpdatesPerRequest: 100,
        catalogOnlySync: false,
        lazySync: true,
        serverHostsPsfFiles: false,
        maxNumberOfDriverSetsPerRequest: 0,
        maxNumberOfComputerIdsInRequest: 0,
        maxNumberOfPnpHardwareIdsInRequest: 0,
        maxUpdatesPerRequestInGetUpdateDecryptionData: 100,
        newConfigAnchor: "config-1",
        languages: [],
      }),
      revisionIdList: () => ({ anchor: "sync-1", revisions: [STUB] }),
      updateXml: (ids) => new Map(ids.map((id) => [wsusssUpdateKey(id), documents.get(wsusssUpdateKey(id)) ?? ""])),
    },
    cookieSecret: SECRET,
    ...options,
  });
}

/** Each captured request, with its endpoint. */
const REQUESTS: { operation: string; capture: string; dss: boolean }[] = [
  { operation: "GetAuthConfig", capture: "000001", dss: false },
  { operation: "GetAuthorizationCookie", capture: "000002", dss: true },
  { operation: "GetCookie", capture: "000003", dss: false },
  { operation: "GetConfigData", capture: "000005", dss: false },
  { operation: "GetRevisionIdList", capture: "000006", dss: false },
  { operation: "GetUpdateData", capture: "000013", dss: false },
];

interface FaultView {
  errorCode: string;
  message: string;
}

function faultOf(body: string): FaultView {
  const envelope = parseXml(body);
  const faultElement = envelope.children[0]?.children[0];
  expect(faultElement?.local).toBe("Fault");
  const detail = faultElement?.children.find((c) => c.local === "detail");
  const text = (local: string) => detail?.children.find((c) => c.local === local)?.text ?? "";
  return { errorCode: text("ErrorCode"), message: text("Message") };
}

function expectVerdict(attack: HostileXmlAttack, fault: FaultView) {
  expect(fault.errorCode).toBe("InvalidParameters");
  if (HOSTILE_XML_VERDICTS[attack] === "refused") {
    expect(fault.message, attack).toMatch(/^(refused XML: |request body is larger than )/);
  } else {
    expect(fault.message, attack).toMatch(/^malformed request: /);
  }
}

describe("the server half answers every hostile request with a SOAP fault, and keeps answering", () => {
  const server = testServer();
  const valid = () => server.handleServerSync(exchange("000001").requestBody, {});

  for (const { operation, capture, dss } of REQUESTS) {
    it.each(HOSTILE_XML_ATTACKS)(`${operation}: %s`, async (attack) => {
      const bytes = hostileXml(attack, exchange(capture).requestBody);
      const handle = dss ? server.handleDssAuth : server.handleServerSync;
      const answer = await handle(bytes, { contentType: "text/xml; charset=utf-8" });
      expect(answer.status).toBe(500);
      expect(answer.contentType).toBe("text/xml; charset=utf-8");
      expectVerdict(attack, faultOf(answer.body));
      expect((await valid()).status).toBe(200);
    });
  }

  it("writes a fault whatever it quotes: half a surrogate pair, a huge value, a control character", async () => {
    const astral = await server.handleServerSync("\u{72509}\u{A6535}", {});
    expect(faultOf(astral.body)).toMatchObject({ errorCode: "InvalidParameters" });
    expect(faultOf(astral.body).message).toMatch(
      /^malformed request: not well-formed XML: char '\uFFFD' is not expected/,
    );
    const huge = exchange("000005").requestBody.replace(
      /<EncryptedData>[^<]*</,
      `<EncryptedData>${"A".repeat(100_000)}<`,
    );
    expect((await server.handleServerSync(huge, {})).status).toBe(500);
    const badBool = await server.handleServerSync(exchange("000001").requestBody, {
      soapAction: `"${"\u0001".repeat(5000)}"`,
    });
    const fault = faultOf(badBool.body);
    expect(fault.message.length).toBeLessThanOrEqual(1025);
    expect(fault.message).toContain("\uFFFD");
  });

  it("refuses a charset other than UTF-8 and bytes that are not UTF-8", async () => {
    const body = Buffer.from(exchange("000001").requestBody);
    const utf16 = await server.handleServerSync(body, { contentType: "text/xml; charset=utf-16" });
    expect(faultOf(utf16.body).message).toBe("charset utf-16 is not accepted: send UTF-8");
    const ascii = await server.handleServerSync(body, { contentType: 'text/xml; charset="us-ascii"' });
    expect(ascii.status).toBe(200);
    const latin1 = await server.handleServerSync(
      Buffer.from(exchange("000001").requestBody.replace("?>", "?>\u00e9"), "latin1"),
      {},
    );
    expect(faultOf(latin1.body).message).toMatch(/^malformed request: not valid UTF-8 \(at byte \d+\)$/);
  });
});

describe("over HTTP, the body limit holds while the body streams", () => {
  let http: Server;
  let url: string;
  let largestBody = 0;

  beforeAll(async () => {
    const wsus = testServer({ maxBodyBytes: 64 * 1024 });
    http = createServer((request, response) => {
      void (async () => {
        const body = await wsus.readBody(request);
        if (body.ok) largestBody = Math.max(largestBody, body.bytes.length);
        const answer = await wsus.handleServerSync(body, {
          soapAction: request.headers.soapaction as string | undefined,
          contentType: request.headers["content-type"],
        });
        response.writeHead(answer.status, {
          "content-type": answer.contentType,
          ...(answer.closeConnection && { connection: "close" }),
        });
        response.end(answer.body);
      })();
    });
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/`;
  });
  afterAll(() => {
    http.closeAllConnections();
    http.close();
  });

  const post = (body: NonNullable<RequestInit["body"]>, headers: Record<string, string> = {}) =>
    fetch(url, {
      method: "POST",
      body,
      headers: { "content-type": "text/xml; charset=utf-8", ...headers },
      signal: AbortSignal.timeout(10_000),
      ...(body instanceof ReadableStream && { duplex: "half" }),
    } as RequestInit);

  it.each(HOSTILE_XML_ATTACKS)("%s", async (attack) => {
    const bytes = hostileXml(attack, exchange("000005").requestBody, { size: 100 * 1024 });
    const response = await post(bytes);
    expect(response.status).toBe(500);
    const fault = faultOf(await response.text());
    expect(fault.errorCode).toBe("InvalidParameters");
    const valid = await post(exchange("000001").requestBody);
    expect(valid.status).toBe(200);
  });

  it("refuses an announced body past the limit at once, and a streamed one as soon as it passes", async () => {
    const announced = await post(Buffer.alloc(65 * 1024, 0x20));
    expect(announced.headers.get("connection")).toBe("close");
    expect(faultOf(await announced.text()).message).toBe(
      `request body is larger than ${64 * 1024} bytes (Content-Length ${65 * 1024})`,
    );
    // 64 MiB offered without a Content-Length; the server keeps none of it past the limit.
    let sent = 0;
    const chunk = new Uint8Array(64 * 1024).fill(0x20);
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 64 * 1024 * 1024) return controller.close();
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const streamed = await post(stream);
    expect(faultOf(await streamed.text()).message).toBe(`request body is larger than ${64 * 1024} bytes`);
    expect(largestBody).toBeLessThanOrEqual(64 * 1024);
    expect((await post(exchange("000001").requestBody)).status).toBe(200);
  });

  it("refuses a compressed request body without inflating it", async () => {
    const response = await post(gzipSync(exchange("000001").requestBody), { "content-encoding": "gzip" });
    expect(faultOf(await response.text()).message).toBe(
      "Content-Encoding gzip is not accepted: send the request uncompressed",
    );
  });
});
