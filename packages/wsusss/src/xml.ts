// A small namespace-aware XML layer over fast-xml-parser: a safe parse into a plain element tree, and a builder that
// escapes text for us. SOAP messages in both directions and update documents all go through here, so the safety rules
// live in one place. Before the parser sees a document, one linear pass refuses what a hostile sender could use:
// any DTD or other markup declaration (so no entity is ever expanded: no billion laughs, no external entity, no
// quadratic blow-up), processing instructions (SOAP 1.1 forbids them; only the XML declaration is taken), characters
// XML does not allow, and anything past the limits below (length, nesting depth, element count, attributes per
// element, attribute length). Then the validator checks well-formedness, and only then is a tree built.
import { XMLParser, XMLValidator } from "fast-xml-parser";

/** The text is not well-formed XML (or not XML at all). */
export class XmlError extends Error {
  override name = "XmlError";
}

/**
 * The document was refused by a safety rule — a DTD, entity or other markup declaration, a processing instruction,
 * or past a limit — rather than found malformed: what a hostile or broken peer sends, never what WSUS does.
 */
export class XmlLimitError extends XmlError {
  override name = "XmlLimitError";
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
  /** Longest document, in characters (default 256 Mi, the client's answer size limit). */
  maxLength?: number;
  /** Deepest element nesting accepted, the root being 1 (default 128; real update documents go 10 deep). */
  maxDepth?: number;
  /**
   * Most elements accepted (default 500 000): counted before parsing, so a document of millions of tiny elements is
   * refused before it becomes millions of objects. A full revision list needs more; its reader says so.
   */
  maxElements?: number;
  /** Most attributes on one element, namespace declarations included (default 256; real documents have 9). */
  maxAttributes?: number;
  /** Longest attribute value, in characters as written (default 64 Ki; the longest real one is 80). */
  maxAttributeLength?: number;
}

export const DEFAULT_XML_LIMITS: Readonly<Required<ParseXmlOptions>> = {
  maxLength: 256 * 1024 * 1024,
  maxDepth: 128,
  maxElements: 500_000,
  maxAttributes: 256,
  maxAttributeLength: 64 * 1024,
};

const XML_NS = "http://www.w3.org/XML/1998/namespace";

// Refused before anything else, wherever they stand (even inside a comment or CDATA section, where they are
// harmless but never legitimate): without a DTD there are no custom entities and no external references.
const DECLARATIONS = /<!DOCTYPE|<!ENTITY/i;

// Characters XML 1.0 does not allow, literally written (references to them are refused by decodeEntities).
const FORBIDDEN_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

const XML_DECLARATION = /^<\?xml[\s?]/;

/**
 * One pass over the markup, without building anything: refuses markup declarations and processing instructions,
 * and counts elements, depth, attributes and attribute lengths against the limits. Malformed markup is left for the
 * validator to describe (this pass only has to be right about well-formed documents and never slow on others).
 */
