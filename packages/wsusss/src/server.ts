// The upstream half, framework-agnostic: give it a request body and the SOAPAction header, get back status,
// content type and body. Our embedded upstream and each site's SUP endpoint wrap it in their HTTP server. Every
// failure becomes a SOAP fault shaped like WSUS's own (HTTP 500, detail/ErrorCode, Message, ID, Method); nothing
// a client sends makes these handlers throw.
import { randomUUID } from "node:crypto";
import { TokenSigner, type TokenClaims } from "./cookies.ts";
import { renderFaultBody, WsusssFault } from "./faults.ts";
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
import { MessageError, Reader } from "./wire.ts";
import type { Markup } from "./xml.ts";

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
  /** Longest request body accepted, in characters (default 10 Mi). */
  maxBodyChars?: number;
  /** GetAuthConfig's LastChange (default: when the server was created). */
  authConfigLastChange?: Date;
  /** Told about every InternalServerError's cause, with the fault ID the client sees. */
  onError?: (error: unknown, context: { operation?: string; faultId: string }) => void;
}

export interface WsusssRequestHeaders {
  soapAction?: string;
  /** The URL the client called, written into faultactor as WSUS does; defaults to the endpoint path. */
  requestUrl?: string;
}

export interface WsusssHttpAnswer {
  status: number;
  contentType: string;
  body: string;
}

export interface WsusssServer {
  /** Handles one SOAP POST to /ServerSyncWebService/ServerSyncWebService.asmx */
  handleServerSync(body: string, headers: WsusssRequestHeaders): Promise<WsusssHttpAnswer>;
  /** Handles one SOAP POST to /DssAuthWebService/DssAuthWebService.asmx */
  handleDssAuth(body: string, headers: WsusssRequestHeaders): Promise<WsusssHttpAnswer>;
}

const CONTENT_TYPE = "text/xml; charset=utf-8";
const DSS_TARGETING = "DssTargeting";
// Requests are a few levels deep (GetRevisionIdList/filter/Categories/IdAndDelta/Id is 7 with the envelope).
const MAX_REQUEST_DEPTH = 32;

export function createWsusssServer(options: WsusssServerOptions): WsusssServer {
  const { backend } = options;
  const signer = new TokenSigner(options.cookieSecret);
  const now = options.now ?? (() => new Date());
  const lifetimeMs = (options.cookieLifetimeMinutes ?? 240) * 60_000;
  const maxBodyChars = options.maxBodyChars ?? 10 * 1024 * 1024;
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
    body: string,
    headers: WsusssRequestHeaders,
  ): Promise<WsusssHttpAnswer> {
    let operation: string | undefined;
    try {
      if (typeof body !== "string") throw new WsusssFault("InvalidParameters", "request body is not text");
      if (body.length > maxBodyChars) {
        throw new WsusssFault("InvalidParameters", `request body is larger than ${maxBodyChars} characters`);
      }
      let element;
      try {
        element = readEnvelope(body, { maxDepth: MAX_REQUEST_DEPTH });
      } catch (err) {
        if (err instanceof SoapError) throw new WsusssFault("InvalidParameters", `malformed request: ${err.message}`);
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
      return faultAnswer(err, ns, path, operation, headers);
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
    const body = renderResponseEnvelope(
      renderFaultBody({ errorCode, message, id: faultId, method, actor: headers.requestUrl ?? `/${path}` }),
    );
    return { status: 500, contentType: CONTENT_TYPE, body };
  }

  return {
    handleServerSync: (body, headers) => handle(SERVER_SYNC_NS, SERVER_SYNC_PATH, serverSyncOperations, body, headers),
    handleDssAuth: (body, headers) => handle(DSS_AUTH_NS, DSS_AUTH_PATH, dssAuthOperations, body, headers),
  };
}
