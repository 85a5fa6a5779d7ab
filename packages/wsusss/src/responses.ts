// The operation answers: written by the server element for element as WSUS writes them (captures 000001–000016),
// read by the client. Reading does not depend on element order, because Microsoft Update orders GetConfigData's
// fields differently from an on-prem WSUS.
import { CabError, CabLimitError, LzxError } from "./cab.ts";
import { DSS_AUTH_NS, SERVER_SYNC_NS } from "./namespaces.ts";
import type {
  AuthorizationCookie,
  AuthPlugIn,
  Cookie,
  FileUrl,
  RevisionIdList,
  ServerSyncConfig,
  ServerUpdateData,
  UpdateIdentity,
} from "./types.ts";
import { decodeCompressedUpdateBlob, MAX_UPDATE_BLOB_BYTES } from "./update-blob.ts";
import { identityContent, Reader } from "./wire.ts";
import { el, textEl, type Content, type Markup, type XmlElement } from "./xml.ts";

function response(operation: string, ns: string, result: Content[]): Markup {
  return el(`${operation}Response`, { xmlns: ns }, [el(`${operation}Result`, null, result)]);
}

/** The `<Op>Result` reader of an `<Op>Response` element, or a MessageError naming what came instead. */
export function resultOf(element: XmlElement, operation: string, ns = SERVER_SYNC_NS): Reader {
  const responseReader = new Reader(element, ns, []);
  if (element.local !== `${operation}Response` || element.ns !== ns) {
    responseReader.fail(`expected ${operation}Response, found <${element.name}>`);
  }
  return responseReader.req(`${operation}Result`);
}

// ---------------------------------------------------------------- GetAuthConfig

export function writeGetAuthConfigResponse(lastChange: string, plugIns: AuthPlugIn[]): Markup {
  return response("GetAuthConfig", SERVER_SYNC_NS, [
    textEl("LastChange", lastChange),
    el(
      "AuthInfo",
      null,
      plugIns.map((p) =>
        el("AuthPlugInInfo", null, [
          textEl("PlugInID", p.plugInId),
          textEl("ServiceUrl", p.serviceUrl),
          el("Parameter", null),
        ]),
      ),
    ),
  ]);
}

export function readGetAuthConfigResult(result: Reader): AuthPlugIn[] {
  return result
    .list("AuthInfo", "AuthPlugInInfo")
    .map((p) => ({ plugInId: p.reqText("PlugInID"), serviceUrl: p.optText("ServiceUrl") ?? "" }));
}

// ---------------------------------------------------------------- GetAuthorizationCookie (DSS auth service)

export function writeGetAuthorizationCookieResponse(cookie: AuthorizationCookie): Markup {
  return response("GetAuthorizationCookie", DSS_AUTH_NS, [
    textEl("PlugInId", cookie.plugInId),
    textEl("CookieData", cookie.cookieData),
  ]);
}

export function readGetAuthorizationCookieResult(result: Reader): AuthorizationCookie {
  return { plugInId: result.reqText("PlugInId"), cookieData: result.reqText("CookieData") };
}

// ---------------------------------------------------------------- GetCookie

export function writeGetCookieResponse(cookie: Cookie): Markup {
  return response("GetCookie", SERVER_SYNC_NS, [
    textEl("Expiration", cookie.expiration),
    textEl("EncryptedData", cookie.encryptedData),
  ]);
}

export function readGetCookieResult(result: Reader): Cookie {
  return { expiration: result.reqText("Expiration"), encryptedData: result.reqText("EncryptedData") };
}

// ---------------------------------------------------------------- GetConfigData

export function writeGetConfigDataResponse(config: ServerSyncConfig): Markup {
  // The on-prem WSUS order (capture 000005).
  return response("GetConfigData", SERVER_SYNC_NS, [
    textEl("CatalogOnlySync", config.catalogOnlySync),
    textEl("LazySync", config.lazySync),
    textEl("ServerHostsPsfFiles", config.serverHostsPsfFiles),
    textEl("MaxNumberOfComputerIdsInRequest", config.maxNumberOfComputerIdsInRequest),
    textEl("MaxNumberOfDriverSetsPerRequest", config.maxNumberOfDriverSetsPerRequest),
    textEl("MaxNumberOfPnpHardwareIdsInRequest", config.maxNumberOfPnpHardwareIdsInRequest),
    textEl("MaxNumberOfUpdatesPerRequest", config.maxNumberOfUpdatesPerRequest),
    textEl("NewConfigAnchor", config.newConfigAnchor),
    textEl("ProtocolVersion", config.protocolVersion),
    el(
      "LanguageUpdateList",
      null,
      config.languages.map((l) =>
        el("ServerSyncLanguageData", null, [
          textEl("LanguageID", l.id),
          textEl("ShortLanguage", l.shortLanguage),
          textEl("LongLanguage", l.longLanguage),
          textEl("Enabled", l.enabled),
        ]),
      ),
    ),
    textEl("MaxUpdatesPerRequestInGetUpdateDecryptionData", config.maxUpdatesPerRequestInGetUpdateDecryptionData),
  ]);
}

