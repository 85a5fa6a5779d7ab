// A small namespace-aware XML layer over fast-xml-parser: a safe parse into a plain element tree, and a builder that
// escapes text for us. Both SOAP messages and update documents go through here, so the safety rules live in one
// place: no DTDs (no entity expansion at all), bounded depth, well-formedness checked before anything is read.
import { XMLParser, XMLValidator } from "fast-xml-parser";

export class XmlError extends Error {
  override name = "XmlError";
}

export interface XmlElement {
  /** The qualified name as written, e.g. `upd:Update`. */
  name: string;
  local: string;
  /** Namespace URI ("" when the element has none). */
  ns: string;
  /** Attributes by qualified name as written, values decoded. Namespace declarations included. */
  attrs: ReadonlyMap<string, string>;
  children: XmlElement[];
  /** The element's own character data (text and CDATA), decoded; "" when none. */
  text: string;
}

export interface ParseXmlOptions {
  /** Deepest element nesting accepted (default 128). */
  maxDepth?: number;
  /**
   * Most elements accepted (default 4 million, above a full unfiltered revision list of Microsoft Update): counted
   * before parsing, so a document of millions of tiny elements is refused before it becomes millions of objects.
   */
  maxElements?: number;
}

/** Counts start tags (`<` followed by a name character) without building anything. */
function countElements(text: string): number {
  let count = 0;
  for (let i = text.indexOf("<"); i !== -1; i = text.indexOf("<", i + 1)) {
    const next = text.charCodeAt(i + 1);
    // not "</", "<!", "<?"
    if (next !== 47 && next !== 33 && next !== 63) count++;
  }
  return count;
}

const XML_NS = "http://www.w3.org/XML/1998/namespace";

// Refused before the parser sees the document: without a DTD there are no custom entities, no external
// references and no billion-laughs, whatever the parser's own settings.
const DECLARATIONS = /<!DOCTYPE|<!ENTITY/i;

type RawNode = Record<string, unknown>;

const parsers = new Map<number, XMLParser>();

function parserFor(maxDepth: number): XMLParser {
  let parser = parsers.get(maxDepth);
  if (!parser) {
    parser = new XMLParser({
      preserveOrder: true,
      processEntities: false,
      parseTagValue: false,
      parseAttributeValue: false,
      ignoreAttributes: false,
      attributeNamePrefix: "",
      trimValues: false,
      cdataPropName: "#cdata",
      commentPropName: "#comment",
      maxNestedTags: maxDepth,
    });
    parsers.set(maxDepth, parser);
  }
  return parser;
}

/** Parses a whole document into its root element; throws XmlError saying what is wrong (and which element). */
export function parseXml(source: string, options: ParseXmlOptions = {}): XmlElement {
  const maxDepth = options.maxDepth ?? 128;
  const text = source.startsWith("\uFEFF") ? source.slice(1) : source;
  if (DECLARATIONS.test(text)) throw new XmlError("DOCTYPE and ENTITY declarations are not accepted");
  const maxElements = options.maxElements ?? 4_000_000;
  if (countElements(text) > maxElements) throw new XmlError(`more than ${maxElements} elements`);
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new XmlError(describeValidationError(valid.err));
  let nodes: RawNode[];
  try {
    nodes = parserFor(maxDepth).parse(text) as RawNode[];
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (/nested tags/i.test(message)) throw new XmlError(`elements nested deeper than ${maxDepth} levels`);
    throw new XmlError(message);
  }
  let root: RawNode | undefined;
  for (const node of nodes) {
    const key = nodeKey(node);
    if (key === "#text") {
      if (String(firstText(node)).trim() !== "") throw new XmlError("text outside the root element");
    } else if (key !== "#comment" && !key.startsWith("?")) {
      if (root) throw new XmlError(`more than one root element (<${key}> after the first)`);
      root = node;
    }
  }
  if (!root) throw new XmlError("no root element");
  return convert(root, new Map([["xml", XML_NS]]));
}

function describeValidationError(err: { code: string; msg: string; line: number; col: number }): string {
  const where = Number.isFinite(err.col) ? ` (line ${err.line}, column ${err.col})` : "";
  // The validator reports a truncated document as "Invalid '[ "a", "b" ]' found": the still-open elements.
  const open = /^Invalid '(\[[\s\S]*\])' found\.$/.exec(err.msg);
  if (open?.[1]) {
    try {
      const names = JSON.parse(open[1]) as string[];
      return `unclosed element <${names[names.length - 1]}> (document truncated?)`;
    } catch {
      // Fall through to the validator's own words.
    }
  }
  if (err.msg === "Start tag expected.") return "not an XML document: no start tag";
  return `${err.msg}${where}`;
}

function nodeKey(node: RawNode): string {
  for (const key of Object.keys(node)) if (key !== ":@") return key;
  return "";
}

function firstText(node: RawNode): unknown {
  return node["#text"];
}

