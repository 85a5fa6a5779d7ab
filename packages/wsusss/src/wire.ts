// Reading a WSUSSS message element by element. Every miss or bad value says where it is (a path from the operation
// element), so the client can report "GetConfigData: GetConfigDataResult/MaxNumberOfUpdatesPerRequest: missing" and
// the server can name the offending parameter in an InvalidParameters fault, as WSUS does ("filter").
import { normalizeGuid } from "./guid.ts";
import type { Cookie, UpdateIdentity } from "./types.ts";
import { el, textEl, type Markup, type XmlElement } from "./xml.ts";

export class MessageError extends Error {
  override name = "MessageError";
  constructor(
    readonly path: readonly string[],
    detail: string,
    /** Refused by a safety limit (a decompression bomb), not merely wrong. */
    readonly unsafe = false,
  ) {
    super(path.length > 0 ? `${path.join("/")}: ${detail}` : detail);
  }

  /** The top-level parameter (the operation element's child) the problem is in. */
  get parameter(): string | undefined {
    return this.path[0];
  }
}

export class Reader {
  constructor(
    readonly element: XmlElement,
    readonly ns: string,
    readonly path: readonly string[] = [],
  ) {}

  fail(detail: string, local?: string, unsafe = false): never {
    throw new MessageError(local ? [...this.path, local] : this.path, detail, unsafe);
  }

  opt(local: string): Reader | undefined {
    const found = this.element.children.find((c) => c.local === local && c.ns === this.ns);
    return found && new Reader(found, this.ns, [...this.path, local]);
  }

  req(local: string): Reader {
    return this.opt(local) ?? this.fail("missing", local);
  }

  all(local: string): Reader[] {
    return this.element.children
      .filter((c) => c.local === local && c.ns === this.ns)
      .map((c) => new Reader(c, this.ns, [...this.path, local]));
  }

  /** Items of an array element (`<Categories><IdAndDelta/>…</Categories>`); [] when the array is absent. */
  list(container: string, item: string): Reader[] {
    return this.opt(container)?.all(item) ?? [];
  }

  /** The element's text exactly as sent (for blobs, whose whitespace belongs to the document). */
  raw(): string {
    return this.element.text;
  }

  text(): string {
    return this.element.text.trim();
  }

  optText(local: string): string | undefined {
    return this.opt(local)?.text();
  }

  reqText(local: string): string {
    return this.req(local).text();
  }

  bool(local: string): boolean {
    const value = this.reqText(local);
    if (value === "true" || value === "1") return true;
    if (value === "false" || value === "0") return false;
    return this.fail(`"${value}" is not a boolean`, local);
  }

  int(local: string): number {
    const value = this.reqText(local);
    if (!/^-?\d{1,10}$/.test(value)) return this.fail(`"${value}" is not an integer`, local);
    return Number(value);
  }

  guid(local: string): string {
    const value = this.reqText(local);
    return normalizeGuid(value) ?? this.fail(`"${value}" is not a GUID`, local);
  }

  identity(): UpdateIdentity {
    const revisionNumber = this.int("RevisionNumber");
    if (revisionNumber < 0) this.fail(`${revisionNumber} is negative`, "RevisionNumber");
    return { updateId: this.guid("UpdateID"), revisionNumber };
  }

  cookie(): Cookie {
    return { expiration: this.optText("Expiration") ?? "", encryptedData: this.reqText("EncryptedData") };
  }
}

// ---- writing the shapes shared by requests and responses ----

export function identityContent(identity: UpdateIdentity): Markup[] {
  return [textEl("UpdateID", identity.updateId), textEl("RevisionNumber", identity.revisionNumber)];
}

export function cookieElement(name: string, cookie: Cookie): Markup {
  return el(name, null, [textEl("Expiration", cookie.expiration), textEl("EncryptedData", cookie.encryptedData)]);
}