export function readGetConfigDataResult(r: Reader): ServerSyncConfig {
  return {
    protocolVersion: r.reqText("ProtocolVersion"),
    maxNumberOfUpdatesPerRequest: r.int("MaxNumberOfUpdatesPerRequest"),
    catalogOnlySync: r.bool("CatalogOnlySync"),
    lazySync: r.bool("LazySync"),
    serverHostsPsfFiles: r.bool("ServerHostsPsfFiles"),
    maxNumberOfDriverSetsPerRequest: r.int("MaxNumberOfDriverSetsPerRequest"),
    maxNumberOfComputerIdsInRequest: r.int("MaxNumberOfComputerIdsInRequest"),
    maxNumberOfPnpHardwareIdsInRequest: r.int("MaxNumberOfPnpHardwareIdsInRequest"),
    maxUpdatesPerRequestInGetUpdateDecryptionData: r.int("MaxUpdatesPerRequestInGetUpdateDecryptionData"),
    newConfigAnchor: r.reqText("NewConfigAnchor"),
    languages: r.list("LanguageUpdateList", "ServerSyncLanguageData").map((l) => ({
      id: l.int("LanguageID"),
      shortLanguage: l.optText("ShortLanguage") ?? "",
      longLanguage: l.optText("LongLanguage") ?? "",
      enabled: l.bool("Enabled"),
    })),
  };
}

// ---------------------------------------------------------------- GetRevisionIdList

export function writeGetRevisionIdListResponse(list: RevisionIdList): Markup {
  return response("GetRevisionIdList", SERVER_SYNC_NS, [
    textEl("Anchor", list.anchor),
    el(
      "NewRevisions",
      null,
      list.revisions.map((r) => el("UpdateIdentity", null, identityContent(r))),
    ),
  ]);
}

export function readGetRevisionIdListResult(r: Reader): RevisionIdList {
  return {
    anchor: r.reqText("Anchor"),
    revisions: r.list("NewRevisions", "UpdateIdentity").map((i) => i.identity()),
  };
}

// ---------------------------------------------------------------- GetUpdateData

export interface UpdateDataEntry {
  identity: UpdateIdentity;
  xml: string;
  fileDigests: string[];
}

export function writeGetUpdateDataResponse(updates: UpdateDataEntry[], fileUrls: FileUrl[]): Markup {
  // Element order from the WSDL: Id, XmlUpdateBlob, FileDigestList, XmlUpdateBlobCompressed (000014, 000015).
  return response("GetUpdateData", SERVER_SYNC_NS, [
    el(
      "updates",
      null,
      updates.map((u) =>
        el("ServerSyncUpdateData", null, [
          el("Id", null, identityContent(u.identity)),
          textEl("XmlUpdateBlob", u.xml),
          u.fileDigests.length > 0 &&
            el(
              "FileDigestList",
              null,
              u.fileDigests.map((d) => textEl("base64Binary", d)),
            ),
        ]),
      ),
    ),
    el(
      "fileUrls",
      null,
      fileUrls.map((f) =>
        el("ServerSyncUrlData", null, [
          textEl("FileDigest", f.fileDigest),
          textEl("MUUrl", f.muUrl),
          f.ussUrl ? textEl("UssUrl", f.ussUrl) : el("UssUrl", null),
        ]),
      ),
    ),
  ]);
}

/**
 * Most bytes all the compressed blobs of one GetUpdateData answer may decompress to together (256 MiB, the size limit
 * of an answer): 100 documents of the largest size one blob may have would be 3.2 GB.
 */
export const MAX_ANSWER_BLOB_BYTES = 256 * 1024 * 1024;

/** The document of an XmlUpdateBlobCompressed (a cabinet, usually LZX, holding UTF-16LE XML). */
function decompressBlob(element: Reader, which: string, maxUncompressedBytes: number): string {
  try {
    return decodeCompressedUpdateBlob(element.text(), { maxUncompressedBytes });
  } catch (err) {
    if (!(err instanceof CabError) && !(err instanceof LzxError)) throw err;
    return element.fail(
      `${which}: the compressed blob cannot be decoded: ${err.message}`,
      undefined,
      err instanceof CabLimitError,
    );
  }
}

export function readGetUpdateDataResult(r: Reader): ServerUpdateData {
  let budget = MAX_ANSWER_BLOB_BYTES;
  const updates = r.list("updates", "ServerSyncUpdateData").map((u) => {
    const identity = u.req("Id").identity();
    const blob = u.opt("XmlUpdateBlob");
    const which = `update ${identity.updateId} revision ${identity.revisionNumber}`;
    let xml: string;
    if (blob) {
      xml = blob.raw();
    } else {
      const compressed = u.opt("XmlUpdateBlobCompressed");
      if (!compressed) return u.fail(`${which} has no XmlUpdateBlob`);
      xml = decompressBlob(compressed, which, Math.min(MAX_UPDATE_BLOB_BYTES, budget));
      budget -= xml.length * 2;
    }
    const fileDigests = u.list("FileDigestList", "base64Binary").map((d) => d.text());
    return { identity, xml, ...(fileDigests.length > 0 && { fileDigests }) };
  });
  const fileUrls = r.list("fileUrls", "ServerSyncUrlData").map((f) => {
    const url: FileUrl = { fileDigest: f.reqText("FileDigest"), muUrl: f.optText("MUUrl") ?? "" };
    const ussUrl = f.optText("UssUrl");
    if (ussUrl) url.ussUrl = ussUrl;
    return url;
  });
  return { updates, fileUrls };
}
