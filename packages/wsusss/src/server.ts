// The upstream half, framework-agnostic: give it a request body and the SOAPAction header, get back status,
// content type and body. Our embedded upstream and each site's SUP endpoint wrap it in their HTTP server (reading the
// body with readBody, which enforces the size limit while it streams). Every failure becomes a SOAP fault shaped like
// WSUS's own (HTTP 500, detail/ErrorCode, Message, ID, Method); nothing a client sends makes these handlers throw.
// Requests are held to tighter XML limits than answers (REQUEST_XML_LIMITS), must be UTF-8 and uncompressed.
import { randomUUID } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import type { Readable } from "node:stream";
import { TokenSigner, type TokenClaims } from "./cookies.ts";
import { renderFaultBody, WsusssFault } from "./faults.ts";
import { DEFAULT_MAX_REQUEST_BYTES, readRequestBody, type RequestBody } from "./http-body.ts";
import { DSS_AUTH_NS, DSS_AUTH_PATH, SERVER_SYNC_NS, SERVER_SYNC_PATH } from "./namespaces.ts";
import {
  readCookie,
  readGetAuthorizationCookie,
  readGetConfigData,
  readGetCookie,
  readGetRevisionIdList,
  readGetUpdateData,
} from "./requests.ts";
import {
  writeGetAuthConfigResponse,
  writeGetAuthorizationCookieResponse,
  writeGetConfigDataResponse,
  writeGetCookieResponse,
  writeGetRevisionIdListResponse,
  writeGetUpdateDataResponse,
  type UpdateDataEntry,
} from "./responses.ts";
import { readEnvelope, renderResponseEnvelope, SoapError } from "./soap.ts";
import type { FileUrl, RevisionFilter, RevisionIdList, ServerSyncConfig, UpdateIdentity } from "./types.ts";
import { wsusssUpdateKey } from "./types.ts";
import { updateFileDigests } from "./update-xml.ts";
import { decodeUtf8, Utf8Error } from "./utf8.ts";
import { MessageError, Reader } from "./wire.ts";
import type { Markup, ParseXmlOptions } from "./xml.ts";

type MaybePromise<T> = T | Promise<T>;

export interface WsusssBackend {
  /** Validates an authorization cookie's data for GetCookie; return false to fault InvalidAuthorizationCookie. Optional; default accept. */
  authorize?(account: { accountName: string; accountGuid: string }): MaybePromise<boolean>;
  /** GetConfigData's answer. configAnchor is the client's last NewConfigAnchor, when it sent one. */
  config(configAnchor?: string): MaybePromise<ServerSyncConfig>;
  /** Throw new WsusssFault("InvalidParameters", "filter") for an anchor you did not issue. */
  revisionIdList(filter: RevisionFilter): MaybePromise<RevisionIdList>;
  /** Documents keyed by wsusssUpdateKey(identity); a requested revision missing from the map faults InternalServerError. */
  updateXml(ids: UpdateIdentity[]): MaybePromise<Map<string, string>>;
  /** Download URLs for file digests (base64 SHA-1) of the returned updates. Optional; default none. */
  fileUrls?(digests: string[]): MaybePromise<FileUrl[]>;
}

export interface WsusssServerOptions {
  backend: WsusssBackend;
  /** HMAC key for cookies (at least 16 characters). */
  cookieSecret: string;
  /** Default 240, as real WSUS. */
  cookieLifetimeMinutes?: number;
  now?: () => Date;
  /** Longest request body accepted, in bytes (default DEFAULT_MAX_REQUEST_BYTES, 4 MiB). */
  maxBodyBytes?: number;
  /** Longest wait for a request body in readBody (default 60 s). */
  bodyTimeoutMs?: number;
  /** GetAuthConfig's LastChange (default: when the server was created). */
  authConfigLastChange?: Date;
  /** Told about every InternalServerError's cause, with the fault ID the client sees. */
  onError?: (error: unknown, context: { operation?: string; faultId: string }) => void;
}

