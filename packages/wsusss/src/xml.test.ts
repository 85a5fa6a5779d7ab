import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { RESPONSE_XML_LIMITS } from "./client.ts";
import { REQUEST_XML_LIMITS } from "./server.ts";
import { FIXTURES } from "./test-support.ts";
import { UPDATE_XML_LIMITS } from "./update-xml.ts";
import { DEFAULT_XML_LIMITS, parseXml, XmlError, XmlLimitError, type XmlElement } from "./xml.ts";

function failure(doc: string, options = {}): Error {
  try {
    parseXml(doc, options);
  } catch (err) {
    return err as Error;
  }
  throw new Error("parsed");
}

describe("parseXml limits", () => {
  it("refuses more elements than allowed before parsing them", () => {
    const doc = `<r>${"<a/>".repeat(50)}</r>`;
    expect(parseXml(doc, { maxElements: 51 }).children).toHaveLength(50);
    expect(() => parseXml(doc, { maxElements: 50 })).toThrow("more than 50 elements");
    expect(failure(doc, { maxElements: 50 })).toBeInstanceOf(XmlLimitError);
  });

  it("does not count end tags, comments, declarations or CDATA sections", () => {
    const doc = `<?xml version="1.0"?><!-- <x/> --><r><a></a><b/><![CDATA[<c/><d/>]]></r>`;
    expect(parseXml(doc, { maxElements: 3 }).children.map((c) => c.name)).toEqual(["a", "b"]);
  });

  it("refuses deep nesting, and takes exactly maxDepth levels", () => {
    expect(() => parseXml(`${"<a>".repeat(20)}${"</a>".repeat(20)}`, { maxDepth: 10 })).toThrow(
      /nested deeper than 10/,
    );
    expect(parseXml(`${"<a>".repeat(10)}${"</a>".repeat(10)}`, { maxDepth: 10 }).name).toBe("a");
    expect(parseXml(`${"<a>".repeat(9)}<b/>${"</a>".repeat(9)}`, { maxDepth: 10 }).name).toBe("a");
    expect(failure(`${"<a>".repeat(11)}${"</a>".repeat(11)}`, { maxDepth: 10 })).toBeInstanceOf(XmlLimitError);
  });

  it("refuses DOCTYPE and ENTITY declarations wherever they are, and any other markup declaration", () => {
    expect(() => parseXml(`<!DOCTYPE r [<!ENTITY x "y">]><r>&x;</r>`)).toThrow(
      "DOCTYPE and ENTITY declarations are not accepted",
    );
    expect(failure(`<r><![CDATA[<!DOCTYPE r>]]></r>`)).toBeInstanceOf(XmlLimitError);
    expect(failure(`<r/><!-- <!ENTITY x "y"> -->`)).toBeInstanceOf(XmlLimitError);
    expect(failure(`<r><!ELEMENT r ANY></r>`).message).toMatch(/markup declarations .* are not accepted/);
  });

  it("refuses a long attribute value and too many attributes, counting quoted > correctly", () => {
    const long = `<r a="${"x".repeat(101)}"/>`;
    expect(() => parseXml(long, { maxAttributeLength: 100 })).toThrow(
      "an attribute of <r> is longer than 100 characters",
    );
    expect(parseXml(long, { maxAttributeLength: 101 }).attrs.get("a")).toHaveLength(101);
    expect(parseXml(`<r a='>>' b="<x>"/>`.replace("<x>", "&lt;x&gt;")).attrs.get("a")).toBe(">>");
    const many = `<r ${Array.from({ length: 11 }, (_, i) => `a${i}="${i}"`).join(" ")}/>`;
    expect(() => parseXml(many, { maxAttributes: 10 })).toThrow("<r> has more than 10 attributes");
    expect(parseXml(many, { maxAttributes: 11 }).attrs.size).toBe(11);
  });

  it("refuses a document longer than maxLength", () => {
    expect(failure(`<r>${"x".repeat(100)}</r>`, { maxLength: 100 })).toBeInstanceOf(XmlLimitError);
  });

  it("refuses processing instructions but takes the XML declaration at the start", () => {
    expect(parseXml(`<?xml version="1.0" encoding="utf-8"?><r/>`).name).toBe("r");
    expect(parseXml(`\uFEFF<?xml version="1.0"?><r/>`).name).toBe("r");
    expect(() => parseXml(`<r><?php echo 1; ?></r>`)).toThrow("processing instructions are not accepted");
    expect(failure(`<?xml-stylesheet href="x"?><r/>`)).toBeInstanceOf(XmlLimitError);
    expect(failure(`<r/><?xml version="1.0"?>`)).toBeInstanceOf(XmlError);
    expect(failure(` <?xml version="1.0"?><r/>`).message).toContain("only at the start");
  });

  it("refuses characters XML does not allow, literally or by reference", () => {
    expect(() => parseXml("<r>a\u0001b</r>")).toThrow("character U+0001 at offset 4 is not allowed in XML");
    expect(() => parseXml("<r>\uD800</r>")).toThrow(/U\+D800/);
    expect(() => parseXml("<r>&#0;</r>")).toThrow(/U\+0 is not allowed/);
    expect(() => parseXml("<r>&foo;</r>")).toThrow("unknown entity &foo;");
  });

  it("refuses text and CDATA outside the root element, and unterminated sections", () => {
    expect(() => parseXml("<r/><![CDATA[x]]>")).toThrow("a CDATA section outside the root element");
    expect(() => parseXml("<![CDATA[x]]><r/>")).toThrow("a CDATA section outside the root element");
    expect(() => parseXml("<r/>x")).toThrow("text outside the root element");
    expect(() => parseXml("<r></r>x")).toThrow(XmlError);
    expect(() => parseXml("<r/><!-- c -->x")).toThrow("text outside the root element");
    expect(parseXml("<r/> <!-- c -->\n").name).toBe("r");
    expect(() => parseXml("<r><![CDATA[abc</r>")).toThrow("unterminated CDATA section");
    expect(() => parseXml("<r><!-- abc</r>")).toThrow("unterminated comment");
    // CDATA hides markup from the parser: it is text.
    expect(parseXml("<r><![CDATA[</r><x>]]></r>").text).toBe("</r><x>");
  });

  it("defaults stay far above what real documents need", () => {
    expect(DEFAULT_XML_LIMITS).toEqual({
      maxLength: 256 * 1024 * 1024,
      maxDepth: 128,
      maxElements: 500_000,
      maxAttributes: 256,
      maxAttributeLength: 64 * 1024,
    });
  });
});

