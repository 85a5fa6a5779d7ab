// The operation requests: written by the client exactly as the captured requests (element names, namespaces and
// order), read by the server.
import { DSS_AUTH_NS, SERVER_SYNC_NS } from "./namespaces.ts";
import type { AuthorizationCookie, Cookie, RevisionFilter, UpdateIdentity } from "./types.ts";
import { cookieElement, identityContent, type Reader } from "./wire.ts";
import { el, textEl, type Content, type Markup } from "./xml.ts";

export type ServerSyncOperation =
  "GetAuthConfig" | "GetCookie" | "GetConfigData" | "GetRevisionIdList" | "GetUpdateData";
export type DssAuthOperation = "GetAuthorizationCookie";

export const SERVER_SYNC_OPERATIONS: readonly ServerSyncOperation[] = [
  "GetAuthConfig",
  "GetCookie",
  "GetConfigData",
  "GetRevisionIdList",
  "GetUpdateData",
];

function operation(name: string, ns: string, content: Content[] = []): Markup {
  return el(name, { xmlns: ns }, content);
}

// ---------------------------------------------------------------- write (client)

export function writeGetAuthConfig(): Markup {
  return operation("GetAuthConfig", SERVER_SYNC_NS);
}

export function writeGetAuthorizationCookie(accountName: string, accountGuid: string): Markup {
  return operation("GetAuthorizationCookie", DSS_AUTH_NS, [
    textEl("accountName", accountName),
    textEl("accountGuid", accountGuid),
  ]);
}

export function writeGetCookie(
  authCookie: AuthorizationCookie,
  oldCookie: Cookie | undefined,
  version: string,
): Markup {
  return operation("GetCookie", SERVER_SYNC_NS, [
    el("authCookies", null, [
      el("AuthorizationCookie", null, [
        textEl("PlugInId", authCookie.plugInId),
        textEl("CookieData", authCookie.cookieData),
      ]),
    ]),
    oldCookie && cookieElement("oldCookie", oldCookie),
    textEl("protocolVersion", version),
  ]);
}

export function writeGetConfigData(cookie: Cookie, configAnchor?: string): Markup {
  return operation("GetConfigData", SERVER_SYNC_NS, [
    cookieElement("cookie", cookie),
    configAnchor !== undefined && textEl("configAnchor", configAnchor),
  ]);
}

export function writeGetRevisionIdList(cookie: Cookie, filter: RevisionFilter): Markup {
  const idAndDelta = (name: string, items: { id: string; delta: boolean }[] | undefined) =>
    items &&
    el(
      name,
      null,
      items.map((i) => el("IdAndDelta", null, [textEl("Id", i.id.toLowerCase()), textEl("Delta", i.delta)])),
    );
  return operation("GetRevisionIdList", SERVER_SYNC_NS, [
    cookieElement("cookie", cookie),
    el("filter", null, [
      filter.anchor !== undefined && textEl("Anchor", filter.anchor),
      textEl("GetConfig", filter.getConfig),
      idAndDelta("Categories", filter.categories),
      idAndDelta("Classifications", filter.classifications),
      filter.languages &&
        el(
          "Languages",
          null,
          filter.languages.map((l) => el("LanguageAndDelta", null, [textEl("Id", l.lcid), textEl("Delta", l.delta)])),
        ),
    ]),
  ]);
}

export function writeGetUpdateData(cookie: Cookie, ids: UpdateIdentity[]): Markup {
  return operation("GetUpdateData", SERVER_SYNC_NS, [
    cookieElement("cookie", cookie),
    el(
      "updateIds",
      null,
      ids.map((id) => el("UpdateIdentity", null, identityContent(id))),
    ),
  ]);
}

// ---------------------------------------------------------------- read (server)

export function readGetAuthorizationCookie(r: Reader): { accountName: string; accountGuid: string } {
  const accountName = r.reqText("accountName");
  if (accountName === "" || accountName.length > 255) r.fail("must be 1 to 255 characters", "accountName");
  return { accountName, accountGuid: r.guid("accountGuid") };
}

export function readGetCookie(r: Reader): {
  authCookies: AuthorizationCookie[];
  oldCookie?: Cookie;
  protocolVersion?: string;
} {
  const authCookies = r.list("authCookies", "AuthorizationCookie").map((c) => ({
    plugInId: c.reqText("PlugInId"),
    cookieData: c.reqText("CookieData"),
  }));
  const oldCookie = r.opt("oldCookie")?.cookie();
  return { authCookies, oldCookie, protocolVersion: r.optText("protocolVersion") };
}

/** The session cookie every operation after GetCookie carries; undefined when absent (→ InvalidCookie). */
export function readCookie(r: Reader): Cookie | undefined {
  const cookie = r.opt("cookie");
  const data = cookie?.optText("EncryptedData");
  return cookie && data ? { expiration: cookie.optText("Expiration") ?? "", encryptedData: data } : undefined;
}

export function readGetConfigData(r: Reader): { configAnchor?: string } {
  return { configAnchor: r.optText("configAnchor") };
}

export function readGetRevisionIdList(r: Reader): { filter: RevisionFilter } {
  const f = r.req("filter");
  const idAndDelta = (container: string) =>
    f.opt(container) && f.list(container, "IdAndDelta").map((i) => ({ id: i.guid("Id"), delta: i.bool("Delta") }));
  const filter: RevisionFilter = { getConfig: f.bool("GetConfig") };
  const anchor = f.optText("Anchor");
  if (anchor !== undefined) filter.anchor = anchor;
  const categories = idAndDelta("Categories");
  if (categories) filter.categories = categories;
  const classifications = idAndDelta("Classifications");
  if (classifications) filter.classifications = classifications;
  if (f.opt("Languages")) {
    filter.languages = f
      .list("Languages", "LanguageAndDelta")
      .map((l) => ({ lcid: l.int("Id"), delta: l.bool("Delta") }));
  }
  return { filter };
}

export function readGetUpdateData(r: Reader): { updateIds: UpdateIdentity[] } {
  return {
    updateIds: r
      .req("updateIds")
      .all("UpdateIdentity")
      .map((i) => i.identity()),
  };
}
