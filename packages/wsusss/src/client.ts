// The downstream half: how a software update point syncs from an upstream WSUS, Microsoft Update or a parent site.
// One method per operation, each a single POST; `authorize` runs the chain GetAuthConfig → GetAuthorizationCookie →
// GetCookie and keeps the cookie for the calls that need one.
import { readFault, WsusssFault, WsusssLimitError, WsusssProtocolError, WsusssTransportError } from "./faults.ts";
import { DSS_AUTH_NS, DSS_AUTH_PATH, SERVER_SYNC_NS, SERVER_SYNC_PATH } from "./namespaces.ts";
import {
  writeGetAuthConfig,
  writeGetAuthorizationCookie,
  writeGetConfigData,
  writeGetCookie,
  writeGetRevisionIdList,
  writeGetUpdateData,
} from "./requests.ts";
import {
  readGetAuthConfigResult,
  readGetAuthorizationCookieResult,
  readGetConfigDataResult,
  readGetCookieResult,
  readGetRevisionIdListResult,
  readGetUpdateDataResult,
  resultOf,
} from "./responses.ts";
import { isFault, readEnvelope, renderRequestEnvelope, SoapError, soapAction } from "./soap.ts";
import type {
  AuthorizationCookie,
  AuthPlugIn,
  Cookie,
  RevisionFilter,
  RevisionIdList,
  ServerSyncConfig,
  ServerUpdateData,
  UpdateIdentity,
} from "./types.ts";
import { decodeUtf8, Utf8Error } from "./utf8.ts";
import { MessageError, type Reader } from "./wire.ts";
import type { Markup, ParseXmlOptions } from "./xml.ts";

export interface WsusssClientOptions {
  /** Server root, e.g. http://host:8530 or http://host:8080/sup/CAS. */
  baseUrl: string;
  fetch?: typeof fetch;
  /** Per call, default 60000. */
  timeoutMs?: number;
  /** The FQDN we present to the upstream's DSS auth service. */
  accountName?: string;
  /** Our server id (a GUID) for the upstream's DSS table. */
  accountGuid?: string;
  /** Default "1.20", what WSUS on Windows Server 2025 speaks. */
  protocolVersion?: string;
  /**
   * Largest answer accepted, in bytes (default 256 MiB): a full unfiltered list from Microsoft is tens of MB. Counted
   * as the body streams in (after any Content-Encoding is undone), so a larger one is cut off, never buffered.
   */
  maxResponseBytes?: number;
  /**
   * A session cookie this server issued to an earlier session: `authorize()` takes it instead of running the chain
   * while it has more than `renewBeforeMs` left. Refused (InvalidCookie: the server restarted or changed its key), it
   * is dropped and the chain runs, as for any cookie.
   */
  cookie?: Cookie;
  /** Renew the cookie when less than this is left of it (default 2 minutes, as Microsoft's own client does). */
  renewBeforeMs?: number;
  /** The clock, for tests. */
  now?: () => number;
  /** Aborts every call in flight and every later one (a canceled sync stops at once, even mid-request). */
  signal?: AbortSignal;
}

const DEFAULT_TIMEOUT_MS = 60_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 256 * 1024 * 1024;
const DSS_TARGETING = "DssTargeting";

/**
 * XML limits for answers (xml.ts has the rest of the defaults). Answers are 8 levels deep at most; every answer but a
 * revision list stays far below the default element count. A full unfiltered revision list of Microsoft Update is
 * three elements per revision (the real 24 509-revision list of one product is 3 MB): 4 million elements allow over a
 * million revisions.
 */
export const RESPONSE_XML_LIMITS: Readonly<Record<string, ParseXmlOptions>> = {
  default: { maxDepth: 32 },
  GetRevisionIdList: { maxDepth: 32, maxElements: 4_000_000 },
};

export class WsusssClient {
  private readonly serverSyncUrl: URL;
  private readonly root: URL;
  private readonly fetchImpl: typeof fetch;
  private readonly timeoutMs: number;
  private readonly accountName: string;
  private readonly accountGuid: string;
  private readonly protocolVersion: string;
  private readonly maxResponseBytes: number;
  private current?: Cookie;
  /** The earlier session's cookie, until the first authorize() takes it or finds it too old. */
  private earlier?: Cookie;
  private authorizing?: Promise<Cookie>;
  private readonly renewBeforeMs: number;
  private readonly now: () => number;
  private readonly signal?: AbortSignal;

  constructor(options: WsusssClientOptions) {
    // A trailing slash makes relative service URLs resolve under the root, including a path root like /sup/CAS.
    this.root = new URL(options.baseUrl.endsWith("/") ? options.baseUrl : `${options.baseUrl}/`);
    if (this.root.protocol !== "http:" && this.root.protocol !== "https:") {
      throw new TypeError(`WsusssClient: baseUrl must be http or https, got ${this.root.protocol}`);
    }
    this.serverSyncUrl = new URL(SERVER_SYNC_PATH, this.root);
    this.fetchImpl = options.fetch ?? globalThis.fetch;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.accountName = options.accountName ?? "syncpoint.invalid";
    this.accountGuid = options.accountGuid ?? "00000000-0000-0000-0000-000000000000";
    this.protocolVersion = options.protocolVersion ?? "1.20";
    this.maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    this.renewBeforeMs = options.renewBeforeMs ?? 2 * 60_000;
    this.now = options.now ?? Date.now;
    this.signal = options.signal;
    this.earlier = options.cookie;
  }