export interface WsusssRequestHeaders {
  soapAction?: string;
  /** The URL the client called, written into faultactor as WSUS does; defaults to the endpoint path. */
  requestUrl?: string;
  /** The Content-Type header: a charset other than UTF-8 is refused. */
  contentType?: string;
}

export interface WsusssHttpAnswer {
  status: number;
  contentType: string;
  body: string;
  /** The request body was not read to its end (too large, stalled): send `Connection: close` with the answer. */
  closeConnection?: boolean;
}

/** A request body as text, as bytes (decoded here as strict UTF-8), or as readBody took it off the wire. */
export type WsusssRequestBody = string | Uint8Array | RequestBody;

export interface WsusssServer {
  /** Handles one SOAP POST to /ServerSyncWebService/ServerSyncWebService.asmx */
  handleServerSync(body: WsusssRequestBody, headers: WsusssRequestHeaders): Promise<WsusssHttpAnswer>;
  /** Handles one SOAP POST to /DssAuthWebService/DssAuthWebService.asmx */
  handleDssAuth(body: WsusssRequestBody, headers: WsusssRequestHeaders): Promise<WsusssHttpAnswer>;
  /** Reads a Node HTTP request's body within this server's size and time limits; never rejects. */
  readBody(request: Readable & { headers: IncomingHttpHeaders }): Promise<RequestBody>;
}

const CONTENT_TYPE = "text/xml; charset=utf-8";
const DSS_TARGETING = "DssTargeting";

/**
 * XML limits for requests, tighter than for answers: requests are a few levels deep
 * (GetRevisionIdList/filter/Categories/IdAndDelta/Id is 7 with the envelope), carry no attributes but namespace
 * declarations, and hold at most a filter of every category (4 275 in the captures, 3 elements each) or
 * MaxNumberOfUpdatesPerRequest identities.
 */
export const REQUEST_XML_LIMITS: Readonly<Required<Omit<ParseXmlOptions, "maxLength">>> = {
  maxDepth: 32,
  maxElements: 100_000,
  maxAttributes: 64,
  maxAttributeLength: 4096,
};