/** Every XML file of the fixtures: captured requests and answers, update documents, MS-WUSP fragments. */
function fixtureFiles(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const file = join(dir, name);
      if (statSync(file).isDirectory()) walk(file);
      else if (/\.(xml|body)$/.test(name)) files.push(file);
    }
  };
  walk(FIXTURES);
  return files;
}

function measure(root: XmlElement) {
  let depth = 0;
  let elements = 0;
  let attributes = 0;
  let attributeLength = 0;
  const visit = (e: XmlElement, level: number) => {
    elements++;
    depth = Math.max(depth, level);
    attributes = Math.max(attributes, e.attrs.size);
    for (const v of e.attrs.values()) attributeLength = Math.max(attributeLength, v.length);
    for (const c of e.children) visit(c, level + 1);
  };
  visit(root, 1);
  return { depth, elements, attributes, attributeLength };
}

describe("real data stays within every limit", () => {
  const files = fixtureFiles();

  it("finds the fixtures", () => {
    expect(files.length).toBeGreaterThanOrEqual(90);
  });

  it("parses every fixture under the tightest limits that apply to it", () => {
    const seen = { depth: 0, elements: 0, attributes: 0, attributeLength: 0 };
    for (const file of files) {
      const text = readFileSync(file, "utf8");
      if (!text.trimStart().startsWith("<")) continue; // an empty fault request body
      const isRequest = file.endsWith("request.body");
      const isResponse = file.endsWith("response.body");
      // The MS-WUSP reference files are fragments (several roots): parse them in a wrapper.
      const fragment = file.includes("wusp-reference");
      const doc = fragment ? `<fragment>${text}</fragment>` : text;
      const limits = isRequest ? REQUEST_XML_LIMITS : isResponse ? RESPONSE_XML_LIMITS.default : UPDATE_XML_LIMITS;
      let root: XmlElement;
      try {
        root = parseXml(doc, limits);
      } catch (err) {
        throw new Error(`${file}: ${(err as Error).message}`);
      }
      const m = measure(root);
      for (const key of Object.keys(seen) as (keyof typeof seen)[]) seen[key] = Math.max(seen[key], m[key]);
    }
    // What the limits are measured against (see the comments on each).
    expect(seen).toEqual({ depth: 10, elements: 364, attributes: 9, attributeLength: 80 });
  });
});