  /** The session cookie from the last authorize(), if any. */
  get cookie(): Cookie | undefined {
    return this.current;
  }

  async getAuthConfig(): Promise<AuthPlugIn[]> {
    const result = await this.call("GetAuthConfig", this.serverSyncUrl, SERVER_SYNC_NS, writeGetAuthConfig());
    return this.read("GetAuthConfig", () => readGetAuthConfigResult(result));
  }

  /** Asks the DSS auth service at serviceUrl (relative to baseUrl, as GetAuthConfig gives it) for an authorization. */
  async getAuthorizationCookie(serviceUrl: string): Promise<AuthorizationCookie> {
    const url = this.resolveServiceUrl(serviceUrl);
    const body = writeGetAuthorizationCookie(this.accountName, this.accountGuid);
    const result = await this.call("GetAuthorizationCookie", url, DSS_AUTH_NS, body);
    return this.read("GetAuthorizationCookie", () => readGetAuthorizationCookieResult(result));
  }

  async getCookie(authCookie: AuthorizationCookie, oldCookie?: Cookie): Promise<Cookie> {
    const body = writeGetCookie(authCookie, oldCookie, this.protocolVersion);
    const result = await this.call("GetCookie", this.serverSyncUrl, SERVER_SYNC_NS, body);
    return this.read("GetCookie", () => readGetCookieResult(result));
  }

  /** The last step of the chain on its own (step-by-step diagnostics): keeps the cookie for later calls. */
  async authorizeWith(authCookie: AuthorizationCookie): Promise<Cookie> {
    this.current = await this.getCookie(authCookie, this.current);
    return this.current;
  }

  /**
   * The whole authorization chain; keeps the cookie for later calls and returns it. The first call takes the earlier
   * session's cookie (option `cookie`) instead, while it is good for more than `renewBeforeMs`.
   */
  authorize(): Promise<Cookie> {
    const earlier = this.earlier;
    this.earlier = undefined;
    if (earlier && !this.expiresSoon(earlier)) {
      this.current = earlier;
      return Promise.resolve(earlier);
    }
    // Concurrent callers (parallel GetUpdateData batches hitting InvalidCookie together) share one chain.
    this.authorizing ??= this.runAuthorization().finally(() => {
      this.authorizing = undefined;
    });
    return this.authorizing;
  }

  /** Server configuration; pass the last NewConfigAnchor to get the short answer (languages changed since then). */
  async getConfigData(configAnchor?: string): Promise<ServerSyncConfig> {
    const result = await this.withCookie("GetConfigData", (cookie) => writeGetConfigData(cookie, configAnchor));
    return this.read("GetConfigData", () => readGetConfigDataResult(result));
  }

  async getRevisionIdList(filter: RevisionFilter): Promise<RevisionIdList> {
    const result = await this.withCookie("GetRevisionIdList", (cookie) => writeGetRevisionIdList(cookie, filter));
    return this.read("GetRevisionIdList", () => readGetRevisionIdListResult(result));
  }

  /**
   * Update documents for at most MaxNumberOfUpdatesPerRequest revisions, as XML text whether the server sent an
   * XmlUpdateBlob or an XmlUpdateBlobCompressed (a cabinet, LZX or MSZIP, of UTF-16LE XML, as real WSUS sends most
   * documents). A compressed blob that cannot be decoded throws WsusssProtocolError naming the update.
   */
  async getUpdateData(ids: UpdateIdentity[]): Promise<ServerUpdateData> {
    const result = await this.withCookie("GetUpdateData", (cookie) => writeGetUpdateData(cookie, ids));
    return this.read("GetUpdateData", () => readGetUpdateDataResult(result));
  }

  // ---------------------------------------------------------------- internals

  private async runAuthorization(): Promise<Cookie> {
    const plugIns = await this.getAuthConfig();
    const plugIn = plugIns.find((p) => p.plugInId === DSS_TARGETING);
    if (!plugIn) {
      const offered = plugIns.map((p) => p.plugInId).join(", ") || "none";
      throw new WsusssProtocolError(
        `the server offers no ${DSS_TARGETING} plug-in (offered: ${offered})`,
        "GetAuthConfig",
      );
    }
    const authCookie = await this.getAuthorizationCookie(plugIn.serviceUrl || DSS_AUTH_PATH);
    return this.authorizeWith(authCookie);
  }