export function createWsusssServer(options: WsusssServerOptions): WsusssServer {
  const { backend } = options;
  const signer = new TokenSigner(options.cookieSecret);
  const now = options.now ?? (() => new Date());
  const lifetimeMs = (options.cookieLifetimeMinutes ?? 240) * 60_000;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_REQUEST_BYTES;
  const lastChange = (options.authConfigLastChange ?? now()).toISOString();

  function issue(kind: TokenClaims["kind"], account: { accountName: string; accountGuid: string }) {
    const expiresAt = now().getTime() + lifetimeMs;
    return { token: signer.issue({ kind, ...account, expiresAt }), expiresAt };
  }

  function session(r: Reader): TokenClaims {
    const cookie = readCookie(r);
    const claims = cookie && signer.verify(cookie.encryptedData, "session", now());
    if (!claims) throw new WsusssFault("InvalidCookie", "");
    return claims;
  }

  const serverSyncOperations: Record<string, (r: Reader) => Promise<Markup>> = {
    async GetAuthConfig() {
      return writeGetAuthConfigResponse(lastChange, [{ plugInId: DSS_TARGETING, serviceUrl: DSS_AUTH_PATH }]);
    },

    async GetCookie(r) {
      const request = readGetCookie(r);
      if (request.protocolVersion === undefined) throw new WsusssFault("InvalidParameters", "protocolVersion");
      const version = /^(\d+)\.\d+$/.exec(request.protocolVersion);
      if (!version) throw new WsusssFault("InvalidParameters", "protocolVersion");
      if (version[1] !== "1") throw new WsusssFault("IncompatibleProtocolVersion", request.protocolVersion);
      if (request.authCookies.length !== 1) throw new WsusssFault("InvalidParameters", "authCookies");
      const [authCookie] = request.authCookies;
      const claims =
        authCookie?.plugInId === DSS_TARGETING
          ? signer.verify(authCookie.cookieData, "authorization", now())
          : undefined;
      if (!claims) throw new WsusssFault("InvalidAuthorizationCookie", "");
      const account = { accountName: claims.accountName, accountGuid: claims.accountGuid };
      if (backend.authorize && !(await backend.authorize(account))) {
        throw new WsusssFault("InvalidAuthorizationCookie", "");
      }
      const { token, expiresAt } = issue("session", account);
      return writeGetCookieResponse({ expiration: new Date(expiresAt).toISOString(), encryptedData: token });
    },

    async GetConfigData(r) {
      session(r);
      const { configAnchor } = readGetConfigData(r);
      return writeGetConfigDataResponse(await backend.config(configAnchor));
    },

    async GetRevisionIdList(r) {
      session(r);
      const { filter } = readGetRevisionIdList(r);
      return writeGetRevisionIdListResponse(await backend.revisionIdList(filter));
    },

    async GetUpdateData(r) {
      session(r);
      const { updateIds } = readGetUpdateData(r);
      const { maxNumberOfUpdatesPerRequest } = await backend.config();
      if (updateIds.length > maxNumberOfUpdatesPerRequest) {
        throw new WsusssFault(
          "InvalidParameters",
          `updateIds: ${updateIds.length} revisions, at most ${maxNumberOfUpdatesPerRequest} per request`,
        );
      }
      const documents = await backend.updateXml(updateIds);
      const updates: UpdateDataEntry[] = updateIds.map((identity) => {
        const xml = documents.get(wsusssUpdateKey(identity));
        if (xml === undefined) {
          // What WSUS answers for an unknown revision (capture 000017).
          throw new WsusssFault(
            "InternalServerError",
            `update ${identity.updateId} revision ${identity.revisionNumber} is unknown`,
          );
        }
        return { identity, xml, fileDigests: updateFileDigests(xml) };
      });
      const digests = [...new Set(updates.flatMap((u) => u.fileDigests))];
      const fileUrls = digests.length > 0 && backend.fileUrls ? await backend.fileUrls(digests) : [];
      return writeGetUpdateDataResponse(updates, fileUrls);
    },
  };

  const dssAuthOperations: Record<string, (r: Reader) => Promise<Markup>> = {
    async GetAuthorizationCookie(r) {
      const account = readGetAuthorizationCookie(r);
      return writeGetAuthorizationCookieResponse({
        plugInId: DSS_TARGETING,
        cookieData: issue("authorization", account).token,
      });
    },
  };

  async function handle(
    ns: string,
    path: string,
    operations: Record<string, (r: Reader) => Promise<Markup>>,
    body: WsusssRequestBody,
    headers: WsusssRequestHeaders,
  ): Promise<WsusssHttpAnswer> {
    let operation: string | undefined;
    let closeConnection = false;
    try {
      let text: string;
      if (typeof body === "string") {
        text = body;
        if (text.length > maxBodyBytes || Buffer.byteLength(text) > maxBodyBytes) {
          throw new WsusssFault("InvalidParameters", `request body is larger than ${maxBodyBytes} bytes`);
        }
      } else {
        let bytes: Uint8Array;
        if (body instanceof Uint8Array) {
          bytes = body;
        } else if (body && typeof body === "object" && "ok" in body) {
          if (!body.ok) {
            closeConnection = body.closeConnection;
            throw new WsusssFault("InvalidParameters", body.reason);
          }
          bytes = body.bytes;
        } else {
          throw new WsusssFault("InvalidParameters", "request body is not text");
        }
        if (bytes.length > maxBodyBytes) {
          throw new WsusssFault("InvalidParameters", `request body is larger than ${maxBodyBytes} bytes`);
        }
        checkCharset(headers.contentType);
        try {
          text = decodeUtf8(bytes);
        } catch (err) {
          if (err instanceof Utf8Error) throw new WsusssFault("InvalidParameters", `malformed request: ${err.message}`);
          throw err;
        }
      }
      let element;
      try {
        element = readEnvelope(text, { ...REQUEST_XML_LIMITS, maxLength: maxBodyBytes });
      } catch (err) {
        if (err instanceof SoapError) {
          throw new WsusssFault("InvalidParameters", err.unsafe ? err.message : `malformed request: ${err.message}`);
        }
        throw err;
      }
      const handler =
        element.ns === ns && Object.hasOwn(operations, element.local) ? operations[element.local] : undefined;
      if (!handler) throw new WsusssFault("InvalidParameters", `unknown operation {${element.ns}}${element.local}`);
      operation = element.local;
      const action = headers.soapAction?.trim().replace(/^"(.*)"$/, "$1");
      if (action && action !== `${ns}/${operation}`) {
        throw new WsusssFault("InvalidParameters", `SOAPAction ${headers.soapAction} does not match ${operation}`);
      }
      const markup = await handler(new Reader(element, ns));
      return { status: 200, contentType: CONTENT_TYPE, body: renderResponseEnvelope(markup) };
    } catch (err) {
      const answer = faultAnswer(err, ns, path, operation, headers);
      return closeConnection ? { ...answer, closeConnection } : answer;
    }
  }

  function faultAnswer(
    err: unknown,
    ns: string,
    path: string,
    operation: string | undefined,
    headers: WsusssRequestHeaders,
  ): WsusssHttpAnswer {
    const faultId = randomUUID();
    let errorCode: string;
    let message: string;
    if (err instanceof WsusssFault) {
      errorCode = err.errorCode;
      message = err.faultMessage ?? "";
    } else if (err instanceof MessageError) {
      // The spec wants the parameter's name in Message; the rest of the path says what was wrong with it.
      errorCode = "InvalidParameters";
      message = err.message;
    } else {
      // Our own failure: the client learns only the fault ID, the operator gets the cause.
      errorCode = "InternalServerError";
      message = "";
      options.onError?.(err, { operation, faultId });
    }
    const method = operation ? `"${ns}/${operation}"` : (headers.soapAction ?? "");
    return soapFaultAnswer({ errorCode, message, id: faultId, method, actor: headers.requestUrl ?? `/${path}` });
  }

  return {
    handleServerSync: (body, headers) => handle(SERVER_SYNC_NS, SERVER_SYNC_PATH, serverSyncOperations, body, headers),
    handleDssAuth: (body, headers) => handle(DSS_AUTH_NS, DSS_AUTH_PATH, dssAuthOperations, body, headers),
    readBody: (request) => readRequestBody(request, { maxBytes: maxBodyBytes, timeoutMs: options.bodyTimeoutMs }),
  };
}

