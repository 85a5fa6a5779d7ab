import { describe, expect, it } from "vitest";
import { parseXml } from "./xml.ts";

describe("parseXml limits", () => {
  it("refuses more elements than allowed before parsing them", () => {
    const doc = `<r>${"<a/>".repeat(50)}</r>`;
    expect(parseXml(doc, { maxElements: 51 }).children).toHaveLength(50);
    expect(() => parseXml(doc, { maxElements: 50 })).toThrow("more than 50 elements");
  });

  it("does not count end tags, comments, declarations or processing instructions", () => {
    const doc = `<?xml version="1.0"?><!-- note --><r><a></a><b/></r>`;
    expect(parseXml(doc, { maxElements: 3 }).children.map((c) => c.name)).toEqual(["a", "b"]);
  });

  it("refuses deep nesting and entity declarations", () => {
    expect(() => parseXml(`${"<a>".repeat(20)}${"</a>".repeat(20)}`, { maxDepth: 10 })).toThrow(
      /nested deeper than 10/,
    );
    expect(() => parseXml(`<!DOCTYPE r [<!ENTITY x "y">]><r>&x;</r>`)).toThrow(
      "DOCTYPE and ENTITY declarations are not accepted",
    );
  });
});