  /**
   * Runs an operation that needs the session cookie. Authorizes first when there is none, and once more when the
   * server says the cookie is invalid (it expired, or the server restarted): the spec tells the DSS to restart.
   */
  private async withCookie(operation: string, body: (cookie: Cookie) => Markup): Promise<Reader> {
    const cookie = this.current && !this.expiresSoon(this.current) ? this.current : await this.authorize();
    try {
      return await this.call(operation, this.serverSyncUrl, SERVER_SYNC_NS, body(cookie));
    } catch (err) {
      if (!(err instanceof WsusssFault) || err.errorCode !== "InvalidCookie") throw err;
      // Another call may have renewed it meanwhile; otherwise renew now.
      const renewed = this.current && this.current !== cookie ? this.current : await this.authorize();
      return this.call(operation, this.serverSyncUrl, SERVER_SYNC_NS, body(renewed));
    }
  }

  /** A cookie about to expire is renewed before use rather than after the server refuses it mid-sync. */
  private expiresSoon(cookie: Cookie): boolean {
    const expires = Date.parse(cookie.expiration);
    return Number.isFinite(expires) && expires - this.now() < this.renewBeforeMs;
  }

  private resolveServiceUrl(serviceUrl: string): URL {
    let url: URL;
    try {
      url = new URL(serviceUrl, this.root);
    } catch {
      throw new WsusssProtocolError(`service URL "${serviceUrl}" is not a URL`, "GetAuthorizationCookie");
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      throw new WsusssProtocolError(`service URL "${serviceUrl}" is not http or https`, "GetAuthorizationCookie");
    }
    return url;
  }

  /** One POST; returns the `<Op>Result` reader, or throws the fault / protocol / transport error. */
  private async call(operation: string, url: URL, ns: string, body: Markup): Promise<Reader> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = this.signal ? AbortSignal.any([timeout, this.signal]) : timeout;
    let status: number;
    let statusText: string;
    let text: string;
    try {
      const response = await this.fetchImpl(url, {
        method: "POST",
        headers: { "Content-Type": "text/xml; charset=utf-8", SOAPAction: soapAction(ns, operation) },
        body: renderRequestEnvelope(body),
        signal,
      });
      status = response.status;
      statusText = response.statusText;
      text = await readLimited(response, this.maxResponseBytes, operation);
    } catch (err) {
      if (err instanceof WsusssProtocolError) throw err;
      if (err instanceof Utf8Error) throw new WsusssProtocolError(`the answer is ${err.message}`, operation);
      const canceled = this.signal?.aborted === true;
      const timedOut = !canceled && (timeout.aborted || (err instanceof Error && err.name === "TimeoutError"));
      const reason = canceled ? "canceled" : timedOut ? `timed out after ${this.timeoutMs} ms` : describe(err);
      throw new WsusssTransportError(`${reason} (POST ${url.href})`, err, operation);
    }

    let element;
    try {
      element = readEnvelope(text, {
        ...(RESPONSE_XML_LIMITS[operation] ?? RESPONSE_XML_LIMITS.default),
        maxLength: this.maxResponseBytes,
      });
    } catch (err) {
      if (!(err instanceof SoapError)) throw err;
      const what = status >= 200 && status < 300 ? "" : `HTTP ${httpStatus(status, statusText)}, `;
      if (err.unsafe) throw new WsusssLimitError(`${what}${err.message}`, operation);
      throw new WsusssProtocolError(`${what}${err.message}${excerpt(text)}`, operation);
    }
    if (isFault(element)) throw readFault(element);
    if (status < 200 || status >= 300) {
      throw new WsusssProtocolError(
        `unexpected HTTP status ${httpStatus(status, statusText)} without a SOAP fault`,
        operation,
      );
    }
    return this.read(operation, () => resultOf(element, operation, ns));
  }

  /** Runs a message reader, turning its MessageError into a WsusssProtocolError naming the operation. */
  private read<T>(operation: string, reader: () => T): T {
    try {
      return reader();
    } catch (err) {
      if (err instanceof MessageError) {
        throw err.unsafe
          ? new WsusssLimitError(err.message, operation)
          : new WsusssProtocolError(err.message, operation);
      }
      throw err;
    }
  }
}

/**
 * The body as UTF-8 text, refusing (and cancelling) it as soon as it passes maxBytes, announced or not; bytes that are
 * not UTF-8 throw Utf8Error.
 */
async function readLimited(response: Response, maxBytes: number, operation: string): Promise<string> {
  const tooLarge = () => new WsusssLimitError(`answer is larger than ${maxBytes} bytes`, operation);
  if (Number(response.headers.get("content-length")) > maxBytes) {
    await response.body?.cancel();
    throw tooLarge();
  }
  if (!response.body) return "";
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return decodeUtf8(Buffer.concat(chunks));
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    const cause = err.cause instanceof Error ? `: ${err.cause.message}` : "";
    return `${err.message}${cause}`;
  }
  return String(err);
}

function httpStatus(status: number, statusText: string): string {
  return statusText ? `${status} ${statusText}` : String(status);
}

function excerpt(text: string): string {
  const head = text.slice(0, 120).replace(/\s+/g, " ").trim();
  return head ? ` (answer starts "${head}")` : " (empty answer)";
}