/**
 * A SOAP fault as the server half answers it (HTTP 500, text/xml), for HTTP glue that fails before a server half can
 * answer (e.g. its database is down while looking up the site).
 */
export function soapFaultAnswer(fault: {
  errorCode: string;
  message?: string;
  id?: string;
  method?: string;
  actor: string;
}): WsusssHttpAnswer {
  const body = renderResponseEnvelope(
    renderFaultBody({
      errorCode: writable(fault.errorCode),
      message: writable(fault.message ?? ""),
      id: fault.id ?? randomUUID(),
      method: writable(fault.method ?? ""),
      actor: writable(fault.actor),
    }),
  );
  return { status: 500, contentType: CONTENT_TYPE, body };
}

const NOT_WRITABLE = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const MAX_FAULT_TEXT = 1024;

/**
 * Fault texts quote what the client sent (a SOAPAction, a bad value, the parser's view of a bad character, which may
 * be half a surrogate pair): cut to 1024 characters and with what XML cannot hold replaced, so a fault can always be
 * written and never echoes a megabyte back.
 */
function writable(text: string): string {
  const cut = text.length > MAX_FAULT_TEXT ? `${text.slice(0, MAX_FAULT_TEXT)}…` : text;
  return cut.replace(NOT_WRITABLE, "\uFFFD");
}

/** A Content-Type naming a charset other than UTF-8 (or its subset US-ASCII) is refused: requests are UTF-8. */
function checkCharset(contentType: string | undefined): void {
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType ?? "")?.[1]?.toLowerCase();
  if (charset && charset !== "utf-8" && charset !== "utf8" && charset !== "us-ascii") {
    throw new WsusssFault("InvalidParameters", `charset ${charset} is not accepted: send UTF-8`);
  }
}
