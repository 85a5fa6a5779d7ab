// The three ways a WSUSSS call fails, as the client reports them, and the SOAP fault as the server writes and the
// client reads it (detail/ErrorCode, Message, ID, Method; captures 000017–000019).
import { SOAP_ENV_NS } from "./namespaces.ts";
import type { WsusssErrorCode } from "./types.ts";
import { el, findChild, textEl, type Markup, type XmlElement } from "./xml.ts";

export interface WsusssFaultDetails {
  /** The operation's SOAPAction URI (detail/Method, which WSUS writes in quotes; stored without them). */
  method?: string;
  /** detail/ID: the server's id for the incident (WSUS logs it). */
  faultId?: string;
  /** soap:Client or soap:Server. */
  faultCode?: string;
  faultString?: string;
}

/** The server answered with a SOAP fault. Also what a server backend throws to make one. */
export class WsusssFault extends Error {
  override name = "WsusssFault";
  readonly method?: string;
  readonly faultId?: string;
  readonly faultCode?: string;
  readonly faultString?: string;

  /** `details` may be just the method (a SOAPAction URI or an operation name). */
  constructor(
    readonly errorCode: WsusssErrorCode | (string & {}),
    /** detail/Message: for InvalidParameters, the name of the bad parameter (e.g. "filter"). */
    readonly faultMessage?: string,
    details: WsusssFaultDetails | string = {},
  ) {
    const { method, ...rest } = typeof details === "string" ? { method: details } : details;
    const unquoted = method?.trim().replace(/^"(.*)"$/, "$1") || undefined;
    const operation = unquoted?.slice(unquoted.lastIndexOf("/") + 1);
    super(`WSUSSS fault ${errorCode}${faultMessage ? `: ${faultMessage}` : ""}${operation ? ` (${operation})` : ""}`);
    this.method = unquoted;
    this.faultId = rest.faultId;
    this.faultCode = rest.faultCode;
    this.faultString = rest.faultString;
  }

  /** The operation the fault answered, e.g. "GetUpdateData". */
  get operation(): string | undefined {
    return this.method?.slice(this.method.lastIndexOf("/") + 1);
  }
}

/** The answer was not what the protocol allows: malformed or truncated XML, an unexpected status, not SOAP. */
export class WsusssProtocolError extends Error {
  override name = "WsusssProtocolError";
  constructor(
    message: string,
    readonly operation?: string,
  ) {
    super(operation ? `${operation}: ${message}` : message);
  }
}

/**
 * The answer was refused by a safety rule rather than found malformed: a DTD or entity declaration, a processing
 * instruction, or past a limit on size, nesting depth, element count, attributes or decompressed size. Asking again
 * does not help: the peer is broken or hostile.
 */
export class WsusssLimitError extends WsusssProtocolError {
  override name = "WsusssLimitError";
}

/** No answer: the network failed or the call timed out. */
export class WsusssTransportError extends Error {
  override name = "WsusssTransportError";
  override readonly cause: unknown;
  constructor(
    message: string,
    cause: unknown,
    readonly operation?: string,
  ) {
    super(operation ? `${operation}: ${message}` : message);
    this.cause = cause;
  }
}

// Client-side errors are the caller's to fix; only InternalServerError is the server's (as in the captures).
export function faultCodeFor(errorCode: string): "soap:Client" | "soap:Server" {
  return errorCode === "InternalServerError" ? "soap:Server" : "soap:Client";
}

export interface FaultBody {
  errorCode: string;
  message: string;
  id: string;
  method: string;
  actor: string;
}

/** The soap:Fault element, exactly as WSUS writes it. */
export function renderFaultBody(fault: FaultBody): Markup {
  return el("soap:Fault", null, [
    textEl("faultcode", faultCodeFor(fault.errorCode)),
    textEl("faultstring", "Fault occurred"),
    textEl("faultactor", fault.actor),
    el("detail", null, [
      textEl("ErrorCode", fault.errorCode),
      textEl("Message", fault.message),
      textEl("ID", fault.id),
      textEl("Method", fault.method),
    ]),
  ]);
}

/** Reads a soap:Fault element into a WsusssFault. */
export function readFault(fault: XmlElement): WsusssFault {
  // faultcode, faultstring and detail are unqualified in SOAP 1.1; accept qualified ones too.
  const part = (parent: XmlElement, local: string) =>
    findChild(parent, "", local) ?? findChild(parent, SOAP_ENV_NS, local);
  const faultCode = part(fault, "faultcode")?.text.trim();
  const faultString = part(fault, "faultstring")?.text.trim();
  const detail = part(fault, "detail");
  const detailText = (local: string) => {
    const found = detail?.children.find((c) => c.local === local);
    return found?.text.trim() || undefined;
  };
  const errorCode = detailText("ErrorCode") ?? faultCode ?? "UnknownFault";
  return new WsusssFault(errorCode, detailText("Message") ?? (detail ? undefined : faultString), {
    method: detailText("Method"),
    faultId: detailText("ID"),
    faultCode,
    faultString,
  });
}
