// A corpus of hostile XML documents, for tests and for the embedded upstream's `hostile-xml` fault: each attack is
// written into a real message (a captured request or answer, or the answer the upstream was about to send), so that
// everything but the attack is valid and a reader that let the attack through would go on as if nothing happened.
// What a safe reader must do with each is in HOSTILE_XML_VERDICTS: "refused" by a safety rule (xml.ts: XmlLimitError;
// the client: WsusssLimitError) or found "malformed" (XmlError, Utf8Error; the client: WsusssProtocolError).

export const HOSTILE_XML_ATTACKS = [
  "billion-laughs",
  "external-entity",
  "quadratic-blowup",
  "deep-nesting",
  "huge-attribute",
  "many-attributes",
  "many-elements",
  "invalid-utf8",
  "truncated",
  "cdata-doctype",
  "cdata-after-root",
  "processing-instruction",
  "oversized",
] as const;

export type HostileXmlAttack = (typeof HOSTILE_XML_ATTACKS)[number];

export const HOSTILE_XML_VERDICTS: Readonly<Record<HostileXmlAttack, "refused" | "malformed">> = {
  "billion-laughs": "refused", // ten levels of entities, each ten of the one before: 10^9 "lol"s
  "external-entity": "refused", // an entity reading file:///etc/passwd
  "quadratic-blowup": "refused", // one 50 000-character entity referenced 50 000 times: 2.5 GB
  "deep-nesting": "refused", // 10 000 nested elements
  "huge-attribute": "refused", // one attribute of 1 MiB
  "many-attributes": "refused", // 100 000 attributes on one element
  "many-elements": "refused", // 1 000 000 empty elements (a revision list may have up to 4 million)
  "invalid-utf8": "malformed", // a bad two-byte sequence, 0xFF and an encoded surrogate in a text node
  truncated: "malformed", // the document cut in half
  "cdata-doctype": "refused", // a CDATA section closed early to smuggle in a DOCTYPE with an external entity
  "cdata-after-root": "malformed", // a second envelope hidden in a CDATA section after the root element
  "processing-instruction": "refused", // SOAP 1.1 forbids processing instructions
  oversized: "refused", // padded past the size limit (options.size, default 5 MiB)
};

export interface HostileXmlOptions {
  /** Size in bytes of the "oversized" document (default 5 MiB: past the 4 MiB request limit). */
  size?: number;
}

/**
 * The attack written into `base` (a whole XML document, e.g. a SOAP envelope): inside the element in soap:Body (or the
 * root element of a document that is not SOAP), or around it. Returns the bytes to send.
 */
export function hostileXml(attack: HostileXmlAttack, base: string, options: HostileXmlOptions = {}): Buffer {
  const utf8 = (text: string) => Buffer.from(text, "utf8");
  switch (attack) {
    case "billion-laughs": {
      const entities = ['<!ENTITY lol "lol">'];
      for (let i = 1; i <= 9; i++) {
        entities.push(`<!ENTITY lol${i} "${`&lol${i === 1 ? "" : i - 1};`.repeat(10)}">`);
      }
      return utf8(withDoctype(inside(base, "<lolz>&lol9;</lolz>"), entities.join("")));
    }
    case "external-entity":
      return utf8(withDoctype(inside(base, "<leak>&xxe;</leak>"), '<!ENTITY xxe SYSTEM "file:///etc/passwd">'));
    case "quadratic-blowup": {
      const size = 50_000;
      return utf8(withDoctype(inside(base, `<blow>${"&a;".repeat(size)}</blow>`), `<!ENTITY a "${"a".repeat(size)}">`));
    }
    case "deep-nesting":
      return utf8(inside(base, `${"<d>".repeat(10_000)}${"</d>".repeat(10_000)}`));
    case "huge-attribute":
      return utf8(withAttributes(base, ` huge="${"A".repeat(1024 * 1024)}"`));
    case "many-attributes": {
      let attributes = "";
      for (let i = 0; i < 100_000; i++) attributes += ` a${i}=""`;
      return utf8(withAttributes(base, attributes));
    }
    case "many-elements":
      return utf8(inside(base, "<e/>".repeat(1_000_000)));
    case "invalid-utf8": {
      const marker = "\u0000INVALID\u0000";
      const [before, after] = inside(base, `<bad>${marker}</bad>`).split(marker) as [string, string];
      return Buffer.concat([utf8(before), Buffer.from([0x41, 0xc3, 0x28, 0xff, 0xed, 0xa0, 0x80, 0x42]), utf8(after)]);
    }
    case "truncated": {
      const bytes = utf8(base);
      return bytes.subarray(0, Math.floor(bytes.length / 2));
    }
    case "cdata-doctype":
      return utf8(
        inside(base, '<x><![CDATA[ok]]><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>&e;<![CDATA[]]></x>'),
      );
    case "cdata-after-root":
      return utf8(`${base}<![CDATA[${base.replace(/^<\?xml[^>]*\?>/, "").replaceAll("]]>", "]]]]><![CDATA[>")}]]>`);
    case "processing-instruction":
      return utf8(inside(base, '<?xml-stylesheet type="text/xsl" href="http://attacker.invalid/x.xsl"?>'));
    case "oversized": {
      const size = options.size ?? 5 * 1024 * 1024;
      const padding = Math.max(0, size - Buffer.byteLength(base) - 7);
      return utf8(inside(base, `<!--${" ".repeat(padding)}-->`));
    }
  }
}

/** Where the content of the message element starts: after the start tag of the element in soap:Body, or of the root. */
function target(base: string): { name: string; tagStart: number; tagEnd: number; selfClosing: boolean } {
  const body = /<(?:[A-Za-z_][\w.-]*:)?Body\b[^>]*>/.exec(base);
  const from = body ? body.index + body[0].length : 0;
  const tag = /<([A-Za-z_][\w.:-]*)\b[^>]*?(\/?)>/g;
  tag.lastIndex = from;
  const found = tag.exec(base);
  // No element to write into (the base is not XML): the attack gets an element of its own at the end.
  if (!found) return { name: "r", tagStart: base.length, tagEnd: base.length, selfClosing: false };
  return {
    name: found[1]!,
    tagStart: found.index,
    tagEnd: found.index + found[0].length,
    selfClosing: found[2] === "/",
  };
}

function inside(base: string, markup: string): string {
  const t = target(base);
  if (t.tagStart === base.length) return `${base}<r>${markup}</r>`;
  if (!t.selfClosing) return base.slice(0, t.tagEnd) + markup + base.slice(t.tagEnd);
  const open = base.slice(t.tagStart, t.tagEnd).replace(/\s*\/>$/, ">");
  return `${base.slice(0, t.tagStart)}${open}${markup}</${t.name}>${base.slice(t.tagEnd)}`;
}

function withAttributes(base: string, attributes: string): string {
  const t = target(base);
  if (t.tagStart === base.length) return `${base}<r${attributes}/>`;
  const at = t.tagStart + 1 + t.name.length;
  return base.slice(0, at) + attributes + base.slice(at);
}

function withDoctype(document: string, internalSubset: string): string {
  const declaration = /^\uFEFF?<\?xml[^>]*\?>/.exec(document);
  const at = declaration ? declaration[0].length : 0;
  const root = /<([A-Za-z_][\w.:-]*)/.exec(document.slice(at))?.[1] ?? "root";
  return `${document.slice(0, at)}<!DOCTYPE ${root} [${internalSubset}]>${document.slice(at)}`;
}