function convert(node: RawNode, scope: ReadonlyMap<string, string>): XmlElement {
  const name = nodeKey(node);
  const rawAttrs = (node[":@"] ?? {}) as Record<string, string>;
  const attrs = new Map<string, string>();
  let inner: Map<string, string> | undefined;
  for (const [key, value] of Object.entries(rawAttrs)) {
    const decoded = decodeEntities(String(value));
    attrs.set(key, decoded);
    if (key === "xmlns" || key.startsWith("xmlns:")) {
      inner ??= new Map(scope);
      inner.set(key === "xmlns" ? "" : key.slice(6), decoded);
    }
  }
  const elementScope = inner ?? scope;
  const colon = name.indexOf(":");
  const prefix = colon >= 0 ? name.slice(0, colon) : "";
  const local = colon >= 0 ? name.slice(colon + 1) : name;
  const ns = elementScope.get(prefix);
  if (ns === undefined && prefix !== "") throw new XmlError(`<${name}>: namespace prefix "${prefix}" is not declared`);

  const children: XmlElement[] = [];
  let text = "";
  for (const child of (node[name] ?? []) as RawNode[]) {
    const key = nodeKey(child);
    if (key === "#text") text += decodeEntities(String(firstText(child)));
    else if (key === "#cdata") {
      for (const part of (child["#cdata"] ?? []) as RawNode[]) text += String(firstText(part) ?? "");
    } else if (key !== "#comment" && !key.startsWith("?")) children.push(convert(child, elementScope));
  }
  return { name, local, ns: ns ?? "", attrs, children, text };
}

const REFERENCE = /&(?:#x([0-9a-fA-F]+)|#([0-9]+)|([A-Za-z][\w.-]*));/g;
const NAMED: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

/** Decodes the five predefined entities and character references; anything else is an error (there is no DTD). */
export function decodeEntities(value: string): string {
  if (!value.includes("&")) return value;
  return value.replace(REFERENCE, (_match, hex: string | undefined, dec: string | undefined, named?: string) => {
    if (named !== undefined) {
      const char = NAMED[named];
      if (char === undefined) throw new XmlError(`unknown entity &${named};`);
      return char;
    }
    const code = hex !== undefined ? parseInt(hex, 16) : parseInt(dec ?? "", 10);
    if (!isXmlChar(code))
      throw new XmlError(`character reference to U+${code.toString(16).toUpperCase()} is not allowed`);
    return String.fromCodePoint(code);
  });
}

function isXmlChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

// ---- reading helpers ----

export function findChild(parent: XmlElement, ns: string, local: string): XmlElement | undefined {
  return parent.children.find((c) => c.local === local && c.ns === ns);
}

export function findChildren(parent: XmlElement, ns: string, local: string): XmlElement[] {
  return parent.children.filter((c) => c.local === local && c.ns === ns);
}

/** An unprefixed attribute's value. */
export function attr(element: XmlElement, name: string): string | undefined {
  return element.attrs.get(name);
}

// ---- building ----

/** Markup that is already escaped; plain strings given to `el` are text and get escaped. */
export class Markup {
  constructor(readonly raw: string) {}
  toString(): string {
    return this.raw;
  }
}

export type Content = Markup | string | number | undefined | null | false;
export type Attrs = Record<string, string | number | boolean | undefined>;

/**
 * Builds one element. No content renders `<name />` (as WSUS writes empty lists); an empty string renders
 * `<name></name>` (as WSUS writes an empty Message).
 */
export function el(name: string, attrs: Attrs | null, content: Content[] = []): Markup {
  let open = `<${name}`;
  if (attrs) {
    for (const [key, value] of Object.entries(attrs)) {
      if (value !== undefined) open += ` ${key}="${escapeAttr(String(value))}"`;
    }
  }
  const parts = content.filter((c): c is Markup | string | number => c !== undefined && c !== null && c !== false);
  if (parts.length === 0) return new Markup(`${open} />`);
  let body = "";
  for (const part of parts) body += part instanceof Markup ? part.raw : escapeText(String(part));
  return new Markup(`${open}>${body}</${name}>`);
}

/** An element holding only text (always open and close tags, even for ""). */
export function textEl(name: string, text: string | number | boolean): Markup {
  return el(name, null, [String(text)]);
}

const INVALID_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

function checkChars(value: string): void {
  const bad = INVALID_CHAR.exec(value);
  if (bad) {
    const code = bad[0].codePointAt(0) ?? 0;
    throw new XmlError(`character U+${code.toString(16).toUpperCase().padStart(4, "0")} cannot be written in XML`);
  }
}

export function escapeText(value: string): string {
  checkChars(value);
  // \r is escaped because a parser would otherwise normalize it away.
  return value.replace(/[&<>\r]/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : "&#13;"));
}

export function escapeAttr(value: string): string {
  checkChars(value);
  // Whitespace characters are escaped because attribute-value normalization would turn them into spaces.
  return value.replace(/[&<>"\t\n\r]/g, (c) => ATTR_ESCAPES[c] ?? c);
}

const ATTR_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "\t": "&#9;",
  "\n": "&#10;",
  "\r": "&#13;",
};
