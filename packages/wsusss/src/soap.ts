// SOAP 1.1 envelopes as WSUS writes them: a request carries only the soap prefix, a response also declares xsi and
// xsd (captures). Reading takes an envelope apart down to the one element in soap:Body.
import { SOAP_ENV_NS, XSD_NS, XSI_NS } from "./namespaces.ts";
import {
  el,
  findChild,
  parseXml,
  XmlError,
  XmlLimitError,
  type Markup,
  type ParseXmlOptions,
  type XmlElement,
} from "./xml.ts";

const DECLARATION = '<?xml version="1.0" encoding="utf-8"?>';

export function renderRequestEnvelope(body: Markup): string {
  return DECLARATION + el("soap:Envelope", { "xmlns:soap": SOAP_ENV_NS }, [el("soap:Body", null, [body])]).raw;
}

export function renderResponseEnvelope(body: Markup): string {
  return (
    DECLARATION +
    el("soap:Envelope", { "xmlns:soap": SOAP_ENV_NS, "xmlns:xsi": XSI_NS, "xmlns:xsd": XSD_NS }, [
      el("soap:Body", null, [body]),
    ]).raw
  );
}

export class SoapError extends Error {
  override name = "SoapError";
  constructor(
    message: string,
    /** The XML was refused by a safety rule (XmlLimitError), not merely malformed. */
    readonly unsafe = false,
  ) {
    super(message);
  }
}

/** The single element inside soap:Body; SoapError when the text is not a SOAP 1.1 envelope or not acceptable XML. */
export function readEnvelope(text: string, options?: ParseXmlOptions): XmlElement {
  let root: XmlElement;
  try {
    root = parseXml(text, options);
  } catch (err) {
    if (err instanceof XmlLimitError) throw new SoapError(`refused XML: ${err.message}`, true);
    if (err instanceof XmlError) throw new SoapError(`not well-formed XML: ${err.message}`);
    throw err;
  }
  if (root.local !== "Envelope" || root.ns !== SOAP_ENV_NS) {
    throw new SoapError(`expected a SOAP 1.1 Envelope, found <${root.name}>${root.ns ? ` in ${root.ns}` : ""}`);
  }
  const body = findChild(root, SOAP_ENV_NS, "Body");
  if (!body) throw new SoapError("the envelope has no soap:Body");
  const [first, ...rest] = body.children;
  if (!first) throw new SoapError("soap:Body is empty");
  if (rest.length > 0) throw new SoapError(`soap:Body holds ${body.children.length} elements, expected one`);
  return first;
}

export function isFault(element: XmlElement): boolean {
  return element.local === "Fault" && element.ns === SOAP_ENV_NS;
}

/** The SOAPAction header value for an operation, quoted as .NET clients send it. */
export function soapAction(namespace: string, operation: string): string {
  return `"${namespace}/${operation}"`;
}