function scan(text: string, limits: Required<ParseXmlOptions>): void {
  let elements = 0;
  let depth = 0;
  const n = text.length;
  let i = text.indexOf("<");
  while (i !== -1 && i < n - 1) {
    const next = text.charCodeAt(i + 1);
    if (next === 33 /* ! */) {
      if (text.startsWith("<!--", i)) {
        const end = text.indexOf("-->", i + 4);
        if (end < 0) throw new XmlError("unterminated comment (document truncated?)");
        i = text.indexOf("<", end + 3);
        if (depth === 0) outsideRoot(text, end + 3, i);
      } else if (text.startsWith("<![CDATA[", i)) {
        const end = text.indexOf("]]>", i + 9);
        if (end < 0) throw new XmlError("unterminated CDATA section (document truncated?)");
        i = text.indexOf("<", end + 3);
      } else {
        throw new XmlLimitError(`markup declarations (${JSON.stringify(text.slice(i, i + 12))}…) are not accepted`);
      }
      continue;
    }
    if (next === 63 /* ? */) {
      if (i !== 0 || !XML_DECLARATION.test(text.slice(0, 6))) {
        if (/^<\?xml[\s?]/i.test(text.slice(i, i + 6))) {
          throw new XmlError("the XML declaration is allowed only at the start of the document");
        }
        throw new XmlLimitError("processing instructions are not accepted");
      }
      const end = text.indexOf("?>", i + 2);
      if (end < 0) throw new XmlError("unterminated XML declaration");
      i = text.indexOf("<", end + 2);
      continue;
    }
    if (next === 47 /* / */) {
      depth--;
      const close = text.indexOf(">", i + 2);
      i = text.indexOf("<", i + 2);
      if (depth === 0 && close >= 0 && (i < 0 || close < i)) outsideRoot(text, close + 1, i);
      continue;
    }
    // A start tag: to its ">", skipping quoted attribute values (which may hold ">").
    if (++elements > limits.maxElements) throw new XmlLimitError(`more than ${limits.maxElements} elements`);
    let attributes = 0;
    let j = i + 1;
    let selfClosing = false;
    for (; j < n; j++) {
      const c = text.charCodeAt(j);
      if (c === 62 /* > */) {
        selfClosing = text.charCodeAt(j - 1) === 47; /* / */
        break;
      }
      if (c === 60 /* < */) break; // malformed; the validator says how
      if (c === 34 || c === 39) {
        const close = text.indexOf(c === 34 ? '"' : "'", j + 1);
        const end = close < 0 ? n : close;
        if (end - j - 1 > limits.maxAttributeLength) {
          throw new XmlLimitError(
            `an attribute of <${tagName(text, i)}> is longer than ${limits.maxAttributeLength} characters`,
          );
        }
        if (++attributes > limits.maxAttributes) {
          throw new XmlLimitError(`<${tagName(text, i)}> has more than ${limits.maxAttributes} attributes`);
        }
        j = end;
      }
    }
    if (!selfClosing && ++depth > limits.maxDepth) {
      throw new XmlLimitError(`elements nested deeper than ${limits.maxDepth} levels`);
    }
    i = j < n ? text.indexOf("<", j) : -1;
    if (selfClosing && depth === 0) outsideRoot(text, j + 1, i);
  }
}

/** Between `from` and the next markup (`to`, -1 for the end) after the root element, only whitespace may stand. */
function outsideRoot(text: string, from: number, to: number): void {
  const end = to < 0 ? text.length : to;
  for (let k = from; k < end; k++) {
    const c = text.charCodeAt(k);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) throw new XmlError("text outside the root element");
  }
}

function tagName(text: string, at: number): string {
  const match = /^<([^\s/>]{1,64})/.exec(text.slice(at, at + 66));
  return match?.[1] ?? "?";
}

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
      // The scan has refused deeper documents already; the parser's own limit is a second line.
      maxNestedTags: maxDepth + 1,
    });
    parsers.set(maxDepth, parser);
  }
  return parser;
}

/**
 * Parses a whole document into its root element. Throws XmlLimitError when a safety rule refuses it, XmlError when it
 * is not well-formed; either says what is wrong (and where, or which element).
 */
export function parseXml(source: string, options: ParseXmlOptions = {}): XmlElement {
  const limits = { ...DEFAULT_XML_LIMITS, ...options };
  const text = source.startsWith("\uFEFF") ? source.slice(1) : source;
  if (text.length > limits.maxLength) throw new XmlLimitError(`longer than ${limits.maxLength} characters`);
  if (DECLARATIONS.test(text)) throw new XmlLimitError("DOCTYPE and ENTITY declarations are not accepted");
  const forbidden = FORBIDDEN_CHAR.exec(text);
  if (forbidden) {
    const code = forbidden[0].codePointAt(0) ?? 0;
    throw new XmlError(
      `character U+${code.toString(16).toUpperCase().padStart(4, "0")} at offset ${forbidden.index} is not allowed in XML`,
    );
  }
  scan(text, limits);
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new XmlError(describeValidationError(valid.err));
  let nodes: RawNode[];
  try {
    nodes = parserFor(limits.maxDepth).parse(text) as RawNode[];
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (/nested tags/i.test(message)) throw new XmlLimitError(`elements nested deeper than ${limits.maxDepth} levels`);
    throw new XmlError(message);
  }
  let root: RawNode | undefined;
  for (const node of nodes) {
    const key = nodeKey(node);
    if (key === "#text") {
      if (String(firstText(node)).trim() !== "") throw new XmlError("text outside the root element");
    } else if (key === "#cdata") {
      throw new XmlError("a CDATA section outside the root element");
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
